//! The reference ENT as a SAML 2.0 identity provider, as far as its metadata goes: what a
//! federation partner (a service, the académie) loads to trust it, and what `saml.metadata` and
//! `saml.certificates` judge. The signing certificate comes from the demo's private CA, valid a
//! year. The single sign-on endpoints it announces answer 501: this ENT does not run SAML web
//! SSO (signing assertions needs XML canonicalisation), says so rather than pretending, and its
//! target declares no `saml.sp`, so `saml.sso_round_trip` is skipped with that reason.
//!
//! Defects: `saml-expired-certificate` publishes a certificate that ended a month ago;
//! `saml-http-endpoint` announces the HTTP-Redirect endpoint on the plain-HTTP listener.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::defect::Defect;
use super::state::Ent;

/// The media type of SAML metadata (SAML 2.0 metadata, appendix).
const CONTENT: &str = "application/samlmetadata+xml";

/// Until when partners may rely on a fetched copy: a fixed day, like the signing certificate's
/// validity (`tls.rs`), so the audit says the same of it on every day.
const VALID_UNTIL: &str = "2045-01-01T00:00:00Z";

/// The IdP's routes.
pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new()
        .route("/saml/metadata", get(metadata))
        .route("/saml/sso", get(not_implemented).post(not_implemented))
        .route("/saml/slo", get(not_implemented).post(not_implemented))
}

async fn metadata(State(ent): State<Arc<Ent>>) -> Response {
    ([(CONTENT_TYPE, CONTENT)], document(&ent)).into_response()
}

/// The metadata document.
pub(crate) fn document(ent: &Ent) -> String {
    let base = &ent.https_base;
    let redirect_base = if ent.has(Defect::SamlHttpEndpoint) {
        &ent.http_base
    } else {
        base
    };
    let valid_until = format!(" validUntil=\"{VALID_UNTIL}\"");
    let binding = "urn:oasis:names:tc:SAML:2.0:bindings";
    let nameid = "urn:oasis:names:tc:SAML:2.0:nameid-format";
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{base}saml/idp"{valid_until} cacheDuration="PT6H">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="{binding}:HTTP-Redirect" Location="{base}saml/slo"/>
    <md:NameIDFormat>{nameid}:persistent</md:NameIDFormat>
    <md:NameIDFormat>{nameid}:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="{binding}:HTTP-Redirect" Location="{redirect_base}saml/sso"/>
    <md:SingleSignOnService Binding="{binding}:HTTP-POST" Location="{base}saml/sso"/>
  </md:IDPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="fr">ENT de référence (démo sdet-audit)</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="fr">ENT de référence</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="fr">{base}</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>
"#,
        certificate = ent.saml_certificate,
    )
}

async fn not_implemented() -> Response {
    (
        StatusCode::NOT_IMPLEMENTED,
        "L'authentification unique SAML n'est pas implémentée par l'ENT de référence.\n",
    )
        .into_response()
}
