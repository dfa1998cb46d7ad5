//! The routes of the reference ENT's two listeners. Both serve the same state ([`Ent`]), so a
//! reader sees here, on one screen, what each listener answers with and without defects.

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::post;

use super::defect::Defect;
use super::http::Transport;
use super::state::Ent;
use super::{agenda, cas, dav, http, layout_defects, news, oidc, portal, saml};

/// The HTTPS listener: the portal and the CAS server, with security headers on every response.
pub(crate) fn https_router(ent: Arc<Ent>) -> Router {
    site()
        .layer(middleware::from_fn_with_state(
            Arc::clone(&ent),
            layout_defects::apply,
        ))
        .layer(middleware::from_fn_with_state(
            (Arc::clone(&ent), Transport::Https),
            http::protective_headers,
        ))
        .with_state(ent)
}

/// The plain-HTTP listener: a permanent redirect to HTTPS for every request.
///
/// With `no-https-redirect` it serves the whole site in clear instead. With `cas-http-login` it
/// also accepts the login form's POST, since that is where the defective form sends it.
pub(crate) fn http_router(ent: Arc<Ent>) -> Router {
    if ent.has(Defect::NoHttpsRedirect) {
        return site()
            .layer(middleware::from_fn_with_state(
                (Arc::clone(&ent), Transport::PlainHttp),
                http::protective_headers,
            ))
            .with_state(ent);
    }
    let mut router = Router::new();
    if ent.has(Defect::CasHttpLogin) {
        let login = post(cas::login::submit).fallback(http::redirect_to_https);
        router = router.route("/cas/login", login);
    }
    router.fallback(http::redirect_to_https).with_state(ent)
}

/// The pages and endpoints of the ENT, whichever listener serves them.
fn site() -> Router<Arc<Ent>> {
    Router::new()
        .merge(portal::routes())
        .merge(agenda::routes())
        .merge(news::routes())
        .merge(dav::routes())
        .merge(cas::routes())
        .merge(saml::routes())
        .merge(oidc::routes())
        .fallback(portal::not_found)
}
