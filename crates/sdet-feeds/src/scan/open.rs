//! Opening elements: which element may appear where, per the DTD, and what each one starts (a
//! request, an attribute, a value). Anything out of place is a finding and its subtree is skipped.

use std::borrow::Cow;
use std::io::BufRead;

use quick_xml::events::BytesStart;

use super::super::code::Code;
use super::super::finding::Findings;
use super::super::record::{Attr, Op};
use super::{Elem, Flow, Handler, MAX_DEPTH, Scanner};
use sdet_core::text::Text;

impl<R: BufRead> Scanner<'_, R> {
    pub(super) fn open(
        &mut self,
        e: &BytesStart<'_>,
        line: u64,
        handler: &mut impl Handler,
        findings: &mut Findings,
    ) -> Flow {
        if self.stack.len() >= MAX_DEPTH {
            findings.push(Code::TooLarge, Some(line), self.record_id(), || {
                Text::new(
                    format!("éléments imbriqués sur plus de {MAX_DEPTH} niveaux ; la vérification s'arrête ici"),
                    format!("elements nested over {MAX_DEPTH} deep; checking stops here"),
                )
            });
            return Flow::Stop;
        }
        let local = e.local_name();
        let name = local.as_ref();
        let Some(&parent) = self.stack.last() else {
            return self.open_root(name, e, line, findings);
        };
        let elem = match (parent, name) {
            (Elem::Root, b"addRequest" | b"modifyRequest" | b"deleteRequest") => {
                if !self.started {
                    self.started = true;
                    handler.start(&self.summary.header, findings);
                }
                let op = match name {
                    b"addRequest" => Op::Add,
                    b"modifyRequest" => Op::Modify,
                    _ => Op::Delete,
                };
                self.summary.incremental |= op != Op::Add;
                self.record.reset(op, line);
                self.parts.clear();
                Elem::Request
            }
            (Elem::Request, b"operationalAttributes") => {
                self.part("operationalAttributes", Elem::Category)
            }
            (Elem::Request, b"identifier") => self.part("identifier", Elem::Identifier),
            (Elem::Request, b"attributes") => self.part("attributes", Elem::Attributes),
            (Elem::Request, b"modifications") => self.part("modifications", Elem::Modifications),
            (Elem::Category, b"attr") => {
                let attr_name = self.xml_attr(e, "name", line, findings).unwrap_or_default();
                self.record.start_category(&attr_name, line);
                Elem::Attr { category: true }
            }
            (Elem::Identifier, b"id") => {
                self.ids += 1;
                Elem::Id
            }
            (Elem::Attributes, b"attr") => self.open_attr(e, line, false, findings),
            (Elem::Modifications, b"modification") => self.open_attr(e, line, true, findings),
            (Elem::Attr { category }, b"value") => {
                let attr = if category {
                    Some(&mut self.record.category)
                } else {
                    self.record.last_attr()
                };
                let kept = attr.and_then(Attr::push_value).is_some();
                if !kept {
                    findings.push(Code::TooLarge, Some(line), self.record.id(), || {
                        Text::new(
                            format!(
                                "plus de {} valeurs dans un attribut : les suivantes ne sont pas vérifiées",
                                super::super::record::MAX_VALUES
                            ),
                            format!(
                                "over {} values in one attribute: the rest are not checked",
                                super::super::record::MAX_VALUES
                            ),
                        )
                    });
                }
                Elem::Value { category, kept }
            }
            (parent, _) => {
                if parent != Elem::Skip {
                    let (inside_fr, inside) = Self::describe(parent);
                    findings.push(Code::Structure, Some(line), self.record_id(), || {
                        Text::new(
                            format!("<{}> n'est pas permis dans {inside_fr}", text(name)),
                            format!("<{}> is not allowed inside {inside}", text(name)),
                        )
                    });
                }
                Elem::Skip
            }
        };
        if !matches!(elem, Elem::Attr { .. } | Elem::Skip | Elem::Request) {
            self.no_xml_attrs(e, name, line, findings);
        }
        self.stack.push(elem);
        Flow::Go
    }

    fn open_root(
        &mut self,
        name: &[u8],
        e: &BytesStart<'_>,
        line: u64,
        findings: &mut Findings,
    ) -> Flow {
        if self.root_closed {
            findings.push(Code::Structure, Some(line), None, || {
                Text::new(
                    format!(
                        "<{}> après la fermeture de l'élément racine ; la vérification s'arrête ici",
                        text(name)
                    ),
                    format!(
                        "<{}> after the root element is closed; checking stops here",
                        text(name)
                    ),
                )
            });
            return Flow::Stop;
        }
        if name != b"ficAlimMENESR" {
            findings.push(Code::NotAaf, Some(line), None, || {
                Text::new(
                    format!(
                        "l'élément racine est <{}>, pas <ficAlimMENESR> : ce n'est pas un fichier AAF",
                        text(name)
                    ),
                    format!(
                        "the root element is <{}>, not <ficAlimMENESR>: this is not an AAF file",
                        text(name)
                    ),
                )
            });
            return Flow::Stop;
        }
        self.no_xml_attrs(e, name, line, findings);
        self.stack.push(Elem::Root);
        Flow::Go
    }

    fn part(&mut self, name: &'static str, elem: Elem) -> Elem {
        self.parts.push(name);
        elem
    }

    fn open_attr(
        &mut self,
        e: &BytesStart<'_>,
        line: u64,
        modification: bool,
        findings: &mut Findings,
    ) -> Elem {
        let name = self.xml_attr(e, "name", line, findings).unwrap_or_default();
        if modification {
            match self.xml_attr(e, "operation", line, findings) {
                Some(op) if op == "replace" => {}
                Some(op) => findings.push(Code::Operation, Some(line), self.record.id(), || {
                    Text::new(
                        format!("la modification `{name}` a operation=\"{op}\" ; la DTD n'autorise que \"replace\""),
                        format!("modification `{name}` has operation=\"{op}\"; the DTD allows only \"replace\""),
                    )
                }),
                None => {}
            }
        }
        if self.record.push_attr(&name, line).is_none() {
            findings.push(Code::TooLarge, Some(line), self.record.id(), || {
                Text::new(
                    format!(
                        "plus de {} attributs dans un enregistrement : les suivants ne sont pas vérifiés",
                        super::super::record::MAX_ATTRS
                    ),
                    format!(
                        "over {} attributes in one record: the rest are not checked",
                        super::super::record::MAX_ATTRS
                    ),
                )
            });
            return Elem::Skip;
        }
        Elem::Attr { category: false }
    }

    /// The value of XML attribute `key`; a finding when it is missing or not allowed.
    fn xml_attr<'e>(
        &self,
        e: &'e BytesStart<'_>,
        key: &str,
        line: u64,
        findings: &mut Findings,
    ) -> Option<Cow<'e, str>> {
        let mut found = None;
        let element = e.local_name();
        let modification = element.as_ref() == b"modification";
        for attr in e.attributes() {
            let Ok(attr) = attr else {
                findings.push(Code::Malformed, Some(line), self.record.id(), || {
                    Text::new(
                        format!("attribut XML mal formé sur <{}>", text(element.as_ref())),
                        format!("bad XML attribute on <{}>", text(element.as_ref())),
                    )
                });
                continue;
            };
            let attr_key = attr.key.local_name();
            let attr_key = attr_key.as_ref();
            if attr_key == key.as_bytes() {
                match attr.unescape_value() {
                    Ok(v) => found = Some(v),
                    Err(err) => {
                        findings.push(Code::UnknownEntity, Some(line), self.record.id(), || {
                            Text::new(
                                format!("`{key}` de <{}> : {err}", text(element.as_ref())),
                                format!("`{key}` of <{}>: {err}", text(element.as_ref())),
                            )
                        });
                    }
                }
            } else if !(modification && (attr_key == b"name" || attr_key == b"operation")) {
                findings.push(Code::Structure, Some(line), self.record.id(), || {
                    Text::new(
                        format!(
                            "<{}> porte un attribut XML `{}` que la DTD ne déclare pas",
                            text(element.as_ref()),
                            text(attr_key)
                        ),
                        format!(
                            "<{}> has an XML attribute `{}` the DTD does not declare",
                            text(element.as_ref()),
                            text(attr_key)
                        ),
                    )
                });
            }
        }
        if found.is_none() {
            findings.push(Code::Structure, Some(line), self.record.id(), || {
                Text::new(
                    format!("<{}> n'a pas de `{key}`", text(element.as_ref())),
                    format!("<{}> has no `{key}`", text(element.as_ref())),
                )
            });
        }
        found
    }

    fn no_xml_attrs(&self, e: &BytesStart<'_>, name: &[u8], line: u64, findings: &mut Findings) {
        if e.attributes().next().is_some() {
            findings.push(Code::Structure, Some(line), self.record_id(), || {
                Text::new(
                    format!(
                        "<{}> porte des attributs XML ; la DTD n'en déclare aucun",
                        text(name)
                    ),
                    format!(
                        "<{}> carries XML attributes; the DTD declares none",
                        text(name)
                    ),
                )
            });
        }
    }

    /// Where an element is, for a message: (French, English).
    pub(super) fn describe(elem: Elem) -> (&'static str, &'static str) {
        match elem {
            Elem::Root => (
                "<ficAlimMENESR> (seules les requêtes le sont)",
                "<ficAlimMENESR> (only requests are)",
            ),
            Elem::Request => ("une requête", "a request"),
            Elem::Category => ("<operationalAttributes>", "<operationalAttributes>"),
            Elem::Identifier => ("<identifier>", "<identifier>"),
            Elem::Id | Elem::Value { .. } => ("un élément texte seul", "a text-only element"),
            Elem::Attributes => ("<attributes>", "<attributes>"),
            Elem::Modifications => ("<modifications>", "<modifications>"),
            Elem::Attr { .. } => ("<attr> (seul <value> l'est)", "<attr> (only <value> is)"),
            Elem::Skip => ("un élément inattendu", "an unexpected element"),
        }
    }
}

/// Bytes of a name, for a message.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}
