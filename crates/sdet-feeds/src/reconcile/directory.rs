//! The directory side: the people the ENT's LDAP directory holds, read with this crate's LDAP client
//! ([`super::connection`]) and mapped per the SDET ENT schema. Two paged searches (RFC 2696, 500 entries a page,
//! so a production size limit never truncates the answer) under the base DN: the structures
//! (`ENTStructure`, to turn DNs into UAIs) and the people that carry an AAF key
//! (`ENTPersonJointure`). Entries without one are local accounts the export cannot speak for, so
//! they are not read at all.
//!
//! Entries are not kept: each goes, as it arrives, to the bucket of its key ([`spill`]), so memory
//! holds a page of entries, one bit per key and the structures, whatever the directory's size.
//! Parent links name pupils by DN; they meet their pupils in buckets by DN hash, and come out as
//! (pupil key, parent key) links in the pupils' buckets.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use foldhash::fast::RandomState;
use sdet_core::text::Text;

use super::connection::{Access, DirectoryError, Session};
use super::entry::Entry;
use super::message::Filter;
use super::model::{Key, Map, Person, Pool, Profile, normalise_dn, normalise_dn_into, set};
use super::spill::{self, Decoder, Encoder, Spill};
use crate::links::IdSet;

const STRUCTURE_FILTER: Filter = Filter::Equal("objectClass", "ENTStructure");
const STRUCTURE_ATTRS: [&str; 2] = ["ENTStructureUAI", "ENTStructureJointure"];
const PEOPLE_FILTER: Filter = Filter::Present("ENTPersonJointure");
const PEOPLE_ATTRS: [&str; 7] = [
    "objectClass",
    "ENTPersonJointure",
    "ENTPersonProfils",
    "ENTPersonStructRattach",
    "ENTEleveClasses",
    "ENTAuxEnsClasses",
    "ENTAuxPersRelEleveEleve",
];

/// The people of a directory, or of one bucket of it.
#[derive(Debug, Default)]
pub struct Directory {
    /// By AAF key (an entry with several keys is under each).
    pub people: Map<Key, Person>,
    /// The DN of each key, for the report.
    pub dns: Map<Key, String>,
    /// Keys a second entry also claimed, with that entry's DN.
    pub duplicates: Vec<(Key, String)>,
    /// The keys of entries that carry several keys, with the entry's number: such an entry is not
    /// extra if any of its keys is in the export, and its keys may lie in different buckets.
    pub shared: Map<Key, u64>,
    /// People entries read.
    pub entries: u64,
    /// Structure entries read.
    pub structures: u64,
}

/// Why a directory could not be partitioned.
#[derive(Debug, thiserror::Error)]
pub enum PartitionError {
    /// The directory could not be read.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
    /// A temporary file could not be written.
    #[error("cannot write a temporary file: {0}")]
    Temporary(#[from] io::Error),
}

/// A directory read into bucket files by key: what each entry says, and the pupils' parent links
/// already resolved from DNs to keys, so that [`Partitioned::load`] rebuilds one bucket at a time.
#[derive(Debug)]
pub struct Partitioned {
    spill: Spill,
    /// Canonical structure and class names, as the directory gives them.
    pool: Pool,
    present: IdSet,
    /// People entries read.
    pub entries: u64,
    /// Structure entries read.
    pub structures: u64,
}

/// Reads the directory's people into `buckets` bucket files, on a blocking thread: the session
/// reads its socket directly ([`Session`]), which a million entries would otherwise pay for in
/// event-loop wake-ups.
pub async fn partition(
    access: &Access,
    buckets: usize,
    progress: Arc<dyn super::Progress>,
) -> Result<Partitioned, PartitionError> {
    let base = access.base_dn.clone();
    let access = access.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let mut session = Session::open(&access)?;
        let outcome = read_with(&mut session, &access, buckets, progress.as_ref());
        session.close();
        outcome
    });
    reading.await.map_err(|e| {
        PartitionError::Directory(DirectoryError::Search {
            base,
            why: Text::new(
                format!("la lecture s'est arrêtée « {e} »"),
                format!("the reader stopped « {e} »"),
            ),
        })
    })?
}

/// What the people search leaves: the key buckets, and beside them the DN buckets where pupils
/// (by the hash of their DN) and the links parents make to them meet.
struct Reading {
    keys: Spill,
    dns: Spill,
    encoder: Encoder,
    names: Names,
    present: IdSet,
    entries: u64,
    structures: u64,
    error: Option<io::Error>,
    /// Buffers reused from one entry to the next: a million entries, no allocation each.
    scratch: Scratch,
}

