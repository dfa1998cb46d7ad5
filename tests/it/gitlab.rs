//! JUnit as GitLab reads it. GitLab's parser (`Gitlab::Ci::Parsers::Test::Junit`, read in
//! GitLab's source) is not an XSD: it turns the XML into a hash and walks it. What it does that
//! Jenkins' schema does not catch, and what this file checks on what we write:
//!
//! - it takes test cases only inside a `testsuite` or the top-level `testsuites`;
//! - a case's status is the first of `failure`, `error`, `skipped` it holds, else success;
//! - what a reader sees of a failed, erroneous or skipped case is that element's *text*: an element
//!   with attributes only reaches the page as a hash of its attributes;
//! - cases are keyed by a hash of suite name, class name and case name: two cases with the same
//!   three collapse into one, silently;
//! - `time` is read with Ruby's `to_f`, which turns `1,5` into 1.0 and `abc` into 0.0;
//! - Rails' XML-to-hash conversion reads a `type` attribute as a type cast: `yaml` and `symbol`
//!   make the whole file fail to parse, and `integer`, `boolean`, `date`… change the text.

use std::collections::{BTreeMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use sdet_audit::demo::Defect;
use sdet_audit::report::junit;
use sdet_audit::text::Lang;

use crate::examples::demo_report;

/// The type names Rails' `Hash.from_xml` casts or refuses.
const RAILS_TYPES: &[&str] = &[
    "array",
    "base64Binary",
    "binary",
    "boolean",
    "date",
    "datetime",
    "decimal",
    "double",
    "file",
    "float",
    "hash",
    "integer",
    "string",
    "symbol",
    "yaml",
];

/// One test case as GitLab keeps it.
#[derive(Debug)]
pub(crate) struct Case {
    pub suite: String,
    pub classname: String,
    pub name: String,
    /// `success`, `failed`, `error` or `skipped`.
    pub status: &'static str,
    /// What GitLab shows for it: the text of its status element.
    pub shown: String,
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .expect("attribute")
        .map(|a| a.unescape_value().expect("value").into_owned())
}

/// Reads `xml` as GitLab's parser does, and returns its cases, or what GitLab would refuse or
/// lose.
pub(crate) fn read(xml: &str) -> Result<Vec<Case>, Vec<String>> {
    let mut problems = Vec::new();
    let mut cases: Vec<Case> = Vec::new();
    let mut suites: Vec<String> = Vec::new();
    // The open status element of the current case, and its text so far.
    let mut open: Option<(&'static str, String)> = None;
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(vec![format!("not well-formed XML: {e}")]),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if let Some(kind) = attr(e, "type")
                    && RAILS_TYPES.contains(&kind.as_str())
                {
                    problems.push(format!("type=\"{kind}\" is a Rails type cast"));
                }
                match e.name().as_ref() {
                    b"testsuite" | b"testsuites" if !empty => {
                        suites.push(attr(e, "name").unwrap_or_default());
                    }
                    b"testcase" => {
                        if suites.is_empty() {
                            problems
                                .push("a test case outside testsuites/testsuite is ignored".into());
                        }
                        if let Some(time) = attr(e, "time")
                            && time.parse::<f64>().is_err()
                        {
                            problems.push(format!("time=\"{time}\" is not a decimal number"));
                        }
                        cases.push(Case {
                            suite: suites.last().cloned().unwrap_or_default(),
                            classname: attr(e, "classname").unwrap_or_default(),
                            name: attr(e, "name").unwrap_or_default(),
                            status: "success",
                            shown: String::new(),
                        });
                    }
                    name @ (b"failure" | b"error" | b"skipped") => {
                        let status = match name {
                            b"failure" => "failed",
                            b"error" => "error",
                            _ => "skipped",
                        };
                        let case = cases.last_mut().expect("a status inside a test case");
                        // The first status element decides, as in GitLab's `if/elsif`.
                        let rank = |s: &str| {
                            ["failed", "error", "skipped", "success"]
                                .iter()
                                .position(|x| *x == s)
                        };
                        if rank(status) < rank(case.status) {
                            case.status = status;
                        }
                        if empty {
                            case.shown.clear();
                        } else {
                            open = Some((status, String::new()));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, text)) = &mut open {
                    text.push_str(&t.xml_content().expect("text"));
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, text)) = &mut open {
                    let name = String::from_utf8_lossy(&r);
                    text.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "?",
                    });
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"testsuite" | b"testsuites" => {
                    suites.pop();
                }
                b"failure" | b"error" | b"skipped" => {
                    if let Some((status, text)) = open.take()
                        && let Some(case) = cases.last_mut()
                        && case.status == status
                    {
                        case.shown = text;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    let mut keys = HashSet::new();
    for case in &cases {
        if !keys.insert((&case.suite, &case.classname, &case.name)) {
            problems.push(format!(
                "two cases share suite, class and name, GitLab keeps one: {} / {} / {}",
                case.suite, case.classname, case.name
            ));
        }
        if case.status != "success" && case.shown.trim().is_empty() {
            problems.push(format!(
                "{} case {} shows nothing in GitLab (its {} element has no text)",
                case.status, case.name, case.status
            ));
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

/// The audit's JUnit, read as GitLab reads it: every criterion is one case with its verdict's
/// status, and every case that is not a success shows its reason.
#[tokio::test]
async fn gitlab_shows_every_criterion_with_its_verdict_and_reason() {
    for defects in [&[][..], Defect::ALL] {
        let report = demo_report(defects).await;
        for lang in [Lang::Fr, Lang::En] {
            let xml = junit::render(&report, lang);
            let cases = read(&xml).unwrap_or_else(|problems| {
                panic!(
                    "GitLab would misread the JUnit ({lang:?}):\n{}",
                    problems.join("\n")
                )
            });
            assert_eq!(cases.len(), report.criteria.len());
            let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
            for case in &cases {
                *statuses.entry(case.status).or_default() += 1;
            }
            let count = |verdicts: &[&str]| {
                report
                    .criteria
                    .iter()
                    .filter(|c| verdicts.contains(&c.verdict.as_str()))
                    .count()
            };
            let status = |s| statuses.get(s).copied().unwrap_or(0);
            assert_eq!(status("failed"), count(&["fail"]));
            assert_eq!(status("error"), count(&["error"]));
            assert_eq!(status("success"), count(&["pass"]));
            assert_eq!(
                status("skipped"),
                count(&[
                    "not_tested",
                    "not_applicable",
                    "waived",
                    "automated_part_verified"
                ])
            );
            // The reason a reader sees is the criterion's, in the report's language.
            for (case, row) in cases.iter().zip(&report.criteria) {
                if case.status != "success" {
                    assert!(
                        case.shown.contains(row.reason.get(lang).trim()),
                        "{}: GitLab shows {:?}, not the reason {:?}",
                        row.id,
                        case.shown,
                        row.reason.get(lang)
                    );
                }
            }
        }
    }
}

/// The reader is not a formality: it notices what GitLab would lose.
#[test]
fn the_gitlab_reader_notices_what_gitlab_would_lose() {
    let twice = r#"<testsuites><testsuite name="s">
        <testcase name="a" classname="c"/><testcase name="a" classname="c"/>
        </testsuite></testsuites>"#;
    assert!(read(twice).is_err());
    let silent = r#"<testsuite name="s"><testcase name="a" classname="c"><skipped message="why"/></testcase></testsuite>"#;
    assert!(read(silent).is_err());
    let shown = r#"<testsuite name="s"><testcase name="a" classname="c"><skipped message="why">why &amp; how</skipped></testcase></testsuite>"#;
    let cases = read(shown).expect("readable");
    assert_eq!(
        (cases[0].status, cases[0].shown.as_str()),
        ("skipped", "why & how")
    );
    let cast = r#"<testsuite name="s"><testcase name="a" classname="c"><failure type="yaml">x</failure></testcase></testsuite>"#;
    assert!(read(cast).is_err());
    let comma = r#"<testsuite name="s"><testcase name="a" classname="c" time="1,5"/></testsuite>"#;
    assert!(read(comma).is_err());
    let outside = r#"<testcase name="a" classname="c"/>"#;
    assert!(read(outside).is_err());
}
