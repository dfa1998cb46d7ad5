//! The portal's legal-page checks against the fixture portals of `fixtures/portail/`, served on
//! 127.0.0.1: real French wording passes, each kind of defect fails with the precise reason.

use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::fixture_server;
use crate::support::root;

async fn audit_case(case: &str) -> Report {
    let base = fixture_server::serve(&root().join("fixtures/portail").join(case)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("target.yaml");
    std::fs::write(&target, format!("name: {case}\nportal: \"{base}\"\n")).expect("target");
    let options = AuditOptions::new(target, Secrets::default());
    audit::run(&options, &Silent).await.expect("audit runs")
}

/// The outcome and English message of probe `id`.
fn probe<'r>(report: &'r Report, id: &str) -> (&'r str, &'r str) {
    let p = report
        .probes
        .iter()
        .find(|p| p.id == id)
        .expect("probe in report");
    (p.outcome.as_str(), p.message.en.as_str())
}

#[tokio::test]
async fn dsfr_style_portal_passes_every_legal_page_check() {
    let report = audit_case("dsfr-footer").await;
    for id in [
        "portail.legal_notice",
        "portail.personal_data_notice",
        "portail.lang",
    ] {
        assert_eq!(
            probe(&report, id).0,
            "pass",
            "{id}: {:?}",
            probe(&report, id)
        );
    }
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "pass", "{message}");
    assert!(
        message.contains("partiellement conforme, 67.74 %"),
        "{message}"
    );
}

#[tokio::test]
async fn upper_case_unaccented_wording_is_understood() {
    let report = audit_case("uppercase-no-accents").await;
    for id in [
        "portail.legal_notice",
        "portail.personal_data_notice",
        "portail.lang",
    ] {
        assert_eq!(
            probe(&report, id).0,
            "pass",
            "{id}: {:?}",
            probe(&report, id)
        );
    }
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "pass", "{message}");
    assert!(message.contains("non conforme, 24 %"), "{message}");
}

#[tokio::test]
async fn partial_conformity_under_fifty_percent_fails() {
    let report = audit_case("rate-contradicts-state").await;
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "fail");
    assert!(
        message.contains("does not fit the announced compliance rate (42 %)"),
        "{message}"
    );
}

#[tokio::test]
async fn an_error_page_served_with_200_is_not_the_notice() {
    let report = audit_case("soft-404").await;
    let (outcome, message) = probe(&report, "portail.personal_data_notice");
    assert_eq!(outcome, "fail");
    assert!(
        message.contains("is not the personal-data notice"),
        "{message}"
    );
    assert!(message.contains("page introuvable"), "{message}");
}

#[tokio::test]
async fn a_state_announced_on_the_home_page_must_match_the_statement() {
    let report = audit_case("link-state-mismatch").await;
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "fail");
    assert!(
        message.contains(
            "announces « totalement conforme » but the statement says « partiellement conforme »"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn a_legal_notice_without_its_host_is_incomplete() {
    let report = audit_case("legal-notice-incomplete").await;
    let (outcome, message) = probe(&report, "portail.legal_notice");
    assert_eq!(outcome, "fail");
    assert!(
        message.ends_with("is incomplete: missing host"),
        "{message}"
    );
}

#[tokio::test]
async fn no_links_and_an_english_page_fail_each_check() {
    let report = audit_case("no-links").await;
    for id in [
        "portail.legal_notice",
        "portail.accessibility_statement",
        "portail.personal_data_notice",
    ] {
        let (outcome, message) = probe(&report, id);
        assert_eq!(outcome, "fail", "{id}");
        assert!(message.starts_with("No link to the"), "{id}: {message}");
    }
    let (outcome, message) = probe(&report, "portail.lang");
    assert_eq!(outcome, "fail");
    assert!(message.contains("lang=\"en\""), "{message}");
    let (outcome, message) = probe(&report, "portail.login_entry");
    assert_eq!(outcome, "fail");
    assert_eq!(message, "No login link or form on the home page");
}

#[tokio::test]
async fn a_pdf_statement_is_not_an_html_page() {
    let report = audit_case("pdf-statement").await;
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "fail");
    assert!(
        message.contains("application/pdf content instead of an HTML page"),
        "{message}"
    );
}

/// A portal whose legal links loop, hang or never end.
fn hostile_portal() -> axum::Router {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    let home = r#"<!DOCTYPE html><html lang="fr"><head><title>Accueil</title></head><body>
<a href="/mentions-legales">Mentions légales</a> <a href="/accessibilite">Accessibilité</a>
<a href="/donnees-personnelles">Données personnelles</a> <a href="/connexion">Se connecter</a></body></html>"#;
    axum::Router::new()
        .route(
            "/",
            get(move || async move { ([(header::CONTENT_TYPE, "text/html")], home) }),
        )
        .route(
            "/mentions-legales",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/mentions-legales")]) }),
        )
        .route(
            "/accessibilite",
            get(|| async {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                "late"
            }),
        )
        .route(
            "/donnees-personnelles",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<p>".repeat(1_500_000),
                )
            }),
        )
        .route(
            "/connexion",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "http://127.0.0.1:9/login")],
                )
            }),
        )
}