/// What one entry is mapped through.
#[derive(Default)]
struct Scratch {
    keys: Vec<Key>,
    structures: Vec<u32>,
    classes: Vec<u32>,
    dn: String,
}

impl Reading {
    fn write(&mut self, by_dn: bool, hash: u64) {
        let spill = if by_dn { &mut self.dns } else { &mut self.keys };
        let bucket = spill.bucket_of(hash);
        if self.error.is_none()
            && let Err(e) = spill.write(bucket, &self.encoder.bytes)
        {
            self.error = Some(e);
        }
    }

    fn entry(&mut self, entry: &Entry<'_>) {
        self.entries += 1;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.keys.clear();
        scratch.keys.extend(
            entry
                .values("ENTPersonJointure")
                .filter_map(Key::of_jointure),
        );
        if let Some(main) = scratch.keys.first().cloned() {
            let profile = map(entry, &mut self.names, &mut scratch);
            self.spill_entry(entry, profile, &main, &mut scratch);
        }
        self.scratch = scratch;
    }

    /// Writes what an entry with `main` as first key says: its parent links and pupil DN to the
    /// DN buckets, and the entry under each of its keys.
    fn spill_entry(
        &mut self,
        entry: &Entry<'_>,
        profile: Profile,
        main: &Key,
        scratch: &mut Scratch,
    ) {
        // DNs are compared by a 64-bit hash of their normal form: a million entries collide with
        // odds of about one in 30 million, and the DN strings never pile up in memory.
        let dn = &mut scratch.dn;
        if profile == Profile::Eleve {
            normalise_dn_into(entry.dn, dn);
            let hash = spill::hash(dn.as_str());
            self.encoder.start(b'U').u64(hash).key(main);
            self.write(true, hash);
        }
        for pupil in entry.values("ENTAuxPersRelEleveEleve") {
            normalise_dn_into(pupil, dn);
            let hash = spill::hash(dn.as_str());
            self.encoder.start(b'K').u64(hash).key(main);
            self.write(true, hash);
        }
        let shared = u8::from(scratch.keys.len() > 1);
        for key in &scratch.keys {
            self.present.insert_key(key);
            self.encoder
                .start(b'E')
                .key(key)
                .u64(self.entries)
                .u8(shared)
                .profile(profile)
                .u32s(&scratch.structures)
                .u32s(&scratch.classes)
                .str(entry.dn);
            self.write(false, spill::key_hash(key));
        }
    }

    /// Turns the DN buckets into (pupil, parent) links in the pupils' key buckets.
    fn resolve_links(&mut self) -> io::Result<()> {
        for i in 0..self.dns.len() {
            let bytes = self.dns.take(i)?;
            let mut pupils: Map<u64, Key> = Map::default();
            let mut links: Vec<(u64, Key)> = Vec::new();
            let mut d = Decoder::new(&bytes);
            while !d.done() {
                match (d.u8(), d.u64(), d.key()) {
                    (Some(b'U'), Some(dn), Some(key)) => {
                        pupils.insert(dn, key);
                    }
                    (Some(b'K'), Some(dn), Some(key)) => links.push((dn, key)),
                    _ => return Err(truncated()),
                }
            }
            for (dn, parent) in links {
                if let Some(pupil) = pupils.get(&dn) {
                    self.encoder.start(b'L').key(pupil).key(&parent);
                    self.write(false, spill::key_hash(pupil));
                }
            }
        }
        self.error.take().map_or(Ok(()), Err)
    }
}

fn truncated() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "a temporary file is truncated")
}

fn read_with(
    session: &mut Session,
    access: &Access,
    buckets: usize,
    progress: &dyn super::Progress,
) -> Result<Partitioned, PartitionError> {
    let mut reading = Reading {
        keys: Spill::new(buckets)?,
        dns: Spill::new(buckets)?,
        encoder: Encoder::default(),
        names: Names::default(),
        present: IdSet::default(),
        entries: 0,
        structures: 0,
        error: None,
        scratch: Scratch::default(),
    };
    let uai = &mut reading.names.uai;
    let structures = &mut reading.structures;
    session.search(access, STRUCTURE_FILTER, &STRUCTURE_ATTRS, &mut |entry| {
        *structures += 1;
        progress.entry();
        let name = entry
            .first("ENTStructureUAI")
            .map(str::to_owned)
            .or_else(|| {
                entry
                    .first("ENTStructureJointure")
                    .and_then(Key::of_jointure)
                    .map(|k| k.to_string())
            });
        if let Some(name) = name {
            uai.insert(normalise_dn(entry.dn), name);
        }
    })?;
    session.search(access, PEOPLE_FILTER, &PEOPLE_ATTRS, &mut |entry| {
        progress.entry();
        reading.entry(entry);
    })?;
    reading.resolve_links()?;
    Ok(Partitioned {
        spill: reading.keys,
        pool: reading.names.pool,
        present: reading.present,
        entries: reading.entries,
        structures: reading.structures,
    })
}

