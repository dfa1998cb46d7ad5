//! CI gating: `--fail-on` rules turn a report into an exit code a pipeline can act on. Without
//! rules the report's outcome decides (0 conforme, 1 non conforme, 3 incomplete). With rules,
//! only they decide what fails (exit 1), and an incomplete audit that breaks none of them still
//! exits 3: a gate never passes an audit that could not decide an exigence.

use std::fmt;
use std::str::FromStr;

use sdet_core::fr_en;

use crate::exit;
use crate::report::labels::number;
use crate::report::{AuditOutcome, Report};
use crate::text::Lang::{En, Fr};
use crate::text::Text;
use crate::verdict::Verdict;
use crate::waiver::WaiverStatus;

/// One gating rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// `any-exigence-fail`: an applicable exigence failed (one whose level is confirmed, or any
    /// with `--strict-levels`).
    AnyExigenceFail,
    /// `pratique-below=N`: the overall pratique score is below N % (or there is no grade).
    PratiqueBelow(f64),
    /// `gaps-above=N`: more than N gaps (declared conforme, verified fail).
    GapsAbove(usize),
    /// `expired-waivers`: a waiver has expired.
    ExpiredWaivers,
    /// `coverage-below=N`: fewer than N % of the applicable exigences were verified (pass or
    /// fail), the figure of the headline.
    CoverageBelow(f64),
}

/// Every rule's syntax, for help and errors.
pub const SYNTAX: &str =
    "any-exigence-fail, pratique-below=N, gaps-above=N, expired-waivers, coverage-below=N";

impl FromStr for Rule {
    /// Why, in both languages: the command line shows it in its own.
    type Err = Text;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || {
            fr_en!(
                "règle --fail-on inconnue `{s}` ; règles : {SYNTAX}",
                "unknown --fail-on rule `{s}`; rules: {SYNTAX}"
            )
        };
        match s.split_once('=') {
            None if s == "any-exigence-fail" => Ok(Rule::AnyExigenceFail),
            None if s == "expired-waivers" => Ok(Rule::ExpiredWaivers),
            Some((rule @ "pratique-below", n)) => percentage(rule, n).map(Rule::PratiqueBelow),
            Some((rule @ "coverage-below", n)) => percentage(rule, n).map(Rule::CoverageBelow),
            Some(("gaps-above", n)) => {
                n.trim().parse::<usize>().map(Rule::GapsAbove).map_err(|_| {
                    fr_en!(
                        "gaps-above attend un nombre, pas `{n}`",
                        "gaps-above needs a count, not `{n}`"
                    )
                })
            }
            _ => Err(bad()),
        }
    }
}

/// The N of a `rule=N` percentage threshold, from 0 to 100.
fn percentage(rule: &str, n: &str) -> Result<f64, Text> {
    n.trim()
        .parse::<f64>()
        .ok()
        .filter(|n| (0.0..=100.0).contains(n))
        .ok_or_else(|| {
            fr_en!(
                "{rule} attend un pourcentage de 0 à 100, pas `{n}`",
                "{rule} needs a percentage from 0 to 100, not `{n}`"
            )
        })
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::AnyExigenceFail => f.write_str("any-exigence-fail"),
            Rule::PratiqueBelow(n) => write!(f, "pratique-below={n}"),
            Rule::GapsAbove(n) => write!(f, "gaps-above={n}"),
            Rule::ExpiredWaivers => f.write_str("expired-waivers"),
            Rule::CoverageBelow(n) => write!(f, "coverage-below={n}"),
        }
    }
}

/// A rule the report breaks, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    /// The rule.
    pub rule: Rule,
    /// What the report shows, in both languages: the command line says it in its own.
    pub why: Text,
}

