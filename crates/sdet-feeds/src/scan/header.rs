//! What comes before the records: the version comments exports carry after the root tag
//! (`<!-- versionAF="AAF-VE2407" -->`, `degre`, `codeAcademieExport`, …) and the DOCTYPE, which is
//! looked at and never followed.

use serde::Serialize;

use super::super::code::Code;
use super::super::finding::Findings;
use super::super::kind::Degree;
use super::super::values::parse_date;
use super::Flow;
use sdet_core::text::Text;

/// The version header comments of an export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Header {
    /// `versionAF` (e.g. `AAF-VE2407`).
    #[serde(rename = "versionAF", skip_serializing_if = "Option::is_none")]
    pub version_af: Option<String>,
    /// `versionSDET` (e.g. `Annexe 4bis version 6.4`).
    #[serde(rename = "versionSDET", skip_serializing_if = "Option::is_none")]
    pub version_sdet: Option<String>,
    /// `codeAcademieExport`.
    #[serde(rename = "codeAcademieExport", skip_serializing_if = "Option::is_none")]
    pub academy: Option<String>,
    /// `degre`, when it is `1D` or `2D`.
    #[serde(rename = "degre", skip_serializing_if = "Option::is_none")]
    pub degree: Option<Degree>,
    /// `dateGenerationExport`.
    #[serde(
        rename = "dateGenerationExport",
        skip_serializing_if = "Option::is_none"
    )]
    pub generated: Option<String>,
}

impl Header {
    /// Reads one comment; `key="value"` pairs with known keys fill the header.
    pub fn read_comment(&mut self, comment: &str, line: u64, findings: &mut Findings) {
        let mut rest = comment;
        while let Some(eq) = rest.find("=\"") {
            let key = rest[..eq].trim();
            let after = &rest[eq + 2..];
            let Some(end) = after.find('"') else { return };
            let value = after[..end].to_owned();
            rest = &after[end + 1..];
            match key {
                "versionAF" => self.version_af = Some(value),
                "versionSDET" => self.version_sdet = Some(value),
                "codeAcademieExport" => {
                    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                        findings.push(Code::Header, Some(line), None, || {
                            Text::new(
                                format!("codeAcademieExport=\"{value}\" n'est pas un code d'académie numérique"),
                                format!("codeAcademieExport=\"{value}\" is not a numeric académie code"),
                            )
                        });
                    }
                    self.academy = Some(value);
                }
                "degre" => match Degree::parse(&value) {
                    Some(d) => self.degree = Some(d),
                    None => findings.push(Code::Header, Some(line), None, || {
                        Text::new(
                            format!("degre=\"{value}\" n'est ni 1D ni 2D ; le degré est déduit des noms d'attributs"),
                            format!("degre=\"{value}\" is neither 1D nor 2D; the degree is guessed from attribute names"),
                        )
                    }),
                },
                "dateGenerationExport" => {
                    if parse_date(&value).is_none() {
                        findings.push(Code::Header, Some(line), None, || {
                            Text::new(
                                format!("dateGenerationExport=\"{value}\" n'est pas une date JJ/MM/AAAA"),
                                format!("dateGenerationExport=\"{value}\" is not a date DD/MM/YYYY"),
                            )
                        });
                    }
                    self.generated = Some(value);
                }
                _ => {}
            }
        }
    }
}

/// Looks at a DOCTYPE (the text after `<!DOCTYPE`). It is never fetched; an internal subset, where
/// entities are declared, stops the file.
pub(super) fn doctype(text: &str, line: u64, findings: &mut Findings) -> Flow {
    if text.contains('[') {
        findings.push(Code::DtdInternalSubset, Some(line), None, || {
            Text::new(
                "le DOCTYPE a un sous-ensemble interne (déclarations d'entités ou d'éléments) : refusé, jamais développé ; la vérification s'arrête ici",
                "the DOCTYPE has an internal subset (entity or element declarations): refused, never expanded; checking stops here",
            )
        });
        return Flow::Stop;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let normal = matches!(
        words.as_slice(),
        ["ficAlimMENESR", "SYSTEM", system] if system.trim_matches(|c| c == '"' || c == '\'') == "ficAlimMENESR.dtd"
    );
    if !normal {
        let shown = words.join(" ");
        findings.push(Code::Doctype, Some(line), None, || {
            Text::new(
                format!("le DOCTYPE `{shown}` n'est pas celui de l'AAF ; il est ignoré (jamais téléchargé)"),
                format!("DOCTYPE `{shown}` is not the AAF one; it is ignored (never fetched)"),
            )
        });
    }
    Flow::Go
}

/// Resolves a character reference name (`#233`, `#xE9`).
pub(super) fn char_ref(name: &str) -> Option<char> {
    let number = name.strip_prefix('#')?;
    let code = match number.strip_prefix('x') {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_2024_headers() {
        let mut h = Header::default();
        let mut f = Findings::default();
        for c in [
            r#" versionAF="AAF-VE2407" "#,
            r#" versionSDET="Annexe 4bis version 6.4" "#,
            r#" codeAcademieExport="13" "#,
            r#" degre="2D" "#,
            r#" dateGenerationExport="16/09/2024" "#,
        ] {
            h.read_comment(c, 4, &mut f);
        }
        assert_eq!(h.degree, Some(Degree::Second));
        assert_eq!(h.version_af.as_deref(), Some("AAF-VE2407"));
        assert!(!f.has_errors());
        assert_eq!(f.into_parts().0, vec![]);
    }

    #[test]
    fn doctypes() {
        let mut f = Findings::default();
        assert!(matches!(
            doctype(r#"ficAlimMENESR SYSTEM "ficAlimMENESR.dtd""#, 2, &mut f),
            Flow::Go
        ));
        assert!(f.into_parts().0.is_empty());
        let mut f = Findings::default();
        assert!(matches!(
            doctype(r#"x [ <!ENTITY a "b"> ]"#, 2, &mut f),
            Flow::Stop
        ));
        assert_eq!(f.into_parts().0[0].code, Code::DtdInternalSubset);
    }

    #[test]
    fn character_references() {
        assert_eq!(char_ref("#233"), Some('é'));
        assert_eq!(char_ref("#xE9"), Some('é'));
        assert_eq!(char_ref("eacute"), None);
        assert!(!sdet_core::xml::is_xml_char('\u{1}'));
        assert!(sdet_core::xml::is_xml_char('é'));
    }
}
