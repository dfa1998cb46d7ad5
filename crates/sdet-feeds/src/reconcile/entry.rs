//! One search result entry, read in place from the BER tree `ldap3` hands over. `ldap3`'s
//! `SearchEntry::construct` copies every attribute name and value into owned strings in a hash
//! map (and panics on a malformed entry); at a million entries that copying was a large part of
//! the directory side's CPU. Here the entry's shape is checked once, then its DN and values are
//! borrowed from the tree as `&str` and an attribute is found by its name, allocating nothing.

use ldap3::ResultEntry;
use ldap3::asn1::{PL, StructureTag};
use sdet_core::text::Text;

/// An entry's DN and attributes, borrowed from the answer.
#[derive(Debug)]
pub(super) struct Entry<'a> {
    /// The DN, as the server wrote it.
    pub dn: &'a str,
    /// The `PartialAttributeList`, each item checked by [`Entry::read`].
    attrs: &'a [StructureTag],
}

/// What is wrong with an entry the server sent (RFC 4511 §4.5.2, `SearchResultEntry`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(super) enum Malformed {
    /// Not a `SearchResultEntry` (application tag 4, constructed).
    #[error("an answer that is not a search result entry")]
    NotAnEntry,
    /// The DN is missing or not UTF-8.
    #[error("an entry without a readable DN")]
    Dn,
    /// The attribute list, an attribute or a value is not shaped as RFC 4511 says.
    #[error("entry {0}: malformed attribute list")]
    Attributes(String),
}

impl Malformed {
    /// The problem in both languages, for the error that ends the search.
    pub(super) fn text(&self) -> Text {
        match self {
            Malformed::NotAnEntry => Text::new(
                "une réponse qui n'est pas une entrée de résultat de recherche",
                "an answer that is not a search result entry",
            ),
            Malformed::Dn => Text::new(
                "une entrée sans DN lisible",
                "an entry without a readable DN",
            ),
            Malformed::Attributes(dn) => Text::new(
                format!("entrée {dn} : liste d'attributs mal formée"),
                format!("entry {dn}: malformed attribute list"),
            ),
        }
    }
}

impl<'a> Entry<'a> {
    /// Checks the entry's shape and borrows its DN and attributes.
    pub(super) fn read(entry: &'a ResultEntry) -> Result<Entry<'a>, Malformed> {
        let tag = &entry.0;
        let parts = match &tag.payload {
            PL::C(parts) if tag.id == 4 => parts.as_slice(),
            _ => return Err(Malformed::NotAnEntry),
        };
        let dn = parts.first().and_then(text).ok_or(Malformed::Dn)?;
        let attrs = match parts.get(1).map(|t| &t.payload) {
            Some(PL::C(attrs)) => attrs.as_slice(),
            _ => return Err(Malformed::Attributes(dn.to_owned())),
        };
        let well_formed = |a: &StructureTag| {
            attribute(a).is_some_and(|(kind, values)| {
                std::str::from_utf8(kind).is_ok()
                    && values.iter().all(|v| matches!(v.payload, PL::P(_)))
            })
        };
        if !attrs.iter().all(well_formed) {
            return Err(Malformed::Attributes(dn.to_owned()));
        }
        Ok(Entry { dn, attrs })
    }

    /// The values of an attribute, whatever the case of its name in the answer. Values that are
    /// not UTF-8 (binary) or only blanks are left out, as they were with `SearchEntry`.
    pub(super) fn values(&self, name: &str) -> impl Iterator<Item = &'a str> {
        self.attrs
            .iter()
            .filter_map(attribute)
            // Names compared as bytes: checked UTF-8 once by `read`, not at every lookup.
            .filter(move |(kind, _)| kind.eq_ignore_ascii_case(name.as_bytes()))
            .flat_map(|(_, values)| values.iter().filter_map(text))
            .filter(|v| !v.trim().is_empty())
    }

    /// The first value of an attribute.
    pub(super) fn first(&self, name: &str) -> Option<&'a str> {
        self.values(name).next()
    }
}

/// An attribute's type and values (`PartialAttribute ::= SEQUENCE { type, vals SET OF value }`).
fn attribute(tag: &StructureTag) -> Option<(&[u8], &[StructureTag])> {
    let PL::C(parts) = &tag.payload else {
        return None;
    };
    match parts.as_slice() {
        [kind, values, ..] => match (&kind.payload, &values.payload) {
            (PL::P(kind), PL::C(values)) => Some((kind.as_slice(), values.as_slice())),
            _ => None,
        },
        _ => None,
    }
}

