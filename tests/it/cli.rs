//! The command line as a user meets it: help that teaches, exit codes, usage errors, and the
//! commands that are announced but not yet built saying so plainly.

use crate::support::bin;

fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).output().expect("runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_snapshots() {
    for args in [
        vec!["--help"],
        vec!["demo", "--help"],
        vec!["audit", "--help"],
        vec!["grids", "--help"],
        vec!["grids", "list", "--help"],
        vec!["report", "--help"],
        vec!["verify", "--help"],
        vec!["--lang", "en", "--help"],
        vec!["demo", "--help", "--lang", "en"],
    ] {
        let name = args.join("_").replace("--", "");
        insta::assert_snapshot!(name, stdout_of(&args));
    }
}

#[test]
fn version_names_the_grids_it_ships() {
    let out = stdout_of(&["--version"]);
    assert!(out.contains("6.4"), "{out}");
}

#[test]
fn bad_arguments_exit_2() {
    bin().args(["audit"]).assert().code(2);
    bin().args(["demo", "--format", "pdf"]).assert().code(2);
    bin().args(["grids", "show", "NOPE-01"]).assert().code(2);
}

#[test]
fn unknown_defect_is_a_usage_error_naming_the_known_ones() {
    let out = bin()
        .args(["demo", "--defects", "teleport"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("défaut inconnu `teleport`") && err.contains("no-hsts"),
        "{err}"
    );
    let out = bin()
        .args(["demo", "--defects", "teleport", "--lang", "en"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown defect `teleport`") && err.contains("no-hsts"),
        "{err}"
    );
}

#[test]
fn defects_list_names_every_defect() {
    let out = stdout_of(&["demo", "--defects", "list"]);
    for defect in sdet_audit::demo::Defect::ALL {
        assert!(
            out.contains(defect.name()),
            "{} missing from:\n{out}",
            defect.name()
        );
    }
}

#[test]
fn completions_and_man_page_are_generated() {
    assert!(stdout_of(&["completions", "bash"]).contains("sdet-audit"));
    assert!(stdout_of(&["man"]).contains(".TH sdet-audit"));
}

/// `man --dir` writes a page per command, and every page a page refers to (`sdet-audit-demo(1)`)
/// exists among them.
#[test]
fn every_man_page_referred_to_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("man1");
    let _ = stdout_of(&["man", "--dir", folder.to_str().expect("utf-8")]);
    let pages: Vec<String> = std::fs::read_dir(&folder)
        .expect("pages written")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for page in [
        "sdet-audit.1",
        "sdet-audit-demo.1",
        "sdet-audit-audit.1",
        "sdet-audit-grids-lint.1",
        "sdet-audit-verify.1",
    ] {
        assert!(pages.iter().any(|p| p == page), "{page} not in {pages:?}");
    }
    let references =
        regex::Regex::new(r"\\fB(sdet\\-audit(?:\\-[a-z]+)+)\\fR\(1\)").expect("pattern");
    for page in &pages {
        let text = std::fs::read_to_string(folder.join(page)).expect("page");
        for reference in references.captures_iter(&text) {
            let name = format!("{}.1", reference[1].replace("\\-", "-"));
            assert!(
                pages.contains(&name),
                "{page} refers to {name}, which is not written"
            );
        }
    }
}

#[test]
fn an_unreachable_ent_gives_an_incomplete_audit_exit_3() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Port 9 (discard) is closed on the test machine: every request is refused at once.
    std::fs::write(
        dir.path().join("target.yaml"),
        "name: injoignable\nportal: https://127.0.0.1:9/\nportal_http: http://127.0.0.1:9/\n\
cas:\n  base_url: https://127.0.0.1:9/cas/\n  service: https://127.0.0.1:9/app/\n  accounts:\n    - { profile: eleve, username_env: SDET_T_USER, password_env: SDET_T_PASSWORD }\n",
    )
    .expect("write target");
    let out = bin()
        .args(["audit", "--target"])
        .arg(dir.path().join("target.yaml"))
        .args(["--format", "json", "--timeout", "5"])
        .env("SDET_T_USER", "u")
        .env("SDET_T_PASSWORD", "p")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report["outcome"], "incomplete");
    let outcomes: Vec<&str> = report["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.iter().all(|o| *o == "error" || *o == "skipped"),
        "{outcomes:?}"
    );
    assert!(!outcomes.contains(&"fail"));
}

#[test]
fn missing_credentials_are_an_error_not_a_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        "name: sans identifiants\ncas:\n  base_url: https://127.0.0.1:9/cas/\n  service: https://127.0.0.1:9/app/\n  accounts:\n    - { profile: eleve, username_env: SDET_UNSET_USER_XYZ, password_env: SDET_UNSET_PASSWORD_XYZ }\n",
    )
    .expect("write target");
    let out = bin()
        .args(["audit", "--format", "json", "--timeout", "5", "--target"])
        .arg(dir.path().join("target.yaml"))
        .output()
        .expect("runs");
    let round_trip = crate::support::json_probe(&out.stdout, "cas.login_round_trip");
    assert_eq!(round_trip["outcome"], "error");
    assert!(
        round_trip["message"]["en"]
            .as_str()
            .unwrap()
            .contains("SDET_UNSET_USER_XYZ")
    );
}

