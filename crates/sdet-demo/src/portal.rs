//! The public portal: the home page, the pages French law and the SDET expect every ENT to
//! publish (legal notice, accessibility statement, personal-data notice), and the demo CAS
//! service that tickets are sent to.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::defect::Defect;
use super::state::Ent;
use super::{cas, http, pages, random_alphanumeric};

/// The portal's session cookie, set on the home page like a real ENT's application session.
pub(crate) const SESSION_COOKIE: &str = "ENTSESSION";

/// Random characters of a portal session id.
const SESSION_ID_LEN: usize = 32;

/// The portal's routes.
pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new()
        .route("/", get(home))
        .route("/mentions-legales", get(legal_notice))
        .route("/accessibilite", get(accessibility))
        .route("/donnees-personnelles", get(privacy))
        .route("/service/", get(demo_service))
}

/// The home page; opens a portal session for a browser that has none.
async fn home(State(ent): State<Arc<Ent>>, headers: HeaderMap) -> Response {
    let login_url = cas::login_url("/cas/login", Some(ent.service.as_str()));
    let page = Html(pages::home(
        (!ent.has(Defect::NoLoginLink)).then_some(login_url.as_str()),
    ));
    if http::cookie(&headers, SESSION_COOKIE).is_some() {
        return page.into_response();
    }
    let session_id = random_alphanumeric(SESSION_ID_LEN);
    let cookie = http::session_cookie(&ent, SESSION_COOKIE, &session_id, "/");
    ([(SET_COOKIE, cookie)], page).into_response()
}

async fn legal_notice(State(ent): State<Arc<Ent>>) -> Html<String> {
    Html(pages::legal_notice(&ent.directory.school.uai))
}

async fn accessibility(State(ent): State<Arc<Ent>>) -> Html<String> {
    Html(pages::accessibility(
        !ent.has(Defect::AccessibilityNoStatus),
    ))
}

async fn privacy(State(ent): State<Arc<Ent>>) -> Response {
    if ent.has(Defect::PrivacyNoticeBroken) {
        return not_found().await.into_response();
    }
    Html(pages::privacy()).into_response()
}

#[derive(Debug, Deserialize)]
struct ServiceQuery {
    ticket: Option<String>,
}

/// The registered CAS service. It only shows the ticket: validating it here would consume it
/// before the audit (or a curious developer) could.
async fn demo_service(Query(query): Query<ServiceQuery>) -> Html<String> {
    Html(pages::demo_service(
        query.ticket.as_deref().unwrap_or("(aucun)"),
    ))
}

/// Any unknown path.
pub(crate) async fn not_found() -> (StatusCode, Html<String>) {
    (StatusCode::NOT_FOUND, Html(pages::not_found()))
}
