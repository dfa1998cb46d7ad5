//! The evidence bundle (`--evidence DIR`): what a certifier keeps to reproduce a verdict without
//! the live ENT. `report.json` (the whole report), one file per observation under
//! `observations/` with its redacted exchanges, expected and observed values, and `manifest.json`
//! with the SHA-256 of every other file and the tool, grid and formula versions.
//!
//! It is written atomically: everything goes into a temporary folder beside DIR, which is renamed
//! into place only when complete, so an interrupted run never leaves a half bundle. Reading it
//! back (`report --from DIR`) checks every hash first: a bundle edited after the fact is refused.
//!
//! With `--sign-key`, the bundle also holds `SHA256SUMS` (every file's hash, the manifest's
//! included, with the signer, tool and audit date) and `SHA256SUMS.sig`, an OpenSSH signature
//! over it: see `statement`, `sign` and `verify`. A hash alone proves nothing to someone who
//! did not make it; the signature says who vouches for the bundle.

mod allowed_signers;
mod refusal;
pub mod sign;
pub mod statement;
pub mod verify;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::input;
use crate::report::{Report, Tool};
use crate::text::Text;
pub use allowed_signers::{AllowedSigners, TrustError};
use sdet_core::fr_en;
pub use sign::{SignError, SigningKey};
pub use verify::{Signer, Trust, Verified, VerifyError};

/// The manifest's own version.
pub const BUNDLE_VERSION: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";
/// The report's file name.
pub const REPORT: &str = "report.json";
/// The most read from one file of a bundle: observations are capped far below it.
const MAX_BUNDLE_FILE: u64 = 64 * 1024 * 1024;

/// Why a bundle could not be written or read. `Display` is in the language errors are shown in
/// ([`crate::text::errors_lang`]) and says its cause itself (a file's reason, the JSON parser's
/// words quoted); only a refused signature keeps its own error as a source.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum BundleError {
    /// A file could not be written or read.
    Io {
        /// Which file.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// The destination exists and holds files.
    NotEmpty(PathBuf),
    /// A file of the bundle is not a regular file, too large, or unreadable.
    Input(crate::input::InputError),
    /// The bundle is malformed or does not match its manifest.
    Invalid {
        /// Which file.
        path: PathBuf,
        /// Why.
        why: Text,
    },
    /// The bundle could not be signed.
    Sign(SignError),
    /// The bundle is signed, and its signature or files do not hold.
    Signature(Box<VerifyError>),
}

impl BundleError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            BundleError::Io { path, cause } => crate::text::io_reason(cause).about(path.display()),
            BundleError::NotEmpty(dir) => fr_en!(
                "{} : le dossier existe et n'est pas vide ; des preuves ne sont jamais écrasées",
                "{}: the folder exists and is not empty; refusing to overwrite evidence",
                dir.display()
            ),
            BundleError::Input(e) => e.wording(),
            BundleError::Invalid { path, why } => why.about(path.display()),
            BundleError::Sign(e) => e.text(),
            BundleError::Signature(e) => Text::new(
                e.message(crate::text::Lang::Fr),
                e.message(crate::text::Lang::En),
            ),
        }
    }
}

impl From<crate::input::InputError> for BundleError {
    fn from(e: crate::input::InputError) -> Self {
        BundleError::Input(e)
    }
}

impl From<SignError> for BundleError {
    fn from(e: SignError) -> Self {
        BundleError::Sign(e)
    }
}

/// One file the manifest vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path inside the bundle, `/`-separated.
    pub path: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// This manifest's format.
    pub bundle_version: u32,
    /// The report contract's version.
    pub format_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The SDET grid version audited against.
    pub sdet_version: String,
    /// The scoring formula's version.
    pub formula_version: u32,
    /// When the audit ran.
    pub generated_at: String,
    /// The ENT audited.
    pub target: String,
    /// Every file but the manifest.
    pub files: Vec<FileEntry>,
}

/// The files of a bundle, in memory: `(path, bytes)`, the manifest last.
pub fn files(report: &Report) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(
        REPORT.to_string(),
        crate::report::json::render(report).into_bytes(),
    )];
    for (i, probe) in report.probes.iter().enumerate() {
        let name = format!("observations/{:03}-{}.json", i + 1, safe_name(&probe.id));
        let json = serde_json::to_string_pretty(probe).unwrap_or_default() + "\n";
        files.push((name, json.into_bytes()));
    }
    let manifest = Manifest {
        bundle_version: BUNDLE_VERSION,
        format_version: report.format_version,
        tool: report.tool.clone(),
        sdet_version: report.grid.sdet_version.clone(),
        formula_version: report.scores.formula_version,
        generated_at: report.generated_at.clone(),
        target: report.target.name.clone(),
        files: files
            .iter()
            .map(|(path, bytes)| FileEntry {
                path: path.clone(),
                sha256: sha256(bytes),
                bytes: bytes.len() as u64,
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    files.push((MANIFEST.to_string(), json.into_bytes()));
    files
}

/// The files of a signed bundle: those of [`files`], then `SHA256SUMS` and its signature.
pub fn signed_files(
    report: &Report,
    key: &SigningKey,
    signed_at: time::OffsetDateTime,
) -> Result<Vec<(String, Vec<u8>)>, BundleError> {
    let mut files = files(report);
    let metadata = key.metadata(
        format!("{} {}", report.tool.name, report.tool.version),
        report.generated_at.clone(),
        crate::report::rfc3339(signed_at),
        report.target.name.clone(),
    );
    let mut listed: Vec<(String, String)> = files
        .iter()
        .map(|(path, bytes)| (path.clone(), sha256(bytes)))
        .collect();
    // Sorted as `find | sort` would list them, so the file reads like any SHA256SUMS.
    listed.sort();
    let statement = statement::Statement {
        metadata,
        files: listed,
    }
    .render();
    let signature = key.sign(statement.as_bytes())?;
    files.push((statement::SUMS.to_string(), statement.into_bytes()));
    files.push((statement::SUMS_SIG.to_string(), signature.into_bytes()));
    Ok(files)
}

/// Writes the bundle of `report` to `dir`, atomically, signed with `key` when given.
pub fn write(report: &Report, dir: &Path, key: Option<&SigningKey>) -> Result<(), BundleError> {
    let files = match key {
        Some(key) => signed_files(report, key, time::OffsetDateTime::now_utc())?,
        None => files(report),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| BundleError::Io { path, cause }
    };
    if dir.exists() {
        if std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
            return Err(BundleError::NotEmpty(dir.to_path_buf()));
        }
        std::fs::remove_dir(dir).map_err(io(dir))?;
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    sweep_leftovers(parent, EVIDENCE_PREFIX);
    // 0777 less the umask, as for any new folder (tempfile's default is a private 0700).
    let tmp = tempfile::Builder::new()
        .prefix(EVIDENCE_PREFIX)
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o777))
        .tempdir_in(parent)
        .map_err(io(parent))?;
    for (name, bytes) in files {
        let path = tmp.path().join(&name);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        let mut file = std::fs::File::create(&path).map_err(io(&path))?;
        file.write_all(&bytes).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
    }
    std::fs::rename(tmp.path(), dir).map_err(io(dir))?;
    // Renamed away: there is nothing left for the guard to delete.
    let _ = tmp.keep();
    Ok(())
}

