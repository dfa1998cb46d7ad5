//! Time bounds a CI can plan for: an ENT that answers every request just within the timeout, a
//! hop at a time, would keep a probe going for as long as it likes; the probe's deadline and the
//! audit's end it, as `error` naming which, and the report is still written.

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::deadline::Deadlines;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::fixture_server::{probe, serve_tls};

/// A portal whose every page redirects to the next one after 800 ms, for ever.
async fn audit_of_a_dawdling_portal(deadlines: Deadlines) -> (Report, Duration) {
    let app = Router::new().fallback(|uri: axum::http::Uri| async move {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let next = format!("{}x", uri.path());
        (StatusCode::FOUND, [(header::LOCATION, next)]).into_response()
    });
    let server = serve_tls(app).await;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ca.pem"), &server.ca_pem).expect("CA");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!(
            "name: lent\nportal: \"{}\"\ntls: {{ ca_file: ca.pem }}\n",
            server.base
        ),
    )
    .expect("target");
    let mut options = AuditOptions::new(dir.path().join("target.yaml"), Secrets::default());
    options.deadlines = deadlines;
    let started = Instant::now();
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    (report, started.elapsed())
}

#[tokio::test]
async fn a_probe_past_its_deadline_is_an_error_naming_it() {
    let (report, elapsed) = audit_of_a_dawdling_portal(Deadlines {
        probe: Duration::from_secs(2),
        audit: Duration::from_secs(600),
    })
    .await;
    let (outcome, message) = probe(&report, "portail.security_headers");
    assert_eq!(outcome, "error", "{message}");
    assert!(
        message.contains("ran past its 2 s deadline (--probe-deadline)"),
        "{message}"
    );
    // The hops made before the deadline are kept as evidence.
    let observation = report
        .probes
        .iter()
        .find(|p| p.id == "portail.security_headers")
        .expect("probe");
    assert!(!observation.evidence.is_empty());
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}

#[tokio::test]
async fn the_audit_deadline_ends_every_probe_still_running() {
    let (report, elapsed) = audit_of_a_dawdling_portal(Deadlines {
        probe: Duration::from_secs(600),
        audit: Duration::from_secs(2),
    })
    .await;
    for id in ["portail.security_headers", "portail.hsts"] {
        let (outcome, message) = probe(&report, id);
        assert_eq!(outcome, "error", "{id}: {message}");
        assert!(
            message.contains("the audit reached its 2 s deadline (--deadline)"),
            "{id}: {message}"
        );
    }
    assert_eq!(report.outcome.as_str(), "incomplete");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}
