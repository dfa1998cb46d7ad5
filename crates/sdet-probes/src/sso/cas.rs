//! What every CAS check shares: building protocol URLs, finding the login form in the page,
//! logging in with a test account, and reading validation responses.

mod response;

use scraper::{Html, Selector};
use url::Url;

use super::login_origin::LoginOrigin;
use crate::http::{Request, Response, TransportError};
use crate::session::{BackChannel, Session};
use crate::unavailable;
use crate::{Context, ProbeError};
use sdet_core::target::{Account, CasTarget};
use sdet_core::text::Text;

pub use response::{PROTOCOL_ATTRIBUTES, ValidationResponse, parse_validation};

/// The plan guarantees the `cas` block exists when a CAS check runs.
pub fn target<'a>(ctx: &Context<'a>) -> Result<&'a CasTarget, ProbeError> {
    ctx.target.cas.as_ref().ok_or_else(|| {
        ProbeError::Unexpected(Text::new("Aucun CAS dans la cible", "No CAS in the target"))
    })
}

/// `<base>/login?service=…` plus extra parameters.
pub fn login_url(cas: &CasTarget, extra: &[(&str, &str)]) -> Url {
    endpoint(cas, "login", &[("service", cas.service.as_str())], extra)
}

/// The CAS login page as a browser gets it, redirects followed, for the checks that judge the
/// page itself (its headers, its form). It must answer with the page: an overloaded or failing
/// server, or any other status but success, leaves such a check undecided. `on_the_way` says
/// what an error before the page means — for a check about the password's way, a redirect away
/// from the CAS is the finding (see `LoginOrigin::redirected`). The page is only read, never
/// posted, so it is a shared read (`Session::read_following`); a login (`login_with`) gets a page
/// of its own, whose single-use form token no other probe has seen.
pub async fn login_page(
    session: &mut Session<'_>,
    cas: &CasTarget,
    on_the_way: impl FnOnce(TransportError) -> ProbeError,
) -> Result<Response, ProbeError> {
    let page = session
        .read_following(login_url(cas, &[]))
        .await
        .map_err(on_the_way)?;
    unavailable(&page, "/login")?;
    if !page.status.is_success() {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "La page de connexion CAS répond HTTP {}",
                page.status.as_u16()
            ),
            format!("The CAS login page answers HTTP {}", page.status.as_u16()),
        )));
    }
    Ok(page)
}

/// `<base>/<path>?<params>`.
pub fn endpoint(
    cas: &CasTarget,
    path: &str,
    params: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Url {
    let mut url = cas
        .base_url
        .join(path)
        .unwrap_or_else(|_| cas.base_url.clone());
    url.query_pairs_mut()
        .extend_pairs(params.iter().chain(extra));
    url
}

/// A login form found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginForm {
    /// Where the form posts, resolved against the page.
    pub action: Url,
    /// The page it was found on.
    pub page: Url,
    /// Hidden and pre-filled fields to send back (execution, lt, _eventId…).
    pub fields: Vec<(String, String)>,
    /// Name of the user-name field.
    pub username_field: String,
    /// Name of the password field.
    pub password_field: String,
}

impl LoginForm {
    /// The POST of this form filled in with `user` and `password`, its hidden and pre-filled
    /// fields sent back as they came, with the `Origin` and `Referer` a browser sends from the
    /// page: CSRF protection over HTTPS (Django's, for one) requires them.
    pub fn submit(&self, user: String, password: String) -> Request {
        let mut fields = self.fields.clone();
        fields.push((self.username_field.clone(), user));
        fields.push((self.password_field.clone(), password));
        Request::post_form(self.action.clone(), fields).from_page(&self.page)
    }
}

