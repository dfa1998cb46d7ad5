//! The WebDAV check against small servers on 127.0.0.1 over HTTPS: a conforming folder (with a
//! writable scratch folder), and folders that get one thing wrong each — no DAV header, anonymous
//! access, a multistatus that is HTML or an XML bomb, writes that do not read back.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe, serve_tls};

/// How a test server misbehaves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flaw {
    None,
    NoDavHeader,
    Anonymous,
    HtmlMultistatus,
    BombMultistatus,
    LosesWrites,
}

#[derive(Clone)]
struct Dav {
    flaw: Flaw,
    files: Arc<Mutex<HashMap<String, String>>>,
    writes: Arc<AtomicUsize>,
}

const FOLDER: &str = r#"<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response><D:response><D:href>/dav/a.txt</D:href><D:propstat><D:prop><D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"#;

async fn handle(State(dav): State<Dav>, request: Request) -> Response {
    let authorised = request
        .headers()
        .get(header::AUTHORIZATION)
        // "prof:prof-pass"
        .is_some_and(|v| v == "Basic cHJvZjpwcm9mLXBhc3M=");
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    if method == "OPTIONS" {
        return if dav.flaw == Flaw::NoDavHeader {
            (StatusCode::OK, [(header::ALLOW, "GET")]).into_response()
        } else {
            (StatusCode::OK, [("dav", "1, 2")]).into_response()
        };
    }
    if !authorised && dav.flaw != Flaw::Anonymous {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"t\"")],
        )
            .into_response();
    }
    let body = String::from_utf8_lossy(
        &to_bytes(request.into_body(), 1 << 20)
            .await
            .unwrap_or_default(),
    )
    .into_owned();
    if matches!(
        method.as_str(),
        "PUT" | "DELETE" | "MKCOL" | "MOVE" | "COPY" | "PROPPATCH"
    ) {
        dav.writes.fetch_add(1, Ordering::SeqCst);
    }
    let mut files = dav.files.lock().expect("lock");
    match method.as_str() {
        "PROPFIND" => {
            let text = match dav.flaw {
                Flaw::HtmlMultistatus => "<!DOCTYPE html><html><body>Connexion</body></html>".to_string(),
                Flaw::BombMultistatus => r#"<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><multistatus>&b;</multistatus>"#.to_string(),
                _ => FOLDER.to_string(),
            };
            (StatusCode::MULTI_STATUS, text).into_response()
        }
        // Writes outside the scratch folder are refused, as a careful server would.
        "PUT" if !path.starts_with("/dav/scratch/") => StatusCode::FORBIDDEN.into_response(),
        "PUT" => {
            if dav.flaw != Flaw::LosesWrites {
                files.insert(path, body);
            }
            StatusCode::CREATED.into_response()
        }
        "GET" => match files.get(&path) {
            Some(content) => content.clone().into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        "DELETE" => {
            files.remove(&path);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

/// Outcome, message, files left on the server, write requests received.
async fn audit(flaw: Flaw, scratch: bool) -> (String, String, usize, usize) {
    audit_at("dav/", flaw, scratch).await
}

/// The same, with the WebDAV folder at `folder` under the server's base.
async fn audit_at(folder: &str, flaw: Flaw, scratch: bool) -> (String, String, usize, usize) {
    let files = Arc::new(Mutex::new(HashMap::new()));
    let writes = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(any(handle)).with_state(Dav {
        flaw,
        files: Arc::clone(&files),
        writes: Arc::clone(&writes),
    });
    let server = serve_tls(app).await;
    let scratch = if scratch {
        "  webdav_scratch: scratch/\n"
    } else {
        ""
    };
    let yaml = format!(
        "interop:\n  webdav: \"{}{folder}\"\n  webdav_account: {{ username_env: U, password_env: P }}\n{scratch}",
        server.base
    );
    let secrets = Secrets::default().with("U", "prof").with("P", "prof-pass");
    let report =
        fixture_server::audit(&yaml, Some(&server.ca_pem), secrets, HttpOptions::default()).await;
    let (o, m) = probe(&report, "webdav.access");
    let left = files.lock().expect("lock").len();
    let json = sdet_audit::report::json::render(&report);
    assert!(
        !json.contains("prof-pass") && !json.contains("cHJvZjpwcm9mLXBhc3M="),
        "credentials leaked"
    );
    (
        o.to_string(),
        m.to_string(),
        left,
        writes.load(Ordering::SeqCst),
    )
}

#[tokio::test]
async fn a_conforming_folder_passes_and_the_scratch_file_is_cleaned_up() {
    let (outcome, message, _, _) = audit(Flaw::None, false).await;
    assert_eq!(outcome, "pass", "{message}");
    assert!(message.contains("(DAV: 1, 2): PROPFIND 0 and 1 readable, 1 member(s), anonymous access refused (HTTP 401)"), "{message}");
    let (outcome, message, left, writes) = audit(Flaw::None, true).await;
    assert_eq!(outcome, "pass", "{message}");
    assert!(
        message.ends_with("write, read back and delete in scratch/ succeeded"),
        "{message}"
    );
    assert_eq!(left, 0, "the test file must be deleted");
    assert_eq!(writes, 2, "one PUT, one DELETE");
}

#[tokio::test]
async fn each_flaw_fails_with_its_reason() {
    let cases = [
        (Flaw::NoDavHeader, "without a DAV compliance class"),
        (Flaw::Anonymous, "an anonymous PROPFIND answers HTTP 207"),
        (
            Flaw::HtmlMultistatus,
            "PROPFIND depth 0: unreadable multistatus: XML with a DTD (DOCTYPE) is refused",
        ),
        (
            Flaw::BombMultistatus,
            "XML with a DTD (DOCTYPE) is refused: entities are never expanded",
        ),
    ];
    for (flaw, expected) in cases {
        let (outcome, message, _, _) = audit(flaw, false).await;
        assert_eq!(outcome, "fail", "{message}");
        assert!(message.contains(expected), "{message}");
    }
    let (outcome, message, left, _) = audit(Flaw::LosesWrites, true).await;
    assert_eq!(outcome, "fail");
    assert!(
        message.contains("does not read back (HTTP 404)"),
        "{message}"
    );
    assert_eq!(left, 0);
}

#[tokio::test]
async fn without_a_scratch_folder_nothing_is_written() {
    let (outcome, _, _, writes) = audit(Flaw::None, false).await;
    assert_eq!((outcome.as_str(), writes), ("pass", 0));
}

#[tokio::test]
async fn the_scratch_file_stays_inside_a_folder_given_without_its_slash() {
    let (outcome, message, left, writes) = audit_at("dav", Flaw::None, true).await;
    assert_eq!(outcome, "pass", "{message}");
    assert_eq!((left, writes), (0, 2));
}
