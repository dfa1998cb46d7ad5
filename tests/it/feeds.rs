//! The RSS/Atom check against the feeds of `fixtures/feeds/`, served over HTTPS on 127.0.0.1,
//! and against hostile answers: valid feeds pass, each defect fails with its reason, a bomb or a
//! huge answer never gets expanded or read whole.

use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe, serve_tls, static_router};
use crate::support::root;

async fn audit_url(server: &fixture_server::TlsServer, path: &str) -> (String, String) {
    let yaml = format!("interop:\n  rss: \"{}{path}\"\n", server.base);
    let http = HttpOptions {
        timeout: Duration::from_secs(5),
        retries: 0,
        ..HttpOptions::default()
    };
    let report = fixture_server::audit(&yaml, Some(&server.ca_pem), Secrets::default(), http).await;
    let (o, m) = probe(&report, "rss.feed");
    (o.to_string(), m.to_string())
}

#[tokio::test]
async fn valid_atom_and_rss_feeds_pass() {
    let server = serve_tls(static_router(&root().join("fixtures/feeds"))).await;
    let (outcome, message) = audit_url(&server, "wsgidav-atom/actualites.atom").await;
    assert_eq!(
        (outcome.as_str(), message.as_str()),
        ("pass", "Valid Atom 1.0 feed over HTTPS: 1 entry(ies)")
    );
    let (outcome, message) = audit_url(&server, "rss2/actualites.rss").await;
    assert_eq!(
        (outcome.as_str(), message.as_str()),
        ("pass", "Valid RSS 2.0 feed over HTTPS: 1 entry(ies)")
    );
}

#[tokio::test]
async fn each_broken_feed_fails_with_its_reason() {
    let server = serve_tls(static_router(&root().join("fixtures/feeds"))).await;
    let cases = [
        (
            "html-error-200/actualites.rss",
            "XML with a DTD (DOCTYPE) is refused",
        ),
        (
            "xml-bomb/actualites.rss",
            "XML with a DTD (DOCTYPE) is refused: entities are never expanded",
        ),
        (
            "french-dates/actualites.rss",
            "item #1: <pubDate> « mardi 17 novembre 2026 » is not an RFC 822 date; item #1: relative link « /actualites/conseil »",
        ),
        (
            "wrong-content-type/actualites.txt",
            "served as « text/plain », not a feed media type",
        ),
    ];
    for (path, expected) in cases {
        let (outcome, message) = audit_url(&server, path).await;
        assert_eq!(outcome, "fail", "{path}: {message}");
        assert!(message.contains(expected), "{path}: {message}");
    }
}

#[tokio::test]
async fn huge_and_non_feed_answers_are_an_error_or_a_fail() {
    let huge = format!(
        "<rss version=\"2.0\"><channel>{}",
        "<item><title>x</title></item>".repeat(100_000)
    );
    let app = Router::new()
        .route(
            "/huge.rss",
            get(move || async move { ([(header::CONTENT_TYPE, "application/rss+xml")], huge) }),
        )
        .route(
            "/json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/feed+json")],
                    "{\"version\":\"https://jsonfeed.org/version/1.1\"}",
                )
            }),
        )
        .route(
            "/sitemap.xml",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/xml")],
                    "<urlset><url><loc>https://e.fr/</loc></url></urlset>",
                )
            }),
        );
    let server = serve_tls(app).await;
    let (outcome, message) = audit_url(&server, "huge.rss").await;
    assert_eq!(outcome, "error", "{message}");
    assert!(message.contains("larger than"), "{message}");
    let (outcome, message) = audit_url(&server, "json").await;
    assert_eq!(outcome, "fail", "{message}");
    assert!(
        message.contains("Not a valid RSS or Atom feed (application/feed+json)"),
        "{message}"
    );
    let (outcome, message) = audit_url(&server, "sitemap.xml").await;
    assert_eq!(outcome, "fail", "{message}");
    assert!(
        message.contains("the root element is <urlset>"),
        "{message}"
    );
}
