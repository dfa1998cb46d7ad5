//! What makes a news feed usable by any reader: well-formed XML (read by our defensive reader
//! first — no DTD, bounded depth and size), a recognised format that feed-rs parses, the elements
//! the format requires, dates in the format's syntax (RFC 3339 for Atom, RFC 822 for RSS),
//! absolute links (a reader has no base to resolve `/actu/1` against) and unique entry ids.

use std::collections::HashSet;

use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};
use url::Url;

use crate::interop::published::Unreadable;
use sdet_core::text::Text;
use sdet_core::xml::{self, Element};

/// Problems listed at most; the rest are counted.
const MAX_LISTED: usize = 10;

/// A feed's format, entries and problems.
#[derive(Debug, PartialEq, Eq)]
pub struct FeedExam {
    /// `Atom 1.0`, `RSS 2.0` or `RSS 1.0`.
    pub format: &'static str,
    /// Entries (items).
    pub entries: usize,
    /// What is wrong, each precise.
    pub problems: Vec<Text>,
}

/// Why the text is not a feed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFeed {
    /// Not well-formed XML, or refused (DTD, entities, too large).
    #[error("{0}")]
    Xml(#[from] xml::XmlError),
    /// Well-formed, but not RSS or Atom.
    #[error("the root element is <{0}>, not <rss>, <feed> or <rdf:RDF>")]
    Root(String),
    /// feed-rs could not read it.
    #[error("unreadable feed: {0}")]
    Parser(String),
}

impl Unreadable for NotFeed {
    /// The reason in French (the XML reader's and feed-rs's own words are quoted as they are).
    fn french(&self) -> String {
        match self {
            NotFeed::Xml(e) => format!("XML refusé : {}", e.wording().fr),
            NotFeed::Root(root) => {
                format!("l'élément racine est <{root}>, pas <rss>, <feed> ni <rdf:RDF>")
            }
            NotFeed::Parser(e) => format!("flux illisible : {e}"),
        }
    }
}

/// Examines feed `text`.
pub fn examine(text: &str) -> Result<FeedExam, NotFeed> {
    let root = xml::parse(text.trim_start_matches('\u{feff}'))?;
    let format = match root.name.as_str() {
        "feed" => "Atom 1.0",
        "rss" => "RSS 2.0",
        "RDF" => "RSS 1.0",
        other => return Err(NotFeed::Root(other.to_string())),
    };
    let parsed =
        feed_rs::parser::parse(text.as_bytes()).map_err(|e| NotFeed::Parser(e.to_string()))?;
    let mut problems = Problems::default();
    match format {
        "Atom 1.0" => atom(&root, &mut problems),
        "RSS 2.0" => rss2(&root, &mut problems),
        _ => rss1(&root, &mut problems),
    }
    let mut problems = problems.0;
    if problems.len() > MAX_LISTED {
        let more = problems.len() - MAX_LISTED;
        problems.truncate(MAX_LISTED);
        problems.push(Text::new(
            format!("… et {more} de plus"),
            format!("… and {more} more"),
        ));
    }
    Ok(FeedExam {
        format,
        entries: parsed.entries.len(),
        problems,
    })
}

/// Problems found, in French and English.
#[derive(Default)]
struct Problems(Vec<Text>);

/// Where a problem is, in French and English (« le flux », « l'entrée urn:… »).
struct At(String, String);

impl Problems {
    fn add(&mut self, at: &At, fr: &str, en: &str) {
        self.0.push(Text::new(
            format!("{} {fr}", at.0),
            format!("{} {en}", at.1),
        ));
    }
}

fn text<'e>(element: &'e Element, name: &str) -> Option<&'e str> {
    element
        .child(name)
        .map(|c| c.text.as_str())
        .filter(|t| !t.is_empty())
}

fn children<'e>(element: &'e Element, name: &'e str) -> impl Iterator<Item = &'e Element> {
    element.children.iter().filter(move |c| c.name == name)
}

