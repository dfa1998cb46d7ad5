//! The fast path. Exporters write every request in one regular shape — the DTD's elements in
//! order, no XML attribute but `name` (and `operation="replace"`), no comment, CDATA or processing
//! instruction inside, text with at most the five predefined entities — and the tokenizer was most
//! of the cost of a check. So between two requests the scanner looks at the reader's buffer: when
//! the next request is whole in it, has that shape, and holds no byte the tracker flagged, it is
//! read straight from the buffer into the same [`Record`] the quick-xml path builds, and handed to
//! the handler. Anything else — a request cut by the buffer's end, odd whitespace inside a tag, a
//! character reference, a comment, a missing part — is left to quick-xml, which stays the reference
//! parser: the fast path only ever takes records of which quick-xml would report nothing, so
//! findings are the same either way (`tests/it/aaf/fast.rs` compares both on every sample and on
//! mutated input).

mod memo;

use std::io::BufRead;

use super::super::finding::Findings;
use super::super::record::{Attr, Op, Record, append_capped};
use super::{Handler, Scanner};
pub(super) use memo::Memo;

/// Which request, its start and end tags.
const REQUESTS: [(Op, &str, &str); 3] = [
    (Op::Add, "<addRequest>", "</addRequest>"),
    (Op::Modify, "<modifyRequest>", "</modifyRequest>"),
    (Op::Delete, "<deleteRequest>", "</deleteRequest>"),
];

/// A request read from the buffer.
#[derive(Debug, Clone, Copy)]
struct Taken {
    /// Bytes it took, whitespace before it included.
    pub len: usize,
    /// Which request it was.
    pub op: Op,
}

impl<R: BufRead> Scanner<'_, R> {
    /// Reads the regular records that come next straight from the buffer, until one is not.
    pub(super) fn fast_records(&mut self, handler: &mut impl Handler, findings: &mut Findings) {
        loop {
            let tracker = self.reader.get_mut();
            let (line, base) = (tracker.line(), tracker.position());
            let Ok(buf) = tracker.fill_buf() else { return };
            let Some(taken) = take(buf, base, line, &mut self.record, &mut self.memo) else {
                return;
            };
            if tracker.flagged_within(taken.len) {
                return;
            }
            tracker.consume(taken.len);
            tracker.mark();
            if !self.started {
                self.started = true;
                handler.start(&self.summary.header, findings);
            }
            self.summary.incremental |= taken.op != Op::Add;
            self.summary.records += 1;
            self.summary.fast_records += 1;
            handler.record(&self.record, findings);
        }
    }
}

/// Reads the request at the start of `buf` (after whitespace), which starts at stream offset
/// `base`, into `record`; its start tag is on line `line` or after the newlines of that
/// whitespace. `None` when it is not whole in `buf` or not of the regular shape: `record` is then
/// half-filled, and the quick-xml path resets it.
fn take(buf: &[u8], base: u64, line: u64, record: &mut Record, memo: &mut Memo) -> Option<Taken> {
    let start = buf.iter().position(|b| !is_space(*b))?;
    let rest = &buf[start..];
    let &(op, open, close) = REQUESTS
        .iter()
        .find(|(_, open, _)| rest.starts_with(open.as_bytes()))?;
    let end = memo.find(op, rest, base + start as u64)? + close.len();
    let text = simdutf8::basic::from_utf8(&rest[..end]).ok()?;
    let before = memchr::memchr_iter(b'\n', &buf[..start]).count() as u64;
    let mut c = Cursor {
        text,
        at: open.len(),
        line: line + before,
    };
    record.reset(op, c.line);
    request(&mut c, op, record)?;
    c.eat(close)?;
    (c.at == text.len()).then_some(Taken {
        len: start + end,
        op,
    })
}

