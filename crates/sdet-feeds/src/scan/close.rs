//! Closing elements (where counts are checked: one operational attribute, one id, at least one
//! value, request parts in DTD order), text, and entity references, which are resolved only when
//! they are one of XML's five or a character reference.

use std::io::BufRead;

use super::super::code::Code;
use super::super::finding::Findings;
use super::super::record::{Attr, Op, append_capped};
use super::{Elem, Flow, Handler, Scanner, header};
use sdet_core::text::Text;

impl<R: BufRead> Scanner<'_, R> {
    pub(super) fn close(
        &mut self,
        line: u64,
        handler: &mut impl Handler,
        findings: &mut Findings,
    ) -> Flow {
        let Some(elem) = self.stack.pop() else {
            return Flow::Go;
        };
        if elem == Elem::Id {
            let id = &self.record.id;
            if id.trim().len() != id.len() {
                self.record.id = id.trim().to_owned();
            }
            return Flow::Go;
        }
        let id = self.record.id();
        match elem {
            Elem::Root => self.root_closed = true,
            Elem::Request => {
                self.check_parts(findings);
                self.summary.records += 1;
                handler.record(&self.record, findings);
            }
            Elem::Category if self.record.category_count != 1 => {
                let n = self.record.category_count;
                findings.push(Code::Structure, Some(line), id, || {
                    Text::new(
                        format!("<operationalAttributes> contient {n} <attr> ; la DTD en veut exactement un"),
                        format!("<operationalAttributes> holds {n} <attr>; the DTD wants exactly one"),
                    )
                });
            }
            Elem::Identifier => {
                let ids = std::mem::take(&mut self.ids);
                if ids != 1 {
                    findings.push(Code::Structure, Some(line), id, || {
                        Text::new(
                            format!(
                                "<identifier> contient {ids} <id> ; la DTD en veut exactement un"
                            ),
                            format!("<identifier> holds {ids} <id>; the DTD wants exactly one"),
                        )
                    });
                }
            }
            Elem::Attributes | Elem::Modifications if self.record.attrs().is_empty() => {
                findings.push(Code::Structure, Some(line), id, || {
                    Text::new("une requête sans attribut", "a request with no attribute")
                });
            }
            Elem::Attr { category } => {
                let attr = if category {
                    Some(&self.record.category)
                } else {
                    self.record.attrs().last()
                };
                if let Some(attr) = attr.filter(|a| a.values().is_empty()) {
                    let name = attr.name.clone();
                    findings.push(Code::AttrWithoutValue, Some(attr.line), id, || {
                        Text::new(
                            format!(
                                "`{name}` n'a pas de <value> (écrire <value/> pour une valeur vide)"
                            ),
                            format!("`{name}` has no <value> (write <value/> for an empty one)"),
                        )
                    });
                }
            }
            _ => {}
        }
        Flow::Go
    }

    fn check_parts(&self, findings: &mut Findings) {
        let expected: &[&str] = match self.record.op {
            Op::Add => &["operationalAttributes", "identifier", "attributes"],
            Op::Modify => &["operationalAttributes", "identifier", "modifications"],
            Op::Delete => &["operationalAttributes", "identifier"],
        };
        if self.parts != expected {
            let (found, wanted) = (self.parts.join(", "), expected.join(", "));
            findings.push(
                Code::Structure,
                Some(self.record.line),
                self.record.id(),
                || {
                    Text::new(
                        format!("cette requête contient [{found}] ; la DTD veut [{wanted}] dans cet ordre"),
                        format!("this request holds [{found}]; the DTD wants [{wanted}] in that order"),
                    )
                },
            );
        }
    }

    pub(super) fn text(&mut self, text: &str, line: u64, findings: &mut Findings) {
        match self.stack.last() {
            Some(Elem::Value {
                category,
                kept: true,
            }) => {
                let attr = if *category {
                    Some(&mut self.record.category)
                } else {
                    self.record.last_attr()
                };
                if let Some(value) = attr.and_then(Attr::last_value) {
                    append_capped(value, text);
                }
            }
            Some(Elem::Id) => append_capped(&mut self.record.id, text),
            Some(Elem::Value { kept: false, .. } | Elem::Skip) => {}
            _ if text.bytes().all(|b| b.is_ascii_whitespace()) => {}
            _ => {
                let (inside_fr, inside) = self
                    .stack
                    .last()
                    .map_or(("le prologue", "the prolog"), |e| Self::describe(*e));
                findings.push(Code::Structure, Some(line), self.record_id(), || {
                    Text::new(
                        format!("du texte dans {inside_fr}"),
                        format!("text inside {inside}"),
                    )
                });
            }
        }
    }

    pub(super) fn entity(&mut self, name: &str, line: u64, findings: &mut Findings) {
        let resolved = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => header::char_ref(name),
        };
        match resolved {
            Some(c) if sdet_core::xml::is_xml_char(c) => {
                let mut utf8 = [0; 4];
                self.text(c.encode_utf8(&mut utf8), line, findings);
            }
            Some(c) => findings.push(Code::ControlChar, Some(line), self.record_id(), || {
                Text::new(
                    format!(
                        "la référence de caractère &{name}; est U+{:04X}, que XML 1.0 interdit",
                        u32::from(c)
                    ),
                    format!(
                        "character reference &{name}; is U+{:04X}, which XML 1.0 forbids",
                        u32::from(c)
                    ),
                )
            }),
            None => findings.push(Code::UnknownEntity, Some(line), self.record_id(), || {
                Text::new(
                    format!("l'entité &{name}; n'est pas l'une des cinq que XML définit : elle n'est jamais développée"),
                    format!("entity &{name}; is not one of the five XML defines: it is never expanded"),
                )
            }),
        }
    }
}
