//! Reading saved reports back, for every command that takes them (`report`, `compare`, `diff`,
//! `merge`): a JSON report, an evidence bundle folder (hashes checked) or a merged file
//! (flattened into its reports).

use std::path::Path;

use crate::error::Error;
use crate::input;
use crate::report::Report;
use crate::report::read::{self, ReadError};
use crate::{bundle, merge};

/// Loads the reports behind `path`.
pub fn load(path: &Path) -> Result<Vec<Report>, Error> {
    if path.is_dir() {
        return Ok(vec![bundle::read(path)?]);
    }
    let text = input::read_text(path, input::MAX_CONFIG_BYTES)?;
    let bad = |source: ReadError| Error::BadReport {
        path: path.to_path_buf(),
        source,
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.into()))?;
    if value.get("merged_version").is_some() {
        read::check_version(&value).map_err(bad)?;
        if let Some(reports) = value.get("reports").and_then(|r| r.as_array()) {
            for report in reports {
                read::check_version(report).map_err(bad)?;
            }
        }
        let mut merged: merge::Merged = serde_json::from_value(value).map_err(|e| bad(e.into()))?;
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
    let mut report: Report = read::parse(&text).map_err(|source| Error::BadReport {
        path: path.to_path_buf(),
        source,
    })?;
    report.signature = None;
    Ok(report)
}
