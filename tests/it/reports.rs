//! Every renderer on real reports of the reference ENT: snapshots of each format on a report made
//! stable (ports, times, durations and per-run form tokens normalised), the JSON validated against
//! the published schema, SARIF against the official SARIF 2.1.0 schema, JUnit against the JUnit
//! XSD (xmllint) and for counts that add up, and the example files under reports/examples/
//! regenerated.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sdet_audit::audit::{self, Silent};
use sdet_audit::demo::Defect;
use sdet_audit::report::{Report, csv, html, json, junit, markdown, sarif, terminal};
use sdet_audit::text::Lang;
use sdet_audit::waiver::WaiverPolicy;

use crate::support::root;

/// Audits the reference ENT with `defects` and the demo waivers.
pub async fn demo_report(defects: &[Defect]) -> Report {
    let defects: BTreeSet<Defect> = defects.iter().copied().collect();
    let extra = audit::demo::DemoAudit {
        waivers: Some(root().join("fixtures/waivers/demo.yaml")),
        waiver_policy: WaiverPolicy::default(),
    };
    audit::demo::run_with(&defects, &extra, &Silent)
        .await
        .expect("demo audit runs")
}

/// The report with what varies between runs replaced by fixed values.
pub fn stable(report: &Report) -> Report {
    let text = json::render(report);
    let rules = [
        (r"127\.0\.0\.1(:|%3A)\d+", "127.0.0.1${1}4430"),
        (
            r#"\\"execution\\" value=\\"[^"\\]+\\""#,
            r#"\"execution\" value=\"[jeton]\""#,
        ),
        (
            r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
            "Tue, 01 Sep 2026 08:00:00 GMT",
        ),
        (r#""duration_ms": \d+"#, r#""duration_ms": 0"#),
        // The demo's SAML certificate is made at each start; so is the length of its metadata.
        (
            r"<ds:X509Certificate>[A-Za-z0-9+/=\s]+</ds:X509Certificate>",
            "<ds:X509Certificate>[certificat]</ds:X509Certificate>",
        ),
        (r#"("content-length",\s*)"\d+""#, r#"${1}"[n]""#),
        // Likewise its OpenID Connect signing key: its id and RSA modulus.
        (r"\bent-[A-Za-z0-9]{8}\b", "ent-[kid]"),
        (r#"\\"n\\":\\"[A-Za-z0-9_-]+\\""#, r#"\"n\":\"[modulus]\""#),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
            "2026-09-01T08:00:00Z",
        ),
    ];
    let mut text = text;
    for (pattern, with) in rules {
        text = regex::Regex::new(pattern)
            .expect("valid pattern")
            .replace_all(&text, with)
            .into_owned();
    }
    serde_json::from_str(&text).expect("a normalised report is still a report")
}

fn validator(path: &Path) -> jsonschema::Validator {
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

fn assert_valid(validator: &jsonschema::Validator, text: &str, what: &str) {
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

#[tokio::test]
async fn json_sarif_and_junit_of_real_audits_match_their_schemas() {
    let report_schema = validator(&root().join("reports/schema/report.v1.schema.json"));
    let sarif_schema = validator(&root().join("fixtures/schemas/sarif/sarif-2.1.0-rtm.5.json"));
    for defects in [&[][..], Defect::ALL] {
        let report = demo_report(defects).await;
        assert_valid(&report_schema, &json::render(&report), "the JSON report");
        for lang in [Lang::Fr, Lang::En] {
            assert_valid(
                &sarif_schema,
                &sarif::render(&report, lang),
                "the SARIF log",
            );
            let xml = junit::render(&report, lang);
            check_junit(&report, &xml);
            xsd_valid(&xml, &root().join("fixtures/schemas/junit/junit-10.xsd"));
        }
    }
    // The schema is not a formality: a report missing a field or with an unknown verdict fails it.
    let mut value: serde_json::Value =
        serde_json::from_str(&json::render(&demo_report(&[]).await)).expect("json");
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
fn xsd_valid(xml: &str, xsd: &Path) {
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

#[tokio::test]
async fn every_renderer_snapshot() {
    let report = stable(
        &demo_report(&[
            Defect::CasAcceptAnyTicket,
            Defect::NoHsts,
            Defect::InsecureCookies,
        ])
        .await,
    );
    insta::assert_snapshot!("markdown_fr", markdown::render(&report, Lang::Fr));
    insta::assert_snapshot!("markdown_en", markdown::render(&report, Lang::En));
    insta::assert_snapshot!("csv_fr", csv::render(&report, Lang::Fr));
    insta::assert_snapshot!("csv_en", csv::render(&report, Lang::En));
    insta::assert_snapshot!("junit_fr", junit::render(&report, Lang::Fr));
    insta::assert_snapshot!("sarif_en", sarif::render(&report, Lang::En));
    insta::assert_snapshot!("html_fr", html::render(&report, Lang::Fr).expect("renders"));
    insta::assert_snapshot!(
        "terminal_waivers_en",
        terminal::render(
            &report,
            terminal::RenderOptions {
                lang: Lang::En,
                color: false
            }
        )
    );
}

/// Writes `files` under `dir`; on CI, a file that had to change fails the test, so the examples
/// in the repository always match what the tool writes.
pub fn refresh(dir: &Path, files: &[(String, String)]) {
    std::fs::create_dir_all(dir).expect("examples folder");
    let mut stale = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).expect("write example");
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty() || std::env::var_os("CI").is_none(),
        "examples were out of date (rewritten; run `cargo test` and commit them): {stale:?}"
    );
}

#[tokio::test]
async fn examples_are_regenerated() {
    let mut files = Vec::new();
    for (name, defects) in [("demo-clean", &[][..]), ("demo-defects", Defect::ALL)] {
        let report = stable(&demo_report(defects).await);
        files.push((format!("{name}.json"), json::render(&report)));
        files.push((format!("{name}.md"), markdown::render(&report, Lang::Fr)));
        files.push((format!("{name}.csv"), csv::render(&report, Lang::Fr)));
        files.push((
            format!("{name}.junit.xml"),
            junit::render(&report, Lang::Fr),
        ));
        files.push((format!("{name}.sarif"), sarif::render(&report, Lang::Fr)));
        files.push((
            format!("{name}.html"),
            html::render(&report, Lang::Fr).expect("renders"),
        ));
        files.push((
            format!("{name}.en.html"),
            html::render(&report, Lang::En).expect("renders"),
        ));
        files.push((
            format!("{name}.txt"),
            terminal::render(
                &report,
                terminal::RenderOptions {
                    lang: Lang::Fr,
                    color: false,
                },
            ),
        ));
    }
    refresh(&root().join("reports/examples"), &files);
}

/// Where tests keep artifacts a person may want to look at (screenshots).
pub fn artifacts() -> PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}
