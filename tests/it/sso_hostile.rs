//! The SAML and OpenID Connect probes against a hostile or broken server on 127.0.0.1: HTML where
//! JSON or metadata was expected, JSON of the wrong shape, huge bodies, redirect loops, a DTD.
//! Each gives `error` with the reason (the probe could not read an answer), never a pass, a panic
//! or a hang.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::oidc::run_oidc_checks;

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
            target: dir.path().join("target.yaml"),
            declarations: None,
            grids: None,
            probes: None,
            http: HttpOptions::default(),
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
