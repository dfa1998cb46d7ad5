//! The HTML pages of the reference ENT, rendered from the templates in `pages/`.
//!
//! The pages are French, like a real ENT's, because the portal probes read them: the `lang`
//! attribute, the links to the legal pages, the RGAA conformity status. Templates are files so a
//! reader sees the HTML whole; the only logic is filling `{{name}}` slots, where text is escaped
//! and only pre-rendered fragments go in raw.

use quick_xml::escape::escape;

/// The share of RGAA 4.1 criteria the accessibility statement claims to meet.
pub(crate) const RGAA_RATE: &str = "82 %";

const LAYOUT: &str = include_str!("pages/layout.html");
const HOME: &str = include_str!("pages/accueil.html");
const LEGAL_NOTICE: &str = include_str!("pages/mentions-legales.html");
const LOGIN_LINK: &str = include_str!("pages/lien-connexion.html");
const ACCESSIBILITY: &str = include_str!("pages/accessibilite.html");
const ACCESSIBILITY_STATUS: &str = include_str!("pages/accessibilite-etat.html");
const PRIVACY: &str = include_str!("pages/donnees-personnelles.html");
const LOGIN: &str = include_str!("pages/connexion.html");
const LOGIN_ERROR: &str = include_str!("pages/connexion-erreur.html");
const SERVICE_REFUSED: &str = include_str!("pages/service-refuse.html");
const LOGGED_IN: &str = include_str!("pages/connecte.html");
const LOGGED_OUT: &str = include_str!("pages/deconnexion.html");
const DEMO_SERVICE: &str = include_str!("pages/service.html");
const NOT_FOUND: &str = include_str!("pages/introuvable.html");

/// What fills a `{{name}}` slot.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    /// Text, escaped on the way in.
    Text(&'a str),
    /// HTML we rendered ourselves, inserted as is.
    Html(&'a str),
}

/// Fills the slots of `template` in one pass, so a value that happens to contain `{{…}}` is never
/// expanded in turn. A slot with no value is left visible rather than silently dropped.
fn render(template: &str, slots: &[(&str, Slot<'_>)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open + 2..].find("}}") else {
            break;
        };
        let end = open + 2 + close + 2;
        out.push_str(&rest[..open]);
        let name = &rest[open + 2..end - 2];
        match slots.iter().find(|(slot, _)| *slot == name) {
            Some((_, Slot::Text(text))) => out.push_str(&escape(*text)),
            Some((_, Slot::Html(html))) => out.push_str(html),
            None => out.push_str(&rest[open..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A whole page: `body` (already rendered) inside the common layout.
fn page(title: &str, body: &str) -> String {
    render(
        LAYOUT,
        &[("title", Slot::Text(title)), ("body", Slot::Html(body))],
    )
}

/// The `lang` attribute of every page, as the layout writes it (the `no-lang` defect removes it).
pub(crate) const LANG_ATTRIBUTE: &str = " lang=\"fr\"";

/// The layout's footer link to the legal notice (the `no-legal-notice-link` defect removes it).
pub(crate) const LEGAL_NOTICE_LINK: &str =
    "<li><a href=\"/mentions-legales\">Mentions légales</a></li>\n";

/// The portal home, whose "Se connecter" link goes to `login_url`; without one, no login link.
pub(crate) fn home(login_url: Option<&str>) -> String {
    let login = login_url.map_or_else(String::new, |url| {
        render(LOGIN_LINK, &[("login_url", Slot::Text(url))])
    });
    page("Accueil", &render(HOME, &[("login", Slot::Html(&login))]))
}

/// The legal notice (mentions légales) of the school with this UAI.
pub(crate) fn legal_notice(uai: &str) -> String {
    page(
        "Mentions légales",
        &render(LEGAL_NOTICE, &[("uai", Slot::Text(uai))]),
    )
}

/// The accessibility statement: partially conforming to RGAA 4.1, at [`RGAA_RATE`]; without
/// `with_status`, it declares no conformity state at all.
pub(crate) fn accessibility(with_status: bool) -> String {
    let status = if with_status {
        render(ACCESSIBILITY_STATUS, &[("rate", Slot::Text(RGAA_RATE))])
    } else {
        String::new()
    };
    let body = render(ACCESSIBILITY, &[("status", Slot::Html(&status))]);
    page("Déclaration d'accessibilité", &body)
}

/// The personal-data notice.
pub(crate) fn privacy() -> String {
    page("Données personnelles", PRIVACY)
}

/// The CAS login form, posting to `action`, with an optional error message above it.
pub(crate) fn login_form(action: &str, execution: &str, error: Option<&str>) -> String {
    let error = error.map_or_else(String::new, |message| {
        render(LOGIN_ERROR, &[("message", Slot::Text(message))])
    });
    let body = render(
        LOGIN,
        &[
            ("error", Slot::Html(&error)),
            ("action", Slot::Text(action)),
            ("execution", Slot::Text(execution)),
        ],
    );
    page("Connexion", &body)
}

/// The CAS error page for a service that is not registered.
pub(crate) fn service_refused(service: &str) -> String {
    let body = render(SERVICE_REFUSED, &[("service", Slot::Text(service))]);
    page("Application non autorisée", &body)
}

/// The CAS page for a login without a service, or a visit with a live SSO session.
pub(crate) fn logged_in(username: &str) -> String {
    page(
        "Connexion réussie",
        &render(LOGGED_IN, &[("username", Slot::Text(username))]),
    )
}

/// The CAS logout page.
pub(crate) fn logged_out() -> String {
    page("Déconnexion", LOGGED_OUT)
}

/// The registered demo service, showing the ticket it received.
pub(crate) fn demo_service(ticket: &str) -> String {
    let body = render(DEMO_SERVICE, &[("ticket", Slot::Text(ticket))]);
    page("Service de démonstration", &body)
}

/// The 404 page.
pub(crate) fn not_found() -> String {
    page("Page introuvable", NOT_FOUND)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_html_is_not() {
        let out = render(
            "<p>{{a}}</p>{{b}}",
            &[("a", Slot::Text("<b>&\"'")), ("b", Slot::Html("<hr>"))],
        );
        assert_eq!(out, "<p>&lt;b&gt;&amp;&quot;&apos;</p><hr>");
    }

    #[test]
    fn values_are_not_expanded_twice_and_unknown_slots_stay() {
        let out = render("{{a}} {{b}} {{", &[("a", Slot::Text("{{b}}"))]);
        assert_eq!(out, "{{b}} {{b}} {{");
    }

    #[test]
    fn every_page_is_french_and_fully_rendered() {
        let pages = [
            home(Some("/cas/login?service=x")),
            home(None),
            legal_notice("0750001U"),
            accessibility(true),
            accessibility(false),
            privacy(),
            login_form("/cas/login", "e1", Some("Erreur")),
            login_form("/cas/login", "e1", None),
            service_refused("https://evil.example/"),
            logged_in("lea.martin"),
            logged_out(),
            demo_service("ST-1"),
            not_found(),
        ];
        for html in pages {
            assert!(html.contains(&format!("<html{LANG_ATTRIBUTE}>")));
            assert!(html.contains(LEGAL_NOTICE_LINK));
            assert!(!html.contains("{{"), "unfilled slot in {html}");
        }
    }
}
