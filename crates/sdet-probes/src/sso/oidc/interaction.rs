//! The part of the code flow a browser does: following the authorization request through the
//! provider's login form (credentials from the environment) and its consent form, up to the
//! redirect to the client — which is read, never requested.

use url::Url;

use crate::http::{DEFAULT_MAX_REDIRECTS, Request, Response};
use crate::session::Session;
use crate::sso::cas;
use crate::sso::login_origin::LoginOrigin;
use crate::{Context, ProbeError};
use sdet_core::target::OidcClient;
use sdet_core::text::Text;

fn unexpected(fr: &str, en: &str) -> ProbeError {
    ProbeError::Unexpected(Text::new(fr, en))
}

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
    let mut response: Response = session.get(url).await?;
    let (mut logged_in, mut consented) = (false, false);
    let mut seen = vec![response.url.clone()];
    for _ in 0..2 * DEFAULT_MAX_REDIRECTS {
        if let Some(next) = response.location() {
            if next.as_str().starts_with(client.redirect_uri.as_str()) {
                return Ok(next);
            }
            let next = match session.next_hop(&response, &mut seen) {
                Ok(hop) => hop.unwrap_or(next),
                Err(e) if logged_in => return Err(e.into()),
                Err(e) => return Err(login_origin.redirected(e)),
            };
            response = session.get(next).await?;
            continue;
        }
        crate::unavailable(&response, "OpenID Connect login")?;
        if !response.status.is_success() {
            return Err(unexpected(
                &format!(
                    "Le fournisseur répond HTTP {} ({})",
                    response.status.as_u16(),
                    response.url
                ),
                &format!(
                    "The provider answers HTTP {} ({})",
                    response.status.as_u16(),
                    response.url
                ),
            ));
        }
        let request = if let Some(form) =
            cas::find_login_form(&response.body, &response.url).filter(|_| !logged_in)
        {
            let (Some(user_env), Some(password_env)) = (&client.username_env, &client.password_env)
            else {
                return Err(unexpected(
                    "Le fournisseur affiche un formulaire de connexion mais oidc.client ne déclare ni username_env ni password_env",
                    "The provider shows a login form but oidc.client declares no username_env / password_env",
                ));
            };
            let user = ctx
                .secrets
                .get(user_env)
                .ok_or_else(|| ProbeError::Credentials(user_env.clone()))?;
            let password = ctx
                .secrets
                .get(password_env)
                .ok_or_else(|| ProbeError::Credentials(password_env.clone()))?;
            session.redactor.add_secret(&password);
            login_origin.admit(&response.url, &form.action)?;
            logged_in = true;
            let mut fields = form.fields.clone();
            fields.push((form.username_field.clone(), user));
            fields.push((form.password_field.clone(), password));
            Request::post_form(form.action, fields)
        } else if let Some((action, fields)) =
            consent_form(&response).filter(|_| logged_in && !consented)
        {
            // Consent for the audit's own client, after its login: the one form on the page.
            consented = true;
            Request::post_form(action, fields)
        } else {
            break;
        };
        response = session.send(request).await?;
        seen = vec![response.url.clone()];
    }
    Err(unexpected(
        &format!(
            "Pas de retour au client {} (dernière page {}, HTTP {})",
            client.redirect_uri,
            response.url,
            response.status.as_u16()
        ),
        &format!(
            "No return to the client {} (last page {}, HTTP {})",
            client.redirect_uri,
            response.url,
            response.status.as_u16()
        ),
    ))
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
