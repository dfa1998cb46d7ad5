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
use crate::text::Text;
use sdet_core::fr_en;

/// The most read from a key file: an RSA-16384 key is under 13 KiB.
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Why a key cannot sign. `Display` is in the language errors are shown in
/// ([`crate::text::errors_lang`]); what the key parser or the signer said is quoted as it came.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum SignError {
    /// The key file is not a regular file, too large, or unreadable.
    Input(input::InputError),
    /// The file is not an OpenSSH private key.
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// What the parser said.
        why: String,
    },
    /// The key is protected and no passphrase was given.
    NoPassphrase {
        /// The key file.
        path: PathBuf,
        /// The variable to set.
        env: &'static str,
    },
    /// The passphrase does not open the key.
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
        /// The variable read.
        env: &'static str,
    },
    /// The key's algorithm cannot sign here.
    Unsupported {
        /// The key file.
        path: PathBuf,
        /// Its algorithm.
        algorithm: String,
        /// What the signer said.
        why: String,
    },
    /// Signing failed.
    Sign(String),
}

impl SignError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            SignError::Input(e) => e.wording(),
            SignError::NotAKey { path, why } => fr_en!(
                "{} : pas une clé privée OpenSSH « {why} » ; créez-en une avec \
                 `ssh-keygen -t ed25519`",
                "{}: not an OpenSSH private key « {why} »; make one with `ssh-keygen -t ed25519`",
                path.display()
            ),
            SignError::NoPassphrase { path, env } => fr_en!(
                "{} : la clé est protégée par une phrase de passe : mettez-la dans la variable \
                 d'environnement {env} (ssh-agent n'est pas pris en charge)",
                "{}: the key is protected by a passphrase: put it in the environment variable \
                 {env} (ssh-agent is not supported)",
                path.display()
            ),
            SignError::WrongPassphrase { path, env } => fr_en!(
                "{} : la phrase de passe de {env} n'ouvre pas cette clé",
                "{}: the passphrase in {env} does not open this key",
                path.display()
            ),
            SignError::Unsupported {
                path,
                algorithm,
                why,
            } => fr_en!(
                "{} : une clé {algorithm} ne peut pas signer ici « {why} » ; prenez une clé \
                 Ed25519 ou ECDSA P-256",
                "{}: a {algorithm} key cannot sign here « {why} »; use an Ed25519 or ECDSA \
                 P-256 key",
                path.display()
            ),
            SignError::Sign(why) => fr_en!(
                "le bundle n'a pas pu être signé « {why} »",
                "the bundle could not be signed « {why} »"
            ),
        }
    }
}

impl From<input::InputError> for SignError {
    fn from(e: input::InputError) -> Self {
        SignError::Input(e)
    }
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
