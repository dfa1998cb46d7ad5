//! The path every legal-page check shares: read the home page, find the link a visitor would
//! click (by its French label, or its address when the label is an icon), follow it on the same
//! site, and make sure what answers is an HTML page that really is the one announced — not an
//! error page served with status 200, not the home page again. Each step that goes wrong gives a
//! precise fail: no link, broken link, wrong page, missing content.

use url::Url;

use super::legal_kinds::{LegalPage, Required};
use super::page::{self, Link, Page};
use super::portal;
use super::wording::has;
use crate::http::Response;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Characters of text, from the top, in which a page's subject must appear when neither its
/// title nor its `<h1>` names it.
const LEAD: usize = 400;

/// The legal page, found and read.
pub struct Found {
    /// The link followed from the home page.
    pub link: Link,
    /// The page it leads to.
    pub page: Page,
    /// Where the page was finally served from.
    pub url: Url,
}

/// A message in French and English, with `{link}` standing for the link followed: see
/// [`check_complete`].
pub type Said = (&'static str, &'static str);

/// Reads the portal's home page; an unusable home page leaves the check undecided.
pub async fn home(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<(Url, Page), ProbeError> {
    let response = session.read_following(portal(ctx)?).await?;
    if !response.status.is_success() {
        return Err(ProbeError::Unexpected(Text::new(
            format!("La page d'accueil répond HTTP {}", response.status.as_u16()),
            format!("The home page answers HTTP {}", response.status.as_u16()),
        )));
    }
    let page = page::parse(&response.body, &response.url);
    Ok((response.url, page))
}

/// Finds the link to `kind` on the home page, follows it and checks the page is what it says.
/// `Ok(Err(finding))` is a fail found on the way.
async fn open(
    kind: LegalPage,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Result<Found, Finding>, ProbeError> {
    let (fr, en) = kind.names();
    let (home_url, home) = home(ctx, session).await?;
    let Some(link) = find_link(kind, &home).cloned() else {
        return Ok(Err(Finding::fail(
            Text::new(
                format!(
                    "Aucun lien vers la {fr} sur la page d'accueil ({} liens lus)",
                    home.links.len()
                ),
                format!(
                    "No link to the {en} on the home page ({} links read)",
                    home.links.len()
                ),
            ),
            Text::new(
                format!(
                    "un lien intitulé « {} » (ou une variante)",
                    kind.link_phrases()[0]
                ),
                format!(
                    "a link labelled « {} » (or a variant)",
                    kind.link_phrases()[0]
                ),
            ),
            Text::new("aucun", "none"),
        )));
    };
    if !same_site(&link.url, &home_url) {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "Le lien « {} » mène hors du site ({}) : non suivi, à vérifier à la main",
                link.raw_label, link.url
            ),
            format!(
                "The link « {} » leaves the site ({}): not followed, check by hand",
                link.raw_label, link.url
            ),
        )));
    }
    let response = get_on_site(session, &link.url, &home_url).await?;
    if let Some(problem) = not_a_page(&response) {
        return Ok(Err(Finding::fail(
            Text::new(
                format!(
                    "Le lien « {} » vers la {fr} est cassé : {}",
                    link.raw_label, problem.fr
                ),
                format!(
                    "The link « {} » to the {en} is broken: {}",
                    link.raw_label, problem.en
                ),
            ),
            Text::same("HTTP 200, text/html"),
            Text::new(
                format!("{} {}", response.url, problem.fr),
                format!("{} {}", response.url, problem.en),
            ),
        )));
    }
    let page = page::parse(&response.body, &response.url);
    if !is_about(kind, &page) {
        let title = page.title.trim().to_string();
        return Ok(Err(Finding::fail(
            Text::new(
                format!(
                    "La page liée par « {} » n'est pas la {fr} (titre : « {title} »)",
                    link.raw_label
                ),
                format!(
                    "The page linked as « {} » is not the {en} (title: « {title} »)",
                    link.raw_label
                ),
            ),
            Text::new(
                format!("un titre nommant « {} »", kind.title_phrases()[0]),
                format!("title or heading naming « {} »", kind.title_phrases()[0]),
            ),
            Text::new(format!("titre « {title} »"), format!("title « {title} »")),
        )));
    }
    Ok(Ok(Found {
        link,
        page,
        url: response.url,
    }))
}