/// A primitive's content as UTF-8.
fn text(tag: &StructureTag) -> Option<&str> {
    match &tag.payload {
        PL::P(bytes) => std::str::from_utf8(bytes).ok(),
        PL::C(_) => None,
    }
}

/// A well-formed raw entry, as `ldap3` would hand it over, for tests of what reads entries.
#[cfg(test)]
pub(super) fn raw(dn: &str, attrs: &[(&str, &[&str])]) -> ResultEntry {
    use ldap3::asn1::TagClass;
    let tag = |id, class, payload| StructureTag { class, id, payload };
    let octets = |s: &str| tag(4, TagClass::Universal, PL::P(s.as_bytes().to_vec()));
    let attrs = attrs
        .iter()
        .map(|(name, values)| {
            let values = values.iter().map(|v| octets(v)).collect();
            let parts = vec![octets(name), tag(17, TagClass::Universal, PL::C(values))];
            tag(16, TagClass::Universal, PL::C(parts))
        })
        .collect();
    let parts = vec![octets(dn), tag(16, TagClass::Universal, PL::C(attrs))];
    ResultEntry::new(tag(4, TagClass::Application, PL::C(parts)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldap3::asn1::TagClass;

    fn primitive(bytes: &[u8]) -> StructureTag {
        StructureTag {
            class: TagClass::Universal,
            id: 4,
            payload: PL::P(bytes.to_vec()),
        }
    }

    fn constructed(id: u64, class: TagClass, items: Vec<StructureTag>) -> StructureTag {
        StructureTag {
            class,
            id,
            payload: PL::C(items),
        }
    }

    fn attr(name: &str, values: &[&[u8]]) -> StructureTag {
        let values = values.iter().map(|v| primitive(v)).collect();
        constructed(
            16,
            TagClass::Universal,
            vec![
                primitive(name.as_bytes()),
                constructed(17, TagClass::Universal, values),
            ],
        )
    }

    fn entry(dn: &[u8], attrs: Vec<StructureTag>) -> ResultEntry {
        ResultEntry::new(constructed(
            4,
            TagClass::Application,
            vec![primitive(dn), constructed(16, TagClass::Universal, attrs)],
        ))
    }

    #[test]
    fn values_are_found_by_name_whatever_its_case() {
        let raw = entry(
            b"uid=a,dc=x",
            vec![
                attr("objectclass", &[b"top", b"ENTEleve"]),
                attr(
                    "ENTPersonJointure",
                    &[b"AC-X$1", b"  ", b"\xff\xfe", b"AC-X$2"],
                ),
            ],
        );
        let e = Entry::read(&raw).expect("an entry");
        assert_eq!(e.dn, "uid=a,dc=x");
        assert_eq!(
            e.values("objectClass").collect::<Vec<_>>(),
            ["top", "ENTEleve"]
        );
        assert_eq!(
            e.values("entpersonjointure").collect::<Vec<_>>(),
            ["AC-X$1", "AC-X$2"],
            "blank and binary values are left out"
        );
        assert_eq!(e.first("ENTPersonJointure"), Some("AC-X$1"));
        assert_eq!(e.values("ENTEleveClasses").count(), 0);
    }

    #[test]
    fn malformed_entries_are_errors_not_panics() {
        let not_entry = ResultEntry::new(constructed(5, TagClass::Application, vec![]));
        assert_eq!(Entry::read(&not_entry).unwrap_err(), Malformed::NotAnEntry);
        assert_eq!(
            Entry::read(&entry(b"\xff", vec![])).unwrap_err(),
            Malformed::Dn
        );
        let no_attrs = ResultEntry::new(constructed(
            4,
            TagClass::Application,
            vec![primitive(b"uid=a")],
        ));
        assert_eq!(
            Entry::read(&no_attrs).unwrap_err(),
            Malformed::Attributes("uid=a".into())
        );
        let nested_value = constructed(
            16,
            TagClass::Universal,
            vec![
                primitive(b"cn"),
                constructed(
                    17,
                    TagClass::Universal,
                    vec![constructed(16, TagClass::Universal, vec![])],
                ),
            ],
        );
        assert_eq!(
            Entry::read(&entry(b"uid=a", vec![nested_value])).unwrap_err(),
            Malformed::Attributes("uid=a".into())
        );
        let binary_name = attr("cn", &[b"x"]);
        let PL::C(mut parts) = binary_name.payload else {
            unreachable!()
        };
        parts[0] = primitive(b"\xff");
        let binary_name = constructed(16, TagClass::Universal, parts);
        assert!(Entry::read(&entry(b"uid=a", vec![binary_name])).is_err());
    }
}
