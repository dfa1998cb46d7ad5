//! The pupil's timetable as an iCalendar feed, like the "export iCal" of an ENT's agenda: private
//! (HTTP Basic, the pupil's own account), valid RFC 5545 with a VTIMEZONE for the Europe/Paris
//! times it uses. Defects: `ical-public-access` serves it to anyone, `ical-no-vtimezone` drops the
//! VTIMEZONE its TZIDs need.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::basic_auth;
use super::defect::Defect;
use super::state::Ent;

/// Where the timetable is served.
pub(crate) const PATH: &str = "/agenda/emploi-du-temps.ics";

/// Europe/Paris, as calendar servers publish it (EU rules since 1996).
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// (uid, first day, start, end, summary, room): weekly courses of class 4A.
const COURSES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "4a-maths-lundi",
        "20260907",
        "080000",
        "090000",
        "Mathématiques",
        "Salle 101",
    ),
    (
        "4a-francais-lundi",
        "20260907",
        "090000",
        "100000",
        "Français",
        "Salle 204",
    ),
    (
        "4a-histoire-mardi",
        "20260908",
        "100000",
        "110000",
        "Histoire-géographie",
        "Salle 112",
    ),
    (
        "4a-svt-jeudi",
        "20260910",
        "140000",
        "150000",
        "Sciences de la vie et de la Terre",
        "Laboratoire 2",
    ),
];

pub(crate) fn routes() -> Router<Arc<Ent>> {
    Router::new().route(PATH, get(timetable))
}

async fn timetable(State(ent): State<Arc<Ent>>, headers: HeaderMap) -> Response {
    if !ent.has(Defect::IcalPublicAccess) && basic_auth::person(&ent, &headers).is_none() {
        return basic_auth::challenge();
    }
    let body = calendar(!ent.has(Defect::IcalNoVtimezone));
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response()
}

/// The feed, CRLF-terminated as RFC 5545 requires.
fn calendar(with_timezone: bool) -> String {
    let mut lines: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//sdet-audit//ENT de reference//FR",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Emploi du temps 4A",
    ]
    .iter()
    .map(|l| (*l).to_string())
    .collect();
    if with_timezone {
        lines.extend(VTIMEZONE.iter().map(|l| (*l).to_string()));
    }
    for (uid, day, start, end, summary, room) in COURSES {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{uid}@ent-demo.invalid"),
            "DTSTAMP:20260901T060000Z".to_string(),
            format!("DTSTART;TZID=Europe/Paris:{day}T{start}"),
            format!("DTEND;TZID=Europe/Paris:{day}T{end}"),
            "RRULE:FREQ=WEEKLY;UNTIL=20270703T000000Z".to_string(),
            format!("SUMMARY:{summary}"),
            format!("LOCATION:{room}"),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    lines.join("\r\n") + "\r\n"
}

#[cfg(test)]
mod tests {
    use super::calendar;
    use sdet_probes::interop::ical::examine;

    #[test]
    fn the_timetable_is_valid_and_the_defect_breaks_exactly_the_timezone() {
        let clean = examine(&calendar(true)).expect("a calendar");
        assert!(clean.problems.is_empty(), "{:?}", clean.problems);
        assert_eq!(clean.events, 4);
        assert!(clean.personal.is_empty());
        let broken = examine(&calendar(false)).expect("a calendar");
        assert_eq!(
            broken
                .problems
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>(),
            vec!["TZID Europe/Paris is used but no VTIMEZONE defines it"]
        );
    }
}
