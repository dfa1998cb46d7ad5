//! # sdet-feeds
//!
//! Checking AAF directory feeds (`ficAlimMENESR` exports), the académie files an ENT builds its
//! accounts from. A wrong or missing import means pupils without accounts, parents without links,
//! teachers in the wrong classes, so `feeds check` reads an export the way an importer would —
//! structure per the DTD, attribute names per kind and degree, value shapes, identifiers, and the
//! links between records and files — and reports every problem as a finding with a stable code.
//!
//! Exports run to gigabytes, so everything streams: one record in memory per file, plus the
//! identifiers cross-record checks need, stored compactly. The flow is
//! [`set::expand`] → [`set::check`] (phases, files in parallel) → per file [`input`] (bytes) →
//! [`scan`] (XML, DTD shapes) → [`rules`] (records, links) → [`report::FeedReport`] → [`render`].

pub mod code;
pub mod finding;
pub mod generate;
pub mod input;
pub mod kind;
pub mod links;
pub mod reconcile;
pub mod record;
pub mod render;
pub mod report;
pub mod rules;
pub mod scan;
pub mod schema;
pub mod set;
pub mod values;

use std::path::PathBuf;

pub use code::{Code, Severity};
pub use finding::Finding;
pub use report::FeedReport;

/// Why a check could not start.
#[derive(Debug, thiserror::Error)]
pub enum FeedsError {
    /// A path given could not be read.
    #[error("{}: {source}", path.display())]
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A folder holds no `.xml` file.
    #[error("{}: no .xml file in this folder{}", path.display(), hint(subfolders))]
    NoFiles {
        /// The folder.
        path: PathBuf,
        /// Its subfolders that do hold `.xml` files (each may be an export of its own).
        subfolders: Vec<PathBuf>,
    },
}

/// What to say when the `.xml` files are one level down: several exports side by side.
fn hint(subfolders: &[PathBuf]) -> String {
    if subfolders.is_empty() {
        return String::new();
    }
    let names: Vec<String> = subfolders.iter().map(|p| p.display().to_string()).collect();
    format!(
        "; its subfolders hold some — give them one at a time, each is checked as one export: {}",
        names.join(", ")
    )
}

/// Where progress goes (a bar on a terminal, nothing otherwise).
pub trait Progress: Sync {
    /// The check will read about `bytes` bytes.
    fn start(&self, bytes: u64);
    /// `bytes` more were read.
    fn advance(&self, bytes: u64);
    /// Done.
    fn finish(&self);
}

/// Shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Checks files and export folders as one set.
pub fn check(paths: &[PathBuf], progress: &dyn Progress) -> Result<FeedReport, FeedsError> {
    let files = set::expand(paths)?;
    progress.start(files.iter().map(|f| f.size).sum());
    let outcomes = set::check(&files, progress);
    progress.finish();
    Ok(FeedReport::build(&files, outcomes))
}
