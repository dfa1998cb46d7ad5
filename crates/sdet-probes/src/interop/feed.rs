//! The ENT's news published as RSS or Atom must be readable by any feed reader: served over
//! HTTPS with an XML feed media type, well formed, in a recognised format, with the required
//! elements, dates in the format's syntax, absolute links and unique ids.

mod rules;

use super::fetch;
use super::interop;
use super::published::{Kind, Read};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use rules::examine;

/// A news feed, as the way to its rules names and recognises it.
const FEED: Kind = Kind {
    name: ("Le flux d'actualités", "The news feed"),
    valid: ("un flux RSS ou Atom valide", "a valid RSS or Atom feed"),
    expected: ("RSS 2.0 ou Atom 1.0", "RSS 2.0 or Atom 1.0"),
    // `application/x-rss+xml` is what Python's mimetypes, hence many servers, give `.rss` files.
    media_types: &[
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/x-rss+xml",
    ],
    other_media: ("pas avec un type de flux", "not a feed media type"),
};

pub(crate) async fn run(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let Some(url) = interop(ctx)?.rss.clone() else {
        return Err(ProbeError::Unexpected(Text::new(
            "Aucun flux dans la cible",
            "No feed in the target",
        )));
    };
    if let Some(finding) = fetch::not_https(&url, FEED.name) {
        return Ok(finding);
    }
    let read = FEED.fetch(session, &url, None, None, examine);
    let Read { exam, media } = match read.await? {
        Ok(read) => read,
        Err(fail) => return Ok(fail),
    };
    let problems = FEED.with_media_problem(&media, &exam.problems);
    if problems.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!(
                "Flux {} valide en HTTPS : {} entrée(s)",
                exam.format, exam.entries
            ),
            format!(
                "Valid {} feed over HTTPS: {} entry(ies)",
                exam.format, exam.entries
            ),
        )));
    }
    let (fr, en) = super::ical::join(&problems);
    Ok(Finding::fail(
        Text::new(
            format!("Flux {} non conforme : {fr}", exam.format),
            format!("{} feed not compliant: {en}", exam.format),
        ),
        Text::new(
            "éléments requis, dates RFC 3339/822, liens absolus, identifiants uniques, type de média d'un flux",
            "required elements, RFC 3339/822 dates, absolute links, unique ids, feed media type",
        ),
        Text::new(fr, en),
    ))
}
