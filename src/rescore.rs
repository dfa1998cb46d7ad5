//! Re-scoring offline: a saved report (or evidence bundle) judged again against another grid —
//! a corrected grid of the same SDET version, or another version — without the live ENT. The
//! observations are the evidence; the new grid decides which criteria they serve and how they
//! score. Declarations and waivers are carried over by criterion id, and waivers expire against
//! the original audit's date, so re-scoring with the same grid gives back the same report.

use crate::catalog::ProbeCatalog;
use crate::declaration::{Declaration, Declarations};
use crate::evidence::Observation;
use crate::grid::Grid;
use crate::plan;
use crate::target::Target;
use crate::text::Text;
use crate::waiver::Waivers;

use crate::report::Report;

/// Why a report cannot be re-scored.
#[derive(Debug, thiserror::Error)]
pub enum RescoreError {
    /// The report's target could not be rebuilt.
    #[error("{}", Text::new(
        format!("la cible du rapport ne peut pas être reconstruite : {}", .0.fr),
        format!("the report's target cannot be rebuilt: {}", .0.en),
    ).shown())]
    Target(Text),
}

/// Judges `report`'s observations again against `grid`.
pub fn rescore(
    report: &Report,
    grid: &Grid,
    catalog: &ProbeCatalog,
) -> Result<Report, RescoreError> {
    // Only the name and degrees matter here: no probe runs, so no endpoint is needed.
    let mut target: Target = serde_json::from_value(serde_json::json!({
        "name": report.target.name,
        "degrees": report.target.degrees,
    }))
    .map_err(|e| RescoreError::Target(sdet_core::parse_error::json_reason(&e)))?;
    // Where the target file was and where its blocks start: what findings point at.
    target.source.file.clone_from(&report.target.file);
    target.source.lines.clone_from(&report.target.lines);
    let plan = plan::build(grid, catalog, &target);
    let observations: Vec<Observation> = plan
        .steps
        .iter()
        .map(|step| {
            report
                .probes
                .iter()
                .find(|p| p.id == step.probe.id)
                .map_or_else(
                    || {
                        Observation::skipped(
                            &step.probe.id,
                            Text::new(
                                "absente des preuves : la sonde n'a pas tourné lors de l'audit",
                                "not in the evidence: the probe did not run during the audit",
                            ),
                        )
                    },
                    |p| Observation {
                        probe: p.id.clone(),
                        outcome: p.outcome,
                        message: p.message.clone(),
                        expected: p.expected.clone(),
                        observed: p.observed.clone(),
                        exchanges: p.evidence.clone(),
                        locations: p.locations.clone(),
                        duration_ms: p.duration_ms,
                    },
                )
        })
        .collect();
    let declarations = Declarations {
        vendor: None,
        by_criterion: report
            .criteria
            .iter()
            .filter(|c| grid.criterion(&c.id).is_some())
            .filter_map(|c| {
                c.declared.map(|status| {
                    (
                        c.id.clone(),
                        Declaration {
                            status,
                            justification: c.justification.clone(),
                            proof: c.proof.clone(),
                        },
                    )
                })
            })
            .collect(),
    };
    let waivers = Waivers {
        items: report
            .waivers
            .iter()
            .filter(|w| grid.criterion(&w.waiver.criterion).is_some())
            .map(|w| w.waiver.clone())
            .collect(),
    };
    let when = time::OffsetDateTime::parse(
        &report.generated_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let mut again = crate::conclude::conclude(
        grid,
        &target,
        &declarations,
        &waivers,
        &plan,
        observations,
        when,
    );
    // The audit was made by the tool that wrote the report; only the judgement is new.
    again.tool = report.tool.clone();
    again.generated_at.clone_from(&report.generated_at);
    // Re-scoring changes the judgement, not who vouched for the evidence it was read from.
    again.signature.clone_from(&report.signature);
    Ok(again)
}
