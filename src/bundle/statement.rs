//! The signed statement of a bundle, `SHA256SUMS`: the SHA-256 of every file of the bundle
//! (`manifest.json` included) in the format `sha256sum --check --strict` reads, preceded by `#`
//! lines (which `sha256sum` skips) saying who signed, with which tool, for which audit.
//!
//! Signing this one file rather than `manifest.json` lets a certifier check a bundle with two
//! standard tools and no sdet-audit: `ssh-keygen -Y verify` for the signature over
//! `SHA256SUMS`, then `sha256sum --check --strict SHA256SUMS` for every file it lists. Because
//! the metadata lines are inside the signed bytes, the signer's fingerprint, the tool version
//! and the audit date cannot be changed without breaking the signature.

use std::fmt::Write as _;

use sdet_core::fr_en;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// The statement's file name.
pub const SUMS: &str = "SHA256SUMS";
/// Its signature's file name (`ssh-keygen -Y sign` writes `FILE.sig`).
pub const SUMS_SIG: &str = "SHA256SUMS.sig";
/// The sshsig namespace: a signature made for another purpose (`git`, `file`) never passes.
pub const NAMESPACE: &str = "sdet-audit";

/// What the signature says, besides the hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The tool that ran the audit and signed, `sdet-audit 0.1.0`.
    pub tool: String,
    /// When the audit ran (the report's `generated_at`).
    pub audit_date: String,
    /// When the bundle was signed (RFC 3339, UTC).
    pub signed_at: String,
    /// The ENT audited.
    pub target: String,
    /// The signing key's type, `ssh-ed25519`.
    pub key_type: String,
    /// The signing key's fingerprint, `SHA256:…` as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The signing key's comment (self-declared: only an allowed-signers file vouches for a name).
    pub key_comment: String,
}

/// A parsed statement: its metadata and `(path, hex sha256)` per file, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// Who, with what, when.
    pub metadata: Metadata,
    /// Every file it vouches for.
    pub files: Vec<(String, String)>,
}

const FIELDS: [&str; 7] = [
    "tool",
    "audit-date",
    "signed-at",
    "target",
    "key-type",
    "fingerprint",
    "key-comment",
];

impl Statement {
    /// The statement's bytes, which are what gets signed.
    pub fn render(&self) -> String {
        let m = &self.metadata;
        let mut out = String::from(
            "# sdet-audit evidence bundle: the SHA-256 of every file, signed (ssh-keygen -Y sign -n sdet-audit).\n\
             # Check: ssh-keygen -Y verify -f allowed_signers -I IDENTITY -n sdet-audit -s SHA256SUMS.sig < SHA256SUMS\n\
             #        sha256sum --check --strict SHA256SUMS\n",
        );
        let values = [
            &m.tool,
            &m.audit_date,
            &m.signed_at,
            &m.target,
            &m.key_type,
            &m.fingerprint,
            &m.key_comment,
        ];
        for (name, value) in FIELDS.iter().zip(values) {
            let _ = writeln!(out, "# {name}: {}", one_line(value));
        }
        for (path, sha256) in &self.files {
            let _ = writeln!(out, "{sha256}  {path}");
        }
        out
    }

    /// Parses a statement, refusing anything `render` would not write: a line `sha256sum`
    /// would read differently from this tool must not exist.
    pub fn parse(text: &str) -> Result<Statement, Text> {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut files = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            if let Some(comment) = line.strip_prefix('#') {
                if let Some((name, value)) = comment.trim_start().split_once(": ")
                    && FIELDS.contains(&name)
                {
                    if fields.iter().any(|(f, _)| f == name) {
                        return Err(fr_en!(
                            "ligne {n} : `{name}` donné deux fois",
                            "line {n}: `{name}` given twice"
                        ));
                    }
                    fields.push((name.to_string(), value.to_string()));
                }
                continue;
            }
            let Some((sha256, path)) = line.split_once("  ") else {
                return Err(fr_en!(
                    "ligne {n} : pas `SHA256  PATH`",
                    "line {n}: not `SHA256  PATH`"
                ));
            };
            if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(fr_en!(
                    "ligne {n} : `{sha256}` n'est pas un SHA-256 hexadécimal",
                    "line {n}: `{sha256}` is not a hex SHA-256"
                ));
            }
            if !safe_path(path) {
                return Err(fr_en!(
                    "ligne {n} : chemin dangereux `{path}`",
                    "line {n}: unsafe path `{path}`"
                ));
            }
            if files.iter().any(|(p, _)| p == path) {
                return Err(fr_en!(
                    "ligne {n} : `{path}` listé deux fois",
                    "line {n}: `{path}` listed twice"
                ));
            }
            files.push((path.to_string(), sha256.to_ascii_lowercase()));
        }
        let get = |name: &str| {
            fields
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| fr_en!("pas de ligne `# {name}:`", "no `# {name}:` line"))
        };
        Ok(Statement {
            metadata: Metadata {
                tool: get("tool")?,
                audit_date: get("audit-date")?,
                signed_at: get("signed-at")?,
                target: get("target")?,
                key_type: get("key-type")?,
                fingerprint: get("fingerprint")?,
                key_comment: get("key-comment")?,
            },
            files,
        })
    }
}

/// A `/`-separated relative path with no empty, `.` or `..` part, and nothing `sha256sum` would
/// escape or split on (backslash, control characters).
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// A value on one line: a target name with a newline must not forge a hash line.
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Statement {
        Statement {
            metadata: Metadata {
                tool: "sdet-audit 0.1.0".into(),
                audit_date: "2026-01-02T03:04:05Z".into(),
                signed_at: "2026-01-02T03:05:00Z".into(),
                target: "ENT\n0000  evil".into(),
                key_type: "ssh-ed25519".into(),
                fingerprint: "SHA256:abc".into(),
                key_comment: String::new(),
            },
            files: vec![("report.json".into(), "a".repeat(64))],
        }
    }

    #[test]
    fn renders_and_parses_back_with_control_characters_flattened() {
        let text = sample().render();
        assert!(text.contains("# target: ENT 0000  evil\n"), "{text}");
        let back = Statement::parse(&text).unwrap();
        assert_eq!(back.files, sample().files);
        assert_eq!(back.metadata.target, "ENT 0000  evil");
        assert_eq!(back.metadata.key_comment, "");
    }

    #[test]
    fn refuses_unsafe_paths_duplicates_and_missing_fields() {
        let good = sample().render();
        let bad = format!("{good}{}  ../etc/passwd\n", "b".repeat(64));
        assert!(
            Statement::parse(&bad)
                .unwrap_err()
                .en
                .contains("unsafe path")
        );
        let twice = format!("{good}{}  report.json\n", "b".repeat(64));
        assert!(Statement::parse(&twice).unwrap_err().en.contains("twice"));
        let no_tool = good.replace("# tool: sdet-audit 0.1.0\n", "");
        assert!(Statement::parse(&no_tool).unwrap_err().en.contains("tool"));
        assert!(Statement::parse("xyz  a\n").unwrap_err().en.contains("hex"));
    }
}
