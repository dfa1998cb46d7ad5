//! An ENT that is overloaded or failing says nothing about its conformity: every probe that reads
//! it ends in `error` (with the status and the `Retry-After` it was told), never `fail`, and the
//! audit is incomplete.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe, serve_tls};

async fn audit_of(status: StatusCode) -> sdet_audit::report::Report {
    let app = Router::new().fallback(move || async move {
        (status, [(header::RETRY_AFTER, "999999")], "busy").into_response()
    });
    let server = serve_tls(app).await;
    let yaml = format!(
        "portal: \"{0}\"\ninterop:\n  ical: \"{0}agenda.ics\"\n  rss: \"{0}actualites.atom\"\n",
        server.base
    );
    fixture_server::audit(
        &yaml,
        Some(&server.ca_pem),
        Secrets::default(),
        HttpOptions::default(),
    )
    .await
}

#[tokio::test]
async fn too_many_requests_and_server_errors_are_errors_never_fails() {
    for status in [
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::SERVICE_UNAVAILABLE,
    ] {
        let started = Instant::now();
        let report = audit_of(status).await;
        // A Retry-After of eleven days is not waited for.
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
        for id in ["ical.feed", "rss.feed", "portail.security_headers"] {
            let (outcome, message) = probe(&report, id);
            assert_eq!(outcome, "error", "{status} {id}: {message}");
            assert!(
                message.contains(&format!("HTTP {}", status.as_u16())),
                "{id}: {message}"
            );
        }
        let failed: Vec<_> = report
            .probes
            .iter()
            .filter(|p| p.outcome.as_str() == "fail")
            .map(|p| (p.id.as_str(), p.message.en.as_str()))
            .collect();
        assert!(failed.is_empty(), "{status}: {failed:?}");
        assert_eq!(report.outcome.as_str(), "incomplete", "{status}");
    }
}
