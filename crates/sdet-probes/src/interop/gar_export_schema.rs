//! Every file of the GAR export must validate against the official schema of its degree
//! (GAR-ENT.xsd v1.7 for 2D, GAR-ENT-1D.xsd v1.4 for 1D). Each file first goes through the
//! built-in [`screen`](super::gar::screen), compiled from the same schemas, one file per core
//! but one at a time: a file it clears is valid. Every other file — invalid, or merely one the
//! screen does not fully understand — goes to libxml2's validator, in batches, one `xmllint` per
//! core, and only xmllint's words ever say a file is invalid. Each such file's root is read first (its
//! namespace picks the schema, and a DTD, which can only come before it, is refused before any
//! validator sees the file); the audit's read of the whole export runs meanwhile, and files it
//! could not read (not well-formed, a DTD) are reported with its reason instead of the
//! validator's.

use std::path::{Path, PathBuf};

use futures::StreamExt as _;

use super::gar::reader;
use super::gar::schema::{SchemaError, Validator, Violation};
use super::gar::screen::{Grammars, Screened};
use super::gar::{Code, GarFinding, Severity, export_files};
use super::gar_export::{Export, workers};
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let export = Export::folder(ctx)?;
    let validator = Validator::new().map_err(|e| schema_error(&e))?;
    // The validations start at once, alongside the audit's read of the export.
    let paths = export_files(&export.folder).unwrap_or_default();
    let (checked, validations) =
        tokio::join!(export.checked(ctx), validate_all(&validator, paths.clone()));
    let checked = match checked? {
        Ok(checked) => checked,
        Err(fail) => return Ok(fail),
    };
    let (validations, by) = match validations {
        Ok((lists, by)) => (Ok(lists), by),
        Err(e) => (Err(e), By::default()),
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
                    .and_then(|i| validations.as_ref().map(|v| v.get(i)).transpose())
                    .ok_or_else(|| {
                        ProbeError::Unexpected(Text::new(
                            format!("{} apparu pendant la validation", file.name),
                            format!("{} appeared during validation", file.name),
                        ))
                    })?
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
        let (screen, xmllint) = (by.screen, by.xmllint);
        return Ok(Finding::Pass(Text::new(
            format!(
                "{files} fichier(s) de l'export GAR valides ({} ; {screen} vérifié(s) par le validateur intégré, {xmllint} par xmllint)",
                schemas.join(", ")
            ),
            format!(
                "{files} GAR export file(s) valid ({}; {screen} checked by the built-in validator, {xmllint} by xmllint)",
                schemas.join(", ")
            ),
        )));
    }
    let errors = findings.len();
    let headline = Text::new(
        format!("Export GAR non valide selon le schéma : {errors} erreur(s)"),
        format!("GAR export invalid against the schema: {errors} error(s)"),
    );
    let expected = Text::new(
        "chaque fichier valide selon GAR-ENT.xsd v1.7 (2D) ou GAR-ENT-1D.xsd v1.4 (1D)",
        "every file valid against GAR-ENT.xsd v1.7 (2D) or GAR-ENT-1D.xsd v1.4 (1D)",
    );
    Ok(export.fail(ctx, &findings, &headline, expected))
}

/// One batch's violations, one list per file.
type Validated = Result<Vec<Vec<Violation>>, SchemaError>;

/// Files per xmllint process, at most: the schema is then parsed once per batch, not per file.
const BATCH: usize = 8;

/// How many files each validator judged.
#[derive(Debug, Default, Clone, Copy)]
struct By {
    /// Cleared by the built-in screen.
    screen: usize,
    /// Sent to xmllint.
    xmllint: usize,
}

