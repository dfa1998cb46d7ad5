//! The hostile corpus: files, servers and bundles an audited vendor (or whoever hands the
//! certifier a file) controls, each run through the real binary with the same bounds asserted —
//! the exit code it must end with, at most 60 s, at most 256 MiB resident, no secret of the test
//! account in any output (stdout, stderr, every file written) in any encoding, nothing received by
//! the bystander (another origin on this machine), no exchange with the cloud metadata address.
//! A case that fails says which bound it broke.
//!
//! The cases are in `corpus/cases.rs`; the hostile ENT that serves the server cases in
//! `corpus/ent.rs`.

mod cases;
mod ent;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;

/// What any case may take.
const TIME_BOUND: Duration = Duration::from_secs(60);
/// What any case may print on stdout and stderr together: a diagnostic shows a window of a long
/// line, never the line.
const MAX_OUTPUT: usize = 1 << 20;
/// Resident memory any case may reach, in KiB.
const MEMORY_BOUND_KIB: u64 = 256 * 1024;

/// The test account. The password has characters each encoding changes (space, `+`, `&`, `<`,
/// `/`, non-ASCII), so a masking that only knows the literal is caught.
pub const USER: &str = "eleve.corpus";
pub const PASSWORD: &str = "S3cr<et> pa+ss/wörd&=";

/// One hostile input: the command line, and how it must end.
pub struct Case {
    /// What the case is, for failure messages.
    pub name: String,
    /// Arguments after `sdet-audit`.
    pub args: Vec<String>,
    /// The exit codes that are right for it.
    pub exits: &'static [i32],
    /// Something stdout or stderr must say (the precise diagnostic or verdict), if any.
    pub says: Option<String>,
}

impl Case {
    pub fn new(name: impl Into<String>, args: &[&str], exits: &'static [i32]) -> Case {
        Case {
            name: name.into(),
            args: args.iter().map(ToString::to_string).collect(),
            exits,
            says: None,
        }
    }

    #[must_use]
    pub fn says(mut self, text: impl Into<String>) -> Case {
        self.says = Some(text.into());
        self
    }
}

/// How a run went.
struct Run {
    code: Option<i32>,
    elapsed: Duration,
    peak_kib: u64,
    output: String,
}

/// Runs `case` in `dir` (its outputs land there), polling the child's high-water resident
/// memory until it exits; kills it at the time bound.
fn run(case: &Case, dir: &Path) -> Run {
    let out = dir.join("stdout.txt");
    let err = dir.join("stderr.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sdet-audit"))
        .args(&case.args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // What each case says is written in English, the language of the messages' code.
        .env("SDET_LANG", "en")
        .env("CORPUS_USER", USER)
        .env("CORPUS_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("the binary starts");
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let started = Instant::now();
    let mut peak_kib = 0;
    let code = loop {
        if let Some(kib) = high_water_kib(&status_file) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > TIME_BOUND {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    Run {
        code,
        elapsed: started.elapsed(),
        peak_kib,
        output: format!("{}\n{}", read(&out), read(&err)),
    }
}

/// `VmHWM` of a running process, in KiB.
fn high_water_kib(status: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(status).ok()?;
    let line = text.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Every form of the password a careless report could hold.
fn secret_forms() -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let b64url = base64::engine::general_purpose::URL_SAFE;
    let url_plus: String = url::form_urlencoded::byte_serialize(PASSWORD.as_bytes()).collect();
    let url_pct = url_plus.replace('+', "%20");
    let html = PASSWORD
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    vec![
        PASSWORD.to_string(),
        url_plus,
        url_pct,
        html,
        b64.encode(PASSWORD),
        b64url.encode(PASSWORD),
        b64.encode(format!("{USER}:{PASSWORD}")),
    ]
}

/// Every file under `dir`, recursively (symbolic links not followed).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => found.extend(files_under(&path)),
            Ok(t) if t.is_file() => found.push(path),
            _ => {}
        }
    }
    found
}

/// Runs every case, a few at once, and checks every bound; panics listing every broken one.
pub fn check_all(cases: Vec<Case>, bystander: &ent::Bystander) {
    let forms = secret_forms();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let chunks: Vec<&[Case]> = cases.chunks(cases.len().div_ceil(4).max(1)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(|| {
                    chunk
                        .iter()
                        .flat_map(|c| check(c, &forms))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("no panic"))
            .collect()
    });
    let stray = bystander
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let mut problems = problems;
    if !stray.is_empty() {
        problems.push(format!("the bystander origin received {stray:?}"));
    }
    assert!(
        problems.is_empty(),
        "{} broken bound(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn check(case: &Case, forms: &[String]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = run(case, dir.path());
    let name = &case.name;
    let mut problems = Vec::new();
    match run.code {
        None => problems.push(format!(
            "{name}: killed after {:?} (or ended by a signal)",
            run.elapsed
        )),
        Some(code) if !case.exits.contains(&code) => problems.push(format!(
            "{name}: exit {code}, expected one of {:?}\n{}",
            case.exits,
            tail(&run.output)
        )),
        Some(_) => {}
    }
    if run.peak_kib > MEMORY_BOUND_KIB {
        problems.push(format!("{name}: {} MiB resident", run.peak_kib / 1024));
    }
    if run.output.len() > MAX_OUTPUT {
        problems.push(format!(
            "{name}: {} bytes on stdout and stderr",
            run.output.len()
        ));
    }
    let mut said = run
        .output
        .contains(case.says.as_deref().unwrap_or_default());
    for file in files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes);
        said = said || text.contains(case.says.as_deref().unwrap_or_default());
        for form in forms {
            if text.contains(form.as_str()) {
                let shown = file
                    .strip_prefix(dir.path())
                    .unwrap_or(&file)
                    .display()
                    .to_string();
                problems.push(format!("{name}: the password ({form}) is in {shown}"));
            }
        }
        if let Some(url) = answered_by_metadata(&text) {
            problems.push(format!("{name}: {url} answered, in {}", file.display()));
        }
    }
    if let Some(says) = &case.says
        && !said
    {
        problems.push(format!(
            "{name}: says nowhere « {says} »\n{}",
            tail(&run.output)
        ));
    }
    problems
}

/// An exchange with the metadata address that got an answer, in a report or an observation
/// (a request refused before it was sent is recorded without a status, which is right).
fn answered_by_metadata(text: &str) -> Option<String> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut stack = vec![&json];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                let url = map.get("url").and_then(|u| u.as_str()).unwrap_or_default();
                let answered = map.get("status").is_some_and(|s| !s.is_null());
                if answered
                    && ["169.254.169.254", "fd00:ec2", "a9fe:a9fe"]
                        .iter()
                        .any(|m| url.contains(m))
                {
                    return Some(url.to_string());
                }
                stack.extend(map.values());
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    None
}

fn tail(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    lines[lines.len().saturating_sub(15)..]
        .iter()
        .map(|l| format!("    | {}", l.chars().take(300).collect::<String>()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hostile_files_and_bundles_stay_within_bounds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = cases::files(dir.path());
    assert!(cases.len() >= 20, "{} file cases", cases.len());
    check_all(cases, &ent::Bystander::default());
}

#[test]
fn a_hostile_ent_gets_no_password_no_detour_and_no_hang() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (ent, bystander) = runtime.block_on(ent::start());
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = cases::servers(&ent, dir.path());
    assert!(cases.len() >= 20, "{} server cases", cases.len());
    check_all(cases, &bystander);
    drop(runtime);
}