impl Partitioned {
    /// Whether some entry carries this key.
    pub fn has(&self, key: &Key) -> bool {
        self.present.contains_key(key)
    }

    /// The directory's pool indices as indices of `pool` (the comparison's). An empty `pool`
    /// takes the directory's own, whose indices then stay as they are: at a million people it
    /// holds tens of thousands of classes, not worth a second copy.
    pub fn translation(&mut self, pool: &mut Pool) -> Vec<u32> {
        if pool.is_empty() {
            std::mem::swap(pool, &mut self.pool);
            return (0..u32::try_from(pool.len()).unwrap_or(u32::MAX)).collect();
        }
        (0..self.pool.len())
            .map(|i| pool.intern(self.pool.get(u32::try_from(i).unwrap_or(u32::MAX))))
            .collect()
    }

    /// The people of bucket `i` (which is emptied), their pool indices mapped by `translation`.
    pub fn load(&mut self, i: usize, translation: &[u32]) -> io::Result<Directory> {
        let bytes = self.spill.take(i)?;
        let map = |ids: Vec<u32>| -> Box<[u32]> {
            set(ids
                .into_iter()
                .map(|i| translation.get(i as usize).copied().unwrap_or(u32::MAX))
                .collect())
        };
        let mut directory = Directory::default();
        let mut parents: Map<Key, Vec<Key>> = Map::default();
        let mut d = Decoder::new(&bytes);
        while !d.done() {
            match d.u8() {
                Some(b'E') => {
                    let (Some(key), Some(entry), Some(shared), Some(profile)) =
                        (d.key(), d.u64(), d.u8(), d.profile())
                    else {
                        return Err(truncated());
                    };
                    let (Some(structures), Some(classes), Some(dn)) = (d.u32s(), d.u32s(), d.str())
                    else {
                        return Err(truncated());
                    };
                    if directory.people.contains_key(&key) {
                        directory.duplicates.push((key, dn.to_owned()));
                        continue;
                    }
                    if shared == 1 {
                        directory.shared.insert(key.clone(), entry);
                    }
                    directory.dns.insert(key.clone(), dn.to_owned());
                    directory.people.insert(
                        key,
                        Person {
                            profile,
                            structures: map(structures),
                            classes: map(classes),
                            parents: Box::new([]),
                        },
                    );
                }
                Some(b'L') => {
                    let (Some(pupil), Some(parent)) = (d.key(), d.key()) else {
                        return Err(truncated());
                    };
                    parents.entry(pupil).or_default().push(parent);
                }
                _ => return Err(truncated()),
            }
        }
        for (pupil, list) in parents {
            if let Some(p) = directory.people.get_mut(&pupil) {
                p.parents = set(list);
            }
        }
        Ok(directory)
    }
}

/// Structure and class names as the comparison gives them (UAI, `UAI$class`), from the DN values
/// entries carry. A directory repeats the same few thousand values over a million entries, so
/// each raw value is resolved once and then found by a single lookup, without allocating.
#[derive(Default)]
struct Names {
    pool: Pool,
    /// Normalised structure DN → UAI (from the structure search).
    uai: HashMap<String, String>,
    /// Raw values seen so far, each looked up once or twice per entry: foldhash, several times
    /// cheaper than the default SipHash on DN-long keys (no untrusted party chooses them to
    /// collide: they come from the audited ENT's own directory).
    structures: HashMap<Box<str>, u32, RandomState>,
    classes: HashMap<Box<str>, u32, RandomState>,
}

impl Names {
    fn structure_name(&self, value: &str) -> String {
        self.uai
            .get(&normalise_dn(value))
            .cloned()
            .unwrap_or_else(|| value.trim().to_owned())
    }

    fn structure(&mut self, value: &str) -> u32 {
        if let Some(&i) = self.structures.get(value) {
            return i;
        }
        let i = self.pool.intern(&self.structure_name(value));
        self.structures.insert(value.into(), i);
        i
    }

    fn class(&mut self, value: &str) -> u32 {
        if let Some(&i) = self.classes.get(value) {
            return i;
        }
        // `structure DN$class`: the class follows the last `$`.
        let canonical = match value.rsplit_once('$') {
            Some((s, code)) => format!("{}${}", self.structure_name(s), code.trim()),
            None => value.trim().to_owned(),
        };
        let i = self.pool.intern(&canonical);
        self.classes.insert(value.into(), i);
        i
    }
}

