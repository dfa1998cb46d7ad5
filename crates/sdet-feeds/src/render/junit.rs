//! `feeds check` as JUnit XML, for CI systems that show test results (GitLab, Jenkins): one test
//! suite per file, one test case per finding code met in it — a failure for an error code, a
//! passed case carrying its findings for a warning code — and, for a file without findings, one
//! passed case saying it was read and checked. Rules that met nothing are not listed as passed:
//! not every rule applies to every kind of file.

use std::fmt::Write as _;

use super::super::code::{Code, Severity};
use super::super::finding::Finding;
use super::super::report::{FeedReport, FileReport};
use sdet_core::text::{Lang, pick};
use sdet_core::xml::{escape_attr as attr, escape_text as text};

/// Renders the report as JUnit XML, messages in `lang`.
pub fn render(report: &FeedReport, lang: Lang) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for file in &report.files {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.file == file.path)
            .collect();
        let (cases, failed) = cases(file, &findings, lang);
        tests += cases.len();
        failures += failed;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            attr(&file.path),
            cases.len(),
        );
        for case in cases {
            suites.push_str(&case);
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sdet-audit feeds check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n"
    )
}

/// The test cases of one file, and how many failed.
fn cases(file: &FileReport, findings: &[&Finding], lang: Lang) -> (Vec<String>, usize) {
    let mut codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
    codes.sort();
    codes.dedup();
    if codes.is_empty() {
        let name = pick(
            lang,
            "lu et vérifié, aucun constat",
            "read and checked, no finding",
        );
        let case = format!(
            "    <testcase classname=\"{}\" name=\"{name}\"/>\n",
            attr(&file.path)
        );
        return (vec![case], 0);
    }
    let mut failed = 0;
    let cases = codes
        .into_iter()
        .map(|code| {
            let lines: Vec<String> = findings
                .iter()
                .filter(|f| f.code == code)
                .map(|f| describe(f, lang))
                .collect();
            let name = format!(
                "{} — {}",
                code.as_str(),
                pick(lang, code.description_fr(), code.description())
            );
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{}\">\n",
                attr(&file.path),
                attr(&name)
            );
            let body = match code.severity() {
                Severity::Error => {
                    failed += 1;
                    format!(
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                        attr(lines.first().map_or("", String::as_str)),
                        code.as_str(),
                        text(&lines.join("\n"))
                    )
                }
                Severity::Warning => {
                    format!(
                        "      <system-out>{}</system-out>\n",
                        text(&lines.join("\n"))
                    )
                }
            };
            format!("{head}{body}    </testcase>\n")
        })
        .collect();
    (cases, failed)
}

/// `EtabEducNat.xml:12 [123]: message`.
fn describe(f: &Finding, lang: Lang) -> String {
    let place = f
        .line
        .map_or_else(|| f.file.clone(), |l| format!("{}:{l}", f.file));
    let record = f
        .record
        .as_deref()
        .map_or(String::new(), |r| format!(" [{r}]"));
    let colon = pick(lang, " :", ":");
    format!("{place}{record}{colon} {}", f.message.get(lang))
}
