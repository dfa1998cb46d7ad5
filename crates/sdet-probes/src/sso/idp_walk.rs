//! A browser's walk through an identity provider's pages, as the SAML and OpenID Connect round
//! trips both take it: redirects followed within the audit's reach, every page required to
//! answer, and the login form filled in with the test credentials the target declares — the
//! password going only to the declared login origin ([`LoginOrigin`]). Where the walk ends (the
//! SAML response form, the redirect to the OpenID Connect client) and what it judges there are
//! each round trip's own.

use url::Url;

use super::login_origin::LoginOrigin;
use crate::http::{Request, Response};
use crate::session::Session;
use crate::{Context, ProbeError};
use sdet_core::text::Text;

/// How the walk's messages name the provider and the target's block that declares its account.
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    /// The provider, as the subject of a French sentence: `L'IdP`.
    pub fr: &'static str,
    /// The provider, as the subject of an English sentence: `The IdP`.
    pub en: &'static str,
    /// What an unavailable provider is called (see [`crate::unavailable`]).
    pub what: &'static str,
    /// The target's block holding `username_env` and `password_env`: `saml.sp`.
    pub block: &'static str,
}

/// Where a walk stands: the page it is on, and whether it has logged in.
pub struct Walk {
    /// The provider's last answer.
    pub response: Response,
    /// Whether the login form has been submitted: after it, the password has already gone.
    pub logged_in: bool,
    /// The redirects followed since the last form, to stop loops.
    seen: Vec<Url>,
    origin: LoginOrigin,
    provider: Provider,
}

impl Walk {
    /// A walk from the provider's first answer; the password may go only to `origin`.
    pub fn start(response: Response, origin: LoginOrigin, provider: Provider) -> Self {
        Self {
            seen: vec![response.url.clone()],
            response,
            logged_in: false,
            origin,
            provider,
        }
    }

    /// Follows the current answer's redirect to `next`. Before the login, a redirect the audit
    /// will not follow leads the password's page away from the declared origin, which is the
    /// failing finding; after it, it is a plain transport error.
    pub async fn follow(&mut self, session: &mut Session<'_>, next: Url) -> Result<(), ProbeError> {
        let next = match session.next_hop(&self.response, &mut self.seen) {
            Ok(hop) => hop.unwrap_or(next),
            Err(e) if self.logged_in => return Err(e.into()),
            Err(e) => return Err(self.origin.redirected(e)),
        };
        self.response = session.get(next).await?;
        Ok(())
    }

    /// `Ok` when the current answer is a page to read: an overloaded or failing provider leaves
    /// the round trip undecided, and so does any other status but success.
    pub fn shows_page(&self) -> Result<(), ProbeError> {
        crate::unavailable(&self.response, self.provider.what)?;
        if !self.response.status.is_success() {
            let (status, url) = (self.response.status.as_u16(), &self.response.url);
            let Provider { fr, en, .. } = self.provider;
            return Err(ProbeError::Unexpected(Text::new(
                format!("{fr} répond HTTP {status} ({url})"),
                format!("{en} answers HTTP {status} ({url})"),
            )));
        }
        Ok(())
    }

    /// Logs in through the login form on the current page: `fill` makes its POST from the test
    /// account's user name and password (`account`, the variables the target's block names), and
    /// it is sent once the login origin admits both the page and where the form posts.
    pub async fn log_in(
        &mut self,
        ctx: &Context<'_>,
        session: &mut Session<'_>,
        account: (Option<&str>, Option<&str>),
        fill: impl FnOnce(String, String) -> Request,
    ) -> Result<(), ProbeError> {
        let (user, password) = self.credentials(ctx, session, account)?;
        let login = fill(user, password);
        self.origin.admit(&self.response.url, &login.url)?;
        self.logged_in = true;
        self.submit(session, login).await
    }

    /// The test account's user name and password, from the environment; the password is masked
    /// in the evidence from then on. A login form with no account declared leaves the round trip
    /// undecided.
    fn credentials(
        &self,
        ctx: &Context<'_>,
        session: &mut Session<'_>,
        account: (Option<&str>, Option<&str>),
    ) -> Result<(String, String), ProbeError> {
        let (Some(username_env), Some(password_env)) = account else {
            let Provider { fr, en, block, .. } = self.provider;
            return Err(ProbeError::Unexpected(Text::new(
                format!(
                    "{fr} affiche un formulaire de connexion mais {block} ne déclare ni username_env ni password_env"
                ),
                format!(
                    "{en} shows a login form but {block} declares no username_env / password_env"
                ),
            )));
        };
        super::cas::credentials_from(ctx, session, username_env, password_env)
    }

    /// Sends a form the current page holds; its answer starts a new run of redirects.
    pub async fn submit(
        &mut self,
        session: &mut Session<'_>,
        form: Request,
    ) -> Result<(), ProbeError> {
        self.response = session.send(form).await?;
        self.seen = vec![self.response.url.clone()];
        Ok(())
    }
}
