//! An export folder checked as a stream, in two passes, so that memory does not grow with the
//! export: the first pass reads every file in name order, keeping of each its root (kind,
//! namespace, version, or why it cannot be read) and adding what its records define to the
//! compact [`Index`]; the second reads them again, on every core, checking each record against
//! the index as it goes and keeping only findings. No record outlives its own read.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::index::{Definition, Index};
use super::reader::{self, FileData, ReadError};
use super::references::{self, Firsts, Pass};
use super::{GarFinding, naming};

/// One file: its path, its name, and its root as the reader made it out (records not kept).
#[derive(Debug)]
pub struct FileRead {
    /// Where it is.
    pub path: PathBuf,
    /// Its name.
    pub name: String,
    /// Its root, or why it could not be read, and at which line.
    pub data: Result<FileData, (ReadError, u64)>,
}

/// A file the cross-file rules could not read to its end.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// Its name.
    pub name: String,
    /// Where reading stopped.
    pub line: u64,
    /// Why.
    pub why: ReadError,
}

/// The cross-file rules' findings, and how many records they read.
#[derive(Debug)]
pub struct Rules {
    /// Naming, then duplicates, the export as a whole, then each file's references.
    pub findings: Vec<GarFinding>,
    /// Records in the export.
    pub records: usize,
}

/// The export, checked.
#[derive(Debug)]
pub struct Checked {
    /// Its XML files, in name order.
    pub files: Vec<FileRead>,
    /// The cross-file rules, or the first file that stopped them.
    pub rules: Result<Rules, Unreadable>,
}

/// Why the folder could not be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder or one of its files could not be opened.
    #[error("{0}")]
    Io(String),
}

/// Checks the XML files of `folder` with up to `workers` threads for the second pass.
pub fn check(folder: &Path, workers: usize) -> Result<Checked, FolderError> {
    let paths = super::export_files(folder).map_err(|e| FolderError::Io(e.to_string()))?;
    let mut index = Index::default();
    let mut records = 0;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = sdet_core::input::open(&path).map_err(|e| FolderError::Io(e.to_string()))?;
        let data = reader::read_each(BufReader::with_capacity(1 << 16, file), |record| {
            index.add(record);
            records += 1;
        });
        if let Ok(data) = &data {
            index.note_root(&data.root);
        }
        files.push(FileRead { path, name, data });
    }
    let first_unreadable = files.iter().find_map(|f| {
        f.data.as_ref().err().map(|(why, line)| Unreadable {
            name: f.name.clone(),
            line: *line,
            why: why.clone(),
        })
    });
    if let Some(unreadable) = first_unreadable {
        return Ok(Checked {
            files,
            rules: Err(unreadable),
        });
    }
    let readable: Vec<(&str, &FileData)> = files
        .iter()
        .filter_map(|f| f.data.as_ref().ok().map(|d| (f.name.as_str(), d)))
        .collect();
    let mut findings = naming::check(&readable);
    let rules = second_pass(&files, &index, workers).map(|passes| {
        let mut firsts = Firsts::default();
        let mut others = Vec::new();
        for ((found, hits), file) in passes.into_iter().zip(&files) {
            findings.extend(firsts.resolve(&file.name, hits));
            others.extend(found);
        }
        let roots = readable.iter().map(|(_, d)| d.root.as_str());
        findings.extend(references::export(&index, roots));
        findings.extend(others);
        Rules { findings, records }
    });
    Ok(Checked { files, rules })
}

/// One file's second pass: its findings and its definitions of duplicated identifiers.
type Passed = (Vec<GarFinding>, Vec<(Definition, u64)>);

/// Reads every file again, `workers` at a time, and returns each one's pass in file order.
fn second_pass(
    files: &[FileRead],
    index: &Index,
    workers: usize,
) -> Result<Vec<Passed>, Unreadable> {
    // A thread that panicked: say so rather than judge part of the export.
    let stopped = || Unreadable {
        name: String::new(),
        line: 0,
        why: ReadError::Malformed("the second pass stopped".into()),
    };
    super::in_parallel(files, workers, |file| pass(file, index))
        .ok_or_else(stopped)?
        .into_iter()
        .collect()
}

fn pass(file: &FileRead, index: &Index) -> Result<Passed, Unreadable> {
    let unreadable = |why, line| Unreadable {
        name: file.name.clone(),
        line,
        why,
    };
    let source = sdet_core::input::open(&file.path)
        .map_err(|e| unreadable(ReadError::Malformed(e.to_string()), 0))?;
    let mut pass = Pass::new(&file.name, index);
    reader::read_each(BufReader::with_capacity(1 << 16, source), |record| {
        pass.record(record);
    })
    .map_err(|(why, line)| unreadable(why, line))?;
    Ok(pass.finish())
}
