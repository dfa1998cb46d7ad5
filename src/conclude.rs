//! The stages of an audit after the probes, in order: judge every criterion, take the gaps,
//! apply the waivers, score, then assemble the report. An audit ends here, and so does a report
//! judged again offline (`rescore`), so both are judged exactly alike.

use crate::declaration::Declarations;
use crate::evidence::Observation;
use crate::grid::Grid;
use crate::plan::Plan;
use crate::report::{self, AuditOutcome, Conclusions, Report};
use crate::score;
use crate::target::Target;
use crate::verdict;
use crate::waiver::{self, Waivers};

/// Judges, waives (as of `now`), scores and assembles: the report of these observations.
pub fn conclude(
    grid: &Grid,
    target: &Target,
    declarations: &Declarations,
    waivers: &Waivers,
    plan: &Plan,
    observations: Vec<Observation>,
    now: time::OffsetDateTime,
) -> Report {
    let mut assessments = verdict::judge_all(grid, &target.degrees, &observations, declarations);
    let gaps = verdict::gaps(&assessments);
    let waived = waiver::apply_all(&mut assessments, waivers, now.date());
    let scored = score::scored(grid, &assessments);
    let outcome = score::outcome(&scored, false);
    let scores = score::compute(grid, &scored, outcome == AuditOutcome::Incomplete);
    report::assemble(Conclusions {
        grid,
        target,
        declarations,
        plan,
        observations,
        assessments,
        gaps,
        waivers: waived,
        outcome,
        scores,
        now,
    })
}
