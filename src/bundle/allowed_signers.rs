//! The OpenSSH allowed-signers file (`ssh-keygen(1)`, ALLOWED SIGNERS): one key per line with
//! the identities (principals) it may sign as. It is the file a certifier already hands to
//! `ssh-keygen -Y verify -f`, so `sdet-audit verify --allowed-signers` reads the same one.
//!
//! Options that need a judgement this tool does not make (`cert-authority`, `valid-after`,
//! `valid-before`) make their line refuse, naming the option: trusting a key that
//! `ssh-keygen` would refuse at this date is the one mistake a verifier must not make.

use std::path::{Path, PathBuf};

use ssh_key::PublicKey;
use ssh_key::public::KeyData;

use crate::input;
use crate::text::Text;
use sdet_core::fr_en;

/// A parsed allowed-signers file.
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    /// The file, for messages.
    pub path: PathBuf,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    line: usize,
    principals: String,
    namespaces: Option<String>,
    unsupported: Option<String>,
    key: KeyData,
}

/// Why no line of the file vouches for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The key is on no line (for this namespace).
    NotListed,
    /// The key's line has an option this tool does not judge.
    Unsupported {
        /// The line number.
        line: usize,
        /// The option.
        option: String,
    },
}

/// Why what the certifier trusts — an allowed-signers file, a public key — cannot be read. It
/// reaches the command line: `Display` is in the language errors are shown in
/// ([`crate::text::errors_lang`]), and says the cause itself (a file's reason, the key parser's
/// words quoted) rather than keeping it as a source miette would repeat in English.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum TrustError {
    /// The file could not be read.
    Input(input::InputError),
    /// A line of an allowed-signers file is not `principals [options] key`.
    Line {
        /// The allowed-signers file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong with it.
        why: Text,
    },
    /// A public key file that is not an OpenSSH public key.
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// The parser's reason.
        cause: ssh_key::Error,
    },
}

impl TrustError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            TrustError::Input(e) => e.wording(),
            TrustError::Line { path, line, why } => Text::new(
                format!("{} : ligne {line} : {}", path.display(), why.fr),
                format!("{}: line {line}: {}", path.display(), why.en),
            ),
            TrustError::NotAKey { path, cause } => Text::new(
                format!(
                    "{} : pas une clé publique OpenSSH « {cause} »",
                    path.display()
                ),
                format!("{}: not an OpenSSH public key « {cause} »", path.display()),
            ),
        }
    }
}

impl From<input::InputError> for TrustError {
    fn from(e: input::InputError) -> Self {
        TrustError::Input(e)
    }
}

/// The most read from an allowed-signers file.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

impl AllowedSigners {
    /// Reads and parses the file; a malformed line is an error naming its number.
    pub fn load(path: &Path) -> Result<AllowedSigners, TrustError> {
        let text = input::read_text(path, MAX_BYTES)?;
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse_line(i + 1, line).map_err(|why| TrustError::Line {
                path: path.to_path_buf(),
                line: i + 1,
                why,
            })?;
            entries.push(entry);
        }
        Ok(AllowedSigners {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The principals of the first line that allows `key` to sign in `namespace`.
    pub fn principals(&self, key: &KeyData, namespace: &str) -> Result<String, Lookup> {
        for e in self.entries.iter().filter(|e| &e.key == key) {
            if let Some(list) = &e.namespaces
                && !matches_list(list, namespace)
            {
                continue;
            }
            if let Some(option) = &e.unsupported {
                return Err(Lookup::Unsupported {
                    line: e.line,
                    option: option.clone(),
                });
            }
            return Ok(e.principals.clone());
        }
        Err(Lookup::NotListed)
    }
}

fn parse_line(line: usize, text: &str) -> Result<Entry, Text> {
    let (principals, rest) = next_field(text);
    if principals.is_empty() || rest.is_empty() {
        return Err(Text::new(
            "attendu : `principals [options] key-type base64-key`",
            "expected `principals [options] key-type base64-key`",
        ));
    }
    let principals = principals.trim_matches('"').to_string();
    // Options are present exactly when what follows the principals is not already a key.
    let (options, key) = match PublicKey::from_openssh(rest) {
        Ok(key) => (None, key),
        Err(_) => {
            let (options, key_text) = next_field(rest);
            let key = PublicKey::from_openssh(key_text).map_err(|e| {
                fr_en!(
                    "pas une clé publique OpenSSH « {e} »",
                    "not an OpenSSH public key « {e} »"
                )
            })?;
            (Some(options), key)
        }
    };
    let mut namespaces = None;
    let mut unsupported = None;
    for option in options.map(split_options).unwrap_or_default() {
        let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
        match name.to_ascii_lowercase().as_str() {
            "namespaces" => namespaces = Some(value.trim_matches('"').to_string()),
            "cert-authority" | "valid-after" | "valid-before" => {
                unsupported.get_or_insert_with(|| name.to_ascii_lowercase());
            }
            other => {
                return Err(fr_en!(
                    "option `{other}` inconnue",
                    "unknown option `{other}`"
                ));
            }
        }
    }
    Ok(Entry {
        line,
        principals,
        namespaces,
        unsupported,
        key: key.key_data().clone(),
    })
}

/// The first space-separated field (double quotes keep spaces) and the rest, trimmed.
fn next_field(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return (&text[..i], text[i..].trim_start()),
            _ => {}
        }
    }
    (text, "")
}

