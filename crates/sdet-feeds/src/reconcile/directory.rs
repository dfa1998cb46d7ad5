//! The directory side: the people the ENT's LDAP directory holds, read with a real LDAP client
//! (`ldap3`) and mapped per the SDET ENT schema. Two paged searches (RFC 2696, 500 entries a page,
//! so a production size limit never truncates the answer) under the base DN: the structures
//! (`ENTStructure`, to turn DNs into UAIs) and the people that carry an AAF key
//! (`ENTPersonJointure`). Entries without one are local accounts the export cannot speak for, so
//! they are not read at all.

use std::collections::HashMap;

use ldap3::SearchEntry;

use super::connection::{Access, DirectoryError, Session};
use super::model::{Key, Person, Pool, Profile, normalise_dn, set};

const STRUCTURE_FILTER: &str = "(objectClass=ENTStructure)";
const STRUCTURE_ATTRS: [&str; 2] = ["ENTStructureUAI", "ENTStructureJointure"];
const PEOPLE_FILTER: &str = "(ENTPersonJointure=*)";
const PEOPLE_ATTRS: [&str; 7] = [
    "objectClass",
    "ENTPersonJointure",
    "ENTPersonProfils",
    "ENTPersonStructRattach",
    "ENTEleveClasses",
    "ENTAuxEnsClasses",
    "ENTAuxPersRelEleveEleve",
];

/// The people of a directory.
#[derive(Debug, Default)]
pub struct Directory {
    /// By AAF key (an entry with several keys is under each).
    pub people: HashMap<Key, Person>,
    /// The DN of each key, for the report.
    pub dns: HashMap<Key, String>,
    /// Keys a second entry also claimed, with that entry's DN.
    pub duplicates: Vec<(Key, String)>,
    /// People entries read.
    pub entries: u64,
    /// Structure entries read.
    pub structures: u64,
}

/// Reads the directory's people; canonical values go to `pool`.
pub async fn read(
    access: &Access,
    pool: &mut Pool,
    progress: &dyn super::Progress,
) -> Result<Directory, DirectoryError> {
    let mut session = Session::open(access).await?;
    let outcome = read_with(&mut session, access, pool, progress).await;
    session.close().await;
    outcome
}

async fn read_with(
    session: &mut Session,
    access: &Access,
    pool: &mut Pool,
    progress: &dyn super::Progress,
) -> Result<Directory, DirectoryError> {
    let mut directory = Directory::default();
    let mut uai: HashMap<String, String> = HashMap::new();
    session
        .search(access, STRUCTURE_FILTER, &STRUCTURE_ATTRS, &mut |entry| {
            directory.structures += 1;
            progress.entry();
            let name = first(&entry, "ENTStructureUAI")
                .map(str::to_owned)
                .or_else(|| {
                    first(&entry, "ENTStructureJointure")
                        .and_then(Key::of_jointure)
                        .map(|k| k.to_string())
                });
            if let Some(name) = name {
                uai.insert(normalise_dn(&entry.dn), name);
            }
        })
        .await?;
    let mut pupils: HashMap<String, Key> = HashMap::new();
    let mut links: Vec<(String, Key)> = Vec::new();
    session
        .search(access, PEOPLE_FILTER, &PEOPLE_ATTRS, &mut |entry| {
            directory.entries += 1;
            progress.entry();
            let keys: Vec<Key> = values(&entry, "ENTPersonJointure")
                .filter_map(Key::of_jointure)
                .collect();
            let Some(main) = keys.first().cloned() else {
                return;
            };
            let person = person(&entry, &uai, pool);
            if person.profile == Profile::Eleve {
                pupils.insert(normalise_dn(&entry.dn), main.clone());
            }
            for pupil in values(&entry, "ENTAuxPersRelEleveEleve") {
                links.push((normalise_dn(pupil), main.clone()));
            }
            for key in keys {
                if directory.people.contains_key(&key) {
                    directory.duplicates.push((key, entry.dn.clone()));
                } else {
                    directory.dns.insert(key.clone(), entry.dn.clone());
                    directory.people.insert(key, person.clone());
                }
            }
        })
        .await?;
    let mut parents: HashMap<Key, Vec<Key>> = HashMap::new();
    for (dn, parent) in links {
        if let Some(pupil) = pupils.get(&dn) {
            parents.entry(pupil.clone()).or_default().push(parent);
        }
    }
    for (pupil, list) in parents {
        if let Some(p) = directory.people.get_mut(&pupil) {
            p.parents = set(list);
        }
    }
    Ok(directory)
}

fn person(entry: &SearchEntry, uai: &HashMap<String, String>, pool: &mut Pool) -> Person {
    let structure = |value: &str| -> String {
        uai.get(&normalise_dn(value))
            .cloned()
            .unwrap_or_else(|| value.trim().to_owned())
    };
    let structures = values(entry, "ENTPersonStructRattach")
        .map(|v| pool.intern(&structure(v)))
        .collect();
    let mut classes = Vec::new();
    for v in values(entry, "ENTEleveClasses").chain(values(entry, "ENTAuxEnsClasses")) {
        // `structure DN$class`: the class follows the last `$`.
        let canonical = match v.rsplit_once('$') {
            Some((s, code)) => format!("{}${}", structure(s), code.trim()),
            None => v.trim().to_owned(),
        };
        classes.push(pool.intern(&canonical));
    }
    Person {
        profile: profile(entry),
        structures: set(structures),
        classes: set(classes),
        parents: Box::new([]),
    }
}

/// The profile an entry's object classes give (the schema's own typing), else its
/// `ENTPersonProfils` national profile.
fn profile(entry: &SearchEntry) -> Profile {
    let has = |class: &str| values(entry, "objectClass").any(|c| c.eq_ignore_ascii_case(class));
    if has("ENTEleve") {
        return Profile::Eleve;
    }
    if has("ENTAuxPersRelEleve") {
        return Profile::Parent;
    }
    if has("ENTAuxEnseignant") {
        return Profile::Enseignant;
    }
    if has("ENTAuxNonEnsEtab") || has("ENTAuxNonEnsServAc") || has("ENTAuxNonEnsCollLoc") {
        return Profile::Personnel;
    }
    for p in values(entry, "ENTPersonProfils") {
        match p.trim().to_ascii_uppercase().as_str() {
            "NATIONAL_ELV" | "NATIONAL_1" => return Profile::Eleve,
            "NATIONAL_TUT" | "NATIONAL_2" => return Profile::Parent,
            "NATIONAL_ENS" | "NATIONAL_DOC" | "NATIONAL_3" => return Profile::Enseignant,
            other if other.starts_with("NATIONAL_") => return Profile::Personnel,
            _ => {}
        }
    }
    Profile::Inconnu
}

/// The values of an attribute, whatever the case of its name in the answer.
fn values<'a>(entry: &'a SearchEntry, name: &str) -> impl Iterator<Item = &'a str> {
    entry
        .attrs
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.iter().map(String::as_str))
        .filter(|v| !v.trim().is_empty())
}

fn first<'a>(entry: &'a SearchEntry, name: &str) -> Option<&'a str> {
    values(entry, name).next()
}
