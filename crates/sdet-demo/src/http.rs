//! HTTP hygiene shared by the portal and the CAS server: security headers, session cookies and the
//! plain-HTTP listener's redirect.
//!
//! These are exactly what the `portail` probes judge, so each value is written once, here, next
//! to the defect that removes it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, COOKIE, LOCATION, PRAGMA, REFERRER_POLICY,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::defect::Defect;
use super::state::Ent;

/// HSTS for one year, subdomains included: above the six months the probes require.
pub(crate) const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Only our own resources, and never inside a frame (the CAS login form must not be framed).
pub(crate) const CSP: &str = "default-src 'self'; frame-ancestors 'none'";

/// The CSP of `cas-frameable-login`: the same, less `frame-ancestors`.
pub(crate) const CSP_FRAMEABLE: &str = "default-src 'self'";

/// Headers that keep credentials and tickets out of caches (CAS protocol, appendix B).
pub(crate) const NO_STORE: [(HeaderName, &str); 2] =
    [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")];

/// Which listener a response leaves by, for [`protective_headers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    /// The HTTPS listener.
    Https,
    /// The plain-HTTP listener.
    PlainHttp,
}

/// Adds the protective headers to every response, and HSTS to those over HTTPS only: browsers
/// must ignore HSTS received over an insecure transport (RFC 6797 §8.1), so sending it there
/// proves nothing.
pub(crate) async fn protective_headers(
    State((ent, transport)): State<(Arc<Ent>, Transport)>,
    request: Request,
    next: Next,
) -> Response {
    let cas = is_cas(&request);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if transport == Transport::Https && !ent.has(Defect::NoHsts) {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    insert_protective_headers(&ent, headers, cas);
    response
}

/// Whether the request is for the CAS server, whose pages the portal's defects leave alone.
fn is_cas(request: &Request) -> bool {
    request.uri().path().starts_with("/cas/")
}

/// The protective headers. Each defect strips them from one side only, so that one probe fails:
/// `missing-security-headers` from the portal, `cas-frameable-login` the framing ones from CAS.
fn insert_protective_headers(ent: &Ent, headers: &mut HeaderMap, cas: bool) {
    if ent.has(Defect::MissingSecurityHeaders) && !cas {
        return;
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if cas && ent.has(Defect::CasFrameableLogin) {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP_FRAMEABLE),
        );
    } else {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
}

/// Answers any plain-HTTP request with a permanent redirect to the same path and query over HTTPS.
pub(crate) async fn redirect_to_https(State(ent): State<Arc<Ent>>, uri: Uri) -> Response {
    let path_and_query = uri.path_and_query().map_or("/", |pq| pq.as_str());
    // Prefix the origin rather than `Url::join`: joining `//host/…` would leave our origin and turn
    // the listener into an open redirect.
    let origin = ent.https_base.as_str().trim_end_matches('/');
    let location = format!("{origin}{path_and_query}");
    (StatusCode::MOVED_PERMANENTLY, [(LOCATION, location)]).into_response()
}

/// A `Set-Cookie` value for a session cookie (no `Max-Age`: it ends with the browser session).
pub(crate) fn session_cookie(ent: &Ent, name: &str, value: &str, path: &str) -> String {
    with_protective_flags(ent, format!("{name}={value}; Path={path}"))
}

/// A `Set-Cookie` value that deletes a cookie set by [`session_cookie`].
pub(crate) fn expired_cookie(ent: &Ent, name: &str, path: &str) -> String {
    let deleted = "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
    with_protective_flags(ent, format!("{name}=; Path={path}; {deleted}"))
}

/// Conforming cookies are `Secure` (HTTPS only), `HttpOnly` (out of scripts' reach) and
/// `SameSite=Lax` (not sent on cross-site subrequests); `insecure-cookies` drops all three.
fn with_protective_flags(ent: &Ent, cookie: String) -> String {
    if ent.has(Defect::InsecureCookies) {
        cookie
    } else {
        cookie + "; Secure; HttpOnly; SameSite=Lax"
    }
}

/// The value of the request cookie `name`, if sent.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; ENTSESSION=xyz"));
        headers.append(COOKIE, HeaderValue::from_static("TGC=TGT-abc"));
        assert_eq!(cookie(&headers, "ENTSESSION"), Some("xyz"));
        assert_eq!(cookie(&headers, "TGC"), Some("TGT-abc"));
        assert_eq!(cookie(&headers, "TG"), None);
    }
}
