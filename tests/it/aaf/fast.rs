//! The fast path against quick-xml, the reference parser: on every real and fixture sample, whole
//! and cut into pieces, and on thousands of deterministic mutations (flipped bytes, cuts, entities,
//! CDATA, comments, processing instructions, odd whitespace, XML attributes, ISO-8859-15 bytes,
//! control characters…) read through buffers small enough to cut records, both must hand the same
//! records to the handler and report the same findings — and the fast path must really take the
//! regular records, or the comparison would prove nothing.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use sdet_audit::feeds::finding::Findings;
use sdet_audit::feeds::generate::{self, Options};
use sdet_audit::feeds::input::{self, Tracker};
use sdet_audit::feeds::record::Record;
use sdet_audit::feeds::scan::{self, Fragment, Handler, Header};
use sdet_audit::feeds::set::{self, Tuning};
use sdet_audit::feeds::{FeedReport, Silent, render};
use sdet_audit::text::Lang;

use super::{aaf, xml_files};

/// Every record as the handler sees it, one line each.
#[derive(Default)]
struct Recorder(Vec<String>);

impl Handler for Recorder {
    fn start(&mut self, header: &Header, _: &mut Findings) {
        self.0.push(format!("start {header:?}"));
    }

    fn record(&mut self, r: &Record, _: &mut Findings) {
        let attrs: Vec<String> = r
            .attrs()
            .iter()
            .map(|a| format!("{}@{}={:?}", a.name, a.line, a.values()))
            .collect();
        self.0.push(format!(
            "{:?}@{} id={:?} {}@{}={:?}x{} {attrs:?}",
            r.op,
            r.line,
            r.id,
            r.category.name,
            r.category.line,
            r.category.values(),
            r.category_count
        ));
    }
}

/// What one scan produced, and how many records the fast path read.
fn scan_bytes(bytes: &[u8], capacity: usize, fast: bool) -> (String, u64) {
    let mut recorder = Recorder::default();
    let mut findings = Findings::default();
    let fragment = Fragment {
        fast,
        ..Fragment::whole()
    };
    let tracker = Tracker::new(BufReader::with_capacity(capacity, bytes), &Silent);
    let mut summary = scan::scan(tracker, fragment, &mut recorder, &mut findings);
    let taken = std::mem::take(&mut summary.fast_records);
    let (kept, counts) = findings.into_parts();
    let seen = format!("{summary:?}\n{:#?}\n{kept:#?}\n{counts:?}", recorder.0);
    (seen, taken)
}

/// How many records a scan handed over.
fn records_in(seen: &str) -> u64 {
    ["Add@", "Modify@", "Delete@"]
        .iter()
        .map(|op| seen.matches(&format!("\n    \"{op}")).count() as u64)
        .sum()
}

/// A file as the scanner reads it (UTF-8, transcoded when it declares ISO-8859-15); `None` for an
/// encoding the scanner never sees.
fn utf8_of(path: &Path) -> Option<Vec<u8>> {
    let (declared, start) = input::detect(path).ok()?;
    let len = std::fs::metadata(path).expect("size").len();
    let mut bytes = Vec::new();
    input::open(path, declared, start, len)
        .expect("open")
        .read_to_end(&mut bytes)
        .expect("read");
    Some(bytes)
}

/// The sample folders: every fixture folder holding `.xml` files, and the shared research samples
/// when this machine has them.
fn sample_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    let mut todo = vec![aaf(""), PathBuf::from("/work/shared/research-samples/aaf")];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut has_xml = false;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                has_xml |= path.extension().is_some_and(|e| e == "xml");
            }
        }
        if has_xml {
            dirs.push(dir);
        }
    }
    dirs.sort();
    dirs
}

fn report(dir: &Path, tuning: Tuning) -> String {
    let files = set::expand(&[dir.to_path_buf()]).expect("files");
    let report = FeedReport::build(&files, set::check_tuned(&files, &Silent, tuning));
    // Both languages: every message, not just one wording of it, must be the same.
    render::json(&report, Lang::Fr) + &render::json(&report, Lang::En)
}