/// Comma-separated options, commas inside double quotes kept.
fn split_options(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            _ => current.push(c),
        }
    }
    out.push(current);
    out.retain(|s| !s.is_empty());
    out
}

/// An OpenSSH pattern list (`ssh_config(5)`, PATTERNS): comma-separated `*`/`?` patterns, a
/// `!` pattern that matches refusing outright.
fn matches_list(list: &str, value: &str) -> bool {
    let mut matched = false;
    for pattern in list.split(',') {
        if let Some(negated) = pattern.strip_prefix('!') {
            if glob(negated.as_bytes(), value.as_bytes()) {
                return false;
            }
        } else if glob(pattern.as_bytes(), value.as_bytes()) {
            matched = true;
        }
    }
    matched
}

fn glob(pattern: &[u8], value: &[u8]) -> bool {
    match pattern.split_first() {
        None => value.is_empty(),
        Some((b'*', rest)) => (0..=value.len()).any(|i| glob(rest, &value[i..])),
        Some((b'?', rest)) => !value.is_empty() && glob(rest, &value[1..]),
        Some((c, rest)) => value.first() == Some(c) && glob(rest, &value[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti user@example.com";

    fn key() -> KeyData {
        PublicKey::from_openssh(KEY).unwrap().key_data().clone()
    }

    fn signers(text: &str) -> AllowedSigners {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("allowed_signers");
        std::fs::write(&path, text).unwrap();
        AllowedSigners::load(&path).unwrap()
    }

    #[test]
    fn finds_the_principals_of_a_key_allowed_for_the_namespace() {
        let s = signers(&format!("# c\n\na@x.fr,b@x.fr {KEY}\n"));
        assert_eq!(s.principals(&key(), "sdet-audit").unwrap(), "a@x.fr,b@x.fr");
        let s = signers(&format!("a@x.fr namespaces=\"file,git\" {KEY}\n"));
        assert_eq!(s.principals(&key(), "sdet-audit"), Err(Lookup::NotListed));
        let s = signers(&format!("a@x.fr namespaces=\"sdet-*\" {KEY}\n"));
        assert!(s.principals(&key(), "sdet-audit").is_ok());
        let s = signers(&format!("a@x.fr namespaces=\"*,!sdet-audit\" {KEY}\n"));
        assert_eq!(s.principals(&key(), "sdet-audit"), Err(Lookup::NotListed));
    }

    #[test]
    fn a_line_with_an_unjudged_option_refuses_and_a_bad_line_is_an_error() {
        let s = signers(&format!("a@x.fr valid-before=\"20200101\" {KEY}\n"));
        assert_eq!(
            s.principals(&key(), "sdet-audit"),
            Err(Lookup::Unsupported {
                line: 1,
                option: "valid-before".into()
            })
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, "a@x.fr ssh-ed25519 not-base64\n").unwrap();
        let err = AllowedSigners::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
