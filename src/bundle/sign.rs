//! Signing a bundle: an OpenSSH private key (the format `ssh-keygen` writes, so a certifier
//! signs with the key they already have) makes an sshsig signature over `SHA256SUMS`, the
//! same signature `ssh-keygen -Y sign -n sdet-audit` would make. The key is loaded and tried
//! before the audit starts, so a wrong passphrase never costs a whole audit.
//!
//! The passphrase of a protected key is handed in by the caller (the CLI reads it from an
//! environment variable), never from the command line, where `ps` and shell history would
//! show it. ssh-agent is not used: the key must be a file.

use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey};

use super::statement::{Metadata, NAMESPACE};
use crate::input;

/// The most read from a key file: an RSA-16384 key is under 13 KiB.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Why a key cannot sign.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The key file is not a regular file, too large, or unreadable.
    #[error(transparent)]
    Input(#[from] input::InputError),
    /// The file is not an OpenSSH private key.
    #[error("{}: not an OpenSSH private key ({why}); make one with `ssh-keygen -t ed25519`", path.display())]
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// What the parser said.
        why: String,
    },
    /// The key is protected and no passphrase was given.
    #[error("{}: the key is protected by a passphrase: put it in the environment variable {env} (ssh-agent is not supported)", path.display())]
    NoPassphrase {
        /// The key file.
        path: PathBuf,
        /// The variable to set.
        env: &'static str,
    },
    /// The passphrase does not open the key.
    #[error("{}: the passphrase in {env} does not open this key", path.display())]
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
        /// The variable read.
        env: &'static str,
    },
    /// The key's algorithm cannot sign here.
    #[error("{}: a {algorithm} key cannot sign here ({why}); use an Ed25519 or ECDSA P-256 key", path.display())]
    Unsupported {
        /// The key file.
        path: PathBuf,
        /// Its algorithm.
        algorithm: String,
        /// What the signer said.
        why: String,
    },
    /// Signing failed.
    #[error("the bundle could not be signed: {0}")]
    Sign(String),
}

/// The environment variable that holds a protected key's passphrase.
pub const PASSPHRASE_ENV: &str = "SDET_SIGN_PASSPHRASE";

/// A private key ready to sign.
#[derive(Debug)]
pub struct SigningKey {
    key: PrivateKey,
}

impl SigningKey {
    /// Loads the OpenSSH private key at `path`, decrypting it with `passphrase` when protected,
    /// and makes one trial signature, so an unusable key is refused now.
    pub fn load(path: &Path, passphrase: Option<&str>) -> Result<SigningKey, SignError> {
        let text = input::read_text(path, MAX_KEY_BYTES)?;
        let mut key = PrivateKey::from_openssh(text.trim()).map_err(|e| SignError::NotAKey {
            path: path.to_path_buf(),
            why: e.to_string(),
        })?;
        if key.is_encrypted() {
            let Some(passphrase) = passphrase else {
                return Err(SignError::NoPassphrase {
                    path: path.to_path_buf(),
                    env: PASSPHRASE_ENV,
                });
            };
            key = key
                .decrypt(passphrase)
                .map_err(|_| SignError::WrongPassphrase {
                    path: path.to_path_buf(),
                    env: PASSPHRASE_ENV,
                })?;
        }
        let signer = SigningKey { key };
        signer
            .key
            .sign(NAMESPACE, HashAlg::Sha512, b"sdet-audit trial signature")
            .map_err(|e| SignError::Unsupported {
                path: path.to_path_buf(),
                algorithm: signer.key.algorithm().to_string(),
                why: e.to_string(),
            })?;
        Ok(signer)
    }

    /// The metadata this key puts in a statement, for an audit of `target` made on `audit_date`
    /// by `tool`, signed `signed_at`.
    pub fn metadata(
        &self,
        tool: String,
        audit_date: String,
        signed_at: String,
        target: String,
    ) -> Metadata {
        let public = self.key.public_key();
        Metadata {
            tool,
            audit_date,
            signed_at,
            target,
            key_type: public.algorithm().to_string(),
            fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
            key_comment: public.comment().to_string(),
        }
    }

    /// The armored signature (`-----BEGIN SSH SIGNATURE-----`) over `message`, SHA-512 as
    /// `ssh-keygen -Y sign` makes by default.
    pub fn sign(&self, message: &[u8]) -> Result<String, SignError> {
        self.key
            .sign(NAMESPACE, HashAlg::Sha512, message)
            .and_then(|sig| sig.to_pem(LineEnding::LF))
            .map(|pem| if pem.ends_with('\n') { pem } else { pem + "\n" })
            .map_err(|e| SignError::Sign(e.to_string()))
    }
}
