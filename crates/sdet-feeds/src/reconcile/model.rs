//! The compact picture of people both sides are reduced to before they are compared: an identifier,
//! a profile, structures, classes and parent links. An académie has a million people, so
//! identifiers are integers where they are numeric (as in `feeds check`) and every structure, class
//! and DN is stored once in a [`Pool`] and referred to by a `u32`.

use std::collections::HashMap;

/// The maps of one bucket's people, by key: foldhash, seeded per process, several times cheaper
/// than SipHash for the million lookups a comparison makes.
pub type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use serde::Serialize;

/// A person's AAF identifier (`identifier/id`, which the directory keeps in `ENTPersonJointure`).
pub use crate::links::Key;

impl Key {
    /// The key of an `ENTPersonJointure` value. The ENT schema writes it `source$key` (e.g.
    /// `AC-RENNES$2`); AAF files and some ENTs write the bare key. The key is what follows the
    /// last `$`.
    pub fn of_jointure(value: &str) -> Option<Key> {
        let key = value.rsplit('$').next().unwrap_or(value).trim();
        (!key.is_empty()).then(|| Key::of(key))
    }
}

/// What a person is to the ENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// A pupil (AAF `Eleve`; LDAP `ENTEleve`).
    Eleve,
    /// A parent or other person responsible (AAF `PersRelEleve`; LDAP `ENTAuxPersRelEleve`).
    Parent,
    /// A teacher (AAF `PersEducNat` in front of pupils; LDAP `ENTAuxEnseignant`).
    Enseignant,
    /// Other staff (AAF `PersEducNat` not in front of pupils; LDAP `ENTAuxNonEns*`).
    Personnel,
    /// The directory entry says nothing we recognise.
    Inconnu,
}

impl Profile {
    /// Its code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            Profile::Eleve => "eleve",
            Profile::Parent => "parent",
            Profile::Enseignant => "enseignant",
            Profile::Personnel => "personnel",
            Profile::Inconnu => "inconnu",
        }
    }
}

/// Strings stored once, named by their index.
#[derive(Debug, Default)]
pub struct Pool {
    index: HashMap<Box<str>, u32>,
    strings: Vec<Box<str>>,
}

impl Pool {
    /// The index of `value`, adding it if new.
    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(&i) = self.index.get(value) {
            return i;
        }
        // More than 4 billion distinct values cannot come from a real export; saturate rather
        // than wrap so two values never share an index silently.
        let i = u32::try_from(self.strings.len()).unwrap_or(u32::MAX);
        self.strings.push(value.into());
        self.index.insert(value.into(), i);
        i
    }

    /// The index of `value`, if it was interned.
    pub fn find(&self, value: &str) -> Option<u32> {
        self.index.get(value).copied()
    }

    /// How many strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// The string at `i`.
    pub fn get(&self, i: u32) -> &str {
        self.strings.get(i as usize).map_or("", |s| s)
    }
}

/// One person, reduced to what is compared. `structures` and `classes` are sorted [`Pool`]
/// indices of their canonical forms (`UAI`, `UAI$class`).
#[derive(Debug, Clone)]
pub struct Person {
    /// The profile.
    pub profile: Profile,
    /// Attachment structures.
    pub structures: Box<[u32]>,
    /// Classes.
    pub classes: Box<[u32]>,
    /// For a pupil, the people in relation with them (parents).
    pub parents: Box<[Key]>,
}

/// Sorted and without repeats, as a boxed slice.
pub fn set<T: Ord>(mut items: Vec<T>) -> Box<[T]> {
    items.sort_unstable();
    items.dedup();
    items.into_boxed_slice()
}

/// A normalised DN for lookups: lower case, no spaces around `,` and `=` (LDAP compares DNs that
/// way for the attribute types used here).
pub fn normalise_dn(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    normalise_dn_into(dn, &mut out);
    out
}

