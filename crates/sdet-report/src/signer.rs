//! Who vouches for a report: the signer of its evidence bundle, as every format shows it. The
//! bundle (signing, verifying) is downstream of the report; only what is shown lives here.

use serde::{Deserialize, Serialize};

use sdet_core::text::{Lang, pick};

/// Who signed a bundle, as every report format shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The identity the certifier's allowed-signers file (or public key's comment) gives the
    /// key; `null` when the signer was not checked against a list.
    pub identity: Option<String>,
    /// The comment the signer put on their key (self-declared).
    pub key_comment: String,
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`.
    pub key_type: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// When the bundle was signed.
    pub signed_at: String,
    /// The tool that audited and signed, `sdet-audit 0.1.0`.
    pub tool: String,
    /// When the audit ran.
    pub audit_date: String,
}

impl Signer {
    /// The name to show: the vouched identity, else the key's comment, else its fingerprint.
    pub fn name(&self) -> &str {
        match &self.identity {
            Some(id) => id,
            None if !self.key_comment.is_empty() => &self.key_comment,
            None => &self.fingerprint,
        }
    }

    /// One line: who signed, with which key, when, and whether the key was checked.
    pub fn line(&self, lang: Lang) -> String {
        let checked = match (&self.identity, lang) {
            (Some(_), _) => "",
            (None, Lang::Fr) => " (clé non vérifiée : sdet-audit verify --allowed-signers)",
            (None, Lang::En) => " (key not checked: sdet-audit verify --allowed-signers)",
        };
        format!(
            "{} {} ({} {}) {} {}{checked}",
            pick(lang, "Signé par", "Signed by"),
            self.name(),
            self.key_type,
            self.fingerprint,
            pick(lang, "le", "on"),
            self.signed_at,
        )
    }
}
