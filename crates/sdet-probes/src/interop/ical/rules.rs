//! RFC 5545 rules a published calendar must meet, checked on the parsed text: one VCALENDAR with
//! VERSION:2.0 and PRODID; each VEVENT with UID, DTSTAMP (in UTC) and a well-formed DTSTART;
//! UIDs unique (a recurrence override shares its UID but carries a RECURRENCE-ID); a VTIMEZONE
//! for every TZID used. And the personal data a calendar anyone can read must not carry.
//!
//! The structure is first checked line by line (every content line `NAME[;params]:value`, BEGIN
//! and END balanced, nesting and component count bounded) so that hostile input — an HTML page
//! served with status 200, a bomb of nested components — is refused with a line number before the
//! parser (recursive) ever sees it.

use std::collections::{BTreeSet, HashSet};

use icalendar::parser::{Component, read_components, unfold};

use super::personal::personal_data;
use crate::interop::published::Unreadable;
use sdet_core::text::Text;

/// Components nested deeper than this are refused (VCALENDAR > VEVENT > VALARM is 3).
const MAX_DEPTH: usize = 8;
/// Components beyond this count are refused.
const MAX_COMPONENTS: usize = 50_000;
/// Problems listed at most; the rest are counted.
const MAX_LISTED: usize = 10;

/// What a calendar holds and what is wrong with it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Examination {
    /// VEVENTs found.
    pub events: usize,
    /// RFC 5545 violations, each precise (component, UID, property).
    pub problems: Vec<Text>,
    /// Personal data found: property names and the UID of their event, never the values.
    pub personal: Vec<Text>,
}

/// Why the text is not a calendar at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotCalendar {
    /// It does not start with BEGIN:VCALENDAR (an HTML page, JSON, nothing).
    #[error("does not start with BEGIN:VCALENDAR (starts with « {0} »)")]
    NotIcal(String),
    /// A structural error at a line.
    #[error("line {line}: {}", why.en)]
    Malformed {
        /// 1-based line, after unfolding.
        line: usize,
        /// What is wrong.
        why: Text,
    },
    /// Too deep or too many components.
    #[error("more than {MAX_DEPTH} nested or {MAX_COMPONENTS} components")]
    TooLarge,
    /// The parser refused it.
    #[error("unparseable: {0}")]
    Parser(String),
}

impl Unreadable for NotCalendar {
    /// The reason in French.
    fn french(&self) -> String {
        match self {
            NotCalendar::NotIcal(start) => {
                format!("ne commence pas par BEGIN:VCALENDAR (commence par « {start} »)")
            }
            NotCalendar::Malformed { line, why } => format!("ligne {line} : {}", why.fr),
            NotCalendar::TooLarge => {
                format!(
                    "plus de {MAX_DEPTH} niveaux d'imbrication ou de {MAX_COMPONENTS} composants"
                )
            }
            NotCalendar::Parser(e) => format!("illisible : {e}"),
        }
    }
}

fn t(fr: String, en: String) -> Text {
    Text::new(fr, en)
}

/// Examines calendar `text`.
pub fn examine(text: &str) -> Result<Examination, NotCalendar> {
    let text = text.trim_start_matches('\u{feff}');
    let unfolded = unfold(text);
    structure(&unfolded)?;
    let roots = read_components(&unfolded).map_err(|e| {
        NotCalendar::Parser(
            e.lines()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(200)
                .collect(),
        )
    })?;
    let mut exam = Examination::default();
    match roots.as_slice() {
        [root] if root.name.as_str() == "VCALENDAR" => calendar(root, &mut exam),
        _ => exam.problems.push(t(
            format!(
                "{} composants de premier niveau : un seul VCALENDAR attendu",
                roots.len()
            ),
            format!(
                "{} top-level components: exactly one VCALENDAR expected",
                roots.len()
            ),
        )),
    }
    if exam.problems.len() > MAX_LISTED {
        let more = exam.problems.len() - MAX_LISTED;
        exam.problems.truncate(MAX_LISTED);
        exam.problems.push(t(
            format!("… et {more} de plus"),
            format!("… and {more} more"),
        ));
    }
    Ok(exam)
}

