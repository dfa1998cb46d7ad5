//! `feeds check` reads an export in memory that does not grow with its size, measured from
//! outside with GNU time (`/usr/bin/time`, Debian package `time`, installed by `.ci/run`).

use std::path::Path;
use std::process::Command;

use sdet_audit::feeds::generate::{self, Options};

fn max_rss_kib(dir: &Path) -> u64 {
    let time = Path::new("/usr/bin/time");
    assert!(
        time.exists(),
        "/usr/bin/time is needed to measure memory (Debian package `time`)"
    );
    let out = Command::new(time)
        .args(["-f", "MAXRSS %M"])
        .arg(assert_cmd::cargo::cargo_bin("sdet-audit"))
        .args(["feeds", "check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("MAXRSS "))
        .and_then(|v| v.trim().parse().ok())
        .expect("time reports the maximum RSS")
}

#[test]
fn memory_stays_flat_from_5_to_50_megabytes() {
    let small = tempfile::tempdir().expect("tempdir");
    let large = tempfile::tempdir().expect("tempdir");
    let s = generate::write(&Options {
        people: 3_100,
        out: small.path().to_path_buf(),
    })
    .expect("5 MB");
    let l = generate::write(&Options {
        people: 31_000,
        out: large.path().to_path_buf(),
    })
    .expect("50 MB");
    assert!(
        l.bytes > 48_000_000 && s.bytes < 6_000_000,
        "{} / {} bytes",
        s.bytes,
        l.bytes
    );
    let (rss_small, rss_large) = (max_rss_kib(small.path()), max_rss_kib(large.path()));
    assert!(rss_large < 64 * 1024, "{rss_large} KiB for 50 MB");
    assert!(
        rss_large < rss_small + 16 * 1024,
        "memory grows with the file: {rss_small} KiB for 5 MB, {rss_large} KiB for 50 MB"
    );
}
