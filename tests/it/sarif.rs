//! SARIF as code-scanning services take it: the demo with every defect, in both languages, is
//! valid against the official OASIS SARIF 2.1.0 schema (errata 01, formats checked) and keeps
//! GitHub's documented upload constraints ("SARIF support for code scanning" and "SARIF results
//! exceed limits"). A clean run uploads whatever the file says, so the check runs on a run full
//! of failures: those are what broke uploads.

use std::path::Path;

use serde_json::Value;

use sdet_audit::demo::Defect;
use sdet_audit::report::sarif;
use sdet_audit::text::Lang;

use crate::examples::demo_report;
use crate::support::root;

/// Errata 01, the SARIF 2.1.0 standard as OASIS publishes it. `format` is checked too, but the
/// validator's URI check is lenient (it lets a space through), so [`uri_problem`] checks URIs.
fn official_schema() -> jsonschema::Validator {
    let path = root().join("fixtures/schemas/sarif/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("schema readable");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// GitHub's constraints, each broken one as a sentence.
fn github_violations(log: &Value, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    if size > 10 * 1024 * 1024 {
        out.push(format!("file of {size} bytes, over 10 MB"));
    }
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    if runs.is_empty() || runs.len() > 20 {
        out.push(format!("{} runs (1 to 20)", runs.len()));
    }
    for run in &runs {
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let results = run["results"].as_array().cloned().unwrap_or_default();
        if rules.len() > 25_000 || results.len() > 25_000 {
            out.push("over 25,000 rules or results in a run".into());
        }
        for rule in &rules {
            let id = rule["id"].as_str().unwrap_or("?");
            let tags = rule["properties"]["tags"].as_array().map_or(0, Vec::len);
            if tags > 20 {
                out.push(format!("rule {id}: {tags} tags (at most 20)"));
            }
            if rule["help"]["text"].as_str().is_none_or(str::is_empty) {
                out.push(format!("rule {id}: no help text"));
            }
            if let Some(s) = rule["properties"]["security-severity"].as_str()
                && !s.parse::<f64>().is_ok_and(|v| (0.0..=10.0).contains(&v))
            {
                out.push(format!("rule {id}: security-severity {s} not in 0–10"));
            }
        }
        for (i, result) in results.iter().enumerate() {
            let id = result["ruleId"].as_str().unwrap_or_default();
            if !rules.iter().any(|r| r["id"] == id) {
                out.push(format!("result {i}: ruleId `{id}` names no rule"));
            }
            if result["message"]["text"].as_str().is_none_or(str::is_empty) {
                out.push(format!("result {i}: no message text"));
            }
            let prints = result["partialFingerprints"].as_object();
            if prints.is_none_or(|p| p.is_empty() || p.values().any(|v| !v.is_string())) {
                out.push(format!("result {i}: no partialFingerprints of strings"));
            }
            let locations = result["locations"].as_array().cloned().unwrap_or_default();
            if locations.is_empty() || locations.len() > 1000 {
                out.push(format!("result {i}: {} locations", locations.len()));
            }
            for l in &locations {
                let uri = l["physicalLocation"]["artifactLocation"]["uri"].as_str();
                match uri {
                    None => out.push(format!("result {i}: a location with no file")),
                    Some(uri) => out.extend(uri_problem(uri).map(|p| format!("result {i}: {p}"))),
                }
                if let Some(line) = l["physicalLocation"]["region"]["startLine"].as_u64()
                    && line == 0
                {
                    out.push(format!("result {i}: line 0"));
                }
            }
        }
    }
    out
}

/// Why code scanning would refuse `uri`: a scheme other than `file`, or characters RFC 3986
/// does not allow in a URI reference.
fn uri_problem(uri: &str) -> Option<String> {
    let scheme = uri
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains('/') && !s.is_empty());
    if let Some(s) = scheme
        && s != "file"
    {
        return Some(format!("URI `{uri}` has scheme `{s}`"));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#@!$&'()*+,;=%".contains(c);
    (!uri.chars().all(allowed)).then(|| format!("URI `{uri}` is no valid URI reference"))
}

#[tokio::test]
async fn demo_with_every_defect_gives_sarif_that_github_and_the_schema_accept() {
    let report = demo_report(Defect::ALL).await;
    let schema = official_schema();
    let mut prints = Vec::new();
    for lang in [Lang::Fr, Lang::En] {
        let text = sarif::render(&report, lang);
        let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
        let errors: Vec<String> = schema
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(10)
            .collect();
        assert!(errors.is_empty(), "{lang:?}: {}", errors.join("\n"));
        let problems = github_violations(&log, text.len());
        assert!(problems.is_empty(), "{lang:?}: {}", problems.join("\n"));
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert!(results.len() > 20, "the defects must give failing results");
        prints.push(
            results
                .iter()
                .map(|r| r["partialFingerprints"].to_string())
                .collect::<Vec<_>>(),
        );
    }
    // The fingerprint is the finding's, not the wording's, and tells findings apart.
    assert_eq!(prints[0], prints[1]);
    let mut unique = prints[0].clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), prints[0].len());
}

