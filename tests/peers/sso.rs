//! Real SAML 2.0 and OpenID Connect servers, started on 127.0.0.1 by `tests/peers/satosa.sh`
//! (SATOSA: a pysaml2 IdP and a pyop OP) and `tests/peers/oidc-provider.sh` (node
//! oidc-provider). `.ci/run` starts them first; a test whose peer is not running fails, so it can never
//! pass for want of a server.

use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::checks::{run_checks, run_oidc_checks};
use crate::peer::peer_env;

async fn audit_target(yaml: &str) -> (Report, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("target.yaml"), yaml).expect("write target");
    let options = AuditOptions {
        lang: sdet_audit::text::Lang::Fr,
        waivers: None,
        waiver_policy: sdet_audit::waiver::WaiverPolicy::default(),
        target: dir.path().join("target.yaml"),
        declarations: None,
        grids: None,
        probes: None,
        http: HttpOptions::default(),
        deadlines: Default::default(),
        secrets: Secrets::default(),
    };
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    (report, dir)
}

fn outcome<'a>(report: &'a Report, id: &str) -> (&'a str, &'a str) {
    let p = report.probes.iter().find(|p| p.id == id).expect(id);
    (p.outcome.as_str(), p.message.en.as_str())
}

#[tokio::test]
async fn satosa_saml_idp_passes_the_saml_probes_and_round_trip_and_the_rest_says_why_not() {
    let get = peer_env("satosa", "SDET_PEER_SAML_METADATA_URL");
    let (report, _dir) = audit_target(&format!(
        "name: SATOSA\ntls: {{ ca_file: \"{}\" }}\nsaml:\n  metadata_url: \"{}\"\n  entity_id: \"{}\"\n  sp: {{ entity_id: \"{}\", acs_url: \"{}\" }}\noidc: {{ issuer: \"{}\" }}\n",
        get("SDET_PEER_SATOSA_CA"),
        get("SDET_PEER_SAML_METADATA_URL"),
        get("SDET_PEER_SAML_ENTITY_ID"),
        get("SDET_PEER_SAML_SP_ENTITY_ID"),
        get("SDET_PEER_SAML_SP_ACS"),
        get("SDET_PEER_SATOSA_OIDC_ISSUER"),
    ))
    .await;
    for id in ["saml.metadata", "saml.certificates", "saml.sso_round_trip"] {
        let (o, message) = outcome(&report, id);
        assert_eq!(o, "pass", "{id}: {message}");
    }
    assert!(
        outcome(&report, "saml.metadata")
            .1
            .contains("IdP (SingleSignOnService: ")
    );
    // What the target does not describe, or what is not built yet, is skipped with the reason.
    let (o, why) = outcome(&report, "cas.login_form");
    assert_eq!((o, why.contains("no CAS")), ("skipped", true), "{why}");
    let (_, round_trip) = outcome(&report, "saml.sso_round_trip");
    assert!(
        round_trip.contains("signature on Response and Assertion"),
        "{round_trip}"
    );
    // The assertion itself never reaches the report: the auto-submit form is masked.
    let json = sdet_audit::report::json::render(&report);
    assert!(
        !json.contains("PHNhbWxwOlJlc3BvbnNl"),
        "a SAMLResponse leaked"
    );
    assert!(
        json.contains("SAMLResponse\\\" value=\\\"[REDACTED]"),
        "the form is shown masked"
    );
    assert!(report.probes.iter().all(|p| p.outcome.as_str() != "fail"));
    assert_eq!(report.outcome.as_str(), "conforme");
}

#[tokio::test]
async fn satosa_saml_metadata_without_trusting_its_ca_is_a_tls_error() {
    let get = peer_env("satosa", "SDET_PEER_SAML_METADATA_URL");
    let (report, _dir) = audit_target(&format!(
        "name: untrusted\nsaml: {{ metadata_url: \"{}\" }}\n",
        get("SDET_PEER_SAML_METADATA_URL")
    ))
    .await;
    let (o, message) = outcome(&report, "saml.metadata");
    assert_eq!(o, "error", "{message}");
    assert!(
        message.contains("TLS") || message.contains("certificate"),
        "{message}"
    );
    assert_eq!(report.outcome.as_str(), "incomplete");
}

