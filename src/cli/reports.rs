//! Reading saved reports back, for every command that takes them (`report`, `compare`, `diff`,
//! `merge`): a JSON report, an evidence bundle folder (hashes checked) or a merged file
//! (flattened into its reports).

use std::path::Path;

use crate::error::Error;
use crate::input;
use crate::report::Report;
use crate::{bundle, merge};

/// Loads the reports behind `path`.
pub fn load(path: &Path) -> Result<Vec<Report>, Error> {
    if path.is_dir() {
        return Ok(vec![bundle::read(path)?]);
    }
    let text = input::read_text(path, input::MAX_CONFIG_BYTES)?;
    let bad = |why: String| Error::BadReport {
        path: path.display().to_string(),
        why,
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    if value.get("merged_version").is_some() {
        crate::report::read::check_version(&value).map_err(|e| bad(e.to_string()))?;
        if let Some(reports) = value.get("reports").and_then(|r| r.as_array()) {
            for report in reports {
                crate::report::read::check_version(report).map_err(|e| bad(e.to_string()))?;
            }
        }
        let mut merged: merge::Merged =
            serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
        // As for one JSON report: a signer shows only from a bundle whose signature was checked.
        for report in &mut merged.reports {
            report.signature = None;
        }
        return Ok(merged.reports);
    }
    Ok(vec![read_report(path)?])
}

/// Reads one JSON report file. A `signature` in it is dropped: only a bundle whose signature
/// was just checked may show a signer, or anyone could add one to a JSON file.
pub fn read_report(path: &Path) -> Result<Report, Error> {
    let text = input::read_text(path, input::MAX_CONFIG_BYTES)?;
    let mut report: Report = crate::report::read::parse(&text).map_err(|e| Error::BadReport {
        path: path.display().to_string(),
        why: e.to_string(),
    })?;
    report.signature = None;
    Ok(report)
}
