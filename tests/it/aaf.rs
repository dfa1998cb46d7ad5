//! `feeds check` on real exports (no error), on a clean synthetic set (no finding), on each planted
//! defect (found, with its record id, and nothing else), and on hostile input (a finding, never a
//! panic, a hang or a read of another file).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sdet_audit::feeds::{self, Code, FeedReport, Severity, Silent};

use crate::support::{bin, root, xml_files};

mod fast;
mod generated;
mod pieces;

fn check(paths: &[PathBuf]) -> FeedReport {
    feeds::check(paths, &Silent).expect("paths exist")
}

fn aaf(dir: &str) -> PathBuf {
    root().join("fixtures/aaf").join(dir)
}

fn codes(report: &FeedReport) -> BTreeSet<&'static str> {
    report.findings.iter().map(|f| f.code.as_str()).collect()
}

fn kind_in_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix("_0000.xml")?;
    stem.rsplit('_').next().map(str::to_owned)
}

/// The clean 2D set with the case's files in place of the clean files of the same kind, less
/// the kinds in `drop`.
fn planted(case: &str, drop: &[&str]) -> Vec<PathBuf> {
    let case_files = xml_files(&aaf(&format!("invalid/{case}")));
    let replaced: Vec<String> = case_files.iter().filter_map(|p| kind_in_name(p)).collect();
    let mut set: Vec<PathBuf> = xml_files(&aaf("clean-2d"))
        .into_iter()
        .filter(|p| {
            let kind = kind_in_name(p).unwrap_or_default();
            !replaced.contains(&kind) && !drop.contains(&kind.as_str())
        })
        .collect();
    set.extend(case_files);
    set
}

#[test]
fn real_exports_give_no_error_and_only_true_warnings() {
    for (dir, warnings) in [
        ("entcore-2013", vec!["aaf::uai-check-letter"]),
        (
            "entcore-2020",
            vec![
                "aaf::missing-file",
                "aaf::siret-checksum",
                "aaf::structure-not-in-export",
                "aaf::uai-check-letter",
            ],
        ),
        (
            "entcore-2024-before",
            vec![
                "aaf::deprecated-attribute",
                "aaf::siret-checksum",
                "aaf::uai-check-letter",
            ],
        ),
        (
            "entcore-2024-after",
            vec!["aaf::deprecated-attribute", "aaf::missing-file"],
        ),
    ] {
        let report = check(&[aaf(dir)]);
        assert_eq!(report.summary.errors, 0, "{dir}: {:#?}", report.findings);
        assert_eq!(codes(&report), warnings.into_iter().collect(), "{dir}");
        assert_eq!(report.exit_code(), 0);
    }
}

#[test]
fn real_exports_are_read_as_they_are() {
    let report = check(&[
        aaf("entcore-2013"),
        aaf("entcore-2020"),
        aaf("entcore-2024-before"),
    ]);
    let etab_2020 = report.files.iter().find(|f| {
        f.path
            .ends_with("ENT_Complet_20200101_EtabEducNat_0000.xml")
    });
    assert_eq!(etab_2020.and_then(|f| f.encoding), Some("ISO-8859-15"));
    let mef = report
        .files
        .iter()
        .find(|f| f.path.contains("MefEducNat"))
        .expect("mef");
    assert_eq!(
        (
            mef.records,
            mef.kind.map(sdet_audit::feeds::kind::Kind::name)
        ),
        (5, Some("MefEducNat"))
    );
    let staff = report
        .files
        .iter()
        .find(|f| f.path.contains("20240916_PersEducNat"))
        .expect("staff");
    assert_eq!(staff.header.version_af.as_deref(), Some("AAF-VE2407"));
    assert_eq!(staff.header.academy.as_deref(), Some("13"));
    assert_eq!(report.records, 22 + 2 + 3);
}

#[test]
fn clean_sets_give_no_finding_at_all() {
    for dir in ["clean-2d", "clean-1d"] {
        let report = check(&[aaf(dir)]);
        assert!(report.findings.is_empty(), "{dir}: {:#?}", report.findings);
        assert!(report.records > 0);
    }
    // A file given alone and through its folder is one file, not two with the same identifiers.
    let twice = check(&[
        aaf("clean-2d"),
        aaf("clean-2d/ENT_0161234E_Complet_20250901_Eleve_0000.xml"),
    ]);
    assert!(
        twice.findings.is_empty() && twice.files.len() == 6,
        "{:#?}",
        twice.findings
    );
    let one_d = check(&[aaf("clean-1d")]);
    assert!(
        one_d
            .files
            .iter()
            .all(|f| f.degree.map(sdet_audit::feeds::kind::Degree::label) == Some("1D"))
    );
    // The parent file has no `degre` header: its degree comes from its attribute names.
    let parents = one_d
        .files
        .iter()
        .find(|f| f.path.contains("PersRelEleve"))
        .expect("parents");
    assert_eq!(parents.header.degree, None);
}

