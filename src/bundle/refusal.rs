//! Why a signed bundle is refused, in the user's language: each refusal names the one thing
//! that is wrong (which file changed, was removed or added; which key signed; what the signature
//! is over), since a certifier must be able to say exactly why they reject evidence.

use std::path::PathBuf;

use super::BundleError;
use super::MANIFEST;
use super::statement::{NAMESPACE, SUMS, SUMS_SIG};
use crate::text::{Lang, Text};

/// Why a bundle is refused.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Neither `SHA256SUMS` nor its signature is there.
    #[error("{}", self.message(crate::text::errors_lang()))]
    NotSigned(PathBuf),
    /// One of `SHA256SUMS` and `SHA256SUMS.sig` is missing.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Missing(PathBuf),
    /// The signature file is not an sshsig signature.
    #[error("{}", self.message(crate::text::errors_lang()))]
    BadSignature(PathBuf, String),
    /// Signed for another purpose.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Namespace(String),
    /// The signature does not match `SHA256SUMS`'s bytes.
    #[error("{}", self.message(crate::text::errors_lang()))]
    OtherManifest(PathBuf),
    /// The signer's key is not trusted.
    #[error("{}", self.message(crate::text::errors_lang()))]
    NotAllowed {
        /// The key, `ssh-ed25519 SHA256:…`.
        key: String,
        /// What it was checked against.
        against: PathBuf,
    },
    /// The signature was made with a key type this tool does not verify (RSA, P-384…).
    #[error("{}", self.message(crate::text::errors_lang()))]
    UnsupportedKey(String),
    /// The signer's line has an option not judged here.
    #[error("{}", self.message(crate::text::errors_lang()))]
    UnsupportedOption {
        /// The allowed-signers file.
        path: PathBuf,
        /// Line.
        line: usize,
        /// Option.
        option: String,
    },
    /// `SHA256SUMS` is malformed.
    #[error("{}", self.message(crate::text::errors_lang()))]
    BadStatement(PathBuf, Text),
    /// A file's bytes changed.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Tampered(String),
    /// A listed file is gone.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Removed(String),
    /// A file is not listed.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Added(String),
    /// `SHA256SUMS` and `manifest.json` disagree.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Inconsistent(Text),
    /// The trust file could not be read.
    #[error("{}", self.message(crate::text::errors_lang()))]
    Trust(String),
    /// The bundle could not be read (not a file, too large, malformed manifest…).
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

impl VerifyError {
    /// The refusal, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            VerifyError::NotSigned(dir) if fr => format!(
                "{} : le bundle n'est pas signé (ni {SUMS} ni {SUMS_SIG}) ; signez-le avec `--sign-key`",
                dir.display()
            ),
            VerifyError::NotSigned(dir) => format!(
                "{}: the bundle is not signed (no {SUMS}, no {SUMS_SIG}); sign it with `--sign-key`",
                dir.display()
            ),
            VerifyError::Missing(path) if fr => {
                format!("{} : fichier supprimé du bundle signé", path.display())
            }
            VerifyError::Missing(path) => {
                format!("{}: removed from the signed bundle", path.display())
            }
            VerifyError::BadSignature(path, why) if fr => format!(
                "{} : pas une signature OpenSSH (ssh-keygen -Y sign) « {why} »",
                path.display()
            ),
            VerifyError::BadSignature(path, why) => format!(
                "{}: not an OpenSSH signature (ssh-keygen -Y sign): {why}",
                path.display()
            ),
            VerifyError::Namespace(ns) if fr => {
                format!("signature faite pour l'espace de noms « {ns} », pas « {NAMESPACE} »")
            }
            VerifyError::Namespace(ns) => {
                format!("signature made for namespace \"{ns}\", not \"{NAMESPACE}\"")
            }
            VerifyError::OtherManifest(path) if fr => format!(
                "{} : la signature ne porte pas sur ce {SUMS} (elle signe un autre manifeste, ou {SUMS} a été modifié)",
                path.display()
            ),
            VerifyError::OtherManifest(path) => format!(
                "{}: the signature is not over this {SUMS} (it signs another manifest, or {SUMS} was changed)",
                path.display()
            ),
            VerifyError::NotAllowed { key, against } if fr => format!(
                "signé par la clé {key}, qui n'est pas autorisée par {}",
                against.display()
            ),
            VerifyError::NotAllowed { key, against } => format!(
                "signed by key {key}, which {} does not allow",
                against.display()
            ),
            VerifyError::UnsupportedKey(key) if fr => format!(
                "signé par une clé {key}, que sdet-audit ne vérifie pas (Ed25519, ECDSA P-256) ; vérifiez avec ssh-keygen -Y verify"
            ),
            VerifyError::UnsupportedKey(key) => format!(
                "signed by a {key} key, which sdet-audit does not verify (Ed25519, ECDSA P-256); check with ssh-keygen -Y verify"
            ),
            VerifyError::UnsupportedOption { path, line, option } if fr => format!(
                "{} ligne {line} : l'option `{option}` n'est pas jugée par sdet-audit ; vérifiez avec ssh-keygen -Y verify",
                path.display()
            ),
            VerifyError::UnsupportedOption { path, line, option } => format!(
                "{} line {line}: option `{option}` is not judged by sdet-audit; check with ssh-keygen -Y verify",
                path.display()
            ),
            VerifyError::BadStatement(path, why) if fr => {
                format!("{} : mal formé : {}", path.display(), why.fr)
            }
            VerifyError::BadStatement(path, why) => {
                format!("{}: malformed: {}", path.display(), why.en)
            }
            VerifyError::Tampered(file) if fr => format!(
                "{file} : modifié après la signature (son SHA-256 n'est pas celui de {SUMS})"
            ),
            VerifyError::Tampered(file) => {
                format!("{file}: changed after signing (its SHA-256 is not the one in {SUMS})")
            }
            VerifyError::Removed(file) if fr => {
                format!("{file} : supprimé après la signature ({SUMS} le liste)")
            }
            VerifyError::Removed(file) => {
                format!("{file}: removed after signing ({SUMS} lists it)")
            }
            VerifyError::Added(file) if fr => {
                format!("{file} : ajouté après la signature ({SUMS} ne le liste pas)")
            }
            VerifyError::Added(file) => {
                format!("{file}: added after signing ({SUMS} does not list it)")
            }
            VerifyError::Inconsistent(why) if fr => {
                format!(
                    "{SUMS} et {MANIFEST} ne décrivent pas le même audit : {}",
                    why.fr
                )
            }
            VerifyError::Inconsistent(why) => {
                format!(
                    "{SUMS} and {MANIFEST} do not describe the same audit: {}",
                    why.en
                )
            }
            VerifyError::Trust(why) => why.clone(),
            VerifyError::Bundle(e) => e.text().get(lang).to_owned(),
        }
    }
}
