//! HTTP Basic authentication for the reference ENT's feeds and WebDAV folder, against the same
//! accounts as the CAS server. Calendar and WebDAV clients speak Basic, not CAS.

use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::directory::Person;
use super::state::Ent;

/// The account whose credentials the request carries, if they are valid.
pub(crate) fn person<'e>(ent: &'e Ent, headers: &HeaderMap) -> Option<&'e Person> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (username, password) = decoded.split_once(':')?;
    ent.directory.authenticate(username, password)
}

/// 401 with the Basic challenge.
pub(crate) fn challenge() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            WWW_AUTHENTICATE,
            "Basic realm=\"ENT du college des Tilleuls\", charset=\"UTF-8\"",
        )],
        "Authentification requise",
    )
        .into_response()
}
