//! What the two checks of the GAR export share: the folder the target names, every XML file in
//! it as our own reader makes it out (see `gar::reader`), and the fail that lists their findings
//! and points at where they are. Each check then applies its own rules to the same files.

use std::path::{Path, PathBuf};

use super::gar::reader::{self, FileData, ReadError};
use super::gar::{GarFinding, export_files, places, summarise};
use super::interop;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Findings listed in a probe message; the rest are counted.
const LISTED: usize = 8;

/// One file: its path, its name, and what the reader made of it.
pub type ReadFile = (PathBuf, String, Result<FileData, (ReadError, u64)>);

/// The export, read.
pub struct Export {
    /// The folder the target names.
    pub folder: PathBuf,
    /// Its XML files, in name order.
    pub files: Vec<ReadFile>,
}

impl Export {
    /// Reads the export the target names. `Ok(Err(finding))` is the fail for a folder without
    /// XML files: there is no export to judge.
    pub async fn read(ctx: &Context<'_>) -> Result<Result<Export, Finding>, ProbeError> {
        let folder = interop(ctx)?.gar_export.clone().ok_or_else(|| {
            ProbeError::Unexpected(Text::new(
                "Aucun export GAR dans la cible",
                "No GAR export in the target",
            ))
        })?;
        let files = read_all(&folder).await?;
        if files.is_empty() {
            return Ok(Err(no_files(&folder)));
        }
        Ok(Ok(Export { folder, files }))
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
        expected: &str,
    ) -> Finding {
        let list = Export::summary(findings);
        let message = Text::new(
            format!("{} : {}", headline.fr, list.fr),
            format!("{}: {}", headline.en, list.en),
        );
        let places = places(findings, &self.folder, &ctx.target.source, LISTED);
        Finding::fail(message, expected, list.en).at(places)
    }
}

/// Reads every XML file of `folder` off the async threads.
async fn read_all(folder: &Path) -> Result<Vec<ReadFile>, ProbeError> {
    let folder = folder.to_path_buf();
    let shown = folder.display().to_string();
    let unreadable = move |e: String| {
        ProbeError::Unexpected(Text::new(
            format!("Export GAR illisible ({shown}) : {e}"),
            format!("Unreadable GAR export ({shown}): {e}"),
        ))
    };
    let read = tokio::task::spawn_blocking(move || -> Result<Vec<ReadFile>, String> {
        let paths = export_files(&folder).map_err(|e| e.to_string())?;
        paths
            .into_iter()
            .map(|path| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let file = sdet_core::input::open(&path).map_err(|e| e.to_string())?;
                let data = reader::read(std::io::BufReader::new(file));
                Ok((path, name, data))
            })
            .collect()
    })
    .await;
    match read {
        Ok(Ok(files)) => Ok(files),
        Ok(Err(e)) => Err(unreadable(e)),
        Err(e) => Err(unreadable(e.to_string())),
    }
}

/// The fail for a folder without XML files.
fn no_files(folder: &Path) -> Finding {
    Finding::fail(
        Text::new(
            format!("Aucun fichier XML dans l'export GAR ({})", folder.display()),
            format!("No XML file in the GAR export ({})", folder.display()),
        ),
        "GAR-ENT-*.xml files",
        "none",
    )
}
