//! The GAR export checks on the synthetic exports of `fixtures/gar/`: the official schemas
//! (through xmllint) accept the minimal instances and reject broken ones with file and line;
//! the cross-file rules catch what the schemas cannot.

use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe};
use crate::support::root;

/// (schema outcome, schema message, references outcome, references message).
async fn audit(case: &str) -> (String, String, String, String) {
    let folder = root().join("fixtures/gar").join(case);
    let yaml = format!("interop:\n  gar_export: \"{}\"\n", folder.display());
    let report =
        fixture_server::audit(&yaml, None, Secrets::default(), HttpOptions::default()).await;
    let (so, sm) = probe(&report, "gar.export_schema");
    let (ro, rm) = probe(&report, "gar.export_references");
    (so.into(), sm.into(), ro.into(), rm.into())
}

#[tokio::test]
async fn minimal_2d_and_1d_exports_pass_both_checks() {
    let (so, sm, ro, rm) = audit("minimal-2d").await;
    assert_eq!(
        (so.as_str(), sm.as_str()),
        (
            "pass",
            "2 GAR export file(s) valid (GAR-ENT.xsd v1.7; 2 checked by the built-in validator, 0 by xmllint)"
        )
    );
    assert_eq!(
        (ro.as_str(), rm.as_str()),
        (
            "pass",
            "5 record(s) in 2 file(s): identifiers unique, references resolved"
        )
    );
    let (so, sm, ro, rm) = audit("minimal-1d").await;
    assert_eq!(
        (so.as_str(), sm.as_str()),
        (
            "pass",
            "2 GAR export file(s) valid (GAR-ENT-1D.xsd v1.4; 2 checked by the built-in validator, 0 by xmllint)"
        )
    );
    assert_eq!(ro, "pass", "{rm}");
}

#[tokio::test]
async fn a_valid_file_the_built_in_validator_does_not_clear_goes_to_xmllint() {
    // A time zone on a date is valid, but the built-in validator leaves dates other than
    // YYYY-MM-DD to xmllint.
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(root().join("fixtures/gar/minimal-2d")).unwrap() {
        let path = entry.unwrap().path();
        let mut xml = std::fs::read_to_string(&path).unwrap();
        if path.to_string_lossy().contains("_Eleve_") {
            assert!(xml.contains(">2010-01-01<"));
            xml = xml.replacen(">2010-01-01<", ">2010-01-01+01:00<", 1);
        }
        std::fs::write(dir.path().join(path.file_name().unwrap()), xml).unwrap();
    }
    let (so, sm, ro, rm) = audit_folder(dir.path()).await;
    assert_eq!(
        (so.as_str(), sm.as_str()),
        (
            "pass",
            "2 GAR export file(s) valid (GAR-ENT.xsd v1.7; 1 checked by the built-in validator, 1 by xmllint)"
        )
    );
    assert_eq!(ro, "pass", "{rm}");
}

#[tokio::test]
async fn schema_violations_are_located_and_leave_references_alone() {
    let (so, sm, ro, _) = audit("schema-invalid").await;
    assert_eq!(so, "fail");
    assert!(
        sm.contains("_2D_Eleve_0000.xml:6 gar::schema: Element 'GARPersonPrenom': This element is not expected"),
        "{sm}"
    );
    assert_eq!(ro, "pass");
}

#[tokio::test]
async fn a_dtd_bomb_is_refused_before_any_validator_sees_it() {
    let (so, sm, ro, rm) = audit("dtd-bomb").await;
    assert_eq!(so, "fail");
    assert!(
        sm.contains("_2D_Etab_0000.xml:2 gar::xml: the file has a DTD (DOCTYPE): refused"),
        "{sm}"
    );
    assert_eq!(ro, "error");
    assert!(rm.contains("cross-file rules not checked"), "{rm}");
}

#[tokio::test]
async fn cross_file_rules_catch_what_the_schema_cannot() {
    let (so, _, ro, rm) = audit("split-duplicate").await;
    assert_eq!((so.as_str(), ro.as_str()), ("pass", "fail"));
    assert!(
        rm.contains(
            "_2D_Eleve_0001.xml:3 [5ae4d2e8-7ead-4bcb-ad15-6dd44b1cf030] gar::duplicate-id"
        ),
        "{rm}"
    );
    let (so, _, ro, rm) = audit("dangling").await;
    assert_eq!((so.as_str(), ro.as_str()), ("pass", "fail"));
    assert!(
        rm.contains(
            "gar::unknown-structure: GARPersonEtab 0999999Z is not a GAREtab of the export"
        ),
        "{rm}"
    );
    assert!(
        rm.contains("gar::unknown-mef: MEF 99999999999 is not a GARMEF of 0123456A"),
        "{rm}"
    );
    let (so, _, ro, rm) = audit("misnamed").await;
    assert_eq!((so.as_str(), ro.as_str()), ("pass", "fail"));
    assert!(
        rm.contains("gar::file-kind: named Enseignant but its root is GAR-ENT-Eleve"),
        "{rm}"
    );
}

#[tokio::test]
async fn an_empty_folder_fails_both_and_a_missing_one_is_an_error() {
    let (so, sm, ro, _) = audit("empty").await;
    assert_eq!((so.as_str(), ro.as_str()), ("fail", "fail"));
    assert!(sm.starts_with("No XML file in the GAR export"), "{sm}");
    let (so, sm, _, _) = audit("no-such-folder").await;
    assert_eq!(so, "error");
    assert!(sm.contains("Unreadable GAR export"), "{sm}");
}

