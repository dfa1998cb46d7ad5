//! The home page must offer a way in: a login link or form leading, over HTTPS, to a working
//! login page (a form with a password field) or to the identity provider the ENT delegates to.
//! Links are recognised by where they go (the target's CAS) or by their French label.

use url::Url;

use super::legal_page::{self, same_site};
use super::page::{self, Page};
use super::wording::has;
use crate::http::DEFAULT_MAX_REDIRECTS;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Labels of login links on French portals.
const LOGIN_PHRASES: &[&str] = &[
    "se connecter",
    "me connecter",
    "connectez vous",
    "connexion",
    "s identifier",
    "identifiez vous",
    "identification",
    "s authentifier",
    "authentification",
    "acceder a mon ent",
    "acceder a mon espace",
    "mon espace",
    "educonnect",
    "login",
    "sign in",
];

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let (home_url, home) = legal_page::home(ctx, session).await?;
    let cas_base = ctx.target.cas.as_ref().map(|c| c.base_url.clone());
    if let Some(form) = home.forms.iter().find(|f| f.has_password) {
        return Ok(judge_scheme(
            &form.action,
            "formulaire de connexion",
            "login form",
        ));
    }
    let Some((entry, label)) = entry(&home, cas_base.as_ref()) else {
        return Ok(Finding::fail(
            Text::new(
                "Aucun lien ni formulaire de connexion sur la page d'accueil",
                "No login link or form on the home page",
            ),
            Text::new(
                "un lien « Se connecter » (ou une variante) ou un lien vers le SSO",
                "a « Se connecter » link (or a variant) or a link to the SSO",
            ),
            Text::new(
                format!("{} liens, aucun vers une connexion", home.links.len()),
                format!("{} links, none to a login", home.links.len()),
            ),
        ));
    };
    if entry.scheme() != "https" {
        return Ok(judge_scheme(&entry, "lien de connexion", "login link"));
    }
    let followable =
        |u: &Url| same_site(u, &home_url) || cas_base.as_ref().is_some_and(|c| same_site(u, c));
    let mut url = entry.clone();
    for _ in 0..=DEFAULT_MAX_REDIRECTS {
        if !followable(&url) {
            return Ok(judge_scheme(
                &url,
                "fournisseur d'identité délégué",
                "delegated identity provider",
            ));
        }
        let response = session.read(url.clone()).await?;
        if let Some(error) = ProbeError::from_status(&response) {
            return Err(error);
        }
        if let Some(next) = response.location() {
            url = next;
            continue;
        }
        if response.status.as_u16() != 200 {
            return Ok(Finding::fail(
                Text::new(
                    format!(
                        "Le lien « {label} » est cassé : {url} répond HTTP {}",
                        response.status.as_u16()
                    ),
                    format!(
                        "The « {label} » link is broken: {url} answers HTTP {}",
                        response.status.as_u16()
                    ),
                ),
                Text::new(
                    "une page de connexion (HTTP 200)",
                    "a login page (HTTP 200)",
                ),
                Text::same(format!("HTTP {}", response.status.as_u16())),
            ));
        }
        let page = page::parse(&response.body, &response.url);
        return Ok(judge_login_page(&page, &url, &label));
    }
    Err(ProbeError::Unexpected(Text::new(
        format!("Trop de redirections depuis le lien « {label} »"),
        format!("Too many redirects from the « {label} » link"),
    )))
}

/// The login link: first one to the target's CAS, else the first with a login label.
fn entry(home: &Page, cas_base: Option<&Url>) -> Option<(Url, String)> {
    let to_cas = cas_base.and_then(|base| {
        home.links
            .iter()
            .find(|l| l.url.as_str().starts_with(base.as_str()))
    });
    to_cas
        .or_else(|| {
            home.links
                .iter()
                .find(|l| LOGIN_PHRASES.iter().any(|p| has(&l.label, p)))
        })
        .map(|l| (l.url.clone(), l.raw_label.clone()))
}

fn judge_login_page(page: &Page, url: &Url, label: &str) -> Finding {
    if page.forms.iter().any(|f| f.has_password)
        || page.links.iter().any(|l| has(&l.label, "educonnect"))
    {
        return judge_scheme(url, "page de connexion", "login page");
    }
    Finding::fail(
        Text::new(
            format!("Le lien « {label} » mène à {url}, qui n'offre pas de formulaire de connexion"),
            format!("The « {label} » link leads to {url}, which offers no login form"),
        ),
        Text::new(
            "un formulaire avec un champ mot de passe",
            "a form with a password field",
        ),
        Text::new(
            format!(
                "{} formulaire(s), aucun avec un champ mot de passe",
                page.forms.len()
            ),
            format!("{} form(s), none with a password field", page.forms.len()),
        ),
    )
}

fn judge_scheme(url: &Url, fr: &str, en: &str) -> Finding {
    if url.scheme() == "https" {
        Finding::Pass(Text::new(
            format!("Point d'entrée de connexion depuis l'accueil : {fr} en HTTPS ({url})"),
            format!("Login entry point from the home page: {en} over HTTPS ({url})"),
        ))
    } else {
        Finding::fail(
            Text::new(
                format!("Le point d'entrée de connexion n'est pas en HTTPS : {fr} {url}"),
                format!("The login entry point is not over HTTPS: {en} {url}"),
            ),
            Text::same("https://"),
            Text::same(url.to_string()),
        )
    }
}
