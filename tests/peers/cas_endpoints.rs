//! The optional CAS endpoints, `/proxyValidate` and `/samlValidate`, and the logout redirect, on
//! the real django-cas-server, which offers both endpoints and is an open redirect at logout.

use sdet_audit::target::Secrets;

use crate::cas::cas_peer;
use crate::checks::run_checks;

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
