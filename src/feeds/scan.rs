//! The streaming pass over one file: quick-xml events in, records out, one at a time. It enforces
//! the DTD's shapes (root, request children in order, exactly one operational attribute and one
//! id, at least one value per attribute) without ever loading the DTD: the normal external
//! DOCTYPE is noted and never fetched, an internal subset is refused, and entities other than the
//! five predefined ones are findings, so nothing is ever expanded or read from elsewhere.

mod header;

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::code::Code;
use super::finding::Findings;
use super::input::Tracker;
use super::kind::Mode;
use super::record::{Attr, Op, Record, append_capped};
pub use header::Header;

/// Nesting beyond this stops the file (the DTD needs five levels).
const MAX_DEPTH: usize = 32;

/// What the scan hands each record to.
pub trait Handler {
    /// Called once, before the first record, when the header comments have been read.
    fn start(&mut self, header: &Header, findings: &mut Findings);
    /// Called at the end of each request.
    fn record(&mut self, record: &Record, findings: &mut Findings);
}

/// What the scan saw of the file as a whole.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Requests seen.
    pub records: u64,
    /// Whether any request was a modification or deletion.
    pub incremental: bool,
    /// The header comments.
    pub header: Header,
}

impl Summary {
    /// Full or incremental.
    pub fn mode(&self) -> Mode {
        if self.incremental {
            Mode::Incremental
        } else {
            Mode::Full
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    Root,
    Request,
    Category,
    Identifier,
    Id,
    Attributes,
    Modifications,
    Attr { category: bool },
    Value { category: bool, kept: bool },
    Skip,
}

/// Scans a file, calling `handler` on each record. Every problem becomes a finding.
pub fn scan<R: BufRead>(
    tracker: Tracker<'_, R>,
    handler: &mut impl Handler,
    findings: &mut Findings,
) -> Summary {
    let mut scanner = Scanner {
        reader: Reader::from_reader(tracker),
        stack: Vec::with_capacity(8),
        record: Record::default(),
        parts: Vec::with_capacity(4),
        ids: 0,
        summary: Summary::default(),
        started: false,
        root_closed: false,
    };
    scanner.reader.config_mut().trim_text(false);
    scanner.run(handler, findings);
    scanner.summary
}

struct Scanner<'p, R> {
    reader: Reader<Tracker<'p, R>>,
    stack: Vec<Elem>,
    record: Record,
    parts: Vec<&'static str>,
    ids: usize,
    summary: Summary,
    started: bool,
    root_closed: bool,
}

/// Whether to go on reading.
enum Flow {
    Go,
    Stop,
}

impl<R: BufRead> Scanner<'_, R> {
    fn run(&mut self, handler: &mut impl Handler, findings: &mut Findings) {
        let mut buf = Vec::with_capacity(4096);
        loop {
            buf.clear();
            let event = self.reader.read_event_into(&mut buf);
            let line = self.reader.get_ref().line();
            let flow = match event {
                Err(e) => {
                    self.drain_bytes(findings);
                    let (code, message) = if self.reader.get_ref().over_limit() {
                        (
                            Code::TooLarge,
                            format!(
                                "a single token is over {} bytes; checking stops here",
                                super::input::MAX_TOKEN
                            ),
                        )
                    } else if let quick_xml::Error::Io(io) = &e {
                        (Code::Io, format!("read error: {io}"))
                    } else {
                        (Code::Malformed, format!("{e}; checking stops here"))
                    };
                    findings.push(code, Some(line), self.record_id(), || message);
                    return;
                }
                Ok(Event::Eof) => {
                    self.reader.get_mut().finish();
                    self.drain_bytes(findings);
                    self.at_eof(line, findings);
                    return;
                }
                Ok(Event::Start(e)) => self.open(&e, line, handler, findings),
                Ok(Event::Empty(e)) => match self.open(&e, line, handler, findings) {
                    Flow::Go => self.close(line, handler, findings),
                    Flow::Stop => Flow::Stop,
                },
                Ok(Event::End(_)) => self.close(line, handler, findings),
                Ok(Event::Text(t)) => {
                    let text = String::from_utf8_lossy(&t);
                    self.text(&text, line, findings);
                    Flow::Go
                }
                Ok(Event::CData(t)) => {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    self.text(&text, line, findings);
                    Flow::Go
                }
                Ok(Event::GeneralRef(r)) => {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    self.entity(&name, line, findings);
                    Flow::Go
                }
                Ok(Event::Comment(c)) => {
                    if self.stack.len() <= 1 && !self.started {
                        self.summary.header.read_comment(
                            &String::from_utf8_lossy(&c),
                            line,
                            findings,
                        );
                    }
                    Flow::Go
                }
                Ok(Event::DocType(d)) => {
                    header::doctype(&String::from_utf8_lossy(&d), line, findings)
                }
                Ok(Event::Decl(_) | Event::PI(_)) => Flow::Go,
            };
            self.reader.get_mut().mark();
            self.drain_bytes(findings);
            if let Flow::Stop = flow {
                return;
            }
        }
    }

