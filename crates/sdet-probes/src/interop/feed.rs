//! The ENT's news published as RSS or Atom must be readable by any feed reader: served over
//! HTTPS with an XML feed media type, well formed, in a recognised format, with the required
//! elements, dates in the format's syntax, absolute links and unique ids.

mod rules;

use super::fetch::{self, glimpse, media_type};
use super::interop;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use rules::examine;

/// Media types a feed may be served with (`application/x-rss+xml` is what Python's mimetypes,
/// hence many servers, give `.rss` files).
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
];

/// How messages name the feed.
const NAME: fetch::Name = ("Le flux d'actualités", "The news feed");

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
    if let Some(finding) = fetch::not_https(&url, NAME) {
        return Ok(finding);
    }
    let response = fetch::get(session, &url, None).await?;
    if let Some(finding) = fetch::downgraded(&response) {
        return Ok(finding);
    }
    if let Some(finding) = fetch::judge_status(&response, NAME, None)? {
        return Ok(finding);
    }
    let media = media_type(&response);
    let exam = match examine(&response.body) {
        Ok(exam) => exam,
        Err(why) => {
            return Ok(Finding::fail(
                Text::new(
                    format!(
                        "Ce n'est pas un flux RSS ou Atom valide ({media}) : {}",
                        why.french()
                    ),
                    format!("Not a valid RSS or Atom feed ({media}): {why}"),
                ),
                "RSS 2.0 or Atom 1.0",
                format!("{media}: {}", glimpse(&response.body)),
            ));
        }
    };
    let mut problems = exam.problems;
    if !FEED_TYPES.contains(&media.as_str()) {
        problems.insert(
            0,
            Text::new(
                format!("servi en « {media} », pas avec un type de flux"),
                format!("served as « {media} », not a feed media type"),
            ),
        );
    }
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
        "required elements, RFC 3339/822 dates, absolute links, unique ids, feed media type",
        en,
    ))
}