#[test]
fn invalid_target_is_exit_2_with_a_located_diagnostic() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        "name: x\nportall: https://x/\n",
    )
    .expect("write");
    let out = bin()
        .args(["audit", "--target"])
        .arg(dir.path().join("target.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sdet::yaml") && err.contains("portall"),
        "{err}"
    );
}

#[test]
fn report_rerenders_a_saved_json_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("r.json");
    bin()
        .args(["demo", "--format", "json", "--output"])
        .arg(&json)
        .assert()
        .code(0);
    let out = bin()
        .args(["report", "--format", "terminal", "--lang", "en", "--from"])
        .arg(&json)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Outcome: CONFORMANT"));
    bin()
        .args(["report", "--from"])
        .arg(dir.path().join("absent.json"))
        .assert()
        .code(2);
}

#[test]
fn invalid_declarations_are_all_reported_with_spans() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("target.yaml"), "name: x\n").expect("write");
    let out = bin()
        .args([
            "audit",
            "--declarations",
            "fixtures/declarations/invalid/unknown-criterion-and-status.yaml",
            "--target",
        ])
        .arg(dir.path().join("target.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sdet::unknown-criterion") && err.contains("SSO-CAS-99"),
        "{err}"
    );
    assert!(
        err.contains("sdet::unknown-status") && err.contains("`oui`"),
        "{err}"
    );
}

/// Runs the binary with its standard output a pipe whose reading end is already closed, as
/// `sdet-audit … | true` leaves it, and returns its exit code.
fn exit_code_into_a_closed_pipe(args: &[&str]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    std::process::Command::new(assert_cmd::cargo::cargo_bin("sdet-audit"))
        .args(args)
        .current_dir(crate::support::root())
        .env("NO_COLOR", "1")
        .stdout(writer)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("runs")
        .code()
}

#[test]
fn a_closed_pipe_is_success() {
    // The reader has what it wanted: the exit code still tells the outcome (0: a clean export).
    assert_eq!(
        exit_code_into_a_closed_pipe(&["feeds", "check", "fixtures/aaf/clean-2d"]),
        Some(0)
    );
    assert_eq!(exit_code_into_a_closed_pipe(&["grids", "list"]), Some(0));
}

/// The exit code and standard error of a run.
fn refusal(args: &[&str]) -> (Option<i32>, String) {
    let out = bin().args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn each_command_accepts_only_the_formats_it_writes() {
    let report = "reports/examples/demo-defects.json";
    for (args, possible) in [
        (
            vec!["diff", report, report, "--format", "html"],
            "terminal, json, markdown]",
        ),
        (
            vec![
                "feeds",
                "check",
                "fixtures/aaf/clean-2d",
                "--format",
                "html",
            ],
            "terminal, json, junit, sarif]",
        ),
        (
            vec!["compare", report, "--format", "junit"],
            "terminal, json, html, csv]",
        ),
    ] {
        let (code, err) = refusal(&args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(err.contains("valeur « "), "{args:?}: {err}");
        assert!(
            err.contains(&format!("[valeurs possibles : {possible}")),
            "{args:?}: {err}"
        );
        let english: Vec<&str> = args.iter().copied().chain(["--lang", "en"]).collect();
        let (code, err) = refusal(&english);
        assert_eq!(code, Some(2), "{english:?}");
        assert!(err.contains("invalid value"), "{english:?}: {err}");
        assert!(
            err.contains(&format!("[possible values: {possible}")),
            "{english:?}: {err}"
        );
    }
    let help = stdout_of(&["diff", "-h"]);
    assert!(
        help.contains("[valeurs possibles\u{a0}: terminal, json, markdown]"),
        "{help}"
    );
    let help = stdout_of(&["diff", "-h", "--lang", "en"]);
    assert!(
        help.contains("[possible values: terminal, json, markdown]"),
        "{help}"
    );
}

#[test]
fn an_output_extension_maps_only_to_a_format_the_command_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let html = dir.path().join("changes.html");
    let report = "reports/examples/demo-defects.json";
    let (code, err) = refusal(&["diff", report, report, "-o", crate::support::s(&html)]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("cli::output-format") && err.contains("terminal, json, markdown"),
        "{err}"
    );
    assert!(!html.exists());
    let markdown = dir.path().join("changes.md");
    bin()
        .args(["diff", report, report, "-o"])
        .arg(&markdown)
        .assert()
        .code(0);
    assert!(
        std::fs::read_to_string(&markdown)
            .expect("written")
            .contains("SDET")
    );
}