/// Runs a legal-page check. The three legal pages differ only in what is judged once the page is
/// found: each is reached the same way (see [`open`]) and must first hold the elements the law
/// requires of its kind (see [`missing`]), so any fail on the way is decided here, the same for
/// all three, and `judge` sees only a page that is linked, really the one announced and complete.
pub async fn check(
    kind: LegalPage,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    judge: impl FnOnce(&Found) -> Finding,
) -> Result<Finding, ProbeError> {
    let found = match open(kind, ctx, session).await? {
        Ok(found) => found,
        Err(fail) => return Ok(fail),
    };
    let lacking = missing(kind, &found.page);
    if !lacking.is_empty() {
        return Ok(incomplete(kind, &found, &lacking));
    }
    Ok(judge(&found))
}

/// Runs the check of a legal page the law asks nothing more of than to be linked, genuine and
/// complete (see [`check`]): it passes with `passed`, where `{link}` stands for the link
/// followed (« its label », then where it led).
pub async fn check_complete(
    kind: LegalPage,
    (fr, en): Said,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    check(kind, ctx, session, |found| {
        let link = format!("« {} », {}", found.link.raw_label, found.url);
        Finding::Pass(Text::new(
            fr.replace("{link}", &link),
            en.replace("{link}", &link),
        ))
    })
    .await
}

/// GETs `url` and follows redirects as long as they stay on `home`'s site: a legal page that
/// redirects elsewhere is not followed (no traffic leaves the audited site), which leaves the
/// check undecided rather than failed.
pub async fn get_on_site(
    session: &mut Session<'_>,
    url: &Url,
    home: &Url,
) -> Result<Response, ProbeError> {
    let mut seen = vec![url.clone()];
    let mut response = session.read(url.clone()).await?;
    while let Some(next) = response.location() {
        if !same_site(&next, home) {
            return Err(ProbeError::Unexpected(Text::new(
                format!("{url} redirige hors du site ({next}) : non suivi, à vérifier à la main"),
                format!("{url} redirects off the site ({next}): not followed, check by hand"),
            )));
        }
        // The site's other hosts are the portal's too (the address rules still apply).
        session.follow_also(&next);
        let Some(next) = session.next_hop(&response, &mut seen)? else {
            break;
        };
        response = session.read(next).await?;
    }
    // An overloaded or failing server says nothing about the page: undecided, not missing.
    if let Some(error) = ProbeError::from_status(&response) {
        return Err(error);
    }
    Ok(response)
}

/// The first link labelled as `kind`; failing that, the first whose path names it.
pub fn find_link(kind: LegalPage, page: &Page) -> Option<&Link> {
    page.links
        .iter()
        .find(|l| kind.link_phrases().iter().any(|p| has(&l.label, p)))
        .or_else(|| {
            page.links.iter().find(|l| {
                let path = super::wording::normalize(l.url.path()).replace(' ', "-");
                kind.href_hints().iter().any(|h| path.contains(h))
            })
        })
}

/// Same host, or one a subdomain of the other (`www.` and `ent.` of one domain).
pub fn same_site(a: &Url, b: &Url) -> bool {
    // Another port is another service (an admin console, another vendor's server), even on the
    // same host; the default ports of http and https are the same site.
    if a.port() != b.port() {
        return false;
    }
    match (a.host_str(), b.host_str()) {
        (Some(x), Some(y)) => {
            x == y || x.ends_with(&format!(".{y}")) || y.ends_with(&format!(".{x}"))
        }
        _ => false,
    }
}

