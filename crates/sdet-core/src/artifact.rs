//! Files as SARIF names them. Code-scanning services (GitHub, GitLab, Azure DevOps) annotate only
//! files of the checked-out repository and refuse artifact URIs with another scheme than `file`,
//! so both SARIF writers — the audit report's and `feeds check`'s — name files the same way, and
//! declare the same schema and language tags.

use std::fmt::Write as _;

use crate::text::Lang;

/// The schema SARIF consumers check a log against.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A run's `language` in SARIF (an RFC 5646 tag).
pub fn sarif_language(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr-FR",
        Lang::En => "en-US",
    }
}

/// Whether `path` is absolute, on Unix (`/…`) or Windows (`C:/…`, `C:\…`).
pub fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || (b.len() > 2
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'/' | b'\\'))
}

/// A path as a SARIF artifact URI: relative paths stay relative (code scanning resolves them
/// against the checkout), absolute ones become `file:` URIs; anything outside RFC 3986's
/// unreserved set and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if is_absolute(path) {
        out.push_str("file:///");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric()
            || b"-._~/".contains(&b)
            || (b == b':' && out.starts_with("file:"))
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_have_no_scheme_unless_absolute_and_escape_the_rest() {
        assert_eq!(uri("ci/aaf/Élève 1.xml"), "ci/aaf/%C3%89l%C3%A8ve%201.xml");
        assert_eq!(uri("/tmp/t.yaml"), "file:///tmp/t.yaml");
        assert_eq!(uri("C:/ci/t.yaml"), "file:///C:/ci/t.yaml");
        assert_eq!(uri("a:b.xml"), "a%3Ab.xml");
    }
}