    fn record_id(&self) -> Option<&str> {
        if self.stack.contains(&Elem::Request) {
            self.record.id()
        } else {
            None
        }
    }

    fn drain_bytes(&mut self, findings: &mut Findings) {
        for p in self.reader.get_mut().take_problems() {
            let id = if self.stack.contains(&Elem::Request) {
                self.record.id()
            } else {
                None
            };
            findings.push(p.code, Some(p.line), id, || p.message);
        }
    }

    fn at_eof(&mut self, line: u64, findings: &mut Findings) {
        if !self.stack.is_empty() {
            let open = self.stack.len();
            findings.push(Code::Truncated, Some(line), self.record_id(), || {
                format!("the file ends with {open} element(s) still open")
            });
        } else if !self.root_closed {
            findings.push(Code::NotAaf, None, None, || "no root element".into());
        } else if self.summary.records == 0 {
            findings.push(Code::EmptyFile, None, None, || {
                "the file holds no record".into()
            });
        }
    }

    fn open(
        &mut self,
        e: &BytesStart<'_>,
        line: u64,
        handler: &mut impl Handler,
        findings: &mut Findings,
    ) -> Flow {
        if self.stack.len() >= MAX_DEPTH {
            findings.push(Code::TooLarge, Some(line), self.record_id(), || {
                format!("elements nested over {MAX_DEPTH} deep; checking stops here")
            });
            return Flow::Stop;
        }
        let local = e.local_name();
        let name = String::from_utf8_lossy(local.as_ref()).into_owned();
        let Some(&parent) = self.stack.last() else {
            return self.open_root(&name, e, line, findings);
        };
        let elem = match (parent, name.as_str()) {
            (Elem::Root, "addRequest" | "modifyRequest" | "deleteRequest") => {
                if !self.started {
                    self.started = true;
                    handler.start(&self.summary.header, findings);
                }
                let op = match name.as_str() {
                    "addRequest" => Op::Add,
                    "modifyRequest" => Op::Modify,
                    _ => Op::Delete,
                };
                self.summary.incremental |= op != Op::Add;
                self.record.reset(op, line);
                self.parts.clear();
                Elem::Request
            }
            (Elem::Request, "operationalAttributes") => {
                self.part("operationalAttributes", Elem::Category)
            }
            (Elem::Request, "identifier") => self.part("identifier", Elem::Identifier),
            (Elem::Request, "attributes") => self.part("attributes", Elem::Attributes),
            (Elem::Request, "modifications") => self.part("modifications", Elem::Modifications),
            (Elem::Category, "attr") => {
                let attr_name = self.xml_attr(e, "name", line, findings).unwrap_or_default();
                self.record.start_category(&attr_name, line);
                Elem::Attr { category: true }
            }
            (Elem::Identifier, "id") => {
                self.ids += 1;
                Elem::Id
            }
            (Elem::Attributes, "attr") => self.open_attr(e, line, false, findings),
            (Elem::Modifications, "modification") => self.open_attr(e, line, true, findings),
            (Elem::Attr { category }, "value") => {
                let attr = if category {
                    Some(&mut self.record.category)
                } else {
                    self.record.last_attr()
                };
                let kept = attr.and_then(Attr::push_value).is_some();
                if !kept {
                    findings.push(Code::TooLarge, Some(line), self.record.id(), || {
                        format!(
                            "over {} values in one attribute: the rest are not checked",
                            super::record::MAX_VALUES
                        )
                    });
                }
                Elem::Value { category, kept }
            }
            (parent, _) => {
                if parent != Elem::Skip {
                    let inside = Self::describe(parent);
                    findings.push(Code::Structure, Some(line), self.record_id(), || {
                        format!("<{name}> is not allowed inside {inside}")
                    });
                }
                Elem::Skip
            }
        };
        if !matches!(elem, Elem::Attr { .. } | Elem::Skip | Elem::Request) {
            self.no_xml_attrs(e, &name, line, findings);
        }
        self.stack.push(elem);
        Flow::Go
    }

    fn open_root(
        &mut self,
        name: &str,
        e: &BytesStart<'_>,
        line: u64,
        findings: &mut Findings,
    ) -> Flow {
        if self.root_closed {
            findings.push(Code::Structure, Some(line), None, || {
                format!("<{name}> after the root element is closed; checking stops here")
            });
            return Flow::Stop;
        }
        if name != "ficAlimMENESR" {
            findings.push(Code::NotAaf, Some(line), None, || {
                format!(
                    "the root element is <{name}>, not <ficAlimMENESR>: this is not an AAF file"
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
                    format!("modification `{name}` has operation=\"{op}\"; the DTD allows only \"replace\"")
                }),
                None => {}
            }
        }
        if self.record.push_attr(&name, line).is_none() {
            findings.push(Code::TooLarge, Some(line), self.record.id(), || {
                format!(
                    "over {} attributes in one record: the rest are not checked",
                    super::record::MAX_ATTRS
                )
            });
            return Elem::Skip;
        }
        Elem::Attr { category: false }
    }

