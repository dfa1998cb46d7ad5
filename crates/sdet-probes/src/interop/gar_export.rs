//! What the two checks of the GAR export share: the folder the target names, and the one
//! streaming read of it (`gar::folder`) that both use — each file's root for the schema check,
//! the cross-file rules' findings for the references check. An export of a million pupils is a
//! couple of gigabytes, so it is read once per audit, on blocking threads, the first time a
//! check asks ([`Shared`]); the other waits for that same result. Also the fail that lists
//! findings and points at where they are.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use super::gar::folder::{self, Checked};
use super::gar::{GarFinding, places, summarise};
use super::interop;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Findings listed in a probe message; the rest are counted.
const LISTED: usize = 8;

/// The audit's one read of the export, made by the first `gar.*` check that asks.
#[derive(Debug, Default)]
pub struct Shared(OnceCell<Result<Arc<Checked>, Text>>);

impl Shared {
    /// The export in `folder`, checked on blocking threads the first time.
    pub async fn checked(&self, folder: &Path) -> Result<Arc<Checked>, ProbeError> {
        let result = self.0.get_or_init(|| check(folder.to_path_buf())).await;
        result.clone().map_err(ProbeError::Unexpected)
    }
}

async fn check(folder: PathBuf) -> Result<Arc<Checked>, Text> {
    let shown = folder.display().to_string();
    let checked = tokio::task::spawn_blocking(move || folder::check(&folder, workers())).await;
    match checked {
        Ok(Ok(checked)) => Ok(Arc::new(checked)),
        Ok(Err(e)) => Err(unreadable(&shown, &e.to_string())),
        Err(e) => Err(unreadable(&shown, &e.to_string())),
    }
}

/// How many files are read or validated at once: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

fn unreadable(shown: &str, e: &str) -> Text {
    Text::new(
        format!("Export GAR illisible ({shown}) : {e}"),
        format!("Unreadable GAR export ({shown}): {e}"),
    )
}

/// The export the target names.
pub struct Export {
    /// The folder.
    pub folder: PathBuf,
}

impl Export {
    /// The folder the target names.
    pub fn folder(ctx: &Context<'_>) -> Result<Export, ProbeError> {
        let folder = interop(ctx)?.gar_export.clone().ok_or_else(|| {
            ProbeError::Unexpected(Text::new(
                "Aucun export GAR dans la cible",
                "No GAR export in the target",
            ))
        })?;
        Ok(Export { folder })
    }

    /// The audit's read of the export; `Ok(Err(finding))` is the fail for a folder without
    /// XML files: there is no export to judge.
    pub async fn checked(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Result<Arc<Checked>, Finding>, ProbeError> {
        let checked = ctx.gar.checked(&self.folder).await?;
        if checked.files.is_empty() {
            return Ok(Err(no_files(&self.folder)));
        }
        Ok(Ok(checked))
    }

    /// The first findings in brief, errors first (see [`summarise`]).
    pub fn summary(findings: &[GarFinding]) -> Text {
        summarise(findings, LISTED)
    }

    /// The fail for the export's `findings`: `headline`, then their [`summary`] — which is also
    /// what was observed — and it points at where the listed findings are.
    ///
    /// [`summary`]: Export::summary
    pub fn fail(
        &self,
        ctx: &Context<'_>,
        findings: &[GarFinding],
        headline: &Text,
        expected: Text,
    ) -> Finding {
        let list = Export::summary(findings);
        let message = Text::new(
            format!("{} : {}", headline.fr, list.fr),
            format!("{}: {}", headline.en, list.en),
        );
        let places = places(findings, &self.folder, &ctx.target.source, LISTED);
        Finding::fail(message, expected, list).at(places)
    }
}

/// The fail for a folder without XML files.
fn no_files(folder: &Path) -> Finding {
    Finding::fail(
        Text::new(
            format!("Aucun fichier XML dans l'export GAR ({})", folder.display()),
            format!("No XML file in the GAR export ({})", folder.display()),
        ),
        Text::new("des fichiers GAR-ENT-*.xml", "GAR-ENT-*.xml files"),
        Text::new("aucun", "none"),
    )
}
