//! The reference ENT as an OpenID Connect provider: its discovery document and its JWK Set, which
//! is what the audit's `oidc.*` probes judge. Issuer `https://127.0.0.1:<port>/oidc`; the key is
//! an RSA 2048 key made at start (RS256 is the algorithm discovery requires). The authorization
//! and token endpoints it announces answer 501: this ENT does not run the code flow (the
//! `oidc.code_flow` probe is planned), and says so rather than pretending.
//!
//! Defects: `oidc-issuer-mismatch` announces another issuer than the one discovery is read from;
//! `oidc-alg-none` offers unsigned ID tokens on the implicit flow.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use serde_json::json;

use super::defect::Defect;
use super::state::Ent;

/// The provider's routes.
pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new()
        .route("/oidc/.well-known/openid-configuration", get(discovery))
        .route("/oidc/jwks", get(jwks))
        .route(
            "/oidc/authorize",
            get(not_implemented).post(not_implemented),
        )
        .route("/oidc/token", get(not_implemented).post(not_implemented))
}

/// The issuer: `https_base` + `oidc`, without a trailing slash.
pub(crate) fn issuer(ent: &Ent) -> String {
    format!("{}oidc", ent.https_base)
}

async fn discovery(State(ent): State<Arc<Ent>>) -> Json<serde_json::Value> {
    let issuer = issuer(&ent);
    let announced = if ent.has(Defect::OidcIssuerMismatch) {
        format!("{}auth/openid", ent.https_base)
    } else {
        issuer.clone()
    };
    let (mut algs, mut types) = (vec!["RS256"], vec!["code"]);
    if ent.has(Defect::OidcAlgNone) {
        // `none` beside the code flow alone is allowed; beside the implicit flow it is not.
        algs.push("none");
        types.push("id_token");
    }
    Json(json!({
        "issuer": announced,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": types,
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algs,
        "scopes_supported": ["openid", "profile", "email"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        "claims_supported": ["sub", "name", "given_name", "family_name", "email"],
    }))
}

async fn jwks(State(ent): State<Arc<Ent>>) -> Json<serde_json::Value> {
    let key = &ent.oidc_key;
    Json(json!({
        "keys": [{ "kty": "RSA", "use": "sig", "alg": "RS256", "kid": key.kid, "n": key.n, "e": key.e }]
    }))
}

async fn not_implemented() -> Response {
    (
        StatusCode::NOT_IMPLEMENTED,
        "Le flux authorization code n'est pas implémenté par l'ENT de référence.\n",
    )
        .into_response()
}
