//! The one place reconciliation touches the feed reader: it opens each file of an export the way
//! `feeds check` does (encoding from the XML declaration, the same defensive streaming scanner) and
//! hands every record to a closure. Only the scanner's `Handler`/`Record` surface is used, so the
//! reader's internals can change freely.

use std::path::{Path, PathBuf};

use sdet_core::text::Text;

use crate::finding::Findings;
use crate::input::{self, Tracker};
use crate::record::Record;
use crate::scan::{self, Fragment, Handler, Header};
use crate::{FeedsError, Progress, set};

/// What reading the files showed of their health.
#[derive(Debug, Default, Clone, Copy)]
pub struct Health {
    /// Files read.
    pub files: u64,
    /// Records seen.
    pub records: u64,
    /// Whether the reader met error-level problems (malformed XML, bad encoding…): `feeds check`
    /// says which.
    pub problems: bool,
}

/// Why an export could not be read; `Display` in the language errors are shown in.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The folder or a file could not be listed or opened.
    #[error(transparent)]
    Feeds(#[from] FeedsError),
    /// A file could not be opened for reading.
    #[error("{}", self.text().shown())]
    File {
        /// Which file.
        path: PathBuf,
        /// Why, in both languages.
        why: Text,
    },
}

impl ReadError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            ReadError::Feeds(e) => e.text(),
            ReadError::File { path, why } => why.about(path.display()),
        }
    }
}

/// Calls `each` on every record of every `.xml` file of the export (files as given, folders as
/// their `.xml` files).
pub fn for_each_record(
    paths: &[PathBuf],
    progress: &dyn Progress,
    each: &mut dyn FnMut(&Record),
) -> Result<Health, ReadError> {
    let mut health = Health::default();
    let files = set::expand(paths)?;
    progress.start(files.iter().map(|f| f.size).sum());
    for file in files {
        let mut findings = Findings::default();
        let records = read_file(&file.path, file.size, progress, each, &mut findings)?;
        health.files += 1;
        health.records += records;
        health.problems |= findings.has_errors();
    }
    progress.finish();
    Ok(health)
}

fn read_file(
    path: &Path,
    size: u64,
    progress: &dyn Progress,
    each: &mut dyn FnMut(&Record),
    findings: &mut Findings,
) -> Result<u64, ReadError> {
    let fail = |why: Text| ReadError::File {
        path: path.to_path_buf(),
        why,
    };
    let (declared, start) = input::detect(path).map_err(|e| fail(e.text()))?;
    let reader = input::open(path, declared, start, size.saturating_sub(start))
        .map_err(|e| fail(sdet_core::text::io_reason(&e)))?;
    let mut handler = Visitor { each };
    let summary = scan::scan(
        Tracker::new(reader, progress),
        Fragment::whole(),
        &mut handler,
        findings,
    );
    Ok(summary.records)
}

struct Visitor<'a> {
    each: &'a mut dyn FnMut(&Record),
}

impl Handler for Visitor<'_> {
    fn start(&mut self, _: &Header, _: &mut Findings) {}

    fn record(&mut self, record: &Record, _: &mut Findings) {
        (self.each)(record);
    }
}
