//! Verifying a signed bundle: the signature over `SHA256SUMS`, the signer against what the
//! certifier trusts, then every file against `SHA256SUMS` — none changed, none removed, none
//! added — and `SHA256SUMS` against the manifest. The checks are the ones `ssh-keygen -Y
//! verify` and `sha256sum --check --strict` make, so this tool and the standard ones accept
//! and refuse the same bundles. Each refusal names the one thing that is wrong.

use std::path::{Path, PathBuf};

use ssh_key::public::{EcdsaPublicKey, KeyData};
use ssh_key::{HashAlg, PublicKey, SshSig};

use super::allowed_signers::{AllowedSigners, Lookup, TrustError};
pub use super::refusal::VerifyError;
use super::statement::{NAMESPACE, SUMS, SUMS_SIG, Statement};
use super::{BundleError, MANIFEST, MAX_BUNDLE_FILE, sha256};
use crate::input;
use crate::report::Report;
pub use crate::report::signer::Signer;
use crate::text::{Lang, Text};
use sdet_core::fr_en;

/// Whom the certifier trusts to sign.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The keys and identities of an OpenSSH allowed-signers file.
    AllowedSigners(AllowedSigners),
    /// One public key (its comment names the signer).
    PublicKey {
        /// The key file, for messages.
        path: PathBuf,
        /// The key.
        key: PublicKey,
    },
    /// Nobody in particular: the signature must be sound, the signer is reported unchecked.
    Unchecked,
}

impl Trust {
    /// Reads an OpenSSH public key file (`id_ed25519.pub`).
    pub fn public_key(path: &Path) -> Result<Trust, TrustError> {
        let text = input::read_text(path, 64 * 1024)?;
        let key = PublicKey::from_openssh(text.trim()).map_err(|cause| TrustError::NotAKey {
            path: path.to_path_buf(),
            cause,
        })?;
        Ok(Trust::PublicKey {
            path: path.to_path_buf(),
            key,
        })
    }
}

/// A bundle that passed: its report (signer attached) and how many files were checked.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The report, with `signature` set.
    pub report: Report,
    /// Files checked against `SHA256SUMS`.
    pub files: usize,
}

impl Verified {
    /// `verify`'s one line: who signed what and when.
    pub fn summary(&self, dir: &Path, lang: Lang) -> String {
        let Some(s) = &self.report.signature else {
            return String::new();
        };
        match lang {
            Lang::Fr => format!(
                "{} : intact — {}, audit de « {} » du {} par {}, {} fichiers vérifiés.",
                dir.display(),
                s.line(lang),
                self.report.target.name,
                s.audit_date,
                s.tool,
                self.files
            ),
            Lang::En => format!(
                "{}: intact — {}, audit of \"{}\" on {} by {}, {} files checked.",
                dir.display(),
                s.line(lang),
                self.report.target.name,
                s.audit_date,
                s.tool,
                self.files
            ),
        }
    }
}

/// Verifies the signed bundle in `dir` against `trust`.
pub fn verify(dir: &Path, trust: &Trust) -> Result<Verified, VerifyError> {
    let sums_path = dir.join(SUMS);
    let sig_path = dir.join(SUMS_SIG);
    match (present(&sums_path), present(&sig_path)) {
        (false, false) => return Err(VerifyError::NotSigned(dir.to_path_buf())),
        (true, false) => return Err(VerifyError::Missing(sig_path)),
        (false, true) => return Err(VerifyError::Missing(sums_path)),
        (true, true) => {}
    }
    let sums = input::read(&sums_path, MAX_BUNDLE_FILE).map_err(BundleError::from)?;
    let armored = input::read_text(&sig_path, 64 * 1024).map_err(BundleError::from)?;
    let sig = SshSig::from_pem(armored.trim())
        .map_err(|e| VerifyError::BadSignature(sig_path.clone(), e.to_string()))?;
    if sig.namespace() != NAMESPACE {
        return Err(VerifyError::Namespace(sig.namespace().to_string()));
    }
    // The signature's own key checks the bytes first: "not over this manifest" and "not a
    // trusted key" are different refusals, and the first must not hide behind the second.
    let signer_key = PublicKey::new(sig.public_key().clone(), "");
    if !verifiable(sig.public_key()) {
        // Said as such: "not over this manifest" would accuse a bundle this tool cannot judge.
        return Err(VerifyError::UnsupportedKey(
            signer_key.algorithm().to_string(),
        ));
    }
    signer_key
        .verify(NAMESPACE, &sums, &sig)
        .map_err(|_| VerifyError::OtherManifest(sig_path.clone()))?;
    let identity = vouch(trust, &signer_key)?;
    let text = String::from_utf8(sums).map_err(|_| {
        VerifyError::BadStatement(
            sums_path.clone(),
            Text::new("pas du texte UTF-8", "not UTF-8 text"),
        )
    })?;
    let statement =
        Statement::parse(&text).map_err(|why| VerifyError::BadStatement(sums_path.clone(), why))?;
    let fingerprint = signer_key.fingerprint(HashAlg::Sha256).to_string();
    if statement.metadata.fingerprint != fingerprint {
        return Err(VerifyError::Inconsistent(fr_en!(
            "{SUMS} nomme la clé {}, la signature a été faite par {fingerprint}",
            "{SUMS} names key {}, the signature was made by {fingerprint}",
            statement.metadata.fingerprint
        )));
    }
    check_files(dir, &statement)?;
    let mut report = super::read_unsigned(dir)?;
    check_manifest(dir, &statement)?;
    let m = statement.metadata;
    report.signature = Some(Signer {
        identity,
        key_comment: m.key_comment,
        key_type: signer_key.algorithm().to_string(),
        fingerprint,
        signed_at: m.signed_at,
        tool: m.tool,
        audit_date: m.audit_date,
    });
    Ok(Verified {
        report,
        files: statement.files.len(),
    })
}

