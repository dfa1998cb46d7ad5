//! Streaming reader for one GAR export file: refuses DTDs (no entity is ever expanded), bounds
//! depth, and makes out each record (the root's children: GAREleve, GARPersonGroupe…) as its line
//! and its leaf values, as `Name` or `Parent/Name` (GARPersonProfils/GARStructureUAI). Records are
//! handed one at a time to the caller ([`read_each`]), in one reused buffer: memory stays flat
//! whatever the file's size; [`read`] keeps them all, for small files and tests.

use std::cell::Cell;
use std::io::BufRead;
use std::rc::Rc;

use quick_xml::Reader;
use quick_xml::events::Event;

/// GAR records nest three levels under the root at most; anything deeper is hostile.
const MAX_DEPTH: usize = 8;

/// The longest single piece of markup or text read (one tag, one text run, one element's value).
/// No GAR field comes near it; without a bound, one 1 GiB line made the reader ask for 2 GiB.
pub const MAX_TOKEN_BYTES: usize = 1024 * 1024;

/// The 2D namespace (GAR-ENT.xsd v1.7).
pub const NS_2D: &str = "http://data.education.fr/ns/gar";
/// The 1D namespace (GAR-ENT-1D.xsd v1.4).
pub const NS_1D: &str = "http://data.education.fr/ns/gar/1d";

/// One record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Its element's local name (GAREleve, GARGroupe…).
    pub kind: String,
    /// The line it starts on.
    pub line: u64,
    /// Every leaf's name and value, one after the other: one buffer, reused from record to
    /// record, rather than two strings per field.
    text: String,
    /// Where each name and its value end in `text`, in document order.
    ends: Vec<(usize, usize)>,
}

impl Record {
    /// Starts the next record in this buffer.
    fn start(&mut self, kind: &str, line: u64) {
        self.kind.clear();
        self.kind.push_str(kind);
        self.line = line;
        self.text.clear();
        self.ends.clear();
    }

    /// Adds a leaf value.
    fn push(&mut self, name: &str, value: &str) {
        self.text.push_str(name);
        let name_end = self.text.len();
        self.text.push_str(value);
        self.ends.push((name_end, self.text.len()));
    }

    /// Adds a leaf value under a group: `Group/Name`.
    fn push_nested(&mut self, group: &str, name: &str, value: &str) {
        self.text.push_str(group);
        self.text.push('/');
        self.push(name, value);
    }

