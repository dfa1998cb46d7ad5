//! A look at a file's first bytes before it is read: its kind (when the name does not say), the
//! header comments (which later pieces of a large file need, being cut off from them), and
//! whether it declares an internal DTD subset (such a file is never cut into pieces: its first
//! piece stops at the DOCTYPE, and the others must not be checked as if nothing happened).

use std::io::Read;
use std::path::Path;

use super::super::code::Code;
use super::super::finding::Findings;
use super::super::kind::Kind;
use super::super::scan::Header;
use sdet_core::text::Text;

/// Bytes looked at.
const SNIFF: u64 = 64 * 1024;

/// What the first bytes say.
#[derive(Debug, Default)]
pub struct Head {
    /// The kind, from the name or else the first operational attribute.
    pub kind: Option<Kind>,
    /// The header comments.
    pub header: Header,
    /// The file may be cut into pieces.
    pub splittable: bool,
    /// Findings about the name and kind.
    pub findings: Findings,
}

/// Reads the first bytes of a file.
pub fn head(path: &Path) -> Head {
    let mut bytes = Vec::new();
    let read = sdet_core::input::open_io(path).and_then(|f| f.take(SNIFF).read_to_end(&mut bytes));
    let text = String::from_utf8_lossy(&bytes);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let by_name = Kind::from_file_name(&name);
    let by_content = content_kind(&text);
    let mut head = Head {
        kind: by_name.or(by_content),
        ..Head::default()
    };
    match (by_name, by_content) {
        (None, Some(kind)) => head.findings.push(Code::FileName, None, None, || {
            Text::new(
                format!(
                    "`{name}` contient des enregistrements {} mais les imports retiennent les fichiers nommés `…{}_NNNN.xml`",
                    kind.name(),
                    kind.name()
                ),
                format!(
                    "`{name}` holds {} records but importers select files named `…{}_NNNN.xml`",
                    kind.name(),
                    kind.name()
                ),
            )
        }),
        (None, None) if read.is_ok() => head.findings.push(Code::UnknownKind, None, None, || {
            Text::new(
                format!("`{name}` : ni son nom ni ses premiers enregistrements ne disent de quel type de fichier AAF il s'agit ; non vérifié"),
                format!("`{name}`: neither its name nor its first records say which kind of AAF file it is; not checked"),
            )
        }),
        _ => {}
    }
    if let Err(e) = &read {
        head.findings
            .push(Code::Io, None, None, || crate::input::unreadable(e));
    }
    let prolog = text.split("Request>").next().unwrap_or_default();
    let doctype = prolog.find("<!DOCTYPE").map(|at| &prolog[at..]);
    head.splittable =
        read.is_ok() && !doctype.is_some_and(|d| d.split('>').next().unwrap_or(d).contains('['));
    // Header comments: read here only for later pieces; the scan reports their problems.
    let mut ignored = Findings::default();
    for comment in prolog.split("<!--").skip(1) {
        head.header.read_comment(
            comment.split("-->").next().unwrap_or_default(),
            0,
            &mut ignored,
        );
    }
    head
}

/// The kind named by the first `operationalAttributes`.
fn content_kind(text: &str) -> Option<Kind> {
    let start = text.find("<operationalAttributes")?;
    let rest = &text[start..];
    let name_at = rest.find("name=")? + "name=".len();
    let quote = rest[name_at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let name_rest = &rest[name_at + 1..];
    let name = &name_rest[..name_rest.find(quote)?];
    let value_at = rest.find("<value>")? + "<value>".len();
    let value = &rest[value_at..value_at + rest[value_at..].find('<')?];
    Kind::from_category(name, value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_content_even_when_mangled() {
        let record =
            r#"<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value>"#;
        assert_eq!(content_kind(record), Some(Kind::Eleve));
        assert_eq!(content_kind("<operationalAttributes><attr name=éx"), None);
        assert_eq!(content_kind("<operationalAttributes><attr name="), None);
    }
}
