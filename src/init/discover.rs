//! What `init` can learn of an ENT from its portal, politely: the home page (following at most
//! a few redirects), then a few well-known addresses for OpenID Connect discovery and SAML
//! metadata. Every finding says how it was found, for the comment beside it in `target.yaml`.
//! A request that fails is a note, never an error: discovery only helps to fill a template.

use scraper::{Html, Selector};
use url::Url;

use crate::probe::http::{Http, Request};
use crate::text::Text;

/// Redirects followed from the portal address.
const MAX_REDIRECTS: usize = 3;

/// A value found, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The URL found.
    pub url: Url,
    /// How it was found (for the comment).
    pub how: Text,
}

/// What discovery found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The portal address given.
    pub given: Option<Url>,
    /// The portal page that answered (after redirects).
    pub portal: Option<Url>,
    /// The CAS server's base URL (ending in `/`).
    pub cas_base: Option<Found>,
    /// A service URL the CAS accepts (the `service` of the portal's login link).
    pub cas_service: Option<Url>,
    /// The OpenID Connect issuer.
    pub oidc_issuer: Option<Found>,
    /// The SAML metadata URL.
    pub saml_metadata: Option<Found>,
    /// An iCalendar feed the portal links.
    pub ical: Option<Found>,
    /// An RSS or Atom feed the portal links.
    pub rss: Option<Found>,
    /// The legal pages the portal links (the portal probes find them by themselves).
    pub legal: Vec<Found>,
    /// What could not be fetched, and why.
    pub notes: Vec<String>,
}

/// Discovers what it can from `portal`.
pub async fn discover(http: &Http, portal: &Url) -> Discovery {
    let mut found = Discovery {
        given: Some(portal.clone()),
        ..Discovery::default()
    };
    match home(http, portal, &mut found.notes).await {
        Some((url, body)) => {
            read_home(&url, &body, &mut found);
            found.portal = Some(url);
        }
        // A portal that does not answer: the well-known addresses on its host will not either,
        // and asking each (with retries) would only make the user wait.
        None => return found,
    }
    let origin = portal.join("/").unwrap_or_else(|_| portal.clone());
    let mut oidc_places: Vec<Url> = [
        "/.well-known/openid-configuration",
        "/oidc/.well-known/openid-configuration",
    ]
    .iter()
    .filter_map(|p| origin.join(p).ok())
    .collect();
    let mut saml_places: Vec<Url> = [
        "/saml/metadata",
        "/idp/shibboleth",
        "/simplesaml/saml2/idp/metadata.php",
    ]
    .iter()
    .filter_map(|p| origin.join(p).ok())
    .collect();
    if let Some(cas) = &found.cas_base {
        oidc_places.extend(cas.url.join("oidc/.well-known/openid-configuration").ok());
        saml_places.extend(cas.url.join("idp/metadata").ok());
    }
    for place in oidc_places {
        if let Some(body) = get_ok(http, &place, &mut found.notes).await
            && let Some(issuer) = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("issuer")?.as_str().and_then(|s| Url::parse(s).ok()))
        {
            found.oidc_issuer = Some(Found {
                url: issuer,
                how: Text::new(
                    format!("document de découverte OpenID Connect trouvé à {place}"),
                    format!("OpenID Connect discovery document found at {place}"),
                ),
            });
            break;
        }
    }
    for place in saml_places {
        if let Some(body) = get_ok(http, &place, &mut found.notes).await
            && body.contains("EntityDescriptor")
        {
            found.saml_metadata = Some(Found {
                how: Text::new(
                    "métadonnées SAML servies à cette adresse usuelle",
                    "SAML metadata served at this usual address",
                ),
                url: place,
            });
            break;
        }
    }
    found
}

/// The portal page, following a few redirects (the client itself never follows any).
async fn home(http: &Http, portal: &Url, notes: &mut Vec<String>) -> Option<(Url, String)> {
    let mut url = portal.clone();
    for _ in 0..=MAX_REDIRECTS {
        match http.send(&Request::get(url.clone())).await {
            Ok(r) if r.status.is_success() => return Some((url, r.body)),
            Ok(r) => match r.location() {
                Some(next) => url = next,
                None => {
                    notes.push(format!("{url}: HTTP {}", r.status.as_u16()));
                    return None;
                }
            },
            Err(e) => {
                notes.push(format!("{url}: {e}"));
                return None;
            }
        }
    }
    notes.push(format!("{portal}: more than {MAX_REDIRECTS} redirects"));
    None
}

/// The body of a 200 answer to a GET of `url`; anything else is a note.
async fn get_ok(http: &Http, url: &Url, notes: &mut Vec<String>) -> Option<String> {
    match http.send(&Request::get(url.clone())).await {
        Ok(r) if r.status.is_success() => Some(r.body),
        Ok(r) => {
            notes.push(format!("{url}: HTTP {}", r.status.as_u16()));
            None
        }
        Err(e) => {
            notes.push(format!("{url}: {e}"));
            None
        }
    }
}

