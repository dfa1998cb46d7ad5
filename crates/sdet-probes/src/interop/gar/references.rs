//! The rules of a GAR export that no schema can express, because they span records and files
//! (the XSD's keys only make identifiers unique within one file, and exports are split every
//! few thousand records): identifiers unique across the export; every structure (UAI), person,
//! MEF, subject and group a record names is defined; profiles fit the person (a pupil is
//! `National_elv`, a teacher is not); group statuses and division memberships make sense; the
//! structures file is present.

use std::collections::{HashMap, HashSet};

use super::Sink;
use super::index::{Definition, Index, Person};
use super::memberships::{groups, profiles};
use super::reader::{File, Record};
use super::{Code, GarFinding, Severity};
use sdet_core::text::Text;

/// Checks the records of every file together, all in memory: the first pass indexes what the
/// files define, the second checks every record against it (see [`Pass`]).
pub fn check(files: &[File<'_>]) -> Vec<GarFinding> {
    let mut index = Index::default();
    for (_, data) in files {
        index.note_root(&data.root);
        for record in &data.records {
            index.add(record);
        }
    }
    let mut firsts = Firsts::default();
    let mut duplicates = Vec::new();
    let mut others = Vec::new();
    for (name, data) in files {
        let mut pass = Pass::new(name, &index);
        for record in &data.records {
            pass.record(record);
        }
        let (found, hits) = pass.finish();
        duplicates.extend(firsts.resolve(name, hits));
        others.extend(found);
    }
    duplicates.extend(export(&index, files.iter().map(|(_, d)| d.root.as_str())));
    duplicates.extend(others);
    duplicates
}

/// The findings about the export as a whole: no structures file, nobody exported.
pub fn export<'r>(index: &Index, roots: impl Iterator<Item = &'r str>) -> Vec<GarFinding> {
    let mut findings = Vec::new();
    if !index.has_etab_file {
        findings.push(GarFinding {
            severity: Severity::Error,
            code: Code::MissingFile,
            file: String::new(),
            line: None,
            record: None,
            message: Text::new("aucun fichier GAR-ENT-Etab : les structures que nomment les enregistrements ne sont pas définies", "no GAR-ENT-Etab file: the structures every record names are undefined"),
        });
    }
    let kinds: HashSet<&str> = roots.collect();
    if !kinds.contains("GAR-ENT-Eleve") && !kinds.contains("GAR-ENT-Enseignant") {
        findings.push(GarFinding {
            severity: Severity::Warning,
            code: Code::MissingFile,
            file: String::new(),
            line: None,
            record: None,
            message: Text::new(
                "ni fichier GAR-ENT-Eleve ni fichier GAR-ENT-Enseignant : personne n'est exporté",
                "neither a GAR-ENT-Eleve nor a GAR-ENT-Enseignant file: nobody is exported",
            ),
        });
    }
    findings
}

/// The second pass over one file: each record checked against the index as it is read. A
/// record defining a duplicated identifier is noted with its line; which definition came first
/// depends on the files before, so [`Firsts`] turns these notes into findings in file order.
pub struct Pass<'a> {
    sink: Sink<'a>,
    index: &'a Index,
    hits: Vec<(Definition, u64)>,
}

impl<'a> Pass<'a> {
    /// The pass over the file named `file`.
    pub fn new(file: &'a str, index: &'a Index) -> Self {
        Pass {
            sink: Sink {
                findings: Vec::new(),
                file,
            },
            index,
            hits: Vec::new(),
        }
    }

    /// Checks one record.
    pub fn record(&mut self, record: &Record) {
        if self.index.has_duplicates()
            && let Some(definition) = super::index::definition(record)
            && self.index.is_duplicate(&definition)
        {
            self.hits.push((definition, record.line));
        }
        references(record, self.index, &mut self.sink);
    }

    /// The file's findings, and its definitions of duplicated identifiers.
    pub fn finish(self) -> (Vec<GarFinding>, Vec<(Definition, u64)>) {
        (self.sink.findings, self.hits)
    }
}

/// Where each duplicated identifier was last defined, file after file.
#[derive(Default)]
pub struct Firsts(HashMap<Definition, (String, u64)>);

impl Firsts {
    /// The duplicate findings of `file`, whose duplicated definitions are `hits`; files must
    /// come in order.
    pub fn resolve(&mut self, file: &str, hits: Vec<(Definition, u64)>) -> Vec<GarFinding> {
        let mut findings = Vec::new();
        for (definition, line) in hits {
            let key = definition.key.clone();
            let previous = self.0.insert(definition, (file.to_string(), line));
            let Some((first_file, first_line)) = previous else {
                continue;
            };
            findings.push(GarFinding {
                severity: Severity::Error,
                code: Code::DuplicateId,
                file: file.to_string(),
                line: Some(line),
                record: Some(key.clone()),
                message: Text::new(
                    format!("{key} est défini deux fois (d'abord dans {first_file}:{first_line})"),
                    format!("{key} is defined twice (first in {first_file}:{first_line})"),
                ),
            });
        }
        findings
    }
}