#[tokio::test]
async fn feed_and_gar_findings_point_at_their_file_and_line_others_at_the_target() {
    let report = demo_report(Defect::ALL).await;
    let log: Value = serde_json::from_str(&sarif::render(&report, Lang::En)).expect("JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let place = |id: &str| {
        let r = results.iter().find(|r| r["ruleId"] == id).expect(id);
        let p = &r["locations"][0]["physicalLocation"];
        (
            p["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .to_string(),
            p["region"]["startLine"].as_u64(),
        )
    };
    let (aaf, line) = place("ANN-AAF-02");
    assert!(
        aaf.starts_with("aaf/") && Path::new(&aaf).extension() == Some("xml".as_ref()),
        "{aaf}"
    );
    assert_eq!(line, Some(4331));
    let (gar, line) = place("INT-GAR-01");
    assert!(
        gar.starts_with("gar/") && Path::new(&gar).extension() == Some("xml".as_ref()),
        "{gar}"
    );
    assert!(line.is_some());
    let (cas, line) = place("SSO-CAS-01");
    assert_eq!(cas, "target.yaml");
    assert_eq!(line, Some(7), "the `cas` block's line in the demo's target");
    let (ldap, line) = place("ANN-LDAP-01");
    assert_eq!(
        (ldap.as_str(), line),
        ("target.yaml", Some(24)),
        "`annuaire.ldap`"
    );
    // The endpoint is still named, as a logical location.
    let cas_result = results
        .iter()
        .find(|r| r["ruleId"] == "SSO-CAS-01")
        .expect("cas");
    let logical = cas_result["locations"][0]["logicalLocations"].to_string();
    assert!(logical.contains("https://127.0.0.1"), "{logical}");
}

#[test]
fn the_checks_catch_what_github_refuses() {
    let schema = official_schema();
    let base = serde_json::json!({
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "t", "rules": [{ "id": "R", "help": { "text": "h" } }] } },
            "results": [{
                "ruleId": "R",
                "level": "error",
                "message": { "text": "m" },
                "partialFingerprints": { "k/v1": "00" },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": "target.yaml" } } }],
            }],
        }],
    });
    assert!(github_violations(&base, 1).is_empty());
    assert!(schema.is_valid(&base));
    let broken = |pointer: &str, value: Value| {
        let mut log = base.clone();
        *log.pointer_mut(pointer).expect(pointer) = value;
        log
    };
    let uri = "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri";
    for bad in [
        broken(uri, "https://ent.example.fr/cas/login".into()),
        broken(uri, "cas/login?ticket=[REDACTED]".into()),
        broken("/runs/0/results/0/ruleId", "S".into()),
        broken(
            "/runs/0/results/0/partialFingerprints",
            serde_json::json!({}),
        ),
        broken("/runs/0/results/0/message/text", "".into()),
    ] {
        assert!(!github_violations(&bad, 1).is_empty(), "{bad}");
    }
    assert!(!schema.is_valid(&broken("/runs/0/results/0/level", "fatal".into())));
}

/// `feeds check` for CI: an export with planted errors gives SARIF the schema and GitHub accept,
/// whose results point at the feed file and line, and JUnit the Jenkins schema accepts, with a
/// failure per error code; a clean export gives no result and only passed cases.
#[test]
fn feeds_check_writes_sarif_and_junit_that_ci_accepts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sarif_file, junit_file) = (dir.path().join("c.sarif"), dir.path().join("c.xml"));
    let invalid = "fixtures/aaf/invalid/bad-date";
    let (code, out, err) = crate::support::run(&[
        "feeds",
        "check",
        invalid,
        "-o",
        crate::support::s(&sarif_file),
        "-o",
        crate::support::s(&junit_file),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("constats écrits") && err.contains("erreur"),
        "{err}"
    );
    let text = std::fs::read_to_string(&sarif_file).expect("sarif");
    let log: Value = serde_json::from_str(&text).expect("SARIF is JSON");
    let errors: Vec<String> = official_schema()
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let problems = github_violations(&log, text.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let place = &r["locations"][0]["physicalLocation"];
        let uri = place["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(uri.starts_with(invalid) && uri.ends_with(".xml"), "{uri}");
    }
    // The planted bad date is an error on its line; a file-level finding has no line.
    assert!(results.iter().any(|r| r["level"] == "error"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(1)));
    let xml = std::fs::read_to_string(&junit_file).expect("junit");
    crate::reports::xsd_valid(&xml, &root().join("fixtures/schemas/junit/junit-10.xsd"));
    if let Err(problems) = crate::gitlab::read(&xml) {
        panic!(
            "GitLab would misread the feeds JUnit:\n{}",
            problems.join("\n")
        );
    }
    assert!(xml.contains("<failure"), "{xml}");

    let clean = dir.path().join("clean.sarif");
    let (code, _, err) = crate::support::run(&[
        "feeds",
        "check",
        "fixtures/aaf/clean-2d",
        "-o",
        crate::support::s(&clean),
        "--quiet",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(&clean).expect("sarif")).expect("JSON");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}
