//! Validation against the official GAR schemas, of the files the built-in
//! [`screen`](super::screen) did not clear, by a real validator: libxml2's `xmllint`
//! (Debian `libxml2-utils`), run as a subprocess so that a hostile file can cost at most one
//! bounded process — killed at the timeout — and never the audit. `--nonet` forbids any network
//! access; files with a DTD never get here (the reader refuses them first). The XSDs are embedded
//! in the binary and written to a private temporary folder for each audit.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

use super::reader::NS_1D;

/// The 2D schema, version 1.7.
pub const XSD_2D: &str = include_str!("xsd/GAR-ENT.xsd");
/// The 1D schema, version 1.4.
pub const XSD_1D: &str = include_str!("xsd/GAR-ENT-1D.xsd");

/// How long one file's validation may take.
const TIMEOUT: Duration = Duration::from_secs(120);
/// Validity errors kept per file.
const MAX_ERRORS: usize = 200;

/// The validator program.
pub const XMLLINT: &str = "xmllint";

/// Why validation could not run.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// xmllint is not installed.
    #[error(
        "`xmllint` is not installed (Debian package libxml2-utils): the GAR schemas cannot be checked"
    )]
    Missing,
    /// The schemas could not be written, or xmllint not started.
    #[error("cannot run xmllint: {0}")]
    Io(#[from] std::io::Error),
    /// Validation took too long.
    #[error("xmllint took more than {seconds} s on {file}")]
    Timeout {
        /// The file.
        file: String,
        /// The limit.
        seconds: u64,
    },
    /// xmllint failed in a way that says nothing about the file.
    #[error("xmllint failed (exit {0}): {1}")]
    Failed(i32, String),
}

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// 1-based line, when xmllint gives one.
    pub line: Option<u64>,
    /// xmllint's message, namespaces shortened.
    pub message: String,
}

/// The schemas, written once per audit.
pub struct Validator {
    _dir: tempfile::TempDir,
    xsd_2d: PathBuf,
    xsd_1d: PathBuf,
}

impl Validator {
    /// Writes the embedded schemas to a private temporary folder.
    pub fn new() -> Result<Validator, SchemaError> {
        let dir = tempfile::tempdir()?;
        let xsd_2d = dir.path().join("GAR-ENT.xsd");
        let xsd_1d = dir.path().join("GAR-ENT-1D.xsd");
        std::fs::write(&xsd_2d, XSD_2D)?;
        std::fs::write(&xsd_1d, XSD_1D)?;
        Ok(Validator {
            _dir: dir,
            xsd_2d,
            xsd_1d,
        })
    }

    /// The schema for a root namespace: 1D for the 1D namespace, 2D otherwise (a wrong
    /// namespace then fails with "no matching global declaration").
    pub fn schema_name(namespace: &str) -> &'static str {
        if namespace == NS_1D {
            "GAR-ENT-1D.xsd v1.4"
        } else {
            "GAR-ENT.xsd v1.7"
        }
    }

    /// Validates `file`, whose root is in `namespace`; an empty list means valid.
    pub async fn validate(
        &self,
        file: &Path,
        namespace: &str,
    ) -> Result<Vec<Violation>, SchemaError> {
        let mut all = self.validate_all(&[file], namespace).await?;
        Ok(all.pop().unwrap_or_default())
    }

    /// Validates `files`, whose roots are all in `namespace`, with one xmllint process (which
    /// then reads the schema once, not once per file); one list per file, empty when valid. The
    /// timeout grows with the number of files.
    pub async fn validate_all(
        &self,
        files: &[&Path],
        namespace: &str,
    ) -> Result<Vec<Vec<Violation>>, SchemaError> {
        let xsd = if namespace == NS_1D {
            &self.xsd_1d
        } else {
            &self.xsd_2d
        };
        let child = Command::new(XMLLINT)
            .env_clear()
            .envs(sdet_core::child::environment())
            // --stream: validated as it is read, so memory stays flat whatever the file.
            .args(["--noout", "--nonet", "--stream", "--schema"])
            .arg(xsd)
            .args(files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    SchemaError::Missing
                } else {
                    SchemaError::Io(e)
                }
            })?;
        let timeout = TIMEOUT.saturating_mul(u32::try_from(files.len()).unwrap_or(u32::MAX));
        let shown = || {
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let output = tokio::time::timeout(timeout, child.wait_with_output())
            .await
            .map_err(|_| SchemaError::Timeout {
                file: shown(),
                seconds: timeout.as_secs(),
            })??;
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => Ok(vec![Vec::new(); files.len()]),
            // 1: not well-formed; 3 and 4: invalid.
            Some(1 | 3 | 4) => Ok(files
                .iter()
                .map(|file| {
                    let path = file.display().to_string();
                    let violations = parse(&stderr, &path);
                    if !violations.is_empty() {
                        violations
                    } else if files.len() > 1
                        && stderr.lines().any(|l| l == format!("{path} validates"))
                    {
                        Vec::new()
                    } else {
                        vec![Violation {
                            line: None,
                            message: if files.len() == 1 {
                                first_line(&stderr)
                            } else {
                                first_line_about(&stderr, &path)
                            },
                        }]
                    }
                })
                .collect()),
            code => Err(SchemaError::Failed(code.unwrap_or(-1), first_line(&stderr))),
        }
    }
}

/// The first line of xmllint's output about `path`.
fn first_line_about(text: &str, path: &str) -> String {
    first_line(
        text.lines()
            .find(|l| l.starts_with(path))
            .unwrap_or("no message"),
    )
}

fn first_line(text: &str) -> String {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no message")
        .chars()
        .take(300)
        .collect()
}

/// Reads `path:line: …` lines of xmllint's error output.
pub fn parse(stderr: &str, path: &str) -> Vec<Violation> {
    let prefix = format!("{path}:");
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (line, message) = rest.split_once(": ")?;
            let line = line.parse().ok();
            // "element X: Schemas validity error : Element '…': …" → keep from "Element".
            let message = message
                .split_once("Schemas validity error : ")
                .map_or(message, |(_, m)| m)
                .replace(&format!("{{{NS_1D}}}"), "")
                .replace(&format!("{{{}}}", super::reader::NS_2D), "");
            Some(Violation {
                line,
                message: message.chars().take(400).collect(),
            })
        })
        .take(MAX_ERRORS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_xmllint_messages() {
        let stderr = "/x/bad.xml:4: element GARStructureContrat: Schemas validity error : Element '{http://data.education.fr/ns/gar}GARStructureContrat': This element is not expected. Expected is ( {http://data.education.fr/ns/gar}GARStructureNomCourant ).\n/x/bad.xml fails to validate\n";
        assert_eq!(
            parse(stderr, "/x/bad.xml"),
            vec![Violation {
                line: Some(4),
                message: "Element 'GARStructureContrat': This element is not expected. Expected is ( GARStructureNomCourant ).".into()
            }]
        );
        let broken =
            "/x/b.xml:3: parser error : Premature end of data in tag GAREtab line 2\n\n^\n";
        assert_eq!(parse(broken, "/x/b.xml")[0].line, Some(3));
    }
}
