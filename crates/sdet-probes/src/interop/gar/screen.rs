//! A fast first look at each export file, before xmllint: a streaming check of the file against
//! the [`grammar`](super::grammar) of its namespace that can only *clear* a file. A file it
//! clears is valid against the schema: well-formed UTF-8 XML, every element where its type's
//! sequence allows it, as often as allowed, every string within its `maxLength`, every date a
//! date, the root's required attribute there and no other, every key present and unique. A
//! file it cannot clear for any reason — invalid, or merely unusual (another encoding, a
//! time zone on a date, an attribute from another namespace, a namespace declared below the
//! root) — is in doubt, and xmllint judges it: only xmllint ever says a file is invalid, and its
//! words are the ones reported. The screen exists because xmllint reads a GAR export at about
//! 40 MB/s per core, where most exports are valid.
//!
//! The screen errs one way only: whatever it is unsure of goes to xmllint. `tests/it/gar_screen.rs`
//! holds it to that against xmllint itself, in both of its modes, on some ten thousand altered
//! export files (`bench/gar.sh` measures what it saves).

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::path::PathBuf;

use foldhash::fast::RandomState;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use sdet_core::xml::is_xml_char;

use super::grammar::{self, Complex, Content, Grammar, Key, Particle, Simple, Unsupported};
use super::reader::{Bounded, MAX_TOKEN_BYTES};
use super::schema::{XSD_1D, XSD_2D};

/// Key values kept per file, in bytes, before the screen gives up on a file (xmllint then
/// judges it): an ENT writes 10 000 records per file, a few hundred kilobytes of keys.
const MAX_KEY_BYTES: usize = 64 * 1024 * 1024;

/// The screen's answer for one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screened {
    /// Valid against the schema of its namespace.
    Valid,
    /// Not cleared, and why: for xmllint to judge.
    Doubt(String),
}

/// Why a file is in doubt.
struct Doubt(String);

fn doubt<T>(why: impl Into<String>) -> Result<T, Doubt> {
    Err(Doubt(why.into()))
}

/// Both GAR schemas, compiled.
#[derive(Debug)]
pub struct Grammars(Vec<Grammar>);

impl Grammars {
    /// Compiles the embedded 2D and 1D schemas.
    pub fn embedded() -> Result<Grammars, Unsupported> {
        Ok(Grammars(vec![
            grammar::compile(XSD_2D)?,
            grammar::compile(XSD_1D)?,
        ]))
    }

    /// Screens one file.
    pub fn screen(&self, source: impl BufRead) -> Screened {
        match Screen::new(self).run(source) {
            Ok(()) => Screened::Valid,
            Err(Doubt(why)) => Screened::Doubt(why),
        }
    }

    /// Screens `files`, `workers` at a time; one answer per file, in order.
    pub fn screen_files(&self, files: &[PathBuf], workers: usize) -> Vec<Screened> {
        let each = |path: &PathBuf| match sdet_core::input::open(path) {
            Ok(file) => self.screen(std::io::BufReader::with_capacity(1 << 16, file)),
            Err(e) => Screened::Doubt(e.to_string()),
        };
        super::in_parallel(files, workers, each)
            .unwrap_or_else(|| vec![Screened::Doubt("the screen stopped".into()); files.len()])
    }
}

/// An open element.
enum Frame<'g> {
    /// One with child elements: where its sequence stands.
    Complex {
        complex: &'g Complex,
        /// The particle the last child matched.
        at: usize,
        /// How many children matched it.
        count: u32,
    },
    /// One with text, gathered in [`Screen::value`].
    Simple { simple: Simple, name: &'g str },
}

