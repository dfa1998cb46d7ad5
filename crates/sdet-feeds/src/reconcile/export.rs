//! The export side: the people an AAF export says the ENT must have. Pupils (`Eleve`), parents
//! (`PersRelEleve`) and staff (`PersEducNat`) become [`Person`]s; structures (`EtabEducNat`) are
//! read only to turn the structure identifiers people carry into UAIs, which is how the directory
//! names structures too. Files arrive in any order, so raw identifiers are kept until the end.
//!
//! Two ways to keep the people: [`read`] holds them all in memory (small exports, the demo), and
//! [`partition`] writes what each record says to the bucket of its person's key ([`spill`]), so
//! that [`Partitioned::load`] rebuilds one bucket at a time, replaying the same events in the same
//! order: memory holds the structures, one bit per identifier and one bucket.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::PathBuf;

use sdet_core::text::Text;

use super::aaf::{self, Health, ReadError};
use super::model::{Key, Map, Person, Pool, Profile, set};
use super::spill::{self, Decoder, Encoder, Spill};
use crate::kind::Kind;
use crate::links::IdSet;
use crate::record::{Op, Record};

/// The people of an export.
#[derive(Debug, Default)]
pub struct Export {
    /// By identifier.
    pub people: Map<Key, Person>,
    /// How the files read.
    pub health: Health,
    /// `modifyRequest` records, which a full export does not have and which are not applied.
    pub ignored: u64,
}

/// What one record says about people.
enum Event {
    /// A person (the first `addRequest` of a key wins).
    Add(Key, Raw),
    /// A `deleteRequest`.
    Delete(Key),
    /// A (pupil, parent) link written on the parent's side.
    Link(Key, Key),
}

/// Where events go.
enum Sink {
    Memory {
        people: Map<Key, Person>,
        links: Vec<(Key, Key)>,
    },
    Spill {
        spill: Spill,
        encoder: Encoder,
        /// Keys with an `addRequest`, and those whose last record deleted them: who the export
        /// has, without holding the people.
        present: IdSet,
        deleted: HashSet<Key>,
        error: Option<io::Error>,
    },
}

/// Raw structure and class identifiers (the export's pool) → canonical ones (the comparison's).
#[derive(Debug, Default)]
struct Canonical {
    structures: Map<u32, u32>,
    classes: Map<u32, u32>,
}

struct Builder {
    raw: Pool,
    sink: Sink,
    /// Structure identifier (raw pool) → UAI.
    uai: HashMap<u32, Box<str>>,
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
    let mut builder = Builder::new(Sink::Memory {
        people: Map::default(),
        links: Vec::new(),
    });
    let health = aaf::for_each_record(paths, progress, &mut |record| builder.record(record))?;
    let Sink::Memory { people, links } = std::mem::replace(
        &mut builder.sink,
        Sink::Memory {
            people: Map::default(),
            links: Vec::new(),
        },
    ) else {
        unreachable!("a memory builder keeps its sink")
    };
    Ok(Export {
        people: builder.canonical(people, links, pool, &mut Canonical::default()),
        health,
        ignored: builder.ignored,
    })
}

/// An export partitioned into bucket files by key.
#[derive(Debug)]
pub struct Partitioned {
    spill: Spill,
    raw: Pool,
    uai: HashMap<u32, Box<str>>,
    present: IdSet,
    deleted: HashSet<Key>,
    /// Canonical indices already given, for every bucket's load.
    canonical: Canonical,
    /// How the files read.
    pub health: Health,
    /// `modifyRequest` records, not applied.
    pub ignored: u64,
}

/// Reads an export into `buckets` bucket files.
pub fn partition(
    paths: &[PathBuf],
    buckets: usize,
    progress: &dyn crate::Progress,
) -> Result<Partitioned, ReadError> {
    let spilled = |e: io::Error| {
        let why = sdet_core::text::io_reason(&e);
        ReadError::File {
            path: std::env::temp_dir(),
            why: Text::new(
                format!("impossible d'écrire un fichier temporaire : {}", why.fr),
                format!("cannot write a temporary file: {}", why.en),
            ),
        }
    };
    let mut builder = Builder::new(Sink::Spill {
        spill: Spill::new(buckets).map_err(spilled)?,
        encoder: Encoder::default(),
        present: IdSet::default(),
        deleted: HashSet::new(),
        error: None,
    });
    let health = aaf::for_each_record(paths, progress, &mut |record| builder.record(record))?;
    let Sink::Spill {
        spill,
        present,
        deleted,
        error,
        ..
    } = builder.sink
    else {
        unreachable!("a spilling builder keeps its sink")
    };
    if let Some(e) = error {
        return Err(spilled(e));
    }
    Ok(Partitioned {
        spill,
        raw: builder.raw,
        uai: builder.uai,
        present,
        deleted,
        canonical: Canonical::default(),
        health,
        ignored: builder.ignored,
    })
}

