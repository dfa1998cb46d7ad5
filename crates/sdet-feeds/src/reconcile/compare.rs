//! The comparison: who is missing from the directory, who is extra in it, and, for everyone on
//! both sides, whether the profile, the structure, the classes and the parent links agree. Each
//! difference kind is counted in full; the first `limit` of each (in identifier order, so runs are
//! reproducible) are kept with what the export expects and what the directory holds.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::directory::Directory;
use super::export::Export;
use super::model::{Key, Map, Person, Pool, Profile};

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// In the export, not in the directory.
    Missing,
    /// In the directory with an AAF key, not in the export (or a second entry for one person).
    Extra,
    /// Another profile.
    Profile,
    /// Another attachment structure.
    Structure,
    /// Other classes.
    Class,
    /// Other parent links (a pupil's parents).
    Parent,
}

impl DiffKind {
    /// Every kind, in report order.
    pub const ALL: [DiffKind; 6] = [
        DiffKind::Missing,
        DiffKind::Extra,
        DiffKind::Profile,
        DiffKind::Structure,
        DiffKind::Class,
        DiffKind::Parent,
    ];

    /// Its code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            DiffKind::Missing => "missing",
            DiffKind::Extra => "extra",
            DiffKind::Profile => "profile",
            DiffKind::Structure => "structure",
            DiffKind::Class => "class",
            DiffKind::Parent => "parent",
        }
    }
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs.
    pub kind: DiffKind,
    /// The person's AAF identifier.
    pub person: String,
    /// What the export says (none for an extra person).
    pub expected: Option<String>,
    /// What the directory holds (none for a missing person).
    pub observed: Option<String>,
}

/// The outcome of a reconciliation.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    /// People in the export.
    pub export_people: u64,
    /// Entries with an AAF key in the directory.
    pub directory_people: u64,
    /// Whether the export reader met errors (`feeds check` lists them).
    pub export_problems: bool,
    /// `modifyRequest` records not applied.
    pub ignored_records: u64,
    /// Differences per kind, every kind present.
    pub counts: BTreeMap<DiffKind, u64>,
    /// The first differences of each kind.
    pub differences: Vec<Difference>,
    /// How many are kept per kind.
    pub limit: usize,
}

impl Reconciliation {
    /// All differences, over every kind.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }
}

/// The differences of each kind: all counted, the first `limit` in identifier order kept. Buckets
/// come in hash order, so the kept ones are the smallest seen so far, not the first seen.
struct Collector {
    counts: BTreeMap<DiffKind, u64>,
    kept: BTreeMap<DiffKind, BTreeMap<(Key, String), Difference>>,
    limit: usize,
}

impl Collector {
    /// Counts a difference about `key` (`tie` orders several of one key, e.g. by DN); `describe`
    /// says what is expected and observed, and runs only if the difference is kept.
    fn push(
        &mut self,
        kind: DiffKind,
        key: &Key,
        tie: &str,
        describe: impl FnOnce() -> (Option<String>, Option<String>),
    ) {
        *self.counts.entry(kind).or_insert(0) += 1;
        if self.limit == 0 {
            return;
        }
        let kept = self.kept.entry(kind).or_default();
        if kept.len() >= self.limit
            && kept
                .last_key_value()
                .is_some_and(|((k, t), _)| (key, tie) >= (k, t.as_str()))
        {
            return;
        }
        let (expected, observed) = describe();
        kept.insert(
            (key.clone(), tie.to_owned()),
            Difference {
                kind,
                person: key.to_string(),
                expected,
                observed,
            },
        );
        if kept.len() > self.limit {
            kept.pop_last();
        }
    }
}

/// Whether each side has a person, over the whole of it (a bucket holds only some).
pub struct Presence<'a> {
    /// In the export.
    pub export: &'a dyn Fn(&Key) -> bool,
    /// In the directory.
    pub directory: &'a dyn Fn(&Key) -> bool,
}

/// A comparison made bucket by bucket.
pub struct Comparison {
    out: Collector,
    export_people: u64,
    /// Entries with several keys found in the export (by entry number).
    matched_shared: HashSet<u64>,
    /// Keys of entries with several keys absent from the export: extra unless another key of the
    /// same entry is matched, which only the end knows.
    unmatched_shared: Vec<(Key, u64, String, String)>,
}

impl Comparison {
    /// Starts, keeping the first `limit` differences of each kind.
    pub fn new(limit: usize) -> Comparison {
        Comparison {
            out: Collector {
                counts: DiffKind::ALL.iter().map(|k| (*k, 0)).collect(),
                kept: BTreeMap::new(),
                limit,
            },
            export_people: 0,
            matched_shared: HashSet::new(),
            unmatched_shared: Vec::new(),
        }
    }

