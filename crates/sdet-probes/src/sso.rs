//! Single sign-on checks. The SDET makes CAS the ENT's own SSO for its services; these checks
//! follow the Apereo CAS protocol specification (2.0 and 3.0) and judge answers on their meaning,
//! since real servers' success responses often do not match the protocol's XSD. Identity
//! federation (EduConnect, the académie's desks) is SAML 2.0: its metadata and certificates are
//! judged after the OASIS metadata specification, and OpenID Connect providers after OpenID
//! Connect Discovery 1.0.

pub mod cas;
pub mod cas_frame_protection;
pub mod cas_identity_vector;
pub mod cas_invalid_ticket;
pub mod cas_login_form;
pub mod cas_login_round_trip;
pub mod cas_logout;
pub mod cas_logout_redirect;
pub mod cas_p3_attributes;
pub mod cas_proxy_validate;
pub mod cas_renew_gateway;
pub mod cas_saml_validate;
pub mod cas_service_mismatch;
pub mod cas_service_validate;
pub mod cas_ticket_replay;
pub mod idp_walk;
pub mod login_origin;
pub mod oidc;
pub mod oidc_code_flow;
pub mod oidc_discovery;
pub mod oidc_jwks;
pub mod saml;
pub mod saml_certificates;
pub mod saml_federation;
pub mod saml_metadata;
pub mod saml_sso_round_trip;
