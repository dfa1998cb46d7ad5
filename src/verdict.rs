//! Verdicts: the practical side of each criterion, from the observations of the probes that
//! *verify* it. A fail of any of them fails the criterion; an error (could not decide) is never
//! turned into a fail. Probes that only *support* it are quoted in the reason, never decide.

use serde::{Deserialize, Serialize};

use crate::evidence::{Observation, Outcome};
use crate::grid::{Criterion, Degree};
use crate::text::Text;

/// A criterion's verified state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every probe that ran passed.
    Pass,
    /// A probe failed.
    Fail,
    /// A probe could not decide, and none failed.
    Error,
    /// No probe ran: declarative, planned, or not configured.
    NotTested,
    /// The criterion does not apply to the target's degrees.
    NotApplicable,
    /// Waived, with justification, approver and expiry.
    Waived,
}

impl Verdict {
    /// Every verdict, in report order.
    pub const ALL: [Verdict; 6] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::Error,
        Verdict::NotTested,
        Verdict::NotApplicable,
        Verdict::Waived,
    ];

    /// The verdict's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::NotTested => "not_tested",
            Verdict::NotApplicable => "not_applicable",
            Verdict::Waived => "waived",
        }
    }
}

/// A verdict with the reason for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, from the deciding probe(s).
    pub reason: Text,
}

/// Judges one criterion from the observations (all of them; those of its probes are picked).
pub fn judge(criterion: &Criterion, degrees: &[Degree], observations: &[Observation]) -> Judgement {
    if !criterion.applies_to_any(degrees) {
        return Judgement {
            verdict: Verdict::NotApplicable,
            reason: Text::new(
                "ne s'applique pas aux degrés de la cible",
                "does not apply to the target's degrees",
            ),
        };
    }
    let mine: Vec<&Observation> = observations
        .iter()
        .filter(|o| criterion.verified_by(&o.probe))
        .collect();
    let judgement = judge_verifying(&mine);
    Judgement {
        verdict: judgement.verdict,
        reason: with_support(judgement.reason, criterion, observations),
    }
}

/// Adds what the supporting probes saw, so a reader sees the related evidence and that it did
/// not decide.
fn with_support(reason: Text, criterion: &Criterion, observations: &[Observation]) -> Text {
    let (fr, en): (Vec<String>, Vec<String>) = observations
        .iter()
        .filter(|o| criterion.supported_by.contains(&o.probe))
        .map(|o| {
            (
                format!("{} ({})", o.probe, o.outcome.as_str()),
                format!("{} ({})", o.probe, o.outcome.as_str()),
            )
        })
        .unzip();
    if fr.is_empty() {
        return reason;
    }
    Text::new(
        format!(
            "{} — en appui, sans valeur de preuve : {}",
            reason.fr,
            fr.join(", ")
        ),
        format!(
            "{} — supporting only, not proof: {}",
            reason.en,
            en.join(", ")
        ),
    )
}

fn judge_verifying(mine: &[&Observation]) -> Judgement {
    let pick = |outcome: Outcome| mine.iter().filter(move |o| o.outcome == outcome);
    let joined = |outcome: Outcome| {
        let (fr, en): (Vec<String>, Vec<String>) = pick(outcome)
            .map(|o| {
                (
                    format!("{} : {}", o.probe, o.message.fr),
                    format!("{}: {}", o.probe, o.message.en),
                )
            })
            .unzip();
        Text::new(fr.join(" ; "), en.join("; "))
    };
    if pick(Outcome::Fail).next().is_some() {
        Judgement {
            verdict: Verdict::Fail,
            reason: joined(Outcome::Fail),
        }
    } else if pick(Outcome::Error).next().is_some() {
        Judgement {
            verdict: Verdict::Error,
            reason: joined(Outcome::Error),
        }
    } else if pick(Outcome::Pass).next().is_some() {
        Judgement {
            verdict: Verdict::Pass,
            reason: joined(Outcome::Pass),
        }
    } else if mine.is_empty() {
        Judgement {
            verdict: Verdict::NotTested,
            reason: Text::new(
                "vérification déclarative : aucune sonde",
                "declarative verification: no probe",
            ),
        }
    } else {
        Judgement {
            verdict: Verdict::NotTested,
            reason: joined(Outcome::Skipped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Level, Provenance, Verification};

    fn criterion(probes: &[&str], degrees: &[Degree]) -> Criterion {
        Criterion {
            id: "SSO-CAS-01".into(),
            axis: "technique".into(),
            level: Level::Exigence,
            keyword: None,
            title: Text::default(),
            sdet_refs: vec![],
            applies_to: degrees.to_vec(),
            scope: None,
            verification: Verification::Automatic,
            probes: probes.iter().map(|p| (*p).to_string()).collect(),
            verified_by: probes
                .iter()
                .map(|p| crate::grid::VerifyLink {
                    probe: (*p).to_string(),
                    why: Text::new("w", "w"),
                })
                .collect(),
            supported_by: vec![],
            proof: None,
            rationale: None,
            remediation: None,
            provenance: Provenance::ToVerify("§".into()),
        }
    }

    fn observation(probe: &str, outcome: Outcome) -> Observation {
        let mut o = Observation::skipped(probe, Text::new("m", "m"));
        o.outcome = outcome;
        o
    }

    #[test]
    fn a_fail_wins_then_an_error_then_a_pass() {
        let c = criterion(&["a", "b"], &Degree::ALL);
        let judge_with = |a, b| {
            judge(
                &c,
                &Degree::ALL,
                &[
                    observation("a", a),
                    observation("b", b),
                    observation("other", Outcome::Fail),
                ],
            )
            .verdict
        };
        assert_eq!(judge_with(Outcome::Pass, Outcome::Fail), Verdict::Fail);
        assert_eq!(judge_with(Outcome::Error, Outcome::Fail), Verdict::Fail);
        assert_eq!(judge_with(Outcome::Pass, Outcome::Error), Verdict::Error);
        assert_eq!(judge_with(Outcome::Pass, Outcome::Skipped), Verdict::Pass);
        assert_eq!(
            judge_with(Outcome::Skipped, Outcome::Skipped),
            Verdict::NotTested
        );
    }

    #[test]
    fn degrees_and_missing_probes() {
        let first_only = criterion(&["a"], &[Degree::First]);
        assert_eq!(
            judge(
                &first_only,
                &[Degree::Second],
                &[observation("a", Outcome::Fail)]
            )
            .verdict,
            Verdict::NotApplicable
        );
        let declarative = criterion(&[], &Degree::ALL);
        assert_eq!(
            judge(&declarative, &Degree::ALL, &[]).verdict,
            Verdict::NotTested
        );
    }

    #[test]
    fn a_supporting_probe_never_decides() {
        let mut c = criterion(&[], &Degree::ALL);
        c.verification = Verification::Declarative;
        c.probes = vec!["s".into()];
        c.supported_by = vec!["s".into()];
        for outcome in [Outcome::Pass, Outcome::Fail] {
            let j = judge(&c, &Degree::ALL, &[observation("s", outcome)]);
            assert_eq!(j.verdict, Verdict::NotTested);
            assert!(j.reason.en.contains("supporting only"), "{}", j.reason.en);
        }
        // Beside a verifying probe, only the verifying one decides.
        let mut c = criterion(&["v"], &Degree::ALL);
        c.probes.push("s".into());
        c.supported_by = vec!["s".into()];
        let j = judge(
            &c,
            &Degree::ALL,
            &[observation("v", Outcome::Pass), observation("s", Outcome::Fail)],
        );
        assert_eq!(j.verdict, Verdict::Pass);
    }
}
