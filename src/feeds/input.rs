//! Reading a feed file as a stream of UTF-8, whatever it declares (UTF-8 or ISO-8859-15), in bounded
//! memory. The XML parser (quick-xml) sees only UTF-8, and only through [`Tracker`], which counts
//! lines for findings, flags bytes invalid in UTF-8 and the control characters XML forbids (quick-xml
//! checks neither), and cuts off any single token larger than a limit, so a hostile file can never
//! make the reader buffer grow without bound.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use encoding_rs::Encoding;

use super::Progress;
use super::code::Code;

/// Read buffer per file.
const BUFFER: usize = 256 * 1024;
/// Largest single XML token (tag, text run, comment, DOCTYPE) accepted.
pub const MAX_TOKEN: usize = 1024 * 1024;
/// Problems kept per file by the tracker (the first ones; more say nothing new).
const MAX_PROBLEMS: usize = 1000;
/// Progress is reported in steps of this many bytes.
const PROGRESS_STEP: u64 = 4 * 1024 * 1024;

/// How a file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declared {
    /// The name reported (`UTF-8`, `ISO-8859-15`, `ISO-8859-1`).
    pub label: &'static str,
    /// The decoder, or `None` for UTF-8 (read as is).
    pub decoder: Option<&'static Encoding>,
}

/// A problem the byte layer saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteProblem {
    /// Its code.
    pub code: Code,
    /// 1-based line.
    pub line: u64,
    /// What was seen.
    pub message: String,
}

/// Why a file could not be opened for reading.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file system refused.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// An encoding the reader does not read.
    #[error("the file is in {0}; AAF files are UTF-8 or ISO-8859-15")]
    Encoding(String),
}

/// Opens a file and works out its encoding from a BOM or the XML declaration.
pub fn open(path: &Path) -> Result<(Declared, Box<dyn BufRead + Send>), OpenError> {
    let mut raw = BufReader::with_capacity(BUFFER, File::open(path)?);
    let head = raw.fill_buf()?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        raw.consume(3);
        return Ok((UTF8, Box::new(raw)));
    }
    if head.starts_with(&[0xFE, 0xFF]) || head.starts_with(&[0xFF, 0xFE]) {
        return Err(OpenError::Encoding("UTF-16 (byte order mark)".into()));
    }
    let declared = match declared_label(head) {
        None => UTF8,
        Some(label) => {
            from_label(&label).ok_or_else(|| OpenError::Encoding(format!("`{label}`")))?
        }
    };
    match declared.decoder {
        None => Ok((declared, Box::new(raw))),
        Some(encoding) => Ok((
            declared,
            Box::new(BufReader::with_capacity(
                BUFFER,
                Transcoder {
                    inner: raw,
                    decoder: encoding.new_decoder_without_bom_handling(),
                },
            )),
        )),
    }
}

const UTF8: Declared = Declared {
    label: "UTF-8",
    decoder: None,
};

fn from_label(label: &str) -> Option<Declared> {
    let encoding = Encoding::for_label(label.as_bytes())?;
    if encoding == encoding_rs::UTF_8 {
        Some(UTF8)
    } else if encoding == encoding_rs::ISO_8859_15 {
        Some(Declared {
            label: "ISO-8859-15",
            decoder: Some(encoding),
        })
    } else if encoding == encoding_rs::WINDOWS_1252 {
        // WHATWG reads ISO-8859-1 as windows-1252; they differ only in C1 controls.
        Some(Declared {
            label: "ISO-8859-1",
            decoder: Some(encoding),
        })
    } else {
        None
    }
}

/// The `encoding` pseudo-attribute of an XML declaration at the start of `head`.
fn declared_label(head: &[u8]) -> Option<String> {
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    let decl = std::str::from_utf8(&decl[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_owned())
}

/// Decodes a single-byte encoding to UTF-8 as it is read.
struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
}

impl<R: BufRead> Read for Transcoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // A character of these encodings is at most 3 bytes of UTF-8: with less room than that the
        // decoder could make no progress, and 0 would read as the end of the file.
        if out.len() < 4 {
            return Err(io::Error::other("read buffer too small to transcode"));
        }
        let src = self.inner.fill_buf()?;
        let last = src.is_empty();
        // ISO-8859-x has no malformed input (every byte is a character), so replacements never happen.
        let (_, read, written, _) = self.decoder.decode_to_utf8(src, out, last);
        self.inner.consume(read);
        Ok(written)
    }
}

/// Wraps the UTF-8 stream quick-xml reads: counts lines, validates bytes, enforces the token limit.
pub struct Tracker<'p, R> {
    inner: R,
    state: State<'p>,
}

/// What the tracker learns from the bytes, apart from the reader so both can be borrowed at once.
struct State<'p> {
    /// 1-based line of the next byte to be consumed.
    line: u64,
    carry: [u8; 4],
    carry_len: usize,
    since_mark: usize,
    over_limit: bool,
    problems: Vec<ByteProblem>,
    unreported: u64,
    progress: &'p dyn Progress,
}

