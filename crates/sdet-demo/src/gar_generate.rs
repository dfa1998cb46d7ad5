//! A synthetic GAR 2D export of any number of pupils, for the benchmark (`bench/gar.sh`) and the
//! tests of the GAR checks at scale. It has the shape of an ENT's full export (gar-connector):
//! structures of 500 pupils with their MEFs, subjects, divisions and groups; pupils with their MEF,
//! a taught subject and their division; one parent per pupil; a teacher per 12 pupils teaching a
//! subject to a division — each kind split into files of at most `per_file` records
//! (`…_2D_Eleve_0000.xml`, `…_0001.xml`), one record per line. It is valid against GAR-ENT.xsd
//! v1.7 and consistent across files, so both GAR checks find nothing; with `defects`, it plants a
//! known set of problems (see [`Planted`]) and says where each one is. Identifiers are UUIDs, as
//! ENTs write them; every run writes the same bytes.

mod records;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Pupils in the export.
    pub pupils: u64,
    /// Records per file, before the next file of the same kind starts.
    pub per_file: u64,
    /// Plant the known defects.
    pub defects: bool,
    /// The folder to write into (created if needed).
    pub out: PathBuf,
}

/// Records per file an ENT typically writes.
pub const PER_FILE: u64 = 10_000;

/// One planted defect: the finding code (`gar::…`) it must produce, and where.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planted {
    /// `gar::schema`, `gar::unknown-mef`…
    pub code: &'static str,
    /// The file's name.
    pub file: String,
    /// The record's line.
    pub line: u64,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// The files, in the order written.
    pub files: Vec<PathBuf>,
    /// Records in all files.
    pub records: u64,
    /// Bytes in all files.
    pub bytes: u64,
    /// The defects planted (empty unless asked for).
    pub planted: Vec<Planted>,
}

/// The ENT's identifier and the export's timestamp in file names.
const PREFIX: &str = "ENTBENCH_GAR-ENT_Complet_20260901_020000_2D";

/// Writes the export.
pub fn write(options: &Options) -> io::Result<Written> {
    std::fs::create_dir_all(&options.out)?;
    let mut written = Written::default();
    records::all(options, &mut written)?;
    written.planted.sort();
    Ok(written)
}

/// The files of one kind (`Eleve`, `Groupe`…): records go to the current file until it holds
/// `per_file` of them, then the next one starts. Records of a kind are written in the order the
/// schema's sequence wants them, so a split never breaks it.
struct Splitter<'a> {
    kind: &'static str,
    out: &'a Path,
    per_file: u64,
    file: Option<(BufWriter<File>, PathBuf)>,
    index: u64,
    in_file: u64,
    written: &'a mut Written,
}

impl<'a> Splitter<'a> {
    fn new(kind: &'static str, options: &'a Options, written: &'a mut Written) -> Self {
        Splitter {
            kind,
            out: &options.out,
            per_file: options.per_file.max(1),
            file: None,
            index: 0,
            in_file: 0,
            written,
        }
    }

    /// Writes one record (one line) and returns its file's name and line.
    fn record(&mut self, body: &str) -> io::Result<(String, u64)> {
        if self.in_file == self.per_file {
            self.close()?;
        }
        if self.file.is_none() {
            let path = self
                .out
                .join(format!("{PREFIX}_{}_{:04}.xml", self.kind, self.index));
            let mut w = BufWriter::with_capacity(1 << 16, File::create(&path)?);
            write!(
                w,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<men:GAR-ENT-{} xmlns:men=\"http://data.education.fr/ns/gar\" Version=\"1.0\">\n",
                self.kind
            )?;
            self.file = Some((w, path));
            self.index += 1;
            self.in_file = 0;
        }
        let Some((w, path)) = self.file.as_mut() else {
            unreachable!("a file was just opened")
        };
        w.write_all(body.as_bytes())?;
        w.write_all(b"\n")?;
        self.in_file += 1;
        self.written.records += 1;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Line 1 is the declaration, line 2 the root.
        Ok((name, self.in_file + 2))
    }

    fn close(&mut self) -> io::Result<()> {
        if let Some((mut w, path)) = self.file.take() {
            writeln!(w, "</men:GAR-ENT-{}>", self.kind)?;
            w.flush()?;
            self.written.bytes += std::fs::metadata(&path)?.len();
            self.written.files.push(path);
        }
        Ok(())
    }

    /// A file even when the kind has no record, then closes it.
    fn finish(mut self) -> io::Result<()> {
        if self.file.is_none() && self.index == 0 {
            // An empty kind still gets its (valid, empty) file, as an ENT writes it.
            self.in_file = 0;
            let path = self.out.join(format!("{PREFIX}_{}_0000.xml", self.kind));
            let mut w = BufWriter::new(File::create(&path)?);
            write!(
                w,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<men:GAR-ENT-{} xmlns:men=\"http://data.education.fr/ns/gar\" Version=\"1.0\">\n",
                self.kind
            )?;
            self.file = Some((w, path));
        }
        self.close()
    }
}
