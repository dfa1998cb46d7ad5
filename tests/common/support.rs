//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The built `sdet-audit` binary, run from the crate root.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("sdet-audit").expect("binary built");
    // The command line's language is French unless a test asks otherwise: not the caller's.
    cmd.current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("SDET_LANG");
    cmd
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Insta settings that hide what varies between runs: ports, times, durations.
pub fn stable_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1(%3A|:)\d+", "127.0.0.1:[port]");
    settings.add_filter(r#""generated_at": "[^"]+""#, r#""generated_at": "[time]""#);
    settings.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    settings.add_filter(r"\bent-[A-Za-z0-9]{8}\b", "ent-[kid]");
    // The reference ENT's SAML metadata and certificates are dated from its start.
    settings.add_filter(r"validUntil \d{4}-\d\d-\d\dT[0-9:.]+Z", "validUntil [time]");
    settings.add_filter(r"until \d{4}-\d\d-\d\d", "until [date]");
    settings
}

/// Runs the binary with `args`: (exit code, stdout, stderr). In the year-ahead CI run the
/// binary is started through the same `faketime` runner as the tests (assert_cmd honours cargo's
/// runner), which warns on stderr that it is nested; that line is not the binary's and is left
/// out.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    run_command(bin().args(args))
}

/// Runs a prepared command of the binary, as [`run`] does.
pub fn run_command(cmd: &mut assert_cmd::Command) -> (Option<i32>, String, String) {
    let out = cmd.output().expect("runs");
    let stderr: String = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with("faketime: You appear to be running faketime"))
        .map(|l| format!("{l}\n"))
        .collect();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// A path as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Makes a named pipe at `path`.
pub fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The `*.xml` files of `dir`, sorted.
pub fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

/// The probe `id` of a JSON report (`--format json`), as the binary printed it.
pub fn json_probe(stdout: &[u8], id: &str) -> serde_json::Value {
    let report: serde_json::Value = serde_json::from_slice(stdout).expect("json report");
    report["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("probe {id} in the report"))
        .clone()
}