/// Reads a bundle back, refusing it unless every file matches the manifest; a signed bundle
/// must also carry a sound signature over exactly its files (the signer is not checked against
/// a list here: that is `verify` with a [`Trust`]), and its report names the signer.
pub fn read(dir: &Path) -> Result<Report, BundleError> {
    let signed = [statement::SUMS, statement::SUMS_SIG]
        .iter()
        .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok());
    if signed {
        return verify::verify(dir, &Trust::Unchecked)
            .map(|v| v.report)
            .map_err(|e| match e {
                VerifyError::Bundle(e) => e,
                other => BundleError::Signature(Box::new(other)),
            });
    }
    read_unsigned(dir)
}

/// Reads and checks `manifest.json`.
fn read_manifest(dir: &Path) -> Result<Manifest, BundleError> {
    let manifest_path = dir.join(MANIFEST);
    let invalid = |path: &Path, why: Text| BundleError::Invalid {
        path: path.to_path_buf(),
        why,
    };
    let text = input::read_text(&manifest_path, input::MAX_CONFIG_BYTES)?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        invalid(
            &manifest_path,
            fr_en!(
                "pas un manifeste de bundle « {e} »",
                "not a bundle manifest « {e} »"
            ),
        )
    })?;
    if manifest.bundle_version != BUNDLE_VERSION {
        return Err(invalid(
            &manifest_path,
            fr_en!(
                "la version de bundle {} n'est pas prise en charge (cet outil lit la \
                 {BUNDLE_VERSION})",
                "bundle version {} is not supported (this tool reads {BUNDLE_VERSION})",
                manifest.bundle_version
            ),
        ));
    }
    Ok(manifest)
}

/// Reads a bundle's report, checking every file against the manifest.
fn read_unsigned(dir: &Path) -> Result<Report, BundleError> {
    let manifest_path = dir.join(MANIFEST);
    let invalid = |path: &Path, why: Text| BundleError::Invalid {
        path: path.to_path_buf(),
        why,
    };
    let manifest = read_manifest(dir)?;
    for entry in &manifest.files {
        if entry
            .path
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(invalid(
                &manifest_path,
                fr_en!("chemin dangereux `{}`", "unsafe path `{}`", entry.path),
            ));
        }
        let path = dir.join(&entry.path);
        let bytes = input::read(&path, MAX_BUNDLE_FILE)?;
        if sha256(&bytes) != entry.sha256 {
            return Err(invalid(
                &path,
                Text::new(
                    "son SHA-256 n'est pas celui du manifeste : le bundle a été modifié après \
                     l'audit",
                    "its SHA-256 does not match the manifest: the bundle was changed after the \
                     audit",
                ),
            ));
        }
    }
    if !manifest.files.iter().any(|f| f.path == REPORT) {
        return Err(invalid(
            &manifest_path,
            fr_en!(
                "le manifeste ne liste pas {REPORT}",
                "the manifest does not list {REPORT}"
            ),
        ));
    }
    let path = dir.join(REPORT);
    let text = input::read_text(&path, MAX_BUNDLE_FILE)?;
    crate::report::read::parse(&text).map_err(|e| {
        invalid(
            &path,
            fr_en!(
                "pas un rapport JSON de sdet-audit « {e} »",
                "not a sdet-audit JSON report « {e} »"
            ),
        )
    })
}

/// The name of a bundle being written, before it is renamed into place.
const EVIDENCE_PREFIX: &str = ".sdet-evidence-";

/// How old a temporary file or folder must be to count as left by a killed run: writing one
/// takes seconds, so an hour-old one has no writer.
const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes what a run killed while writing left in `dir` under `prefix` (best effort: a file
/// that cannot be removed is left for the next run).
pub fn sweep_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if old && entry.file_name().to_string_lossy().starts_with(prefix) {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use std::fmt::Write as _;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A probe id as a file name: anything but `[A-Za-z0-9._-]` becomes `_`.
fn safe_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_names_are_stable() {
        assert_eq!(
            sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(safe_name("cas.login_form/../x"), "cas.login_form_.._x");
    }
}
