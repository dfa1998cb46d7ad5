//! Every file of the GAR export must validate against the official schema of its degree
//! (GAR-ENT.xsd v1.7 for 2D, GAR-ENT-1D.xsd v1.4 for 1D), checked by libxml2's validator. Files
//! our reader refuses (not well-formed, a DTD) are reported without being handed to it.

use super::gar::schema::{SchemaError, Validator};
use super::gar::{Code, GarFinding, Severity};
use super::gar_export::Export;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    let export = match Export::read(ctx).await? {
        Ok(export) => export,
        Err(fail) => return Ok(fail),
    };
    let validator = Validator::new().map_err(|e| schema_error(&e))?;
    let mut findings = Vec::new();
    let mut schemas = std::collections::BTreeSet::new();
    for (path, name, data) in &export.files {
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
                export.files.len(),
                schemas.join(", ")
            ),
            format!(
                "{} GAR export file(s) valid ({})",
                export.files.len(),
                schemas.join(", ")
            ),
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

fn schema_error(e: &SchemaError) -> ProbeError {
    ProbeError::Unexpected(Text::new(
        format!("Validation GAR impossible : {e}"),
        format!("GAR validation impossible: {e}"),
    ))
}
