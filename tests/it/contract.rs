//! The JSON contract through the binary: every JSON output says its `format_version`, and a
//! report of a format version this tool does not know is refused by name (exit 2), never read
//! silently; `compare --label` names the columns. Uses the committed example reports, so no
//! audit runs.

use crate::support::{root, run, s};

fn version_of(json: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    value["format_version"].clone()
}

#[test]
fn every_json_output_says_its_format_version() {
    let clean = root().join("reports/examples/demo-clean.json");
    let defects = root().join("reports/examples/demo-defects.json");
    let dir = tempfile::tempdir().expect("tempdir");
    // `merge` combines different ENTs: the clean report renamed is another one.
    let text = std::fs::read_to_string(&clean).expect("example");
    let mut other: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    other["target"]["name"] = "Autre ENT".into();
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).expect("write");
    let merged = dir.path().join("all.json");
    let (code, _, err) = run(&["merge", s(&other_path), s(&defects), "--output", s(&merged)]);
    assert_eq!(code, Some(1), "{err}");
    let merged = std::fs::read_to_string(&merged).expect("merged");
    assert_eq!(version_of(&merged), 1, "merge");
    for args in [
        vec!["compare", s(&clean), s(&defects), "--format", "json"],
        vec!["diff", s(&clean), s(&defects), "--format", "json"],
        vec!["grids", "diff", "4.0", "6.4", "--format", "json"],
        vec!["grids", "list", "--format", "json"],
        vec!["report", "--from", s(&defects), "--format", "json"],
    ] {
        let (_, out, err) = run(&args);
        assert_eq!(version_of(&out), 1, "{args:?}: {err}");
    }
}

#[test]
fn a_report_of_an_unknown_format_version_is_refused() {
    let text =
        std::fs::read_to_string(root().join("reports/examples/demo-clean.json")).expect("example");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["format_version"] = 2.into();
    let dir = tempfile::tempdir().expect("tempdir");
    let v2 = dir.path().join("v2.json");
    std::fs::write(&v2, value.to_string()).expect("write");
    for args in [
        vec!["report", "--from", s(&v2), "--format", "json"],
        vec!["compare", s(&v2), s(&v2), "--format", "json"],
        vec!["diff", s(&v2), s(&v2)],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: {out}");
        assert!(err.contains("format_version 2"), "{args:?}: {err}");
    }
    // A merged file holding a report of another version is refused too.
    let merged = serde_json::json!({
        "format_version": 1, "merged_version": 1, "outcome": "conforme", "reports": [value],
    });
    let file = dir.path().join("merged.json");
    std::fs::write(&file, merged.to_string()).expect("write");
    let (code, _, err) = run(&["compare", s(&file), "--format", "json"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("format_version 2"), "{err}");
}

#[test]
fn compare_labels_name_the_columns_of_two_runs_of_one_ent() {
    let clean = root().join("reports/examples/demo-clean.json");
    let defects = root().join("reports/examples/demo-defects.json");
    let (code, out, err) = run(&[
        "compare",
        s(&defects),
        s(&clean),
        "--label",
        "1=avant",
        "--label",
        "2=après",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let value: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(value["bids"][0]["name"], "avant");
    assert_eq!(value["bids"][1]["name"], "après");
    let (code, _, err) = run(&[
        "compare",
        s(&clean),
        s(&defects),
        "--label",
        "3=x",
        "--label",
        "y",
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`3=x`") && err.contains("`y`"), "{err}");
}

/// A report written before `expected_text` / `observed_text` (and `error_text`) were added still
/// reads, and renders its English values in either language rather than nothing; written again,
/// it gains no field it did not have.
#[test]
fn a_report_without_the_bilingual_values_renders_its_english_strings() {
    let old = root().join("fixtures/reports/small.json");
    let text = std::fs::read_to_string(&old).expect("fixture");
    assert!(
        !text.contains("expected_text") && !text.contains("error_text"),
        "the fixture is meant to be an older report"
    );
    for lang in ["fr", "en"] {
        let (code, out, err) = run(&[
            "report",
            "--from",
            s(&old),
            "--format",
            "markdown",
            "--lang",
            lang,
        ]);
        assert_eq!(code, Some(1), "{lang}: {err}");
        assert!(
            out.contains("a « Se connecter » link (or a variant) or a link to the SSO"),
            "{lang}: the English expected value is missing"
        );
    }
    // Written again (the unsigned one: `report --from` a JSON file keeps no signature), byte
    // for byte the same.
    let later = root().join("fixtures/reports/small-later.json");
    let (_, out, err) = run(&["report", "--from", s(&later), "--format", "json"]);
    assert_eq!(
        out,
        std::fs::read_to_string(&later).expect("fixture"),
        "{err}"
    );
}