/// Whether this build verifies signatures by such a key (the crate features in Cargo.toml).
fn verifiable(key: &KeyData) -> bool {
    matches!(
        key,
        KeyData::Ed25519(_)
            | KeyData::SkEd25519(_)
            | KeyData::SkEcdsaSha2NistP256(_)
            | KeyData::Ecdsa(EcdsaPublicKey::NistP256(_))
    )
}

/// Whether `path` exists, without following a symlink (a symlink counts: it is refused later).
fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn vouch(trust: &Trust, key: &PublicKey) -> Result<Option<String>, VerifyError> {
    let named = || format!("{} {}", key.algorithm(), key.fingerprint(HashAlg::Sha256));
    match trust {
        Trust::Unchecked => Ok(None),
        Trust::PublicKey { path, key: trusted } if trusted.key_data() == key.key_data() => {
            let comment = trusted.comment();
            Ok(Some(if comment.is_empty() {
                path.display().to_string()
            } else {
                comment.to_string()
            }))
        }
        Trust::PublicKey { path, .. } => Err(VerifyError::NotAllowed {
            key: named(),
            against: path.clone(),
        }),
        Trust::AllowedSigners(list) => match list.principals(key.key_data(), NAMESPACE) {
            Ok(principals) => Ok(Some(principals)),
            Err(Lookup::NotListed) => Err(VerifyError::NotAllowed {
                key: named(),
                against: list.path.clone(),
            }),
            Err(Lookup::Unsupported { line, option }) => Err(VerifyError::UnsupportedOption {
                path: list.path.clone(),
                line,
                option,
            }),
        },
    }
}

/// Every listed file is there with its hash, and nothing else is in the folder.
fn check_files(dir: &Path, statement: &Statement) -> Result<(), VerifyError> {
    let mut on_disk = Vec::new();
    list(dir, "", &mut on_disk)?;
    for found in &on_disk {
        if found != SUMS && found != SUMS_SIG && !statement.files.iter().any(|(p, _)| p == found) {
            return Err(VerifyError::Added(found.clone()));
        }
    }
    for (path, expected) in &statement.files {
        if !on_disk.contains(path) {
            return Err(VerifyError::Removed(path.clone()));
        }
        let bytes = input::read(&dir.join(path), MAX_BUNDLE_FILE).map_err(BundleError::from)?;
        if &sha256(&bytes) != expected {
            return Err(VerifyError::Tampered(path.clone()));
        }
    }
    Ok(())
}

/// The most entries walked in a bundle: a demo bundle has about fifty.
const MAX_ENTRIES: usize = 100_000;

/// The bundle's files, `/`-separated; a symlink or special file is refused, as an added file
/// the signature does not cover.
fn list(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), VerifyError> {
    let io = |cause| BundleError::Io {
        path: dir.to_path_buf(),
        cause,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            list(&entry.path(), &format!("{rel}/"), out)?;
        } else if kind.is_file() {
            out.push(rel);
        } else {
            return Err(VerifyError::Added(rel));
        }
        if out.len() > MAX_ENTRIES {
            return Err(VerifyError::Added(format!(
                "{prefix}… ({MAX_ENTRIES}+ files)"
            )));
        }
    }
    Ok(())
}

/// `SHA256SUMS` lists exactly the manifest and the files the manifest lists, with the same
/// hashes, and names the same audit.
fn check_manifest(dir: &Path, statement: &Statement) -> Result<(), VerifyError> {
    let manifest = super::read_manifest(dir)?;
    if !statement.files.iter().any(|(p, _)| p == MANIFEST) {
        return Err(VerifyError::Inconsistent(fr_en!(
            "{SUMS} ne liste pas {MANIFEST}",
            "{SUMS} does not list {MANIFEST}"
        )));
    }
    let mut signed: Vec<(&str, &str)> = statement
        .files
        .iter()
        .filter(|(p, _)| p != MANIFEST)
        .map(|(p, h)| (p.as_str(), h.as_str()))
        .collect();
    let mut listed: Vec<(&str, &str)> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.sha256.as_str()))
        .collect();
    signed.sort_unstable();
    listed.sort_unstable();
    if signed != listed {
        return Err(VerifyError::Inconsistent(Text::new(
            "les listes de fichiers diffèrent",
            "the file lists differ",
        )));
    }
    let tool = format!("{} {}", manifest.tool.name, manifest.tool.version);
    if statement.metadata.tool != tool || statement.metadata.audit_date != manifest.generated_at {
        return Err(VerifyError::Inconsistent(Text::same(format!(
            "{SUMS}: {}, {}; {MANIFEST}: {tool}, {}",
            statement.metadata.tool, statement.metadata.audit_date, manifest.generated_at
        ))));
    }
    Ok(())
}