/// The parts of a request, in DTD order, up to its end tag.
fn request(c: &mut Cursor<'_>, op: Op, record: &mut Record) -> Option<()> {
    c.space();
    c.eat("<operationalAttributes>")?;
    c.space();
    c.eat("<attr name=\"")?;
    let line = c.line;
    let name = c.name("\">")?;
    values::<Attributes>(c, record.start_category(name, line))?;
    c.space();
    c.eat("</operationalAttributes>")?;
    c.space();
    c.eat("<identifier>")?;
    c.space();
    c.eat("<id>")?;
    c.text(&mut record.id)?;
    c.eat("</id>")?;
    let trimmed = record.id.trim();
    if trimmed.len() != record.id.len() {
        record.id = trimmed.to_owned();
    }
    c.space();
    c.eat("</identifier>")?;
    c.space();
    match op {
        Op::Delete => Some(()),
        Op::Add => body::<Attributes>(c, record),
        Op::Modify => body::<Modifications>(c, record),
    }
}

/// The tags of a request's body. Constants rather than arguments, so that every comparison is
/// of a known length and compiles to a few instructions.
trait Body {
    const OPEN: &'static str;
    const CLOSE: &'static str;
    const ATTR_OPEN: &'static str;
    const ATTR_TAIL: &'static str;
    const ATTR_CLOSE: &'static str;
}

/// `<attributes>` of an `addRequest` (and the tags of the operational attribute).
struct Attributes;

impl Body for Attributes {
    const OPEN: &'static str = "<attributes>";
    const CLOSE: &'static str = "</attributes>";
    const ATTR_OPEN: &'static str = "<attr name=\"";
    const ATTR_TAIL: &'static str = "\">";
    const ATTR_CLOSE: &'static str = "</attr>";
}

/// `<modifications>` of a `modifyRequest`.
struct Modifications;

impl Body for Modifications {
    const OPEN: &'static str = "<modifications>";
    const CLOSE: &'static str = "</modifications>";
    const ATTR_OPEN: &'static str = "<modification name=\"";
    const ATTR_TAIL: &'static str = "\" operation=\"replace\">";
    const ATTR_CLOSE: &'static str = "</modification>";
}

/// One or more attributes between the body's tags.
fn body<B: Body>(c: &mut Cursor<'_>, record: &mut Record) -> Option<()> {
    c.eat(B::OPEN)?;
    c.space();
    let mut any = false;
    while c.eat(B::ATTR_OPEN).is_some() {
        let line = c.line;
        let name = c.name(B::ATTR_TAIL)?;
        values::<B>(c, record.push_attr(name, line)?)?;
        c.space();
        any = true;
    }
    c.eat(B::CLOSE)?;
    c.space();
    any.then_some(())
}

/// One or more values, then the attribute's end tag.
fn values<B: Body>(c: &mut Cursor<'_>, attr: &mut Attr) -> Option<()> {
    let mut any = false;
    loop {
        c.space();
        if c.eat("<value>").is_some() {
            c.text(attr.push_value()?)?;
            c.eat("</value>")?;
        } else if c.eat("<value/>").is_some() {
            attr.push_value()?;
        } else {
            break;
        }
        any = true;
    }
    c.eat(B::ATTR_CLOSE)?;
    any.then_some(())
}

