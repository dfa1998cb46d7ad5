//! One search result entry, read in place from the bytes of the server's message. `ldap3`'s
//! connection built a tree of owned tags per message, and its `SearchEntry` copied every
//! attribute name and value again into a hash map (panicking on a malformed entry); at a million
//! entries that copying was most of the directory side's CPU. Here the entry's shape is checked
//! once, then its DN and values are borrowed from the message as `&str` and an attribute is found
//! by its name, allocating nothing.

use sdet_core::text::Text;

use super::ber::{self, Elements};

/// An entry's DN and attributes, borrowed from the answer.
#[derive(Debug)]
pub(super) struct Entry<'a> {
    /// The DN, as the server wrote it.
    pub dn: &'a str,
    /// The content of the `PartialAttributeList`, each item checked by [`Entry::read`].
    attrs: &'a [u8],
}

/// What is wrong with an entry the server sent (RFC 4511 §4.5.2, `SearchResultEntry`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum Malformed {
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
    /// Checks the shape of a `SearchResultEntry`'s content and borrows its DN and attributes.
    pub(super) fn read(content: &'a [u8]) -> Result<Entry<'a>, Malformed> {
        let mut parts = Elements::of(content);
        let dn = parts
            .expect(ber::OCTET_STRING)
            .ok()
            .and_then(|dn| std::str::from_utf8(dn).ok())
            .ok_or(Malformed::Dn)?;
        let bad = || Malformed::Attributes(dn.to_owned());
        let attrs = parts.expect(ber::SEQUENCE).map_err(|_| bad())?;
        let mut list = Elements::of(attrs);
        while let Some(item) = list.next().map_err(|_| bad())? {
            if !well_formed(item) {
                return Err(bad());
            }
        }
        Ok(Entry { dn, attrs })
    }

    /// The values of an attribute, whatever the case of its name in the answer. Values that are
    /// not UTF-8 (binary) or only blanks are left out, as they were with `SearchEntry`.
    pub(super) fn values(&self, name: &str) -> impl Iterator<Item = &'a str> {
        items(self.attrs)
            .filter_map(attribute)
            // Names compared as bytes: checked UTF-8 once by `read`, not at every lookup.
            .filter(move |(kind, _)| kind.eq_ignore_ascii_case(name.as_bytes()))
            .flat_map(|(_, values)| items(values))
            .filter_map(|value| std::str::from_utf8(value.content).ok())
            .filter(|v| !v.trim().is_empty())
    }

    /// The first value of an attribute.
    pub(super) fn first(&self, name: &str) -> Option<&'a str> {
        self.values(name).next()
    }
}

/// The elements of a content `read` already checked.
fn items(content: &[u8]) -> impl Iterator<Item = ber::Tlv<'_>> {
    let mut elements = Elements::of(content);
    std::iter::from_fn(move || elements.next().ok().flatten())
}

/// `PartialAttribute ::= SEQUENCE { type AttributeDescription, vals SET OF value }`, the type
/// UTF-8 and every value an OCTET STRING.
fn well_formed(item: ber::Tlv<'_>) -> bool {
    let Some((kind, values)) = attribute(item) else {
        return false;
    };
    if std::str::from_utf8(kind).is_err() {
        return false;
    }
    let mut values = Elements::of(values);
    loop {
        match values.next() {
            Ok(Some(value)) if value.tag == ber::OCTET_STRING => {}
            Ok(None) => return true,
            _ => return false,
        }
    }
}

/// An attribute's type and the content of its set of values.
fn attribute(item: ber::Tlv<'_>) -> Option<(&[u8], &[u8])> {
    if item.tag != ber::SEQUENCE {
        return None;
    }
    let mut parts = Elements::of(item.content);
    let kind = parts.expect(ber::OCTET_STRING).ok()?;
    let values = parts.expect(ber::SET).ok()?;
    Some((kind, values))
}

/// A well-formed entry's content, as a server would send it, for tests of what reads entries.
#[cfg(test)]
pub(super) fn raw(dn: &str, attrs: &[(&str, &[&str])]) -> Vec<u8> {
    let values: Vec<(&str, Vec<&[u8]>)> = attrs
        .iter()
        .map(|(name, values)| (*name, values.iter().map(|v| v.as_bytes()).collect()))
        .collect();
    encode(dn.as_bytes(), &values)
}

/// An entry's content from raw bytes, malformed UTF-8 included.
#[cfg(test)]
fn encode(dn: &[u8], attrs: &[(&str, Vec<&[u8]>)]) -> Vec<u8> {
    let mut out = Vec::new();
    ber::put(&mut out, ber::OCTET_STRING, dn);
    ber::nest(&mut out, ber::SEQUENCE, |list| {
        for (name, values) in attrs {
            ber::nest(list, ber::SEQUENCE, |a| {
                ber::put(a, ber::OCTET_STRING, name.as_bytes());
                ber::nest(a, ber::SET, |set| {
                    for value in values {
                        ber::put(set, ber::OCTET_STRING, value);
                    }
                });
            });
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_name_whatever_its_case() {
        let raw = encode(
            b"uid=a,dc=x",
            &[
                ("objectclass", vec![&b"top"[..], &b"ENTEleve"[..]]),
                (
                    "ENTPersonJointure",
                    vec![&b"AC-X$1"[..], &b"  "[..], &b"\xff\xfe"[..], &b"AC-X$2"[..]],
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
        assert_eq!(
            Entry::read(&encode(b"\xff", &[])).unwrap_err(),
            Malformed::Dn
        );
        assert_eq!(Entry::read(b"").unwrap_err(), Malformed::Dn);
        let mut no_attrs = Vec::new();
        ber::put(&mut no_attrs, ber::OCTET_STRING, b"uid=a");
        assert_eq!(
            Entry::read(&no_attrs).unwrap_err(),
            Malformed::Attributes("uid=a".into())
        );
        // A value that is itself a sequence.
        let mut nested = no_attrs.clone();
        ber::nest(&mut nested, ber::SEQUENCE, |list| {
            ber::nest(list, ber::SEQUENCE, |a| {
                ber::put(a, ber::OCTET_STRING, b"cn");
                ber::nest(a, ber::SET, |set| ber::put(set, ber::SEQUENCE, &[]));
            });
        });
        assert_eq!(
            Entry::read(&nested).unwrap_err(),
            Malformed::Attributes("uid=a".into())
        );
        let binary_name = encode(b"uid=a", &[("\u{0}", vec![])]);
        assert!(Entry::read(&binary_name).is_ok(), "NUL is UTF-8");
        let mut binary_name = no_attrs.clone();
        ber::nest(&mut binary_name, ber::SEQUENCE, |list| {
            ber::nest(list, ber::SEQUENCE, |a| {
                ber::put(a, ber::OCTET_STRING, b"\xff");
                ber::nest(a, ber::SET, |_| {});
            });
        });
        assert!(Entry::read(&binary_name).is_err());
        // Every cut of a good entry is refused or read, never a panic.
        let good = raw("uid=a,dc=x", &[("cn", &["a", "b"])]);
        for cut in 0..good.len() {
            let _ = Entry::read(&good[..cut]).map(|e| e.values("cn").count());
        }
    }
}