#[test]
fn every_sample_gives_the_same_report_with_and_without_the_fast_path() {
    let dirs = sample_dirs();
    assert!(dirs.len() >= 40, "fixture folders found: {}", dirs.len());
    let (mut taken, mut records) = (0, 0);
    for dir in &dirs {
        for workers in [1, 4] {
            let tuning = |fast| Tuning {
                workers,
                min_piece: 256,
                fast,
            };
            assert_eq!(
                report(dir, tuning(true)),
                report(dir, tuning(false)),
                "{} with {workers} worker(s)",
                dir.display()
            );
        }
        for file in xml_files(dir) {
            let Some(bytes) = utf8_of(&file) else {
                continue;
            };
            for capacity in [300, 64 * 1024] {
                let (fast, n) = scan_bytes(&bytes, capacity, true);
                let (slow, _) = scan_bytes(&bytes, capacity, false);
                assert_eq!(
                    fast,
                    slow,
                    "{} read {capacity} bytes at a time",
                    file.display()
                );
                if capacity > 300 {
                    taken += n;
                    records += records_in(&fast);
                }
            }
        }
    }
    // Planted defects and hostile files are for quick-xml; the real exports are for the fast path.
    assert!(
        taken * 10 >= records * 7 && records > 150,
        "the fast path read {taken} of {records} sample records"
    );
}

/// A small deterministic generator (xorshift), so every run tries the same mutations.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
    }
}

/// What a mutation may insert: markup quick-xml reads differently, references, bytes the
/// tracker flags, and pieces of the regular shape out of place.
const INSERTS: &[&[u8]] = &[
    b"&amp;",
    b"&lt;",
    b"&quot;",
    b"&#233;",
    b"&#x1;",
    b"&eacute;",
    b"&",
    b"<![CDATA[a<b]]>",
    b"<!-- note -->",
    b"<?pi x?>",
    b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
    b" ",
    b"\t",
    b"\r\n",
    b"\n\n",
    b" x=\"1\"",
    b"\x01",
    b"\x0c",
    b"\xa4",
    b"\xc3",
    b"\xc3\xa9",
    b"<value/>",
    b"<value>v</value>",
    b"</value>",
    b"<attr name=\"sn\">",
    b"</attr>",
    b"<id>9</id>",
    b"<addRequest>",
    b"</addRequest>",
    b"<deleteRequest>",
    b"<x/>",
    b"]]>",
    b">",
    b"\"",
    b"'",
];

fn mutate(base: &[u8], dice: &mut Dice) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..=dice.below(3) {
        let at = dice.below(bytes.len() + 1);
        match dice.below(6) {
            0 => {
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << dice.below(8);
                }
            }
            1 => bytes.truncate(at),
            2 => {
                let end = (at + 1 + dice.below(20)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 => {
                // An XML attribute on some element, or odd space inside a tag.
                if let Some(gt) = bytes[at.min(bytes.len())..].iter().position(|b| *b == b'>') {
                    let insert: &[u8] = [&b" x=\"1\""[..], b" ", b"\n", b"/"][dice.below(4)];
                    bytes.splice(at + gt..at + gt, insert.iter().copied());
                }
            }
            _ => {
                let insert = INSERTS[dice.below(INSERTS.len())];
                bytes.splice(at..at, insert.iter().copied());
            }
        }
    }
    bytes
}

#[test]
fn mutated_input_gives_the_same_records_and_findings_on_both_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    generate::write(&Options {
        people: 12,
        out: dir.path().to_path_buf(),
    })
    .expect("export");
    let mut bases: Vec<Vec<u8>> = xml_files(dir.path())
        .iter()
        .filter_map(|p| utf8_of(p))
        .collect();
    for sample in ["clean-2d", "clean-1d", "incremental", "entcore-2013"] {
        bases.extend(xml_files(&aaf(sample)).iter().filter_map(|p| utf8_of(p)));
    }
    // Bigger files are cut down to their first records: mutations should land in records.
    for base in &mut bases {
        base.truncate(12_000);
    }
    // Unmutated, the fast path must take nearly every record, or the comparison proves little.
    let (mut records, mut regular) = (0, 0);
    for base in &bases {
        let (seen, n) = scan_bytes(base, 64 * 1024, true);
        records += records_in(&seen);
        regular += n;
    }
    assert!(
        regular * 10 >= records * 9 && records > 50,
        "the fast path read {regular} of {records} records"
    );
    let mut dice = Dice(0x5DE7_A0D1_7F00_0001);
    let (mut cases, mut taken) = (0, 0);
    for base in &bases {
        for _ in 0..60 {
            let bytes = mutate(base, &mut dice);
            let capacity = [61, 2048, 16 * 1024, 64 * 1024][dice.below(4)];
            let (fast, n) = scan_bytes(&bytes, capacity, true);
            let (slow, _) = scan_bytes(&bytes, capacity, false);
            assert_eq!(
                fast,
                slow,
                "mutation {cases} of a {}-byte base, read {capacity} bytes at a time:\n{}",
                base.len(),
                String::from_utf8_lossy(&bytes)
            );
            cases += 1;
            taken += n;
        }
    }
    assert!(cases >= 1000, "{cases} cases");
    assert!(
        taken > 800,
        "the fast path read only {taken} mutated records"
    );
}
