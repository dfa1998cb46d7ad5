//! Which attributes each kind of file may carry, per degree, and what their values look like and
//! point at. An importer aborts a file on an attribute it does not know (entcore raises "Unknown
//! attribute"), so these lists are the allow-lists: they follow entcore's mapping files and the real
//! exports (see `../shared/research/formats.md` §1.5–1.7 for the sources).

mod tables;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::kind::{Degree, Kind};
use super::values::Format;

/// What a reference in a value points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A structure (EtabEducNat identifier or ENTStructureJointure).
    Structure,
    /// A parent (PersRelEleve identifier).
    Parent,
    /// A pupil (Eleve identifier).
    Pupil,
    /// A MEF (MefEducNat identifier).
    Mef,
    /// A subject (MatiereEducNat identifier).
    Subject,
    /// A class code, listed by its structure's ENTStructureClasses.
    Class,
    /// A group code, listed by its structure's ENTStructureGroupes.
    Group,
}

/// One reference carried by a value: which `$`-separated field holds the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// What it points at.
    pub target: Target,
    /// The field (0-based) holding the identifier or code.
    pub field: u8,
    /// For classes and groups: the field holding the structure.
    pub structure: u8,
}

impl Link {
    /// A reference held in field `field`.
    pub const fn to(target: Target, field: u8) -> Link {
        Link {
            target,
            field,
            structure: 0,
        }
    }

    /// A class code in field `code` of the structure in field `structure`.
    pub const fn class(structure: u8, code: u8) -> Link {
        Link {
            target: Target::Class,
            field: code,
            structure,
        }
    }

    /// A group code in field `code` of the structure in field `structure`.
    pub const fn group(structure: u8, code: u8) -> Link {
        Link {
            target: Target::Group,
            field: code,
            structure,
        }
    }
}

/// What one attribute may hold.
#[derive(Debug, Clone, Copy)]
pub struct AttrSpec {
    /// Its name.
    pub name: &'static str,
    /// Several values allowed.
    pub multi: bool,
    /// Accepted and ignored by importers.
    pub deprecated: bool,
    /// Must be present with a non-empty value in a full record.
    pub required: bool,
    /// The shape of each value.
    pub format: Format,
    /// What its values point at.
    pub links: &'static [Link],
}

impl AttrSpec {
    /// A single-valued text attribute.
    pub const fn new(name: &'static str) -> AttrSpec {
        AttrSpec {
            name,
            multi: false,
            deprecated: false,
            required: false,
            format: Format::Text,
            links: &[],
        }
    }

    /// Several values allowed.
    #[must_use]
    pub const fn multi(mut self) -> AttrSpec {
        self.multi = true;
        self
    }

    /// Accepted but ignored.
    #[must_use]
    pub const fn deprecated(mut self) -> AttrSpec {
        self.deprecated = true;
        self
    }

    /// Required in full records.
    #[must_use]
    pub const fn required(mut self) -> AttrSpec {
        self.required = true;
        self
    }

    /// With this value shape.
    #[must_use]
    pub const fn format(mut self, format: Format) -> AttrSpec {
        self.format = format;
        self
    }

    /// Pointing at these.
    #[must_use]
    pub const fn links(mut self, links: &'static [Link]) -> AttrSpec {
        self.links = links;
        self
    }
}

/// Attributes per table, at most, so a record's attributes fit in an [`AttrSet`].
pub const MAX_TABLE: usize = 128;

/// A set of attributes of one table, by index.
#[derive(Debug, Clone, Copy, Default)]
pub struct AttrSet([u64; 2]);

impl AttrSet {
    /// Adds attribute `i`; `false` if it was there.
    pub fn insert(&mut self, i: usize) -> bool {
        let (word, bit) = (i / 64 % 2, 1u64 << (i % 64));
        let fresh = self.0[word] & bit == 0;
        self.0[word] |= bit;
        fresh
    }

    /// Whether attribute `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.0[i / 64 % 2] & (1u64 << (i % 64)) != 0
    }
}

