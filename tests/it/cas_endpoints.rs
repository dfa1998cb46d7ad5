//! The optional CAS endpoints, `/proxyValidate` and `/samlValidate`, and the logout redirect, on
//! the reference ENT (the real django-cas-server is audited the same way in the `peers` target).
//! Their probes wait for a grid criterion, so the check kinds are run directly
//! (`checks::run_checks`).

use sdet_audit::demo::{self, DemoOptions};

use crate::checks::run_checks;

pub const CHECKS: [(&str, &str); 2] = [
    ("cas.proxy_validate", "cas_proxy_validate"),
    ("cas.saml_validate", "cas_saml_validate"),
];

#[tokio::test]
async fn reference_ent_passes_proxy_validation_and_refuses_foreign_logout_redirects() {
    let ent = demo::start(&DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ca.pem"), &ent.ca_pem).expect("CA");
    let (yaml, secrets) = sdet_audit::audit::demo::target_yaml(&ent);
    let yaml = yaml.replace("  accounts:", "  proxy_validate: true\n  accounts:");
    std::fs::write(dir.path().join("target.yaml"), &yaml).expect("target");
    let checks = [CHECKS[0], ("cas.logout_redirect", "cas_logout_redirect")];
    let outcomes = run_checks(&dir.path().join("target.yaml"), &checks, &secrets).await;
    for (outcome, message) in outcomes {
        assert_eq!(outcome, "pass", "{message}");
    }
    ent.stop().await;
}
