//! Every renderer, on two kinds of report. Snapshots are of the small synthetic reports under
//! `fixtures/reports/` (every verdict, a gap, a waiver, a level to confirm, evidence, a file
//! location, a signer): every format in both languages, `compare` and `diff`, each short enough
//! to review. Real reports of the reference ENT are checked, not snapshotted: the JSON against
//! the published schema, SARIF against the official SARIF 2.1.0 schema, JUnit against the JUnit
//! XSD (xmllint) and for counts that add up, the HTML self-contained, and the example files
//! under reports/examples/ equal to what the code writes (ports, times, durations and per-run
//! form tokens normalised).

use std::collections::BTreeSet;
use std::path::Path;

use sdet_audit::demo::Defect;
use sdet_audit::report::{Report, csv, html, json, junit, markdown, read, sarif, terminal};
use sdet_audit::text::Lang;
use sdet_audit::{compare, diff};

use crate::examples::{self, demo_report, stable};
use crate::support::root;

pub(crate) fn validator(path: &Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(path).expect("schema readable");
    // The official SARIF schema's `language` pattern has a stray `]` that ECMA-262 reads as a
    // literal but this validator refuses as a regex; escaping it keeps the exact same meaning.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
    );
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// The published report schema with every object closed, as the tests read it: the published
/// one stays open so readers survive added fields, but an undocumented field must fail here.
pub(crate) fn strict_validator(path: &Path) -> jsonschema::Validator {
    fn close(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), false.into());
                }
                map.values_mut().for_each(close);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    let text = std::fs::read_to_string(path).expect("schema readable");
    let mut schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    close(&mut schema);
    jsonschema::validator_for(&schema).expect("schema compiles")
}

