//! Paths that name something other than a file: a device that never ends (`/dev/zero`), a FIFO
//! that never opens, a folder. Each is refused at once with exit 2, naming the path and what it
//! is, instead of reading until memory runs out or blocking for ever.

use std::path::Path;
use std::time::Duration;

use crate::support::bin;

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

fn refused(args: &[&str], expected: &str) {
    let output = bin()
        .args(args)
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
