//! What the portal checks read in an HTML page, extracted once into plain data: the `lang`
//! attribute, the title and main headings, the visible text, the links and the forms. The parsed
//! document itself (scraper's `Html`) is not `Send`, so it never lives across an `await`.

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::wording::normalize;

/// A page, reduced to what the checks need. Texts are normalised (see `wording::normalize`).
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The root element's `lang` (or `xml:lang`) attribute, as written.
    pub lang: Option<String>,
    /// `<title>`, normalised.
    pub title: String,
    /// `<h1>` texts, normalised.
    pub headings: String,
    /// Visible text of the body (no scripts or styles), normalised.
    pub text: String,
    /// Links with an `href`, resolved.
    pub links: Vec<Link>,
    /// Forms.
    pub forms: Vec<Form>,
}

/// A link.
#[derive(Debug, Clone)]
pub struct Link {
    /// Where it goes, resolved against the page (and its `<base>`).
    pub url: Url,
    /// Its label as a reader perceives it (text, `aria-label`, `title`, image `alt`), normalised.
    pub label: String,
    /// The same label as written, trimmed, for messages.
    pub raw_label: String,
}

/// A form.
#[derive(Debug, Clone)]
pub struct Form {
    /// Where it posts, resolved (the page itself when `action` is absent).
    pub action: Url,
    /// Whether it has a password field.
    pub has_password: bool,
}

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn select<'a>(root: ElementRef<'a>, css: &str) -> Vec<ElementRef<'a>> {
    selector(css).map_or_else(Vec::new, |s| root.select(&s).collect())
}

/// Parses `html` served at `url`.
pub fn parse(html: &str, url: &Url) -> Page {
    let document = Html::parse_document(html);
    let root = document.root_element();
    let base = select(root, "base[href]")
        .first()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| url.join(href.trim()).ok())
        .unwrap_or_else(|| url.clone());
    let lang = root
        .value()
        .attr("lang")
        .or_else(|| root.value().attr("xml:lang"))
        .map(|l| l.trim().to_string());
    let joined = |css: &str| {
        select(root, css)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let links = select(root, "a[href], area[href]")
        .into_iter()
        .filter_map(|a| link(a, &base))
        .collect();
    let forms = select(root, "form")
        .into_iter()
        .map(|f| Form {
            action: f
                .value()
                .attr("action")
                .filter(|a| !a.trim().is_empty())
                .and_then(|a| base.join(a.trim()).ok())
                .unwrap_or_else(|| url.clone()),
            has_password: !select(f, "input[type=password i]").is_empty(),
        })
        .collect();
    Page {
        lang,
        title: normalize(&joined("title")),
        headings: normalize(&joined("h1")),
        text: normalize(&visible_text(root)),
        links,
        forms,
    }
}

fn link(a: ElementRef<'_>, base: &Url) -> Option<Link> {
    let href = a.value().attr("href")?.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty() || href.starts_with('#') || lower.starts_with("javascript:") {
        return None;
    }
    let url = base.join(href).ok()?;
    let mut raw = a.text().collect::<Vec<_>>().join(" ");
    for attr in ["aria-label", "title"] {
        if let Some(v) = a.value().attr(attr) {
            raw.push(' ');
            raw.push_str(v);
        }
    }
    for img in select(a, "img[alt]") {
        raw.push(' ');
        raw.push_str(img.value().attr("alt").unwrap_or_default());
    }
    let raw_label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(Link {
        url,
        label: normalize(&raw_label),
        raw_label,
    })
}

/// The page's own content: the text of `<main>` (or `role="main"`) when there is one, else of the
/// body without its header, footer and navigation — a footer saying « Accessibilité : partiellement
/// conforme » on every page must not count as the statement's content. Scripts, styles and
/// templates are never text.
fn visible_text(root: ElementRef<'_>) -> String {
    let main = select(root, "main, [role=main]").into_iter().next();
    let (container, skip_chrome) = match main {
        Some(m) => (m, false),
        None => match select(root, "body").into_iter().next() {
            Some(b) => (b, true),
            None => (root, true),
        },
    };
    let mut out = String::new();
    for node in container.descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value().as_element().is_some_and(|e| match e.name() {
                "script" | "style" | "template" | "noscript" => true,
                "header" | "footer" | "nav" => skip_chrome,
                _ => false,
            })
        });
        if !hidden {
            out.push_str(text);
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_lang_links_forms_and_visible_text() {
        let base = Url::parse("https://ent.example.fr/portail/").unwrap();
        let page = parse(
            r##"<!doctype html><html lang="fr-FR"><head><title>Accueil – ENT</title>
            <script>var x = "mentions légales";</script></head><body>
            <h1>Bienvenue</h1>
            <a href="../mentions-legales">Mentions <b>légales</b></a>
            <a href="/rgpd" aria-label="Données personnelles"><img src="i.svg" alt=""></a>
            <a href="javascript:void(0)">Menu</a><a href="#top">Haut</a>
            <form action="/cas/login"><input type="PASSWORD" name="p"></form>
            </body></html>"##,
            &base,
        );
        assert_eq!(page.lang.as_deref(), Some("fr-FR"));
        assert_eq!(page.title, " accueil ent ");
        assert_eq!(page.headings, " bienvenue ");
        assert_eq!(page.links.len(), 2);
        assert_eq!(
            page.links[0].url.as_str(),
            "https://ent.example.fr/mentions-legales"
        );
        assert_eq!(page.links[0].raw_label, "Mentions légales");
        assert_eq!(page.links[1].label, " donnees personnelles ");
        assert!(page.forms[0].has_password);
        assert!(!page.text.contains("var x"));
    }

    #[test]
    fn content_text_leaves_out_page_chrome() {
        let base = Url::parse("https://ent.example.fr/").unwrap();
        let with_main = parse(
            "<body><header>Menu</header><main><h1>Accessibilité</h1></main><footer>Accessibilité : partiellement conforme</footer></body>",
            &base,
        );
        assert_eq!(with_main.text, " accessibilite ");
        let without = parse(
            "<body><nav>Plan</nav><p>Hébergeur</p><footer>Pied</footer></body>",
            &base,
        );
        assert_eq!(without.text, " hebergeur ");
    }

    #[test]
    fn honours_base_and_survives_garbage() {
        let base = Url::parse("https://ent.example.fr/a/b").unwrap();
        let page = parse(
            r#"<html><head><base href="https://ent.example.fr/x/"></head><a href="y">y</a>"#,
            &base,
        );
        assert_eq!(page.links[0].url.as_str(), "https://ent.example.fr/x/y");
        assert_eq!(page.lang, None);
        let garbage = parse("<<<>>>\u{0}<a href=", &base);
        assert!(garbage.links.is_empty());
    }
}
