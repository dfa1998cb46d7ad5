//! The optional CAS endpoints, `/proxyValidate` and `/samlValidate`, and the logout redirect, on
//! the real django-cas-server (which offers both endpoints, and is an open redirect at logout) and
//! on the reference ENT. Their probes wait for a grid criterion, so the check kinds are run
//! directly (`oidc::run_checks`).

use std::collections::BTreeSet;

use sdet_audit::demo::{self, DemoOptions};
use sdet_audit::target::Secrets;

use crate::oidc::run_checks;
use crate::peers::cas_peer;

const CHECKS: [(&str, &str); 2] = [
    ("cas.proxy_validate", "cas_proxy_validate"),
    ("cas.saml_validate", "cas_saml_validate"),
];

#[tokio::test]
async fn real_cas_server_passes_proxy_and_saml_validation() {
    let peer = cas_peer();
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("target.yaml");
    std::fs::write(
        &target,
        format!(
            "name: django-cas-server\ntls: {{ ca_file: \"{}\" }}\ncas:\n  base_url: \"{}\"\n  service: \"{}\"\n  proxy_validate: true\n  saml_validate: true\n  accounts:\n    - {{ profile: eleve, username_env: U, password_env: P }}\n",
            peer.ca.display(),
            peer.url,
            peer.service
        ),
    )
    .expect("write target");
    let secrets = Secrets::default()
        .with("U", &peer.user)
        .with("P", &peer.password);
    for (outcome, message) in run_checks(&target, &CHECKS, &secrets).await {
        assert_eq!(outcome, "pass", "{message}");
        assert!(!message.contains(&peer.password));
    }
    // A real finding on a real server (fixtures/cas/logout-open-redirect/ recorded it).
    let redirect = run_checks(
        &target,
        &[("cas.logout_redirect", "cas_logout_redirect")],
        &secrets,
    )
    .await;
    assert_eq!(redirect[0].0, "fail", "{}", redirect[0].1);
    assert!(
        redirect[0]
            .1
            .contains("service= → https://sdet-audit-redirect.invalid/"),
        "{}",
        redirect[0].1
    );
}

#[tokio::test]
async fn reference_ent_passes_proxy_validation_and_refuses_foreign_logout_redirects() {
    let ent = demo::start(&DemoOptions {
        defects: BTreeSet::new(),
    })
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
