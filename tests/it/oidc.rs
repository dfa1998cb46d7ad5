//! The OpenID Connect check kinds, run directly on a hand-built plan (`run_checks`, shared with
//! the other check kinds in the same situation): no grid criterion names the `oidc.*` probes yet,
//! so an audit would not run them (see probes/sso.yaml). Same code path as an audit from the plan
//! on: `probe::run_all`, the shared polite client, TLS with the target's CA.

use std::collections::BTreeSet;
use std::path::Path;

use sdet_audit::demo::{self, Defect, DemoOptions};
use sdet_audit::evidence::Observation;
use sdet_audit::plan::{Plan, Step};
use sdet_audit::probe::http::{Http, HttpOptions};
use sdet_audit::probe::{self, Check, Context, Family, Probe};
use sdet_audit::target::{Secrets, Target};
use sdet_audit::text::Text;

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
    let observations: Vec<Observation> = probe::run_all(&plan, &ctx, &http, &|_| {}).await;
    observations
        .into_iter()
        .map(|o| (o.outcome.as_str().to_string(), o.message.en))
        .collect()
}

async fn demo_with(defects: &[Defect]) -> Vec<(String, String)> {
    let ent = demo::start(&DemoOptions {
        defects: defects.iter().copied().collect::<BTreeSet<_>>(),
    })
    .await
    .expect("reference ENT starts");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ca.pem"), &ent.ca_pem).expect("CA");
    let (yaml, _) = sdet_audit::audit::demo::target_yaml(&ent);
    std::fs::write(dir.path().join("target.yaml"), yaml).expect("target");
    let outcomes = run_oidc_checks(&dir.path().join("target.yaml")).await;
    ent.stop().await;
    outcomes
}

#[tokio::test]
async fn reference_ent_provider_passes_both_checks() {
    let outcomes = demo_with(&[]).await;
    for (outcome, message) in &outcomes {
        assert_eq!(outcome, "pass", "{message}");
    }
    assert!(
        outcomes[0].1.contains("signatures RS256"),
        "{}",
        outcomes[0].1
    );
    assert!(
        outcomes[1].1.contains("RSA 2048 bits, RS256"),
        "{}",
        outcomes[1].1
    );
}

#[tokio::test]
async fn each_oidc_defect_fails_discovery_only() {
    for (defect, reason) in [
        (
            Defect::OidcIssuerMismatch,
            "differs from the configured issuer",
        ),
        (Defect::OidcAlgNone, "allows \"none\""),
    ] {
        let outcomes = demo_with(&[defect]).await;
        assert_eq!(outcomes[0].0, "fail", "{defect}: {}", outcomes[0].1);
        assert!(
            outcomes[0].1.contains(reason),
            "{defect}: {}",
            outcomes[0].1
        );
        assert_eq!(outcomes[1].0, "pass", "{defect}: {}", outcomes[1].1);
    }
}
