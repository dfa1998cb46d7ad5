//! Reconciling an AAF export with the ENT's LDAP directory (`feeds reconcile`, probe
//! `ldap.reconcile`): the export says who the ENT must know and how (profile, structure, classes,
//! parents); the directory says what the ENT made of it. Each side is reduced to the same compact
//! [`model`] — the export by the streaming feed reader ([`export`], through [`aaf`]), the directory
//! by paged LDAP searches ([`directory`] over [`connection`], which speaks LDAP itself) — then [`compare`]d; [`render`] prints
//! the outcome. Both sides are read at once and spread over temporary bucket files ([`spill`]), then
//! compared bucket by bucket, so memory stays flat whatever the size (see [`run`]).

pub mod aaf;
mod ber;
pub mod compare;
pub mod connection;
pub mod directory;
mod entry;
pub mod export;
mod message;
pub mod model;
pub mod render;
pub mod spill;

use std::path::PathBuf;
use std::sync::Arc;

use sdet_core::text::Text;

pub use compare::{DiffKind, Difference, Reconciliation};
pub use connection::{Access, Address, DirectoryError};

/// Differences kept per kind unless told otherwise.
pub const DEFAULT_LIMIT: usize = 20;

/// Where reconciliation says how far it is: an export of a large académie takes seconds to read,
/// its directory minutes to page through.
pub trait Progress: Send + Sync {
    /// The export's bytes, as `feeds check` reports them.
    fn export(&self) -> &dyn crate::Progress;
    /// One more directory entry read.
    fn entry(&self);
    /// Done with the directory.
    fn finish(&self);
}

/// No progress shown (the `audit` probe, tests).
pub struct Quiet;

impl Progress for Quiet {
    fn export(&self) -> &dyn crate::Progress {
        &crate::Silent
    }
    fn entry(&self) {}
    fn finish(&self) {}
}

/// Why a reconciliation could not be made. Each variant's own words are in the language errors
/// are shown in ([`sdet_core::text::errors_lang`]), as are its sources' (but a temporary file's
/// system error, which [`ReconcileError::wording`] says itself).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.wording().shown())]
pub enum ReconcileError {
    /// The export could not be read (the source says why).
    Export(#[from] aaf::ReadError),
    /// The directory could not be read (the source says why).
    Directory(#[from] DirectoryError),
    /// The temporary files both sides are spread over could not be written or read back.
    Temporary(std::io::Error),
}

impl ReconcileError {
    /// The variant's own words, in both languages.
    pub fn wording(&self) -> Text {
        match self {
            ReconcileError::Export(_) => {
                Text::new("l'export ne peut pas être lu", "cannot read the export")
            }
            ReconcileError::Directory(_) => Text::new(
                "l'annuaire ne peut pas être lu",
                "cannot read the directory",
            ),
            ReconcileError::Temporary(e) => {
                let why = sdet_core::text::io_reason(e);
                let dir = std::env::temp_dir();
                Text::new(
                    format!(
                        "fichier temporaire inutilisable (dans {}) : {}",
                        dir.display(),
                        why.fr
                    ),
                    format!(
                        "cannot use a temporary file (in {}): {}",
                        dir.display(),
                        why.en
                    ),
                )
            }
        }
    }
}

impl From<directory::PartitionError> for ReconcileError {
    fn from(e: directory::PartitionError) -> Self {
        match e {
            directory::PartitionError::Directory(e) => ReconcileError::Directory(e),
            directory::PartitionError::Temporary(e) => ReconcileError::Temporary(e),
        }
    }
}

/// Reads the export at `paths` and the directory behind `access` at the same time, and compares
/// them, keeping the first `limit` differences of each kind.
///
/// Both sides are read in one pass each, concurrently — the export on a blocking thread (file
/// I/O and CPU), the directory on the async side (network) — and spread by key over temporary
/// bucket files ([`spill`]); the comparison then loads one bucket of each side at a time. Memory
/// is one bucket, one bit per identifier and the structures, so it stays flat as an académie
/// grows; the reading takes about as long as the slower of the two sides.
pub async fn run(
    paths: &[PathBuf],
    access: &Access,
    limit: usize,
    progress: Arc<dyn Progress>,
) -> Result<Reconciliation, ReconcileError> {
    let buckets = spill::buckets_for(export_bytes(paths));
    let owned = paths.to_vec();
    let watch = Arc::clone(&progress);
    let reading =
        tokio::task::spawn_blocking(move || export::partition(&owned, buckets, watch.export()));
    let export = async {
        reading
            .await
            .map_err(|e| {
                ReconcileError::Export(aaf::ReadError::File {
                    path: paths.first().cloned().unwrap_or_default(),
                    why: Text::new(
                        format!("la lecture s'est arrêtée « {e} »"),
                        format!("the reader stopped « {e} »"),
                    ),
                })
            })?
            .map_err(ReconcileError::Export)
    };
    let directory = async {
        let read = directory::partition(access, buckets, Arc::clone(&progress)).await;
        progress.finish();
        read.map_err(ReconcileError::from)
    };
    // The first error ends both: a directory that cannot be read is not worth the export's minutes.
    let (mut export, mut directory) = tokio::try_join!(export, directory)?;
    // Comparing is CPU work on local files: off the async threads too.
    tokio::task::spawn_blocking(move || compare_buckets(&mut export, &mut directory, limit))
        .await
        .map_err(|e| ReconcileError::Temporary(std::io::Error::other(e.to_string())))?
}

/// The export's size in bytes (its files, and the files directly in its folders), which sizes the
/// buckets before anything is read; what cannot be read counts nothing (the reader says why).
fn export_bytes(paths: &[PathBuf]) -> u64 {
    let size = |path: &std::path::Path| std::fs::metadata(path).map_or(0, |m| m.len());
    paths
        .iter()
        .map(|path| match std::fs::read_dir(path) {
            Ok(entries) => entries.flatten().map(|e| size(&e.path())).sum(),
            Err(_) => size(path),
        })
        .sum()
}

fn compare_buckets(
    export: &mut export::Partitioned,
    directory: &mut directory::Partitioned,
    limit: usize,
) -> Result<Reconciliation, ReconcileError> {
    let mut pool = model::Pool::default();
    let translation = directory.translation(&mut pool);
    let mut comparison = compare::Comparison::new(limit);
    for i in 0..export.buckets() {
        let people = export
            .load(i, &mut pool)
            .map_err(ReconcileError::Temporary)?;
        let entries = directory
            .load(i, &translation)
            .map_err(ReconcileError::Temporary)?;
        let presence = compare::Presence {
            export: &|k| export.has(k),
            directory: &|k| directory.has(k),
        };
        comparison.bucket(&people, &entries, &presence, &pool);
    }
    Ok(comparison.finish(directory.entries, export.health.problems, export.ignored))
}