/// Reads the portal page's links: the CAS login, the feeds, the legal pages.
fn read_home(page: &Url, body: &str, found: &mut Discovery) {
    let html = Html::parse_document(body);
    let (Ok(anchors), Ok(alternates)) = (
        Selector::parse("a[href]"),
        Selector::parse("link[rel~=alternate][href]"),
    ) else {
        return;
    };
    for a in html.select(&anchors) {
        let Some(url) = a.value().attr("href").and_then(|h| page.join(h).ok()) else {
            continue;
        };
        let text: String = a.text().collect::<String>().to_lowercase();
        let label = a.text().collect::<String>().trim().to_string();
        if found.cas_base.is_none()
            && let Some((base, service)) = cas_login(&url)
        {
            found.cas_base = Some(Found {
                url: base,
                how: Text::new(
                    format!("lien « {label} » du portail vers {url}"),
                    format!("the portal's \"{label}\" link to {url}"),
                ),
            });
            found.cas_service = service;
        } else if [
            "mentions légales",
            "accessibilit",
            "données personnelles",
            "donnees personnelles",
            "cookies",
            "cgu",
        ]
        .iter()
        .any(|k| text.contains(k))
        {
            found.legal.push(Found {
                url,
                how: Text::new(format!("lien « {label} »"), format!("\"{label}\" link")),
            });
        } else if found.ical.is_none()
            && (url.path().to_ascii_lowercase().ends_with(".ics") || url.scheme() == "webcal")
        {
            found.ical = Some(Found {
                url,
                how: Text::new(
                    format!("lien « {label} » du portail"),
                    format!("the portal's \"{label}\" link"),
                ),
            });
        }
    }
    for link in html.select(&alternates) {
        let kind = link.value().attr("type").unwrap_or_default().to_lowercase();
        let Some(url) = link.value().attr("href").and_then(|h| page.join(h).ok()) else {
            continue;
        };
        let how = Text::new(
            format!("<link rel=\"alternate\" type=\"{kind}\"> du portail"),
            format!("the portal's <link rel=\"alternate\" type=\"{kind}\">"),
        );
        if found.rss.is_none() && (kind.contains("rss") || kind.contains("atom")) {
            found.rss = Some(Found { url, how });
        } else if found.ical.is_none() && kind.contains("calendar") {
            found.ical = Some(Found { url, how });
        }
    }
}

/// When `url` is a CAS login address (`…/login`, usually with `?service=`), the CAS base (the
/// folder holding `login`) and the service it names.
fn cas_login(url: &Url) -> Option<(Url, Option<Url>)> {
    let last = url.path_segments()?.next_back()?;
    if last != "login" {
        return None;
    }
    let service = url
        .query_pairs()
        .find(|(k, _)| k == "service")
        .and_then(|(_, v)| Url::parse(&v).ok());
    let mut base = url.join("./").ok()?;
    base.set_query(None);
    base.set_fragment(None);
    Some((base, service))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cas_login_link_gives_the_base_and_the_service() {
        let url = Url::parse(
            "https://ent.example.fr/cas/login?service=https%3A%2F%2Fent.example.fr%2Fportail%2F",
        )
        .unwrap();
        let (base, service) = cas_login(&url).unwrap();
        assert_eq!(base.as_str(), "https://ent.example.fr/cas/");
        assert_eq!(service.unwrap().as_str(), "https://ent.example.fr/portail/");
        assert!(
            cas_login(&Url::parse("https://ent.example.fr/mentions-legales").unwrap()).is_none()
        );
    }

    #[test]
    fn the_home_page_gives_its_login_feeds_and_legal_pages() {
        let page = Url::parse("https://ent.example.fr/").unwrap();
        let body = r#"<html><head><link rel="alternate" type="application/rss+xml" href="/actus.rss"></head>
            <body><a href="/cas/login?service=https://ent.example.fr/">Se connecter</a>
            <a href="/agenda/college.ics">Agenda</a><a href="/mentions-legales">Mentions légales</a></body></html>"#;
        let mut found = Discovery::default();
        read_home(&page, body, &mut found);
        assert_eq!(
            found.cas_base.unwrap().url.as_str(),
            "https://ent.example.fr/cas/"
        );
        assert_eq!(
            found.rss.unwrap().url.as_str(),
            "https://ent.example.fr/actus.rss"
        );
        assert_eq!(
            found.ical.unwrap().url.as_str(),
            "https://ent.example.fr/agenda/college.ics"
        );
        assert_eq!(found.legal.len(), 1);
    }
}
