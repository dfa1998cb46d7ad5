//! The polite client against a hostile server on 127.0.0.1: huge bodies, redirect loops, slow
//! answers, 429 and 5xx. Each gives a precise transport error or a bounded retry — never a
//! panic, a hang or unbounded memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use sdet_audit::probe::http::{Http, HttpOptions, Request, TransportError};
use sdet_audit::probe::session::Session;
use url::Url;

struct Server {
    base: Url,
    hits: Arc<AtomicUsize>,
}

async fn hostile_server() -> Server {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&hits);
    let flaky = Arc::clone(&hits);
    let app = Router::new()
        .route("/huge", get(|| async { "x".repeat(3 * 1024 * 1024) }))
        .route(
            "/loop-a",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop-b")]) }),
        )
        .route(
            "/loop-b",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop-a")]) }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        )
        .route(
            "/always-503",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { StatusCode::SERVICE_UNAVAILABLE }
            }),
        )
        .route(
            "/503-then-ok",
            get(move || {
                let n = flaky.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n.is_multiple_of(2) {
                        StatusCode::SERVICE_UNAVAILABLE.into_response()
                    } else {
                        "ok".into_response()
                    }
                }
            }),
        )
        .route(
            "/429",
            get(|| async { (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]) }),
        )
        .route(
            "/429-long",
            get(|| async {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "3600")],
                )
            }),
        )
        .route(
            "/post-503",
            post(|| async { StatusCode::SERVICE_UNAVAILABLE }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base =
        Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { base, hits }
}

fn client(timeout_secs: u64) -> Http {
    Http::new(HttpOptions {
        timeout: Duration::from_secs(timeout_secs),
        ..HttpOptions::default()
    })
    .expect("client")
}

#[tokio::test]
async fn a_huge_body_is_refused_at_the_cap() {
    let server = hostile_server().await;
    let result = client(10)
        .send(&Request::get(server.base.join("huge").unwrap()))
        .await;
    assert_eq!(
        result.err(),
        Some(TransportError::TooLarge(
            sdet_audit::probe::http::DEFAULT_MAX_BODY
        ))
    );
}

#[tokio::test]
async fn a_redirect_loop_is_detected() {
    let server = hostile_server().await;
    let http = client(10);
    let mut session = Session::new(&http);
    let err = session
        .get_following(server.base.join("loop-a").unwrap())
        .await
        .expect_err("loop");
    assert!(
        matches!(&err, TransportError::Redirects(m) if m.contains("loop")),
        "{err}"
    );
    assert_eq!(
        session.exchanges.len(),
        2,
        "stops as soon as the loop closes"
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = hostile_server().await;
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(1),
        retries: 0,
        ..HttpOptions::default()
    })
    .expect("client");
    let started = Instant::now();
    let result = http
        .send(&Request::get(server.base.join("slow").unwrap()))
        .await;
    assert_eq!(result.err(), Some(TransportError::Timeout(1)));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let server = hostile_server().await;
    let response = client(10)
        .send(&Request::get(server.base.join("always-503").unwrap()))
        .await
        .expect("answer");
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1 + sdet_audit::probe::http::DEFAULT_RETRIES as usize
    );
}

#[tokio::test]
async fn a_transient_server_error_is_retried_until_it_answers() {
    let server = hostile_server().await;
    let response = client(10)
        .send(&Request::get(server.base.join("503-then-ok").unwrap()))
        .await
        .expect("answer");
    assert_eq!(response.status, StatusCode::OK);
}

#[tokio::test]
async fn retry_after_is_honoured_and_a_long_one_is_not_waited_for() {
    let server = hostile_server().await;
    let http = Http::new(HttpOptions {
        retries: 1,
        ..HttpOptions::default()
    })
    .expect("client");
    let started = Instant::now();
    let response = http
        .send(&Request::get(server.base.join("429").unwrap()))
        .await
        .expect("answer");
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    let started = Instant::now();
    let response = http
        .send(&Request::get(server.base.join("429-long").unwrap()))
        .await
        .expect("answer");
    assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "must not wait an hour"
    );
}

#[tokio::test]
async fn posts_are_never_retried() {
    let server = hostile_server().await;
    let started = Instant::now();
    let response = client(10)
        .send(&Request::post_form(
            server.base.join("post-503").unwrap(),
            vec![],
        ))
        .await
        .expect("answer");
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "no backoff for a POST"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let http = Http::new(HttpOptions {
        retries: 0,
        ..HttpOptions::default()
    })
    .expect("client");
    let result = http
        .send(&Request::get(Url::parse("http://127.0.0.1:9/").unwrap()))
        .await;
    assert!(
        matches!(result, Err(TransportError::Connect(_))),
        "{result:?}"
    );
}

#[test]
fn a_file_without_certificates_is_refused_as_a_ca() {
    let result = Http::new(HttpOptions {
        extra_ca_pem: Some(b"not a certificate".to_vec()),
        ..HttpOptions::default()
    });
    assert!(result.is_err());
}
