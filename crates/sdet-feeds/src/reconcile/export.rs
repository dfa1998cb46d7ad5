//! The export side: the people an AAF export says the ENT must have. Pupils (`Eleve`), parents
//! (`PersRelEleve`) and staff (`PersEducNat`) become [`Person`]s; structures (`EtabEducNat`) are
//! read only to turn the structure identifiers people carry into UAIs, which is how the directory
//! names structures too. Files arrive in any order, so raw identifiers are kept until the end.

use std::collections::HashMap;
use std::path::PathBuf;

use super::aaf::{self, Health, ReadError};
use super::model::{Key, Person, Pool, Profile, set};
use crate::kind::Kind;
use crate::record::{Op, Record};

/// The people of an export.
#[derive(Debug, Default)]
pub struct Export {
    /// By identifier.
    pub people: HashMap<Key, Person>,
    /// How the files read.
    pub health: Health,
    /// `modifyRequest` records, which a full export does not have and which are not applied.
    pub ignored: u64,
}

#[derive(Default)]
struct Builder {
    raw: Pool,
    /// People with raw indices (into `raw`) until [`Builder::finish`] makes them canonical in
    /// place: one map, compact from the first record.
    people: HashMap<Key, Person>,
    /// Structure identifier (raw pool) → UAI.
    uai: HashMap<u32, Box<str>>,
    /// (pupil, parent) links written on the parent's side.
    links: Vec<(Key, Key)>,
    ignored: u64,
}

struct Raw {
    profile: Profile,
    structures: Vec<u32>,
    classes: Vec<u32>,
    parents: Vec<Key>,
}

impl Raw {
    fn into_person(self) -> Person {
        Person {
            profile: self.profile,
            structures: set(self.structures),
            classes: set(self.classes),
            parents: set(self.parents),
        }
    }
}

/// Reads an export (files or folders) into its people; canonical values go to `pool`.
pub fn read(
    paths: &[PathBuf],
    pool: &mut Pool,
    progress: &dyn crate::Progress,
) -> Result<Export, ReadError> {
    let mut builder = Builder::default();
    let health = aaf::for_each_record(paths, progress, &mut |record| builder.record(record))?;
    Ok(builder.finish(pool, health))
}

impl Builder {
    fn record(&mut self, record: &Record) {
        let category = &record.category;
        let kind = category
            .values()
            .first()
            .and_then(|v| Kind::from_category(&category.name, v.trim()));
        let Some(kind) = kind else { return };
        let key = Key::of(&record.id);
        match record.op {
            Op::Delete => {
                self.people.remove(&key);
                return;
            }
            Op::Modify => {
                self.ignored += 1;
                return;
            }
            Op::Add => {}
        }
        match kind {
            Kind::EtabEducNat => self.structure(record),
            Kind::Eleve | Kind::PersRelEleve | Kind::PersEducNat => self.person(kind, key, record),
            Kind::MatiereEducNat | Kind::MefEducNat => {}
        }
    }

    fn structure(&mut self, record: &Record) {
        let uai = record
            .attrs()
            .iter()
            .filter(|a| a.name == "ENTStructureUAI" || a.name == "ENTEtablissementUAI")
            .find_map(|a| a.non_empty().next());
        if let Some(uai) = uai {
            let id = self.raw.intern(record.id.trim());
            self.uai.entry(id).or_insert_with(|| uai.trim().into());
        }
    }

    fn person(&mut self, kind: Kind, key: Key, record: &Record) {
        let mut person = Raw {
            profile: match kind {
                Kind::Eleve => Profile::Eleve,
                Kind::PersRelEleve => Profile::Parent,
                _ => Profile::Personnel,
            },
            structures: Vec::new(),
            classes: Vec::new(),
            parents: Vec::new(),
        };
        for attr in record.attrs() {
            match attr.name.as_str() {
                "ENTPersonStructRattach" => {
                    for v in attr.non_empty() {
                        person.structures.push(self.raw.intern(v.trim()));
                    }
                }
                // 2D pupils and teachers: `structure$class`.
                "ENTEleveClasses" | "ENTAuxEnsClasses" => {
                    for v in attr.non_empty() {
                        person.classes.push(self.raw.intern(v.trim()));
                    }
                }
                // 1D: `structure$…$…$class$label`; the class is the fourth field.
                "ENTPersonClasses" => {
                    for v in attr.non_empty() {
                        let fields: Vec<&str> = v.split('$').collect();
                        if let (Some(s), Some(c)) = (fields.first(), fields.get(3)) {
                            person.classes.push(self.raw.intern(&format!("{s}${c}")));
                        }
                    }
                }
                // `parent$relation$…` (2D) or the parent alone (1D): the first field.
                "ENTElevePersRelEleve" | "ENTEleveAutoriteParentale" => {
                    for v in attr.non_empty() {
                        let parent = v.split('$').next().unwrap_or(v);
                        if !parent.trim().is_empty() {
                            person.parents.push(Key::of(parent));
                        }
                    }
                }
                // The same links, written on the parent's side.
                "ENTAuxPersRelEleveEleve" | "ENTPersRelEleveEleve" => {
                    for pupil in attr.non_empty() {
                        self.links.push((Key::of(pupil), key.clone()));
                    }
                }
                "PersEducNatPresenceDevantEleves" | "ENTPersonCategorieEnseignant"
                    if attr.non_empty().any(|v| v.trim() == "O") =>
                {
                    person.profile = Profile::Enseignant;
                }
                _ => {}
            }
        }
        self.people
            .entry(key)
            .or_insert_with(|| person.into_person());
    }

    fn finish(mut self, pool: &mut Pool, health: Health) -> Export {
        for (pupil, parent) in std::mem::take(&mut self.links) {
            if let Some(p) = self.people.get_mut(&pupil) {
                let mut parents = std::mem::take(&mut p.parents).into_vec();
                parents.push(parent);
                p.parents = set(parents);
            }
        }
        let mut canonical: HashMap<u32, u32> = HashMap::new();
        let mut people = std::mem::take(&mut self.people);
        for person in people.values_mut() {
            for id in &mut person.structures {
                *id = *canonical
                    .entry(*id)
                    .or_insert_with(|| pool.intern(self.structure_name(*id)));
            }
            for id in &mut person.classes {
                let value = self.raw.get(*id);
                *id = match value.split_once('$') {
                    Some((s, code)) => {
                        let s = self.raw.find(s).map_or(s, |sid| self.structure_name(sid));
                        pool.intern(&format!("{s}${code}"))
                    }
                    None => pool.intern(value),
                };
            }
            person.structures = set(std::mem::take(&mut person.structures).into_vec());
            person.classes = set(std::mem::take(&mut person.classes).into_vec());
        }
        Export {
            people,
            health,
            ignored: self.ignored,
        }
    }

    /// A structure as the comparison names it: its UAI, or its identifier when the export does
    /// not describe it.
    fn structure_name(&self, id: u32) -> &str {
        self.uai
            .get(&id)
            .map_or_else(|| self.raw.get(id), AsRef::as_ref)
    }
}