/// The state of one file's screen.
struct Screen<'g> {
    grammars: &'g Grammars,
    /// The root's grammar, once the root is read.
    grammar: Option<&'g Grammar>,
    /// Namespace prefixes the root declares ("" for the default namespace).
    prefixes: HashMap<String, String>,
    /// The root's own prefix, bound to its grammar's namespace: most names use it, and are
    /// then known to be in that namespace without a look-up.
    root_prefix: Option<String>,
    stack: Vec<Frame<'g>>,
    /// The open simple element's text.
    value: String,
    /// Whether the root has been closed.
    done: bool,
    keys: Keys<'g>,
}

impl<'g> Screen<'g> {
    fn new(grammars: &'g Grammars) -> Screen<'g> {
        Screen {
            grammars,
            grammar: None,
            prefixes: HashMap::new(),
            root_prefix: None,
            stack: Vec::new(),
            value: String::new(),
            done: false,
            keys: Keys::default(),
        }
    }

    fn run(mut self, source: impl BufRead) -> Result<(), Doubt> {
        let (bounded, since_event) = Bounded::new(source);
        let mut reader = Reader::from_reader(bounded);
        reader.config_mut().check_end_names = true;
        let mut buf = Vec::new();
        let mut first = true;
        loop {
            since_event.set(0);
            let event = reader
                .read_event_into(&mut buf)
                .or_else(|e| doubt(format!("not read: {e}")))?;
            match &event {
                Event::Decl(decl) => {
                    if !first {
                        return doubt("an XML declaration after the start");
                    }
                    declaration(decl)?;
                }
                Event::DocType(_) => return doubt("a DTD"),
                Event::Start(e) => {
                    clean(e.as_ref())?;
                    self.open(e)?;
                }
                Event::Empty(e) => {
                    clean(e.as_ref())?;
                    self.open(e)?;
                    self.close()?;
                }
                Event::End(_) => self.close()?,
                Event::Text(t) => self.text(clean(t.as_ref())?)?,
                Event::CData(t) => {
                    let text = clean(t.as_ref())?;
                    if text.contains("]]>") {
                        return doubt("]]> in a CDATA section");
                    }
                    self.append(text, true)?;
                }
                Event::GeneralRef(r) => {
                    clean(r.as_ref())?;
                    let resolved = reference(r)?;
                    // A character reference is not a line end to normalise: `&#13;` is a CR.
                    self.append(&resolved, false)?;
                }
                Event::Comment(c) => {
                    let text = clean(c.as_ref())?;
                    if text.contains("--") || text.ends_with('-') {
                        return doubt("-- in a comment");
                    }
                }
                // GAR exports hold none; a PI's target must be a Name other than `xml`, which
                // is easier to leave to xmllint than to check.
                Event::PI(_) => return doubt("a processing instruction"),
                Event::Eof => {
                    return if self.done {
                        Ok(())
                    } else {
                        doubt("the root is never closed")
                    };
                }
            }
            first = false;
            buf.clear();
        }
    }

    /// An element starts.
    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), Doubt> {
        if self.done {
            return doubt("an element after the root");
        }
        let qname = std::str::from_utf8(e.name().into_inner())
            .or_else(|_| doubt("a name that is not UTF-8"))?;
        let Some(parent) = self.stack.last_mut() else {
            return self.open_root(e, qname);
        };
        if e.attributes().next().is_some() {
            return doubt(format!("an attribute on <{qname}>"));
        }
        let Some(grammar) = self.grammar else {
            return doubt("no grammar");
        };
        let local = match self.root_prefix.as_deref() {
            Some("") if !qname.contains(':') => qname,
            Some(prefix) if !prefix.is_empty() => {
                match qname.strip_prefix(prefix).and_then(|q| q.strip_prefix(':')) {
                    Some(local) if !local.is_empty() && !local.contains(':') => local,
                    _ => local_in(&self.prefixes, qname, &grammar.namespace)?,
                }
            }
            _ => local_in(&self.prefixes, qname, &grammar.namespace)?,
        };
        let Frame::Complex { complex, at, count } = parent else {
            return doubt(format!("<{qname}> inside text"));
        };
        let particle = step(complex, at, count, local)?;
        self.keys.open(self.stack.len(), local);
        self.stack.push(match particle.content {
            Content::Simple(simple) => {
                self.value.clear();
                Frame::Simple {
                    simple,
                    name: &particle.name,
                }
            }
            Content::Complex(index) => {
                let complex = &grammar.types[index];
                if complex.attributes.iter().any(|(_, required)| *required) {
                    return doubt(format!("<{qname}> without its required attributes"));
                }
                Frame::Complex {
                    complex,
                    at: 0,
                    count: 0,
                }
            }
        });
        Ok(())
    }

