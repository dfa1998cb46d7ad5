//! Large files are checked in pieces, in parallel: a file is cut between two records (just after a
//! request's end tag, where only whitespace and the next request can follow), each piece is read
//! by its own scanner, and the pieces' results are put back together in order — findings and
//! pending references moved down by the lines of the pieces before them.

use std::io::Read;
use std::path::Path;

use super::super::Progress;
use super::super::code::Code;
use super::super::finding::Findings;
use super::super::input::{self, Declared, Tracker};
use super::super::kind::{Degree, Kind};
use super::super::links::Known;
use super::super::rules::{FileChecker, Pending, Registry};
use super::super::scan::{self, Fragment, Header, Summary};

/// Files under twice this size are read whole.
pub const MIN_PIECE: u64 = 4 * 1024 * 1024;
/// The largest piece: a piece read ahead of its turn keeps its identifiers until the pieces before
/// it are registered (see `rules::sequence`), so pieces stay small whatever the file's size.
const MAX_PIECE: u64 = 32 * 1024 * 1024;
/// Pieces per worker: enough that when one core is slowed (by another process, or a piece that
/// checks slower) the other takes more pieces, and the phase does not wait long on the last one.
const PIECES_PER_WORKER: u64 = 8;
/// Bytes searched for a record boundary after a cut point.
const WINDOW: u64 = 256 * 1024;

/// A byte range of a file, read by one scanner.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Which file (index in the set).
    pub file: usize,
    /// Its rank in the file.
    pub index: usize,
    /// First byte.
    pub start: u64,
    /// Length.
    pub len: u64,
    /// Whether it ends the file.
    pub last: bool,
}

/// What one piece produced.
#[derive(Debug, Default)]
pub struct PieceOutcome {
    /// Findings, lines counted from the piece's start.
    pub findings: Findings,
    /// What the scan saw.
    pub summary: Summary,
    /// The degree it was read as.
    pub degree: Option<Degree>,
    /// References waiting for the end of the set.
    pub pending: Vec<Pending>,
}

/// Cuts a file into pieces for `workers` threads: about [`PIECES_PER_WORKER`] per worker, none under
/// `min_piece` (normally [`MIN_PIECE`]), each cut moved forward to the next record boundary.
pub fn plan(
    file: usize,
    path: &Path,
    start: u64,
    size: u64,
    splittable: bool,
    workers: usize,
    min_piece: u64,
) -> Vec<Piece> {
    let mut cuts = vec![start];
    if splittable && workers > 1 && size >= 2 * min_piece {
        let target = (size / (PIECES_PER_WORKER * workers as u64))
            .min(MAX_PIECE)
            .max(min_piece);
        let count = size.div_ceil(target);
        for k in 1..count {
            if let Some(cut) = boundary_after(path, size * k / count)
                && cut > *cuts.last().unwrap_or(&0)
                && cut < size
            {
                cuts.push(cut);
            }
        }
    }
    cuts.iter()
        .enumerate()
        .map(|(index, &from)| {
            let to = cuts.get(index + 1).copied().unwrap_or(size);
            Piece {
                file,
                index,
                start: from,
                len: to - from,
                last: index + 1 == cuts.len(),
            }
        })
        .collect()
}

/// The offset just after the first request end tag at or after `from` that is followed by
/// another request or the root's end.
fn boundary_after(path: &Path, from: u64) -> Option<u64> {
    use std::io::{Seek, SeekFrom};
    let mut file = sdet_core::input::open_io(path).ok()?;
    file.seek(SeekFrom::Start(from)).ok()?;
    let mut window = Vec::new();
    file.take(WINDOW).read_to_end(&mut window).ok()?;
    for at in memchr::memmem::find_iter(&window, b"Request>") {
        let before = &window[..at];
        if !(before.ends_with(b"</add")
            || before.ends_with(b"</modify")
            || before.ends_with(b"</delete"))
        {
            continue;
        }
        let end = at + b"Request>".len();
        let next = window[end..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|i| &window[end + i..]);
        let follows = next.is_some_and(|n| {
            [
                &b"<addRequest"[..],
                b"<modifyRequest",
                b"<deleteRequest",
                b"</ficAlimMENESR",
            ]
            .iter()
            .any(|tag| n.starts_with(tag))
        });
        if follows {
            return Some(from + end as u64);
        }
    }
    None
}

/// What a piece needs to be checked.
pub struct Context<'a> {
    /// The file.
    pub path: &'a Path,
    /// Its kind.
    pub kind: Kind,
    /// Its encoding.
    pub declared: Declared,
    /// Its header comments, for pieces after the first.
    pub header: &'a Header,
    /// Earlier phases' identifiers.
    pub known: &'a Known,
    /// This phase's identifiers.
    pub registry: &'a Registry,
    /// Where progress goes.
    pub progress: &'a dyn Progress,
    /// Whether the fast path reads regular records.
    pub fast: bool,
}

/// Checks one piece.
pub fn check(piece: &Piece, cx: &Context<'_>) -> PieceOutcome {
    let mut outcome = PieceOutcome::default();
    let reader = match input::open(cx.path, cx.declared, piece.start, piece.len) {
        Ok(reader) => reader,
        Err(e) => {
            outcome
                .findings
                .push(Code::Io, None, None, || crate::input::unreadable(&e));
            return outcome;
        }
    };
    let first = piece.index == 0;
    // Later pieces start inside the root: give the XML reader its start tag (no newline, so the
    // piece's lines are unchanged).
    let reader: Box<dyn std::io::BufRead + Send> = if first {
        reader
    } else {
        Box::new(std::io::Cursor::new(&b"<ficAlimMENESR>"[..]).chain(reader))
    };
    let fragment = Fragment {
        first,
        last: piece.last,
        header: if first {
            Header::default()
        } else {
            cx.header.clone()
        },
        fast: cx.fast,
    };
    let mut checker = FileChecker::new(cx.kind, (piece.file, piece.index), cx.known, cx.registry);
    let findings = &mut outcome.findings;
    outcome.summary = scan::scan(
        Tracker::new(reader, cx.progress),
        fragment,
        &mut checker,
        findings,
    );
    checker.finish();
    outcome.degree = checker.degree();
    outcome.pending = std::mem::take(&mut checker.pending);
    outcome
}
