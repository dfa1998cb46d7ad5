//! The GAR export's cross-file rules (see `gar::references` and `gar::naming`): a file that
//! cannot be read leaves them undecided — `gar.export_schema` reports why.

use super::gar::reader::FileData;
use super::gar::{Severity, naming, references};
use super::gar_export::Export;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let export = match Export::read(ctx).await? {
        Ok(export) => export,
        Err(fail) => return Ok(fail),
    };
    let mut readable: Vec<(&str, &FileData)> = Vec::new();
    for (_, name, data) in &export.files {
        match data {
            Ok(data) => readable.push((name.as_str(), data)),
            Err((why, line)) => {
                return Err(ProbeError::Unexpected(Text::new(
                    format!("{name}:{line} illisible ({why}) : règles croisées non vérifiées"),
                    format!("{name}:{line} unreadable ({why}): cross-file rules not checked"),
                )));
            }
        }
    }
    let mut findings = naming::check(&readable);
    findings.extend(references::check(&readable));
    let records: usize = readable.iter().map(|(_, d)| d.records.len()).sum();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors == 0 {
        let (notes_fr, notes_en) = if warnings == 0 {
            (String::new(), String::new())
        } else {
            let list = Export::summary(&findings);
            (
                format!(" ; {warnings} avertissement(s) : {}", list.fr),
                format!("; {warnings} warning(s): {}", list.en),
            )
        };
        return Ok(Finding::Pass(Text::new(
            format!(
                "{records} enregistrement(s) dans {} fichier(s) : identifiants uniques, références résolues{notes_fr}",
                export.files.len()
            ),
            format!(
                "{records} record(s) in {} file(s): identifiers unique, references resolved{notes_en}",
                export.files.len()
            ),
        )));
    }
    let headline = Text::new(
        format!("Export GAR incohérent : {errors} erreur(s), {warnings} avertissement(s)"),
        format!("Inconsistent GAR export: {errors} error(s), {warnings} warning(s)"),
    );
    let expected = "unique identifiers, resolved structures, persons, MEFs, subjects and groups, fitting profiles";
    Ok(export.fail(ctx, &findings, &headline, expected))
}