    /// The root starts: its namespace declarations pick the grammar, its name the type.
    fn open_root(&mut self, e: &BytesStart<'_>, qname: &str) -> Result<(), Doubt> {
        spaced(e.as_ref())?;
        let mut attributes = Vec::new();
        for attribute in e.attributes() {
            let attribute = attribute.or_else(|e| doubt(format!("an attribute not read: {e}")))?;
            let key = std::str::from_utf8(attribute.key.as_ref())
                .or_else(|_| doubt("an attribute name that is not UTF-8"))?;
            let value = std::str::from_utf8(&attribute.value)
                .or_else(|_| doubt("an attribute value that is not UTF-8"))?;
            if value.contains(['&', '<']) {
                return doubt("a reference or < in an attribute value");
            }
            if RESERVED.contains(&value) {
                return doubt(format!("a reserved namespace in {key}"));
            }
            if key == "xmlns" {
                self.prefixes.insert(String::new(), value.to_string());
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                if !is_plain_prefix(prefix) || value.is_empty() {
                    return doubt(format!("namespace declaration {key}=\"{value}\""));
                }
                self.prefixes.insert(prefix.to_string(), value.to_string());
            } else {
                attributes.push(key.to_string());
            }
        }
        let (prefix, _) = split(qname);
        let namespace = self
            .prefixes
            .get(prefix)
            .ok_or_else(|| Doubt(format!("<{qname}> in no declared namespace")))?;
        let grammar = self
            .grammars
            .0
            .iter()
            .find(|g| g.namespace == *namespace)
            .ok_or_else(|| Doubt(format!("namespace {namespace}")))?;
        let local = local_in(&self.prefixes, qname, &grammar.namespace)?;
        let root = grammar
            .roots
            .get(local)
            .ok_or_else(|| Doubt(format!("root <{local}>")))?;
        let complex = &grammar.types[root.complex];
        let mut hints = HashSet::new();
        for attribute in &attributes {
            if let Some((prefix, local)) = attribute.split_once(':') {
                // Where to find the schema: ENTs write it (Open ENT NG puts
                // `xsi:schemaLocation="http://data.education.fr/ns/gar GAR-ENT.xsd"` on every
                // root), and a validator given the schema ignores it. Once each.
                let xsi = self.prefixes.get(prefix).is_some_and(|ns| ns == XSI);
                if xsi && SCHEMA_HINTS.contains(&local) && hints.insert(local) {
                    continue;
                }
                return doubt(format!("attribute {attribute} on the root"));
            }
            if !complex.attributes.iter().any(|(name, _)| name == attribute) {
                return doubt(format!("attribute {attribute} on the root"));
            }
        }
        for (name, required) in &complex.attributes {
            if *required && !attributes.contains(name) {
                return doubt(format!("no {name} on the root"));
            }
        }
        self.grammar = Some(grammar);
        self.root_prefix = Some(prefix.to_string());
        self.keys = Keys::new(&root.keys);
        self.stack.push(Frame::Complex {
            complex,
            at: 0,
            count: 0,
        });
        Ok(())
    }

