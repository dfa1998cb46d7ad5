//! Reconciling an AAF export with the ENT's LDAP directory (`feeds reconcile`, probe
//! `ldap.reconcile`): the export says who the ENT must know and how (profile, structure, classes,
//! parents); the directory says what the ENT made of it. Each side is reduced to the same compact
//! [`model`] — the export by the streaming feed reader ([`export`], through [`aaf`]), the directory
//! by paged LDAP searches ([`directory`] over [`connection`]) — then [`compare`]d; [`render`] prints
//! the outcome.

pub mod aaf;
pub mod compare;
pub mod connection;
pub mod directory;
pub mod export;
pub mod model;
pub mod render;

use std::path::PathBuf;
use std::sync::Arc;

pub use compare::{DiffKind, Difference, Reconciliation};
pub use connection::{Access, DirectoryError};

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

/// Why a reconciliation could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReconcileError {
    /// The export could not be read (the source says why).
    #[error("cannot read the export")]
    Export(#[from] aaf::ReadError),
    /// The directory could not be read (the source says why).
    #[error("cannot read the directory")]
    Directory(#[from] DirectoryError),
}

/// Reads the export at `paths` and the directory behind `access`, and compares them, keeping the
/// first `limit` differences of each kind.
pub async fn run(
    paths: &[PathBuf],
    access: &Access,
    limit: usize,
    progress: Arc<dyn Progress>,
) -> Result<Reconciliation, ReconcileError> {
    // The export is read on a blocking thread: it is file I/O and CPU, and may be large.
    let owned = paths.to_vec();
    let watch = Arc::clone(&progress);
    let (export, mut pool) = tokio::task::spawn_blocking(move || {
        let mut pool = model::Pool::default();
        let exported = export::read(&owned, &mut pool, watch.export());
        (exported, pool)
    })
    .await
    .map_err(|e| {
        ReconcileError::Export(aaf::ReadError::File {
            path: paths.first().cloned().unwrap_or_default(),
            why: format!("the reader stopped: {e}"),
        })
    })?;
    let export = export?;
    let directory = directory::read(access, &mut pool, progress.as_ref()).await;
    progress.finish();
    let directory = directory?;
    Ok(compare::compare(&export, &directory, &pool, limit))
}
