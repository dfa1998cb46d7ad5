//! `merge`: reports of targets audited in separate CI jobs (a matrix, one ENT per job) combined
//! into one file, so the CI engine is the distributed engine. Semantics: every report is kept
//! whole and unchanged (nothing is re-scored or averaged: each ENT keeps its own verdicts); they
//! must share one grid and one formula (else they could not be compared); a target may appear
//! only once; the merged outcome is the worst of them (non conforme, then incomplete, then
//! conforme). `compare` and `report --from` read merged files too.

use serde::{Deserialize, Serialize};

use crate::compare::{self, CompareError};
use crate::report::{AuditOutcome, Report};

/// The merged file's own version.
pub const MERGED_VERSION: u32 = 1;

/// Several reports in one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    /// The JSON contract's version, as in every JSON output (older merged files lack it).
    #[serde(default = "format_version")]
    pub format_version: u32,
    /// This file's format.
    pub merged_version: u32,
    /// The worst outcome among the reports.
    pub outcome: AuditOutcome,
    /// The reports, in the order given.
    pub reports: Vec<Report>,
}

fn format_version() -> u32 {
    crate::report::FORMAT_VERSION
}

/// Why reports cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Different grids, formulas, or nothing.
    #[error(transparent)]
    Compare(#[from] CompareError),
    /// The same target twice.
    #[error("{}", sdet_core::fr_en!(
        "la cible `{0}` figure dans plus d'un rapport ; merge réunit des cibles différentes",
        "target `{0}` appears in more than one report; merge combines different targets",
        .0
    ).shown())]
    Duplicate(String),
}

/// Merges `reports`; merged files among them are flattened.
pub fn merge(reports: Vec<Report>) -> Result<Merged, MergeError> {
    compare::build(&reports)?;
    for (i, r) in reports.iter().enumerate() {
        if reports[..i].iter().any(|o| o.target.name == r.target.name) {
            return Err(MergeError::Duplicate(r.target.name.clone()));
        }
    }
    Ok(Merged {
        format_version: crate::report::FORMAT_VERSION,
        merged_version: MERGED_VERSION,
        outcome: worst(&reports),
        reports,
    })
}

/// The worst outcome: non conforme, then incomplete, then conforme.
pub fn worst(reports: &[Report]) -> AuditOutcome {
    let rank = |o: AuditOutcome| match o {
        AuditOutcome::NonConforme => 2,
        AuditOutcome::Incomplete => 1,
        AuditOutcome::Conforme => 0,
    };
    reports
        .iter()
        .map(|r| r.outcome)
        .max_by_key(|o| rank(*o))
        .unwrap_or(AuditOutcome::Conforme)
}

/// The merged file as JSON.
pub fn render(merged: &Merged) -> String {
    serde_json::to_string_pretty(merged).unwrap_or_default() + "\n"
}
