//! The reference ENT's shared state: what every handler reads. A defect is decided in one
//! place ([`Ent::has`]).

use std::collections::BTreeSet;

use base64::Engine as _;
use url::Url;

use super::defect::Defect;
use super::directory::Directory;
use super::keys::SigningKey;
use super::tickets::TicketStore;

/// Everything the handlers share.
#[derive(Debug)]
pub(crate) struct Ent {
    /// The injected non-conformities.
    pub defects: BTreeSet<Defect>,
    /// `https://127.0.0.1:<port>/`.
    pub https_base: Url,
    /// `http://127.0.0.1:<port>/`.
    pub http_base: Url,
    /// `https_base` + `cas/`.
    pub cas_base: Url,
    /// The registered CAS service, `https_base` + `service/`.
    pub service: Url,
    /// Where the login form posts: `/cas/login`, or the plain-HTTP URL with `cas-http-login`.
    pub login_action: String,
    /// The school and its accounts.
    pub directory: Directory,
    /// Service tickets, SSO sessions and login-form executions.
    pub tickets: TicketStore,
    /// The SAML IdP's signing certificate, base64 DER, as metadata carries it.
    pub saml_certificate: String,
    /// The OpenID Connect provider's public signing key.
    pub oidc_key: SigningKey,
}

/// The keys of the federation side (SAML IdP, OpenID Connect provider).
#[derive(Debug)]
pub(crate) struct FederationKeys {
    /// The SAML signing certificate, DER.
    pub saml_certificate: Vec<u8>,
    /// The OpenID Connect signing key.
    pub oidc_key: SigningKey,
}

impl Ent {
    /// The state of a fresh reference ENT at these base URLs.
    #[expect(
        clippy::similar_names,
        reason = "https_* and http_* name the two listeners"
    )]
    pub(crate) fn new(
        defects: BTreeSet<Defect>,
        https_base: Url,
        http_base: Url,
        keys: FederationKeys,
    ) -> Result<Ent, url::ParseError> {
        let login_action = if defects.contains(&Defect::CasHttpLogin) {
            http_base.join("cas/login")?.to_string()
        } else {
            "/cas/login".to_owned()
        };
        Ok(Ent {
            cas_base: https_base.join("cas/")?,
            service: https_base.join("service/")?,
            login_action,
            directory: Directory::generate(),
            tickets: TicketStore::default(),
            saml_certificate: base64::engine::general_purpose::STANDARD
                .encode(&keys.saml_certificate),
            oidc_key: keys.oidc_key,
            defects,
            https_base,
            http_base,
        })
    }

    /// Whether `defect` was injected.
    pub(crate) fn has(&self, defect: Defect) -> bool {
        self.defects.contains(&defect)
    }

    /// `candidate` as a URL if it is a registered CAS service: the registered service URL or any
    /// URL under it, on the same origin. Real CAS servers also match services by pattern; anything
    /// else must be refused so tickets never reach an unknown site.
    pub(crate) fn registered_service(&self, candidate: &str) -> Option<Url> {
        let url = Url::parse(candidate).ok()?;
        let same_origin = url.origin() == self.service.origin();
        (same_origin && url.path().starts_with(self.service.path())).then_some(url)
    }
}
