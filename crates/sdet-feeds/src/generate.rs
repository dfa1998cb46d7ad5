//! A synthetic académie export of any size, for the benchmark (`bench/aaf.sh`), the memory tests and
//! later the reference ENT. It is consistent — every link resolves and every check letter and
//! checksum is right, so `feeds check` finds nothing — and realistic in shape: one file per kind, 40 %
//! pupils, 52 % parents, 8 % staff, the current 2D attributes, about 1.6 kB per record. The people
//! are invented; a seeded generator makes every run identical. [`write_ldif`] writes the directory an
//! ENT would have made of the same people, for the reconciliation benchmark (`bench/reconcile.sh`).

mod ldif;
mod people;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::kind::Kind;

pub use ldif::{LdifOptions, LdifWritten, write_ldif};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// People (pupils, parents, staff) in the export.
    pub people: u64,
    /// The folder to write into (created if needed).
    pub out: PathBuf,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The files, one per kind.
    pub files: Vec<PathBuf>,
    /// Records in all files.
    pub records: u64,
    /// Bytes in all files.
    pub bytes: u64,
}

/// Pupils per structure.
const PUPILS_PER_STRUCTURE: u64 = 400;

/// How many of each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sizes {
    pub structures: u64,
    pub pupils: u64,
    pub parents: u64,
    pub staff: u64,
}

impl Sizes {
    fn of(people: u64) -> Sizes {
        let pupils = (people * 40 / 100).max(1);
        let parents = pupils * 13 / 10;
        let staff = people.saturating_sub(pupils + parents).max(1);
        Sizes {
            structures: pupils.div_ceil(PUPILS_PER_STRUCTURE),
            pupils,
            parents,
            staff,
        }
    }
}

/// Writes the export.
pub fn write(options: &Options) -> io::Result<Written> {
    std::fs::create_dir_all(&options.out)?;
    let sizes = Sizes::of(options.people);
    let mut written = Written {
        files: Vec::new(),
        records: 0,
        bytes: 0,
    };
    for kind in Kind::ALL {
        let path = options.out.join(format!(
            "ENT_BENCH_Complet_20250901_{}_0000.xml",
            kind.name()
        ));
        let mut w = Writer::create(&path)?;
        let records = match kind {
            Kind::EtabEducNat => people::structures(&mut w, sizes)?,
            Kind::MatiereEducNat => people::subjects(&mut w)?,
            Kind::MefEducNat => people::mefs(&mut w)?,
            Kind::Eleve => people::pupils(&mut w, sizes)?,
            Kind::PersRelEleve => people::parents(&mut w, sizes)?,
            Kind::PersEducNat => people::staff(&mut w, sizes)?,
        };
        w.finish()?;
        written.records += records;
        written.bytes += std::fs::metadata(&path)?.len();
        written.files.push(path);
    }
    Ok(written)
}

/// Writes AAF records.
pub(crate) struct Writer {
    out: BufWriter<File>,
    rng: u64,
}

impl Writer {
    fn create(path: &Path) -> io::Result<Writer> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        out.write_all(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n\
<ficAlimMENESR>\n<!-- versionAF=\"AAF-VE2407\" -->\n<!-- versionSDET=\"Annexe 4bis version 6.4\" -->\n\
<!-- codeAcademieExport=\"13\" -->\n<!-- degre=\"2D\" -->\n<!-- dateGenerationExport=\"01/09/2025\" -->\n\n",
        )?;
        Ok(Writer {
            out,
            rng: 0x9E37_79B9_7F4A_7C15,
        })
    }

    fn finish(mut self) -> io::Result<()> {
        self.out.write_all(b"</ficAlimMENESR>\n")?;
        self.out.flush()
    }

    /// A pseudo-random number below `n` (splitmix64: fast, seeded, the same on every machine).
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let n = items.len() as u64;
        items[usize::try_from(self.below(n)).unwrap_or(0)]
    }

    /// Opens a record.
    pub fn open(&mut self, kind: Kind, id: &str) -> io::Result<()> {
        let (name, value) = kind.category();
        write!(
            self.out,
            "<addRequest>\n<operationalAttributes><attr name=\"{name}\"><value>{value}</value></attr></operationalAttributes>\n\
<identifier><id>{id}</id></identifier>\n<attributes>\n"
        )
    }

    /// Closes a record.
    pub fn close(&mut self) -> io::Result<()> {
        self.out.write_all(b"</attributes>\n</addRequest>\n\n")
    }

    /// One attribute with its values (none: an empty `<value/>`).
    pub fn attr(&mut self, name: &str, values: &[&str]) -> io::Result<()> {
        write!(self.out, "<attr name=\"{name}\">")?;
        if values.is_empty() {
            self.out.write_all(b"<value/>")?;
        }
        for v in values {
            self.out.write_all(b"<value>")?;
            for c in v.chars() {
                match c {
                    '&' => self.out.write_all(b"&amp;")?,
                    '<' => self.out.write_all(b"&lt;")?,
                    '\'' => self.out.write_all(b"&apos;")?,
                    c => write!(self.out, "{c}")?,
                }
            }
            self.out.write_all(b"</value>")?;
        }
        self.out.write_all(b"</attr>\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_export_is_clean_and_about_1_6_kb_per_record() {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = write(&Options {
            people: 2000,
            out: dir.path().to_path_buf(),
        })
        .expect("written");
        assert_eq!(written.files.len(), 6);
        let per_record = written.bytes / written.records;
        assert!(
            (1300..=1900).contains(&per_record),
            "{per_record} bytes per record"
        );
        let report = super::super::check(&[dir.path().to_path_buf()], &super::super::Silent)
            .expect("checked");
        assert!(
            report.findings.is_empty(),
            "{:#?}",
            &report.findings[..report.findings.len().min(5)]
        );
        assert_eq!(report.records, written.records);
    }
}