/// Validates every file against the schema of its root's namespace; one result per file, in
/// order. The screen clears what it can, one file per core but one at a time; the rest goes to
/// [`xmllint_all`].
async fn validate_all(
    validator: &Validator,
    paths: Vec<PathBuf>,
) -> Result<(Vec<Vec<Violation>>, By), SchemaError> {
    let count = paths.len();
    let (paths, screened) = tokio::task::spawn_blocking(move || {
        // The embedded schemas always compile (a unit test says so); were they ever not to,
        // every file would simply go to xmllint. One core is left to the first pass of the
        // export's read, which runs meanwhile in file order on one thread and which the second
        // pass waits for: with the screen on every core, the two shared them and the first pass
        // finished later (9 % more wall time at 1 M pupils on 2 cores, measured A/B).
        let cores = workers().saturating_sub(1).max(1);
        let screened = match Grammars::embedded() {
            Ok(grammars) => grammars.screen_files(&paths, cores),
            Err(e) => vec![Screened::Doubt(e.to_string()); paths.len()],
        };
        (paths, screened)
    })
    .await
    .map_err(|e| SchemaError::Io(std::io::Error::other(e)))?;
    let doubtful: Vec<(usize, PathBuf)> = paths
        .into_iter()
        .zip(&screened)
        .enumerate()
        .filter(|(_, (_, screened))| **screened != Screened::Valid)
        .map(|(i, (path, _))| (i, path))
        .collect();
    let by = By {
        screen: count - doubtful.len(),
        xmllint: doubtful.len(),
    };
    let (indices, doubtful): (Vec<usize>, Vec<PathBuf>) = doubtful.into_iter().unzip();
    let mut results = vec![Vec::new(); count];
    for (i, list) in indices
        .into_iter()
        .zip(xmllint_all(validator, doubtful).await?)
    {
        results[i] = list;
    }
    Ok((results, by))
}

/// Validates `paths` with xmllint, one process per core at a time, each on a batch of files of
/// one namespace; one result per file, in order. A file whose root cannot be read is not
/// validated (no violation): the audit's read of the export says why.
async fn xmllint_all(
    validator: &Validator,
    paths: Vec<PathBuf>,
) -> Result<Vec<Vec<Violation>>, SchemaError> {
    let count = paths.len();
    let roots = tokio::task::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|path| {
                let namespace = sdet_core::input::open(&path)
                    .ok()
                    .and_then(|f| reader::read_root(std::io::BufReader::new(f)).ok())
                    .map(|data| data.namespace);
                (path, namespace)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    // Batches of files (by index) of one namespace, small enough that every core gets some.
    let size = count.div_ceil(workers()).clamp(1, BATCH);
    let mut batches: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, (_, namespace)) in roots.iter().enumerate() {
        let Some(namespace) = namespace else { continue };
        match batches.last_mut() {
            Some((ns, batch)) if ns == namespace && batch.len() < size => batch.push(i),
            _ => batches.push((namespace.clone(), vec![i])),
        }
    }
    let done: Vec<(Vec<usize>, Validated)> = futures::stream::iter(batches)
        .map(|(namespace, batch)| {
            let files: Vec<&Path> = batch.iter().map(|&i| roots[i].0.as_path()).collect();
            async move {
                let result = validator.validate_all(&files, &namespace).await;
                (batch, result)
            }
        })
        .buffer_unordered(workers())
        .collect()
        .await;
    let mut results = vec![Vec::new(); count];
    let mut failed = None;
    for (batch, result) in done {
        match result {
            Ok(lists) => {
                for (i, list) in batch.into_iter().zip(lists) {
                    results[i] = list;
                }
            }
            // The first file's failure, as one after the other would have met it.
            Err(e) => match &failed {
                Some((first, _)) if *first < batch[0] => {}
                _ => failed = Some((batch[0], e)),
            },
        }
    }
    match failed {
        Some((_, e)) => Err(e),
        None => Ok(results),
    }
}

fn schema_error(e: &SchemaError) -> ProbeError {
    ProbeError::Unexpected(Text::new(
        format!("Validation GAR impossible : {e}"),
        format!("GAR validation impossible: {e}"),
    ))
}