    /// Leaf names and values, in document order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut start = 0;
        self.ends.iter().map(move |&(name_end, end)| {
            let field = (&self.text[start..name_end], &self.text[name_end..end]);
            start = end;
            field
        })
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Every value of `name`.
    pub fn all<'r>(&'r self, name: &'r str) -> impl Iterator<Item = &'r str> + 'r {
        self.fields()
            .filter(move |(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// What one file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileData {
    /// The root element's local name (GAR-ENT-Eleve…).
    pub root: String,
    /// The root's namespace, from its prefix or default declaration.
    pub namespace: String,
    /// The root's `Version` attribute.
    pub version: Option<String>,
    /// The records, when [`read`] keeps them; [`read_each`] leaves this empty.
    pub records: Vec<Record>,
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// A DOCTYPE: refused.
    #[error("the file has a DTD (DOCTYPE): refused, entities are never expanded")]
    Dtd,
    /// Not well-formed.
    #[error("not well-formed XML: {0}")]
    Malformed(String),
    /// Too deep.
    #[error("elements nested deeper than {MAX_DEPTH}")]
    TooDeep,
    /// No root element.
    #[error("no root element")]
    Empty,
    /// One tag or text longer than `MAX_TOKEN_BYTES`.
    #[error("a tag or text longer than {MAX_TOKEN_BYTES} bytes: refused")]
    TooLarge,
}

impl ReadError {
    /// The reason in French.
    pub fn french(&self) -> String {
        match self {
            ReadError::Dtd => {
                "le fichier a une DTD (DOCTYPE) : refusé, les entités ne sont jamais développées"
                    .into()
            }
            ReadError::Malformed(e) => format!("XML mal formé : {e}"),
            ReadError::TooDeep => format!("éléments imbriqués sur plus de {MAX_DEPTH} niveaux"),
            ReadError::Empty => "aucun élément racine".into(),
            ReadError::TooLarge => {
                format!("une balise ou un texte de plus de {MAX_TOKEN_BYTES} octets : refusé")
            }
        }
    }
}

/// A source that refuses to give more than `MAX_TOKEN_BYTES` (plus one buffer) between two
/// events: quick-xml reads a whole tag or text run into memory before it returns it, so the
/// bound must sit below it.
pub(super) struct Bounded<R> {
    inner: R,
    /// Bytes given since the reader last returned an event; the loop resets it.
    since_event: Rc<Cell<usize>>,
}

impl<R> Bounded<R> {
    /// `inner`, bounded, and the count the reading loop sets to 0 after each event.
    pub(super) fn new(inner: R) -> (Bounded<R>, Rc<Cell<usize>>) {
        let since_event = Rc::new(Cell::new(0));
        let bounded = Bounded {
            inner,
            since_event: Rc::clone(&since_event),
        };
        (bounded, since_event)
    }

    fn check(&self) -> std::io::Result<()> {
        if self.since_event.get() > MAX_TOKEN_BYTES {
            return Err(std::io::Error::other(TOO_LARGE));
        }
        Ok(())
    }
}

impl<R: BufRead> std::io::Read for Bounded<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.check()?;
        let n = self.inner.read(out)?;
        self.since_event
            .set(self.since_event.get().saturating_add(n));
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.since_event
            .set(self.since_event.get().saturating_add(n));
    }
}

/// The marker of the bound's error inside quick-xml's error.
const TOO_LARGE: &str = "sdet-audit: token over the limit";

/// What quick-xml's error means for the file: our own bound hit, or malformed XML.
fn read_error(e: &quick_xml::Error) -> ReadError {
    if e.to_string().contains(TOO_LARGE) {
        ReadError::TooLarge
    } else {
        ReadError::Malformed(e.to_string())
    }
}

/// Reads a file and keeps its records; `Err` carries the line where reading stopped.
pub fn read(source: impl BufRead) -> Result<FileData, (ReadError, u64)> {
    let mut records = Vec::new();
    let mut data = read_each(source, |r| records.push(r.clone()))?;
    data.records = records;
    Ok(data)
}

/// Reads a file up to its root element's start: its name, namespace and `Version`, and whether
/// it has a DTD (which can only come before the root). What the schema check needs to pick a
/// schema before handing the file to a validator, without reading the rest.
pub fn read_root(source: impl BufRead) -> Result<FileData, (ReadError, u64)> {
    let since_event = Rc::new(Cell::new(0));
    let mut reader = Reader::from_reader(Bounded {
        inner: source,
        since_event: Rc::clone(&since_event),
    });
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    loop {
        since_event.set(0);
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| (read_error(&e), line))?;
        match event {
            Event::DocType(_) => return Err((ReadError::Dtd, line)),
            Event::Start(e) | Event::Empty(e) => {
                let mut data = FileData::default();
                let name = local(e.local_name().as_ref());
                root(&mut data, &e, &name);
                return Ok(data);
            }
            Event::Text(t) => line += count(t.as_ref()),
            Event::Comment(c) => line += count(c.as_ref()),
            Event::Eof => return Err((ReadError::Empty, line)),
            _ => {}
        }
        buf.clear();
    }
}

