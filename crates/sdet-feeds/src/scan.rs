//! The streaming pass over one file: quick-xml events in, records out, one at a time. It enforces
//! the DTD's shapes (root, request children in order, exactly one operational attribute and one
//! id, at least one value per attribute) without ever loading the DTD: the normal external
//! DOCTYPE is noted and never fetched, an internal subset is refused, and entities other than the
//! five predefined ones are findings, so nothing is ever expanded or read from elsewhere.

mod close;
mod fast;
mod header;
mod open;

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::code::Code;
use super::finding::Findings;
use super::input::Tracker;
use super::kind::Mode;
use super::record::Record;
pub use header::Header;
use sdet_core::text::{Text, io_reason};

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
    /// Of those, the requests the fast path read.
    pub fast_records: u64,
    /// Whether any request was a modification or deletion.
    pub incremental: bool,
    /// The header comments.
    pub header: Header,
    /// Whether the root element was closed (the file, or its last piece, is complete).
    pub root_closed: bool,
    /// Newlines read: where the next piece of the file starts.
    pub newlines: u64,
}

/// Which part of a file is read: a large file is checked in pieces cut between records. A later
/// piece is read behind a copy of the root start tag, so the XML reader sees a whole element.
#[derive(Debug, Clone)]
pub struct Fragment {
    /// It starts the file (prolog, root tag, header comments).
    pub first: bool,
    /// It ends the file (root end tag).
    pub last: bool,
    /// For a later piece: the header read from the file's start.
    pub header: Header,
    /// Read regular records straight from the buffer (the `scan::fast` path); `false` leaves every byte to
    /// quick-xml (tests compare both).
    pub fast: bool,
}

impl Fragment {
    /// The whole file.
    pub fn whole() -> Fragment {
        Fragment {
            first: true,
            last: true,
            header: Header::default(),
            fast: true,
        }
    }
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

/// Scans a file or a piece of it, calling `handler` on each record. Every problem becomes a
/// finding.
pub fn scan<R: BufRead>(
    tracker: Tracker<'_, R>,
    fragment: Fragment,
    handler: &mut impl Handler,
    findings: &mut Findings,
) -> Summary {
    let mut scanner = Scanner {
        reader: Reader::from_reader(tracker),
        stack: Vec::with_capacity(8),
        record: Record::default(),
        parts: Vec::with_capacity(4),
        ids: 0,
        summary: Summary {
            header: fragment.header,
            ..Summary::default()
        },
        started: false,
        root_closed: false,
        ends: Ends {
            first: fragment.first,
            last: fragment.last,
        },
        fast: fragment.fast,
        memo: fast::Memo::default(),
    };
    scanner.reader.config_mut().trim_text(false);
    if !scanner.run(handler, findings) {
        scanner.reader.get_mut().skip_rest();
    }
    scanner.summary.root_closed = scanner.root_closed;
    scanner.summary.newlines = scanner.reader.get_ref().newlines();
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
    ends: Ends,
    fast: bool,
    memo: fast::Memo,
}

/// Whether the piece read starts and ends the file.
#[derive(Debug, Clone, Copy)]
struct Ends {
    first: bool,
    last: bool,
}

/// Whether to go on reading.
enum Flow {
    Go,
    Stop,
}

impl<R: BufRead> Scanner<'_, R> {
    /// Reads to the end; `false` when a fatal problem stopped it first.
    fn run(&mut self, handler: &mut impl Handler, findings: &mut Findings) -> bool {
        let mut buf = Vec::with_capacity(4096);
        loop {
            buf.clear();
            let event = self.reader.read_event_into(&mut buf);
            let line = self.reader.get_mut().line();
            // After a tag or a comment quick-xml has consumed nothing past `>`, so the next bytes
            // may be read by the fast path (after text it has consumed the next `<`).
            let between = matches!(
                event,
                Ok(Event::Start(_) | Event::End(_) | Event::Empty(_) | Event::Comment(_))
            );
            let flow = match event {
                Err(e) => {
                    self.drain_bytes(findings);
                    let (code, message) = if self.reader.get_ref().over_limit() {
                        (
                            Code::TooLarge,
                            Text::new(
                                format!(
                                    "un élément lexical dépasse {} octets ; la vérification s'arrête ici",
                                    super::input::MAX_TOKEN
                                ),
                                format!(
                                    "a single token is over {} bytes; checking stops here",
                                    super::input::MAX_TOKEN
                                ),
                            ),
                        )
                    } else if let quick_xml::Error::Io(io) = &e {
                        (
                            Code::Io,
                            Text::new(
                                format!("erreur de lecture : {}", io_reason(io).fr),
                                format!("read error: {io}"),
                            ),
                        )
                    } else {
                        (
                            Code::Malformed,
                            Text::new(
                                // The parser's words, quoted: they are English.
                                format!("XML mal formé « {e} » ; la vérification s'arrête ici"),
                                format!("{e}; checking stops here"),
                            ),
                        )
                    };
                    findings.push(code, Some(line), self.record_id(), || message);
                    return false;
                }
                Ok(Event::Eof) => {
                    self.reader.get_mut().finish();
                    self.drain_bytes(findings);
                    self.at_eof(line, findings);
                    return true;
                }
                Ok(Event::Start(e)) => self.open(&e, line, handler, findings),
                Ok(Event::Empty(e)) => match self.open(&e, line, handler, findings) {
                    Flow::Go => self.close(line, handler, findings),
                    Flow::Stop => Flow::Stop,
                },
                Ok(Event::End(_)) => self.close(line, handler, findings),
                Ok(Event::Text(t)) => {
                    self.text(&utf8(&t), line, findings);
                    Flow::Go
                }
                Ok(Event::CData(t)) => {
                    self.text(&utf8(&t), line, findings);
                    Flow::Go
                }
                Ok(Event::GeneralRef(r)) => {
                    self.entity(&utf8(&r), line, findings);
                    Flow::Go
                }
                Ok(Event::Comment(c)) => {
                    if self.ends.first && self.stack.len() <= 1 && !self.started {
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
                return false;
            }
            if between && self.fast && self.stack == [Elem::Root] {
                self.fast_records(handler, findings);
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
        if !self.reader.get_ref().has_problems() {
            return;
        }
        for p in self.reader.get_mut().take_problems() {
            let id = if self.stack.contains(&Elem::Request) {
                self.record.id()
            } else {
                None
            };
            findings.push(p.code, Some(p.line), id, || p.message);
        }
    }

    /// A piece before the last ends inside the root; the last one ends with it closed.
    fn at_eof(&mut self, line: u64, findings: &mut Findings) {
        let expected = usize::from(!self.ends.last);
        if self.stack.len() > expected {
            let open = self.stack.len();
            findings.push(Code::Truncated, Some(line), self.record_id(), || {
                Text::new(
                    format!("le fichier se termine avec {open} élément(s) encore ouvert(s)"),
                    format!("the file ends with {open} element(s) still open"),
                )
            });
        } else if self.ends.last && !self.root_closed {
            findings.push(Code::NotAaf, None, None, || {
                Text::new("aucun élément racine", "no root element")
            });
        }
    }
}

/// Text as UTF-8; invalid bytes were already reported by the tracker, so they are replaced.
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