    /// The value of XML attribute `key`; a finding when it is missing or not allowed.
    fn xml_attr(
        &self,
        e: &BytesStart<'_>,
        key: &str,
        line: u64,
        findings: &mut Findings,
    ) -> Option<String> {
        let mut found = None;
        let element = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        for attr in e.attributes() {
            let Ok(attr) = attr else {
                findings.push(Code::Malformed, Some(line), self.record.id(), || {
                    format!("bad XML attribute on <{element}>")
                });
                continue;
            };
            let attr_key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
            let allowed = attr_key == key
                || (element == "modification" && (attr_key == "name" || attr_key == "operation"));
            if !allowed {
                findings.push(Code::Structure, Some(line), self.record.id(), || {
                    format!(
                        "<{element}> has an XML attribute `{attr_key}` the DTD does not declare"
                    )
                });
            } else if attr_key == key {
                match attr.unescape_value() {
                    Ok(v) => found = Some(v.into_owned()),
                    Err(err) => {
                        findings.push(Code::UnknownEntity, Some(line), self.record.id(), || {
                            format!("`{key}` of <{element}>: {err}")
                        });
                    }
                }
            }
        }
        if found.is_none() {
            findings.push(Code::Structure, Some(line), self.record.id(), || {
                format!("<{element}> has no `{key}`")
            });
        }
        found
    }

    fn no_xml_attrs(&self, e: &BytesStart<'_>, name: &str, line: u64, findings: &mut Findings) {
        if e.attributes().next().is_some() {
            findings.push(Code::Structure, Some(line), self.record_id(), || {
                format!("<{name}> carries XML attributes; the DTD declares none")
            });
        }
    }

    fn describe(elem: Elem) -> &'static str {
        match elem {
            Elem::Root => "<ficAlimMENESR> (only requests are)",
            Elem::Request => "a request",
            Elem::Category => "<operationalAttributes>",
            Elem::Identifier => "<identifier>",
            Elem::Id | Elem::Value { .. } => "a text-only element",
            Elem::Attributes => "<attributes>",
            Elem::Modifications => "<modifications>",
            Elem::Attr { .. } => "<attr> (only <value> is)",
            Elem::Skip => "an unexpected element",
        }
    }

    fn close(&mut self, line: u64, handler: &mut impl Handler, findings: &mut Findings) -> Flow {
        let Some(elem) = self.stack.pop() else {
            return Flow::Go;
        };
        let id = self.record.id().map(str::to_owned);
        let id = id.as_deref();
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
                    format!("<operationalAttributes> holds {n} <attr>; the DTD wants exactly one")
                });
            }
            Elem::Identifier => {
                let ids = std::mem::take(&mut self.ids);
                if ids != 1 {
                    findings.push(Code::Structure, Some(line), id, || {
                        format!("<identifier> holds {ids} <id>; the DTD wants exactly one")
                    });
                }
            }
            Elem::Attributes | Elem::Modifications if self.record.attrs().is_empty() => {
                findings.push(Code::Structure, Some(line), id, || {
                    "a request with no attribute".into()
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
                        format!("`{name}` has no <value> (write <value/> for an empty one)")
                    });
                }
            }
            Elem::Id => {
                let trimmed = self.record.id.trim().to_owned();
                self.record.id = trimmed;
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
                || format!("this request holds [{found}]; the DTD wants [{wanted}] in that order"),
            );
        }
    }

    fn text(&mut self, text: &str, line: u64, findings: &mut Findings) {
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
                let inside = self
                    .stack
                    .last()
                    .map_or("the prolog", |e| Self::describe(*e));
                findings.push(Code::Structure, Some(line), self.record_id(), || {
                    format!("text inside {inside}")
                });
            }
        }
    }

    fn entity(&mut self, name: &str, line: u64, findings: &mut Findings) {
        let resolved = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => header::char_ref(name),
        };
        match resolved {
            Some(c) if header::xml_char(c) => {
                let mut utf8 = [0; 4];
                self.text(c.encode_utf8(&mut utf8), line, findings);
            }
            Some(c) => findings.push(Code::ControlChar, Some(line), self.record_id(), || {
                format!(
                    "character reference &{name}; is U+{:04X}, which XML 1.0 forbids",
                    u32::from(c)
                )
            }),
            None => findings.push(Code::UnknownEntity, Some(line), self.record_id(), || {
                format!("entity &{name}; is not one of the five XML defines: it is never expanded")
            }),
        }
    }
}