/// Reads a file, handing each record to `each` as soon as it is complete (the same buffer every
/// time: copy what must outlive the call); `Err` carries the line where reading stopped.
pub fn read_each(
    source: impl BufRead,
    mut each: impl FnMut(&Record),
) -> Result<FileData, (ReadError, u64)> {
    let since_event = Rc::new(Cell::new(0));
    let mut reader = Reader::from_reader(Bounded {
        inner: source,
        since_event: Rc::clone(&since_event),
    });
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut line: u64 = 1;
    let mut data = FileData::default();
    let mut record = Record::default();
    // Open elements' local names, root first.
    let mut stack = Stack::default();
    let mut text = String::new();
    loop {
        since_event.set(0);
        if text.len() > MAX_TOKEN_BYTES {
            return Err((ReadError::TooLarge, line));
        }
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| (read_error(&e), line))?;
        match event {
            Event::DocType(_) => return Err((ReadError::Dtd, line)),
            Event::Start(e) => {
                line += newlines(&e);
                if stack.len() >= MAX_DEPTH {
                    return Err((ReadError::TooDeep, line));
                }
                let depth = stack.len() + 1;
                let name = stack.push(e.local_name().as_ref());
                match depth {
                    1 => root(&mut data, &e, name),
                    2 => record.start(name, line),
                    _ => {}
                }
                text.clear();
            }
            Event::Empty(e) => {
                line += newlines(&e);
                if stack.is_empty() {
                    root(&mut data, &e, &local(e.local_name().as_ref()));
                    return Ok(data);
                }
                if stack.len() == 1 {
                    record.start(&local(e.local_name().as_ref()), line);
                    each(&record);
                }
            }
            Event::Text(t) => {
                line += count(t.as_ref());
                text.push_str(
                    &t.decode()
                        .map_err(|e| (ReadError::Malformed(e.to_string()), line))?,
                );
            }
            Event::CData(t) => {
                line += count(t.as_ref());
                text.push_str(&String::from_utf8_lossy(t.as_ref()));
            }
            Event::GeneralRef(r) => text.push_str(&resolve(&r).map_err(|e| (e, line))?),
            Event::End(_) => {
                if stack.is_empty() {
                    return Err((ReadError::Malformed("unbalanced end tag".into()), line));
                }
                close(&mut record, &stack, &text);
                stack.pop();
                text.clear();
                if stack.len() == 1 {
                    each(&record);
                }
                if stack.is_empty() {
                    return Ok(data);
                }
            }
            Event::Comment(c) => line += count(c.as_ref()),
            Event::Eof => {
                return Err(if stack.is_empty() {
                    (ReadError::Empty, line)
                } else {
                    (
                        ReadError::Malformed(format!(
                            "truncated: <{}> never closed",
                            stack.name(stack.len() - 1)
                        )),
                        line,
                    )
                });
            }
            Event::Decl(_) | Event::PI(_) => {}
        }
        buf.clear();
    }
}

/// A character reference or one of the five predefined entities; anything else is refused.
pub(super) fn resolve(r: &quick_xml::events::BytesRef<'_>) -> Result<String, ReadError> {
    match r
        .resolve_char_ref()
        .map_err(|e| ReadError::Malformed(e.to_string()))?
    {
        Some(c) => Ok(c.to_string()),
        None => {
            let name = String::from_utf8_lossy(r.as_ref()).into_owned();
            quick_xml::escape::resolve_predefined_entity(&name)
                .map(str::to_string)
                .ok_or(ReadError::Malformed(format!("unknown entity &{name};")))
        }
    }
}

/// Files a closed element's text: a leaf under a record (depth 3) is a field; one under a
/// record's group (depth 4 and below) is `Group/Name`.
/// The open elements' local names, root first: the strings are kept when an element closes and
/// reused for the next one at the same depth, so reading allocates nothing per element.
#[derive(Default)]
struct Stack {
    names: Vec<String>,
    depth: usize,
}

impl Stack {
    fn len(&self) -> usize {
        self.depth
    }

    fn is_empty(&self) -> bool {
        self.depth == 0
    }

    fn name(&self, i: usize) -> &str {
        &self.names[i]
    }

    /// Opens an element and returns its local name.
    fn push(&mut self, local: &[u8]) -> &str {
        if self.names.len() == self.depth {
            self.names.push(String::new());
        }
        let slot = &mut self.names[self.depth];
        slot.clear();
        slot.push_str(&String::from_utf8_lossy(local));
        self.depth += 1;
        slot
    }

