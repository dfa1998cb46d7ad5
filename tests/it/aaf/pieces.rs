//! Large files are cut into pieces read in parallel: the findings must be exactly those of
//! reading each file whole — same codes, lines, records and messages — including the per-code
//! limit and the file-level findings every piece makes.

use std::path::PathBuf;

use sdet_audit::feeds::generate::{self, Options};
use sdet_audit::feeds::set::{self, Tuning};
use sdet_audit::feeds::{FeedReport, Silent};

/// Replaces every `every`-th occurrence of `from` by `to`.
fn plant(text: &str, from: &str, to: &str, every: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split(from).enumerate() {
        if i > 0 {
            out.push_str(if i % every == 0 { to } else { from });
        }
        out.push_str(part);
    }
    out
}

fn report(paths: &[PathBuf], tuning: Tuning) -> FeedReport {
    let files = set::expand(paths).expect("files");
    FeedReport::build(&files, set::check_tuned(&files, &Silent, tuning))
}

#[test]
fn pieces_give_the_findings_of_whole_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    generate::write(&Options {
        people: 1_500,
        out: dir.path().to_path_buf(),
    })
    .expect("export");
    let pupils = dir.path().join("ENT_BENCH_Complet_20250901_Eleve_0000.xml");
    let mut text = std::fs::read_to_string(&pupils).expect("pupils");
    text = plant(
        &text,
        "<attr name=\"ENTElevePersRelEleve\"><value>5",
        "<attr name=\"ENTElevePersRelEleve\"><value>9",
        7,
    );
    text = plant(
        &text,
        "<attr name=\"ENTPersonDateNaissance\"><value>",
        "<attr name=\"ENTPersonDateNaissance\"><value>3",
        3,
    );
    text = plant(
        &text,
        "<attr name=\"givenName\"><value>",
        "<attr name=\"givenName\"><value>\u{1}",
        97,
    );
    text = plant(
        &text,
        "</attributes>",
        "<attr name=\"ENTEleveCouleur\"><value>VERT</value></attr>\n</attributes>",
        151,
    );
    std::fs::write(&pupils, text).expect("planted");

    let whole = Tuning {
        workers: 1,
        min_piece: u64::MAX / 4,
        ..Tuning::default()
    };
    let cut = Tuning {
        workers: 8,
        min_piece: 16 * 1024,
        ..Tuning::default()
    };
    let files = set::expand(std::slice::from_ref(&pupils)).expect("file");
    assert!(
        set::piece_count(&files[0], cut) >= 8,
        "the pupil file is cut"
    );
    assert_eq!(set::piece_count(&files[0], whole), 1);

    let parents = dir
        .path()
        .join("ENT_BENCH_Complet_20250901_PersRelEleve_0000.xml");
    let all = vec![dir.path().to_path_buf()];
    let without_parents: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| *p != parents)
        .collect();
    for paths in [all, without_parents] {
        let (a, b) = (report(&paths, whole), report(&paths, cut));
        assert!(
            a.summary.errors > 100,
            "enough findings to reach the per-code limit"
        );
        assert_eq!(a.findings, b.findings);
        assert_eq!(a.summary.by_code, b.summary.by_code);
        assert_eq!(a.records, b.records);
        let shape = |r: &FeedReport| {
            r.files
                .iter()
                .map(|f| (f.records, f.errors, f.warnings))
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&a), shape(&b));
    }
}