#[tokio::test]
async fn loops_hangs_and_floods_are_errors_with_their_reason() {
    let base = fixture_server::serve_router(hostile_portal()).await;
    let http = HttpOptions {
        timeout: std::time::Duration::from_secs(2),
        retries: 0,
        ..HttpOptions::default()
    };
    let report = fixture_server::audit(
        &format!("portal: \"{base}\"\n"),
        None,
        Secrets::default(),
        http,
    )
    .await;
    let (outcome, message) = probe(&report, "portail.legal_notice");
    assert_eq!(outcome, "error");
    assert!(message.contains("redirect loop"), "{message}");
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "error");
    assert!(message.contains("no answer within 2 s"), "{message}");
    let (outcome, message) = probe(&report, "portail.personal_data_notice");
    assert_eq!(outcome, "error");
    assert!(message.contains("larger than"), "{message}");
    let (outcome, message) = probe(&report, "portail.login_entry");
    assert_eq!(outcome, "fail");
    assert!(
        message.starts_with("The login entry point is not over HTTPS"),
        "{message}"
    );
}

#[tokio::test]
async fn off_site_pages_are_never_visited() {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    let home = r#"<!DOCTYPE html><html lang="fr"><head><title>Accueil</title></head><body>
<a href="/mentions-legales">Mentions légales</a>
<a href="https://www.example.invalid/accessibilite">Accessibilité</a>
<a href="https://educonnect.example.invalid/idp?ent=x">Se connecter avec ÉduConnect</a></body></html>"#;
    let app = axum::Router::new()
        .route(
            "/",
            get(move || async move { ([(header::CONTENT_TYPE, "text/html")], home) }),
        )
        .route(
            "/mentions-legales",
            get(|| async {
                (
                    StatusCode::FOUND,
                    [(header::LOCATION, "https://legal.example.invalid/ml")],
                )
            }),
        );
    let base = fixture_server::serve_router(app).await;
    let report = fixture_server::audit(
        &format!("portal: \"{base}\"\n"),
        None,
        Secrets::default(),
        HttpOptions::default(),
    )
    .await;
    let (outcome, message) = probe(&report, "portail.legal_notice");
    assert_eq!(outcome, "error");
    assert!(
        message.contains("redirects off the site (https://legal.example.invalid/ml): not followed"),
        "{message}"
    );
    let (outcome, message) = probe(&report, "portail.accessibility_statement");
    assert_eq!(outcome, "error");
    assert!(message.contains("leaves the site"), "{message}");
    let (outcome, message) = probe(&report, "portail.login_entry");
    assert_eq!(outcome, "pass", "{message}");
    assert!(
        message.contains(
            "delegated identity provider over HTTPS (https://educonnect.example.invalid/"
        ),
        "{message}"
    );
    let visited: Vec<&str> = report
        .probes
        .iter()
        .flat_map(|p| p.evidence.iter().map(|e| e.url.as_str()))
        .collect();
    assert!(
        visited.iter().all(|u| u.starts_with("http://127.0.0.1")),
        "left the site: {visited:?}"
    );
}
