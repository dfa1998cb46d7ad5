//! Pages must declare their language (`<html lang="fr">`, RGAA criterion 8.3; WCAG 3.1.1) so that
//! screen readers pronounce them right. Checks the home page and the legal pages it links to
//! (same site only), and that the language is the expected one — French for a French ENT.

use super::legal_kinds::LegalPage;
use super::legal_page::{self, find_link, same_site};
use super::page;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use sdet_core::catalog::params::html_lang::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let (home_url, home) = legal_page::home(ctx, session).await?;
    let mut pages = vec![(home_url.to_string(), home.lang.clone())];
    let kinds = [
        LegalPage::LegalNotice,
        LegalPage::Accessibility,
        LegalPage::PersonalData,
    ];
    let links: Vec<_> = kinds
        .iter()
        .filter_map(|k| find_link(*k, &home))
        .filter(|l| same_site(&l.url, &home_url))
        .map(|l| l.url.clone())
        .collect();
    for url in links {
        let response = legal_page::get_on_site(session, &url, &home_url).await?;
        // A broken legal page is its own probe's finding; only pages that answer are judged here.
        if response.status.as_u16() == 200 {
            let page = page::parse(&response.body, &response.url);
            pages.push((response.url.to_string(), page.lang));
        }
    }
    let wrong = pages
        .iter()
        .filter(|(_, lang)| {
            !lang
                .as_deref()
                .is_some_and(|l| matches(l, &params.expected))
        })
        .map(|(url, lang)| {
            let found = lang.as_deref().map(|l| format!("lang=\"{l}\""));
            (
                format!("{url} ({})", found.clone().unwrap_or("sans lang".into())),
                format!("{url} ({})", found.unwrap_or("no lang".into())),
            )
        })
        .collect::<Vec<(String, String)>>();
    if wrong.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!(
                "{} page(s) déclarent la langue « {} »",
                pages.len(),
                params.expected
            ),
            format!(
                "{} page(s) declare the language « {} »",
                pages.len(),
                params.expected
            ),
        )));
    }
    let (fr, en): (Vec<String>, Vec<String>) = wrong.into_iter().unzip();
    let list = en.join("; ");
    Ok(Finding::fail(
        Text::new(
            format!("Langue absente ou inattendue : {}", fr.join(" ; ")),
            format!("Missing or unexpected language: {list}"),
        ),
        Text::same(format!("<html lang=\"{}\">", params.expected)),
        Text::new(fr.join(" ; "), list),
    ))
}

/// Whether a `lang` value's primary subtag is `expected` (`fr-FR`, `FR`, even the common
/// `fr_FR`, are French).
fn matches(lang: &str, expected: &str) -> bool {
    lang.split(['-', '_'])
        .next()
        .is_some_and(|primary| primary.trim().eq_ignore_ascii_case(expected))
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn matches_primary_subtags() {
        assert!(matches("fr", "fr"));
        assert!(matches("fr-FR", "fr"));
        assert!(matches("FR_fr", "fr"));
        assert!(!matches("en", "fr"));
        assert!(!matches("", "fr"));
        assert!(!matches("fra", "fr"));
    }
}
