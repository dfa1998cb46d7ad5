//! The closed set of check kinds: one enum variant per kind, with what each needs from the target
//! and the one `match` that runs it. Adding a kind touches this file, one file under
//! `probe/<family>/`, one entry in `probes/<family>.yaml` and one test (see probes/README.md).

use serde::{Deserialize, Serialize};

use super::session::Session;
use super::{Context, Finding, ProbeError, annuaire, interop, portail, sso};

/// The built-in check kinds. Adding one touches this enum, one file under `probe/<family>/`, one
/// entry in `probes/<family>.yaml` and one test (see probes/README.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// Plain HTTP on the portal redirects to HTTPS.
    HttpsRedirect,
    /// HSTS header with a long enough max-age.
    Hsts(portail::hsts::Params),
    /// Content-type sniffing, framing, referrer and CSP headers.
    SecurityHeaders,
    /// Secure, HttpOnly and SameSite on portal and CAS cookies.
    CookieFlags,
    /// The legal notice is linked from the home page and complete.
    LegalNotice,
    /// The accessibility statement is linked and declares an RGAA state.
    AccessibilityStatement,
    /// The personal-data notice is linked from the home page and complete.
    PersonalDataNotice,
    /// Pages declare the expected language.
    HtmlLang(portail::html_lang::Params),
    /// The home page offers a working login entry point.
    LoginEntry,
    /// The CAS login form, over HTTPS.
    CasLoginForm,
    /// Logging in yields a well-formed service ticket.
    CasLoginRoundTrip(sso::cas_login_round_trip::Params),
    /// serviceValidate validates a fresh ticket for the right user.
    CasServiceValidate,
    /// p3/serviceValidate releases attributes.
    CasP3Attributes,
    /// An invented ticket is refused with INVALID_TICKET.
    CasInvalidTicket,
    /// A validated ticket is refused the second time.
    CasTicketReplay,
    /// Logout ends the SSO session.
    CasLogout,
    /// The iCalendar feed is valid, over HTTPS, access-controlled as declared.
    IcalFeed,
    /// The RSS or Atom feed is valid, over HTTPS, with absolute links.
    RssFeed,
    /// The WebDAV folder speaks the protocol to authenticated users only.
    WebdavAccess,
    /// Every GAR export file validates against the official XSD.
    GarExportSchema,
    /// The GAR export's identifiers are unique and its references resolve.
    GarExportReferences,
    /// A ticket presented for another service is refused (INVALID_SERVICE) and invalidated.
    CasServiceMismatch,
    /// Every test account's identity vector is released with the required names and values.
    CasIdentityVector(sso::cas_identity_vector::Params),
    /// `renew` forces credentials; `gateway` never shows a form.
    CasRenewGateway,
    /// The login page cannot be framed by another origin.
    CasFrameProtection,
    /// `/logout` does not redirect to an unregistered service.
    CasLogoutRedirect,
    /// `/proxyValidate` validates service tickets and refuses invented proxy tickets.
    CasProxyValidate,
    /// `/samlValidate` (SAML 1.1) validates a ticket for the right user, refuses an invented one.
    CasSamlValidate,
    /// SAML 2.0 metadata: entityID, roles, bindings, HTTPS endpoints, validity.
    SamlMetadata,
    /// SAML 2.0 certificates: present, valid, strong keys.
    SamlCertificates(sso::saml_certificates::Params),
    /// A SAML 2.0 web SSO round trip yields a signed assertion for the declared SP.
    SamlSsoRoundTrip,
    /// Federation trust: metadata signed by the federation's key, a verified round trip, and the
    /// identity-vector attributes in the verified assertion.
    SamlFederation(sso::saml_federation::Params),
    /// OpenID Connect discovery: required members, same issuer, HTTPS, code flow, no `none`.
    OidcDiscovery,
    /// The provider's JWK Set: reachable, usable signing keys, nothing private.
    OidcJwks(sso::oidc_jwks::Params),
    /// An authorization code flow completes with a verified ID token and a single-use code.
    OidcCodeFlow,
    /// The AAF export: well-formed, per the DTD, named and headed as importers expect.
    AafStructure,
    /// The AAF export: attribute names per kind and degree, required ones present.
    AafAttributes,
    /// The AAF export: value formats.
    AafValues,
    /// The AAF export: identifiers unique, links between records and files resolve.
    AafLinks,
    /// The LDAP directory reflects the AAF export: nobody missing or extra, same profiles,
    /// structures, classes and parent links.
    LdapReconcile,
}

