//! The way every published document (a calendar, a news feed) goes before its own rules judge
//! it: fetched (with the declared login, if any), still on HTTPS after the redirects, answering
//! 200, and a body its reader understands. Each step that goes wrong is decided here, the same
//! for every kind of document, so that a check reads as the rules of its document only.

use std::fmt::Display;

use url::Url;

use super::fetch::{self, Login, Name, glimpse, media_type};
use crate::session::Session;
use crate::{Finding, ProbeError};
use sdet_core::text::Text;

/// What sets one kind of published document apart on that way: its name and format in messages,
/// and the media types it may be served with.
pub struct Kind {
    /// How messages name it: `("L'agenda", "The calendar")`.
    pub name: Name,
    /// What a readable body is: `("un iCalendar valide", "valid iCalendar")`.
    pub valid: Name,
    /// The format expected, in the fail for an unreadable body: `text/calendar (RFC 5545)`.
    pub expected: Name,
    /// The media types it may be served with.
    pub media_types: &'static [&'static str],
    /// What it is not when served with another media type: `("pas en text/calendar", "not
    /// text/calendar")`.
    pub other_media: Name,
}

/// Why a body is not the document at all: in English (`Display`) and in French.
pub trait Unreadable: Display {
    /// The reason in French.
    fn french(&self) -> String;
}

/// A document as its reader saw it.
pub struct Read<T> {
    /// The reader's examination.
    pub exam: T,
    /// The media type it was served with (see [`media_type`]).
    pub media: String,
}

impl Kind {
    /// GETs `url` (with `login` on its origin) and reads the body with `examine`.
    /// `Ok(Err(finding))` is a fail found on the way; `hint` says what to do when the
    /// credentials are refused (see [`fetch::judge_status`]).
    pub async fn fetch<T, E: Unreadable>(
        &self,
        session: &mut Session<'_>,
        url: &Url,
        login: Option<&Login>,
        hint: Option<Text>,
        examine: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Result<Read<T>, Finding>, ProbeError> {
        let response = fetch::get(session, url, login).await?;
        if let Some(finding) = fetch::downgraded(&response) {
            return Ok(Err(finding));
        }
        if let Some(finding) = fetch::judge_status(&response, self.name, hint)? {
            return Ok(Err(finding));
        }
        let media = media_type(&response);
        match examine(&response.body) {
            Ok(exam) => Ok(Ok(Read { exam, media })),
            Err(why) => {
                let (valid_fr, valid_en) = self.valid;
                Ok(Err(Finding::fail(
                    Text::new(
                        format!("Ce n'est pas {valid_fr} ({media}) : {}", why.french()),
                        format!("Not {valid_en} ({media}): {why}"),
                    ),
                    Text::new(self.expected.0, self.expected.1),
                    Text::same(format!("{media}: {}", glimpse(&response.body))),
                )))
            }
        }
    }

    /// `problems`, led by the media type when it is not one of the kind's: a client that goes
    /// by the media type would not open the document at all, whatever its content.
    pub fn with_media_problem(&self, media: &str, problems: &[Text]) -> Vec<Text> {
        let (other_fr, other_en) = self.other_media;
        let wrong = (!self.media_types.contains(&media)).then(|| {
            Text::new(
                format!("servi en « {media} », {other_fr}"),
                format!("served as « {media} », {other_en}"),
            )
        });
        wrong.into_iter().chain(problems.iter().cloned()).collect()
    }
}
