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

use sdet_core::text::{Text, io_reason};

pub use code::{Code, Severity};
pub use finding::Finding;
pub use report::FeedReport;

/// Why a check could not start. It reaches the command line, so its `Display` is in the
/// language errors are shown in ([`sdet_core::text::errors_lang`]); [`FeedsError::text`] has
/// both. The system's reason is said in it, not kept as a source (it would be said again, in
/// English).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum FeedsError {
    /// A path given could not be read.
    Path {
        /// The path.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// A folder holds no `.xml` file.
    NoFiles {
        /// The folder.
        path: PathBuf,
        /// Its subfolders that do hold `.xml` files (each may be an export of its own).
        subfolders: Vec<PathBuf>,
    },
}

impl FeedsError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            FeedsError::Path { path, cause } => io_reason(cause).about(path.display()),
            FeedsError::NoFiles { path, subfolders } => {
                let shown = path.display();
                let hint = hint(subfolders);
                Text::new(
                    format!("{shown} : aucun fichier .xml dans ce dossier{}", hint.fr),
                    format!("{shown}: no .xml file in this folder{}", hint.en),
                )
            }
        }
    }
}

/// What to say when the `.xml` files are one level down: several exports side by side.
fn hint(subfolders: &[PathBuf]) -> Text {
    if subfolders.is_empty() {
        return Text::same("");
    }
    let names: Vec<String> = subfolders.iter().map(|p| p.display().to_string()).collect();
    let names = names.join(", ");
    Text::new(
        format!(
            " ; ses sous-dossiers en contiennent : donnez-les un par un, chacun est vérifié \
             comme un export : {names}"
        ),
        format!(
            "; its subfolders hold some — give them one at a time, each is checked as one \
             export: {names}"
        ),
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
