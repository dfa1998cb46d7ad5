//! The school's news as an Atom feed, public like an ENT portal's "actualités": valid RFC 4287
//! with absolute links. The `rss-relative-links` defect writes its links relative to the site, as
//! templates often do, which no feed reader can resolve.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use quick_xml::escape::escape;

use super::defect::Defect;
use super::state::Ent;

/// Where the feed is served.
pub(crate) const PATH: &str = "/actualites.atom";

/// (id, date, title, summary).
const NEWS: &[(&str, &str, &str, &str)] = &[
    (
        "reunion-parents",
        "2026-11-20T08:00:00Z",
        "Réunion parents-professeurs",
        "Jeudi 26 novembre à 17 h, en salle polyvalente.",
    ),
    (
        "cross-college",
        "2026-10-09T07:30:00Z",
        "Cross du collège",
        "Les élèves courent vendredi matin ; prévoir une tenue de sport.",
    ),
];

pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new().route(PATH, get(feed))
}

async fn feed(State(ent): State<Arc<Ent>>) -> impl IntoResponse {
    let base = if ent.has(Defect::RssRelativeLinks) {
        "/".to_string()
    } else {
        ent.https_base.to_string()
    };
    (
        [(CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        atom(&base),
    )
}

/// The feed, its links under `base` (absolute, or `/` for the defect).
fn atom(base: &str) -> String {
    let base = escape(base);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n\
<title>Actualités du collège des Tilleuls</title>\n<id>urn:uuid:3f0c1c8e-5d1a-4c55-9d1e-0a7e2f4b6c01</id>\n\
<updated>{}</updated>\n<link rel=\"self\" href=\"{base}actualites.atom\"/>\n<link href=\"{base}\"/>\n\
<author><name>Vie scolaire</name></author>\n",
        NEWS[0].1
    );
    for (id, date, title, summary) in NEWS {
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<id>urn:ent-demo:actualite:{id}</id>\n<link href=\"{base}actualites/{id}\"/>\n\
<updated>{date}</updated>\n<summary>{}</summary>\n</entry>\n",
            escape(*title),
            escape(*summary)
        );
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::atom;
    use sdet_probes::interop::feed::examine;

    #[test]
    fn the_feed_is_valid_and_the_defect_makes_links_relative() {
        let clean = examine(&atom("https://127.0.0.1:1/")).expect("a feed");
        assert_eq!((clean.format, clean.entries), ("Atom 1.0", 2));
        assert!(clean.problems.is_empty(), "{:?}", clean.problems);
        let broken = examine(&atom("/")).expect("a feed");
        assert_eq!(broken.problems.len(), 4, "{:?}", broken.problems);
        assert!(
            broken
                .problems
                .iter()
                .all(|p| p.en.contains("relative link"))
        );
    }
}