/// Line-level structure: content lines, balanced BEGIN/END, bounded nesting and size.
fn structure(unfolded: &str) -> Result<(), NotCalendar> {
    let first = unfolded
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    if !first.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(NotCalendar::NotIcal(first.chars().take(60).collect()));
    }
    let mut stack: Vec<String> = Vec::new();
    let mut count = 0usize;
    for (i, line) in unfolded.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let malformed = |fr: String, en: String| NotCalendar::Malformed {
            line: i + 1,
            why: t(fr, en),
        };
        let Some((name, value)) = line.split_once(':') else {
            let start: String = line.chars().take(40).collect();
            return Err(malformed(
                format!("pas une ligne de contenu : « {start} »"),
                format!("not a content line: « {start} »"),
            ));
        };
        let name = name
            .split(';')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let value = value.trim().to_ascii_uppercase();
        match name.as_str() {
            "BEGIN" => {
                count += 1;
                stack.push(value);
                if stack.len() > MAX_DEPTH || count > MAX_COMPONENTS {
                    return Err(NotCalendar::TooLarge);
                }
            }
            "END" => match stack.pop() {
                Some(open) if open == value => {}
                Some(open) => {
                    return Err(malformed(
                        format!("END:{value} ferme BEGIN:{open}"),
                        format!("END:{value} closes BEGIN:{open}"),
                    ));
                }
                None => {
                    return Err(malformed(
                        "END sans BEGIN".into(),
                        "END without BEGIN".into(),
                    ));
                }
            },
            _ if stack.is_empty() => {
                return Err(malformed(
                    "contenu après END:VCALENDAR".into(),
                    "content after END:VCALENDAR".into(),
                ));
            }
            _ => {}
        }
    }
    match stack.last() {
        Some(open) => Err(NotCalendar::Malformed {
            line: unfolded.lines().count(),
            why: t(
                format!("BEGIN:{open} jamais terminé (tronqué ?)"),
                format!("BEGIN:{open} never ended (truncated?)"),
            ),
        }),
        None => Ok(()),
    }
}

fn value<'c>(component: &'c Component<'_>, name: &str) -> Option<&'c str> {
    component.find_prop(name).map(|p| p.val.as_str())
}

fn calendar(root: &Component<'_>, exam: &mut Examination) {
    match value(root, "VERSION") {
        Some("2.0") => {}
        Some(other) => exam.problems.push(t(
            format!("VERSION du VCALENDAR : {other}, pas 2.0"),
            format!("VCALENDAR VERSION is {other}, not 2.0"),
        )),
        None => exam.problems.push(t(
            "VCALENDAR sans VERSION".into(),
            "VCALENDAR has no VERSION".into(),
        )),
    }
    if value(root, "PRODID").is_none_or(|p| p.trim().is_empty()) {
        exam.problems.push(t(
            "VCALENDAR sans PRODID".into(),
            "VCALENDAR has no PRODID".into(),
        ));
    }
    let timezones: HashSet<&str> = root
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VTIMEZONE")
        .filter_map(|c| value(c, "TZID"))
        .collect();
    let mut used_tzids = BTreeSet::new();
    let mut keys = HashSet::new();
    for (n, event) in root
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.name.as_str() == "VEVENT")
    {
        exam.events += 1;
        let uid = value(event, "UID").unwrap_or_default();
        let at = if uid.is_empty() {
            format!("VEVENT #{}", n + 1)
        } else {
            format!("VEVENT {uid}")
        };
        if uid.is_empty() {
            exam.problems
                .push(t(format!("{at} sans UID"), format!("{at} has no UID")));
        } else if !keys.insert((
            uid.to_string(),
            value(event, "RECURRENCE-ID").map(str::to_string),
        )) {
            exam.problems.push(t(
                format!("UID {uid} utilisé par plusieurs VEVENT"),
                format!("UID {uid} is used by more than one VEVENT"),
            ));
        }
        match value(event, "DTSTAMP") {
            Some(v) if is_date_time(v) && v.ends_with('Z') => {}
            Some(v) => exam.problems.push(t(
                format!("{at} : DTSTAMP « {v} » n'est pas une date-heure UTC"),
                format!("{at}: DTSTAMP « {v} » is not a UTC date-time"),
            )),
            None => exam.problems.push(t(
                format!("{at} sans DTSTAMP"),
                format!("{at} has no DTSTAMP"),
            )),
        }
        match value(event, "DTSTART") {
            Some(v) if is_date_time(v) || is_date(v) => {}
            Some(v) => exam.problems.push(t(
                format!("{at} : DTSTART « {v} » n'est ni une date ni une date-heure"),
                format!("{at}: DTSTART « {v} » is not a date or date-time"),
            )),
            None => exam.problems.push(t(
                format!("{at} sans DTSTART"),
                format!("{at} has no DTSTART"),
            )),
        }
        if event.find_prop("DTEND").is_some() && event.find_prop("DURATION").is_some() {
            exam.problems.push(t(
                format!("{at} a à la fois DTEND et DURATION"),
                format!("{at} has both DTEND and DURATION"),
            ));
        }
        for prop in &event.properties {
            for param in prop
                .params
                .iter()
                .filter(|p| p.key.as_str().eq_ignore_ascii_case("TZID"))
            {
                if let Some(tz) = &param.val {
                    used_tzids.insert(tz.as_str().to_string());
                }
            }
        }
        personal_data(event, &at, &mut exam.personal);
    }
    for tz in used_tzids
        .iter()
        .filter(|tz| !timezones.contains(tz.as_str()))
    {
        exam.problems.push(t(
            format!("TZID {tz} utilisé sans VTIMEZONE qui le définisse"),
            format!("TZID {tz} is used but no VTIMEZONE defines it"),
        ));
    }
}

