//! The CAS probes against answers recorded from a real django-cas-server (`fixtures/cas/`, written
//! by `tests/peers/capture-cas-fixtures.sh`), replayed by a small local server over HTTPS, so the
//! default suite covers the CAS protocol as a real server speaks it without starting one.
//!
//! The replay server keeps only the state the protocol needs to pick the right recording (which
//! tickets it issued, for which service, from a password or from the SSO session, which were
//! used; which sessions are open) and sends the recorded status, headers and body byte for byte,
//! but for the ticket and the session cookie, which must be fresh for each login. The same probes
//! run against the live server in the `peers` target (`tests/peers/cas.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::checks::{CAS_PROBES, run_checks};
use crate::fixture_server::{self, probe, serve_tls};
use crate::support::root;

/// The service the recordings were made for: their bodies name it.
const SERVICE: &str = "https://127.0.0.1:8999/";
const USER: &str = "eleve1";
const PASSWORD: &str = "eleve1-pass";

/// One recorded answer: status, headers (without those the transport sets) and body.
struct Recording {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Vec<u8>,
}

impl Recording {
    /// Reads `fixtures/cas/<case>/<headers>` and the body file `body` (none: empty).
    fn read(case: &str, headers: &str, body: Option<&str>) -> Self {
        let dir = root().join("fixtures/cas").join(case);
        let text = std::fs::read_to_string(dir.join(headers)).expect("recorded headers");
        let mut lines = text.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|code| code.parse::<u16>().ok())
            .and_then(|code| StatusCode::from_u16(code).ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .filter(|(name, _)| {
                !["content-length", "connection", "date", "server"]
                    .contains(&name.to_ascii_lowercase().as_str())
            })
            .map(|(name, value)| {
                (
                    HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                    HeaderValue::from_str(value).expect("header value"),
                )
            })
            .collect();
        let body = body.map_or_else(Vec::new, |b| std::fs::read(dir.join(b)).expect("body"));
        Recording {
            status,
            headers,
            body,
        }
    }

    /// The answer, with `Location` and the session cookie replaced when given.
    fn answer(&self, location: Option<&str>, session: Option<&str>) -> Response {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            let value = match (name, location, session) {
                (n, Some(l), _) if n == header::LOCATION => {
                    HeaderValue::from_str(l).expect("location")
                }
                (n, _, Some(s))
                    if n == header::SET_COOKIE
                        && value.to_str().is_ok_and(|v| v.starts_with("sessionid=")) =>
                {
                    HeaderValue::from_str(&format!(
                        "sessionid={s}; HttpOnly; Path=/; SameSite=Lax; Secure"
                    ))
                    .expect("cookie")
                }
                _ => value.clone(),
            };
            headers.append(name, value);
        }
        (self.status, headers, self.body.clone()).into_response()
    }
}

/// Every recording the replay serves.
struct Recordings {
    form: Recording,
    wrong_password: Recording,
    not_allowed: Recording,
    success: Recording,
    gateway_anonymous: Recording,
    validate_success: Recording,
    p3_success: Recording,
    invalid_ticket: Recording,
    replayed: Recording,
    wrong_service: Recording,
    missing: Recording,
    logout: Recording,
    logout_redirect: Recording,
}

impl Recordings {
    fn read() -> Self {
        Recordings {
            form: Recording::read("login-form", "headers.txt", Some("login.html")),
            wrong_password: Recording::read(
                "login-wrong-password",
                "headers.txt",
                Some("wrong-password.html"),
            ),
            not_allowed: Recording::read("service-not-allowed", "headers.txt", Some("login.html")),
            success: Recording::read("login-success-redirect", "headers.txt", None),
            gateway_anonymous: Recording::read("login-gateway-anonymous", "headers.txt", None),
            validate_success: Recording::read(
                "service-validate-success",
                "headers.txt",
                Some("response.xml"),
            ),
            p3_success: Recording::read(
                "p3-success-attributes",
                "headers.txt",
                Some("response.xml"),
            ),
            invalid_ticket: Recording::read("invalid-ticket", "headers.txt", Some("response.xml")),
            replayed: Recording::read("replayed-ticket", "headers.txt", Some("response.xml")),
            wrong_service: Recording::read("wrong-service", "headers.txt", Some("response.xml")),
            missing: Recording::read("missing-parameters", "headers.txt", Some("response.xml")),
            logout: Recording::read("logout", "headers.txt", Some("logout.html")),
            logout_redirect: Recording::read("logout-open-redirect", "headers.txt", None),
        }
    }
}