#[test]
fn incremental_files_are_read_as_such_and_their_links_left_alone() {
    let report = check(&[aaf("incremental")]);
    assert_eq!(
        codes(&report),
        ["aaf::links-not-checked"].into_iter().collect()
    );
    let modes: BTreeSet<String> = report
        .files
        .iter()
        .map(|f| format!("{:?}", f.mode.expect("read")))
        .collect();
    assert_eq!(
        modes,
        ["Full", "Incremental"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

/// Every case of `fixtures/aaf/invalid/`: (case, code, record id, kinds of the clean set left out).
const PLANTED: &[(&str, &str, Option<&str>, &[&str])] = &[
    ("malformed", "aaf::malformed", Some("6000002"), &[]),
    ("truncated", "aaf::truncated", Some("6000002"), &[]),
    ("encoding", "aaf::encoding", Some("6000002"), &[]),
    ("control-char", "aaf::control-char", Some("6000002"), &[]),
    (
        "unsupported-encoding",
        "aaf::unsupported-encoding",
        None,
        &[],
    ),
    ("dtd-internal-subset", "aaf::dtd-internal-subset", None, &[]),
    ("doctype", "aaf::doctype", None, &[]),
    (
        "unknown-entity",
        "aaf::unknown-entity",
        Some("6000002"),
        &[],
    ),
    ("not-aaf", "aaf::not-aaf", None, &[]),
    ("structure", "aaf::structure", Some("6000002"), &[]),
    (
        "attr-without-value",
        "aaf::attr-without-value",
        Some("6000002"),
        &[],
    ),
    ("operation", "aaf::operation", Some("6000009"), &[]),
    (
        "operational-attribute",
        "aaf::operational-attribute",
        Some("6000002"),
        &[],
    ),
    ("missing-id", "aaf::missing-id", None, &[]),
    ("header", "aaf::header", None, &[]),
    ("empty-file", "aaf::empty-file", None, &[]),
    (
        "unknown-attribute",
        "aaf::unknown-attribute",
        Some("6000002"),
        &[],
    ),
    (
        "attribute-of-other-degree",
        "aaf::unknown-attribute",
        Some("6000002"),
        &[],
    ),
    (
        "deprecated-attribute",
        "aaf::deprecated-attribute",
        Some("6000002"),
        &[],
    ),
    (
        "duplicate-attribute",
        "aaf::duplicate-attribute",
        Some("6000002"),
        &[],
    ),
    (
        "multiple-values",
        "aaf::multiple-values",
        Some("6000002"),
        &[],
    ),
    (
        "missing-required",
        "aaf::missing-required",
        Some("6000002"),
        &[],
    ),
    (
        "value-too-long",
        "aaf::value-too-long",
        Some("6000002"),
        &[],
    ),
    ("bad-date", "aaf::bad-date", Some("6000002"), &[]),
    ("bad-flag", "aaf::bad-flag", Some("6000002"), &[]),
    ("bad-composite", "aaf::bad-composite", Some("6000002"), &[]),
    ("bad-value", "aaf::bad-value", Some("6000002"), &[]),
    (
        "bad-postal-code",
        "aaf::bad-postal-code",
        Some("6000002"),
        &[],
    ),
    ("duplicate-id", "aaf::duplicate-id", Some("6000001"), &[]),
    (
        "unknown-parent",
        "aaf::unknown-parent",
        Some("6000002"),
        &[],
    ),
    (
        "structure-not-in-export",
        "aaf::structure-not-in-export",
        Some("6000002"),
        &[],
    ),
    ("unknown-class", "aaf::unknown-class", Some("6000002"), &[]),
    ("unknown-group", "aaf::unknown-group", Some("6000001"), &[]),
    ("unknown-mef", "aaf::unknown-mef", Some("6000002"), &[]),
    (
        "unknown-subject",
        "aaf::unknown-subject",
        Some("6000002"),
        &[],
    ),
    ("bad-uai", "aaf::bad-uai", Some("4302"), &[]),
    (
        "uai-check-letter",
        "aaf::uai-check-letter",
        Some("4302"),
        &[],
    ),
    ("bad-siret", "aaf::bad-siret", Some("4302"), &[]),
    ("siret-checksum", "aaf::siret-checksum", Some("4302"), &[]),
    ("bad-phone", "aaf::bad-phone", Some("4301"), &[]),
    ("bad-email", "aaf::bad-email", Some("4301"), &[]),
    ("unknown-pupil", "aaf::unknown-pupil", Some("5000003"), &[]),
    ("links-not-checked", "aaf::links-not-checked", None, &[]),
    ("file-name", "aaf::file-name", None, &["Eleve"]),
    ("unknown-kind", "aaf::unknown-kind", None, &[]),
    ("missing-file", "aaf::missing-file", None, &["PersRelEleve"]),
];

#[test]
fn each_planted_defect_is_found_with_its_record_and_nothing_else() {
    for (case, code, record, drop) in PLANTED {
        let report = check(&planted(case, drop));
        assert_eq!(
            codes(&report),
            [*code].into_iter().collect(),
            "{case}: {:#?}",
            report.findings
        );
        let finding = &report.findings[0];
        assert_eq!(finding.record.as_deref(), *record, "{case}");
        if record.is_some() {
            assert!(
                finding.line.is_some(),
                "{case}: a record-level finding has a line"
            );
        }
        let errors = finding.severity == Severity::Error;
        assert_eq!(report.exit_code(), u8::from(errors), "{case}");
    }
}

#[test]
fn every_code_has_a_case_that_finds_it() {
    let mut covered: BTreeSet<&str> = PLANTED.iter().map(|(_, code, _, _)| *code).collect();
    covered.extend(generated::CODES);
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !covered.contains(c))
        // A read error midway cannot be staged with a file in a repository.
        .filter(|c| *c != "aaf::io")
        .collect();
    assert!(missing.is_empty(), "codes no test plants: {missing:?}");
    assert_eq!(
        fs_cases(),
        PLANTED
            .iter()
            .map(|(case, ..)| (*case).to_owned())
            .collect::<BTreeSet<_>>(),
        "fixtures/aaf/invalid/ and PLANTED disagree"
    );
}

fn fs_cases() -> BTreeSet<String> {
    std::fs::read_dir(aaf("invalid"))
        .expect("invalid/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect()
}

#[test]
fn hostile_doctypes_are_refused_and_nothing_is_read_or_expanded() {
    for (dir, expected) in [
        ("hostile/billion-laughs", vec!["aaf::dtd-internal-subset"]),
        ("hostile/external-entity", vec!["aaf::dtd-internal-subset"]),
        (
            "hostile/external-dtd",
            vec![
                "aaf::doctype",
                "aaf::missing-required",
                "aaf::unknown-entity",
            ],
        ),
    ] {
        let out = bin()
            .args(["feeds", "check", "--format", "json"])
            .arg(aaf(dir))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{dir}");
        let json = String::from_utf8_lossy(&out.stdout);
        assert!(
            !json.contains("TOP-SECRET"),
            "{dir} leaked the file it references"
        );
        let report: serde_json::Value = serde_json::from_str(&json).expect("json");
        let found: BTreeSet<&str> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        assert_eq!(found, expected.into_iter().collect(), "{dir}");
        assert!(!json.contains("lollol"), "{dir}: an entity was expanded");
    }
}

#[test]
fn exit_codes_and_usage_errors() {
    bin()
        .args(["feeds", "check", "--format", "json"])
        .arg(aaf("clean-2d"))
        .assert()
        .code(0);
    bin()
        .args(["feeds", "check", "--format", "json"])
        .arg(aaf("entcore-2020"))
        .assert()
        .code(0);
    bin()
        .args(["feeds", "check", "--format", "json"])
        .args(planted("bad-date", &[]))
        .assert()
        .code(1);
    bin()
        .args(["feeds", "check", "no/such/export"])
        .assert()
        .code(2);
    bin()
        .args(["feeds", "check", "--format", "html"])
        .arg(aaf("clean-2d"))
        .assert()
        .code(2);
    bin().args(["feeds", "check"]).assert().code(2);
    let empty = tempfile::tempdir().expect("tempdir");
    bin()
        .args(["feeds", "check"])
        .arg(empty.path())
        .assert()
        .code(2);
    // Exports side by side: the message names the subfolders to give instead.
    let side_by_side = tempfile::tempdir().expect("tempdir");
    let one = side_by_side.path().join("rentree2025");
    std::fs::create_dir(&one).expect("mkdir");
    for file in xml_files(&aaf("clean-2d")) {
        std::fs::copy(&file, one.join(file.file_name().expect("name"))).expect("copy");
    }
    std::fs::create_dir(side_by_side.path().join("notes")).expect("mkdir");
    let out = bin()
        .args(["feeds", "check"])
        .arg(side_by_side.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).replace('\n', " ");
    assert!(stderr.contains("rentree2025"), "{stderr}");
    assert!(!stderr.contains("notes"), "{stderr}");
}

#[test]
fn json_and_terminal_output_of_an_invalid_set() {
    // Relative paths keep the snapshots independent of where the repository is.
    let mut set: Vec<PathBuf> = planted("unknown-parent", &[])
        .into_iter()
        .filter(|p| !p.to_string_lossy().contains("EtabEducNat"))
        .map(|p| p.strip_prefix(root()).expect("in repo").to_path_buf())
        .collect();
    set.push(PathBuf::from(
        "fixtures/aaf/invalid/bad-uai/ENT_0161234E_Complet_20250901_EtabEducNat_0000.xml",
    ));
    // English keeps the names the snapshots had before messages were bilingual.
    for (lang, suffix) in [("en", ""), ("fr", "_fr")] {
        for format in ["json", "terminal"] {
            let out = bin()
                .args(["feeds", "check", "--format", format, "--lang", lang])
                .args(&set)
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1));
            let text = String::from_utf8_lossy(&out.stdout)
                .replace(env!("CARGO_PKG_VERSION"), "[version]");
            insta::assert_snapshot!(format!("invalid_set_{format}{suffix}"), text);
        }
    }
    // French is the default.
    let default = bin()
        .args(["feeds", "check", "--format", "json"])
        .args(&set)
        .output()
        .expect("runs");
    let default = String::from_utf8_lossy(&default.stdout);
    assert!(
        default.contains("n'est pas dans les fichiers PersRelEleve"),
        "{default}"
    );
}
