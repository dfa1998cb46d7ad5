//! The closed set of check kinds: one enum variant per kind, with its parameters and what it
//! needs from the target. What a kind *does* lives downstream, in `probe/` (see
//! probes/README.md for the places adding a kind touches).

use serde::{Deserialize, Serialize};

use crate::text::Text;

use super::params::{
    cas_identity_vector, cas_login_round_trip, hsts, html_lang, oidc_jwks, saml_certificates,
    saml_federation,
};

/// The built-in check kinds. Their names in `probes/*.yaml` are the variants' names in
/// snake_case, derived (serde for reading, strum for the list of names), never written twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, strum::VariantNames)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Check {
    /// Plain HTTP on the portal redirects to HTTPS.
    HttpsRedirect,
    /// HSTS header with a long enough max-age.
    Hsts(hsts::Params),
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
    HtmlLang(html_lang::Params),
    /// The home page offers a working login entry point.
    LoginEntry,
    /// The CAS login form, over HTTPS.
    CasLoginForm,
    /// Logging in yields a well-formed service ticket.
    CasLoginRoundTrip(cas_login_round_trip::Params),
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
    CasIdentityVector(cas_identity_vector::Params),
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
    SamlCertificates(saml_certificates::Params),
    /// A SAML 2.0 web SSO round trip yields a signed assertion for the declared SP.
    SamlSsoRoundTrip,
    /// Federation trust: metadata signed by the federation's key, a verified round trip, and the
    /// identity-vector attributes in the verified assertion.
    SamlFederation(saml_federation::Params),
    /// OpenID Connect discovery: required members, same issuer, HTTPS, code flow, no `none`.
    OidcDiscovery,
    /// The provider's JWK Set: reachable, usable signing keys, nothing private.
    OidcJwks(oidc_jwks::Params),
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

/// How long a check usually runs (see [`Check::length`]); the longer compares greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Length {
    /// About this many round trips to the ENT, one after the other.
    RoundTrips(usize),
    /// As long as the data it reads takes: an export or a directory, minutes at académie scale.
    Data,
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
    pub const KINDS: &'static [&'static str] = <Check as strum::VariantNames>::VARIANTS;

    /// Builds a check from its kind and parameters; `Err` says what is wrong with them.
    pub fn from_kind(kind: &str, params: serde_json::Value) -> Result<Check, Text> {
        let mut object = match params {
            serde_json::Value::Null => serde_json::Map::new(),
            serde_json::Value::Object(map) => map,
            other => {
                return Err(crate::fr_en!(
                    "`params` doit être une table, pas {}",
                    "params must be a mapping, not {}",
                    other
                ));
            }
        };
        if !Self::KINDS.contains(&kind) {
            return Err(crate::fr_en!(
                "type de contrôle inconnu `{kind}`",
                "unknown check kind `{kind}`"
            ));
        }
        object.insert("kind".into(), serde_json::Value::String(kind.into()));
        serde_json::from_value(serde_json::Value::Object(object))
            .map_err(|e| crate::parse_error::json_reason(&e))
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

    /// How long a check of this kind usually runs, for the scheduler only: an audit starts its
    /// longest checks first, so the longest chain of round trips does not begin after the short
    /// ones have filled the politeness limits (longest processing time first). A guess from what
    /// the check sends on a conforming ENT, never a limit: redirects, retries and a failure met
    /// early change it, and the results are the same in whatever order checks start.
    /// `accounts` is the number of CAS test accounts the target declares.
    pub fn length(&self, accounts: usize) -> Length {
        use Length::{Data, RoundTrips};
        match self {
            Check::Hsts(_)
            | Check::SecurityHeaders
            | Check::CasLoginForm
            | Check::CasInvalidTicket
            | Check::CasFrameProtection
            | Check::SamlMetadata
            | Check::SamlCertificates(_)
            | Check::OidcDiscovery
            | Check::RssFeed => RoundTrips(1),
            Check::HttpsRedirect
            | Check::CookieFlags
            | Check::LegalNotice
            | Check::AccessibilityStatement
            | Check::PersonalDataNotice
            | Check::LoginEntry
            | Check::CasLoginRoundTrip(_)
            | Check::CasLogoutRedirect
            | Check::OidcJwks(_)
            | Check::IcalFeed => RoundTrips(2),
            Check::CasServiceValidate | Check::CasP3Attributes => RoundTrips(3),
            Check::HtmlLang(_)
            | Check::CasTicketReplay
            | Check::CasServiceMismatch
            | Check::CasProxyValidate
            | Check::CasSamlValidate
            | Check::WebdavAccess => RoundTrips(4),
            Check::SamlSsoRoundTrip => RoundTrips(5),
            Check::CasLogout
            | Check::CasRenewGateway
            | Check::SamlFederation(_)
            | Check::OidcCodeFlow => RoundTrips(6),
            // A login (form and post) and a validation per account, one account after another.
            Check::CasIdentityVector(_) => RoundTrips(3 * accounts.max(1)),
            Check::GarExportSchema
            | Check::GarExportReferences
            | Check::AafStructure
            | Check::AafAttributes
            | Check::AafValues
            | Check::AafLinks
            | Check::LdapReconcile => Data,
        }
    }
}
