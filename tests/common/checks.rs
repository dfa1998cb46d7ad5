//! Check kinds run by hand on a hand-built plan, for the kinds whose probes wait for a grid
//! criterion (an audit would not run them). Same code path as an audit from the plan on:
//! `probe::run_all`, the shared polite client, TLS with the target's CA.

use std::path::Path;

use sdet_audit::evidence::Observation;
use sdet_audit::plan::{Plan, Step};
use sdet_audit::probe::http::{Http, HttpOptions, Reach};
use sdet_audit::probe::{self, Check, Context, Family, Probe};
use sdet_audit::target::{Secrets, Target};
use sdet_audit::text::Text;

/// Every CAS probe the grid runs with one account.
pub const CAS_PROBES: [&str; 12] = [
    "cas.login_form",
    "cas.login_round_trip",
    "cas.service_validate",
    "cas.p3_attributes",
    "cas.invalid_ticket",
    "cas.ticket_replay",
    "cas.logout",
    "cas.service_mismatch",
    "cas.identity_vector",
    "cas.renew_gateway",
    "cas.frame_protection",
    "cas.logout_redirect",
];

/// Runs the OIDC check kinds against the target in `target_file`; returns (outcome, message)
/// for `oidc.discovery` then `oidc.jwks`.
pub async fn run_oidc_checks(target_file: &Path) -> Vec<(String, String)> {
    run_checks(
        target_file,
        &[
            ("oidc.discovery", "oidc_discovery"),
            ("oidc.jwks", "oidc_jwks"),
        ],
        &Secrets::default(),
    )
    .await
}

/// Runs check kinds by hand (probe id, kind, default parameters) against the target in
/// `target_file`, through `probe::run_all`; returns (outcome, English message) in order. For the
/// check kinds whose probes wait for a grid criterion, which an audit would not run.
pub async fn run_checks(
    target_file: &Path,
    checks: &[(&str, &str)],
    secrets: &Secrets,
) -> Vec<(String, String)> {
    let target = Target::load(target_file).expect("valid target");
    let ca = target
        .tls
        .ca_file
        .as_ref()
        .map(|f| std::fs::read(f).expect("CA file"));
    let http = Http::new(HttpOptions {
        extra_ca_pem: ca,
        reach: Reach::around(&target.reach_urls()).await,
        ..HttpOptions::default()
    })
    .expect("client");
    let steps = checks
        .iter()
        .map(|(id, kind)| Step {
            probe: Probe {
                id: (*id).into(),
                family: Family::Sso,
                title: Text::new(*id, *id),
                check: Some(Check::from_kind(kind, serde_json::Value::Null).expect("kind")),
            },
            criteria: Vec::new(),
            skip: None,
        })
        .collect();
    let plan = Plan { steps };
    let ctx = Context::new(&target, secrets);
    let observations: Vec<Observation> =
        probe::run_all(&plan, &ctx, &http, Default::default(), &|_| {}).await;
    observations
        .into_iter()
        .map(|o| (o.outcome.as_str().to_string(), o.message.en))
        .collect()
}