    /// The open element ends: its sequence must be complete, its text of its type.
    fn close(&mut self) -> Result<(), Doubt> {
        let depth = self.stack.len();
        match self.stack.pop() {
            None => return doubt("an end tag without a start"),
            Some(Frame::Complex { complex, at, count }) => {
                finish(complex, at, count)?;
            }
            Some(Frame::Simple { simple, name }) => {
                check_value(simple, &self.value)?;
                self.keys.field(depth - 1, name, &self.value)?;
            }
        }
        self.keys.close(depth - 1)?;
        if self.stack.is_empty() {
            self.done = true;
        }
        Ok(())
    }

    /// Text between tags: a simple element's value, or white space.
    fn text(&mut self, text: &str) -> Result<(), Doubt> {
        if text.contains('&') || text.contains("]]>") {
            return doubt("& or ]]> in text");
        }
        if matches!(self.stack.last(), Some(Frame::Simple { .. })) {
            self.append(text, true)
        } else if text.chars().all(is_space) {
            Ok(())
        } else {
            doubt("text outside a text element")
        }
    }

    /// Adds to the open simple element's value, with line ends as XML reads them when the text
    /// comes from the file as written (`normalize`).
    fn append(&mut self, text: &str, normalize: bool) -> Result<(), Doubt> {
        if !matches!(self.stack.last(), Some(Frame::Simple { .. })) {
            return doubt("text or a reference outside a text element");
        }
        if normalize && text.contains('\r') {
            self.value
                .push_str(&text.replace("\r\n", "\n").replace('\r', "\n"));
        } else {
            self.value.push_str(text);
        }
        if self.value.len() > MAX_TOKEN_BYTES {
            return doubt("a value over the token limit");
        }
        Ok(())
    }
}

/// A start tag's attributes as XML spells them: each after white space, `name="value"` or
/// `name='value'` with optional white space around `=`. quick-xml reads `a="1"b="2"` too, which
/// is not well-formed.
fn spaced(tag: &[u8]) -> Result<(), Doubt> {
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let skip = |at: usize| at + tag[at..].iter().take_while(|b| space(b)).count();
    let mut at = tag
        .iter()
        .position(|b| space(b) || *b == b'/')
        .unwrap_or(tag.len());
    loop {
        let after = skip(at);
        if after == tag.len() || tag[after..] == *b"/" {
            return Ok(());
        }
        if after == at {
            return doubt("attributes not separated by white space");
        }
        let equals = after
            + tag[after..]
                .iter()
                .position(|b| *b == b'=')
                .ok_or_else(|| Doubt("an attribute without a value".into()))?;
        let quote_at = skip(equals + 1);
        let quote = *tag.get(quote_at).unwrap_or(&0);
        if !matches!(quote, b'"' | b'\'') {
            return doubt("an unquoted attribute value");
        }
        at = quote_at
            + 2
            + tag[quote_at + 1..]
                .iter()
                .position(|b| *b == quote)
                .ok_or_else(|| Doubt("an unclosed attribute value".into()))?;
    }
}

/// Moves a sequence on to the child named `local`, and returns its particle.
fn step<'g>(
    complex: &'g Complex,
    at: &mut usize,
    count: &mut u32,
    local: &str,
) -> Result<&'g Particle, Doubt> {
    loop {
        let Some(particle) = complex.particles.get(*at) else {
            return doubt(format!("<{local}> not expected here"));
        };
        if particle.name == local {
            if particle.max.is_some_and(|max| *count >= max) {
                return doubt(format!("<{local}> too many times"));
            }
            *count += 1;
            return Ok(particle);
        }
        if *count < particle.min {
            return doubt(format!("<{}> missing before <{local}>", particle.name));
        }
        *at += 1;
        *count = 0;
    }
}

/// A sequence at its end: what remains must be optional.
fn finish(complex: &Complex, at: usize, count: u32) -> Result<(), Doubt> {
    let mut count = count;
    for particle in complex.particles.iter().skip(at) {
        if count < particle.min {
            return doubt(format!("<{}> missing", particle.name));
        }
        count = 0;
    }
    Ok(())
}