fn references(record: &Record, index: &Index, sink: &mut Sink<'_>) {
    let uai = record.get("GARStructureUAI").unwrap_or_default();
    let person = record.get("GARPersonIdentifiant");
    let id = person
        .or(record.get("GARGroupeCode"))
        .or(Some(uai))
        .filter(|s| !s.is_empty());
    structures(record, uai, id, index, sink);
    match record.kind.as_str() {
        "GAREleve" => profiles(record, id, true, sink),
        "GAREnseignant" => profiles(record, id, false, sink),
        _ => {}
    }
    if let Some(p) = person {
        person_reference(record, p, id, index, sink);
    }
    if record.kind == "GARPersonMEF"
        && index.has_etab_file
        && let Some(code) = record.get("GARMEFCode")
        && !index.has_mef(uai, code)
    {
        sink.add(
            Severity::Error,
            Code::UnknownMef,
            record,
            id,
            Text::new(
                format!("le MEF {code} n'est pas un GARMEF de {uai}"),
                format!("MEF {code} is not a GARMEF of {uai}"),
            ),
        );
    }
    for code in record.all("GARMatiereCode") {
        if record.kind != "GARMatiere" && index.has_etab_file && !index.has_subject(uai, code) {
            sink.add(
                Severity::Error,
                Code::UnknownSubject,
                record,
                id,
                Text::new(
                    format!("la matière {code} n'est pas une GARMatiere de {uai}"),
                    format!("subject {code} is not a GARMatiere of {uai}"),
                ),
            );
        }
    }
    groups(record, uai, id, index, sink);
}

/// Every UAI a record names must be a GAREtab of the export (when the export has structures).
fn structures(record: &Record, uai: &str, id: Option<&str>, index: &Index, sink: &mut Sink<'_>) {
    if !index.has_etab_file {
        return;
    }
    let mut named: Vec<(&str, &str)> = [
        "GARPersonProfils/GARStructureUAI",
        "GARPersonEtab",
        "GARPersonStructRattach",
        "GARRespAffEtab",
        "GAREnsDisciplinesPostes/GARStructureUAI",
        "GAREnsSpecialitesPostes/GARStructureUAI",
    ]
    .into_iter()
    .flat_map(|field| record.all(field).map(move |v| (field, v)))
    .collect();
    let own = matches!(
        record.kind.as_str(),
        "GAREtab" | "GAREleve" | "GAREnseignant" | "GARRespAff"
    );
    if !own && !uai.is_empty() {
        named.push(("GARStructureUAI", uai));
    }
    for (field, value) in named {
        if !index.has_etab(value) {
            sink.add(
                Severity::Error,
                Code::UnknownStructure,
                record,
                id,
                Text::new(
                    format!("{field} {value} n'est pas un GAREtab de l'export"),
                    format!("{field} {value} is not a GAREtab of the export"),
                ),
            );
        }
    }
}

