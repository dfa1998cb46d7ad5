//! The definitions of a GAR export, gathered across its files before any reference is checked:
//! structures (UAI), persons, MEFs, subjects and groups — and the identifiers defined twice.

use std::collections::{HashMap, HashSet};

use super::reader::File;
use super::{Code, GarFinding, Severity};
use sdet_core::text::Text;

/// What the export defines.
#[derive(Default)]
pub struct Index<'a> {
    /// Structures (GAREtab UAIs).
    pub etabs: HashSet<&'a str>,
    /// Persons by identifier, with their record kind.
    pub persons: HashMap<&'a str, &'a str>,
    /// MEFs by (UAI, code).
    pub mefs: HashSet<(&'a str, &'a str)>,
    /// Subjects by (UAI, code).
    pub subjects: HashSet<(&'a str, &'a str)>,
    /// Groups by (UAI, code), with their status.
    pub groups: HashMap<(&'a str, &'a str), &'a str>,
    /// Whether a GAR-ENT-Etab file is present.
    pub has_etab_file: bool,
}

/// Gathers the definitions of `files`; duplicates become findings.
pub fn index<'a>(files: &[File<'a>], findings: &mut Vec<GarFinding>) -> Index<'a> {
    let mut index = Index::default();
    let mut seen: HashMap<(&str, String), (&str, u64)> = HashMap::new();
    for (name, data) in files {
        index.has_etab_file |= data.root == "GAR-ENT-Etab";
        for record in &data.records {
            let uai = record.get("GARStructureUAI").unwrap_or_default();
            let key = match record.kind.as_str() {
                "GAREtab" => {
                    index.etabs.insert(uai);
                    Some(uai.to_string())
                }
                "GAREleve" | "GAREnseignant" | "GARRespAff" => {
                    record.get("GARPersonIdentifiant").map(|id| {
                        index.persons.insert(id, record.kind.as_str());
                        id.to_string()
                    })
                }
                "GARMEF" => record.get("GARMEFCode").map(|c| {
                    index.mefs.insert((uai, c));
                    format!("{uai}/{c}")
                }),
                "GARMatiere" => record.get("GARMatiereCode").map(|c| {
                    index.subjects.insert((uai, c));
                    format!("{uai}/{c}")
                }),
                "GARGroupe" => record.get("GARGroupeCode").map(|c| {
                    index
                        .groups
                        .insert((uai, c), record.get("GARGroupeStatut").unwrap_or_default());
                    format!("{uai}/{c}")
                }),
                _ => None,
            };
            let Some(key) = key else { continue };
            let family = if record.kind.starts_with("GARPerson")
                || matches!(
                    record.kind.as_str(),
                    "GAREleve" | "GAREnseignant" | "GARRespAff"
                ) {
                "person"
            } else {
                record.kind.as_str()
            };
            if let Some((first_file, first_line)) =
                seen.insert((family, key.clone()), (name, record.line))
            {
                findings.push(GarFinding {
                    severity: Severity::Error,
                    code: Code::DuplicateId,
                    file: (*name).to_string(),
                    line: Some(record.line),
                    record: Some(key.clone()),
                    message: Text::new(
                        format!(
                            "{key} est défini deux fois (d'abord dans {first_file}:{first_line})"
                        ),
                        format!("{key} is defined twice (first in {first_file}:{first_line})"),
                    ),
                });
            }
        }
    }
    index
}
