//! What a CI job sees: several report files from one run (each in its extension's format), one
//! summary line on stderr when the report goes to files (a failing run is never silent), `-q` to
//! silence it, and output paths refused before the audit starts, every problem at once.

use std::path::Path;

use crate::support::{bin, run, s};

#[test]
fn one_run_writes_every_format_asked_and_says_so_on_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (html, json, sarif) = (
        dir.path().join("rapport.html"),
        dir.path().join("rapport.json"),
        dir.path().join("rapport.sarif"),
    );
    let (code, out, err) = run(&[
        "demo",
        "--defects",
        "all",
        "-o",
        s(&html),
        "-o",
        s(&json),
        "-o",
        s(&sarif),
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "{out}");
    let read = |p: &Path| std::fs::read_to_string(p).expect("written");
    assert!(read(&html).starts_with("<!DOCTYPE html>"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&read(&json)).expect("json")["outcome"],
        "non_conforme"
    );
    assert!(read(&sarif).contains("\"version\": \"2.1.0\""));
    let line = err.lines().last().expect("a summary line");
    assert!(line.starts_with("rapport écrit : "), "{err}");
    assert!(
        line.contains("rapport.sarif") && line.contains("NON CONFORME") && line.ends_with("1)")
    );
    let (code, _, err) = run(&["demo", "-q", "-o", s(&json)]);
    assert_eq!(code, Some(0));
    assert!(err.is_empty(), "-q prints nothing: {err}");
}

#[test]
fn bad_output_paths_are_refused_before_the_audit_all_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nowhere/rapport.json");
    let started = std::time::Instant::now();
    let (code, _, err) = run(&["demo", "-o", s(&missing), "-o", s(dir.path())]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("2 problème(s)"), "{err}");
    assert!(
        err.contains("n'existe pas") && err.contains("est un dossier"),
        "{err}"
    );
    // The demo audit takes seconds; a refusal before it takes far less.
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let (code, _, err) = run(&["demo", "--format", "json", "-o", "a.json", "-o", "b.sarif"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--format"), "{err}");
}

#[test]
fn colour_follows_color_then_no_color_then_clicolor_force() {
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = bin();
        cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd
            .args(["demo", "--format", "terminal"])
            .args(args)
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).contains("\u{1b}[")
    };
    // Standard output is a pipe here: no colour unless asked.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!coloured(
        &[],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    ));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
}

/// `feeds check` colours its severities by the same rule, and only when asked off a terminal.
#[test]
fn feeds_check_colours_its_severities_when_asked() {
    let coloured = |args: &[&str]| {
        let out = bin()
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .args(["feeds", "check", "fixtures/aaf/invalid/bad-date"])
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(!coloured(&[]).contains('\u{1b}'));
    assert!(!coloured(&["--color", "never"]).contains('\u{1b}'));
    let text = coloured(&["--color", "always"]);
    assert!(text.contains("\u{1b}[1;31merreur"), "{text}");
}

/// `-v`: a line per probe on stderr as it finishes, off a terminal too, in the report's
/// language; it cannot be asked for together with `-q`.
#[test]
fn verbose_prints_a_line_per_probe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("rapport.json");
    let (code, _, err) = run(&["demo", "--defects", "no-hsts", "-v", "-o", s(&json)]);
    // HSTS is a recommandation: its failure alone leaves the ENT conforme.
    assert_eq!(code, Some(0), "{err}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
    let probes = report["probes"].as_array().expect("probes");
    for probe in probes {
        let id = probe["id"].as_str().expect("id");
        assert!(
            err.lines().any(|l| l.split_whitespace().nth(1) == Some(id)),
            "no line for {id}:\n{err}"
        );
    }
    assert!(
        err.lines()
            .any(|l| l.starts_with("échec") && l.contains("portail.hsts")),
        "{err}"
    );
    let (code, _, err) = run(&["demo", "-v", "-q"]);
    assert_eq!(code, Some(2), "{err}");
}
