//! The part of the code flow a browser does: following the authorization request through the
//! provider's login form (credentials from the environment) and its consent form, up to the
//! redirect to the client — which is read, never requested.

use url::Url;

use crate::http::{DEFAULT_MAX_REDIRECTS, Request, Response};
use crate::session::Session;
use crate::sso::cas;
use crate::sso::idp_walk::{Provider, Walk};
use crate::sso::login_origin::LoginOrigin;
use crate::{Context, ProbeError};
use sdet_core::target::OidcClient;
use sdet_core::text::Text;

/// How the walk's messages name the provider.
const PROVIDER: Provider = Provider {
    fr: "Le fournisseur",
    en: "The provider",
    what: "OpenID Connect login",
    block: "oidc.client",
};

/// Follows the authorization request through login and consent until the provider redirects to
/// the client's redirect URI; returns that URL (never requested).
pub async fn until_callback(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    client: &OidcClient,
    url: Url,
) -> Result<Url, ProbeError> {
    // The flow starts on the authorization endpoint the discovery document names.
    session.follow_also(&url);
    let login_origin = LoginOrigin::new(ctx, &crate::sso::oidc::target(ctx)?.issuer);
    let mut walk = Walk::start(session.get(url).await?, login_origin, PROVIDER);
    let mut consented = false;
    for _ in 0..2 * DEFAULT_MAX_REDIRECTS {
        if let Some(next) = walk.response.location() {
            if next.as_str().starts_with(client.redirect_uri.as_str()) {
                return Ok(next);
            }
            walk.follow(session, next).await?;
            continue;
        }
        walk.shows_page()?;
        if !walk.logged_in
            && let Some(form) = cas::find_login_form(&walk.response.body, &walk.response.url)
        {
            let account = (
                client.username_env.as_deref(),
                client.password_env.as_deref(),
            );
            walk.log_in(ctx, session, account, |user, password| {
                form.submit(user, password)
            })
            .await?;
        } else if let Some((action, fields)) =
            consent_form(&walk.response).filter(|_| walk.logged_in && !consented)
        {
            // Consent for the audit's own client, after its login: the one form on the page.
            consented = true;
            let consent = Request::post_form(action, fields).from_page(&walk.response.url);
            walk.submit(session, consent).await?;
        } else {
            break;
        }
    }
    let response = &walk.response;
    Err(ProbeError::Unexpected(Text::new(
        format!(
            "Pas de retour au client {} (dernière page {}, HTTP {})",
            client.redirect_uri,
            response.url,
            response.status.as_u16()
        ),
        format!(
            "No return to the client {} (last page {}, HTTP {})",
            client.redirect_uri,
            response.url,
            response.status.as_u16()
        ),
    )))
}

/// The single form of an interaction page (consent), with its hidden fields.
fn consent_form(response: &Response) -> Option<(Url, Vec<(String, String)>)> {
    let doc = scraper::Html::parse_document(&response.body);
    let forms_selector = scraper::Selector::parse("form").ok()?;
    let inputs = scraper::Selector::parse("input[type=hidden]").ok()?;
    let forms: Vec<_> = doc.select(&forms_selector).collect();
    let [form] = forms.as_slice() else {
        return None;
    };
    let action = response
        .url
        .join(form.value().attr("action").unwrap_or(""))
        .ok()?;
    let fields = form
        .select(&inputs)
        .filter_map(|i| {
            Some((
                i.value().attr("name")?.to_string(),
                i.value().attr("value").unwrap_or("").to_string(),
            ))
        })
        .collect();
    Some((action, fields))
}
