//! What cross-record checks keep: the identifiers of each kind and each structure's class and
//! group codes, nothing else. Memory must stay flat as an export grows, so numeric identifiers
//! (nearly all of them) become a `u64` key tagged with their length, so that `009800` and `9800`
//! stay distinct, and each key is one bit in a word of 64 consecutive keys; other identifiers are
//! stored once as boxed strings.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;

use super::kind::Kind;
use super::schema::Target;

/// Digits kept as integers: 15 digits fit under the length tag.
const MAX_NUMERIC_DIGITS: usize = 15;
/// Where the length tag starts.
const LENGTH_SHIFT: u32 = 50;

/// An identifier made of up to 15 digits, as an integer tagged with its length.
pub fn numeric_key(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NUMERIC_DIGITS || !bytes.iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let value = bytes
        .iter()
        .fold(0u64, |acc, b| acc * 10 + u64::from(b - b'0'));
    Some(value | ((bytes.len() as u64) << LENGTH_SHIFT))
}

/// The identifier a numeric key stands for.
pub fn numeric_id(key: u64) -> String {
    let len = usize::try_from(key >> LENGTH_SHIFT).unwrap_or(0);
    let value = key & ((1 << LENGTH_SHIFT) - 1);
    format!("{value:0len$}")
}

/// A record identifier, compact when numeric: what `feeds check` registers for uniqueness and
/// reconciliation compares people by.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// Up to 15 digits, tagged with their length (see [`numeric_key`]).
    Number(u64),
    /// Anything else.
    Text(Box<str>),
}

impl Key {
    /// The key of an identifier (trimmed).
    pub fn of(id: &str) -> Key {
        let id = id.trim();
        numeric_key(id).map_or_else(|| Key::Text(id.into()), Key::Number)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Number(n) => f.write_str(&numeric_id(*n)),
            Key::Text(t) => f.write_str(t),
        }
    }
}

/// Numeric keys as one bit each, in words of 64 consecutive keys. Real identifiers come in
/// sequences (an académie numbers its people in order), so a word holds many of them: a million
/// pupils fit in about 300 kB instead of 16 MB, and memory stays flat as an export grows. Scattered
/// keys cost one 17-byte slot each, about twice a plain set of `u64`.
#[derive(Debug, Default)]
struct Keys {
    // A seeded hash: several times cheaper than SipHash, and a file cannot choose colliding ids.
    words: HashMap<u64, u64, RandomState>,
    len: usize,
}

impl Keys {
    fn insert(&mut self, key: u64) -> bool {
        let word = self.words.entry(key >> 6).or_insert(0);
        let bit = 1 << (key & 63);
        let fresh = *word & bit == 0;
        *word |= bit;
        self.len += usize::from(fresh);
        fresh
    }

    fn contains(&self, key: u64) -> bool {
        self.words
            .get(&(key >> 6))
            .is_some_and(|word| word & (1 << (key & 63)) != 0)
    }
}

/// A set of identifiers.
#[derive(Debug, Default)]
pub struct IdSet {
    numbers: Keys,
    strings: HashSet<Box<str>, RandomState>,
}

impl IdSet {
    /// Adds an identifier; `false` if it was there already.
    pub fn insert(&mut self, id: &str) -> bool {
        match numeric_key(id) {
            Some(key) => self.numbers.insert(key),
            None => self.strings.insert(id.into()),
        }
    }

    /// Adds a key; `false` if it was there already.
    pub fn insert_key(&mut self, key: &Key) -> bool {
        match key {
            Key::Number(n) => self.numbers.insert(*n),
            Key::Text(text) => self.strings.insert(text.clone()),
        }
    }

    /// Whether the key is in the set.
    pub fn contains_key(&self, key: &Key) -> bool {
        match key {
            Key::Number(n) => self.numbers.contains(*n),
            Key::Text(text) => self.strings.contains(text),
        }
    }

    /// Whether the identifier is in the set.
    pub fn contains(&self, id: &str) -> bool {
        match numeric_key(id) {
            Some(key) => self.numbers.contains(key),
            None => self.strings.contains(id),
        }
    }