/// [`normalise_dn`] into `out` (emptied first): the directory side normalises a DN per pupil and
/// per parent link, a million times, so this reuses one buffer and, for an ASCII DN (nearly all
/// of them), works on bytes rather than chars.
pub fn normalise_dn_into(dn: &str, out: &mut String) {
    out.clear();
    if dn.is_ascii() {
        let mut bytes = std::mem::take(out).into_bytes();
        for part in dn.as_bytes().split(|&b| b == b',') {
            if !bytes.is_empty() {
                bytes.push(b',');
            }
            match part.iter().position(|&b| b == b'=') {
                Some(i) => {
                    push_ascii_lowercase(&mut bytes, &part[..i]);
                    bytes.push(b'=');
                    push_ascii_lowercase(&mut bytes, &part[i + 1..]);
                }
                None => push_ascii_lowercase(&mut bytes, part),
            }
        }
        // Lower-cased ASCII is ASCII: this never fails.
        *out = String::from_utf8(bytes).unwrap_or_default();
        return;
    }
    for part in dn.split(',') {
        if !out.is_empty() {
            out.push(',');
        }
        let mut rdn = part.splitn(2, '=');
        out.push_str(&rdn.next().unwrap_or("").trim().to_lowercase());
        if let Some(value) = rdn.next() {
            out.push('=');
            out.push_str(&value.trim().to_lowercase());
        }
    }
}

/// Appends ASCII `s`, trimmed as `str::trim` trims (the ASCII characters that are white space
/// to Unicode, vertical tab included), in lower case.
fn push_ascii_lowercase(out: &mut Vec<u8>, s: &[u8]) {
    let blank = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let start = s.iter().position(|b| !blank(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !blank(b)).map_or(start, |i| i + 1);
    out.extend(s[start..end].iter().map(u8::to_ascii_lowercase));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jointure_keys_drop_the_source() {
        assert_eq!(Key::of_jointure("AC-RENNES$2"), Some(Key::of("2")));
        assert_eq!(Key::of_jointure("6000001"), Some(Key::of("6000001")));
        assert_eq!(Key::of_jointure("AC-X$"), None);
        assert_eq!(Key::of("0042").to_string(), "0042");
        assert_ne!(Key::of("0042"), Key::of("42"));
        assert_eq!(Key::of("F1abc").to_string(), "F1abc");
    }

    #[test]
    fn dns_compare_without_case_or_spaces() {
        assert_eq!(
            normalise_dn("ENTStructureSIREN=1, ou=Structures,dc=X"),
            normalise_dn("entstructuresiren=1,ou=structures, dc=x")
        );
        let mut out = String::from("left over");
        for dn in [
            ",A=B",
            "Ü=Ä, ou=X",
            "",
            "a=b=C , D",
            "ΣΑΣ=x",
            " \x0bUID = U1 ,\tOU=People\r, DC=X ",
            "  ,=, A",
        ] {
            normalise_dn_into(dn, &mut out);
            assert_eq!(out, reference_normalise_dn(dn), "{dn:?}");
            assert_eq!(normalise_dn(dn), out, "{dn:?}");
        }
    }

    /// What `normalise_dn` was before its ASCII fast path: the fast path must agree with it.
    fn reference_normalise_dn(dn: &str) -> String {
        let mut out = String::new();
        for part in dn.split(',') {
            if !out.is_empty() {
                out.push(',');
            }
            let mut rdn = part.splitn(2, '=');
            out.push_str(&rdn.next().unwrap_or("").trim().to_lowercase());
            if let Some(value) = rdn.next() {
                out.push('=');
                out.push_str(&value.trim().to_lowercase());
            }
        }
        out
    }

    #[test]
    fn pool_interns_once() {
        let mut pool = Pool::default();
        let a = pool.intern("0161234E$6A");
        assert_eq!(pool.intern("0161234E$6A"), a);
        assert_ne!(pool.intern("0161234E$3B"), a);
        assert_eq!(pool.get(a), "0161234E$6A");
        assert_eq!(pool.find("nope"), None);
    }
}
