//! Verdicts: the practical side of each criterion, from the observations of the probes that
//! *verify* it. A fail of any of them fails the criterion; an error (could not decide) is never
//! turned into a fail. Probes that only *support* it are quoted in the reason, never decide.

use crate::declaration::{Declaration, Declarations};
use crate::evidence::{Observation, Outcome};
use crate::grid::{Criterion, Degree, Grid, Party, Verification};
use crate::text::Text;
use crate::vocab::Status;
pub use crate::vocab::Verdict;

/// A verdict with the reason for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// Why, from the deciding probe(s).
    pub reason: Text,
}

/// One criterion as the audit concluded: what the vendor declared, and the verdict with its
/// reason. Waivers may change the verdict and reason afterwards, never the declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The criterion's id.
    pub criterion: String,
    /// What the vendor declared.
    pub declared: Option<Status>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: Text,
}

/// Judges every criterion of `grid`, in grid order: the *judge* stage of an audit.
pub fn judge_all(
    grid: &Grid,
    degrees: &[Degree],
    observations: &[Observation],
    declarations: &Declarations,
) -> Vec<Assessment> {
    grid.criteria
        .iter()
        .map(|c| {
            let declaration = declarations.by_criterion.get(&c.id);
            let judgement = judge(c, degrees, observations, declaration);
            Assessment {
                criterion: c.id.clone(),
                declared: declaration.map(|d| d.status),
                verdict: judgement.verdict,
                reason: judgement.reason,
            }
        })
        .collect()
}

/// The gaps: criteria declared `conforme` and verified `fail`. Taken before waivers: a waiver
/// accepts a failure, it does not make the declaration true.
pub fn gaps(assessments: &[Assessment]) -> Vec<String> {
    assessments
        .iter()
        .filter(|a| a.declared == Some(Status::Conforme) && a.verdict == Verdict::Fail)
        .map(|a| a.criterion.clone())
        .collect()
}

/// Judges one criterion from the observations (all of them; those of its probes are picked) and,
/// for a `mixed` criterion, the vendor's declaration: its probes passing make a pass only when
/// the vendor declares it `conforme` and says where the proof of the rest is.
pub fn judge(
    criterion: &Criterion,
    degrees: &[Degree],
    observations: &[Observation],
    declaration: Option<&Declaration>,
) -> Judgement {
    if !criterion.applies_to_any(degrees) {
        return Judgement {
            verdict: Verdict::NotApplicable,
            reason: Text::new(
                "ne s'applique pas aux degrés de la cible",
                "does not apply to the target's degrees",
            ),
        };
    }
    if criterion.party != Party::Editeur {
        return Judgement {
            verdict: Verdict::NotApplicable,
            reason: Text::new(
                format!(
                    "devoir de « {} » : listé pour contexte, non noté dans l'audit de l'éditeur",
                    criterion.party.as_str()
                ),
                format!(
                    "a duty of \"{}\": listed as context, not graded in the vendor's audit",
                    criterion.party.as_str()
                ),
            ),
        };
    }
    let mine: Vec<&Observation> = observations
        .iter()
        .filter(|o| criterion.verified_by(&o.probe))
        .collect();
    let mut judgement = judge_verifying(&mine);
    if criterion.verification == Verification::Mixed && judgement.verdict == Verdict::Pass {
        judgement = declared_half(&judgement.reason, declaration);
    }
    Judgement {
        verdict: judgement.verdict,
        reason: with_support(judgement.reason, criterion, observations),
    }
}

/// The other half of a mixed criterion whose probes passed: a `conforme` declaration that says
/// where its proof is. The proof itself is the certifier's to read; the pointer is what makes
/// the claim checkable.
fn declared_half(automated: &Text, declaration: Option<&Declaration>) -> Judgement {
    let proof = declaration
        .filter(|d| d.status == Status::Conforme)
        .and_then(|d| d.proof.as_deref())
        .map(str::trim)
        .filter(|p| !p.is_empty());
    match proof {
        Some(proof) => Judgement {
            verdict: Verdict::Pass,
            reason: Text::new(
                format!("{} ; partie déclarée prouvée par : {proof}", automated.fr),
                format!("{}; declared part proven by: {proof}", automated.en),
            ),
        },
        None => Judgement {
            verdict: Verdict::AutomatedPartVerified,
            reason: Text::new(
                format!(
                    "partie automatique vérifiée ({}) ; partie déclarative sans déclaration « conforme » appuyée d'une preuve",
                    automated.fr
                ),
                format!(
                    "automated part verified ({}); declared part lacks a \"conforme\" declaration with its proof",
                    automated.en
                ),
            ),
        },
    }
}

/// Adds what the supporting probes saw, so a reader sees the related evidence and that it did
/// not decide.
fn with_support(reason: Text, criterion: &Criterion, observations: &[Observation]) -> Text {
    let (fr, en): (Vec<String>, Vec<String>) = observations
        .iter()
        .filter(|o| criterion.supported_by.contains(&o.probe))
        .map(|o| {
            let (fr, en) = o.outcome.words();
            (format!("{} ({fr})", o.probe), format!("{} ({en})", o.probe))
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
            level_to_confirm: None,
            party: crate::grid::Party::Editeur,
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
                None,
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
                &[observation("a", Outcome::Fail)],
                None,
            )
            .verdict,
            Verdict::NotApplicable
        );
        let declarative = criterion(&[], &Degree::ALL);
        assert_eq!(
            judge(&declarative, &Degree::ALL, &[], None).verdict,
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
            let j = judge(&c, &Degree::ALL, &[observation("s", outcome)], None);
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
            &[
                observation("v", Outcome::Pass),
                observation("s", Outcome::Fail),
            ],
            None,
        );
        assert_eq!(j.verdict, Verdict::Pass);
    }

    #[test]
    fn a_mixed_criterion_needs_both_halves() {
        let mut c = criterion(&["v"], &Degree::ALL);
        c.verification = Verification::Mixed;
        let declared = |status, proof: Option<&str>| Declaration {
            status,
            justification: None,
            proof: proof.map(str::to_string),
        };
        let judge_as = |c: &Criterion, outcome, d: Option<&Declaration>| {
            judge(c, &Degree::ALL, &[observation("v", outcome)], d).verdict
        };
        let with = |outcome, d: Option<&Declaration>| judge_as(&c, outcome, d);
        let proven = declared(Status::Conforme, Some("docs/rgpd.pdf §2"));
        assert_eq!(with(Outcome::Pass, Some(&proven)), Verdict::Pass);
        assert_eq!(with(Outcome::Pass, None), Verdict::AutomatedPartVerified);
        let unproven = declared(Status::Conforme, Some("  "));
        assert_eq!(
            with(Outcome::Pass, Some(&unproven)),
            Verdict::AutomatedPartVerified
        );
        let partial = declared(Status::Partiel, Some("docs/rgpd.pdf"));
        assert_eq!(
            with(Outcome::Pass, Some(&partial)),
            Verdict::AutomatedPartVerified
        );
        // A probe failure fails the criterion whatever is declared.
        assert_eq!(with(Outcome::Fail, Some(&proven)), Verdict::Fail);
        // An automatic criterion needs no declaration.
        let mut automatic = c.clone();
        automatic.verification = Verification::Automatic;
        assert_eq!(judge_as(&automatic, Outcome::Pass, None), Verdict::Pass);
    }
}