impl<'p, R: BufRead> Tracker<'p, R> {
    /// Starts tracking a stream.
    pub fn new(inner: R, progress: &'p dyn Progress) -> Self {
        let state = State {
            line: 1,
            carry: [0; 4],
            carry_len: 0,
            since_mark: 0,
            over_limit: false,
            problems: Vec::new(),
            unreported: 0,
            progress,
        };
        Tracker { inner, state }
    }

    /// The line the last consumed byte is on.
    pub fn line(&self) -> u64 {
        self.state.line
    }

    /// Starts a new token: the size limit counts from here.
    pub fn mark(&mut self) {
        self.state.since_mark = 0;
    }

    /// Whether reading stopped on a token over [`MAX_TOKEN`].
    pub fn over_limit(&self) -> bool {
        self.state.over_limit
    }

    /// Takes the problems seen so far.
    pub fn take_problems(&mut self) -> Vec<ByteProblem> {
        std::mem::take(&mut self.state.problems)
    }

    /// At the end of the stream: a multi-byte sequence cut short is a problem too.
    pub fn finish(&mut self) {
        let state = &mut self.state;
        if state.carry_len > 0 {
            state.carry_len = 0;
            state.problem(
                Code::Encoding,
                state.line,
                "the file ends inside a UTF-8 sequence".into(),
            );
        }
        state
            .progress
            .advance(std::mem::take(&mut state.unreported));
    }
}

impl State<'_> {
    fn problem(&mut self, code: Code, line: u64, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(ByteProblem {
                code,
                line,
                message,
            });
        }
    }

    fn consumed(&mut self, bytes: &[u8]) {
        self.validate_utf8(bytes);
        for (i, chunk) in bytes.chunks(64).enumerate() {
            // Branch-free over the chunk so it vectorises; the slow path runs only on a hit.
            let bad = chunk.iter().fold(0u8, |acc, &b| {
                acc | (u8::from(b < 0x20)
                    & u8::from(b != b'\t')
                    & u8::from(b != b'\n')
                    & u8::from(b != b'\r'))
            });
            if bad != 0 {
                self.control_chars(bytes, i * 64, chunk);
            }
        }
        self.line += newlines(bytes);
        self.since_mark += bytes.len();
        self.unreported += bytes.len() as u64;
        if self.unreported >= PROGRESS_STEP {
            self.progress.advance(std::mem::take(&mut self.unreported));
        }
    }

    #[cold]
    fn control_chars(&mut self, bytes: &[u8], start: usize, chunk: &[u8]) {
        for (j, &b) in chunk.iter().enumerate() {
            if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
                let line = self.line + newlines(&bytes[..start + j]);
                self.problem(
                    Code::ControlChar,
                    line,
                    format!("control character U+{b:04X}, which XML 1.0 forbids"),
                );
            }
        }
    }

    fn validate_utf8(&mut self, whole: &[u8]) {
        let mut bytes = whole;
        if self.carry_len > 0 {
            let total = utf8_len(self.carry[0]);
            let take = (total - self.carry_len).min(bytes.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&bytes[..take]);
            self.carry_len += take;
            if self.carry_len < total {
                return;
            }
            self.carry_len = 0;
            if std::str::from_utf8(&self.carry[..total]).is_ok() {
                bytes = &bytes[take..];
            } else {
                self.problem(
                    Code::Encoding,
                    self.line,
                    "a UTF-8 sequence is cut by an invalid byte".into(),
                );
            }
        }
        while let Err(e) = std::str::from_utf8(bytes) {
            let valid = e.valid_up_to();
            let Some(len) = e.error_len() else {
                let tail = &bytes[valid..];
                self.carry[..tail.len()].copy_from_slice(tail);
                self.carry_len = tail.len();
                return;
            };
            let offset = whole.len() - bytes.len() + valid;
            let line = self.line + newlines(&whole[..offset]);
            let shown: Vec<String> = bytes[valid..valid + len]
                .iter()
                .map(|b| format!("{b:#04X}"))
                .collect();
            self.problem(
                Code::Encoding,
                line,
                format!("byte(s) {} are not valid UTF-8", shown.join(" ")),
            );
            bytes = &bytes[valid + len..];
        }
    }
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

impl<R: BufRead> Read for Tracker<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracker<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.state.since_mark > MAX_TOKEN {
            self.state.over_limit = true;
            return Err(io::Error::other(format!("a token over {MAX_TOKEN} bytes")));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        // `consume` only follows a `fill_buf` that returned at least `amt` bytes, still buffered:
        // asking for them again performs no read.
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.state.consumed(&buf[..n]);
        }
        self.inner.consume(amt);
    }
}
