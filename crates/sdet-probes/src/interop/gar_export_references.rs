//! The GAR export's cross-file rules (see `gar::references` and `gar::naming`), from the audit's
//! one streaming read of the export: a file that cannot be read leaves them undecided —
//! `gar.export_schema` reports why.

use super::gar::Severity;
use super::gar_export::Export;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let export = Export::folder(ctx)?;
    let checked = match export.checked(ctx).await? {
        Ok(checked) => checked,
        Err(fail) => return Ok(fail),
    };
    let rules = match &checked.rules {
        Ok(rules) => rules,
        Err(unreadable) => {
            let (name, line, why) = (&unreadable.name, unreadable.line, &unreadable.why);
            return Err(ProbeError::Unexpected(Text::new(
                format!("{name}:{line} illisible ({why}) : règles croisées non vérifiées"),
                format!("{name}:{line} unreadable ({why}): cross-file rules not checked"),
            )));
        }
    };
    let findings = &rules.findings;
    let records = rules.records;
    let files = checked.files.len();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors == 0 {
        let (notes_fr, notes_en) = if warnings == 0 {
            (String::new(), String::new())
        } else {
            let list = Export::summary(findings);
            (
                format!(" ; {warnings} avertissement(s) : {}", list.fr),
                format!("; {warnings} warning(s): {}", list.en),
            )
        };
        return Ok(Finding::Pass(Text::new(
            format!(
                "{records} enregistrement(s) dans {files} fichier(s) : identifiants uniques, références résolues{notes_fr}"
            ),
            format!(
                "{records} record(s) in {files} file(s): identifiers unique, references resolved{notes_en}"
            ),
        )));
    }
    let headline = Text::new(
        format!("Export GAR incohérent : {errors} erreur(s), {warnings} avertissement(s)"),
        format!("Inconsistent GAR export: {errors} error(s), {warnings} warning(s)"),
    );
    let expected = Text::new(
        "identifiants uniques ; structures, personnes, MEF, matières et groupes résolus ; profils cohérents",
        "unique identifiers, resolved structures, persons, MEFs, subjects and groups, fitting profiles",
    );
    Ok(export.fail(ctx, findings, &headline, expected))
}
