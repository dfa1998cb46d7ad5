//! Hostile and large inputs made at run time rather than stored: a token over the reader's limit,
//! nesting without end, empty and mangled files, and a 50 MB export whose memory must not grow
//! with its size.

use std::path::{Path, PathBuf};
use std::process::Command;

use sdet_audit::feeds::generate::{self, Options};

use super::{aaf, check, codes};

/// The codes these tests plant (with `PLANTED`, every code but `aaf::io` is planted somewhere).
pub const CODES: &[&str] = &["aaf::too-large"];

fn clean_pupils() -> String {
    std::fs::read_to_string(aaf("clean-2d/ENT_0161234E_Complet_20250901_Eleve_0000.xml"))
        .expect("clean pupils")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn a_token_over_the_limit_stops_the_file_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = "A".repeat(2 * 1024 * 1024);
    let text = clean_pupils().replacen("<value>Lina</value>", &format!("<value>{huge}</value>"), 1);
    let path = write(dir.path(), "X_Eleve_0000.xml", text.as_bytes());
    let report = check(&[path]);
    assert!(
        codes(&report).contains("aaf::too-large"),
        "{:#?}",
        report.findings
    );
}

#[test]
fn endless_nesting_stops_at_the_depth_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!("{}{}", "<x>".repeat(100_000), "</x>".repeat(100_000));
    let text = clean_pupils().replacen("</attributes>", &format!("{deep}</attributes>"), 1);
    let path = write(dir.path(), "X_Eleve_0000.xml", text.as_bytes());
    let report = check(&[path]);
    assert_eq!(
        codes(&report),
        ["aaf::structure", "aaf::too-large"].into_iter().collect()
    );
}

#[test]
fn empty_and_non_xml_files_are_findings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(dir.path(), "A_Eleve_0000.xml", b"");
    assert_eq!(
        codes(&check(&[empty])),
        ["aaf::not-aaf"].into_iter().collect()
    );
    let binary = write(
        dir.path(),
        "B_Eleve_0000.xml",
        &[0x00, 0xFF, 0x13, 0x37, b'<', 0x80],
    );
    let report = check(&[binary]);
    assert!(report.summary.errors > 0, "{:#?}", report.findings);
}

/// Mangles the clean pupil file many ways (bytes flipped, cut, spliced): every run must end with a
/// report, never a panic or a hang.
#[test]
fn mangled_files_never_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clean = clean_pupils().into_bytes();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % (n as u64)).expect("fits")
    };
    for round in 0..300 {
        let mut bytes = clean.clone();
        match round % 3 {
            0 => {
                for _ in 0..=next(8) {
                    let at = next(bytes.len());
                    bytes[at] = u8::try_from(next(256)).expect("byte");
                }
            }
            1 => bytes.truncate(next(bytes.len())),
            _ => {
                let (a, b) = (next(bytes.len()), next(bytes.len()));
                let piece = bytes[a.min(b)..a.max(b)].to_vec();
                let at = next(bytes.len());
                bytes.splice(at..at, piece);
            }
        }
        let path = write(dir.path(), "M_Eleve_0000.xml", &bytes);
        let report = check(&[path]);
        assert!(report.files.len() == 1, "round {round}");
    }
}

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
