//! Where a password may go. The audited ENT is hostile until proven otherwise: a login page that
//! posts elsewhere, or a login flow that wanders off to another site, must not receive the test
//! account's password. Credentials go only to the login origin the target names (the CAS
//! `base_url`, the SAML IdP's SSO endpoint from its metadata, the OpenID Connect issuer), over
//! HTTPS unless the target allows plain HTTP for a test peer (`tls.allow_http_login`). Anything
//! else is withheld, and the probe that saw it fails: that is a finding, not an accident.

use url::Url;

use crate::http::TransportError;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// The one origin a probe may send a password to.
#[derive(Debug, Clone)]
pub struct LoginOrigin {
    named: Url,
    allow_http: bool,
}

impl LoginOrigin {
    /// The origin of `named`, with the target's HTTP allowance.
    pub fn new(ctx: &Context<'_>, named: &Url) -> Self {
        Self {
            named: named.clone(),
            allow_http: ctx.target.tls.allow_http_login,
        }
    }

    /// `Ok` when the form on `page`, posting to `action`, may receive the password; otherwise
    /// the failing finding, and the password is not sent.
    pub fn admit(&self, page: &Url, action: &Url) -> Result<(), ProbeError> {
        self.same_origin(page, action)?;
        for (what, url) in [("page", page), ("action", action)] {
            if url.scheme() != "https" && !self.allow_http {
                return Err(ProbeError::Fails(Finding::fail(
                    Text::new(
                        format!("Mot de passe non envoyé : il circulerait en clair ({what} {url})"),
                        format!("Password withheld: it would travel in clear ({what} {url})"),
                    ),
                    Text::new(
                        format!("{what} en https://"),
                        format!("{what} over https://"),
                    ),
                    Text::same(format!("{what} {url}")),
                )));
            }
        }
        Ok(())
    }

    /// What an error met on the way to the login form means: a redirect the audit would not
    /// follow (another origin, an internal address) leads the password's page away from the
    /// declared origin, which is the failing finding; any other error stays an error.
    pub fn redirected(&self, error: TransportError) -> ProbeError {
        let TransportError::RedirectNotFollowed(refused) = error else {
            return ProbeError::Transport(error);
        };
        let declared = self.named.origin().ascii_serialization();
        ProbeError::Fails(Finding::fail(
            Text::new(
                format!(
                    "Mot de passe non envoyé : la connexion mène à une autre origine que celle déclarée ({declared}) — {}",
                    refused.0.fr
                ),
                format!(
                    "Password withheld: the login leads to another origin than the declared one ({declared}) — {}",
                    refused.0.en
                ),
            ),
            Text::new(
                format!("connexion sur {declared}"),
                format!("login on {declared}"),
            ),
            refused.0,
        ))
    }

    /// `Ok` when the form's page and action are both on the declared origin.
    pub fn same_origin(&self, page: &Url, action: &Url) -> Result<(), ProbeError> {
        let declared = self.named.origin().ascii_serialization();
        for (what, url) in [("page", page), ("action", action)] {
            if url.origin() != self.named.origin() {
                let found = url.origin().ascii_serialization();
                return Err(ProbeError::Fails(Finding::fail(
                    Text::new(
                        format!(
                            "Mot de passe non envoyé : le formulaire de connexion ({what}) est sur une autre origine ({found}) que celle déclarée ({declared})"
                        ),
                        format!(
                            "Password withheld: the login form ({what}) is on another origin ({found}) than the declared one ({declared})"
                        ),
                    ),
                    Text::new(
                        format!("{what} sur {declared}"),
                        format!("{what} on {declared}"),
                    ),
                    Text::same(format!("{what} {url}")),
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(named: &str, allow_http: bool) -> LoginOrigin {
        LoginOrigin {
            named: Url::parse(named).unwrap(),
            allow_http,
        }
    }

    fn admits(o: &LoginOrigin, page: &str, action: &str) -> bool {
        o.admit(&Url::parse(page).unwrap(), &Url::parse(action).unwrap())
            .is_ok()
    }

    #[test]
    fn only_the_named_origin_over_https() {
        let cas = origin("https://ent.fr/cas/", false);
        assert!(admits(
            &cas,
            "https://ent.fr/cas/login",
            "https://ent.fr/cas/login?x"
        ));
        assert!(!admits(
            &cas,
            "https://ent.fr/cas/login",
            "https://evil.fr/steal"
        ));
        assert!(!admits(
            &cas,
            "https://ent.fr/cas/login",
            "https://ent.fr:8443/cas/login"
        ));
        assert!(!admits(
            &cas,
            "https://sso.ent.fr/login",
            "https://sso.ent.fr/login"
        ));
        let plain = origin("http://127.0.0.1:9000/cas/", false);
        assert!(!admits(
            &plain,
            "http://127.0.0.1:9000/cas/login",
            "http://127.0.0.1:9000/cas/login"
        ));
        let allowed = origin("http://127.0.0.1:9000/cas/", true);
        assert!(admits(
            &allowed,
            "http://127.0.0.1:9000/cas/login",
            "http://127.0.0.1:9000/cas/login"
        ));
        assert!(!admits(
            &allowed,
            "http://127.0.0.1:9000/cas/login",
            "http://127.0.0.1:9001/x"
        ));
    }

    #[test]
    fn withholding_is_a_failure() {
        let cas = origin("https://ent.fr/cas/", false);
        let err = cas
            .admit(
                &Url::parse("https://ent.fr/cas/login").unwrap(),
                &Url::parse("https://evil.fr/").unwrap(),
            )
            .unwrap_err();
        assert!(matches!(err, ProbeError::Fails(Finding::Fail { .. })));
    }
}