    /// Compares the people of one bucket of each side (the same keys).
    pub fn bucket(
        &mut self,
        export: &Map<Key, Person>,
        directory: &Directory,
        presence: &Presence,
        pool: &Pool,
    ) {
        self.export_people += export.len() as u64;
        let out = &mut self.out;
        for (key, expected) in export {
            let Some(observed) = directory.people.get(key) else {
                out.push(DiffKind::Missing, key, "", || {
                    (Some(describe(expected, pool)), None)
                });
                continue;
            };
            if let Some(entry) = directory.shared.get(key) {
                self.matched_shared.insert(*entry);
            }
            same_person(key, expected, observed, presence, pool, out);
        }
        let profile = |key: &Key| directory.people.get(key).map_or("", |p| p.profile.code());
        for (key, dn) in &directory.dns {
            if export.contains_key(key) {
                continue;
            }
            match directory.shared.get(key) {
                Some(entry) => {
                    self.unmatched_shared.push((
                        key.clone(),
                        *entry,
                        dn.clone(),
                        profile(key).to_owned(),
                    ));
                }
                None => extra(out, key, dn, profile(key)),
            }
        }
        for (key, dn) in &directory.duplicates {
            extra(out, key, dn, profile(key));
        }
    }

    /// The outcome, with the directory's entry count and the export's health.
    pub fn finish(
        mut self,
        directory_people: u64,
        export_problems: bool,
        ignored_records: u64,
    ) -> Reconciliation {
        for (key, entry, dn, profile) in std::mem::take(&mut self.unmatched_shared) {
            if !self.matched_shared.contains(&entry) {
                extra(&mut self.out, &key, &dn, &profile);
            }
        }
        let limit = self.out.limit;
        Reconciliation {
            export_people: self.export_people,
            directory_people,
            export_problems,
            ignored_records,
            counts: self.out.counts,
            differences: self
                .out
                .kept
                .into_values()
                .flat_map(BTreeMap::into_values)
                .collect(),
            limit,
        }
    }
}

fn extra(out: &mut Collector, key: &Key, dn: &str, profile: &str) {
    out.push(DiffKind::Extra, key, dn, || {
        (None, Some(format!("{profile} {dn}").trim().to_owned()))
    });
}

/// Compares an export with a directory held whole in memory.
pub fn compare(
    export: &Export,
    directory: &Directory,
    pool: &Pool,
    limit: usize,
) -> Reconciliation {
    let mut comparison = Comparison::new(limit);
    let presence = Presence {
        export: &|k| export.people.contains_key(k),
        directory: &|k| directory.people.contains_key(k),
    };
    comparison.bucket(&export.people, directory, &presence, pool);
    comparison.finish(directory.entries, export.health.problems, export.ignored)
}

fn same_person(
    key: &Key,
    expected: &Person,
    observed: &Person,
    presence: &Presence,
    pool: &Pool,
    out: &mut Collector,
) {
    if expected.profile != observed.profile {
        out.push(DiffKind::Profile, key, "", || {
            (
                Some(expected.profile.code().into()),
                Some(observed.profile.code().into()),
            )
        });
    }
    // The directory keeps one attachment structure (single-valued DN): it must be one of the
    // export's. Parents have none in the export, so nothing is expected of them.
    if !expected.structures.is_empty()
        && (observed.structures.is_empty()
            || observed
                .structures
                .iter()
                .any(|s| !expected.structures.contains(s)))
    {
        out.push(DiffKind::Structure, key, "", || {
            (
                list(&expected.structures, pool),
                list(&observed.structures, pool),
            )
        });
    }
    if expected.classes != observed.classes {
        out.push(DiffKind::Class, key, "", || {
            (list(&expected.classes, pool), list(&observed.classes, pool))
        });
    }
    // A link to someone present on one side only is already counted as missing or extra.
    if expected.profile == Profile::Eleve {
        let want: Vec<&Key> = expected
            .parents
            .iter()
            .filter(|p| (presence.directory)(p))
            .collect();
        let have: Vec<&Key> = observed
            .parents
            .iter()
            .filter(|p| (presence.export)(p))
            .collect();
        if want != have {
            out.push(DiffKind::Parent, key, "", || (keys(&want), keys(&have)));
        }
    }
}

fn describe(person: &Person, pool: &Pool) -> String {
    match list(&person.structures, pool) {
        Some(s) => format!("{} {s}", person.profile.code()),
        None => person.profile.code().to_owned(),
    }
}

fn list(items: &[u32], pool: &Pool) -> Option<String> {
    (!items.is_empty()).then(|| {
        let mut names: Vec<&str> = items.iter().map(|&i| pool.get(i)).collect();
        names.sort_unstable();
        names.join(", ")
    })
}

