//! One export checked as a set. References only point one way between kinds (people → structures,
//! subjects, MEFs; pupils → parents), so the files are read in three phases — structures, subjects
//! and MEFs; then parents and staff; then pupils — and each reference is checked against the
//! finished sets of earlier phases as it streams past, keeping only identifiers in memory. Within a
//! phase the files — large ones cut into pieces — run in parallel on every core, largest first.

mod merge;
mod piece;
mod sniff;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::code::Code;
use super::finding::Findings;
use super::input::{self, Declared, OpenError};
use super::kind::{Degree, Kind, Mode};
use super::links::Known;
use super::rules::{self, Pending, Registry};
use super::scan::Header;
use super::{FeedsError, Progress};
use merge::{absorb, merge_phase};
use piece::{Piece, PieceOutcome};
use sniff::Head;

/// A file of the set, as found.
#[derive(Debug)]
pub struct Input {
    /// Where it is.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// What checking one file produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Its kind, when known.
    pub kind: Option<Kind>,
    /// Declared encoding.
    pub encoding: Option<&'static str>,
    /// Degree read as.
    pub degree: Option<Degree>,
    /// Full or incremental.
    pub mode: Option<Mode>,
    /// Requests seen.
    pub records: u64,
    /// Header comments.
    pub header: Header,
    /// Findings.
    pub findings: Findings,
    pending: Vec<Pending>,
}

/// Lists the files of the set: files as given, folders as their `.xml` files (sorted).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, FeedsError> {
    let mut files = Vec::new();
    for path in paths {
        let io = |cause| FeedsError::Path {
            path: path.clone(),
            cause,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut found = xml_files(path).map_err(io)?;
            if found.is_empty() {
                let mut subfolders: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(io)?
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.is_dir() && xml_files(p).is_ok_and(|f| !f.is_empty()))
                    .collect();
                subfolders.sort();
                return Err(FeedsError::NoFiles {
                    path: path.clone(),
                    subfolders,
                });
            }
            found.sort();
            for p in found {
                let size = std::fs::metadata(&p).map_or(0, |m| m.len());
                files.push(Input { path: p, size });
            }
        } else {
            files.push(Input {
                path: path.clone(),
                size: meta.len(),
            });
        }
    }
    // A file given twice (alone and through its folder) is one file of the set.
    let mut seen = std::collections::HashSet::new();
    files
        .retain(|f| seen.insert(std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())));
    Ok(files)
}

/// How the work is cut: threads, and the smallest piece a file is cut into.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Threads.
    pub workers: usize,
    /// Files under twice this size are read whole.
    pub min_piece: u64,
    /// Whether regular records are read by the fast path (tests turn it off to compare).
    pub fast: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            workers: std::thread::available_parallelism().map_or(1, usize::from),
            min_piece: piece::MIN_PIECE,
            fast: true,
        }
    }
}

/// How many pieces a file would be cut into (tests check that cutting happens).
pub fn piece_count(input: &Input, tuning: Tuning) -> usize {
    let head = sniff::head(&input.path);
    piece::plan(
        0,
        &input.path,
        0,
        input.size,
        head.splittable,
        tuning.workers,
        tuning.min_piece,
    )
    .len()
}

/// The `.xml` entries directly in `folder`, folders aside. FIFOs, devices, sockets and broken or
/// looping symlinks are kept: opening them fails with a finding that names what they are
/// (`input::open` never blocks), where leaving them out would hide a file from the check.
fn xml_files(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !p.is_dir() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
        .collect())
}

/// Checks the files as one set; outcomes come back in input order.
pub fn check(files: &[Input], progress: &dyn Progress) -> Vec<Outcome> {
    check_tuned(files, progress, Tuning::default())
}

/// [`check`], with the work cut as told (tests cut small files into many pieces).
pub fn check_tuned(files: &[Input], progress: &dyn Progress, tuning: Tuning) -> Vec<Outcome> {
    let workers = tuning.workers.max(1);
    let mut heads: Vec<Head> = files.iter().map(|f| sniff::head(&f.path)).collect();
    let mut outcomes: Vec<Outcome> = heads
        .iter_mut()
        .map(|h| Outcome {
            kind: h.kind,
            findings: std::mem::take(&mut h.findings),
            ..Outcome::default()
        })
        .collect();
    let encodings: Vec<Option<(Declared, u64)>> = files
        .iter()
        .zip(&mut outcomes)
        .map(|(file, outcome)| {
            outcome.kind?;
            match input::detect(&file.path) {
                Ok(found) => Some(found),
                Err(e @ OpenError::Io(_)) => {
                    outcome.findings.push(Code::Io, None, None, || e.text());
                    None
                }
                Err(e @ OpenError::Encoding(_)) => {
                    outcome
                        .findings
                        .push(Code::UnsupportedEncoding, Some(1), None, || e.text());
                    None
                }
            }
        })
        .collect();
    let mut known = Known::default();
    for phase in 0..=2 {
        let mut pieces: Vec<Piece> = Vec::new();
        for (i, file) in files.iter().enumerate() {
            let (Some(kind), Some((_, start))) = (outcomes[i].kind, encodings[i]) else {
                continue;
            };
            if rules::phase(kind) == phase {
                pieces.extend(piece::plan(
                    i,
                    &file.path,
                    start,
                    file.size,
                    heads[i].splittable,
                    workers,
                    tuning.min_piece,
                ));
            }
        }
        let registry = Registry::new(
            pieces
                .iter()
                .filter_map(|p| Some((outcomes[p.file].kind?, (p.file, p.index)))),
        );
        let results = run_phase(
            files, pieces, &outcomes, &encodings, &heads, &known, &registry, progress, tuning,
        );
        let duplicates = registry.duplicates();
        merge_phase(&mut outcomes, &encodings, results, duplicates);
        absorb(&mut known, registry, phase, &outcomes);
    }
    for outcome in &mut outcomes {
        let mut noted = std::collections::HashSet::new();
        for reference in std::mem::take(&mut outcome.pending) {
            rules::resolve(
                &known,
                &reference.reference(),
                &mut noted,
                &mut outcome.findings,
            );
        }
    }
    outcomes
}

#[allow(clippy::too_many_arguments)] // one call site; bundling them would only move the list
fn run_phase(
    files: &[Input],
    mut pieces: Vec<Piece>,
    outcomes: &[Outcome],
    encodings: &[Option<(Declared, u64)>],
    heads: &[Head],
    known: &Known,
    registry: &Registry,
    progress: &dyn Progress,
    tuning: Tuning,
) -> Vec<(Piece, PieceOutcome)> {
    // Biggest files first (the long jobs start early), and a file's pieces in order: identifiers
    // are registered in file order, so a piece read far ahead of its turn would keep its list.
    pieces.sort_by_key(|p| (std::cmp::Reverse(files[p.file].size), p.file, p.index));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(pieces.len()));
    std::thread::scope(|scope| {
        for _ in 0..tuning.workers.max(1).min(pieces.len()) {
            scope.spawn(|| {
                while let Some(p) = pieces.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let (Some(kind), Some((declared, _))) =
                        (outcomes[p.file].kind, encodings[p.file])
                    else {
                        continue;
                    };
                    let cx = piece::Context {
                        path: &files[p.file].path,
                        kind,
                        declared,
                        header: &heads[p.file].header,
                        known,
                        registry,
                        progress,
                        fast: tuning.fast,
                    };
                    let result = piece::check(p, &cx);
                    if let Ok(mut r) = results.lock() {
                        r.push((p.clone(), result));
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}