impl Partitioned {
    /// Buckets.
    pub fn buckets(&self) -> usize {
        self.spill.len()
    }

    /// Whether the export has this person.
    pub fn has(&self, key: &Key) -> bool {
        self.present.contains_key(key) && !self.deleted.contains(key)
    }

    /// The people of bucket `i` (which is emptied), canonical values going to `pool`.
    pub fn load(&mut self, i: usize, pool: &mut Pool) -> io::Result<Map<Key, Person>> {
        let bytes = self.spill.take(i)?;
        let mut people = Map::default();
        let mut links = Vec::new();
        let mut d = Decoder::new(&bytes);
        while !d.done() {
            let event = decode(&mut d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "a temporary file is truncated")
            })?;
            apply(event, &mut people, &mut links);
        }
        let builder = Builder {
            raw: std::mem::take(&mut self.raw),
            sink: Sink::Memory {
                people: Map::default(),
                links: Vec::new(),
            },
            uai: std::mem::take(&mut self.uai),
            ignored: 0,
        };
        let people = builder.canonical(people, links, pool, &mut self.canonical);
        self.raw = builder.raw;
        self.uai = builder.uai;
        Ok(people)
    }
}

fn apply(event: Event, people: &mut Map<Key, Person>, links: &mut Vec<(Key, Key)>) {
    match event {
        Event::Add(key, raw) => {
            people.entry(key).or_insert_with(|| raw.into_person());
        }
        Event::Delete(key) => {
            people.remove(&key);
        }
        Event::Link(pupil, parent) => links.push((pupil, parent)),
    }
}

fn encode(event: &Event, e: &mut Encoder) {
    match event {
        Event::Add(key, raw) => {
            e.start(b'A')
                .key(key)
                .profile(raw.profile)
                .u32s(&raw.structures)
                .u32s(&raw.classes)
                .keys(&raw.parents);
        }
        Event::Delete(key) => {
            e.start(b'D').key(key);
        }
        Event::Link(pupil, parent) => {
            e.start(b'L').key(pupil).key(parent);
        }
    }
}

fn decode(d: &mut Decoder) -> Option<Event> {
    Some(match d.u8()? {
        b'A' => Event::Add(
            d.key()?,
            Raw {
                profile: d.profile()?,
                structures: d.u32s()?,
                classes: d.u32s()?,
                parents: d.keys()?,
            },
        ),
        b'D' => Event::Delete(d.key()?),
        b'L' => Event::Link(d.key()?, d.key()?),
        _ => return None,
    })
}

impl Builder {
    fn new(sink: Sink) -> Builder {
        Builder {
            raw: Pool::default(),
            sink,
            uai: HashMap::new(),
            ignored: 0,
        }
    }

