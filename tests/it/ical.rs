//! The iCalendar check against calendars served over HTTPS on 127.0.0.1: the fixtures of
//! `fixtures/ical/`, a private feed behind HTTP Basic, and hostile answers (huge, nested, looping,
//! slow) that must give a clear error or fail, never a hang.

use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe, serve_tls, static_router};
use crate::support::root;

async fn audit_case(case: &str, file: &str) -> (String, String) {
    let server = serve_tls(static_router(&root().join("fixtures/ical"))).await;
    let yaml = format!("interop:\n  ical: \"{}{case}/{file}\"\n", server.base);
    ical_feed(&yaml, &server.ca_pem).await
}

/// The `ical.feed` outcome and English message of an audit of `yaml`, trusting `ca_pem`.
async fn ical_feed(yaml: &str, ca_pem: &str) -> (String, String) {
    let report = fixture_server::audit(
        yaml,
        Some(ca_pem),
        Secrets::default(),
        HttpOptions::default(),
    )
    .await;
    let (o, m) = probe(&report, "ical.feed");
    (o.to_string(), m.to_string())
}

#[tokio::test]
async fn a_public_school_calendar_passes() {
    let (outcome, message) = audit_case("college-public", "agenda.ics").await;
    assert_eq!(outcome, "pass", "{message}");
    assert_eq!(message, "Valid iCalendar over HTTPS: 2 event(s)");
}

#[tokio::test]
async fn each_broken_calendar_fails_with_its_reason() {
    let cases = [
        (
            "html-error-200",
            "agenda.ics",
            "Not valid iCalendar (text/calendar): does not start with BEGIN:VCALENDAR (starts with « <!DOCTYPE html> »)",
        ),
        (
            "duplicate-uid",
            "agenda.ics",
            "UID cours@college.example.fr is used by more than one VEVENT",
        ),
        (
            "wrong-content-type",
            "agenda.txt",
            "served as « text/plain », not text/calendar",
        ),
        (
            "truncated",
            "agenda.ics",
            "BEGIN:VEVENT never ended (truncated?)",
        ),
        (
            "public-personal-data",
            "agenda.ics",
            "The public calendar holds personal data: ORGANIZER (VEVENT rdv-1@college.example.fr); ATTENDEE (VEVENT rdv-1@college.example.fr); phone number in DESCRIPTION (VEVENT rdv-1@college.example.fr)",
        ),
    ];
    for (case, file, expected) in cases {
        let (outcome, message) = audit_case(case, file).await;
        assert_eq!(outcome, "fail", "{case}: {message}");
        assert!(message.contains(expected), "{case}: {message}");
        assert!(
            !message.contains("paul.durand"),
            "personal data quoted: {message}"
        );
    }
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//FR\r\nBEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20261101T080000Z\r\nDTSTART:20261124T080000Z\r\nSUMMARY:Cours\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn calendar() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/calendar")], CALENDAR)
}

fn hostile() -> Router {
    let huge = format!(
        "BEGIN:VCALENDAR\r\n{}",
        "X-PAD:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n".repeat(60_000)
    );
    let bomb = format!("BEGIN:VCALENDAR\r\n{}", "BEGIN:VEVENT\r\n".repeat(50_000));
    Router::new()
        .route("/open.ics", get(|| async { calendar() }))
        .route(
            "/private.ics",
            get(|headers: HeaderMap| async move {
                // "eleve:secret-pass" in Basic.
                let ok = headers
                    .get(header::AUTHORIZATION)
                    .is_some_and(|v| v == "Basic ZWxldmU6c2VjcmV0LXBhc3M=");
                if ok {
                    calendar().into_response()
                } else {
                    StatusCode::UNAUTHORIZED.into_response()
                }
            }),
        )
        .route(
            "/huge.ics",
            get(move || async move { ([(header::CONTENT_TYPE, "text/calendar")], huge) }),
        )
        .route(
            "/bomb.ics",
            get(move || async move { ([(header::CONTENT_TYPE, "text/calendar")], bomb) }),
        )
        .route(
            "/loop.ics",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop.ics")]) }),
        )
        .route(
            "/slow.ics",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                calendar()
            }),
        )
}