fn oidc_target(issuer: &str, ca: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("target.yaml");
    std::fs::write(
        &path,
        format!("name: op\ntls: {{ ca_file: \"{ca}\" }}\noidc: {{ issuer: \"{issuer}\" }}\n"),
    )
    .expect("write target");
    (dir, path)
}

#[tokio::test]
async fn satosa_openid_provider_passes_the_oidc_checks() {
    let get = peer_env("satosa", "SDET_PEER_SAML_METADATA_URL");
    let (_dir, target) = oidc_target(
        &get("SDET_PEER_SATOSA_OIDC_ISSUER"),
        &get("SDET_PEER_SATOSA_CA"),
    );
    for (outcome, message) in run_oidc_checks(&target).await {
        assert_eq!(outcome, "pass", "{message}");
    }
}

#[tokio::test]
async fn node_oidc_provider_passes_the_oidc_checks() {
    let get = peer_env("oidc-provider", "SDET_PEER_OIDCP_ISSUER");
    let issuer = get("SDET_PEER_OIDCP_ISSUER");
    let (_dir, target) = oidc_target(&issuer, &get("SDET_PEER_OIDCP_CA"));
    let outcomes = run_oidc_checks(&target).await;
    for (outcome, message) in &outcomes {
        assert_eq!(outcome, "pass", "{message}");
    }
    // A wrong issuer in the target is caught on the real provider's answer.
    let (_dir, wrong) = oidc_target(&format!("{issuer}/autre"), &get("SDET_PEER_OIDCP_CA"));
    let outcomes = run_oidc_checks(&wrong).await;
    assert_eq!(outcomes[0].0, "error", "{}", outcomes[0].1);
    assert!(outcomes[0].1.contains("HTTP 404"), "{}", outcomes[0].1);
}

/// The code flow on a real provider, as the client its peer script registered for the audit.
async fn code_flow(
    get: &dyn Fn(&str) -> String,
    issuer_var: &str,
    ca_var: &str,
    wrong_secret: bool,
) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("target.yaml");
    std::fs::write(
        &target,
        format!(
            "name: op\ntls: {{ ca_file: \"{}\" }}\noidc:\n  issuer: \"{}\"\n  client: {{ client_id: \"{}\", client_secret_env: SECRET, redirect_uri: \"{}\", username_env: U, password_env: P }}\n",
            get(ca_var),
            get(issuer_var),
            get("SDET_PEER_OIDC_CLIENT_ID"),
            get("SDET_PEER_OIDC_REDIRECT_URI"),
        ),
    )
    .expect("write target");
    let secret = if wrong_secret {
        "not-the-secret".to_string()
    } else {
        get("SDET_PEER_OIDC_CLIENT_SECRET")
    };
    let secrets = Secrets::default()
        .with("SECRET", &secret)
        .with("U", "eleve1")
        .with("P", "any-password-will-do");
    let mut outcomes = run_checks(&target, &[("oidc.code_flow", "oidc_code_flow")], &secrets).await;
    let (outcome, message) = outcomes.remove(0);
    assert!(!message.contains(&secret), "the client secret leaked");
    (outcome, message)
}

#[tokio::test]
async fn both_real_providers_complete_the_code_flow_with_a_verified_id_token() {
    let satosa = peer_env("satosa", "SDET_PEER_SAML_METADATA_URL");
    let (outcome, message) = code_flow(
        &satosa,
        "SDET_PEER_SATOSA_OIDC_ISSUER",
        "SDET_PEER_SATOSA_CA",
        false,
    )
    .await;
    assert_eq!(outcome, "pass", "SATOSA: {message}");
    let node = peer_env("oidc-provider", "SDET_PEER_OIDCP_ISSUER");
    let (outcome, message) =
        code_flow(&node, "SDET_PEER_OIDCP_ISSUER", "SDET_PEER_OIDCP_CA", false).await;
    assert_eq!(outcome, "pass", "oidc-provider: {message}");
    assert!(message.contains("RS256 ID token verified"), "{message}");
    // The audit's own client secret refused: an error to fix in the target, not a fail.
    let (outcome, message) =
        code_flow(&node, "SDET_PEER_OIDCP_ISSUER", "SDET_PEER_OIDCP_CA", true).await;
    assert_eq!(outcome, "error", "{message}");
    assert!(message.contains("invalid_client"), "{message}");
}