/// FNV-1a: the names looked up are short and the table is fixed, so a simple hash is enough and
/// several times cheaper than SipHash on the hot path.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Where each attribute of the last record was found (see [`Schema::find_at`]).
#[derive(Debug, Default)]
pub struct Order(Vec<usize>);

/// The attributes of one kind and degree.
#[derive(Debug)]
pub struct Schema {
    /// The attributes, in documentation order.
    pub attrs: &'static [AttrSpec],
    by_name: HashMap<&'static str, usize, BuildHasherDefault<Fnv>>,
}

impl Schema {
    /// The spec of `name`, if this kind and degree allows it.
    pub fn get(&self, name: &str) -> Option<&'static AttrSpec> {
        self.find(name).map(|(_, spec)| spec)
    }

    /// The index and spec of `name`, if this kind and degree allows it.
    pub fn find(&self, name: &str) -> Option<(usize, &'static AttrSpec)> {
        self.by_name.get(name).map(|&i| (i, &self.attrs[i]))
    }

    /// [`Schema::find`] for the attribute at `position` in its record. Exporters write a kind's
    /// attributes in the same order in every record, so `order` remembers where the last record's
    /// were found, and most lookups are one comparison instead of a hash.
    pub fn find_at(
        &self,
        name: &str,
        position: usize,
        order: &mut Order,
    ) -> Option<(usize, &'static AttrSpec)> {
        if let Some(&i) = order.0.get(position)
            && self.attrs.get(i).is_some_and(|a| a.name == name)
        {
            return Some((i, &self.attrs[i]));
        }
        let found = self.find(name)?;
        if position < order.0.len() {
            order.0[position] = found.0;
        } else if position == order.0.len() {
            order.0.push(found.0);
        }
        Some(found)
    }

    /// The attributes a full record must carry, with their indexes.
    pub fn required(&self) -> impl Iterator<Item = (usize, &'static AttrSpec)> + '_ {
        self.attrs.iter().enumerate().filter(|(_, a)| a.required)
    }
}

/// The schema for a kind and degree. Subjects and MEFs have no 1D variant: both degrees share one.
pub fn schema(kind: Kind, degree: Degree) -> &'static Schema {
    static CACHE: OnceLock<HashMap<(Kind, Degree), Schema>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        let mut all = HashMap::new();
        for kind in Kind::ALL {
            for degree in [Degree::First, Degree::Second] {
                let attrs = tables::attrs(kind, degree);
                let by_name = attrs.iter().enumerate().map(|(i, a)| (a.name, i)).collect();
                all.insert((kind, degree), Schema { attrs, by_name });
            }
        }
        all
    });
    &all[&(kind, degree)]
}

/// Names only one degree uses, for guessing a file's degree when its header does not say.
pub fn degree_hint(kind: Kind, name: &str) -> Option<Degree> {
    let first = schema(kind, Degree::First).get(name).is_some();
    let second = schema(kind, Degree::Second).get(name).is_some();
    match (first, second) {
        (true, false) => Some(Degree::First),
        (false, true) => Some(Degree::Second),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_unique_and_has_required_names() {
        for kind in Kind::ALL {
            for degree in [Degree::First, Degree::Second] {
                let s = schema(kind, degree);
                assert_eq!(
                    s.by_name.len(),
                    s.attrs.len(),
                    "{kind:?} {degree:?} has a duplicate"
                );
                assert!(s.required().count() >= 1, "{kind:?} {degree:?}");
                assert!(
                    s.attrs.len() <= MAX_TABLE,
                    "{kind:?} {degree:?} is too long for AttrSet"
                );
            }
        }
    }

    #[test]
    fn degrees_differ_where_the_mappings_do() {
        assert_eq!(
            degree_hint(Kind::Eleve, "ENTPersonNom"),
            Some(Degree::First)
        );
        assert_eq!(degree_hint(Kind::Eleve, "sn"), Some(Degree::Second));
        assert_eq!(degree_hint(Kind::Eleve, "ENTPersonDateNaissance"), None);
        assert!(
            schema(Kind::Eleve, Degree::Second)
                .get("ENTEleveParents")
                .is_some_and(|a| a.deprecated)
        );
    }
}