fn is_absolute(link: &str) -> bool {
    Url::parse(link.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// RFC 4287: feed and entries with id, title and an RFC 3339 `updated`; links absolute.
fn atom(feed: &Element, problems: &mut Problems) {
    let check = |element: &Element, at: &At, problems: &mut Problems| {
        for required in ["id", "title", "updated"] {
            if text(element, required).is_none() {
                problems.add(
                    at,
                    &format!(": pas de <{required}>"),
                    &format!("has no <{required}>"),
                );
            }
        }
        for date in ["updated", "published"] {
            if let Some(v) =
                text(element, date).filter(|v| OffsetDateTime::parse(v, &Rfc3339).is_err())
            {
                problems.add(
                    at,
                    &format!(": <{date}> « {v} » n'est pas une date RFC 3339"),
                    &format!("<{date}> « {v} » is not an RFC 3339 date"),
                );
            }
        }
        for link in children(element, "link") {
            match link.attribute("href") {
                Some(href) if is_absolute(href) => {}
                Some(href) => problems.add(
                    at,
                    &format!(": lien relatif « {href} »"),
                    &format!("relative link « {href} »"),
                ),
                None => problems.add(at, ": <link> sans href", "<link> without href"),
            }
        }
    };
    check(feed, &At("le flux".into(), "the feed:".into()), problems);
    let mut ids = HashSet::new();
    for (n, entry) in children(feed, "entry").enumerate() {
        let id = text(entry, "id").unwrap_or_default();
        let at = if id.is_empty() {
            At(
                format!("l'entrée n° {}", n + 1),
                format!("entry #{}:", n + 1),
            )
        } else {
            At(format!("l'entrée {id}"), format!("entry {id}:"))
        };
        check(entry, &at, problems);
        if !id.is_empty() && !ids.insert(id) {
            problems.add(
                &At(format!("l'id {id}"), format!("id {id}")),
                "est utilisé par plusieurs entrées",
                "is used by more than one entry",
            );
        }
    }
}

/// RSS 2.0: channel title, link, description; items with a title or description; RFC 822
/// dates; absolute links; unique guids.
fn rss2(rss: &Element, problems: &mut Problems) {
    if let Some(version) = rss.attribute("version").filter(|v| !v.starts_with("2.")) {
        let at = At(
            format!("<rss version=\"{version}\">"),
            format!("<rss version=\"{version}\">"),
        );
        problems.add(&at, ": pas 2.0", "is not 2.0");
    }
    let channel_at = At("le canal".into(), "the channel".into());
    let Some(channel) = rss.child("channel") else {
        problems.add(
            &At("<rss>".into(), "<rss>".into()),
            "sans <channel>",
            "has no <channel>",
        );
        return;
    };
    for required in ["title", "link", "description"] {
        if text(channel, required).is_none() {
            problems.add(
                &channel_at,
                &format!("n'a pas de <{required}>"),
                &format!("has no <{required}>"),
            );
        }
    }
    let dates_and_links = |element: &Element, at: &At, problems: &mut Problems| {
        for date in ["pubDate", "lastBuildDate"] {
            if let Some(v) =
                text(element, date).filter(|v| OffsetDateTime::parse(v, &Rfc2822).is_err())
            {
                problems.add(
                    at,
                    &format!(": <{date}> « {v} » n'est pas une date RFC 822"),
                    &format!("<{date}> « {v} » is not an RFC 822 date"),
                );
            }
        }
        if let Some(link) = text(element, "link").filter(|l| !is_absolute(l)) {
            problems.add(
                at,
                &format!(": lien relatif « {link} »"),
                &format!("relative link « {link} »"),
            );
        }
    };
    dates_and_links(
        channel,
        &At("le canal".into(), "the channel:".into()),
        problems,
    );
    let mut guids = HashSet::new();
    for (n, item) in children(channel, "item").enumerate() {
        let at = At(
            format!("l'élément n° {}", n + 1),
            format!("item #{}:", n + 1),
        );
        if text(item, "title").is_none() && text(item, "description").is_none() {
            problems.add(
                &At(
                    format!("l'élément n° {}", n + 1),
                    format!("item #{}", n + 1),
                ),
                "n'a ni <title> ni <description>",
                "has neither <title> nor <description>",
            );
        }
        dates_and_links(item, &at, problems);
        if let Some(guid) = item.child("guid").filter(|g| !g.text.is_empty()) {
            let permalink = guid.attribute("isPermaLink").is_none_or(|p| p != "false");
            if permalink && !is_absolute(&guid.text) {
                problems.add(
                    &at,
                    &format!(
                        ": le guid « {} » est un permalien mais pas une URL absolue",
                        guid.text
                    ),
                    &format!(
                        "guid « {} » is a permalink but not an absolute URL",
                        guid.text
                    ),
                );
            }
            if !guids.insert(guid.text.as_str()) {
                problems.add(
                    &At(
                        format!("le guid {}", guid.text),
                        format!("guid {}", guid.text),
                    ),
                    "est utilisé par plusieurs éléments",
                    "is used by more than one item",
                );
            }
        }
    }
}

/// RSS 1.0 (RDF): channel title and link, items with an absolute link.
fn rss1(rdf: &Element, problems: &mut Problems) {
    let channel_at = At("le canal".into(), "the channel".into());
    match rdf.child("channel") {
        Some(channel) => {
            for required in ["title", "link"] {
                if text(channel, required).is_none() {
                    problems.add(
                        &channel_at,
                        &format!("n'a pas de <{required}>"),
                        &format!("has no <{required}>"),
                    );
                }
            }
        }
        None => problems.add(
            &At("<rdf:RDF>".into(), "<rdf:RDF>".into()),
            "sans <channel>",
            "has no <channel>",
        ),
    }
    for (n, item) in children(rdf, "item").enumerate() {
        let at = At(
            format!("l'élément n° {}", n + 1),
            format!("item #{}", n + 1),
        );
        match text(item, "link") {
            Some(link) if is_absolute(link) => {}
            Some(link) => problems.add(
                &at,
                &format!(": lien relatif « {link} »"),
                &format!("relative link « {link} »"),
            ),
            None => problems.add(&at, ": pas de <link>", "no <link>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Actualités</title>
<id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id><updated>2026-11-20T08:00:00Z</updated>
<link href="https://ent.example.fr/actualites.atom" rel="self"/>
<entry><title>Réunion</title><id>urn:uuid:1</id><link href="https://ent.example.fr/actu/1"/>
<updated>2026-11-20T08:00:00+01:00</updated></entry></feed>"#;

    const RSS: &str = r#"<rss version="2.0"><channel><title>Actualités</title>
<link>https://ent.example.fr/</link><description>Vie du collège</description>
<item><title>Réunion</title><link>https://ent.example.fr/actu/1</link>
<guid isPermaLink="false">actu-1</guid><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"#;

    fn en(problems: Vec<Text>) -> Vec<String> {
        problems.into_iter().map(|p| p.en).collect()
    }

    #[test]
    fn valid_feeds_have_no_problem() {
        let atom = examine(ATOM).unwrap();
        assert_eq!(
            (atom.format, atom.entries, atom.problems.len()),
            ("Atom 1.0", 1, 0),
            "{:?}",
            atom.problems
        );
        let rss = examine(RSS).unwrap();
        assert_eq!(
            (rss.format, rss.entries, rss.problems.len()),
            ("RSS 2.0", 1, 0),
            "{:?}",
            rss.problems
        );
    }

    #[test]
    fn names_missing_elements_bad_dates_relative_links_and_duplicates() {
        let atom = ATOM
            .replace("2026-11-20T08:00:00+01:00", "20/11/2026")
            .replace("https://ent.example.fr/actu/1", "/actu/1")
            .replace("</entry>", "</entry><entry><title>Bis</title><id>urn:uuid:1</id><updated>2026-11-21T08:00:00Z</updated></entry>");
        assert_eq!(
            en(examine(&atom).unwrap().problems),
            vec![
                "entry urn:uuid:1: <updated> « 20/11/2026 » is not an RFC 3339 date",
                "entry urn:uuid:1: relative link « /actu/1 »",
                "id urn:uuid:1 is used by more than one entry",
            ]
        );
        let rss = RSS
            .replace("<description>Vie du collège</description>", "")
            .replace("Fri, 20 Nov 2026 08:00:00 GMT", "2026-11-20 08:00")
            .replace(
                r#"<guid isPermaLink="false">actu-1</guid>"#,
                "<guid>actu-1</guid>",
            );
        assert_eq!(
            en(examine(&rss).unwrap().problems),
            vec![
                "the channel has no <description>",
                "item #1: <pubDate> « 2026-11-20 08:00 » is not an RFC 822 date",
                "item #1: guid « actu-1 » is a permalink but not an absolute URL",
            ]
        );
    }

    #[test]
    fn refuses_html_bombs_and_other_xml() {
        assert!(matches!(
            examine("<!DOCTYPE html><html><body>Erreur</body></html>"),
            Err(NotFeed::Xml(_))
        ));
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]><rss>&b;</rss>"#;
        assert_eq!(examine(bomb), Err(NotFeed::Xml(xml::XmlError::Dtd)));
        assert_eq!(
            examine("<html><body/></html>"),
            Err(NotFeed::Root("html".into()))
        );
        assert!(matches!(
            examine("{\"version\": \"https://jsonfeed.org/version/1\"}"),
            Err(NotFeed::Xml(_))
        ));
    }
}
