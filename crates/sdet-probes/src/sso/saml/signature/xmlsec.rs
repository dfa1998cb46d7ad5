//! Runs `xmlsec1 --verify` on one document with one trusted certificate, as a bounded
//! subprocess (killed at the timeout) in a private temporary folder. The options are pysaml2's:
//! only same-document references (no fetch of anything), and keys only from the certificate
//! given (`raw-x509-cert`), so a certificate the document carries in its `KeyInfo` is never
//! trusted. The document has already been read by `sdet_core::xml` (no DTD), so xmlsec1 never sees
//! an entity to expand.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

/// The command, found on `PATH`.
const XMLSEC1: &str = "xmlsec1";
/// A signature check is milliseconds; anything longer is a hostile document.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The verification could not run (no answer about the signature).
#[derive(Debug, thiserror::Error)]
pub enum XmlsecError {
    /// xmlsec1 is not installed.
    #[error(
        "xmlsec1 is not installed: XML signatures cannot be verified (apt-get install xmlsec1)"
    )]
    Missing,
    /// It ran too long and was killed.
    #[error("xmlsec1 took more than {0} s and was stopped")]
    Timeout(u64),
    /// Files or process.
    #[error("cannot run xmlsec1: {0}")]
    Io(#[from] std::io::Error),
}

/// `Ok(Ok(()))` when the signature of the element with `id` (of type `qualified`) verifies with
/// `cert_base64` (DER, base64); `Ok(Err(why))` when it does not.
pub async fn verify(
    document: &str,
    qualified: &str,
    id: &str,
    cert_base64: &str,
) -> Result<Result<(), String>, XmlsecError> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("document.xml");
    let cert = dir.path().join("trusted.pem");
    std::fs::write(&file, document)?;
    std::fs::write(&cert, pem(cert_base64))?;
    let child = Command::new(XMLSEC1)
        .env_clear()
        .envs(sdet_core::child::environment())
        .args([
            "--verify",
            "--enabled-reference-uris",
            "same-doc",
            "--enabled-key-data",
            "raw-x509-cert",
            "--pubkey-cert-pem",
        ])
        .arg(&cert)
        .arg("--id-attr:ID")
        .arg(qualified)
        .args(["--node-id", id])
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                XmlsecError::Missing
            } else {
                XmlsecError::Io(e)
            }
        })?;
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| XmlsecError::Timeout(TIMEOUT.as_secs()))??;
    if output.status.success() {
        return Ok(Ok(()));
    }
    Ok(Err(reason(&String::from_utf8_lossy(&output.stderr))))
}

/// A certificate's base64 DER as PEM, wrapped at 64 columns.
fn pem(base64_text: &str) -> String {
    let compact: String = base64_text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in compact.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The telling part of xmlsec1's complaint (`error=…:details=…`), or its first line.
fn reason(stderr: &str) -> String {
    let detail = stderr
        .lines()
        .find_map(|l| l.split_once("error=").map(|(_, rest)| rest.to_string()));
    let line = detail.unwrap_or_else(|| {
        stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("verification failed")
            .to_string()
    });
    line.chars().take(200).collect()
}
