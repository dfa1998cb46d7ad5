//! The CAS server of the reference ENT, after the Apereo CAS protocol specification 3.0 (which
//! also covers CAS 1.0 and 2.0).
//!
//! SSO is where an ENT's security is won or lost, so the audit's CAS probes need a server that
//! gets every rule right, and then each rule wrong on demand: service tickets bound to their
//! service, single-use and short-lived; a ticket-granting cookie scoped to `/cas`; registered
//! services only; logout that really ends the session. Login and logout are in `login` and
//! `logout`, validation in `validate` (XML in `xml`), and what the server remembers in `tickets`.

pub(crate) mod login;
mod logout;
mod validate;
mod xml;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use url::form_urlencoded;

use super::state::Ent;

/// The ticket-granting cookie: its value is the TGT id of the browser's SSO session.
pub(crate) const TGC: &str = "TGC";

/// The TGC's path, as restrictive as possible (protocol §3.6.1): only the CAS server sees it.
pub(crate) const TGC_PATH: &str = "/cas";

/// The CAS routes.
pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new()
        .route("/cas/login", get(login::form).post(login::submit))
        .route("/cas/logout", get(logout::logout))
        .route("/cas/validate", get(validate::validate))
        .route("/cas/serviceValidate", get(validate::service_validate))
        .route("/cas/proxyValidate", get(validate::proxy_validate))
        .route(
            "/cas/p3/serviceValidate",
            get(validate::p3_service_validate),
        )
        .route("/cas/p3/proxyValidate", get(validate::p3_proxy_validate))
}

/// `login` (a path or an absolute URL) with the `service` parameter URL-encoded, as the protocol
/// requires for service URLs in parameters.
pub(crate) fn login_url(login: &str, service: Option<&str>) -> String {
    match service {
        Some(service) => {
            let encoded: String = form_urlencoded::byte_serialize(service.as_bytes()).collect();
            format!("{login}?service={encoded}")
        }
        None => login.to_owned(),
    }
}

/// Whether a flag parameter (`renew`, `gateway`) is set. The protocol speaks of the parameter
/// being "set" and recommends the value `true`; anything but `false` counts as set.
fn is_set(value: Option<&str>) -> bool {
    value.is_some_and(|v| v != "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_is_url_encoded_in_login_urls() {
        assert_eq!(
            login_url(
                "/cas/login",
                Some("https://127.0.0.1:8443/service/?a=1&b=2")
            ),
            "/cas/login?service=https%3A%2F%2F127.0.0.1%3A8443%2Fservice%2F%3Fa%3D1%26b%3D2"
        );
        assert_eq!(login_url("/cas/login", None), "/cas/login");
    }

    #[test]
    fn flags_are_set_unless_false_or_absent() {
        assert!(is_set(Some("true")));
        assert!(is_set(Some("")));
        assert!(!is_set(Some("false")));
        assert!(!is_set(None));
    }
}