    fn pop(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// Files the text of the element about to close (the stack's last): a leaf under a record
/// (depth 3) is a field; one under a record's group (depth 4 and below) is `Group/Name`.
fn close(record: &mut Record, stack: &Stack, text: &str) {
    let value = text.trim();
    let depth = stack.len();
    if depth < 3 || value.is_empty() {
        return;
    }
    let name = stack.name(depth - 1);
    if depth == 3 {
        record.push(name, value);
    } else {
        record.push_nested(stack.name(2), name, value);
    }
}

fn root(data: &mut FileData, e: &quick_xml::events::BytesStart<'_>, name: &str) {
    data.root = name.to_string();
    let prefix = e
        .name()
        .prefix()
        .map(|p| String::from_utf8_lossy(p.as_ref()).into_owned());
    let wanted = prefix.map_or_else(|| "xmlns".to_string(), |p| format!("xmlns:{p}"));
    for attr in e.attributes().flatten() {
        let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        let value = String::from_utf8_lossy(&attr.value).into_owned();
        if key == wanted {
            data.namespace = value;
        } else if key == "Version" {
            data.version = Some(value);
        }
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn newlines(e: &quick_xml::events::BytesStart<'_>) -> u64 {
    count(e.as_ref())
}

#[expect(
    clippy::naive_bytecount,
    reason = "one more crate is not worth it for element-sized slices"
)]
fn count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

/// A file's name and content.
pub type File<'a> = (&'a str, &'a FileData);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_records_fields_lines_and_namespace() {
        let xml = "<?xml version=\"1.0\"?>\n<men:GAR-ENT-Eleve xmlns:men=\"http://data.education.fr/ns/gar\" Version=\"1.0\">\n\
<men:GAREleve>\n<men:GARPersonIdentifiant>e1</men:GARPersonIdentifiant>\n\
<men:GARPersonProfils><men:GARStructureUAI>0750001A</men:GARStructureUAI><men:GARPersonProfil>National_elv</men:GARPersonProfil></men:GARPersonProfils>\n\
<men:GARPersonNom>MARTIN &amp; fils</men:GARPersonNom>\n</men:GAREleve>\n<men:GARPersonMEF/>\n</men:GAR-ENT-Eleve>\n";
        let data = read(xml.as_bytes()).unwrap();
        assert_eq!(
            (
                data.root.as_str(),
                data.namespace.as_str(),
                data.version.as_deref()
            ),
            ("GAR-ENT-Eleve", NS_2D, Some("1.0"))
        );
        assert_eq!(data.records.len(), 2);
        let eleve = &data.records[0];
        assert_eq!((eleve.kind.as_str(), eleve.line), ("GAREleve", 3));
        assert_eq!(eleve.get("GARPersonIdentifiant"), Some("e1"));
        assert_eq!(
            eleve.get("GARPersonProfils/GARStructureUAI"),
            Some("0750001A")
        );
        assert_eq!(eleve.get("GARPersonNom"), Some("MARTIN & fils"));
        assert_eq!(data.records[1].line, 8);
    }

    #[test]
    fn one_endless_line_stops_at_the_token_limit() {
        // A text run, then a tag, each 1 GiB long, generated as they are read.
        use std::io::Read as _;
        for start in [&b"<a>"[..], &b"<a "[..]] {
            let source = start.chain(std::io::repeat(b'x')).take(1 << 30);
            let reader = std::io::BufReader::new(source);
            assert_eq!(read(reader).map_err(|e| e.0), Err(ReadError::TooLarge));
        }
    }

    #[test]
    fn refuses_dtds_truncation_and_depth() {
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aa\">]>\n<x>&a;</x>";
        assert_eq!(read(bomb.as_bytes()), Err((ReadError::Dtd, 2)));
        assert!(matches!(
            read("<a>\n<b>".as_bytes()),
            Err((ReadError::Malformed(_), 2))
        ));
        let deep = "<a>".repeat(20);
        assert_eq!(
            read(deep.as_bytes()).map_err(|e| e.0),
            Err(ReadError::TooDeep)
        );
        assert_eq!(read("".as_bytes()).map_err(|e| e.0), Err(ReadError::Empty));
    }
}