/// A simple element's value against its type.
fn check_value(simple: Simple, value: &str) -> Result<(), Doubt> {
    match simple {
        Simple::String(Some(max)) if value.len() > max && value.chars().count() > max => {
            doubt(format!("a value longer than {max} characters"))
        }
        Simple::String(_) => Ok(()),
        // XML Schema collapses white space around a date, but xmllint refuses it: none at all.
        Simple::Date if is_date(value) => Ok(()),
        Simple::Date => doubt("a date not in the form YYYY-MM-DD"),
    }
}

/// `YYYY-MM-DD`, optionally followed by `Z`, with a day the month has. Other forms XML Schema
/// allows (years beyond four digits, negative years, offsets) are left to xmllint.
fn is_date(value: &str) -> bool {
    let value = value.strip_suffix('Z').unwrap_or(value);
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = value.get(range)?;
        digits
            .bytes()
            .all(|d| d.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    sdet_core::calendar::days_in_month(year, month)
        .is_some_and(|days| year >= 1 && (1..=days).contains(&day))
}

/// The XML declaration, as XML writes it: `version="1.0"`, then optionally `encoding` (UTF-8
/// only) and `standalone` (`yes` or `no`), in that order, nothing else.
fn declaration(decl: &quick_xml::events::BytesDecl<'_>) -> Result<(), Doubt> {
    let text = clean(decl.as_ref())?;
    let rest = text
        .strip_prefix("xml")
        .ok_or_else(|| Doubt("an unreadable declaration".into()))?;
    let mut allowed = ["version", "encoding", "standalone"].into_iter();
    let mut rest = rest;
    loop {
        let trimmed = rest.trim_start_matches(is_space);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.len() == rest.len() {
            return doubt("no space between the declaration's parts");
        }
        let (name, after) = trimmed
            .split_once('=')
            .ok_or_else(|| Doubt("an unreadable declaration".into()))?;
        let name = name.trim_end_matches(is_space);
        let after = after.trim_start_matches(is_space);
        let quote = after
            .chars()
            .next()
            .filter(|q| matches!(q, '"' | '\''))
            .ok_or_else(|| Doubt("an unquoted value in the declaration".into()))?;
        let (value, after) = after[1..]
            .split_once(quote)
            .ok_or_else(|| Doubt("an unclosed value in the declaration".into()))?;
        let first = rest.len() == text.len() - 3;
        if (first && name != "version") || !allowed.by_ref().any(|a| a == name) {
            return doubt(format!("{name} in the XML declaration"));
        }
        let fine = match name {
            "version" => value == "1.0",
            "encoding" => value.eq_ignore_ascii_case("utf-8"),
            _ => matches!(value, "yes" | "no"),
        };
        if !fine {
            return doubt(format!("{name}=\"{value}\" in the XML declaration"));
        }
        rest = after;
    }
    if rest.len() == text.len() - 3 {
        return doubt("a declaration without a version");
    }
    Ok(())
}

/// A character reference that is an XML character, or one of the five predefined entities,
/// resolved as the export's reader resolves it.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<String, Doubt> {
    match super::reader::resolve(r) {
        Ok(resolved) if resolved.chars().all(is_xml_char) => Ok(resolved),
        _ => doubt("a reference XML does not allow here"),
    }
}

/// Markup or text as UTF-8 made only of XML characters.
fn clean(bytes: &[u8]) -> Result<&str, Doubt> {
    let text = std::str::from_utf8(bytes).or_else(|_| doubt("bytes that are not UTF-8"))?;
    let forbidden = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    if bytes.iter().any(forbidden) || (!text.is_ascii() && !text.chars().all(is_xml_char)) {
        return doubt("a character XML does not allow");
    }
    Ok(text)
}

/// The XML Schema instance namespace, of `xsi:schemaLocation`.
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The attributes of [`XSI`] that only say where a schema is, which the screen lets pass on the
/// root.
const SCHEMA_HINTS: [&str; 2] = ["schemaLocation", "noNamespaceSchemaLocation"];

