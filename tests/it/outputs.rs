//! The commands around a report, through the binary as a user or a CI job runs them: the evidence
//! bundle (atomic, re-rendered identically, tampering refused), waivers (statuses, diagnostics,
//! the exigence policy), `--fail-on` exit codes, and `compare`, `diff` and `merge`.

use std::path::{Path, PathBuf};

use crate::support::{mkfifo, root, run, s};

/// A demo report saved as JSON, with `extra` arguments.
fn saved(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec!["demo", "--format", "json", "--output", s(&path)];
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    path
}

#[test]
fn a_bundle_re_renders_identically_and_refuses_tampering() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("preuves");
    let first = dir.path().join("first.md");
    // SSO-CAS-01's level is still to confirm: --strict-levels lets its failure decide, and the
    // bundle records it, so re-rendering from the bundle keeps the same outcome.
    let (code, _, err) = run(&[
        "demo",
        "--strict-levels",
        "--defects",
        "cas-accept-any-ticket",
        "--evidence",
        s(&bundle),
        "--output",
        s(&first),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(bundle.join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(manifest["sdet_version"], "6.4");
    assert_eq!(manifest["formula_version"], 2);
    let files = manifest["files"].as_array().expect("files");
    assert!(files.iter().any(|f| f["path"] == "report.json"));
    assert!(
        files
            .iter()
            .filter(|f| f["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("observations/")))
            .count()
            >= 11
    );
    // Nothing half-written is left beside the bundle.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".sdet-evidence-")
        })
        .collect();
    assert!(leftovers.is_empty());
    for (format, ext) in [
        ("markdown", "md"),
        ("html", "html"),
        ("json", "json"),
        ("csv", "csv"),
    ] {
        let original = dir.path().join(format!("o.{ext}"));
        let again = dir.path().join(format!("a.{ext}"));
        run(&[
            "report",
            "--from",
            s(&bundle.join("report.json")),
            "--format",
            format,
            "--output",
            s(&original),
        ]);
        let (code, _, err) = run(&[
            "report",
            "--from",
            s(&bundle),
            "--format",
            format,
            "--output",
            s(&again),
        ]);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(
            std::fs::read(&original).expect("o"),
            std::fs::read(&again).expect("a"),
            "{format}"
        );
    }
    assert_eq!(
        std::fs::read(&first).expect("first"),
        std::fs::read(dir.path().join("a.md")).expect("a.md")
    );
    // A bundle is never overwritten, and one edited after the fact is refused.
    let (code, _, err) = run(&["demo", "--evidence", s(&bundle), "--format", "json"]);
    assert_eq!(code, Some(2));
    assert!(
        crate::cli_language::unwrapped(&err).contains("n'est pas vide"),
        "{err}"
    );
    let report = bundle.join("report.json");
    let text = std::fs::read_to_string(&report)
        .expect("report")
        .replace("\"non_conforme\"", "\"conforme\"");
    std::fs::write(&report, text).expect("tamper");
    let (code, _, err) = run(&["report", "--from", s(&bundle)]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("cli::bad-bundle") && err.contains("SHA-256"),
        "{err}"
    );
}

#[test]
fn waivers_apply_expire_go_stale_and_exigences_need_the_policy_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let waivers = root().join("fixtures/waivers/demo.yaml");
    let report = saved(
        dir.path(),
        "w.json",
        &[
            "--defects",
            "no-hsts,insecure-cookies",
            "--waivers",
            s(&waivers),
        ],
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("read")).expect("json");
    let status = |id: &str| {
        r["waivers"]
            .as_array()
            .expect("waivers")
            .iter()
            .find(|w| w["criterion"] == id)
            .map(|w| w["status"].as_str().unwrap_or_default().to_string())
    };
    let verdict = |id: &str| {
        r["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["verdict"].clone())
    };
    assert_eq!(status("SEC-TLS-02").as_deref(), Some("applied"));
    assert_eq!(verdict("SEC-TLS-02"), Some("waived".into()));
    assert_eq!(status("SEC-COOK-01").as_deref(), Some("expired"));
    assert_eq!(verdict("SEC-COOK-01"), Some("fail".into()));
    assert_eq!(status("SEC-HDR-01").as_deref(), Some("stale"));
    // The gap stays: a waiver accepts a failure, it does not make the declaration true.
    assert!(
        r["gaps"]
            .as_array()
            .expect("gaps")
            .contains(&"SEC-TLS-02".into())
    );
    let (code, _, _) = run(&[
        "report",
        "--from",
        s(&report),
        "--fail-on",
        "expired-waivers",
    ]);
    assert_eq!(code, Some(1));

    let on_exigence = dir.path().join("exigence.yaml");
    std::fs::write(&on_exigence, "waivers:\n  - { criterion: SSO-CAS-01, justification: migration, approver: RSSI, expires: 2099-01-01 }\n").expect("write");
    let (code, _, err) = run(&[
        "demo",
        "--defects",
        "cas-accept-any-ticket",
        "--waivers",
        s(&on_exigence),
    ]);
    assert_eq!(code, Some(2));
    assert!(err.contains("sdet::waiver-on-exigence"), "{err}");
    let allowed = saved(
        dir.path(),
        "allowed.json",
        &[
            "--defects",
            "cas-accept-any-ticket",
            "--waivers",
            s(&on_exigence),
            "--allow-exigence-waivers",
        ],
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&allowed).expect("read")).expect("json");
    // The only failing exigence is waived: the ENT is conforme under that policy.
    assert_eq!(r["outcome"], "conforme");

    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "waivers:\n  - criterion: SEC-TLS-02\n    justification: \"\"\n    approver: RSSI\n    expires: 31/12/2027\n  - criterion: NOPE-01\n    justification: x\n    approver: y\n    expires: 2027-01-01\n").expect("write");
    let (code, _, err) = run(&["demo", "--waivers", s(&bad)]);
    assert_eq!(code, Some(2));
    for code in [
        "sdet::waiver-incomplete",
        "sdet::waiver-bad-date",
        "sdet::unknown-criterion",
    ] {
        assert!(err.contains(code), "{code} missing from:\n{err}");
    }
}