fn keys(items: &[&Key]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::model::set;

    fn person(pool: &mut Pool, profile: Profile, s: &[&str], c: &[&str], p: &[&str]) -> Person {
        Person {
            profile,
            structures: set(s.iter().map(|v| pool.intern(v)).collect()),
            classes: set(c.iter().map(|v| pool.intern(v)).collect()),
            parents: set(p.iter().map(|v| Key::of(v)).collect()),
        }
    }

    fn directory(people: Vec<(&str, Person)>) -> Directory {
        let mut d = Directory::default();
        for (id, p) in people {
            d.dns.insert(Key::of(id), format!("uid=u{id}"));
            d.people.insert(Key::of(id), p);
            d.entries += 1;
        }
        d
    }

    #[test]
    fn a_link_to_a_missing_parent_is_counted_once() {
        let mut pool = Pool::default();
        let mut export = Export::default();
        let pupil = person(&mut pool, Profile::Eleve, &["U"], &["U$6A"], &["1", "2"]);
        export.people.insert(Key::of("10"), pupil);
        export.people.insert(
            Key::of("1"),
            person(&mut pool, Profile::Parent, &[], &[], &[]),
        );
        export.people.insert(
            Key::of("2"),
            person(&mut pool, Profile::Parent, &[], &[], &[]),
        );
        let seen = person(&mut pool, Profile::Eleve, &["U"], &["U$6A"], &["1"]);
        let dir = directory(vec![
            ("10", seen),
            ("1", person(&mut pool, Profile::Parent, &["U"], &[], &[])),
        ]);
        let r = compare(&export, &dir, &pool, 20);
        assert_eq!(r.counts[&DiffKind::Missing], 1);
        assert_eq!(r.total(), 1, "{r:?}");
    }

    #[test]
    fn a_second_entry_for_one_person_is_extra() {
        let mut pool = Pool::default();
        let mut export = Export::default();
        export.people.insert(
            Key::of("7"),
            person(&mut pool, Profile::Personnel, &["U"], &[], &[]),
        );
        let mut dir = directory(vec![(
            "7",
            person(&mut pool, Profile::Personnel, &["U"], &[], &[]),
        )]);
        dir.duplicates.push((Key::of("7"), "uid=copy".into()));
        let r = compare(&export, &dir, &pool, 20);
        assert_eq!(r.counts[&DiffKind::Extra], 1);
        assert_eq!(
            r.differences[0].observed.as_deref(),
            Some("personnel uid=copy")
        );
    }

    #[test]
    fn the_attachment_must_be_one_of_the_exports_structures() {
        let mut pool = Pool::default();
        let mut export = Export::default();
        let two = person(&mut pool, Profile::Enseignant, &["A", "B"], &[], &[]);
        export.people.insert(Key::of("7"), two);
        let none = person(&mut pool, Profile::Enseignant, &[], &[], &[]);
        export.people.insert(Key::of("8"), none);
        let dir = directory(vec![
            (
                "7",
                person(&mut pool, Profile::Enseignant, &["B"], &[], &[]),
            ),
            (
                "8",
                person(&mut pool, Profile::Enseignant, &["C"], &[], &[]),
            ),
        ]);
        assert_eq!(compare(&export, &dir, &pool, 20).total(), 0);
        let dir = directory(vec![
            (
                "7",
                person(&mut pool, Profile::Enseignant, &["C"], &[], &[]),
            ),
            ("8", person(&mut pool, Profile::Enseignant, &[], &[], &[])),
        ]);
        let r = compare(&export, &dir, &pool, 20);
        assert_eq!(r.counts[&DiffKind::Structure], 1);
        assert_eq!(r.differences[0].expected.as_deref(), Some("A, B"));
    }

    #[test]
    fn only_the_first_differences_are_kept_but_all_are_counted() {
        let mut pool = Pool::default();
        let mut export = Export::default();
        for i in 0..30 {
            let p = person(&mut pool, Profile::Parent, &[], &[], &[]);
            export.people.insert(Key::of(&i.to_string()), p);
        }
        let r = compare(&export, &Directory::default(), &pool, 3);
        assert_eq!(r.counts[&DiffKind::Missing], 30);
        let kept: Vec<&str> = r.differences.iter().map(|d| d.person.as_str()).collect();
        assert_eq!(kept, ["0", "1", "2"]);
    }

    #[test]
    fn an_entry_with_two_keys_in_two_buckets_is_extra_only_if_neither_is_exported() {
        let mut pool = Pool::default();
        let staff = person(&mut pool, Profile::Personnel, &["U"], &[], &[]);
        let mut export = Map::default();
        export.insert(Key::of("1"), staff.clone());
        // Entry 9 carries keys 1 (exported) and 2; entry 10 carries 3 and 4 (neither).
        let bucket = |keys: &[(&str, u64)]| {
            let mut d = Directory::default();
            for (k, entry) in keys {
                d.people.insert(Key::of(k), staff.clone());
                d.dns.insert(Key::of(k), format!("uid=e{entry}"));
                d.shared.insert(Key::of(k), *entry);
            }
            d
        };
        let presence = Presence {
            export: &|k| *k == Key::of("1"),
            directory: &|_| true,
        };
        let mut c = Comparison::new(20);
        // The unexported key comes first: only the end knows its entry was matched.
        c.bucket(
            &Map::default(),
            &bucket(&[("2", 9), ("3", 10)]),
            &presence,
            &pool,
        );
        c.bucket(&export, &bucket(&[("1", 9), ("4", 10)]), &presence, &pool);
        let r = c.finish(2, false, 0);
        assert_eq!(r.counts[&DiffKind::Extra], 2, "{r:?}");
        let extra: Vec<&str> = r.differences.iter().map(|d| d.person.as_str()).collect();
        assert_eq!(extra, ["3", "4"]);
        assert_eq!(r.export_people, 1);
    }
}