/// The namespaces no prefix may be bound to (nor the default namespace set to).
const RESERVED: [&str; 2] = [
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
];

/// A namespace prefix the screen trusts itself to read: an ASCII `NCName` not starting with
/// `xml` (reserved). Any other goes to xmllint.
fn is_plain_prefix(prefix: &str) -> bool {
    let mut bytes = prefix.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !prefix
            .get(..3)
            .is_some_and(|p| p.eq_ignore_ascii_case("xml"))
}

/// XML's white space.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn split(qname: &str) -> (&str, &str) {
    qname.split_once(':').unwrap_or(("", qname))
}

/// The local name of `qname`, which must be in `namespace` through the root's declarations.
fn local_in<'q>(
    prefixes: &HashMap<String, String>,
    qname: &'q str,
    namespace: &str,
) -> Result<&'q str, Doubt> {
    let (prefix, local) = split(qname);
    let well_formed = !local.is_empty() && !local.contains(':') && !qname.starts_with(':');
    if well_formed && prefixes.get(prefix).map(String::as_str) == Some(namespace) {
        Ok(local)
    } else {
        doubt(format!("<{qname}> outside the namespace"))
    }
}

/// The root's keys: the values of each selected child's fields, and the tuples already seen.
#[derive(Default)]
struct Keys<'g> {
    declared: &'g [Key],
    /// Per key, the tuples seen, fields joined by NUL (which no XML text holds).
    seen: Vec<HashSet<Box<str>, RandomState>>,
    bytes: usize,
    /// Per key, the open record's field values, if the key selects it.
    open: Vec<Option<Vec<Option<String>>>>,
}

impl<'g> Keys<'g> {
    fn new(keys: &'g [Key]) -> Keys<'g> {
        Keys {
            declared: keys,
            seen: keys.iter().map(|_| HashSet::default()).collect(),
            bytes: 0,
            open: keys.iter().map(|_| None).collect(),
        }
    }

    /// An element opens at `depth` (1: a record under the root).
    fn open(&mut self, depth: usize, local: &str) {
        if depth == 1 {
            for (key, open) in self.declared.iter().zip(&mut self.open) {
                *open = (key.selector == local).then(|| vec![None; key.fields.len()]);
            }
        }
    }

    /// A simple element `name` at `depth` closes with `value`: a field of the open record's
    /// keys?
    fn field(&mut self, depth: usize, name: &str, value: &str) -> Result<(), Doubt> {
        if depth != 2 {
            return Ok(());
        }
        for (key, open) in self.declared.iter().zip(&mut self.open) {
            let Some(values) = open else { continue };
            for (field, slot) in key.fields.iter().zip(values.iter_mut()) {
                if field == name {
                    if slot.is_some() {
                        return doubt(format!("field {field} of key {} twice", key.name));
                    }
                    *slot = Some(value.to_string());
                }
            }
        }
        Ok(())
    }

    /// An element at `depth` closes: a record's keys are complete and must be new.
    fn close(&mut self, depth: usize) -> Result<(), Doubt> {
        if depth != 1 {
            return Ok(());
        }
        for ((key, open), seen) in self.declared.iter().zip(&mut self.open).zip(&mut self.seen) {
            let Some(values) = open.take() else { continue };
            let mut tuple = String::new();
            for (i, value) in values.iter().enumerate() {
                let value = value
                    .as_deref()
                    .ok_or_else(|| Doubt(format!("a field of key {} missing", key.name)))?;
                if i > 0 {
                    tuple.push('\0');
                }
                tuple.push_str(value);
            }
            self.bytes += tuple.len() + 16;
            if self.bytes > MAX_KEY_BYTES {
                return doubt("too many keys to hold");
            }
            if !seen.insert(tuple.into_boxed_str()) {
                return doubt(format!("a duplicate of key {}", key.name));
            }
        }
        Ok(())
    }
}
