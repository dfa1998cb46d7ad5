//! Every file of the GAR export must validate against the official schema of its degree
//! (GAR-ENT.xsd v1.7 for 2D, GAR-ENT-1D.xsd v1.4 for 1D), checked by libxml2's validator. Files
//! our reader refuses (not well-formed, a DTD) are reported without being handed to it.

use std::path::PathBuf;

use super::gar::reader::{self, FileData, ReadError};
use super::gar::schema::{SchemaError, Validator};
use super::gar::{Code, GarFinding, Severity, export_files, summarise};
use super::interop;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Findings listed in a probe message.
const LISTED: usize = 8;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let folder = folder(ctx)?;
    let files = read_all(&folder).await?;
    if files.is_empty() {
        return Ok(no_files(&folder));
    }
    let validator = Validator::new().map_err(|e| schema_error(&e))?;
    let mut findings = Vec::new();
    let mut schemas = std::collections::BTreeSet::new();
    for (path, name, data) in &files {
        match data {
            Err((why, line)) => findings.push(GarFinding {
                severity: Severity::Error,
                code: Code::Xml,
                file: name.clone(),
                line: Some(*line),
                record: None,
                message: Text::new(why.french(), why.to_string()),
            }),
            Ok(data) => {
                schemas.insert(Validator::schema_name(&data.namespace));
                let violations = validator
                    .validate(path, &data.namespace)
                    .await
                    .map_err(|e| schema_error(&e))?;
                findings.extend(violations.into_iter().map(|v| GarFinding {
                    severity: Severity::Error,
                    code: Code::Schema,
                    file: name.clone(),
                    line: v.line,
                    record: None,
                    // The validator's own words, quoted: xmllint speaks English only.
                    message: Text::new(format!("schéma (xmllint) : « {} »", v.message), v.message),
                }));
            }
        }
    }
    let schemas: Vec<&str> = schemas.into_iter().collect();
    if findings.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!(
                "{} fichier(s) de l'export GAR valides ({})",
                files.len(),
                schemas.join(", ")
            ),
            format!(
                "{} GAR export file(s) valid ({})",
                files.len(),
                schemas.join(", ")
            ),
        )));
    }
    let list = summarise(&findings, LISTED);
    Ok(Finding::fail(
        Text::new(
            format!(
                "Export GAR non valide selon le schéma : {} erreur(s) : {}",
                findings.len(),
                list.fr
            ),
            format!(
                "GAR export invalid against the schema: {} error(s): {}",
                findings.len(),
                list.en
            ),
        ),
        "every file valid against GAR-ENT.xsd v1.7 (2D) or GAR-ENT-1D.xsd v1.4 (1D)",
        list.en,
    )
    .at(super::gar::places(
        &findings,
        &folder,
        &ctx.target.source,
        LISTED,
    )))
}

/// The export folder.
pub fn folder(ctx: &Context<'_>) -> Result<PathBuf, ProbeError> {
    interop(ctx)?.gar_export.clone().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun export GAR dans la cible",
            "No GAR export in the target",
        ))
    })
}

/// One file: its path, its name, and what the reader made of it.
pub type ReadFile = (PathBuf, String, Result<FileData, (ReadError, u64)>);

/// Reads every XML file of `folder` off the async threads.
pub async fn read_all(folder: &std::path::Path) -> Result<Vec<ReadFile>, ProbeError> {
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
pub fn no_files(folder: &std::path::Path) -> Finding {
    Finding::fail(
        Text::new(
            format!("Aucun fichier XML dans l'export GAR ({})", folder.display()),
            format!("No XML file in the GAR export ({})", folder.display()),
        ),
        "GAR-ENT-*.xml files",
        "none",
    )
}

fn schema_error(e: &SchemaError) -> ProbeError {
    ProbeError::Unexpected(Text::new(
        format!("Validation GAR impossible : {e}"),
        format!("GAR validation impossible: {e}"),
    ))
}
