//! A small CAS server double on 127.0.0.1, with the habits of real servers the audit met and got
//! wrong: LemonLDAP::NG's strict back channel (a validation request that carries the SSO cookie is
//! answered `400 This endpoint is not supposed to be called by authenticated users`), a server that
//! answers 500 to everything, and hostile login pages (a form posting to another origin, a login
//! that redirects to another site). A thief server records whether a password ever reached it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};

/// How the double behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Habit {
    /// LemonLDAP::NG: back-channel requests carrying a cookie get a 400.
    StrictBackChannel,
    /// 500 to every request.
    Broken,
    /// The login form posts to the thief's origin.
    FormPostsElsewhere,
    /// `/login` redirects to a login page on the thief's origin.
    LoginRedirectsElsewhere,
}

pub const USER: &str = "eleve1";
pub const PASSWORD: &str = "s3cret-Pa55word";
const COOKIE: &str = "lemonldap";

struct Cas {
    habit: Habit,
    thief: String,
    next: AtomicU64,
    /// SSO sessions: cookie value → user.
    sessions: Mutex<HashMap<String, String>>,
    /// Service tickets: ticket → (service, user).
    tickets: Mutex<HashMap<String, (String, String)>>,
}

/// A running double: its CAS base URL and whether the thief ever saw the password.
pub struct Double {
    /// `http(s)://127.0.0.1:<port>/cas/`.
    pub base: url::Url,
    /// The CA to trust when served over TLS.
    pub ca_pem: Option<String>,
    /// Set when the thief received a request carrying the password.
    pub stolen: Arc<AtomicBool>,
}

/// Starts a thief and a CAS double with `habit`, over TLS when `tls` is set.
pub async fn start(habit: Habit, tls: bool) -> Double {
    let stolen = Arc::new(AtomicBool::new(false));
    let seen = stolen.clone();
    let thief = Router::new().fallback(any(move |body: String| {
        let seen = seen.clone();
        async move {
            if body.contains(PASSWORD) {
                seen.store(true, Ordering::SeqCst);
            }
            (
                [(header::CONTENT_TYPE, "text/html")],
                login_page("/steal", ""),
            )
        }
    }));
    let thief = crate::fixture_server::serve_router(thief).await;
    let state = Arc::new(Cas {
        habit,
        thief: thief.as_str().trim_end_matches('/').to_string(),
        next: AtomicU64::new(1),
        sessions: Mutex::new(HashMap::new()),
        tickets: Mutex::new(HashMap::new()),
    });
    let app = Router::new()
        .route("/cas/login", get(login_form).post(login_submit))
        .route("/cas/logout", get(logout))
        .route("/cas/serviceValidate", get(validate))
        .route("/cas/p3/serviceValidate", get(validate))
        .route("/cas/proxyValidate", get(validate))
        .with_state(state);
    let app = if habit == Habit::Broken {
        Router::new().fallback(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") })
    } else {
        app
    };
    let (base, ca_pem) = if tls {
        let server = crate::fixture_server::serve_tls(app).await;
        (server.base, Some(server.ca_pem))
    } else {
        (crate::fixture_server::serve_router(app).await, None)
    };
    Double {
        base: base.join("cas/").expect("base"),
        ca_pem,
        stolen,
    }
}

fn login_page(action: &str, hidden: &str) -> String {
    format!(
        r#"<!doctype html><html><body><form method="post" action="{action}"><input type="text" name="user"><input type="password" name="password"><input type="hidden" name="lt" value="{hidden}"><button type="submit">Connexion</button></form></body></html>"#
    )
}

fn session_user(cas: &Cas, headers: &HeaderMap) -> Option<String> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let value = cookies
        .split(';')
        .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")))?;
    cas.sessions.lock().unwrap().get(value).cloned()
}