/// Why a response is not a usable HTML page, if it is not.
fn not_a_page(response: &Response) -> Option<Text> {
    let status = response.status.as_u16();
    if status != 200 {
        return Some(Text::new(
            format!("HTTP {status}"),
            format!("HTTP {status}"),
        ));
    }
    let content_type = response
        .header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let html = content_type.contains("text/html") || content_type.contains("application/xhtml+xml");
    if !content_type.is_empty() && !html {
        return Some(Text::new(
            format!("contenu {content_type} au lieu d'une page HTML"),
            format!("{content_type} content instead of an HTML page"),
        ));
    }
    if response.body.trim().is_empty() {
        return Some(Text::new("page vide", "empty page"));
    }
    None
}

/// Whether the page's title, main heading or opening text names `kind`.
fn is_about(kind: LegalPage, page: &Page) -> bool {
    let mut end = LEAD.min(page.text.len());
    while !page.text.is_char_boundary(end) {
        end -= 1;
    }
    let lead = format!("{} ", &page.text[..end]);
    kind.title_phrases()
        .iter()
        .any(|p| has(&page.title, p) || has(&page.headings, p) || has(&lead, p))
}

/// The required elements `page` lacks.
fn missing(kind: LegalPage, page: &Page) -> Vec<&'static Required> {
    kind.required()
        .iter()
        .filter(|r| !r.phrases.iter().any(|p| has(&page.text, p)))
        .collect()
}

/// A fail naming the missing elements of an incomplete legal page.
fn incomplete(kind: LegalPage, found: &Found, missing: &[&Required]) -> Finding {
    let (fr, en) = kind.names();
    let list_fr: Vec<&str> = missing.iter().map(|r| r.fr).collect();
    let list_en: Vec<&str> = missing.iter().map(|r| r.en).collect();
    Finding::fail(
        Text::new(
            format!(
                "La {fr} ({}) est incomplète : il manque {}",
                found.url,
                list_fr.join(", ")
            ),
            format!(
                "The {en} ({}) is incomplete: missing {}",
                found.url,
                list_en.join(", ")
            ),
        ),
        Text::new(
            kind.required()
                .iter()
                .map(|r| r.fr)
                .collect::<Vec<_>>()
                .join(", "),
            kind.required()
                .iter()
                .map(|r| r.en)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Text::new(
            format!("manquants : {}", list_fr.join(", ")),
            format!("missing: {}", list_en.join(", ")),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_site_allows_subdomains_only() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(!same_site(
            &u("https://127.0.0.1:8443/mentions"),
            &u("https://127.0.0.1:9443/")
        ));
        assert!(same_site(&u("http://ent.fr/"), &u("https://ent.fr/")));
        assert!(same_site(
            &u("https://ent.ac-x.fr/a"),
            &u("https://ent.ac-x.fr/")
        ));
        assert!(same_site(
            &u("https://www.monlycee.net/"),
            &u("https://monlycee.net/")
        ));
        assert!(!same_site(
            &u("https://evil.example/"),
            &u("https://ent.ac-x.fr/")
        ));
        assert!(!same_site(
            &u("https://x-ent.ac-x.fr/"),
            &u("https://ent.ac-x.fr/")
        ));
    }

    #[test]
    fn finds_links_by_label_then_by_path() {
        let base = Url::parse("https://ent.example.fr/").unwrap();
        let page = page::parse(
            r#"<a href="/a">Accueil</a><a href="/mentions-legales"><img alt=""></a>
            <a href="/p">Politique de confidentialité</a><a href="/x">Accessibilité&nbsp;: non conforme</a>"#,
            &base,
        );
        assert_eq!(
            find_link(LegalPage::LegalNotice, &page).unwrap().url.path(),
            "/mentions-legales"
        );
        assert_eq!(
            find_link(LegalPage::PersonalData, &page)
                .unwrap()
                .url
                .path(),
            "/p"
        );
        assert_eq!(
            find_link(LegalPage::Accessibility, &page)
                .unwrap()
                .url
                .path(),
            "/x"
        );
    }
}