    /// How many identifiers.
    pub fn len(&self) -> usize {
        self.numbers.len + self.strings.len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The structures of an export: identifiers, jointures, and their class and group codes.
#[derive(Debug, Default)]
pub struct Structures {
    /// Identifiers and jointures.
    pub ids: IdSet,
    codes: HashMap<Box<str>, Codes, RandomState>,
    aliases: HashMap<Box<str>, Box<str>, RandomState>,
}

#[derive(Debug, Default)]
struct Codes {
    classes: HashSet<Box<str>, RandomState>,
    groups: HashSet<Box<str>, RandomState>,
}

impl Structures {
    /// Records a structure's jointure (another name for it).
    pub fn alias(&mut self, id: &str, jointure: &str) {
        self.ids.insert(jointure);
        if jointure != id {
            self.aliases.insert(jointure.into(), id.into());
        }
    }

    /// Records a class (`group == false`) or group code of structure `id`.
    pub fn add_code(&mut self, id: &str, code: &str, group: bool) {
        let codes = self.codes.entry(id.into()).or_default();
        let set = if group {
            &mut codes.groups
        } else {
            &mut codes.classes
        };
        set.insert(code.into());
    }

    /// Whether the structure (by identifier or jointure) lists this class or group code.
    pub fn has_code(&self, structure: &str, code: &str, group: bool) -> bool {
        let id = self.aliases.get(structure).map_or(structure, |s| &**s);
        self.codes.get(id).is_some_and(|c| {
            if group {
                c.groups.contains(code)
            } else {
                c.classes.contains(code)
            }
        })
    }
}

/// Whether a kind's files can answer a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// No file of that kind in the set.
    Absent,
    /// Its files are incremental: an identifier may exist without being in them.
    Incremental,
    /// Its files are full exports.
    Full,
}

/// Everything the set knows once the kinds a reference may point at have been read.
#[derive(Debug, Default)]
pub struct Known {
    /// Structures.
    pub structures: Structures,
    /// Parents.
    pub parents: IdSet,
    /// Pupils.
    pub pupils: IdSet,
    /// MEFs.
    pub mefs: IdSet,
    /// Subjects.
    pub subjects: IdSet,
    availability: HashMap<Kind, Availability>,
}

impl Known {
    /// Notes whether each kind is present, and full or incremental.
    pub fn set_availability(&mut self, kind: Kind, availability: Availability) {
        self.availability.insert(kind, availability);
    }

    /// The kind a target lives in.
    pub fn kind_of(target: Target) -> Kind {
        match target {
            Target::Structure | Target::Class | Target::Group => Kind::EtabEducNat,
            Target::Parent => Kind::PersRelEleve,
            Target::Pupil => Kind::Eleve,
            Target::Mef => Kind::MefEducNat,
            Target::Subject => Kind::MatiereEducNat,
        }
    }

    /// Whether references to `target` can be checked.
    pub fn availability(&self, target: Target) -> Availability {
        self.availability
            .get(&Known::kind_of(target))
            .copied()
            .unwrap_or(Availability::Absent)
    }

    /// The identifiers a simple reference is looked up in.
    pub fn ids(&self, target: Target) -> &IdSet {
        match target {
            Target::Structure | Target::Class | Target::Group => &self.structures.ids,
            Target::Parent => &self.parents,
            Target::Pupil => &self.pupils,
            Target::Mef => &self.mefs,
            Target::Subject => &self.subjects,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_keys_keep_leading_zeros_apart() {
        assert_ne!(numeric_key("009800"), numeric_key("9800"));
        assert_eq!(numeric_id(numeric_key("009800").unwrap()), "009800");
        assert_eq!(numeric_id(numeric_key("2867253").unwrap()), "2867253");
        assert_eq!(numeric_key("AC-RENNES$2"), None);
        assert_eq!(numeric_key("1234567890123456"), None);
        assert_eq!(numeric_key(""), None);
    }

    #[test]
    fn sets_mix_numbers_and_strings() {
        let mut s = IdSet::default();
        assert!(s.insert("0123"));
        assert!(!s.insert("0123"));
        assert!(s.insert("123"));
        assert!(s.insert("AC-RENNES$2"));
        assert!(s.contains("AC-RENNES$2") && s.contains("0123") && !s.contains("00123"));
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn numeric_keys_share_words_without_mixing_them_up() {
        let mut s = IdSet::default();
        for id in 3_000_000..3_000_200u64 {
            assert!(s.insert(&id.to_string()));
        }
        assert!(!s.insert("3000063") && !s.insert("3000064"));
        assert!(s.contains("3000000") && s.contains("3000199"));
        assert!(!s.contains("2999999") && !s.contains("3000200") && !s.contains("03000000"));
        assert_eq!(s.len(), 200);
        assert!(s.numbers.words.len() <= 5);
        assert!(s.insert_key(&Key::of("18446")));
        assert!(s.contains("18446"));
    }

    #[test]
    fn structures_answer_by_jointure() {
        let mut st = Structures::default();
        st.ids.insert("43");
        st.alias("43", "AC-X$43");
        st.add_code("43", "6A", false);
        st.add_code("43", "6A-LAT", true);
        assert!(st.has_code("AC-X$43", "6A", false));
        assert!(st.has_code("43", "6A-LAT", true));
        assert!(!st.has_code("43", "6A-LAT", false));
        assert!(st.ids.contains("AC-X$43"));
    }
}
