//! A calendar the ENT publishes (timetable, homework, school events) must be valid iCalendar
//! (RFC 5545) so that any calendar client reads it, over HTTPS, served as `text/calendar`. When
//! the target declares it private, anonymous requests must be refused and the declared account
//! reads it; when it is public, it must carry no personal data (attendees, organisers, contacts,
//! e-mail addresses or phone numbers in the text). A private feed may name people — only its
//! owner reads it — and the pass message says how many such properties it holds.

mod personal;
mod rules;

use super::fetch::{self, Login};
use super::interop;
use super::published::{Kind, Read};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

use rules::Examination;
pub use rules::examine;

/// A calendar, as the way to its rules names and recognises it.
const CALENDAR: Kind = Kind {
    name: ("L'agenda", "The calendar"),
    valid: ("un iCalendar valide", "valid iCalendar"),
    expected: ("text/calendar (RFC 5545)", "text/calendar (RFC 5545)"),
    media_types: &["text/calendar"],
    other_media: ("pas en text/calendar", "not text/calendar"),
};

pub(crate) async fn run(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let target = interop(ctx)?;
    let Some(url) = target.ical.clone() else {
        return Err(ProbeError::Unexpected(Text::new(
            "Aucun agenda dans la cible",
            "No calendar in the target",
        )));
    };
    if let Some(finding) = fetch::not_https(&url, CALENDAR.name) {
        return Ok(finding);
    }
    let login = match (&target.ical_account, target.ical_private) {
        (Some(account), true) => Some(Login::resolve(account, ctx, session)?),
        _ => None,
    };
    let mut refused = String::new();
    if login.is_some() {
        let anonymous = fetch::get(session, &url, None).await?;
        let status = anonymous.status.as_u16();
        if status == 200 && examine(&anonymous.body).is_ok() {
            return Ok(Finding::fail(
                Text::new(
                    "L'agenda déclaré privé se lit sans authentification",
                    "The calendar declared private can be read without authentication",
                ),
                Text::new(
                    "HTTP 401 ou 403 sans identifiants",
                    "HTTP 401 or 403 without credentials",
                ),
                Text::new(
                    format!("HTTP {status} avec l'agenda"),
                    format!("HTTP {status} with the calendar"),
                ),
            ));
        }
        refused = format!(", anonymous access refused (HTTP {status})");
    }
    let hint = if login.is_some() {
        Text::new(
            "le compte déclaré est refusé",
            "the declared account is refused",
        )
    } else {
        Text::new(
            "déclarez interop.ical_private et interop.ical_account si le flux est privé",
            "declare interop.ical_private and interop.ical_account if the feed is private",
        )
    };
    let read = CALENDAR.fetch(session, &url, login.as_ref(), Some(hint), examine);
    let Read { exam, media } = match read.await? {
        Ok(read) => read,
        Err(fail) => return Ok(fail),
    };
    Ok(judge(&exam, &media, login.is_some(), &refused))
}

fn judge(exam: &Examination, media: &str, private: bool, refused: &str) -> Finding {
    let problems = CALENDAR.with_media_problem(media, &exam.problems);
    if !problems.is_empty() {
        let (fr, en) = join(&problems);
        return Finding::fail(
            Text::new(
                format!("Agenda non conforme à la RFC 5545 : {fr}"),
                format!("Calendar not RFC 5545 compliant: {en}"),
            ),
            Text::new(
                "RFC 5545 : VERSION, PRODID, UID/DTSTAMP/DTSTART, UID uniques, un VTIMEZONE par TZID",
                "RFC 5545: VERSION, PRODID, UID/DTSTAMP/DTSTART, unique UIDs, VTIMEZONE per TZID",
            ),
            Text::new(fr, en),
        );
    }
    if !private && !exam.personal.is_empty() {
        let (fr, en) = join(&exam.personal);
        return Finding::fail(
            Text::new(
                format!("L'agenda public contient des données personnelles : {fr}"),
                format!("The public calendar holds personal data: {en}"),
            ),
            Text::new(
                "ni participant, ni organisateur, ni contact, ni adresse électronique, ni téléphone dans un agenda public",
                "no attendee, organiser, contact, e-mail or phone number in a public feed",
            ),
            Text::new(fr, en),
        );
    }
    let count = exam.personal.len();
    let (people_fr, people_en) = if count == 0 {
        (String::new(), String::new())
    } else {
        (
            format!(", {count} propriété(s) de données personnelles (flux privé)"),
            format!(", {count} personal-data properties (private feed)"),
        )
    };
    let refused_fr = refused.replace("anonymous access refused", "accès anonyme refusé");
    Finding::Pass(Text::new(
        format!(
            "Agenda iCalendar valide en HTTPS : {} événement(s){refused_fr}{people_fr}",
            exam.events
        ),
        format!(
            "Valid iCalendar over HTTPS: {} event(s){refused}{people_en}",
            exam.events
        ),
    ))
}

/// The French and English lists of `texts`, joined by « ; ».
pub(crate) fn join(texts: &[Text]) -> (String, String) {
    let fr: Vec<&str> = texts.iter().map(|t| t.fr.as_str()).collect();
    let en: Vec<&str> = texts.iter().map(|t| t.en.as_str()).collect();
    (fr.join(" ; "), en.join("; "))
}
