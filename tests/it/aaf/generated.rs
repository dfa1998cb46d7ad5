//! Hostile inputs made at run time rather than stored: a token over the reader's limit, nesting
//! without end, empty and mangled files. (That memory stays flat on a 50 MB export is measured
//! with GNU time in the `peers` test target.)

use std::path::{Path, PathBuf};

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