/// Finds the form that holds a password field. `None` when the page has none.
pub fn find_login_form(html: &str, page: &Url) -> Option<LoginForm> {
    let doc = Html::parse_document(html);
    let forms = Selector::parse("form").ok()?;
    let inputs = Selector::parse("input, button").ok()?;
    for form in doc.select(&forms) {
        let mut fields = Vec::new();
        let (mut user, mut password) = (None, None);
        for input in form.select(&inputs) {
            let attr = |a| input.value().attr(a);
            let Some(name) = attr("name").map(str::to_string) else {
                continue;
            };
            // A <button> without a type is a submit button, not a text field.
            let default_type = if input.value().name() == "button" {
                "submit"
            } else {
                "text"
            };
            match attr("type")
                .unwrap_or(default_type)
                .to_ascii_lowercase()
                .as_str()
            {
                "password" => password = Some(name),
                "text" | "email" if user.is_none() => user = Some(name),
                "checkbox" | "radio" | "reset" | "file" | "image" => {}
                _ => fields.push((name, attr("value").unwrap_or("").to_string())),
            }
        }
        if let (Some(username_field), Some(password_field)) = (user, password) {
            let action = form.value().attr("action").unwrap_or("");
            let action = if action.is_empty() {
                page.clone()
            } else {
                page.join(action).ok()?
            };
            return Some(LoginForm {
                action,
                page: page.clone(),
                fields,
                username_field,
                password_field,
            });
        }
    }
    None
}

/// Credentials of the first test account, from the environment.
pub fn credentials(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<(String, String), ProbeError> {
    let account = target(ctx)?.accounts.first().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun compte de test déclaré",
            "No test account declared",
        ))
    })?;
    account_credentials(ctx, session, account)
}

/// Credentials of `account`, from the environment; the password is masked from then on.
pub fn account_credentials(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    account: &Account,
) -> Result<(String, String), ProbeError> {
    credentials_from(ctx, session, &account.username_env, &account.password_env)
}

/// The user name and password held in the environment variables `username_env` and
/// `password_env`, for a login form (CAS, or an identity provider's); the password is masked in
/// the evidence from then on, before it is ever sent.
pub fn credentials_from(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    username_env: &str,
    password_env: &str,
) -> Result<(String, String), ProbeError> {
    let get = |var: &str| {
        ctx.secrets
            .get(var)
            .ok_or_else(|| ProbeError::Credentials(var.to_string()))
    };
    let (user, password) = (get(username_env)?, get(password_env)?);
    session.redactor.add_secret(&password);
    Ok((user, password))
}

/// Logs in with the first test account and returns the service ticket from the redirect to the
/// service.
pub async fn login(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<String, ProbeError> {
    let credentials = credentials(ctx, session)?;
    login_with(ctx, session, credentials).await
}

/// Logs in through the form with these credentials and returns the service ticket.
pub async fn login_with(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    (user, password): (String, String),
) -> Result<String, ProbeError> {
    let cas = target(ctx)?;
    let login_origin = LoginOrigin::new(ctx, &cas.base_url);
    let page = session
        .get_following(login_url(cas, &[]))
        .await
        .map_err(|e| login_origin.redirected(e))?;
    unavailable(&page, "/login")?;
    let form = find_login_form(&page.body, &page.url).ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun formulaire de connexion (champ mot de passe) sur la page de login CAS",
            "No login form (password field) on the CAS login page",
        ))
    })?;
    login_origin.admit(&form.page, &form.action)?;
    let mut response = session.send(form.submit(user, password)).await?;
    // Some servers bounce through their own pages (warn, session) before the service.
    let mut seen = vec![response.url.clone()];
    while let Some(next) = response.location() {
        if let Some(ticket) = ticket_for_service(&next, &cas.service) {
            return Ok(ticket);
        }
        let Some(next) = session.next_hop(&response, &mut seen)? else {
            break;
        };
        response = session.get(next).await?;
    }
    Err(ProbeError::Unexpected(Text::new(
        format!(
            "La connexion avec le compte de test n'a pas renvoyé de ticket (HTTP {}) : identifiants refusés ?",
            response.status.as_u16()
        ),
        format!(
            "Logging in with the test account returned no ticket (HTTP {}): credentials refused?",
            response.status.as_u16()
        ),
    )))
}