fn issue(cas: &Cas, service: &str, user: &str) -> Response {
    let n = cas.next.fetch_add(1, Ordering::SeqCst);
    let ticket = format!("ST-{n}-abcdefghijklmnopqrstuvwxyz{n:08}");
    cas.tickets
        .lock()
        .unwrap()
        .insert(ticket.clone(), (service.to_string(), user.to_string()));
    let sep = if service.contains('?') { '&' } else { '?' };
    (
        StatusCode::FOUND,
        [(header::LOCATION, format!("{service}{sep}ticket={ticket}"))],
    )
        .into_response()
}

async fn login_form(
    State(cas): State<Arc<Cas>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let service = q.get("service").cloned().unwrap_or_default();
    if cas.habit == Habit::LoginRedirectsElsewhere {
        return (
            StatusCode::FOUND,
            [(header::LOCATION, format!("{}/login", cas.thief))],
        )
            .into_response();
    }
    if !q.contains_key("renew")
        && let Some(user) = session_user(&cas, &headers)
    {
        return issue(&cas, &service, &user);
    }
    if q.contains_key("gateway") {
        return (StatusCode::FOUND, [(header::LOCATION, service)]).into_response();
    }
    let action = match cas.habit {
        Habit::FormPostsElsewhere => format!("{}/steal", cas.thief),
        _ => format!(
            "/cas/login?service={}",
            url::form_urlencoded::byte_serialize(service.as_bytes()).collect::<String>()
        ),
    };
    (
        [
            (header::CONTENT_TYPE, "text/html"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        login_page(&action, "LT-1"),
    )
        .into_response()
}

async fn login_submit(
    State(cas): State<Arc<Cas>>,
    Query(q): Query<HashMap<String, String>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let service = q.get("service").cloned().unwrap_or_default();
    if form.get("user").map(String::as_str) != Some(USER)
        || form.get("password").map(String::as_str) != Some(PASSWORD)
    {
        return (
            [(header::CONTENT_TYPE, "text/html")],
            login_page("", "LT-2"),
        )
            .into_response();
    }
    let n = cas.next.fetch_add(1, Ordering::SeqCst);
    let value = format!("sso{n:016}");
    cas.sessions
        .lock()
        .unwrap()
        .insert(value.clone(), USER.to_string());
    let mut response = issue(&cas, &service, USER);
    response.headers_mut().insert(
        header::SET_COOKIE,
        format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax")
            .parse()
            .expect("header"),
    );
    response
}

async fn logout(State(cas): State<Arc<Cas>>, headers: HeaderMap) -> Response {
    if let Some(value) = headers
        .get(header::COOKIE)
        .and_then(|c| c.to_str().ok())
        .and_then(|c| {
            c.split(';')
                .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")))
        })
    {
        cas.sessions.lock().unwrap().remove(value);
    }
    (
        [(header::SET_COOKIE, format!("{COOKIE}=; Path=/; Max-Age=0"))],
        "Déconnecté",
    )
        .into_response()
}

async fn validate(
    State(cas): State<Arc<Cas>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if cas.habit == Habit::StrictBackChannel && headers.contains_key(header::COOKIE) {
        return (
            StatusCode::BAD_REQUEST,
            "This endpoint is not supposed to be called by authenticated users",
        )
            .into_response();
    }
    let ticket = q.get("ticket").cloned().unwrap_or_default();
    let service = q.get("service").cloned().unwrap_or_default();
    let found = cas.tickets.lock().unwrap().remove(&ticket);
    let body = match found {
        Some((s, user)) if s == service => format!(
            r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>{user}</cas:user><cas:attributes><cas:ENTPersonProfils>National_1</cas:ENTPersonProfils><cas:ENTPersonStructRattach>0750001A</cas:ENTPersonStructRattach><cas:ENTEleveClasses>0750001A$2NDE1</cas:ENTEleveClasses></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"#
        ),
        Some(_) => failure("INVALID_SERVICE"),
        None => failure("INVALID_TICKET"),
    };
    ([(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn failure(code: &str) -> String {
    format!(
        r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="{code}">refused</cas:authenticationFailure></cas:serviceResponse>"#
    )
}
