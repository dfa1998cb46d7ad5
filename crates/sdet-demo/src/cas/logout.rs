//! `/cas/logout`: ends the SSO session (CAS protocol §2.3).
//!
//! Deleting the browser's cookie is not enough: whoever copied the TGC could keep using it. So
//! the server forgets the ticket-granting ticket itself; `cas-logout-keeps-session` skips exactly
//! that step, and still deletes the cookie, which is what makes the flaw invisible to a user.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{TGC, TGC_PATH};
use crate::defect::Defect;
use crate::http::{self, NO_STORE};
use crate::pages;
use crate::state::Ent;

/// The query parameters of `/cas/logout`. CAS 2.0's `url` is deliberately absent: CAS 3.0 servers
/// must ignore it.
#[derive(Debug, Deserialize)]
pub(crate) struct LogoutQuery {
    service: Option<String>,
}

/// `GET /cas/logout[?service=…]`.
pub(crate) async fn logout(
    State(ent): State<Arc<Ent>>,
    Query(query): Query<LogoutQuery>,
    headers: HeaderMap,
) -> Response {
    if !ent.has(Defect::CasLogoutKeepsSession)
        && let Some(tgt) = http::cookie(&headers, TGC)
    {
        ent.tickets.end_session(tgt);
    }
    let cookie = [(SET_COOKIE, http::expired_cookie(&ent, TGC, TGC_PATH))];
    // CAS 3.0: back to the service if it is registered; an unregistered one gets the page, so
    // logout can never be used to bounce a user to an arbitrary site.
    let service = query.service.and_then(|s| ent.registered_service(&s));
    match service {
        Some(url) => (
            StatusCode::FOUND,
            NO_STORE,
            cookie,
            [(LOCATION, url.to_string())],
        )
            .into_response(),
        None => (NO_STORE, cookie, Html(pages::logged_out())).into_response(),
    }
}
