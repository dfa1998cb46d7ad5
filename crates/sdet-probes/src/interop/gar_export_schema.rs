//! Every file of the GAR export must validate against the official schema of its degree
//! (GAR-ENT.xsd v1.7 for 2D, GAR-ENT-1D.xsd v1.4 for 1D), checked by libxml2's validator, one
//! file per core at a time. Each file's root is read first (its namespace picks the schema, and
//! a DTD, which can only come before it, is refused before any validator sees the file); the
//! audit's read of the whole export runs meanwhile, and files it could not read (not
//! well-formed, a DTD) are reported with its reason instead of the validator's.

use std::path::{Path, PathBuf};

use futures::StreamExt as _;

use super::gar::reader::{self, ReadError};
use super::gar::schema::{SchemaError, Validator, Violation};
use super::gar::{Code, GarFinding, Severity, export_files};
use super::gar_export::{Export, workers};
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let export = Export::folder(ctx)?;
    let validator = Validator::new().map_err(|e| schema_error(&e))?;
    // The validations start at once, alongside the audit's read of the export.
    let paths = export_files(&export.folder).unwrap_or_default();
    let validations = futures::stream::iter(paths.iter())
        .map(|path| validate(&validator, path))
        .buffered(workers())
        .collect::<Vec<_>>();
    let (checked, validations) = tokio::join!(export.checked(ctx), validations);
    let checked = match checked? {
        Ok(checked) => checked,
        Err(fail) => return Ok(fail),
    };
    let mut findings = Vec::new();
    let mut schemas = std::collections::BTreeSet::new();
    for file in &checked.files {
        match &file.data {
            Err((why, line)) => findings.push(GarFinding {
                severity: Severity::Error,
                code: Code::Xml,
                file: file.name.clone(),
                line: Some(*line),
                record: None,
                message: Text::new(why.french(), why.to_string()),
            }),
            Ok(data) => {
                schemas.insert(Validator::schema_name(&data.namespace));
                // The same folder listed twice: a file that appeared in between has no result.
                let violations = paths
                    .iter()
                    .position(|p| *p == file.path)
                    .and_then(|i| validations.get(i))
                    .ok_or_else(|| {
                        ProbeError::Unexpected(Text::new(
                            format!("{} apparu pendant la validation", file.name),
                            format!("{} appeared during validation", file.name),
                        ))
                    })?
                    .as_ref()
                    .map_err(schema_error)?;
                findings.extend(violations.iter().map(|v| GarFinding {
                    severity: Severity::Error,
                    code: Code::Schema,
                    file: file.name.clone(),
                    line: v.line,
                    record: None,
                    // The validator's own words, quoted: xmllint speaks English only.
                    message: Text::new(
                        format!("schéma (xmllint) : « {} »", v.message),
                        v.message.clone(),
                    ),
                }));
            }
        }
    }
    let schemas: Vec<&str> = schemas.into_iter().collect();
    let files = checked.files.len();
    if findings.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!(
                "{files} fichier(s) de l'export GAR valides ({})",
                schemas.join(", ")
            ),
            format!("{files} GAR export file(s) valid ({})", schemas.join(", ")),
        )));
    }
    let errors = findings.len();
    let headline = Text::new(
        format!("Export GAR non valide selon le schéma : {errors} erreur(s)"),
        format!("GAR export invalid against the schema: {errors} error(s)"),
    );
    let expected = "every file valid against GAR-ENT.xsd v1.7 (2D) or GAR-ENT-1D.xsd v1.4 (1D)";
    Ok(export.fail(ctx, &findings, &headline, expected))
}

/// Validates one file against the schema of its root's namespace. A file whose root cannot be
/// read is not validated (no violation): the audit's read of the export says why.
async fn validate(validator: &Validator, path: &Path) -> Result<Vec<Violation>, SchemaError> {
    let owned: PathBuf = path.to_path_buf();
    let root = tokio::task::spawn_blocking(move || -> Result<_, (ReadError, u64)> {
        let file =
            sdet_core::input::open(&owned).map_err(|e| (ReadError::Malformed(e.to_string()), 0))?;
        reader::read_root(std::io::BufReader::new(file))
    })
    .await;
    match root {
        Ok(Ok(data)) => validator.validate(path, &data.namespace).await,
        Ok(Err(_)) | Err(_) => Ok(Vec::new()),
    }
}

fn schema_error(e: &SchemaError) -> ProbeError {
    ProbeError::Unexpected(Text::new(
        format!("Validation GAR impossible : {e}"),
        format!("GAR validation impossible: {e}"),
    ))
}