/// `YYYYMMDDTHHMMSS` with an optional `Z`.
fn is_date_time(v: &str) -> bool {
    let v = v.strip_suffix('Z').unwrap_or(v);
    // Dates are ASCII digits; checking it first keeps every slice below on character boundaries.
    v.is_ascii()
        && v.len() == 15
        && v.as_bytes()[8] == b'T'
        && is_date(&v[..8])
        && v[9..].bytes().all(|b| b.is_ascii_digit())
}

/// `YYYYMMDD`.
fn is_date(v: &str) -> bool {
    v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ent//FR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a@ent\r\nDTSTAMP:20261101T080000Z\r\nDTSTART;TZID=Europe/Paris:20261124T080000\r\nSUMMARY:Mathé\r\n matiques\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_good_calendar_has_no_problem() {
        let exam = examine(GOOD).unwrap();
        assert_eq!(
            (exam.events, exam.problems.len(), exam.personal.len()),
            (1, 0, 0)
        );
    }

    #[test]
    fn names_each_rfc_5545_violation() {
        let bad = GOOD
            .replace("PRODID:-//ent//FR\r\n", "")
            .replace("DTSTAMP:20261101T080000Z", "DTSTAMP:20261101T080000")
            .replace("TZID=Europe/Paris", "TZID=Europe/Brussels")
            .replace(
                "END:VEVENT\r\n",
                "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a@ent\r\nDTSTART:2026-11-24\r\nEND:VEVENT\r\n",
            );
        let exam = examine(&bad).unwrap();
        assert_eq!(
            exam.problems
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>(),
            vec![
                "VCALENDAR has no PRODID",
                "VEVENT a@ent: DTSTAMP « 20261101T080000 » is not a UTC date-time",
                "UID a@ent is used by more than one VEVENT",
                "VEVENT a@ent has no DTSTAMP",
                "VEVENT a@ent: DTSTART « 2026-11-24 » is not a date or date-time",
                "TZID Europe/Brussels is used but no VTIMEZONE defines it",
            ]
        );
    }

    #[test]
    fn odd_date_values_are_problems_not_panics() {
        for odd in ["2026110é0800000", "20261101T0800é", "é", ""] {
            let cal = GOOD.replace("DTSTAMP:20261101T080000Z", &format!("DTSTAMP:{odd}"));
            assert!(!examine(&cal).unwrap().problems.is_empty(), "{odd}");
        }
    }

    #[test]
    fn recurrence_overrides_share_their_uid() {
        let with_override = GOOD.replace(
            "END:VEVENT\r\n",
            "END:VEVENT\r\nBEGIN:VEVENT\r\nUID:a@ent\r\nRECURRENCE-ID:20261201T070000Z\r\nDTSTAMP:20261101T080000Z\r\nDTSTART:20261201T090000Z\r\nEND:VEVENT\r\n",
        );
        assert!(examine(&with_override).unwrap().problems.is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_calendar_with_a_line() {
        assert!(matches!(
            examine("<!DOCTYPE html><html>"),
            Err(NotCalendar::NotIcal(_))
        ));
        assert!(matches!(examine(""), Err(NotCalendar::NotIcal(_))));
        let truncated = &GOOD[..GOOD.find("END:VEVENT").unwrap()];
        assert!(matches!(
            examine(truncated),
            Err(NotCalendar::Malformed { .. })
        ));
        let garbage = GOOD.replace("SUMMARY:", "SUMMARY ");
        assert_eq!(
            examine(&garbage).unwrap_err().to_string(),
            "line 16: not a content line: « SUMMARY Mathématiques »"
        );
        let bomb = format!("BEGIN:VCALENDAR\n{}", "BEGIN:X\n".repeat(100_000));
        assert_eq!(examine(&bomb).unwrap_err(), NotCalendar::TooLarge);
    }

    #[test]
    fn finds_personal_data_without_quoting_it() {
        let with_people = GOOD.replace(
            "SUMMARY:",
            "ORGANIZER;CN=Mme Durand:mailto:durand@college.example.fr\r\nDESCRIPTION:Appeler le 06 12 34 56 78\r\nLOCATION:salle B12, contact: a.b@ent.fr\r\nSUMMARY:",
        );
        let exam = examine(&with_people).unwrap();
        assert_eq!(
            exam.personal
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>(),
            vec![
                "ORGANIZER (VEVENT a@ent)",
                "phone number in DESCRIPTION (VEVENT a@ent)",
                "e-mail address in LOCATION (VEVENT a@ent)",
            ]
        );
    }
}