/// (schema outcome and message, references outcome and message) for an export in `folder`.
async fn audit_folder(folder: &std::path::Path) -> (String, String, String, String) {
    let yaml = format!("interop:\n  gar_export: \"{}\"\n", folder.display());
    let report =
        fixture_server::audit(&yaml, None, Secrets::default(), HttpOptions::default()).await;
    let (so, sm) = probe(&report, "gar.export_schema");
    let (ro, rm) = probe(&report, "gar.export_references");
    (so.into(), sm.into(), ro.into(), rm.into())
}

fn generated(pupils: u64, per_file: u64, defects: bool) -> (tempfile::TempDir, Written) {
    let dir = tempfile::tempdir().expect("tempdir");
    let written = gar_generate::write(&Options {
        pupils,
        per_file,
        defects,
        out: dir.path().to_path_buf(),
    })
    .expect("generated");
    (dir, written)
}

use sdet_audit::demo::gar_generate::{self, Options, Written};

#[tokio::test]
async fn a_generated_export_split_over_many_files_passes_both_checks() {
    // 1 100 pupils in files of 700 records: three structures, every kind split.
    let (dir, written) = generated(1_100, 700, false);
    assert!(written.files.len() > 10, "{:?}", written.files);
    let (so, sm, ro, rm) = audit_folder(dir.path()).await;
    let files = written.files.len();
    assert_eq!(
        (so.as_str(), sm.as_str()),
        (
            "pass",
            format!(
                "{files} GAR export file(s) valid (GAR-ENT.xsd v1.7; {files} checked by the built-in validator, 0 by xmllint)"
            )
            .as_str()
        )
    );
    assert_eq!(
        (ro.as_str(), rm.as_str()),
        (
            "pass",
            format!(
                "{} record(s) in {files} file(s): identifiers unique, references resolved",
                written.records
            )
            .as_str()
        )
    );
}

#[tokio::test]
async fn exactly_the_planted_defects_are_found_where_they_were_planted() {
    let (dir, written) = generated(40, 30, true);
    let (so, sm, ro, rm) = audit_folder(dir.path()).await;
    assert_eq!((so.as_str(), ro.as_str()), ("fail", "fail"), "{sm}\n{rm}");
    let place = regex::Regex::new(r"(\S+\.xml):(\d+)(?: \[[^\]]*\])? (gar::[a-z-]+)").unwrap();
    let mut found: Vec<(String, String, u64)> = place
        .captures_iter(&format!("{sm}\n{rm}"))
        .map(|c| (c[3].to_string(), c[1].to_string(), c[2].parse().unwrap()))
        .collect();
    found.sort();
    let planted: Vec<(String, String, u64)> = written
        .planted
        .iter()
        .map(|p| (p.code.to_string(), p.file.clone(), p.line))
        .collect();
    assert_eq!(found, planted, "{sm}\n{rm}");
    // Both checks count exactly these, so nothing is left unlisted.
    assert!(
        sm.starts_with("GAR export invalid against the schema: 2 error(s)"),
        "{sm}"
    );
    assert!(
        rm.starts_with("Inconsistent GAR export: 6 error(s), 0 warning(s)"),
        "{rm}"
    );
}

#[test]
fn without_xmllint_only_files_the_built_in_validator_clears_can_pass() {
    // A PATH without xmllint: the minimal export is cleared by the built-in validator and
    // passes; the invalid one needs xmllint to be judged, and cannot be: an error, never a
    // pass nor a fail.
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = path_without_xmllint();
    for (case, outcome, words) in [
        (
            "minimal-2d",
            "pass",
            "2 checked by the built-in validator, 0 by xmllint",
        ),
        ("schema-invalid", "error", "`xmllint` is not installed"),
    ] {
        let target = dir.path().join(format!("{case}.yaml"));
        let folder = root().join("fixtures/gar").join(case);
        std::fs::write(
            &target,
            format!(
                "name: {case}\ninterop:\n  gar_export: \"{}\"\n",
                folder.display()
            ),
        )
        .expect("write target");
        let out = crate::support::bin()
            .env("PATH", empty.path())
            .args(["audit", "--format", "json", "--target"])
            .arg(&target)
            .output()
            .expect("runs");
        let probe = crate::support::json_probe(&out.stdout, "gar.export_schema");
        assert_eq!(probe["outcome"], outcome, "{case}: {probe}");
        let message = probe["message"]["en"].as_str().unwrap();
        assert!(message.contains(words), "{case}: {message}");
    }
}

/// A folder to use as PATH that holds no xmllint, only the program cargo runs test binaries
/// through when a runner is set (CI's year-ahead run uses `faketime`): assert_cmd runs the
/// binary through it, found on PATH.
fn path_without_xmllint() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = std::env::var_os("PATH").unwrap_or_default();
    for (key, runner) in std::env::vars() {
        if !(key.starts_with("CARGO_TARGET_") && key.ends_with("_RUNNER")) {
            continue;
        }
        let program = runner
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        let found = std::env::split_paths(&path)
            .map(|d| d.join(&program))
            .find(|p| p.is_file());
        if let Some(found) = found {
            std::os::unix::fs::symlink(found, dir.path().join(&program)).expect("symlink");
        }
    }
    dir
}