/// A record about a person (MEF, subject, group) must name an exported person of the right kind.
fn person_reference(
    record: &Record,
    person: &str,
    id: Option<&str>,
    index: &Index,
    sink: &mut Sink<'_>,
) {
    if matches!(
        record.kind.as_str(),
        "GAREleve" | "GAREnseignant" | "GARRespAff"
    ) {
        return;
    }
    match index.person(person) {
        None => sink.add(
            Severity::Error,
            Code::UnknownPerson,
            record,
            id,
            Text::new(
                format!("la personne {person} n'est pas exportée"),
                format!("person {person} is not exported"),
            ),
        ),
        Some(kind) if record.kind == "GAREleveEnseignement" && kind != Person::Eleve => {
            sink.add(
                Severity::Error,
                Code::WrongPerson,
                record,
                id,
                Text::new(
                    format!("{} désigne {person}, qui n'est pas un élève", record.kind),
                    format!("{} names {person}, who is not a pupil", record.kind),
                ),
            );
        }
        Some(kind) if record.kind.starts_with("GAREns") && kind != Person::Enseignant => {
            sink.add(
                Severity::Error,
                Code::WrongPerson,
                record,
                id,
                Text::new(
                    format!(
                        "{} désigne {person}, qui n'est pas un enseignant",
                        record.kind
                    ),
                    format!("{} names {person}, who is not a teacher", record.kind),
                ),
            );
        }
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::gar::reader::{FileData, read};

    fn file(xml: &str) -> FileData {
        read(xml.as_bytes()).expect("readable")
    }

    const ETAB: &str = r#"<m:GAR-ENT-Etab xmlns:m="http://data.education.fr/ns/gar" Version="1.0"><m:GAREtab><m:GARStructureUAI>0750001A</m:GARStructureUAI><m:GARStructureNomCourant>CLG</m:GARStructureNomCourant></m:GAREtab><m:GARMatiere><m:GARStructureUAI>0750001A</m:GARStructureUAI><m:GARMatiereCode>061300</m:GARMatiereCode><m:GARMatiereLibelle>MATHS</m:GARMatiereLibelle></m:GARMatiere></m:GAR-ENT-Etab>"#;
    const ELEVE: &str = r#"<m:GAR-ENT-Eleve xmlns:m="http://data.education.fr/ns/gar" Version="1.0"><m:GAREleve><m:GARPersonIdentifiant>e1</m:GARPersonIdentifiant><m:GARPersonProfils><m:GARStructureUAI>0750001A</m:GARStructureUAI><m:GARPersonProfil>National_elv</m:GARPersonProfil></m:GARPersonProfils><m:GARPersonEtab>0750001A</m:GARPersonEtab></m:GAREleve></m:GAR-ENT-Eleve>"#;
    const GROUPE: &str = r#"<m:GAR-ENT-Groupe xmlns:m="http://data.education.fr/ns/gar" Version="1.0"><m:GARGroupe><m:GARGroupeCode>4A</m:GARGroupeCode><m:GARStructureUAI>0750001A</m:GARStructureUAI><m:GARGroupeLibelle>4A</m:GARGroupeLibelle><m:GARGroupeStatut>DIVISION</m:GARGroupeStatut></m:GARGroupe><m:GARPersonGroupe><m:GARStructureUAI>0750001A</m:GARStructureUAI><m:GARPersonIdentifiant>e1</m:GARPersonIdentifiant><m:GARGroupeCode>4A</m:GARGroupeCode></m:GARPersonGroupe></m:GAR-ENT-Groupe>"#;

    fn codes(findings: &[GarFinding]) -> Vec<String> {
        findings
            .iter()
            .map(|f| {
                format!(
                    "{} {} {}",
                    f.code,
                    f.record.as_deref().unwrap_or("-"),
                    f.message.en
                )
            })
            .collect()
    }

    #[test]
    fn a_consistent_export_has_no_finding() {
        let (e, l, g) = (file(ETAB), file(ELEVE), file(GROUPE));
        assert_eq!(
            check(&[("etab.xml", &e), ("eleve.xml", &l), ("groupe.xml", &g)]),
            vec![]
        );
    }

    #[test]
    fn names_each_broken_reference() {
        let e = file(ETAB);
        let l = file(
            &ELEVE
                .replace("<m:GARPersonEtab>0750001A", "<m:GARPersonEtab>0999999Z")
                .replace("National_elv", "National_ens"),
        );
        let g = file(
            &GROUPE
                .replace("<m:GARPersonIdentifiant>e1", "<m:GARPersonIdentifiant>e2")
                .replace(
                    "<m:GARGroupeCode>4A</m:GARGroupeCode></m:GARPersonGroupe>",
                    "<m:GARGroupeCode>4Z</m:GARGroupeCode></m:GARPersonGroupe>",
                ),
        );
        assert_eq!(
            codes(&check(&[
                ("etab.xml", &e),
                ("eleve.xml", &l),
                ("groupe.xml", &g)
            ])),
            vec![
                "gar::unknown-structure e1 GARPersonEtab 0999999Z is not a GAREtab of the export",
                "gar::profile e1 a GAREleve without the National_elv profile (National_ens)",
                "gar::unknown-person e2 person e2 is not exported",
                "gar::unknown-group e2 group 4Z is not a GARGroupe of 0750001A",
            ]
        );
    }

    #[test]
    fn a_third_definition_points_at_the_second() {
        // Each duplicate names the definition just before it, whatever its kind of person.
        let (e, l, g) = (file(ETAB), file(ELEVE), file(GROUPE));
        let teacher = file(
            &ELEVE
                .replace("GAR-ENT-Eleve", "GAR-ENT-Enseignant")
                .replace("GAREleve>", "GAREnseignant>")
                .replace("National_elv", "National_ens"),
        );
        let findings = check(&[
            ("a.xml", &e),
            ("b.xml", &l),
            ("c.xml", &l),
            ("d.xml", &teacher),
            ("e.xml", &g),
        ]);
        assert_eq!(
            codes(&findings),
            vec![
                "gar::duplicate-id e1 e1 is defined twice (first in b.xml:1)",
                "gar::duplicate-id e1 e1 is defined twice (first in c.xml:1)",
            ]
        );
    }

    #[test]
    fn duplicates_across_files_and_a_missing_structures_file() {
        let l = file(ELEVE);
        let findings = check(&[("eleve_0000.xml", &l), ("eleve_0001.xml", &l)]);
        assert_eq!(
            codes(&findings),
            vec![
                "gar::duplicate-id e1 e1 is defined twice (first in eleve_0000.xml:1)",
                "gar::missing-file - no GAR-ENT-Etab file: the structures every record names are undefined",
            ]
        );
    }
}
