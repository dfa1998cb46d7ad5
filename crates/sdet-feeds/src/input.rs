//! Reading a feed file as a stream of UTF-8, whatever it declares (UTF-8 or ISO-8859-15), in bounded
//! memory. The XML parser (quick-xml) sees only UTF-8, and only through [`Tracker`], which counts
//! lines for findings, flags bytes invalid in UTF-8 and the control characters XML forbids (quick-xml
//! checks neither), and cuts off any single token larger than a limit, so a hostile file can never
//! make the reader buffer grow without bound.

use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::Encoding;

use super::code::Code;
use sdet_core::text::Text;

mod tracker;

pub use tracker::Tracker;

/// Read buffer per file.
const BUFFER: usize = 256 * 1024;
/// Largest single XML token (tag, text run, comment, DOCTYPE) accepted.
pub const MAX_TOKEN: usize = 1024 * 1024;
/// Problems kept per file by the tracker (the first ones; more say nothing new).
pub(crate) const MAX_PROBLEMS: usize = 1000;
/// Progress is reported in steps of this many bytes.
pub(crate) const PROGRESS_STEP: u64 = 4 * 1024 * 1024;

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
    /// What was seen, in French and English.
    pub message: Text,
    /// Its offset in the stream: it is handed over once the reader has passed it, so it lands on
    /// the record being read there.
    pub at: u64,
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

impl OpenError {
    /// The problem in both languages, for a finding or an error.
    pub fn text(&self) -> Text {
        match self {
            OpenError::Io(e) => unreadable(e),
            OpenError::Encoding(encoding) => Text::new(
                format!(
                    "le fichier est en {encoding} ; les fichiers AAF sont en UTF-8 ou ISO-8859-15"
                ),
                format!("the file is in {encoding}; AAF files are UTF-8 or ISO-8859-15"),
            ),
        }
    }
}

/// `impossible de lire le fichier : …`, the finding of a file the system would not read, with
/// its reason in each language.
pub fn unreadable(e: &io::Error) -> Text {
    let why = sdet_core::text::io_reason(e);
    Text::new(
        format!("impossible de lire le fichier : {}", why.fr),
        format!("cannot read the file: {}", why.en),
    )
}

/// Works out a file's encoding from a BOM or the XML declaration; also says where its content
/// starts (after a UTF-8 BOM).
pub fn detect(path: &Path) -> Result<(Declared, u64), OpenError> {
    let mut head = Vec::with_capacity(1024);
    sdet_core::input::open_io(path)?
        .take(1024)
        .read_to_end(&mut head)?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok((UTF8, 3));
    }
    if head.starts_with(&[0xFE, 0xFF]) || head.starts_with(&[0xFF, 0xFE]) {
        return Err(OpenError::Encoding("UTF-16 (byte order mark)".into()));
    }
    let declared = match declared_label(&head) {
        None => UTF8,
        Some(label) => {
            from_label(&label).ok_or_else(|| OpenError::Encoding(format!("`{label}`")))?
        }
    };
    Ok((declared, 0))
}

/// A UTF-8 stream of `len` bytes of the file from `start`, decoded as declared. Single-byte
/// encodings have no multi-byte characters, so any range decodes on its own.
pub fn open(
    path: &Path,
    declared: Declared,
    start: u64,
    len: u64,
) -> io::Result<Box<dyn BufRead + Send>> {
    let mut file = sdet_core::input::open_io(path)?;
    file.seek(SeekFrom::Start(start))?;
    let raw = BufReader::with_capacity(BUFFER, file.take(len));
    Ok(match declared.decoder {
        None => Box::new(raw),
        Some(encoding) => Box::new(BufReader::with_capacity(
            BUFFER,
            Transcoder {
                inner: raw,
                decoder: encoding.new_decoder_without_bom_handling(),
                finished: false,
            },
        )),
    })
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
    /// The decoder was told the input ended: it must not be called again (it panics), and every
    /// later read is the end again.
    finished: bool,
}

impl<R: BufRead> Read for Transcoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // A character of these encodings is at most 3 bytes of UTF-8: with less room than that the
        // decoder could make no progress, and 0 would read as the end of the file.
        if out.len() < 4 {
            return Err(io::Error::other("read buffer too small to transcode"));
        }
        if self.finished {
            return Ok(0);
        }
        let src = self.inner.fill_buf()?;
        let last = src.is_empty();
        self.finished = last;
        // ISO-8859-x has no malformed input (every byte is a character), so replacements never happen.
        let (_, read, written, _) = self.decoder.decode_to_utf8(src, out, last);
        self.inner.consume(read);
        Ok(written)
    }
}
