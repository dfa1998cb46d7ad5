//! One export checked as a set. References only point one way between kinds (people → structures,
//! subjects, MEFs; pupils → parents), so the files are read in three phases — structures, subjects
//! and MEFs; then parents and staff; then pupils — and each reference is checked against the
//! finished sets of earlier phases as it streams past, keeping only identifiers in memory. Within a
//! phase the files run in parallel on every core, largest first.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::code::Code;
use super::finding::Findings;
use super::input::{self, OpenError, Tracker};
use super::kind::{Degree, Kind, Mode};
use super::links::{Availability, Known};
use super::rules::{self, FileChecker, Pending, Registry};
use super::scan::{self, Header};
use super::{FeedsError, Progress};

/// Bytes looked at to find a file's kind when its name does not say.
const SNIFF: u64 = 64 * 1024;

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
        let io = |source| FeedsError::Path {
            path: path.clone(),
            source,
        };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                })
                .collect();
            if found.is_empty() {
                return Err(FeedsError::NoFiles { path: path.clone() });
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
    files.dedup_by(|a, b| a.path == b.path);
    Ok(files)
}

/// Checks the files as one set; outcomes come back in input order.
pub fn check(files: &[Input], progress: &dyn Progress) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = files.iter().map(|f| kind_of(&f.path)).collect();
    let mut known = Known::default();
    for phase in 0..=2 {
        let chosen: Vec<usize> = (0..files.len())
            .filter(|&i| outcomes[i].kind.is_some_and(|k| rules::phase(k) == phase))
            .collect();
        let registry = Registry::default();
        let results = run_phase(files, &chosen, &outcomes, &known, &registry, progress);
        for (i, outcome) in results {
            outcomes[i] = outcome;
        }
        absorb(&mut known, registry, phase, &outcomes);
    }
    for outcome in &mut outcomes {
        let mut noted = std::collections::HashSet::new();
        for reference in std::mem::take(&mut outcome.pending) {
            rules::resolve(&known, &reference, &mut noted, &mut outcome.findings);
        }
    }
    outcomes
}

fn run_phase(
    files: &[Input],
    chosen: &[usize],
    outcomes: &[Outcome],
    known: &Known,
    registry: &Registry,
    progress: &dyn Progress,
) -> Vec<(usize, Outcome)> {
    let mut order = chosen.to_vec();
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].size));
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(order.len()));
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(order.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    // Start from the findings kind detection made.
                    let mut outcome = Outcome {
                        kind: outcomes[i].kind,
                        findings: outcomes[i].findings.clone(),
                        ..Outcome::default()
                    };
                    check_file(&files[i].path, &mut outcome, known, registry, progress);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, outcome));
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

fn check_file(
    path: &Path,
    outcome: &mut Outcome,
    known: &Known,
    registry: &Registry,
    progress: &dyn Progress,
) {
    let Some(kind) = outcome.kind else { return };
    let findings = &mut outcome.findings;
    let (declared, reader) = match input::open(path) {
        Ok(opened) => opened,
        Err(OpenError::Io(e)) => {
            findings.push(Code::Io, None, None, || {
                format!("cannot read the file: {e}")
            });
            return;
        }
        Err(e @ OpenError::Encoding(_)) => {
            findings.push(Code::UnsupportedEncoding, Some(1), None, || e.to_string());
            return;
        }
    };
    outcome.encoding = Some(declared.label);
    let mut checker = FileChecker::new(kind, known, registry);
    let summary = scan::scan(Tracker::new(reader, progress), &mut checker, findings);
    checker.finish(findings);
    outcome.degree = checker.degree();
    outcome.mode = Some(summary.mode());
    outcome.records = summary.records;
    outcome.header = summary.header;
    outcome.pending = std::mem::take(&mut checker.pending);
}

/// Moves what a phase built into what later phases look up, and notes each kind's availability.
fn absorb(known: &mut Known, registry: Registry, phase: u8, outcomes: &[Outcome]) {
    let Registry { structures, ids } = registry;
    for (kind, set) in Kind::ALL.into_iter().zip(ids) {
        if rules::phase(kind) != phase {
            continue;
        }
        let files: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == Some(kind)).collect();
        let availability = if files.is_empty() {
            Availability::Absent
        } else if files.iter().any(|o| o.mode == Some(Mode::Incremental)) {
            Availability::Incremental
        } else {
            Availability::Full
        };
        known.set_availability(kind, availability);
        let set = set.into_inner().unwrap_or_default();
        match kind {
            Kind::MatiereEducNat => known.subjects = set,
            Kind::MefEducNat => known.mefs = set,
            Kind::PersRelEleve => known.parents = set,
            Kind::Eleve => known.pupils = set,
            Kind::EtabEducNat | Kind::PersEducNat => {}
        }
    }
    if phase == rules::phase(Kind::EtabEducNat) {
        known.structures = structures.into_inner().unwrap_or_default();
    }
}

/// The kind of a file, from its name or else its first operational attribute.
fn kind_of(path: &Path) -> Outcome {
    let mut outcome = Outcome::default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let by_name = Kind::from_file_name(&name);
    let by_content = sniff(path);
    outcome.kind = by_name.or(by_content);
    match (by_name, by_content) {
        (None, Some(kind)) => outcome.findings.push(Code::FileName, None, None, || {
            format!("`{name}` holds {} records but importers select files named `…{}_NNNN.xml`", kind.name(), kind.name())
        }),
        (None, None) => outcome.findings.push(Code::UnknownKind, None, None, || {
            format!("`{name}`: neither its name nor its first records say which kind of AAF file it is; not checked")
        }),
        _ => {}
    }
    outcome
}

/// The kind named by the first `operationalAttributes` in the file's first bytes.
fn sniff(path: &Path) -> Option<Kind> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(SNIFF)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(&head);
    let start = text.find("<operationalAttributes")?;
    let rest = &text[start..];
    let name_at = rest.find("name=")? + "name=".len();
    let quote = rest[name_at..].chars().next()?;
    let name_rest = &rest[name_at + 1..];
    let name = &name_rest[..name_rest.find(quote)?];
    let value_at = rest.find("<value>")? + "<value>".len();
    let value = &rest[value_at..value_at + rest[value_at..].find('<')?];
    Kind::from_category(name, value.trim())
}
