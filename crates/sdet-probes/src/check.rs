//! How each check kind runs: the one `match` from a [`Check`] (declared in the catalogue) to
//! the function under `probe/<family>/` that implements it.

use super::session::Session;
use super::{Context, Finding, ProbeError, annuaire, interop, portail, sso};
use sdet_core::catalog::Check;

/// Runs `check`.
pub(super) async fn run(
    check: &Check,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    match check {
        Check::HttpsRedirect => portail::https_redirect::run(ctx, session).await,
        Check::Hsts(p) => portail::hsts::run(p, ctx, session).await,
        Check::SecurityHeaders => portail::security_headers::run(ctx, session).await,
        Check::CookieFlags => portail::cookie_flags::run(ctx, session).await,
        Check::LegalNotice => portail::legal_notice::run(ctx, session).await,
        Check::AccessibilityStatement => portail::accessibility_statement::run(ctx, session).await,
        Check::PersonalDataNotice => portail::personal_data_notice::run(ctx, session).await,
        Check::HtmlLang(p) => portail::html_lang::run(p, ctx, session).await,
        Check::LoginEntry => portail::login_entry::run(ctx, session).await,
        Check::CasLoginForm => sso::cas_login_form::run(ctx, session).await,
        Check::CasLoginRoundTrip(p) => sso::cas_login_round_trip::run(p, ctx, session).await,
        Check::CasServiceValidate => sso::cas_service_validate::run(ctx, session).await,
        Check::CasP3Attributes => sso::cas_p3_attributes::run(ctx, session).await,
        Check::CasInvalidTicket => sso::cas_invalid_ticket::run(ctx, session).await,
        Check::CasTicketReplay => sso::cas_ticket_replay::run(ctx, session).await,
        Check::CasLogout => sso::cas_logout::run(ctx, session).await,
        Check::IcalFeed => interop::ical::run(ctx, session).await,
        Check::RssFeed => interop::feed::run(ctx, session).await,
        Check::WebdavAccess => interop::webdav::run(ctx, session).await,
        Check::GarExportSchema => interop::gar_export_schema::run(ctx).await,
        Check::GarExportReferences => interop::gar_export_references::run(ctx).await,
        Check::CasServiceMismatch => sso::cas_service_mismatch::run(ctx, session).await,
        Check::CasIdentityVector(p) => sso::cas_identity_vector::run(p, ctx, session).await,
        Check::CasRenewGateway => sso::cas_renew_gateway::run(ctx, session).await,
        Check::CasFrameProtection => sso::cas_frame_protection::run(ctx, session).await,
        Check::CasLogoutRedirect => sso::cas_logout_redirect::run(ctx, session).await,
        Check::CasProxyValidate => sso::cas_proxy_validate::run(ctx, session).await,
        Check::CasSamlValidate => sso::cas_saml_validate::run(ctx, session).await,
        Check::SamlMetadata => sso::saml_metadata::run(ctx, session).await,
        Check::SamlCertificates(p) => sso::saml_certificates::run(p, ctx, session).await,
        Check::SamlSsoRoundTrip => sso::saml_sso_round_trip::run(ctx, session).await,
        Check::SamlFederation(p) => sso::saml_federation::run(p, ctx, session).await,
        Check::OidcDiscovery => sso::oidc_discovery::run(ctx, session).await,
        Check::OidcJwks(p) => sso::oidc_jwks::run(p, ctx, session).await,
        Check::OidcCodeFlow => sso::oidc_code_flow::run(ctx, session).await,
        Check::AafStructure => annuaire::aaf_structure::run(ctx).await,
        Check::AafAttributes => annuaire::aaf_attributes::run(ctx).await,
        Check::AafValues => annuaire::aaf_values::run(ctx).await,
        Check::AafLinks => annuaire::aaf_links::run(ctx).await,
        Check::LdapReconcile => annuaire::ldap_reconcile::run(ctx, session).await,
    }
}
