//! The OpenID Connect check kinds, run directly on a hand-built plan (`checks::run_checks`, shared
//! with the other check kinds in the same situation): no grid criterion names the `oidc.*` probes yet,
//! so an audit would not run them (see probes/sso.yaml). Same code path as an audit from the plan
//! on: `probe::run_all`, the shared polite client, TLS with the target's CA.

use std::collections::BTreeSet;

use sdet_audit::demo::{self, Defect, DemoOptions};

use crate::checks::run_oidc_checks;

async fn demo_with(defects: &[Defect]) -> Vec<(String, String)> {
    let ent = demo::start(&DemoOptions {
        defects: defects.iter().copied().collect::<BTreeSet<_>>(),
        ..DemoOptions::default()
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