/// XML's whitespace (what the quick-xml path ignores between elements).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A position in one request's text, and the line it is on.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
    /// The line of `at`: newlines are counted as whitespace and text are stepped over.
    line: u64,
}

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    /// Steps over `literal` if it comes next.
    #[inline]
    fn eat(&mut self, literal: &'static str) -> Option<()> {
        self.rest().starts_with(literal).then(|| {
            self.at += literal.len();
        })
    }

    fn space(&mut self) {
        for &b in &self.text.as_bytes()[self.at..] {
            if !is_space(b) {
                break;
            }
            self.line += u64::from(b == b'\n');
            self.at += 1;
        }
    }

    /// An XML attribute's value up to its closing quote, then `tail`; only plain ones (no
    /// reference, no markup character).
    #[inline]
    fn name(&mut self, tail: &'static str) -> Option<&'t str> {
        let rest = self.rest();
        let end = memchr::memchr(b'"', rest.as_bytes())?;
        let name = &rest[..end];
        if name
            .bytes()
            .any(|b| b < b' ' || matches!(b, b'&' | b'<' | b'>'))
        {
            return None;
        }
        self.at += end;
        self.eat(tail)?;
        Some(name)
    }

    /// Text up to the next `<`, appended as the quick-xml path appends it (the five predefined
    /// entities resolved, capped); `None` on any other reference.
    fn text(&mut self, out: &mut String) -> Option<()> {
        loop {
            let rest = self.rest();
            let stop = memchr::memchr3(b'<', b'&', b'\n', rest.as_bytes())?;
            append_capped(out, &rest[..stop]);
            self.at += stop;
            match rest.as_bytes()[stop] {
                b'<' => return Some(()),
                b'\n' => {
                    append_capped(out, "\n");
                    self.at += 1;
                    self.line += 1;
                    continue;
                }
                _ => {}
            }
            let after = &rest[stop + 1..];
            let (name, resolved) = [
                ("lt;", "<"),
                ("gt;", ">"),
                ("amp;", "&"),
                ("apos;", "'"),
                ("quot;", "\""),
            ]
            .into_iter()
            .find(|(name, _)| after.starts_with(name))?;
            append_capped(out, resolved);
            self.at += 1 + name.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &str = "\n<addRequest>\n<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n<identifier><id> 42 </id></identifier>\n<attributes>\n<attr name=\"sn\"><value>A &amp; B</value><value/></attr>\n</attributes>\n</addRequest>\n<addRequest>";

    #[test]
    fn a_regular_record_is_read_with_its_lines() {
        let mut record = Record::default();
        let taken =
            take(RECORD.as_bytes(), 0, 10, &mut record, &mut Memo::default()).expect("regular");
        assert_eq!(&RECORD[taken.len - 13..taken.len], "</addRequest>");
        assert_eq!((record.line, record.category.line), (11, 12));
        assert_eq!(record.id(), Some("42"));
        assert_eq!(record.category.values(), ["Eleve"]);
        let attr = &record.attrs()[0];
        assert_eq!((attr.name.as_str(), attr.line), ("sn", 15));
        assert_eq!(attr.values(), ["A & B", ""]);
    }

    #[test]
    fn a_run_of_irregular_requests_is_searched_once() {
        let run = "<addRequest></addRequest >\n".repeat(1000) + "</addRequest>";
        let mut memo = Memo::default();
        let mut record = Record::default();
        let mut at = 0;
        while at < run.len() - 13 {
            assert!(take(&run.as_bytes()[at..], at as u64, 1, &mut record, &mut memo).is_none());
            // What quick-xml would consume of the irregular request.
            at += "<addRequest></addRequest >\n".len();
            assert_eq!(memo.found, Some((run.len() - 13) as u64));
            assert_eq!(memo.from, 0, "searched again from {at}");
        }
        let mut memo = Memo::default();
        let none = "<addRequest></addRequest >\n".repeat(100);
        assert!(take(none.as_bytes(), 0, 1, &mut record, &mut memo).is_none());
        assert!(take(&none.as_bytes()[27..], 27, 1, &mut record, &mut memo).is_none());
        assert_eq!((memo.from, memo.found), (0, None));
    }

    #[test]
    fn anything_unusual_is_left_to_quick_xml() {
        for (from, to) in [
            ("&amp;", "&#233;"),
            ("&amp;", "&nbsp;"),
            ("<value/>", "<!-- c --><value/>"),
            ("<value/>", "<value><![CDATA[x]]></value>"),
            ("<attr name=\"sn\">", "<attr  name=\"sn\">"),
            ("<attr name=\"sn\">", "<attr name='sn'>"),
            ("<identifier>", "<identifier x=\"1\">"),
            ("<value>A &amp; B</value><value/>", ""),
            ("</addRequest>\n<add", "</addRequest"),
            ("\n<attributes>", "<?pi?><attributes>"),
        ] {
            let mutated = RECORD.replacen(from, to, 1);
            let mut record = Record::default();
            assert!(
                take(mutated.as_bytes(), 0, 1, &mut record, &mut Memo::default()).is_none(),
                "{from} → {to}"
            );
        }
    }
}
