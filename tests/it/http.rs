//! The polite client against a hostile server on 127.0.0.1: huge bodies, redirect loops, slow
//! answers, 429 and 5xx. Each gives a precise transport error or a bounded retry — never a
//! panic, a hang or unbounded memory.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use sdet_audit::probe::http::{Http, HttpOptions, Reach, Request, TransportError};
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
        )
        .route(
            "/redirect",
            get(|Query(q): Query<HashMap<String, String>>| async move {
                let to = q.get("to").cloned().unwrap_or_default();
                (StatusCode::FOUND, [(header::LOCATION, to)])
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base =
        Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { base, hits }
}

/// What an audit of a target at `url` may reach (an IP literal: nothing to resolve).
fn reach_of(url: &Url) -> Reach {
    futures::executor::block_on(Reach::around(std::slice::from_ref(url)))
}

fn client(server: &Server, timeout_secs: u64) -> Http {
    Http::new(HttpOptions {
        timeout: Duration::from_secs(timeout_secs),
        reach: reach_of(&server.base),
        ..HttpOptions::default()
    })
    .expect("client")
}

#[tokio::test]
async fn a_huge_body_is_refused_at_the_cap() {
    let server = hostile_server().await;
    let result = client(&server, 10)
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
    let http = client(&server, 10);
    let mut session = Session::new(&http);
    let err = session
        .get_following(server.base.join("loop-a").unwrap())
        .await
        .expect_err("loop");
    assert!(matches!(&err, TransportError::RedirectLoop(_)), "{err}");
    assert_eq!(
        session.exchanges.len(),
        2,
        "stops as soon as the loop closes"
    );
}

#[tokio::test]
async fn a_slow_server_times_out_once() {
    let server = hostile_server().await;
    // Retries allowed, yet a timeout is not retried: a slow-loris costs one timeout, not three.
    let http = Http::new(HttpOptions {
        timeout: Duration::from_secs(1),
        retries: 2,
        reach: reach_of(&server.base),
        ..HttpOptions::default()
    })
    .expect("client");
    let started = Instant::now();
    let result = http
        .send(&Request::get(server.base.join("slow").unwrap()))
        .await;
    assert_eq!(result.err(), Some(TransportError::Timeout(1)));
    assert!(
        started.elapsed() < Duration::from_millis(2400),
        "one timeout, no retry: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let server = hostile_server().await;
    let response = client(&server, 10)
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
    let response = client(&server, 10)
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
        reach: reach_of(&server.base),
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
    let response = client(&server, 10)
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
    let port9 = Url::parse("http://127.0.0.1:9/").unwrap();
    let http = Http::new(HttpOptions {
        retries: 0,
        reach: reach_of(&port9),
        ..HttpOptions::default()
    })
    .expect("client");
    let result = http.send(&Request::get(port9)).await;
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

/// A session on a client whose target is `server`, redirected by it to `to`.
async fn redirected_to(server: &Server, to: &str) -> (Result<(), TransportError>, usize) {
    let http = client(server, 5);
    let mut session = Session::new(&http);
    let mut url = server.base.join("redirect").unwrap();
    url.query_pairs_mut().append_pair("to", to);
    let result = session.get_following(url).await.map(|_| ());
    (result, session.exchanges.len())
}

#[tokio::test]
async fn a_redirect_to_the_cloud_metadata_address_is_not_followed() {
    let server = hostile_server().await;
    for to in [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/admin",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
    ] {
        let (result, exchanges) = redirected_to(&server, to).await;
        assert!(
            matches!(&result, Err(TransportError::RedirectNotFollowed(_))),
            "{to}: {result:?}"
        );
        assert_eq!(
            exchanges, 1,
            "{to}: the redirect is recorded, its page never fetched"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_even_on_the_same_machine() {
    let server = hostile_server().await;
    let elsewhere = hostile_server().await;
    let to = elsewhere.base.join("always-503").unwrap();
    let (result, exchanges) = redirected_to(&server, to.as_str()).await;
    let Err(TransportError::RedirectNotFollowed(refused)) = &result else {
        panic!("{result:?}");
    };
    assert!(refused.0.en.contains("allowed_origins"), "{refused}");
    assert!(refused.0.fr.contains("non suivie"), "{}", refused.0.fr);
    assert_eq!(exchanges, 1);
    assert_eq!(
        elsewhere.hits.load(Ordering::SeqCst),
        0,
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn an_internal_address_the_target_is_not_on_is_never_contacted() {
    let server = hostile_server().await;
    // A target on a public address: the audit must not reach this machine's loopback services,
    // neither by IP literal nor by a host name resolving there.
    let public = Http::new(HttpOptions {
        retries: 0,
        reach: reach_of(&Url::parse("https://192.0.2.10/").unwrap()),
        ..HttpOptions::default()
    })
    .expect("client");
    let port = server.base.port().expect("port");
    for url in [
        server.base.join("always-503").unwrap(),
        Url::parse(&format!("http://localhost:{port}/always-503")).unwrap(),
    ] {
        let result = public.send(&Request::get(url.clone())).await;
        let Err(TransportError::NotSent(refused)) = &result else {
            panic!("{url}: {result:?}");
        };
        assert!(refused.0.en.contains("loopback"), "{refused}");
    }
    assert_eq!(server.hits.load(Ordering::SeqCst), 0);
}

/// Proxy variables are not followed: a proxy would resolve the ENT's host names out of the
/// reach's sight (and an http:// one would read the test passwords). With every proxy variable
/// pointing at a closed port, the demo still reaches its reference ENT directly.
#[test]
fn proxy_variables_do_not_divert_the_audit() {
    let closed = "http://127.0.0.1:9";
    let out = crate::support::bin()
        .args(["demo", "--quiet", "--format", "json"])
        .env("HTTPS_PROXY", closed)
        .env("HTTP_PROXY", closed)
        .env("ALL_PROXY", closed)
        .env("https_proxy", closed)
        .env("http_proxy", closed)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    assert_eq!(
        report["outcome"],
        "conforme",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}
