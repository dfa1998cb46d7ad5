//! A small, defensive XML reader for the protocol answers probes receive (CAS today; SAML and GAR
//! later). It builds a light element tree keyed by local names (prefixes vary between servers),
//! refuses any DTD — so no entity expansion, no external fetch, no XML bomb — and caps depth and
//! size, so hostile input gives an error, never a hang or a blow-up. And the other way, for the
//! XML reports write (JUnit): [`escape_text`] and [`escape_attr`].

use quick_xml::Reader;
use quick_xml::events::Event;

/// Elements nested deeper than this are refused.
const MAX_DEPTH: usize = 64;
/// Elements beyond this count are refused.
const MAX_ELEMENTS: usize = 100_000;

/// An element, by local name, with its attributes (local names) and children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Local name (no prefix).
    pub name: String,
    /// Attributes by local name.
    pub attributes: Vec<(String, String)>,
    /// Child elements, in order.
    pub children: Vec<Element>,
    /// The element's own text (concatenated, trimmed).
    pub text: String,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    /// Not well-formed.
    #[error("malformed XML: {0}")]
    Malformed(String),
    /// A DOCTYPE: refused rather than expanded.
    #[error("XML with a DTD (DOCTYPE) is refused: entities are never expanded")]
    Dtd,
    /// An entity other than the five predefined ones and character references.
    #[error("unknown XML entity `&{0};`")]
    Entity(String),
    /// Too deep or too many elements.
    #[error("XML too large or too deeply nested")]
    TooLarge,
    /// No root element.
    #[error("no root element")]
    Empty,
}

impl XmlError {
    /// The reason in French and English; `Display` is the English one, which reports and the
    /// tests that read them rely on. The XML reader's own message is quoted in the French one.
    pub fn wording(&self) -> crate::text::Text {
        let english = self.to_string();
        let french = match self {
            XmlError::Malformed(why) => match why.as_str() {
                "unbalanced end tag" => "XML mal formé : balise fermante sans ouvrante".to_owned(),
                "truncated document" => "XML mal formé : document tronqué".to_owned(),
                _ => format!("XML mal formé : « {why} »"),
            },
            XmlError::Dtd => {
                "XML avec une DTD (DOCTYPE) refusé : les entités ne sont jamais développées"
                    .to_owned()
            }
            XmlError::Entity(name) => format!("entité XML inconnue `&{name};`"),
            XmlError::TooLarge => "XML trop grand ou trop imbriqué".to_owned(),
            XmlError::Empty => "aucun élément racine".to_owned(),
        };
        crate::text::Text::new(french, english)
    }
}

/// Parses `text` into its root element.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| XmlError::Malformed(e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(XmlError::Dtd),
            Event::Start(e) | Event::Empty(e)
                if stack.len() >= MAX_DEPTH || count >= MAX_ELEMENTS =>
            {
                let _ = e;
                return Err(XmlError::TooLarge);
            }
            Event::Start(e) => {
                count += 1;
                stack.push(element(&e)?);
            }
            Event::Empty(e) => {
                count += 1;
                let el = element(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::End(_) => {
                let mut done = stack
                    .pop()
                    .ok_or_else(|| XmlError::Malformed("unbalanced end tag".into()))?;
                done.text = done.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(t) => push_text(
                &mut stack,
                &t.decode().map_err(|e| XmlError::Malformed(e.to_string()))?,
            ),
            Event::CData(t) => push_text(&mut stack, &String::from_utf8_lossy(&t.into_inner())),
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| XmlError::Malformed(e.to_string()))?
                {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| XmlError::Malformed(e.to_string()))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| XmlError::Entity(name.to_string()))?
                            .to_string()
                    }
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => {
                return Err(if stack.is_empty() {
                    XmlError::Empty
                } else {
                    XmlError::Malformed("truncated document".into())
                });
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, XmlError> {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| XmlError::Malformed(err.to_string()))?;
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let raw = String::from_utf8_lossy(&attr.value).into_owned();
        let value = quick_xml::escape::unescape(&raw)
            .map_err(|err| XmlError::Malformed(err.to_string()))?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        children: Vec::new(),
        text: String::new(),
    })
}

/// Whether XML 1.0 allows this character (its `Char` production): no control character but
/// tab and line ends, no U+FFFE or U+FFFF.
#[must_use]
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text for XML: drops what XML 1.0 cannot carry at all (most control characters), then escapes.
pub fn escape_text(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
        })
        .collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// Text for an attribute value: as [`escape_text`], line breaks kept as character references.
pub fn escape_attr(s: &str) -> String {
    escape_text(s)
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
        .replace('\t', "&#9;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_local_names_text_and_entities() {
        let root = parse(r#"<?xml version="1.0"?><a:r xmlns:a="u"><a:c k="v&amp;w">x &lt; y&#65;</a:c><e/></a:r>"#).unwrap();
        assert_eq!(root.name, "r");
        let c = root.child("c").unwrap();
        assert_eq!(c.text, "x < yA");
        assert_eq!(c.attribute("k"), Some("v&w"));
        assert!(root.child("e").is_some());
    }

    #[test]
    fn refuses_dtds_bombs_and_garbage() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><l>&b;</l>"#;
        assert_eq!(parse(bomb), Err(XmlError::Dtd));
        assert_eq!(parse("<r>&ext;</r>"), Err(XmlError::Entity("ext".into())));
        assert!(matches!(
            parse("<r><unclosed></r>"),
            Err(XmlError::Malformed(_))
        ));
        assert_eq!(parse(""), Err(XmlError::Empty));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(parse(&deep), Err(XmlError::TooLarge));
    }

    #[test]
    fn every_refusal_is_worded_in_french_and_english() {
        use crate::text::Lang;
        let dtd = XmlError::Dtd.wording();
        assert!(
            dtd.get(Lang::Fr)
                .starts_with("XML avec une DTD (DOCTYPE) refusé")
        );
        assert_eq!(dtd.get(Lang::En), XmlError::Dtd.to_string());
        let odd = parse("<r><unclosed></r>").expect_err("malformed").wording();
        assert!(
            odd.get(Lang::Fr).starts_with("XML mal formé : « "),
            "{odd:?}"
        );
        assert!(odd.get(Lang::En).starts_with("malformed XML: "), "{odd:?}");
        assert_eq!(
            XmlError::Entity("ext".into()).wording().get(Lang::Fr),
            "entité XML inconnue `&ext;`"
        );
    }
}