/// A ticket the replay issued.
struct Ticket {
    service: String,
    from_password: bool,
    used: bool,
}

#[derive(Default)]
struct Protocol {
    tickets: BTreeMap<String, Ticket>,
    sessions: BTreeSet<String>,
    counter: u64,
}

impl Protocol {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}-replay{:040}", self.counter)
    }

    /// Issues a ticket for `service` and answers with the recorded redirect carrying it.
    fn redirect_with_ticket(
        &mut self,
        r: &Recordings,
        service: &str,
        from_password: bool,
        session: Option<&str>,
    ) -> Response {
        let ticket = self.fresh("ST");
        self.tickets.insert(
            ticket.clone(),
            Ticket {
                service: service.to_string(),
                from_password,
                used: false,
            },
        );
        let location = format!("{service}?ticket={ticket}");
        r.success.answer(Some(&location), session)
    }
}

struct Replay {
    recordings: Recordings,
    protocol: Mutex<Protocol>,
}

type Shared = Arc<Replay>;
type Params = Query<BTreeMap<String, String>>;

fn session_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("sessionid=").map(str::to_string))
}

async fn login_page(
    State(replay): State<Shared>,
    Query(q): Params,
    headers: HeaderMap,
) -> Response {
    let r = &replay.recordings;
    let Some(service) = q.get("service") else {
        return r.form.answer(None, None);
    };
    if service != SERVICE {
        return r.not_allowed.answer(None, None);
    }
    let mut protocol = replay.protocol.lock().expect("lock");
    let session = session_of(&headers).filter(|s| protocol.sessions.contains(s));
    let flag = |name: &str| q.get(name).is_some_and(|v| v == "true");
    match session {
        Some(_) if !flag("renew") => protocol.redirect_with_ticket(r, service, false, None),
        None if flag("gateway") => r.gateway_anonymous.answer(Some(service), None),
        _ => r.form.answer(None, None),
    }
}

async fn login_post(State(replay): State<Shared>, Query(q): Params, body: Bytes) -> Response {
    let r = &replay.recordings;
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let service = q.get("service").or_else(|| form.get("service"));
    if service.is_some_and(|s| s != SERVICE) {
        return r.not_allowed.answer(None, None);
    }
    let right = form.get("username").map(String::as_str) == Some(USER)
        && form.get("password").map(String::as_str) == Some(PASSWORD);
    if !right {
        return r.wrong_password.answer(None, None);
    }
    let mut protocol = replay.protocol.lock().expect("lock");
    let session = protocol.fresh("session");
    protocol.sessions.insert(session.clone());
    protocol.redirect_with_ticket(r, SERVICE, true, Some(&session))
}

/// `/serviceValidate` and `/p3/serviceValidate`: the recorded success, or the recorded failure
/// the real server gave for the same situation.
fn validate(replay: &Replay, q: &BTreeMap<String, String>, success: &Recording) -> Response {
    let r = &replay.recordings;
    let (Some(service), Some(ticket)) = (q.get("service"), q.get("ticket")) else {
        return r.missing.answer(None, None);
    };
    let mut protocol = replay.protocol.lock().expect("lock");
    let Some(issued) = protocol.tickets.get_mut(ticket) else {
        return r.invalid_ticket.answer(None, None);
    };
    if issued.used {
        return r.replayed.answer(None, None);
    }
    issued.used = true;
    if &issued.service != service {
        return r.wrong_service.answer(None, None);
    }
    if q.get("renew").is_some_and(|v| v == "true") && !issued.from_password {
        return r.invalid_ticket.answer(None, None);
    }
    success.answer(None, None)
}