/// An entry's profile; its structures and classes, sorted and without repeats, go to `scratch`.
fn map(entry: &Entry<'_>, names: &mut Names, scratch: &mut Scratch) -> Profile {
    scratch.structures.clear();
    scratch.structures.extend(
        entry
            .values("ENTPersonStructRattach")
            .map(|v| names.structure(v)),
    );
    sorted_set(&mut scratch.structures);
    scratch.classes.clear();
    scratch.classes.extend(
        entry
            .values("ENTEleveClasses")
            .chain(entry.values("ENTAuxEnsClasses"))
            .map(|v| names.class(v)),
    );
    sorted_set(&mut scratch.classes);
    profile(entry)
}

/// Sorted and without repeats, in place (as [`super::model::set`] makes them).
fn sorted_set(items: &mut Vec<u32>) {
    items.sort_unstable();
    items.dedup();
}

/// The object classes that give a profile, the first that an entry has winning.
const CLASSES: [(&str, Profile); 6] = [
    ("ENTEleve", Profile::Eleve),
    ("ENTAuxPersRelEleve", Profile::Parent),
    ("ENTAuxEnseignant", Profile::Enseignant),
    ("ENTAuxNonEnsEtab", Profile::Personnel),
    ("ENTAuxNonEnsServAc", Profile::Personnel),
    ("ENTAuxNonEnsCollLoc", Profile::Personnel),
];

/// The profile an entry's object classes give (the schema's own typing), else its
/// `ENTPersonProfils` national profile.
fn profile(entry: &Entry<'_>) -> Profile {
    // One pass over the object classes, keeping the first in the order of `CLASSES` that the
    // entry has.
    let rank = |class: &str| {
        CLASSES
            .iter()
            .position(|(c, _)| c.eq_ignore_ascii_case(class))
    };
    if let Some((_, profile)) = entry
        .values("objectClass")
        .filter_map(rank)
        .min()
        .and_then(|best| CLASSES.get(best))
    {
        return *profile;
    }
    for p in entry.values("ENTPersonProfils") {
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

#[cfg(test)]
mod tests {
    use super::super::entry::raw;
    use super::*;

    fn profile_of(attrs: &[(&str, &[&str])]) -> Profile {
        let raw = raw("uid=a,dc=x", attrs);
        profile(&Entry::read(&raw).expect("an entry"))
    }

    #[test]
    fn the_first_class_in_the_schema_order_gives_the_profile() {
        let classes: &[&str] = &["top", "ENTAuxEnseignant", "entauxpersreleleve", "ENTPerson"];
        assert_eq!(profile_of(&[("objectClass", classes)]), Profile::Parent);
        let staff: &[&str] = &["ENTAuxNonEnsCollLoc", "ENTPerson"];
        let national: &[&str] = &["National_ENS"];
        assert_eq!(
            profile_of(&[("objectclass", staff), ("ENTPersonProfils", national)]),
            Profile::Personnel,
            "a class wins over the national profile"
        );
        let person: &[&str] = &["ENTPerson"];
        assert_eq!(
            profile_of(&[("objectClass", person), ("ENTPersonProfils", national)]),
            Profile::Enseignant
        );
        assert_eq!(profile_of(&[("objectClass", person)]), Profile::Inconnu);
    }

    #[test]
    fn an_entry_maps_to_sorted_structures_and_classes() {
        let mut names = Names::default();
        let mut scratch = Scratch::default();
        let s1 = "ENTStructureSIREN=2,ou=structures,dc=x";
        let s2 = "ENTStructureSIREN=1,ou=structures,dc=x";
        let c1 = format!("{s1}$6A");
        let c2 = format!("{s2}$3B");
        let attrs: &[(&str, &[&str])] = &[
            ("objectClass", &["ENTEleve"]),
            ("ENTPersonStructRattach", &[s1, s2, s1]),
            ("ENTEleveClasses", &[c1.as_str(), c2.as_str()]),
            ("ENTAuxEnsClasses", &[c1.as_str()]),
        ];
        let raw = raw("uid=a,dc=x", attrs);
        let entry = Entry::read(&raw).expect("an entry");
        assert_eq!(map(&entry, &mut names, &mut scratch), Profile::Eleve);
        let name = |i: &u32| names.pool.get(*i).to_owned();
        let structures: Vec<String> = scratch.structures.iter().map(name).collect();
        let classes: Vec<String> = scratch.classes.iter().map(name).collect();
        // Pool indices in order of first sight, without repeats.
        assert_eq!(structures, [s1.to_owned(), s2.to_owned()]);
        assert_eq!(classes, [format!("{s1}$6A"), format!("{s2}$3B")]);
    }
}
