//! The JUnit XML renderer, for CI systems that show test results: one test suite per axis, one
//! test case per criterion. A failed criterion is a `<failure>`, an undecided one an `<error>`
//! (never a failure: the probe could not decide), and one not tested, not applicable or waived is
//! `<skipped>` with the reason. The failure text carries what the probes expected and observed.

use std::fmt::Write as _;

use super::labels;
use super::{CriterionRow, Report};
use sdet_core::text::{Lang, pick};
use sdet_core::verdict::Verdict;
use sdet_core::xml::{escape_attr as attr, escape_text as text};

/// Renders the report as JUnit XML.
pub fn render(report: &Report, lang: Lang) -> String {
    let mut suites = String::new();
    let mut total = Counts::default();
    for axis in &report.grid.axes {
        let rows: Vec<&CriterionRow> = report
            .criteria
            .iter()
            .filter(|r| r.axis == axis.id)
            .collect();
        let counts = Counts::of(&rows);
        total.add(&counts);
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" timestamp=\"{}\">",
            attr(axis.name.get(lang)),
            counts.tests,
            counts.failures,
            counts.errors,
            counts.skipped,
            attr(&report.generated_at),
        );
        let signature = report
            .signature
            .as_ref()
            .map(|s| {
                format!(
                    "\n      <property name=\"signature\" value=\"{}\"/>",
                    attr(&s.line(lang))
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            suites,
            "    <properties>\n      <property name=\"axis\" value=\"{}\"/>{signature}\n    </properties>",
            attr(&axis.id)
        );
        for r in rows {
            testcase(&mut suites, report, r, lang);
        }
        suites.push_str("  </testsuite>\n");
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        attr(&format!(
            "{} — SDET {} — {} — {}",
            report.tool.name,
            report.grid.sdet_version,
            report.target.name,
            labels::headline(report, lang)
        )),
        total.tests,
        total.failures,
        total.errors,
    );
    out.push_str(&suites);
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, report: &Report, r: &CriterionRow, lang: Lang) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        attr(&format!("{} — {}", r.id, r.title.get(lang))),
        attr(&format!("sdet.{}.{}", r.axis, r.level.as_str())),
    );
    let reason = r.reason.get(lang);
    let (element, kind) = match r.verdict {
        Verdict::Pass => {
            out.push_str("/>\n");
            return;
        }
        Verdict::Fail => ("failure", labels::level(r.level, lang)),
        Verdict::Error => ("error", pick(lang, "erreur de sonde", "probe error")),
        Verdict::NotTested
        | Verdict::NotApplicable
        | Verdict::Waived
        | Verdict::AutomatedPartVerified => {
            // The reason goes in the message (Jenkins shows it) and as the element's text, which
            // is what GitLab shows for a skipped case: an empty element reaches its page as a
            // hash of attributes.
            let why = format!(
                "{}{}{reason}",
                labels::verdict(r.verdict, lang),
                pick(lang, " : ", ": ")
            );
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\">{}</skipped>\n    </testcase>",
                attr(&why),
                text(&why)
            );
            return;
        }
    };
    let gap = if labels::is_gap(report, r) {
        format!(
            "{} {}\n",
            pick(
                lang,
                "ÉCART : le fournisseur déclare",
                "GAP: the vendor declares"
            ),
            labels::claim(r, lang)
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        ">\n      <{element} message=\"{}\" type=\"{}\">{}</{element}>\n    </testcase>",
        attr(reason),
        attr(kind),
        // The reason opens the text too: GitLab shows the text, never the message attribute.
        text(&format!("{reason}\n{gap}{}", details(report, r, lang))),
    );
}

/// What the criterion's probes expected, observed and exchanged.
fn details(report: &Report, r: &CriterionRow, lang: Lang) -> String {
    let mut out = String::new();
    for p in report.probes.iter().filter(|p| r.probes.contains(&p.id)) {
        // The outcome in the report's words: the machine name is for machine formats.
        let (fr, en) = p.outcome.words();
        let _ = writeln!(
            out,
            "{} [{}] {}",
            p.id,
            pick(lang, fr, en),
            p.message.get(lang)
        );
        if let Some(e) = &p.expected {
            let e = e.get(lang);
            let _ = writeln!(out, "  {} {e}", pick(lang, "attendu :", "expected:"));
        }
        if let Some(o) = &p.observed {
            let o = o.get(lang);
            let _ = writeln!(out, "  {} {o}", pick(lang, "observé :", "observed:"));
        }
        for x in &p.evidence {
            let status = x.status.map_or_else(
                || x.error_in(lang).unwrap_or_default().to_string(),
                |s| s.to_string(),
            );
            let shared = labels::shared_mark(x, lang);
            let _ = writeln!(out, "  {} {} → {status}{shared}", x.method, x.url);
        }
    }
    out
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn of(rows: &[&CriterionRow]) -> Self {
        let n = |f: &dyn Fn(Verdict) -> bool| rows.iter().filter(|r| f(r.verdict)).count();
        Counts {
            tests: rows.len(),
            failures: n(&|v| v == Verdict::Fail),
            errors: n(&|v| v == Verdict::Error),
            skipped: n(&|v| {
                matches!(
                    v,
                    Verdict::NotTested
                        | Verdict::NotApplicable
                        | Verdict::Waived
                        | Verdict::AutomatedPartVerified
                )
            }),
        }
    }

    fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_what_xml_cannot_carry() {
        assert_eq!(attr("a\"<b>&\u{1}\nc"), "a&quot;&lt;b&gt;&amp;&#10;c");
        assert_eq!(text("x\u{0}y"), "xy");
    }
}
