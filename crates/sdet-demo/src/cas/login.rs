//! `/cas/login`: the credential requestor (GET: SSO, gateway or the form) and the credential
//! acceptor (POST: check the form, open the SSO session, send a ticket to the service), CAS
//! protocol §2.1 and §2.2.
//!
//! The form looks like Apereo CAS's (`username`, `password`, a one-time `execution`,
//! `_eventId=submit`), so a probe that logs in here logs in on the servers ENTs really run.
//! Failures answer 200 with the form again, as real servers do, never 401.

use std::sync::Arc;
use std::time::Instant;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use url::Url;

use super::{TGC, TGC_PATH, is_set, login_url};
use crate::defect::Defect;
use crate::http::{self, NO_STORE};
use crate::pages;
use crate::state::Ent;
use crate::tickets::{Grant, TicketStyle};

const BAD_CREDENTIALS: &str = "Identifiant ou mot de passe incorrect.";
const STALE_FORM: &str = "Ce formulaire de connexion a expiré ou a déjà servi. Veuillez saisir à nouveau vos identifiants.";

/// The query parameters of `/cas/login` (§2.1.1).
#[derive(Debug, Deserialize)]
pub(crate) struct LoginQuery {
    service: Option<String>,
    renew: Option<String>,
    gateway: Option<String>,
}

/// The fields of the login form.
#[derive(Debug, Deserialize)]
pub(crate) struct Credentials {
    username: Option<String>,
    password: Option<String>,
    execution: Option<String>,
    #[serde(rename = "_eventId")]
    event_id: Option<String>,
    /// Some clients post the service as a field rather than in the action URL.
    service: Option<String>,
}

/// A registered service as the client named it (tickets are bound to that exact string) and as a
/// URL (to redirect to).
#[derive(Debug)]
struct Service {
    id: String,
    url: Url,
}

/// `GET /cas/login`.
pub(crate) async fn form(
    State(ent): State<Arc<Ent>>,
    Query(query): Query<LoginQuery>,
    headers: HeaderMap,
) -> Response {
    let now = Instant::now();
    let service = match registered(&ent, query.service) {
        Ok(service) => service,
        Err(refused) => return refused.into_response(),
    };
    // `renew` bypasses SSO and wins over `gateway`, as the protocol recommends.
    if !is_set(query.renew.as_deref()) || ent.has(Defect::CasRenewIgnored) {
        let sso = http::cookie(&headers, TGC).and_then(|tgt| ent.tickets.session_grant(tgt, now));
        if let Some(grant) = sso {
            return match service {
                Some(service) => redirect_with_ticket(&ent, service, grant, None, now),
                None => (NO_STORE, Html(pages::logged_in(&grant.username))).into_response(),
            };
        }
        if is_set(query.gateway.as_deref())
            && !ent.has(Defect::CasGatewayForm)
            && let Some(service) = service
        {
            // No session and no way to make one silently: back to the service, without a ticket.
            return (
                StatusCode::FOUND,
                NO_STORE,
                [(LOCATION, service.url.to_string())],
            )
                .into_response();
        }
    }
    login_form(&ent, service.as_ref(), None, now)
}

/// `POST /cas/login`.
pub(crate) async fn submit(
    State(ent): State<Arc<Ent>>,
    Query(query): Query<LoginQuery>,
    headers: HeaderMap,
    Form(credentials): Form<Credentials>,
) -> Response {
    let now = Instant::now();
    let service = match registered(&ent, query.service.or(credentials.service)) {
        Ok(service) => service,
        Err(refused) => return refused.into_response(),
    };
    // The execution is spent whatever happens next, so a captured form cannot be replayed.
    let fresh = credentials
        .execution
        .is_some_and(|execution| ent.tickets.redeem_execution(&execution, now));
    if !fresh || credentials.event_id.as_deref() != Some("submit") {
        return login_form(&ent, service.as_ref(), Some(STALE_FORM), now);
    }
    let username = credentials.username.unwrap_or_default();
    let password = credentials.password.unwrap_or_default();
    let Some(person) = ent.directory.authenticate(&username, &password) else {
        return login_form(&ent, service.as_ref(), Some(BAD_CREDENTIALS), now);
    };

    // One browser, one SSO session: a new login replaces the previous one.
    if let Some(previous) = http::cookie(&headers, TGC) {
        ent.tickets.end_session(previous);
    }
    let (tgt, grant) = ent.tickets.start_session(person.username, now);
    let cookie = http::session_cookie(&ent, TGC, &tgt, TGC_PATH);
    match service {
        Some(service) => redirect_with_ticket(&ent, service, grant, Some(cookie), now),
        None => (
            NO_STORE,
            [(SET_COOKIE, cookie)],
            Html(pages::logged_in(person.username)),
        )
            .into_response(),
    }
}

/// A service that is not registered: CAS shows an error page instead of issuing a ticket (HTTP
/// 200, like real servers).
#[derive(Debug)]
struct Refused(String);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        (NO_STORE, Html(pages::service_refused(&self.0))).into_response()
    }
}

/// The requested service, if any, when it is registered.
fn registered(ent: &Ent, service: Option<String>) -> Result<Option<Service>, Refused> {
    let Some(id) = service.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    match ent.registered_service(&id) {
        Some(url) => Ok(Some(Service { id, url })),
        None => Err(Refused(id)),
    }
}

/// A fresh form, with a new one-time execution, posting to where this ENT posts logins.
fn login_form(ent: &Ent, service: Option<&Service>, error: Option<&str>, now: Instant) -> Response {
    let execution = ent.tickets.issue_execution(now);
    let action = login_url(&ent.login_action, service.map(|s| s.id.as_str()));
    (
        NO_STORE,
        Html(pages::login_form(&action, &execution, error)),
    )
        .into_response()
}

/// Issues a service ticket and sends the browser to the service with it (§2.2.4), setting the
/// TGC when the login just opened the session.
fn redirect_with_ticket(
    ent: &Ent,
    service: Service,
    grant: Grant,
    set_cookie: Option<String>,
    now: Instant,
) -> Response {
    let style = if ent.has(Defect::CasShortTicket) {
        TicketStyle::Counter
    } else {
        TicketStyle::Random
    };
    let ticket = ent
        .tickets
        .issue_service_ticket(&service.id, grant, style, now);
    let mut location = service.url;
    location.query_pairs_mut().append_pair("ticket", &ticket);
    let redirect = (
        StatusCode::FOUND,
        NO_STORE,
        [(LOCATION, location.to_string())],
    );
    match set_cookie {
        Some(cookie) => ([(SET_COOKIE, cookie)], redirect).into_response(),
        None => redirect.into_response(),
    }
}