pub(crate) fn assert_valid(validator: &jsonschema::Validator, text: &str, what: &str) {
    let value: serde_json::Value = serde_json::from_str(text).expect("output is JSON");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// One of the small synthetic reports under `fixtures/reports/` (see its README).
fn small(name: &str) -> Report {
    let text = std::fs::read_to_string(root().join("fixtures/reports").join(name))
        .expect("fixture readable");
    read::parse(&text).expect("the fixture is a report")
}

/// The small reports are valid against the closed schema and written exactly as the JSON
/// renderer writes them, so each fixture is also the JSON renderer's snapshot; and the first
/// still holds everything the renderer snapshots are meant to show.
#[test]
fn the_small_reports_are_what_the_json_renderer_writes() {
    let schema = strict_validator(&root().join("reports/schema/report.v1.schema.json"));
    for name in ["small.json", "small-later.json"] {
        let text = std::fs::read_to_string(root().join("fixtures/reports").join(name))
            .expect("fixture readable");
        assert_valid(&schema, &text, name);
        let written = json::render(&small(name));
        if let Some((line, (w, t))) = written
            .lines()
            .zip(text.lines())
            .enumerate()
            .find(|(_, (w, t))| w != t)
        {
            panic!(
                "fixtures/reports/{name}:{} is not what the JSON renderer writes: {t:?}, written {w:?} \
                 (a deliberate change to the JSON contract: update the fixture, see its README)",
                line + 1
            );
        }
        assert_eq!(written.len(), text.len(), "fixtures/reports/{name}: length");
    }
    let report = small("small.json");
    let verdicts: BTreeSet<&str> = report.criteria.iter().map(|c| c.verdict.as_str()).collect();
    let outcomes: BTreeSet<&str> = report.probes.iter().map(|p| p.outcome.as_str()).collect();
    assert_eq!(
        verdicts,
        BTreeSet::from([
            "pass",
            "fail",
            "error",
            "automated_part_verified",
            "not_tested",
            "not_applicable",
            "waived"
        ])
    );
    assert_eq!(
        outcomes,
        BTreeSet::from(["pass", "fail", "error", "skipped"])
    );
    assert!(!report.gaps.is_empty() && !report.waivers.is_empty());
    assert!(!report.perimeter.to_confirm_failed.is_empty());
    assert!(report.probes.iter().any(|p| !p.evidence.is_empty()));
    assert!(report.probes.iter().any(|p| !p.locations.is_empty()));
    assert!(report.signature.is_some());
}

#[tokio::test]
async fn json_sarif_and_junit_of_real_audits_match_their_schemas() {
    let report_schema = strict_validator(&root().join("reports/schema/report.v1.schema.json"));
    let sarif_schema = validator(&root().join("fixtures/schemas/sarif/sarif-2.1.0-rtm.5.json"));
    let mut reports = vec![small("small.json"), small("small-later.json")];
    for defects in [&[][..], Defect::ALL] {
        reports.push(demo_report(defects).await);
    }
    for report in &reports {
        assert_valid(&report_schema, &json::render(report), "the JSON report");
        for lang in [Lang::Fr, Lang::En] {
            assert_valid(&sarif_schema, &sarif::render(report, lang), "the SARIF log");
            let xml = junit::render(report, lang);
            check_junit(report, &xml);
            xsd_valid(&xml, &root().join("fixtures/schemas/junit/junit-10.xsd"));
        }
    }
    // The schema is not a formality: a report missing a field or with an unknown verdict fails it.
    let mut value: serde_json::Value =
        serde_json::from_str(&json::render(&demo_report(&[]).await)).expect("json");
    // The published schema is open and named: a field added in 1.x does not break a reader
    // that validates, while the closed copy the tests use notices it is undocumented.
    let published = validator(&root().join("reports/schema/report.v1.schema.json"));
    let mut added = value.clone();
    added["criteria"][0]["added_in_1_x"] = true.into();
    added["added_in_1_x"] = true.into();
    assert!(published.is_valid(&added));
    assert!(!report_schema.is_valid(&added));
    let text = std::fs::read_to_string(root().join("reports/schema/report.v1.schema.json"))
        .expect("schema");
    assert!(text.contains("\"$id\"") && !text.contains("\"additionalProperties\": false"));
    value["criteria"][0]["verdict"] = "maybe".into();
    assert!(!report_schema.is_valid(&value));
    let mut log: serde_json::Value = serde_json::from_str(&sarif::render(
        &demo_report(&[Defect::CasAcceptAnyTicket]).await,
        Lang::Fr,
    ))
    .expect("json");
    assert!(sarif_schema.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !sarif_schema.is_valid(&log),
        "the SARIF schema must catch a bad level"
    );
}

/// Validates `xml` against an XSD with xmllint (Debian `libxml2-utils`, installed by .ci/run):
/// without it the test fails rather than skipping the check.
pub(crate) fn xsd_valid(xml: &str, xsd: &Path) {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), xml).expect("write xml");
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(xsd)
        .arg(file.path())
        .output()
        .expect("xmllint is needed for this test (Debian: apt-get install libxml2-utils; .ci/run installs it)");
    assert!(
        out.status.success(),
        "not valid against {}:\n{}",
        xsd.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// JUnit as CI systems read it: counts that add up, one outcome element per test case, and
/// FAIL → failure, ERROR → error, not tested / not applicable / waived → skipped.
fn check_junit(report: &Report, xml: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut suites, mut cases, mut failures, mut errors, mut skipped) = (0, 0, 0, 0, 0);
    let mut declared = (0usize, 0usize, 0usize, 0usize);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .expect("attribute")
                        .map(|a| a.unescape_value().expect("value").into_owned())
                };
                match e.name().as_ref() {
                    b"testsuites" => {
                        let n = |k| attr(k).expect("count").parse::<usize>().expect("number");
                        declared = (n("tests"), n("failures"), n("errors"), declared.3);
                    }
                    b"testsuite" => {
                        suites += 1;
                        let skipped = attr("skipped")
                            .expect("count")
                            .parse::<usize>()
                            .expect("number");
                        declared.3 += skipped;
                    }
                    b"testcase" => {
                        cases += 1;
                        assert!(attr("name").is_some() && attr("classname").is_some());
                    }
                    b"failure" => failures += 1,
                    b"error" => errors += 1,
                    b"skipped" => skipped += 1,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let count = |v: &str| {
        report
            .criteria
            .iter()
            .filter(|c| c.verdict.as_str() == v)
            .count()
    };
    assert_eq!(suites, report.grid.axes.len());
    assert_eq!(declared, (cases, failures, errors, skipped));
    assert_eq!(cases, report.criteria.len());
    assert_eq!(failures, count("fail"));
    assert_eq!(errors, count("error"));
    assert_eq!(
        skipped,
        count("not_tested")
            + count("not_applicable")
            + count("waived")
            + count("automated_part_verified")
    );
}