#[test]
fn fail_on_rules_decide_the_exit_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = saved(dir.path(), "clean.json", &[]);
    let broken = saved(dir.path(), "broken.json", &["--defects", "no-hsts"]);
    let code = |file: &Path, rules: &str| run(&["report", "--from", s(file), "--fail-on", rules]).0;
    assert_eq!(
        run(&["report", "--from", s(&broken)]).0,
        Some(0),
        "no-hsts fails a recommandation only"
    );
    assert_eq!(code(&broken, "gaps-above=0"), Some(1));
    assert_eq!(code(&broken, "gaps-above=1"), Some(0));
    assert_eq!(code(&broken, "any-exigence-fail"), Some(0));
    // SEC-TLS-02's level is to confirm (evidence H): scored apart, its failure leaves the overall
    // pratique figure, which only confirmed levels make.
    assert_eq!(code(&broken, "pratique-below=100"), Some(0));
    assert_eq!(
        code(&clean, "pratique-below=100,gaps-above=0,any-exigence-fail"),
        Some(0)
    );
    // A failed confirmed exigence (SEC-RGPD-04, arrêté 2006) does lower it.
    let notice = saved(
        dir.path(),
        "notice.json",
        &["--defects", "privacy-notice-broken"],
    );
    assert_eq!(code(&notice, "pratique-below=100"), Some(1));
    let (c, _, err) = run(&[
        "report",
        "--from",
        s(&notice),
        "--fail-on",
        "pratique-below=100",
    ]);
    assert_eq!(c, Some(1));
    assert!(
        err.contains("--fail-on pratique-below=100"),
        "the breach is named: {err}"
    );
    assert_eq!(code(&clean, "everything"), Some(2));
}