async fn audit_hostile(path: &str, extra: &str, secrets: Secrets) -> (String, String) {
    let server = serve_tls(hostile()).await;
    let yaml = format!("interop:\n  ical: \"{}{path}\"\n{extra}", server.base);
    let http = HttpOptions {
        timeout: Duration::from_secs(2),
        retries: 0,
        ..HttpOptions::default()
    };
    let report = fixture_server::audit(&yaml, Some(&server.ca_pem), secrets, http).await;
    let (o, m) = probe(&report, "ical.feed");
    (o.to_string(), m.to_string())
}

const PRIVATE: &str =
    "  ical_private: true\n  ical_account: { username_env: U, password_env: P }\n";

#[tokio::test]
async fn a_private_feed_must_refuse_anonymous_readers() {
    let secrets = || {
        Secrets::default()
            .with("U", "eleve")
            .with("P", "secret-pass")
    };
    let (outcome, message) = audit_hostile("private.ics", PRIVATE, secrets()).await;
    assert_eq!(outcome, "pass", "{message}");
    assert!(
        message.ends_with("anonymous access refused (HTTP 401)"),
        "{message}"
    );
    let (outcome, message) = audit_hostile("open.ics", PRIVATE, secrets()).await;
    assert_eq!(outcome, "fail");
    assert_eq!(
        message,
        "The calendar declared private can be read without authentication"
    );
    let (outcome, message) = audit_hostile(
        "private.ics",
        PRIVATE,
        Secrets::default().with("U", "eleve"),
    )
    .await;
    assert_eq!(outcome, "error");
    assert!(message.contains("`P` is not set"), "{message}");
    let (outcome, message) = audit_hostile("private.ics", "", secrets()).await;
    assert_eq!(outcome, "error", "undeclared private feed");
    assert!(message.contains("HTTP 401"), "{message}");
}

#[tokio::test]
async fn hostile_answers_give_an_error_or_a_fail_never_a_hang() {
    let (outcome, message) = audit_hostile("huge.ics", "", Secrets::default()).await;
    assert_eq!(
        (outcome.as_str(), message.contains("larger than")),
        ("error", true),
        "{message}"
    );
    let (outcome, message) = audit_hostile("bomb.ics", "", Secrets::default()).await;
    assert_eq!(outcome, "fail");
    assert!(message.contains("more than 8 nested"), "{message}");
    let (outcome, message) = audit_hostile("loop.ics", "", Secrets::default()).await;
    assert_eq!(outcome, "error");
    assert!(message.contains("redirect loop"), "{message}");
    let (outcome, message) = audit_hostile("slow.ics", "", Secrets::default()).await;
    assert_eq!(outcome, "error");
    assert!(message.contains("no answer within 2 s"), "{message}");
}

#[tokio::test]
async fn a_plain_http_feed_fails_without_being_fetched() {
    let base = fixture_server::serve(&root().join("fixtures/ical/college-public")).await;
    let yaml = format!("interop:\n  ical: \"{base}agenda.ics\"\n");
    let report =
        fixture_server::audit(&yaml, None, Secrets::default(), HttpOptions::default()).await;
    let (outcome, message) = probe(&report, "ical.feed");
    assert_eq!(outcome, "fail");
    assert!(
        message.starts_with("The calendar is not published over HTTPS"),
        "{message}"
    );
}

#[tokio::test]
async fn a_redirect_to_plain_http_fails() {
    let plain = fixture_server::serve(&root().join("fixtures/ical")).await;
    let target = format!("{plain}college-public/agenda.ics");
    let app = Router::new().route(
        "/agenda.ics",
        get(move || {
            let target = target.clone();
            async move { (StatusCode::FOUND, [(header::LOCATION, target)]) }
        }),
    );
    let server = serve_tls(app).await;
    // The plain server is another origin: followed only because the target lists it.
    let yaml = format!(
        "interop:\n  ical: \"{}agenda.ics\"\nallowed_origins: [\"{plain}\"]\n",
        server.base
    );
    let (outcome, message) = ical_feed(&yaml, &server.ca_pem).await;
    assert_eq!(outcome, "fail");
    assert!(
        message.starts_with("Redirects end on plain HTTP: http://127.0.0.1:"),
        "{message}"
    );
    // Not listed, the other origin is never fetched, and nothing is judged.
    let yaml = format!("interop:\n  ical: \"{}agenda.ics\"\n", server.base);
    let (outcome, message) = ical_feed(&yaml, &server.ca_pem).await;
    assert_eq!(outcome, "error", "{message}");
    assert!(message.contains("allowed_origins"), "{message}");
}
