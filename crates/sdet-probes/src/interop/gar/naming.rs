//! File naming and versions of a GAR export, as ENTs write them (OPEN-ENT-NG gar-connector):
//! `<ENT id>_GAR-ENT_Complet_<yyyyMMdd>_<HHmmss>_<2D|1D>_<Eleve|Enseignant|Etab|Groupe|RespAff>_<NNNN>.xml`.
//! The name must agree with the content (its kind with the root element, its degree with the
//! namespace); an unrecognised name is only a warning, since the naming is a convention of the
//! exchange, not part of the schema. All files of one export share one ENT id, one timestamp and
//! one `Version`.

use std::collections::BTreeSet;

use super::reader::{FileData, NS_1D, NS_2D};
use super::{Code, GarFinding, Severity};
use sdet_core::text::Text;

/// The parts of a conventional file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The ENT's identifier.
    pub ent: String,
    /// `Complet` or `Delta`.
    pub mode: String,
    /// `yyyyMMdd_HHmmss`.
    pub stamp: String,
    /// `2D` or `1D`.
    pub degree: String,
    /// `Eleve`, `Enseignant`, `Etab`, `Groupe` or `RespAff`.
    pub kind: String,
    /// The four-digit index.
    pub index: String,
}

/// Splits a conventional name, or `None`.
pub fn parse(file: &str) -> Option<Name> {
    let stem = file.strip_suffix(".xml")?;
    let (ent, rest) = stem.split_once("_GAR-ENT_")?;
    let parts: Vec<&str> = rest.split('_').collect();
    let [mode, date, time, degree, kind, index] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let ok = !ent.is_empty()
        && matches!(*mode, "Complet" | "Delta")
        && digits(date, 8)
        && digits(time, 6)
        && matches!(*degree, "2D" | "1D")
        && matches!(
            *kind,
            "Eleve" | "Enseignant" | "Etab" | "Groupe" | "RespAff"
        )
        && digits(index, 4);
    ok.then(|| Name {
        ent: ent.to_string(),
        mode: (*mode).to_string(),
        stamp: format!("{date}_{time}"),
        degree: (*degree).to_string(),
        kind: (*kind).to_string(),
        index: (*index).to_string(),
    })
}

fn finding(severity: Severity, code: Code, file: &str, message: Text) -> GarFinding {
    GarFinding {
        severity,
        code,
        file: file.to_string(),
        line: None,
        record: None,
        message,
    }
}

/// Checks each file's name against its content, and the export's coherence.
pub fn check(files: &[(&str, &FileData)]) -> Vec<GarFinding> {
    let mut findings = Vec::new();
    let mut exports = BTreeSet::new();
    let mut versions = BTreeSet::new();
    for (file, data) in files {
        if let Some(v) = &data.version {
            versions.insert(v.clone());
        }
        let Some(name) = parse(file) else {
            findings.push(finding(
                Severity::Warning,
                Code::FileName,
                file,
                Text::new("le nom ne suit pas <ENT>_GAR-ENT_Complet_<aaaaMMjj_HHmmss>_<2D|1D>_<type>_<NNNN>.xml", "the name does not follow <ENT>_GAR-ENT_Complet_<yyyyMMdd_HHmmss>_<2D|1D>_<kind>_<NNNN>.xml"),
            ));
            continue;
        };
        exports.insert((name.ent.clone(), name.stamp.clone()));
        let root = format!("GAR-ENT-{}", name.kind);
        if data.root != root {
            findings.push(finding(
                Severity::Error,
                Code::FileKind,
                file,
                Text::new(
                    format!("nommé {} mais sa racine est {}", name.kind, data.root),
                    format!("named {} but its root is {}", name.kind, data.root),
                ),
            ));
        }
        let namespace = if name.degree == "1D" { NS_1D } else { NS_2D };
        if data.namespace != namespace {
            findings.push(finding(
                Severity::Error,
                Code::FileKind,
                file,
                Text::new(
                    format!(
                        "nommé {} mais son espace de noms est « {} »",
                        name.degree, data.namespace
                    ),
                    format!(
                        "named {} but its namespace is « {} »",
                        name.degree, data.namespace
                    ),
                ),
            ));
        }
    }
    if exports.len() > 1 {
        let list: Vec<String> = exports.iter().map(|(e, s)| format!("{e} {s}")).collect();
        findings.push(finding(
            Severity::Warning,
            Code::ExportMixed,
            "",
            Text::new(
                format!(
                    "des fichiers de plusieurs exports dans un même dossier : {}",
                    list.join(", ")
                ),
                format!(
                    "files of several exports in one folder: {}",
                    list.join(", ")
                ),
            ),
        ));
    }
    if versions.len() > 1 {
        let list: Vec<&str> = versions.iter().map(String::as_str).collect();
        findings.push(finding(
            Severity::Warning,
            Code::VersionMixed,
            "",
            Text::new(
                format!(
                    "les fichiers déclarent des attributs Version différents : {}",
                    list.join(", ")
                ),
                format!(
                    "files declare different Version attributes: {}",
                    list.join(", ")
                ),
            ),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_conventional_names_only() {
        let name = parse("ENT01_GAR-ENT_Complet_20260901_020000_2D_Eleve_0000.xml").unwrap();
        assert_eq!(
            (name.ent.as_str(), name.stamp.as_str(), name.kind.as_str()),
            ("ENT01", "20260901_020000", "Eleve")
        );
        assert_eq!(parse("export.xml"), None);
        assert_eq!(
            parse("ENT01_GAR-ENT_Complet_2026091_020000_2D_Eleve_0000.xml"),
            None
        );
        assert_eq!(
            parse("ENT01_GAR-ENT_Complet_20260901_020000_3D_Eleve_0000.xml"),
            None
        );
    }

    #[test]
    fn name_must_agree_with_content() {
        let data = FileData {
            root: "GAR-ENT-Etab".into(),
            namespace: NS_1D.into(),
            version: Some("1.0".into()),
            records: vec![],
        };
        let other = FileData {
            version: Some("2.0".into()),
            ..data.clone()
        };
        let findings = check(&[
            ("E_GAR-ENT_Complet_20260901_020000_2D_Eleve_0000.xml", &data),
            ("E_GAR-ENT_Complet_20260902_020000_1D_Etab_0000.xml", &other),
        ]);
        let codes: Vec<Code> = findings.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec![
                Code::FileKind,
                Code::FileKind,
                Code::ExportMixed,
                Code::VersionMixed
            ]
        );
    }
}
