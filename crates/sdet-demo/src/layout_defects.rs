//! Defects that live in the layout every page shares (the `lang` attribute, the footer's link to
//! the legal notice). The layout is rendered by many handlers — the portal's and the CAS
//! server's — so rather than thread the defects through each of them, this middleware removes
//! the exact fragment from HTML responses. The fragments are constants of `pages`, whose tests
//! check every page holds them, so a rewrite can never silently miss.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::defect::Defect;
use super::pages::{LANG_ATTRIBUTE, LEGAL_NOTICE_LINK};
use super::state::Ent;

/// Our pages are small; anything bigger is not one of them.
const MAX_PAGE: usize = 1024 * 1024;

/// Removes the layout fragments that the injected defects say are missing.
pub(crate) async fn apply(State(ent): State<Arc<Ent>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let removals: Vec<&str> = [
        (Defect::NoLang, LANG_ATTRIBUTE),
        (Defect::NoLegalNoticeLink, LEGAL_NOTICE_LINK),
    ]
    .into_iter()
    .filter(|(defect, _)| ent.has(*defect))
    .map(|(_, fragment)| fragment)
    .collect();
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if removals.is_empty() || !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_PAGE).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut html = String::from_utf8_lossy(&bytes).into_owned();
    for fragment in removals {
        html = html.replace(fragment, "");
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(html))
}