async fn service_validate(State(replay): State<Shared>, Query(q): Params) -> Response {
    validate(&replay, &q, &replay.recordings.validate_success)
}

async fn p3_service_validate(State(replay): State<Shared>, Query(q): Params) -> Response {
    validate(&replay, &q, &replay.recordings.p3_success)
}

async fn logout(State(replay): State<Shared>, Query(q): Params, headers: HeaderMap) -> Response {
    if let Some(session) = session_of(&headers) {
        replay
            .protocol
            .lock()
            .expect("lock")
            .sessions
            .remove(&session);
    }
    match q.get("service") {
        Some(service) => replay
            .recordings
            .logout_redirect
            .answer(Some(service), None),
        None => replay.recordings.logout.answer(None, None),
    }
}

fn replay_router() -> Router {
    let replay = Arc::new(Replay {
        recordings: Recordings::read(),
        protocol: Mutex::new(Protocol::default()),
    });
    Router::new()
        .route("/cas/login", get(login_page).post(login_post))
        .route("/cas/serviceValidate", get(service_validate))
        .route("/cas/p3/serviceValidate", get(p3_service_validate))
        .route("/cas/logout", get(logout))
        .with_state(replay)
}

#[tokio::test]
async fn recorded_django_cas_server_answers_pass_the_cas_probes() {
    assert!(Path::new(&root().join("fixtures/cas/login-form")).is_dir());
    let server = serve_tls(replay_router()).await;
    let target = format!(
        "cas:\n  base_url: \"{}cas/\"\n  service: \"{SERVICE}\"\n  accounts:\n    - {{ profile: eleve, username_env: U, password_env: P }}\n",
        server.base
    );
    let secrets = Secrets::default().with("U", USER).with("P", PASSWORD);
    let report = fixture_server::audit(
        &target,
        Some(&server.ca_pem),
        secrets,
        HttpOptions::default(),
    )
    .await;
    let outcomes: Vec<(&str, &str, &str)> = report
        .probes
        .iter()
        .filter(|p| p.id.starts_with("cas."))
        .map(|p| (p.id.as_str(), p.outcome.as_str(), p.message.en.as_str()))
        .collect();
    // All but two: the identity vector (below) and the logout redirect (run by hand, below).
    let expected = ["cas.identity_vector", "cas.logout_redirect"];
    for id in CAS_PROBES.iter().filter(|id| !expected.contains(id)) {
        assert!(
            outcomes.iter().any(|(p, o, _)| *p == *id && *o == "pass"),
            "{id} did not pass: {outcomes:#?}"
        );
    }
    // The recordings carry a local profile code and no attachment structure: a real
    // non-conforming identity vector, which the probe must see.
    let (outcome, message) = probe(&report, "cas.identity_vector");
    assert_eq!(outcome, "fail", "{message}");
    // Nothing the test account typed reaches the report.
    let json = sdet_audit::report::json::render(&report);
    assert!(!json.contains(PASSWORD));

    // The real server's open redirect at logout, recorded, is a finding (a probe that waits for a
    // grid criterion, so run by hand).
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("ca.pem"), &server.ca_pem).expect("CA");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!("name: replay\ntls: {{ ca_file: ca.pem }}\n{target}"),
    )
    .expect("target");
    let secrets = Secrets::default().with("U", USER).with("P", PASSWORD);
    let redirect = run_checks(
        &dir.path().join("target.yaml"),
        &[("cas.logout_redirect", "cas_logout_redirect")],
        &secrets,
    )
    .await;
    assert_eq!(redirect[0].0, "fail", "{}", redirect[0].1);
}