#[test]
fn compare_diff_and_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = saved(dir.path(), "a.json", &[]);
    let b = saved(
        dir.path(),
        "b.json",
        // SSO-CAS-01's level is still to confirm: only --strict-levels makes its failure decide.
        &["--strict-levels", "--defects", "cas-accept-any-ticket"],
    );
    // Two bids need two names.
    let text = std::fs::read_to_string(&b)
        .expect("b")
        .replace("ENT de référence (démo sdet-audit)", "Offre B");
    std::fs::write(&b, text).expect("rename bid");

    let (code, out, err) = run(&["compare", s(&a), s(&b), "--lang", "en"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Offre B") && out.contains("SSO-CAS-01"),
        "{out}"
    );
    let page = dir.path().join("c.html");
    assert_eq!(
        run(&["compare", s(&a), s(&b), "--output", s(&page)]).0,
        Some(0)
    );
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(html.contains("<svg") && html.contains("Offre B") && !html.contains("https://"));
    let (_, csv, _) = run(&["compare", s(&a), s(&b), "--format", "csv"]);
    assert!(
        csv.starts_with('\u{feff}') && csv.contains(";Offre B"),
        "{csv}"
    );
    assert_eq!(run(&["compare", s(&a), "--format", "sarif"]).0, Some(2));

    let (code, out, _) = run(&["diff", s(&a), s(&b), "--lang", "en"]);
    assert_eq!(code, Some(1), "a new failure fails the diff");
    assert!(
        out.contains("New failures (1)") && out.contains("SSO-CAS-01"),
        "{out}"
    );
    let (code, out, _) = run(&["diff", s(&b), s(&a), "--format", "json"]);
    assert_eq!(code, Some(0), "fixes alone pass");
    let d: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(d["fixes"][0]["id"], "SSO-CAS-01");

    let merged = dir.path().join("all.json");
    let (code, _, err) = run(&["merge", s(&a), s(&b), "--output", s(&merged)]);
    assert_eq!(code, Some(1), "worst outcome: {err}");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&merged).expect("merged")).expect("json");
    assert_eq!(
        (m["outcome"].as_str(), m["reports"].as_array().map(Vec::len)),
        (Some("non_conforme"), Some(2))
    );
    let (code, out, _) = run(&["compare", s(&merged)]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Offre B"));
    assert_eq!(run(&["merge", s(&a), s(&a)]).0, Some(2), "one target twice");
    assert_eq!(
        run(&[
            "merge",
            s(&a),
            s(&b),
            "--fail-on",
            "gaps-above=5",
            "--format",
            "json"
        ])
        .0,
        Some(0)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from)
        .expect("list")
        .filter_map(Result::ok)
    {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

#[test]
fn a_bundle_re_scores_offline_with_another_grid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("preuves");
    let original = dir.path().join("original.json");
    let (code, _, err) = run(&[
        "demo",
        "--defects",
        "no-hsts",
        "--evidence",
        s(&bundle),
        "--output",
        s(&original),
    ]);
    assert_eq!(code, Some(0), "no-hsts fails a recommandation only: {err}");
    // The same grid gives back the same report, byte for byte.
    let same = dir.path().join("same.json");
    let (code, _, err) = run(&[
        "report",
        "--from",
        s(&bundle),
        "--grids",
        s(&root().join("grids")),
        "--output",
        s(&same),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        std::fs::read(&original).expect("o"),
        std::fs::read(&same).expect("s")
    );
    // A corrected grid where HSTS became an exigence makes the same evidence non conforme — under
    // --strict-levels, since SEC-TLS-02's level still rests on our inference (evidence H).
    let grids = dir.path().join("grids");
    copy_dir(&root().join("grids"), &grids);
    let file = grids.join("6.4/securite.yaml");
    let text = std::fs::read_to_string(&file).expect("grid");
    let stricter = text.replacen(
        "  - id: SEC-TLS-02\n    level: recommandation",
        "  - id: SEC-TLS-02\n    level: exigence",
        1,
    );
    assert_ne!(text, stricter, "the grid fixture changed shape");
    std::fs::write(&file, stricter).expect("write grid");
    let (code, out, err) = run(&[
        "report",
        "--from",
        s(&bundle),
        "--grids",
        s(&grids),
        "--strict-levels",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1), "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["outcome"], "non_conforme");
    let tls = r["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .find(|c| c["id"] == "SEC-TLS-02")
        .expect("criterion");
    assert_eq!(
        (tls["level"].as_str(), tls["verdict"].as_str()),
        (Some("exigence"), Some("fail"))
    );
    // Another SDET version: only the criteria it has are judged, from the same observations.
    let (code, out, err) = run(&[
        "report",
        "--from",
        s(&bundle),
        "--sdet-version",
        "4.0",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let r: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(r["grid"]["sdet_version"], "4.0");
    assert!(
        r["criteria"]
            .as_array()
            .expect("criteria")
            .iter()
            .any(|c| c["verdict"] == "pass")
    );
    // diff across grid versions names the criteria each grid has that the other lacks.
    let older = dir.path().join("v4.json");
    std::fs::write(&older, &out).expect("write");
    let (_, out, _) = run(&["diff", s(&older), s(&original), "--format", "json"]);
    let d: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(d["added"].as_array().is_some_and(|a| a.len() > 50), "{d}");
    assert_eq!(
        (
            d["old"]["sdet_version"].as_str(),
            d["new"]["sdet_version"].as_str()
        ),
        (Some("4.0"), Some("6.4"))
    );
}

#[test]
fn waiver_diagnostics_snapshot() {
    use sdet_audit::diagnostic::SourceFile;
    use sdet_audit::waiver::{WaiverPolicy, Waivers};
    let (grid, _) = sdet_audit::audit::load_grid(None, None, Some("6.4")).expect("grid");
    let path = "fixtures/waivers/invalid/several-problems.yaml";
    let text = std::fs::read_to_string(root().join(path)).expect("fixture");
    let problems = Waivers::parse(
        &SourceFile::new(path, text.clone()),
        &grid,
        WaiverPolicy::default(),
    )
    .expect_err("invalid");
    let rendered: Vec<String> = problems
        .iter()
        .map(sdet_audit::diagnostic::Diagnostic::render_plain)
        .collect();
    insta::assert_snapshot!("waivers_several_problems", rendered.join("\n"));
    // With the policy flag, the exigence is accepted and the rest is still refused.
    let allowed = Waivers::parse(
        &SourceFile::new(path, text),
        &grid,
        WaiverPolicy {
            allow_exigences: true,
        },
    )
    .expect_err("still invalid");
    assert_eq!(allowed.len(), problems.len() - 1);
}

/// Issue #13: an audit of one SAML metadata file used to end "conforme", exit 0, at 4 % coverage.
/// The outcome stays `conforme` (nothing that decides failed), but no format may read plainly so.
#[test]
fn a_metadata_only_audit_never_reads_as_plain_conforme() {
    let dir = tempfile::tempdir().expect("tempdir");
    let metadata = root().join("fixtures/saml/renater-grenoble-idp/metadata.xml");
    let target = dir.path().join("target.yaml");
    std::fs::write(
        &target,
        format!(
            "name: saml\nsaml: {{ metadata_file: \"{}\" }}\n",
            metadata.display()
        ),
    )
    .expect("target");
    let (code, out, err) = run(&["audit", "--target", s(&target), "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(report["outcome"], "conforme");
    let (verified, exigences) = (
        report["perimeter"]["exigences_verified"]
            .as_u64()
            .expect("n"),
        report["perimeter"]["exigences"].as_u64().expect("n"),
    );
    assert!(verified * 10 < exigences, "{verified}/{exigences}");
    let headline = report["headline"]["fr"].as_str().expect("headline");
    assert_eq!(
        headline,
        format!("CONFORME sur le périmètre vérifié — {verified}/{exigences} exigences vérifiées")
    );
    for format in ["terminal", "markdown", "html", "junit", "sarif"] {
        let (_, out, _) = run(&["audit", "--target", s(&target), "--format", format]);
        // minijinja escapes the slash of "2/73" in HTML.
        let expected = if format == "html" {
            headline.replace('/', "&#x2f;")
        } else {
            headline.to_string()
        };
        assert!(out.contains(&expected), "{format}:\n{out}");
    }
    let (_, out, _) = run(&["audit", "--target", s(&target), "--lang", "en"]);
    assert!(
        out.contains("CONFORMANT within the verified scope"),
        "{out}"
    );
    // A certifier can refuse such an audit.
    let (code, _, err) = run(&[
        "audit",
        "--target",
        s(&target),
        "--fail-on",
        "coverage-below=50",
    ]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("coverage-below=50"), "{err}");
}

/// Reports and bundles get the mode the umask gives any new file, and what a killed run left
/// half-written beside them is swept by the next run.
#[test]
fn outputs_honour_the_umask_and_leftovers_are_swept() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let leftover_file = dir.path().join(".sdet-audit-partial-AbC123");
    let leftover_dir = dir.path().join(".sdet-evidence-XyZ789");
    std::fs::write(&leftover_file, "half a report").expect("leftover");
    std::fs::create_dir(&leftover_dir).expect("leftover folder");
    let recent = dir.path().join(".sdet-audit-partial-now");
    std::fs::write(&recent, "another run, still writing").expect("recent");
    // Dated by touch, like the leftovers, so all three follow the same clock (the suite also
    // runs with the clock moved a year ahead, where the file system's own time would not).
    for (path, when) in [
        (&leftover_file, "2 hours ago"),
        (&leftover_dir, "2 hours ago"),
        (&recent, "1 minute ago"),
    ] {
        let status = std::process::Command::new("touch")
            .args(["-d", when])
            .arg(path)
            .status()
            .expect("touch");
        assert!(status.success());
    }
    let sdet = assert_cmd::cargo::cargo_bin("sdet-audit");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"umask 027; exec "$0" demo --format json -o "$1/report.json" --evidence "$1/preuves""#)
        .arg(&sdet)
        .arg(dir.path())
        .current_dir(root())
        .status()
        .expect("runs");
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    let mode = |p: &Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("report.json")), 0o640);
    assert_eq!(mode(&dir.path().join("preuves")), 0o750);
    assert!(!leftover_file.exists() && !leftover_dir.exists());
    assert!(
        recent.exists(),
        "a recent temporary file may belong to a run still writing"
    );
}

/// `--output` naming a stream (a named pipe here, `/dev/null` or `/dev/stdout` in use) is
/// written to in place: renaming a temporary file over it would replace the device itself —
/// for root, `/dev/null` for the whole machine.
#[test]
fn an_output_that_is_a_stream_is_written_to_not_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("rapport.json");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the pipe"))
    };
    let (code, _, err) = run(&["demo", "--format", "json", "--output", s(&fifo)]);
    assert_eq!(code, Some(0), "{err}");
    // Checked before joining: a replaced pipe would leave the reader waiting for ever.
    let kind = std::fs::metadata(&fifo).expect("still there").file_type();
    assert!(kind.is_fifo(), "the pipe was replaced by a {kind:?}");
    let received = reader.join().expect("reader");
    assert!(
        received.contains("\"outcome\": \"conforme\""),
        "{}",
        &received[..received.len().min(200)]
    );
}