/// The `ticket` parameter of a redirect, if it goes to the service.
pub fn ticket_for_service(location: &Url, service: &Url) -> Option<String> {
    let same_service = location.origin() == service.origin() && location.path() == service.path();
    same_service.then(|| {
        location
            .query_pairs()
            .find(|(k, _)| k == "ticket")
            .map(|(_, v)| v.into_owned())
    })?
}

/// Validates `ticket` on `path` (`serviceValidate` or `p3/serviceValidate`) and reads the answer.
/// Validation is the service's server speaking to CAS: it goes on the back channel.
pub async fn validate(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
    path: &str,
    ticket: &str,
) -> Result<ValidationResponse, ProbeError> {
    let service = target(ctx)?.service.clone();
    validate_for(ctx, back, path, ticket, &service, &[]).await
}

/// Validates `ticket` on `path` for `service`, with extra parameters (`renew`…).
pub async fn validate_for(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
    path: &str,
    ticket: &str,
    service: &Url,
    extra: &[(&str, &str)],
) -> Result<ValidationResponse, ProbeError> {
    let cas = target(ctx)?;
    let url = endpoint(
        cas,
        path,
        &[("service", service.as_str()), ("ticket", ticket)],
        extra,
    );
    let response = back.get(url).await?;
    unavailable(&response, path)?;
    if !response.status.is_success() {
        return Ok(ValidationResponse::HttpStatus(response.status.as_u16()));
    }
    parse_validation(&response.body).map_err(ProbeError::Unexpected)
}

/// A ticket no CAS server issued: the right prefix and alphabet, random, as long as real ones.
pub fn invented_ticket() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    let body: String = (0..40)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("ST-{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_apereo_style_form() {
        let page = Url::parse("https://ent.fr/cas/login?service=x").unwrap();
        let html = r#"<form method="post" action="/cas/login?service=x"><input type="text" name="username">
            <input type="password" name="password"><input type="hidden" name="execution" value="e1s1">
            <input type="hidden" name="_eventId" value="submit"><input type="checkbox" name="warn"></form>"#;
        let form = find_login_form(html, &page).unwrap();
        assert_eq!(form.action.as_str(), "https://ent.fr/cas/login?service=x");
        assert_eq!(form.username_field, "username");
        assert_eq!(
            form.fields,
            vec![
                ("execution".into(), "e1s1".into()),
                ("_eventId".into(), "submit".into())
            ]
        );
        assert!(find_login_form("<p>no form</p>", &page).is_none());
    }

    #[test]
    fn a_form_is_posted_with_the_headers_a_browser_sends() {
        let header = |r: &Request, name: &str| {
            r.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let page = Url::parse("https://ent.fr/cas/login?service=x#top").unwrap();
        let html = r#"<form method="post" action="/cas/login?service=x"><input name="username">
            <input type="password" name="password"></form>"#;
        let post = find_login_form(html, &page)
            .unwrap()
            .submit("eleve".into(), "secret".into());
        assert_eq!(header(&post, "Origin").as_deref(), Some("https://ent.fr"));
        assert_eq!(
            header(&post, "Referer").as_deref(),
            Some("https://ent.fr/cas/login?service=x")
        );
        // Posted to another origin, the page's path stays behind.
        let elsewhere = Request::post_form(Url::parse("https://idp.fr/login").unwrap(), vec![])
            .from_page(&page);
        assert_eq!(
            header(&elsewhere, "Referer").as_deref(),
            Some("https://ent.fr/")
        );
    }

    #[test]
    fn ticket_only_from_the_service() {
        let service = Url::parse("https://ent.fr/app/").unwrap();
        let ok = Url::parse("https://ent.fr/app/?ticket=ST-1-abc").unwrap();
        let other = Url::parse("https://evil.fr/app/?ticket=ST-1-abc").unwrap();
        assert_eq!(
            ticket_for_service(&ok, &service).as_deref(),
            Some("ST-1-abc")
        );
        assert_eq!(ticket_for_service(&other, &service), None);
    }
}