/// Every renderer on the small synthetic report, in both languages where the output depends on
/// it: each snapshot is a few dozen to a few hundred lines, so a renderer change reads as a
/// reviewable diff. The full demo is checked once, by `committed_examples_are_what_the_code_writes`.
#[test]
fn every_renderer_on_the_small_report() {
    let report = small("small.json");
    for (lang, suffix) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let terminal = terminal::render(&report, terminal::RenderOptions { lang, color: false });
        insta::assert_snapshot!(format!("small_terminal_{suffix}"), terminal);
        insta::assert_snapshot!(
            format!("small_markdown_{suffix}"),
            markdown::render(&report, lang)
        );
        insta::assert_snapshot!(
            format!("small_html_{suffix}"),
            html::render(&report, lang).expect("renders")
        );
        insta::assert_snapshot!(format!("small_csv_{suffix}"), csv::render(&report, lang));
        insta::assert_snapshot!(
            format!("small_junit_{suffix}"),
            junit::render(&report, lang)
        );
        insta::assert_snapshot!(
            format!("small_sarif_{suffix}"),
            sarif::render(&report, lang)
        );
    }
}

/// `compare` and `diff` of the small report and the same ENT a month later: one fix, one new
/// failure, one other verdict change, the columns named as `--label` names them.
#[test]
fn compare_and_diff_of_two_small_reports() {
    let (before, after) = (small("small.json"), small("small-later.json"));
    let mut comparison = compare::build(&[before.clone(), after.clone()]).expect("comparable");
    comparison.bids[0].name = "septembre".into();
    comparison.bids[1].name = "octobre".into();
    let mut settings = insta::Settings::clone_current();
    // The page names the tool that wrote it: not what this snapshot is about.
    settings.add_filter(
        &regex::escape(&format!("sdet-audit {}", env!("CARGO_PKG_VERSION"))),
        "sdet-audit [version]",
    );
    settings.bind(|| {
        for (lang, suffix) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
            insta::assert_snapshot!(
                format!("small_compare_terminal_{suffix}"),
                compare::terminal(&comparison, lang)
            );
        }
        insta::assert_snapshot!("small_compare_csv_fr", compare::csv(&comparison, Lang::Fr));
        insta::assert_snapshot!(
            "small_compare_html_fr",
            compare::html::render(&comparison, Lang::Fr).expect("renders")
        );
    });
    let d = diff::build(&before, &after);
    assert_eq!(d.exit_code(), 1, "a new failure fails the diff");
    for (lang, suffix) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        insta::assert_snapshot!(format!("small_diff_{suffix}"), diff::render(&d, lang));
    }
    insta::assert_snapshot!("small_diff_json", json::versioned(&d));
}

#[tokio::test]
async fn the_html_report_refers_to_nothing_outside_itself() {
    let report = stable(&demo_report(Defect::ALL).await);
    let external =
        regex::Regex::new(r#"(?i)(src|href|action|poster|data)\s*=\s*["']?\s*(https?:|//|ftp:)"#)
            .expect("pattern");
    for lang in [Lang::Fr, Lang::En] {
        let page = html::render(&report, lang).expect("renders");

        assert!(
            !external.is_match(&page),
            "external reference: {:?}",
            external.find(&page)
        );
        for forbidden in [
            "@import", "url(", "<link", "<iframe", "<img", "<object", "<embed",
        ] {
            assert!(!page.contains(forbidden), "{forbidden} in the page");
        }
        // What the ENT sent is shown as text, never as markup.
        assert!(
            page.contains("&lt;!DOCTYPE html&gt;"),
            "body excerpts must be escaped"
        );
    }
}

/// The committed examples are what the code writes today; the test never writes them (a test that
/// rewrote tracked files would leave every fresh clone dirty).
#[tokio::test]
async fn committed_examples_are_what_the_code_writes() {
    let stale = examples::stale(&examples::folder(), &examples::files().await);
    assert!(
        stale.is_empty(),
        "reports/examples/ is out of date for {stale:?}: run `cargo run --example regenerate` and commit the result"
    );
}
