//! Front channel and back channel, and where passwords go, against the CAS double
//! (`cas_double.rs`) on 127.0.0.1: no live peer needed.
//! - A strict back channel (LemonLDAP::NG refuses validation requests that carry the SSO cookie)
//!   gets passes, because validation never carries a browser cookie.
//! - A CAS answering 500 to everything leaves every CAS probe `error`, the audit `incomplete`.
//! - A login form posting to another origin, or a login that wanders to another site, never
//!   receives the password, and the probes that saw it fail.

use std::sync::atomic::Ordering;

use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::cas_double::{self, Double, Habit, PASSWORD, USER};
use crate::checks::CAS_PROBES;
use crate::fixture_server::{audit, probe};

async fn audit_double(double: &Double, extra: &str) -> Report {
    let yaml = format!(
        "{extra}cas:\n  base_url: \"{}\"\n  service: \"https://app.example/\"\n  accounts:\n    - {{ profile: eleve, username_env: U, password_env: P }}\n",
        double.base
    );
    let secrets = Secrets::default().with("U", USER).with("P", PASSWORD);
    let http = HttpOptions {
        retries: 0,
        ..HttpOptions::default()
    };
    audit(&yaml, double.ca_pem.as_deref(), secrets, http).await
}

#[tokio::test]
async fn a_strict_back_channel_gets_passes() {
    let double = cas_double::start(Habit::StrictBackChannel, true).await;
    let report = audit_double(&double, "").await;
    for id in CAS_PROBES {
        let (outcome, message) = probe(&report, id);
        // The double, like LemonLDAP::NG, answers renew=true validation from the SSO session:
        // a true finding that must stay one.
        let expected = if id == "cas.renew_gateway" {
            "fail"
        } else {
            "pass"
        };
        assert_eq!(outcome, expected, "{id}: {message}");
        assert!(!message.contains(PASSWORD), "{id}: {message}");
    }
    let json = sdet_audit::report::json::render(&report);
    assert!(
        !json.contains(PASSWORD),
        "the password leaked into the report"
    );
    assert!(
        !json.contains("sso0000"),
        "the SSO cookie leaked into the report"
    );
}

#[tokio::test]
async fn a_cas_answering_500_is_an_incomplete_audit_not_a_failure() {
    let double = cas_double::start(Habit::Broken, true).await;
    let report = audit_double(&double, "").await;
    for id in CAS_PROBES {
        let (outcome, message) = probe(&report, id);
        assert_eq!(outcome, "error", "{id}: {message}");
        assert!(message.contains("HTTP 500"), "{id}: {message}");
    }
    assert_eq!(report.outcome.as_str(), "incomplete");
    assert_eq!(report.exit_code(), sdet_audit::exit::INCOMPLETE);
}

#[tokio::test]
async fn a_form_posting_elsewhere_never_gets_the_password() {
    for habit in [Habit::FormPostsElsewhere, Habit::LoginRedirectsElsewhere] {
        let double = cas_double::start(habit, true).await;
        let report = audit_double(&double, "").await;
        for id in [
            "cas.login_form",
            "cas.login_round_trip",
            "cas.service_validate",
            "cas.logout",
        ] {
            let (outcome, message) = probe(&report, id);
            assert_eq!(outcome, "fail", "{habit:?} {id}: {message}");
            assert!(
                message.contains("another origin"),
                "{habit:?} {id}: {message}"
            );
        }
        assert!(
            !double.stolen.load(Ordering::SeqCst),
            "{habit:?}: the password reached another origin"
        );
    }
}

#[tokio::test]
async fn plain_http_logins_need_the_targets_allowance() {
    let double = cas_double::start(Habit::StrictBackChannel, false).await;
    let refused = audit_double(&double, "").await;
    let (outcome, message) = probe(&refused, "cas.service_validate");
    assert_eq!(outcome, "fail", "{message}");
    assert!(message.contains("in clear"), "{message}");
    let allowed = audit_double(&double, "tls: { allow_http_login: true }\n").await;
    let (outcome, message) = probe(&allowed, "cas.service_validate");
    assert_eq!(outcome, "pass", "{message}");
}
