//! The perimeter: what an audit actually verified, so a headline never claims more. Counts the
//! applicable exigences, those whose level is confirmed (they alone decide the outcome unless
//! `--strict-levels`), those a probe decided, and the criteria a probe should have decided but
//! did not (not configured, planned, probe error).

use serde::{Deserialize, Serialize};

use super::CriterionRow;
use sdet_core::grid::Level;
use sdet_core::verdict::Verdict;

/// The numbers behind the headline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Perimeter {
    /// Applicable exigences (waived ones included: they are still owed).
    pub exigences: usize,
    /// Of them, those whose level is confirmed by a read text, or all with `--strict-levels`:
    /// the exigences that decide the outcome.
    pub exigences_gating: usize,
    /// Applicable exigences a probe or a proven declaration decided (pass or fail).
    pub exigences_verified: usize,
    /// Applicable criteria with a verifying probe that were not decided (not configured,
    /// planned, probe error, or a mixed criterion whose declared half is unproven).
    pub automatic_undecided: usize,
    /// Exigences whose level is still to confirm and that failed: shown, not deciding.
    pub to_confirm_failed: Vec<String>,
}

impl Perimeter {
    /// Counts `criteria` (after waivers). `strict` treats every level as confirmed.
    pub fn of(criteria: &[CriterionRow], strict: bool) -> Self {
        let applicable = || {
            criteria
                .iter()
                .filter(|r| r.verdict != Verdict::NotApplicable)
        };
        let exigences = || applicable().filter(|r| r.level == Level::Exigence);
        Perimeter {
            exigences: exigences().count(),
            exigences_gating: exigences().filter(|r| r.gates(strict)).count(),
            exigences_verified: exigences()
                .filter(|r| matches!(r.verdict, Verdict::Pass | Verdict::Fail))
                .count(),
            automatic_undecided: applicable()
                .filter(|r| {
                    r.verifiable()
                        && !matches!(r.verdict, Verdict::Pass | Verdict::Fail | Verdict::Waived)
                })
                .count(),
            to_confirm_failed: exigences()
                .filter(|r| !r.gates(strict) && r.verdict == Verdict::Fail)
                .map(|r| r.id.clone())
                .collect(),
        }
    }

    /// Whether every applicable exigence was decided: only then may a headline read plainly.
    pub fn complete(&self) -> bool {
        self.exigences_verified == self.exigences && self.automatic_undecided == 0
    }
}

#[cfg(test)]
mod tests {
    use super::super::{AuditOutcome, outcome};
    use super::*;
    use sdet_core::text::Text;

    fn row(id: &str, level: Level, confirmed: bool, verdict: Verdict) -> CriterionRow {
        CriterionRow {
            id: id.into(),
            axis: "technique".into(),
            level,
            level_confirmed: confirmed,
            party: sdet_core::grid::Party::Editeur,
            title: Text::default(),
            sdet_refs: vec![],
            declared: None,
            justification: None,
            proof: None,
            verdict,
            reason: Text::default(),
            probes: vec!["p".into()],
            supports: vec![],
            rationale: None,
            remediation: None,
            source: None,
            theoretical_points: None,
            practical_points: None,
            maximum: 1.0,
        }
    }

    #[test]
    fn a_failed_exigence_to_confirm_decides_only_when_strict() {
        let rows = [
            row("SEC-LEG-01", Level::Exigence, true, Verdict::Pass),
            row("SSO-CAS-01", Level::Exigence, false, Verdict::Fail),
            row("SEC-HDR-01", Level::Recommandation, true, Verdict::Fail),
            row("SSO-CAS-02", Level::Exigence, false, Verdict::NotTested),
            row("FUN-MDR-01", Level::Exigence, true, Verdict::NotApplicable),
        ];
        assert_eq!(outcome(&rows, false), AuditOutcome::Conforme);
        assert_eq!(outcome(&rows, true), AuditOutcome::NonConforme);
        let p = Perimeter::of(&rows, false);
        assert_eq!(
            (
                p.exigences,
                p.exigences_gating,
                p.exigences_verified,
                p.automatic_undecided
            ),
            (3, 1, 2, 1)
        );
        assert_eq!(p.to_confirm_failed, ["SSO-CAS-01"]);
        assert!(!p.complete());
        let strict = Perimeter::of(&rows, true);
        assert_eq!(
            (strict.exigences_gating, strict.to_confirm_failed.len()),
            (3, 0)
        );
    }

    #[test]
    fn an_error_on_any_exigence_leaves_the_audit_incomplete() {
        // The audit could not look: whatever the level, it must not read as conforme.
        let rows = [
            row("SEC-LEG-01", Level::Exigence, true, Verdict::Pass),
            row("SSO-CAS-01", Level::Exigence, false, Verdict::Error),
        ];
        assert_eq!(outcome(&rows, false), AuditOutcome::Incomplete);
        // A failure that decides still wins over an error.
        let rows = [
            row("SEC-LEG-01", Level::Exigence, true, Verdict::Fail),
            row("SSO-CAS-01", Level::Exigence, false, Verdict::Error),
        ];
        assert_eq!(outcome(&rows, false), AuditOutcome::NonConforme);
    }
}