/// The rules `report` breaks.
pub fn evaluate(report: &Report, rules: &[Rule]) -> Vec<Breach> {
    rules
        .iter()
        .filter_map(|&rule| {
            let why = match rule {
                Rule::AnyExigenceFail => {
                    let failed: Vec<&str> = report
                        .criteria
                        .iter()
                        .filter(|r| r.gates(report.strict_levels) && r.verdict == Verdict::Fail)
                        .map(|r| r.id.as_str())
                        .collect();
                    (!failed.is_empty()).then(|| {
                        fr_en!(
                            "exigences en échec : {}",
                            "failed exigences: {}",
                            failed.join(", ")
                        )
                    })
                }
                Rule::PratiqueBelow(n) => match report.scores.overall_practical.percent {
                    Some(p) if p >= n => None,
                    Some(p) => Some(Text::new(
                        format!("pratique {} % < {} %", number(p, Fr), number(n, Fr)),
                        format!("pratique {} % < {} %", number(p, En), number(n, En)),
                    )),
                    None => Some(Text::new(
                        format!(
                            "pas de note pratique (rien de vérifié, ou audit incomplet) < {} %",
                            number(n, Fr)
                        ),
                        format!(
                            "no pratique grade (nothing verified, or incomplete audit) < {} %",
                            number(n, En)
                        ),
                    )),
                },
                Rule::GapsAbove(n) => (report.gaps.len() > n).then(|| {
                    fr_en!(
                        "{} écart(s) > {n} : {}",
                        "{} gap(s) > {n}: {}",
                        report.gaps.len(),
                        report.gaps.join(", ")
                    )
                }),
                Rule::CoverageBelow(n) => {
                    let p = &report.perimeter;
                    let covered = coverage(p.exigences_verified, p.exigences);
                    let (verified, applicable) = (p.exigences_verified, p.exigences);
                    (covered < n).then(|| {
                        Text::new(
                            format!(
                                "{verified}/{applicable} exigences applicables vérifiées ({} %) \
                                 < {} %",
                                number(covered, Fr),
                                number(n, Fr)
                            ),
                            format!(
                                "{verified}/{applicable} applicable exigences verified ({} %) \
                                 < {} %",
                                number(covered, En),
                                number(n, En)
                            ),
                        )
                    })
                }
                Rule::ExpiredWaivers => {
                    let expired: Vec<&str> = report
                        .waivers
                        .iter()
                        .filter(|w| w.status == WaiverStatus::Expired)
                        .map(|w| w.waiver.criterion.as_str())
                        .collect();
                    (!expired.is_empty()).then(|| {
                        fr_en!(
                            "dérogations expirées : {}",
                            "expired waivers: {}",
                            expired.join(", ")
                        )
                    })
                }
            };
            why.map(|why| Breach { rule, why })
        })
        .collect()
}

/// Verified over applicable, as a percentage; nothing applicable is nothing verified.
#[allow(clippy::cast_precision_loss)] // criterion counts are far below 2^52
fn coverage(verified: usize, applicable: usize) -> f64 {
    if applicable == 0 {
        0.0
    } else {
        100.0 * verified as f64 / applicable as f64
    }
}

/// The exit code for `report` under `rules` (`None`: the report's own outcome decides).
pub fn exit_code(report: &Report, rules: Option<&[Rule]>) -> u8 {
    let Some(rules) = rules else {
        return report.exit_code();
    };
    if !evaluate(report, rules).is_empty() {
        exit::NON_CONFORME
    } else if report.outcome == AuditOutcome::Incomplete {
        exit::INCOMPLETE
    } else {
        exit::CONFORME
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_and_print_back() {
        for text in [
            "any-exigence-fail",
            "pratique-below=80",
            "gaps-above=0",
            "expired-waivers",
            "coverage-below=50",
        ] {
            assert_eq!(
                text.parse::<Rule>().map(|r| r.to_string()),
                Ok(text.to_string())
            );
        }
        assert!("pratique-below=120".parse::<Rule>().is_err());
        assert!("gaps-above=-1".parse::<Rule>().is_err());
        assert!("coverage-below=101".parse::<Rule>().is_err());
        assert!(
            "fail-fast"
                .parse::<Rule>()
                .unwrap_err()
                .en
                .contains("gaps-above=N")
        );
        let french = "gaps-above=beaucoup".parse::<Rule>().unwrap_err().fr;
        assert_eq!(french, "gaps-above attend un nombre, pas `beaucoup`");
    }
}
