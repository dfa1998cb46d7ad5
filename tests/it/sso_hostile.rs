//! The SAML and OpenID Connect probes against a hostile or broken server on 127.0.0.1: HTML where
//! JSON or metadata was expected, JSON of the wrong shape, huge bodies, redirect loops, a DTD.
//! Each gives `error` with the reason (the probe could not read an answer), never a pass, a panic
//! or a hang. A forged SAML response that can be read gives `fail`, naming every flaw.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use base64::Engine as _;
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::checks::run_oidc_checks;

/// Serves one broken document per path prefix: `/<case>/.well-known/openid-configuration` and
/// `/<case>/metadata`.
async fn broken_server() -> String {
    let html = || async {
        (
            [(header::CONTENT_TYPE, "text/html")],
            "<!doctype html><p>Connexion</p>",
        )
    };
    let huge = || async { format!("{{\"issuer\": \"{}\"}}", "x".repeat(3 * 1024 * 1024)) };
    let bomb = || async {
        r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&b;"/>"#
    };
    let wk = "/.well-known/openid-configuration";
    let app = Router::new()
        .route(&format!("/html{wk}"), get(html))
        .route("/html/metadata", get(html))
        .route(&format!("/array{wk}"), get(|| async { "[1, 2, 3]" }))
        .route(&format!("/huge{wk}"), get(huge))
        .route("/huge/metadata", get(huge))
        .route("/bomb/metadata", get(bomb))
        .route(
            &format!("/loop{wk}"),
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop/metadata")]) }),
        )
        .route(
            "/loop/metadata",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop/again")]) }),
        )
        .route(
            "/loop/again",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop/metadata")]) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn broken_discovery_documents_are_errors_with_the_reason() {
    let base = broken_server().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for (case, reason) in [
        ("html", "unreadable JSON"),
        ("array", "not an object"),
        ("huge", "larger than"),
        ("loop", "redirect loop"),
        ("missing", "HTTP 404"),
    ] {
        let target = dir.path().join(format!("{case}.yaml"));
        std::fs::write(
            &target,
            format!("name: t\noidc: {{ issuer: \"{base}/{case}\" }}\n"),
        )
        .expect("write");
        for (outcome, message) in run_oidc_checks(&target).await {
            assert_eq!(outcome, "error", "{case}: {message}");
            assert!(message.contains(reason), "{case}: {message}");
        }
    }
}

#[tokio::test]
async fn broken_metadata_urls_are_errors_with_the_reason() {
    let base = broken_server().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for (case, reason) in [
        ("html", "DTD"),
        ("huge", "larger than"),
        ("bomb", "DTD"),
        ("loop", "redirect loop"),
        ("missing", "HTTP 404"),
    ] {
        std::fs::write(
            dir.path().join("target.yaml"),
            format!("name: t\nsaml: {{ metadata_url: \"{base}/{case}/metadata\" }}\n"),
        )
        .expect("write");
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
        for id in ["saml.metadata", "saml.certificates"] {
            let p = report.probes.iter().find(|p| p.id == id).expect(id);
            assert_eq!(p.outcome.as_str(), "error", "{case} {id}: {}", p.message.en);
            assert!(
                p.message.en.contains(reason),
                "{case} {id}: {}",
                p.message.en
            );
        }
        assert_eq!(report.outcome.as_str(), "incomplete", "{case}");
    }
}

/// A fake IdP on plain HTTP: its metadata points SSO at `/<case>/sso`, which answers an
/// auto-submit form carrying `response` (base64) to the declared ACS.
async fn fake_idp(response: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let metadata = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{base}/idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{base}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#
    );
    let form = format!(
        r#"<html><body onload="document.forms[0].submit()"><form method="post" action="https://sp.example/acs"><input type="hidden" name="SAMLResponse" value="{}"/></form></body></html>"#,
        base64::engine::general_purpose::STANDARD.encode(response)
    );
    let app = Router::new()
        .route("/metadata", get(move || async move { metadata }))
        .route(
            "/sso",
            get(move || async move { ([(header::CONTENT_TYPE, "text/html")], form) }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn round_trip(base: &str) -> (String, String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!("name: t\nsaml:\n  metadata_url: \"{base}/metadata\"\n  sp: {{ entity_id: \"https://sp.example\", acs_url: \"https://sp.example/acs\" }}\n"),
    )
    .expect("write");
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
    let p = report
        .probes
        .iter()
        .find(|p| p.id == "saml.sso_round_trip")
        .expect("probe");
    (
        p.outcome.as_str().to_string(),
        p.message.en.clone(),
        sdet_audit::report::json::render(&report),
    )
}

#[tokio::test]
async fn a_forged_saml_response_fails_the_round_trip_for_each_reason() {
    // Unsigned, for another request and another audience, long expired.
    let base = fake_idp(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" InResponseTo="_other"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion><saml:Issuer>https://evil.example/idp</saml:Issuer><saml:Subject><saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://sp.example/acs" NotOnOrAfter="2020-01-01T00:00:00Z"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotOnOrAfter="2020-01-01T00:00:00Z"><saml:AudienceRestriction><saml:Audience>https://other.example</saml:Audience></saml:AudienceRestriction></saml:Conditions></saml:Assertion></samlp:Response>"#,
    )
    .await;
    let (outcome, message, json) = round_trip(&base).await;
    assert_eq!(outcome, "fail", "{message}");
    for reason in [
        "InResponseTo = _other instead of _sdet",
        "Issuer = https://evil.example/idp",
        "audience https://other.example",
        "assertion already expired",
        "neither the response nor the assertion is signed",
    ] {
        assert!(message.contains(reason), "{reason}: {message}");
    }
    assert!(
        !json.contains("PHNhbWxw"),
        "the SAMLResponse leaked into the report"
    );
}

#[tokio::test]
async fn a_saml_response_with_a_dtd_is_refused_unread() {
    let base = fake_idp(
        r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>"#,
    )
    .await;
    let (outcome, message, _) = round_trip(&base).await;
    assert_eq!(outcome, "error", "{message}");
    assert!(message.contains("DTD"), "{message}");
}
