//! Checking a reference against what the set holds. References to a kind absent from the set, or
//! present only as incremental files, cannot be checked: each file says so once instead of flagging
//! every record.

use std::collections::HashSet;

use super::super::code::Code;
use super::super::finding::Findings;
use super::super::links::{Availability, Known};
use super::super::schema::Target;
use super::super::values::clip;
use sdet_core::text::Text;

/// One reference, as read from a value.
#[derive(Debug, Clone, Copy)]
pub struct Reference<'a> {
    /// What it points at.
    pub target: Target,
    /// The attribute holding it.
    pub attr: &'static str,
    /// The structure, for class and group codes.
    pub structure: Option<&'a str>,
    /// The identifier or code.
    pub key: &'a str,
    /// Where.
    pub line: u64,
    /// The referring record.
    pub record: Option<&'a str>,
}

/// A reference kept until the whole set has been read.
#[derive(Debug, Clone)]
pub struct Pending {
    target: Target,
    attr: &'static str,
    structure: Option<Box<str>>,
    key: Box<str>,
    line: u64,
    record: Option<Box<str>>,
}

impl Pending {
    /// Keeps a reference.
    pub fn keep(r: &Reference<'_>) -> Pending {
        Pending {
            target: r.target,
            attr: r.attr,
            structure: r.structure.map(Into::into),
            key: r.key.into(),
            line: r.line,
            record: r.record.map(Into::into),
        }
    }

    /// The reference it keeps.
    pub fn reference(&self) -> Reference<'_> {
        Reference {
            target: self.target,
            attr: self.attr,
            structure: self.structure.as_deref(),
            key: &self.key,
            line: self.line,
            record: self.record.as_deref(),
        }
    }

    /// Moves its line by `offset` (a file checked in pieces learns where a piece starts last).
    pub fn shift(&mut self, offset: u64) {
        self.line += offset;
    }
}

/// Checks one reference against what the set holds; notes a missing or incremental kind once.
pub fn resolve<S: std::hash::BuildHasher>(
    known: &Known,
    reference: &Reference<'_>,
    noted: &mut HashSet<Target, S>,
    findings: &mut Findings,
) {
    let kind = Known::kind_of(reference.target).name();
    match known.availability(reference.target) {
        Availability::Absent => {
            if noted.insert(reference.target) {
                findings.push(Code::MissingFile, None, None, || {
                    Text::new(
                        format!("des enregistrements renvoient à des entrées {kind} (`{}`, …) mais l'ensemble n'a pas de fichier {kind} : ces liens ne sont pas vérifiés", reference.attr),
                        format!("records refer to {kind} entries (`{}`, …) but the set has no {kind} file: those links are not checked", reference.attr),
                    )
                });
            }
        }
        Availability::Incremental => {
            if noted.insert(reference.target) {
                findings.push(Code::LinksNotChecked, None, None, || {
                    Text::new(
                        format!(
                            "les fichiers {kind} sont incrémentaux : les liens vers eux (`{}`, …) ne sont pas vérifiés",
                            reference.attr
                        ),
                        format!(
                            "the {kind} files are incremental: links to them (`{}`, …) are not checked",
                            reference.attr
                        ),
                    )
                });
            }
        }
        Availability::Full => {
            if let Some((code, message)) = broken(known, reference) {
                findings.push(code, Some(reference.line), reference.record, || message);
            }
        }
    }
}

fn broken(known: &Known, r: &Reference<'_>) -> Option<(Code, Text)> {
    let (attr, key) = (r.attr, clip(r.key));
    let structures = &known.structures;
    match r.target {
        Target::Class | Target::Group => {
            let structure = r.structure.unwrap_or_default();
            let group = r.target == Target::Group;
            if !structures.ids.contains(structure) {
                Some((
                    Code::StructureNotInExport,
                    Text::new(
                        format!(
                            "`{attr}` : la structure {} n'est pas dans les fichiers EtabEducNat",
                            clip(structure)
                        ),
                        format!(
                            "`{attr}`: structure {} is not in the EtabEducNat files",
                            clip(structure)
                        ),
                    ),
                ))
            } else if structures.has_code(structure, r.key, group) {
                None
            } else if group {
                Some((
                    Code::UnknownGroup,
                    Text::new(
                        format!(
                            "`{attr}` : le groupe {key} n'est pas dans ENTStructureGroupes de la structure {structure}"
                        ),
                        format!(
                            "`{attr}`: group {key} is not in ENTStructureGroupes of structure {structure}"
                        ),
                    ),
                ))
            } else {
                Some((
                    Code::UnknownClass,
                    Text::new(
                        format!(
                            "`{attr}` : la classe {key} n'est pas dans ENTStructureClasses de la structure {structure}"
                        ),
                        format!(
                            "`{attr}`: class {key} is not in ENTStructureClasses of structure {structure}"
                        ),
                    ),
                ))
            }
        }
        target if known.ids(target).contains(r.key) => None,
        Target::Structure => Some((
            Code::StructureNotInExport,
            Text::new(
                format!("`{attr}` : la structure {key} n'est pas dans les fichiers EtabEducNat"),
                format!("`{attr}`: structure {key} is not in the EtabEducNat files"),
            ),
        )),
        Target::Parent => Some((
            Code::UnknownParent,
            Text::new(
                format!("`{attr}` : le responsable {key} n'est pas dans les fichiers PersRelEleve"),
                format!("`{attr}`: parent {key} is not in the PersRelEleve files"),
            ),
        )),
        Target::Pupil => Some((
            Code::UnknownPupil,
            Text::new(
                format!("`{attr}` : l'élève {key} n'est pas dans les fichiers Eleve"),
                format!("`{attr}`: pupil {key} is not in the Eleve files"),
            ),
        )),
        Target::Mef => Some((
            Code::UnknownMef,
            Text::new(
                format!("`{attr}` : le MEF {key} n'est pas dans les fichiers MefEducNat"),
                format!("`{attr}`: MEF {key} is not in the MefEducNat files"),
            ),
        )),
        Target::Subject => Some((
            Code::UnknownSubject,
            Text::new(
                format!("`{attr}` : la matière {key} n'est pas dans les fichiers MatiereEducNat"),
                format!("`{attr}`: subject {key} is not in the MatiereEducNat files"),
            ),
        )),
    }
}
