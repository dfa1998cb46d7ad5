//! Paths that name something other than a file: a device that never ends (`/dev/zero`), a FIFO
//! that never opens, a folder. Each is refused at once with exit 2, naming the path and what it
//! is, instead of reading until memory runs out or blocking for ever.

use std::time::Duration;

use crate::support::{bin, mkfifo};

fn refused(args: &[&str], expected: &str) {
    // What is expected is the English wording (the French one is checked in cli_language).
    let output = bin()
        .args(args)
        .env("SDET_LANG", "en")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

#[test]
fn devices_fifos_and_folders_are_refused_naming_what_they_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("target.yaml");
    mkfifo(&fifo);
    let fifo = fifo.to_str().expect("utf-8 path");
    let folder = dir.path().to_str().expect("utf-8 path");

    refused(&["audit", "--target", "/dev/zero"], "/dev/zero: a device");
    refused(&["audit", "--target", fifo], "a FIFO (named pipe)");
    refused(&["audit", "--target", folder], "a folder");
    refused(&["report", "--from", "/dev/zero"], "/dev/zero: a device");
    refused(&["demo", "--waivers", fifo], "a FIFO (named pipe)");

    // Files the target names are opened the same way.
    let target = dir.path().join("real-target.yaml");
    for (block, what) in [
        ("declarations: /dev/zero\n", "/dev/zero: a device"),
        ("tls: { ca_file: /dev/zero }\n", "/dev/zero: a device"),
    ] {
        std::fs::write(
            &target,
            format!("name: x\nportal: https://127.0.0.1:9/\n{block}"),
        )
        .expect("target");
        refused(
            &["audit", "--target", target.to_str().expect("utf-8")],
            what,
        );
    }
}

/// A feed folder whose `.xml` entries include a FIFO, a device link and a symlink loop: each is a
/// finding naming what it is, at once, instead of being left out (exit 0) or blocking.
#[test]
fn feed_folder_entries_that_are_not_files_are_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = crate::support::root().join("fixtures/aaf/clean-2d");
    for entry in std::fs::read_dir(&clean).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
    }
    mkfifo(
        &dir.path()
            .join("ENT_0161234E_Complet_20250901_Eleve_0001.xml"),
    );
    std::os::unix::fs::symlink(
        "/dev/zero",
        dir.path()
            .join("ENT_0161234E_Complet_20250901_Eleve_0002.xml"),
    )
    .expect("symlink");
    let a = dir
        .path()
        .join("ENT_0161234E_Complet_20250901_Eleve_0003.xml");
    let b = dir
        .path()
        .join("ENT_0161234E_Complet_20250901_Eleve_0004.xml");
    std::os::unix::fs::symlink(&b, &a).expect("symlink");
    std::os::unix::fs::symlink(&a, &b).expect("symlink");
    let output = bin()
        .args(["feeds", "check", "--format", "json"])
        .arg(dir.path())
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    for what in ["a FIFO (named pipe)", "a device", "symbolic links"] {
        assert!(stdout.contains(what), "{what} not reported: {stdout}");
    }
}

/// A grids folder that is a symlink loop says so, instead of "no grid for SDET version (any)".
#[test]
fn a_grids_folder_that_loops_is_named_with_the_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::os::unix::fs::symlink(&b, &a).expect("symlink");
    std::os::unix::fs::symlink(&a, &b).expect("symlink");
    let a = a.to_str().expect("utf-8");
    refused(
        &["grids", "lint", "--grids", a],
        "Too many levels of symbolic links",
    );
    let target = dir.path().join("target.yaml");
    std::fs::write(&target, "name: x\nportal: https://127.0.0.1:9/\n").expect("target");
    let target = target.to_str().expect("utf-8");
    refused(
        &["audit", "--target", target, "--grids", a],
        "Too many levels of symbolic links",
    );
}