/// What a check needs from the target before it can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The `portal` URL.
    Portal,
    /// The `cas` block.
    Cas,
    /// The `cas` block with at least one test account.
    CasAccount,
    /// `interop.ical`.
    Ical,
    /// `interop.rss`.
    Rss,
    /// `interop.webdav` and `interop.webdav_account`.
    Webdav,
    /// `interop.gar_export`.
    GarExport,
    /// The `cas` block with an account, declaring `proxy_validate: true`.
    CasProxyValidate,
    /// The `cas` block with an account, declaring `saml_validate: true`.
    CasSamlValidate,
    /// The `saml` block.
    Saml,
    /// The `saml` block with an `sp` for the audit.
    SamlSp,
    /// The `saml` block with an `sp` and the federation's `metadata_signing_cert`.
    SamlFederation,
    /// The `oidc` block.
    Oidc,
    /// The `oidc` block with a `client` for the audit.
    OidcClient,
    /// `annuaire.feeds`.
    AafFeeds,
    /// `annuaire.feeds` and `annuaire.ldap`.
    LdapReconcile,
}

impl Check {
    /// Every check kind's name, as written in `probes/*.yaml`.
    pub const KINDS: &'static [&'static str] = &[
        "https_redirect",
        "hsts",
        "security_headers",
        "cookie_flags",
        "legal_notice",
        "accessibility_statement",
        "personal_data_notice",
        "html_lang",
        "login_entry",
        "cas_login_form",
        "cas_login_round_trip",
        "cas_service_validate",
        "cas_p3_attributes",
        "cas_invalid_ticket",
        "cas_ticket_replay",
        "cas_logout",
        "ical_feed",
        "rss_feed",
        "webdav_access",
        "gar_export_schema",
        "gar_export_references",
        "cas_service_mismatch",
        "cas_identity_vector",
        "cas_renew_gateway",
        "cas_frame_protection",
        "cas_logout_redirect",
        "cas_proxy_validate",
        "cas_saml_validate",
        "saml_metadata",
        "saml_certificates",
        "saml_sso_round_trip",
        "saml_federation",
        "oidc_discovery",
        "oidc_jwks",
        "oidc_code_flow",
        "aaf_structure",
        "aaf_attributes",
        "aaf_values",
        "aaf_links",
        "ldap_reconcile",
    ];

    /// Builds a check from its kind and parameters; `Err` says what is wrong with them.
    pub fn from_kind(kind: &str, params: serde_json::Value) -> Result<Check, String> {
        let mut object = match params {
            serde_json::Value::Null => serde_json::Map::new(),
            serde_json::Value::Object(map) => map,
            other => return Err(format!("params must be a mapping, not {other}")),
        };
        if !Self::KINDS.contains(&kind) {
            return Err(format!("unknown check kind `{kind}`"));
        }
        object.insert("kind".into(), serde_json::Value::String(kind.into()));
        serde_json::from_value(serde_json::Value::Object(object)).map_err(|e| e.to_string())
    }

    /// What the check needs from the target.
    pub fn need(&self) -> Need {
        match self {
            Check::HttpsRedirect
            | Check::Hsts(_)
            | Check::SecurityHeaders
            | Check::CookieFlags
            | Check::LegalNotice
            | Check::AccessibilityStatement
            | Check::PersonalDataNotice
            | Check::HtmlLang(_)
            | Check::LoginEntry => Need::Portal,
            Check::CasLoginForm
            | Check::CasInvalidTicket
            | Check::CasFrameProtection
            | Check::CasLogoutRedirect => Need::Cas,
            Check::CasLoginRoundTrip(_)
            | Check::CasServiceValidate
            | Check::CasP3Attributes
            | Check::CasTicketReplay
            | Check::CasLogout
            | Check::CasServiceMismatch
            | Check::CasIdentityVector(_)
            | Check::CasRenewGateway => Need::CasAccount,
            Check::CasProxyValidate => Need::CasProxyValidate,
            Check::CasSamlValidate => Need::CasSamlValidate,
            Check::SamlMetadata | Check::SamlCertificates(_) => Need::Saml,
            Check::SamlSsoRoundTrip => Need::SamlSp,
            Check::SamlFederation(_) => Need::SamlFederation,
            Check::OidcDiscovery | Check::OidcJwks(_) => Need::Oidc,
            Check::OidcCodeFlow => Need::OidcClient,
            Check::IcalFeed => Need::Ical,
            Check::RssFeed => Need::Rss,
            Check::WebdavAccess => Need::Webdav,
            Check::GarExportSchema | Check::GarExportReferences => Need::GarExport,
            Check::AafStructure | Check::AafAttributes | Check::AafValues | Check::AafLinks => {
                Need::AafFeeds
            }
            Check::LdapReconcile => Need::LdapReconcile,
        }
    }

    pub(super) async fn run(
        &self,
        ctx: &Context<'_>,
        session: &mut Session<'_>,
    ) -> Result<Finding, ProbeError> {
        match self {
            Check::HttpsRedirect => portail::https_redirect::run(ctx, session).await,
            Check::Hsts(p) => portail::hsts::run(p, ctx, session).await,
            Check::SecurityHeaders => portail::security_headers::run(ctx, session).await,
            Check::CookieFlags => portail::cookie_flags::run(ctx, session).await,
            Check::LegalNotice => portail::legal_notice::run(ctx, session).await,
            Check::AccessibilityStatement => {
                portail::accessibility_statement::run(ctx, session).await
            }
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
}
