//! The definitions of a GAR export, gathered across its files before any reference is checked:
//! structures (UAI), persons, MEFs, subjects and groups — and which identifiers are defined more
//! than once. An export of a million pupils defines two million persons, so the index keeps
//! nothing else: person identifiers that are UUIDs (as ENTs write them) as 16 bytes, others as
//! one boxed string, and each person's kind as one byte; where a duplicate was first defined is
//! found in the second pass over the files (see `references`), not kept for every identifier.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;

use super::reader::Record;

/// A kind of person record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Person {
    /// GAREleve.
    Eleve,
    /// GAREnseignant.
    Enseignant,
    /// GARRespAff.
    RespAff,
}

impl Person {
    fn of(kind: &str) -> Option<Person> {
        match kind {
            "GAREleve" => Some(Person::Eleve),
            "GAREnseignant" => Some(Person::Enseignant),
            "GARRespAff" => Some(Person::RespAff),
            _ => None,
        }
    }
}

/// What a record defines: its family (duplicates are looked for within one) and its key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Definition {
    /// `person`, `GAREtab`, `GARMEF`, `GARMatiere` or `GARGroupe`.
    pub family: &'static str,
    /// The identifier, or `UAI/code` for what a structure scopes.
    pub key: String,
}

/// What `record` defines, if anything.
pub fn definition(record: &Record) -> Option<Definition> {
    let uai = record.get("GARStructureUAI").unwrap_or_default();
    let scoped = |field: &str| record.get(field).map(|c| format!("{uai}/{c}"));
    let (family, key) = match record.kind.as_str() {
        "GAREtab" => ("GAREtab", Some(uai.to_string())),
        "GAREleve" | "GAREnseignant" | "GARRespAff" => (
            "person",
            record.get("GARPersonIdentifiant").map(str::to_string),
        ),
        "GARMEF" => ("GARMEF", scoped("GARMEFCode")),
        "GARMatiere" => ("GARMatiere", scoped("GARMatiereCode")),
        "GARGroupe" => ("GARGroupe", scoped("GARGroupeCode")),
        _ => return None,
    };
    key.map(|key| Definition { family, key })
}

/// A canonical UUID (lowercase hexadecimal, 8-4-4-4-12) as its 16 bytes; anything else (an
/// uppercase UUID too, which is another identifier) is kept as text.
fn uuid(id: &str) -> Option<[u8; 16]> {
    let b = id.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut out = [0u8; 16];
    let mut digits = b.iter().filter(|&&c| c != b'-');
    for byte in &mut out {
        let mut v = 0u8;
        for _ in 0..2 {
            let d = match digits.next()? {
                c @ b'0'..=b'9' => c - b'0',
                c @ b'a'..=b'f' => c - b'a' + 10,
                _ => return None,
            };
            v = (v << 4) | d;
        }
        *byte = v;
    }
    Some(out)
}

/// What one structure scopes: its MEFs, subjects and groups (with their status).
#[derive(Debug, Default)]
struct Scoped {
    mefs: HashSet<Box<str>, RandomState>,
    subjects: HashSet<Box<str>, RandomState>,
    groups: HashMap<Box<str>, Box<str>, RandomState>,
}

/// What the export defines.
#[derive(Debug, Default)]
pub struct Index {
    /// Structures (GAREtab UAIs).
    etabs: HashSet<Box<str>, RandomState>,
    /// Persons whose identifier is a UUID, with their kind.
    uuids: HashMap<[u8; 16], Person, RandomState>,
    /// Other persons, with their kind.
    others: HashMap<Box<str>, Person, RandomState>,
    /// MEFs, subjects and groups by UAI.
    scoped: HashMap<Box<str>, Scoped, RandomState>,
    /// What is defined more than once.
    duplicates: HashSet<Definition, RandomState>,
    /// Whether a GAR-ENT-Etab file is present.
    pub has_etab_file: bool,
}

impl Index {
    /// Adds what `record` defines. As in a map, a later definition replaces an earlier one (its
    /// kind, its status); the key is then noted as a duplicate.
    pub fn add(&mut self, record: &Record) {
        let uai = record.get("GARStructureUAI").unwrap_or_default();
        let fresh = match record.kind.as_str() {
            "GAREtab" => self.etabs.insert(uai.into()),
            "GARMEF" | "GARMatiere" | "GARGroupe" => self.add_scoped(record, uai),
            kind => match (Person::of(kind), record.get("GARPersonIdentifiant")) {
                (Some(person), Some(id)) => match uuid(id) {
                    Some(bytes) => self.uuids.insert(bytes, person).is_none(),
                    None => self.others.insert(id.into(), person).is_none(),
                },
                _ => true,
            },
        };
        if !fresh && let Some(definition) = definition(record) {
            self.duplicates.insert(definition);
        }
    }

    fn add_scoped(&mut self, record: &Record, uai: &str) -> bool {
        let scoped = match self.scoped.get_mut(uai) {
            Some(scoped) => scoped,
            None => self.scoped.entry(uai.into()).or_default(),
        };
        match record.kind.as_str() {
            "GARMEF" => record
                .get("GARMEFCode")
                .is_none_or(|c| scoped.mefs.insert(c.into())),
            "GARMatiere" => record
                .get("GARMatiereCode")
                .is_none_or(|c| scoped.subjects.insert(c.into())),
            _ => record.get("GARGroupeCode").is_none_or(|c| {
                let status = record.get("GARGroupeStatut").unwrap_or_default();
                scoped.groups.insert(c.into(), status.into()).is_none()
            }),
        }
    }

    /// Notes a file's root element (is it the structures file?).
    pub fn note_root(&mut self, root: &str) {
        self.has_etab_file |= root == "GAR-ENT-Etab";
    }

    /// Whether `uai` is a GAREtab of the export.
    pub fn has_etab(&self, uai: &str) -> bool {
        self.etabs.contains(uai)
    }

    /// The kind of the person `id`, if exported.
    pub fn person(&self, id: &str) -> Option<Person> {
        match uuid(id) {
            Some(bytes) => self.uuids.get(&bytes).copied(),
            None => self.others.get(id).copied(),
        }
    }

    /// Whether `code` is a GARMEF of `uai`.
    pub fn has_mef(&self, uai: &str, code: &str) -> bool {
        self.scoped.get(uai).is_some_and(|s| s.mefs.contains(code))
    }

    /// Whether `code` is a GARMatiere of `uai`.
    pub fn has_subject(&self, uai: &str, code: &str) -> bool {
        self.scoped
            .get(uai)
            .is_some_and(|s| s.subjects.contains(code))
    }

    /// The status of group `code` of `uai`, if defined.
    pub fn group(&self, uai: &str, code: &str) -> Option<&str> {
        self.scoped
            .get(uai)
            .and_then(|s| s.groups.get(code))
            .map(|s| &**s)
    }

    /// Whether `definition` is defined more than once.
    pub fn is_duplicate(&self, definition: &Definition) -> bool {
        self.duplicates.contains(definition)
    }

    /// Whether any identifier is defined more than once.
    pub fn has_duplicates(&self) -> bool {
        !self.duplicates.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_compact_only_in_their_canonical_form() {
        let id = "5ae4d2e8-7ead-4bcb-ad15-6dd44b1cf030";
        assert_eq!(uuid(id).map(|b| b[0]), Some(0x5a));
        assert_eq!(uuid(&id.to_uppercase()), None);
        assert_eq!(uuid("5ae4d2e87ead-4bcb-ad15-6dd44b1cf030-"), None);
        assert_eq!(uuid("e1"), None);
    }
}