    fn emit(&mut self, event: Event) {
        match &mut self.sink {
            Sink::Memory { people, links } => apply(event, people, links),
            Sink::Spill {
                spill,
                encoder,
                present,
                deleted,
                error,
            } => {
                // The bucket of the person the event is about (a link: the pupil).
                let key = match &event {
                    Event::Add(key, _) => {
                        present.insert_key(key);
                        deleted.remove(key);
                        key
                    }
                    Event::Delete(key) => {
                        if present.contains_key(key) {
                            deleted.insert(key.clone());
                        }
                        key
                    }
                    Event::Link(pupil, _) => pupil,
                };
                let bucket = spill.bucket_of(spill::key_hash(key));
                encode(&event, encoder);
                if error.is_none()
                    && let Err(e) = spill.write(bucket, &encoder.bytes)
                {
                    *error = Some(e);
                }
            }
        }
    }

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
                self.emit(Event::Delete(key));
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
                        self.emit(Event::Link(Key::of(pupil), key.clone()));
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
        self.emit(Event::Add(key, person));
    }

    /// People with canonical values (in `pool`), their parent links applied. `memo` keeps each
    /// raw structure or class identifier's canonical index: the same few thousand come back in
    /// every bucket, and a class's `UAI$code` would otherwise be written out for each person.
    fn canonical(
        &self,
        mut people: Map<Key, Person>,
        links: Vec<(Key, Key)>,
        pool: &mut Pool,
        memo: &mut Canonical,
    ) -> Map<Key, Person> {
        for (pupil, parent) in links {
            if let Some(p) = people.get_mut(&pupil) {
                let mut parents = std::mem::take(&mut p.parents).into_vec();
                parents.push(parent);
                p.parents = set(parents);
            }
        }
        for person in people.values_mut() {
            for id in &mut person.structures {
                *id = *memo
                    .structures
                    .entry(*id)
                    .or_insert_with(|| pool.intern(self.structure_name(*id)));
            }
            for id in &mut person.classes {
                *id = *memo.classes.entry(*id).or_insert_with(|| {
                    let value = self.raw.get(*id);
                    match value.split_once('$') {
                        Some((s, code)) => {
                            let s = self.raw.find(s).map_or(s, |sid| self.structure_name(sid));
                            pool.intern(&format!("{s}${code}"))
                        }
                        None => pool.intern(value),
                    }
                });
            }
            person.structures = set(std::mem::take(&mut person.structures).into_vec());
            person.classes = set(std::mem::take(&mut person.classes).into_vec());
        }
        people
    }

    /// A structure as the comparison names it: its UAI, or its identifier when the export does
    /// not describe it.
    fn structure_name(&self, id: u32) -> &str {
        self.uai
            .get(&id)
            .map_or_else(|| self.raw.get(id), AsRef::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Seen = BTreeMap<String, (Profile, Vec<String>, Vec<String>, Vec<String>)>;

    fn seen(people: &Map<Key, Person>, pool: &Pool, into: &mut Seen) {
        let names = |ids: &[u32]| {
            let mut v: Vec<String> = ids.iter().map(|&i| pool.get(i).to_owned()).collect();
            v.sort();
            v
        };
        for (key, p) in people {
            let parents = p.parents.iter().map(ToString::to_string).collect();
            let value = (p.profile, names(&p.structures), names(&p.classes), parents);
            assert!(into.insert(key.to_string(), value).is_none(), "{key} twice");
        }
    }

    /// The fixture export, with a link written on a parent's side and a parent deleted.
    fn export() -> tempfile::TempDir {
        let from = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/annuaire/reconcile/export"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        for entry in std::fs::read_dir(from).expect("fixture") {
            let path = entry.expect("entry").path();
            let mut bytes = std::fs::read(&path).expect("read");
            if path.to_string_lossy().contains("PersRelEleve") {
                let end = bytes.len() - b"</ficAlimMENESR>\n".len();
                let tail = "<addRequest>\n<operationalAttributes><attr name=\"categoriePersonne\"><value>PersRelEleve</value></attr></operationalAttributes>\n\
<identifier><id>5000077</id></identifier>\n<attributes>\n<attr name=\"ENTAuxPersRelEleveEleve\"><value>6000001</value></attr>\n</attributes>\n</addRequest>\n\
<deleteRequest>\n<operationalAttributes><attr name=\"categoriePersonne\"><value>PersRelEleve</value></attr></operationalAttributes>\n\
<identifier><id>5000003</id></identifier>\n</deleteRequest>\n</ficAlimMENESR>\n";
                bytes.truncate(end);
                bytes.extend_from_slice(tail.as_bytes());
            }
            std::fs::write(dir.path().join(path.file_name().expect("name")), bytes).expect("write");
        }
        dir
    }

    #[test]
    fn buckets_hold_the_same_people_as_one_map() {
        let dir = export();
        let paths = [dir.path().to_path_buf()];
        let mut pool = Pool::default();
        let whole = read(&paths, &mut pool, &crate::Silent).expect("read");
        let mut expected = Seen::new();
        seen(&whole.people, &pool, &mut expected);
        assert!(expected.contains_key("5000077") && !expected.contains_key("5000003"));
        assert!(expected["6000001"].3.contains(&"5000077".to_owned()));
        assert!(!whole.health.problems);

        let mut parts = partition(&paths, 3, &crate::Silent).expect("partition");
        let mut pool = Pool::default();
        let mut got = Seen::new();
        for i in 0..parts.buckets() {
            seen(&parts.load(i, &mut pool).expect("bucket"), &pool, &mut got);
        }
        assert_eq!(got, expected);
        assert!(parts.has(&Key::of("5000077")) && parts.has(&Key::of("6000001")));
        assert!(!parts.has(&Key::of("5000003")), "deleted");
        assert!(!parts.has(&Key::of("4301")), "a structure is not a person");
    }
}
