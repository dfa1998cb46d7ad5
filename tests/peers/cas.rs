//! Real third-party servers, started on 127.0.0.1 by `tests/peers/*.sh` (CI starts them first;
//! a test whose peer is not running fails: it never passes for want of a server).

use std::path::PathBuf;

use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::target::Secrets;

use crate::checks::CAS_PROBES;
use crate::peer::peer_env;

/// The CAS peer's settings (`.ci/run` started it).
pub struct CasPeer {
    pub url: String,
    pub user: String,
    pub password: String,
    pub teacher_user: String,
    pub teacher_password: String,
    pub service: String,
    pub ca: PathBuf,
}

pub fn cas_peer() -> CasPeer {
    let get = peer_env("django-cas-server", "SDET_PEER_CAS_URL");
    CasPeer {
        url: get("SDET_PEER_CAS_URL"),
        user: get("SDET_PEER_CAS_USER"),
        password: get("SDET_PEER_CAS_PASSWORD"),
        teacher_user: get("SDET_PEER_CAS_TEACHER_USER"),
        teacher_password: get("SDET_PEER_CAS_TEACHER_PASSWORD"),
        service: get("SDET_PEER_CAS_SERVICE"),
        ca: PathBuf::from(get("SDET_PEER_CAS_CA")),
    }
}

#[tokio::test]
async fn real_cas_server_passes_every_cas_probe() {
    let peer = cas_peer();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!(
            "name: django-cas-server\ntls: {{ ca_file: \"{}\" }}\ncas:\n  base_url: \"{}\"\n  service: \"{}\"\n  accounts:\n    - {{ profile: eleve, username_env: PEER_USER, password_env: PEER_PASSWORD }}\n    - {{ profile: enseignant, username_env: PEER_TEACHER_USER, password_env: PEER_TEACHER_PASSWORD }}\n",
            peer.ca.display(),
            peer.url,
            peer.service
        ),
    )
    .expect("write target");
    let options = AuditOptions::new(
        dir.path().join("target.yaml"),
        Secrets::default()
            .with("PEER_USER", &peer.user)
            .with("PEER_PASSWORD", &peer.password)
            .with("PEER_TEACHER_USER", &peer.teacher_user)
            .with("PEER_TEACHER_PASSWORD", &peer.teacher_password),
    );
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    let ran: Vec<(&str, &str, &str)> = report
        .probes
        .iter()
        .filter(|p| p.outcome.as_str() != "skipped")
        .map(|p| (p.id.as_str(), p.outcome.as_str(), p.message.en.as_str()))
        .collect();
    // All but the logout redirect: this server is an open redirect there (cas_endpoints.rs).
    let cas_probes = CAS_PROBES.iter().filter(|id| **id != "cas.logout_redirect");
    for id in cas_probes {
        assert!(
            ran.iter().any(|(p, o, _)| *p == *id && *o == "pass"),
            "{id} did not pass: {ran:?}"
        );
    }
    // Portal probes cannot apply (no portal in this target): skipped with a reason, never failed.
    assert!(
        report
            .probes
            .iter()
            .filter(|p| p.id.starts_with("portail."))
            .all(|p| p.outcome.as_str() == "skipped")
    );
    // A real finding: django-cas-server 3.1.0 follows /logout?service= to any site. SEC-CAS-02 is
    // a recommandation, so the outcome stays conforme.
    let open_redirect = report
        .probes
        .iter()
        .find(|p| p.id == "cas.logout_redirect")
        .expect("probe");
    assert_eq!(
        open_redirect.outcome.as_str(),
        "fail",
        "{:?}",
        open_redirect.message
    );
    assert_eq!(report.outcome.as_str(), "conforme");
    let json = sdet_audit::report::json::render(&report);
    for password in [&peer.password, &peer.teacher_password] {
        assert!(
            !json.contains(password),
            "a password leaked into the report"
        );
    }
    let vector = report
        .probes
        .iter()
        .find(|p| p.id == "cas.identity_vector")
        .expect("probe");
    assert!(
        vector.message.en.contains("eleve, enseignant"),
        "both accounts judged: {}",
        vector.message.en
    );
}

#[tokio::test]
async fn real_cas_server_without_trusting_its_ca_is_a_tls_error_not_a_fail() {
    let peer = cas_peer();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!(
            "name: untrusted\ncas:\n  base_url: \"{}\"\n  service: \"{}\"\n",
            peer.url, peer.service
        ),
    )
    .expect("write target");
    let options = AuditOptions::new(dir.path().join("target.yaml"), Secrets::default());
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    let form = report
        .probes
        .iter()
        .find(|p| p.id == "cas.login_form")
        .expect("probe");
    assert_eq!(form.outcome.as_str(), "error", "{:?}", form.message);
    assert!(
        form.message.en.contains("TLS") || form.message.en.contains("certificate"),
        "{}",
        form.message.en
    );
    assert_eq!(report.outcome.as_str(), "incomplete");
}
