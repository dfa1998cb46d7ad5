//! Which `aaf.*` probe answers for which finding code: one table, so every code is judged by
//! exactly one probe and a new code cannot be added without choosing its probe. The same table
//! is written out in docs/feeds.md ("In an audit") and probes/README.md; a test keeps them in step.

use sdet_core::text::Text;
use sdet_feeds::Code;

/// The part of the feed rules one `aaf.*` probe answers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slice {
    /// `aaf.structure`: bytes, encoding, well-formedness, hostile input, DTD shapes, file
    /// naming and headers.
    Structure,
    /// `aaf.attributes`: attribute names per kind and degree, required ones.
    Attributes,
    /// `aaf.values`: value formats.
    Values,
    /// `aaf.links`: identifiers unique, links between records and files resolve.
    Links,
}

impl Slice {
    /// Every slice, in probe order.
    pub const ALL: [Slice; 4] = [
        Slice::Structure,
        Slice::Attributes,
        Slice::Values,
        Slice::Links,
    ];

    /// The one table: which probe answers for each code. The match is exhaustive, so a new code
    /// cannot be added without giving it to exactly one probe.
    pub fn of(code: Code) -> Slice {
        match code {
            Code::Io
            | Code::Malformed
            | Code::Truncated
            | Code::Encoding
            | Code::UnsupportedEncoding
            | Code::ControlChar
            | Code::DtdInternalSubset
            | Code::Doctype
            | Code::UnknownEntity
            | Code::TooLarge
            | Code::NotAaf
            | Code::Structure
            | Code::AttrWithoutValue
            | Code::Operation
            | Code::OperationalAttribute
            | Code::MissingId
            | Code::UnknownKind
            | Code::FileName
            | Code::Header
            | Code::EmptyFile => Slice::Structure,
            Code::UnknownAttribute
            | Code::DeprecatedAttribute
            | Code::DuplicateAttribute
            | Code::MultipleValues
            | Code::MissingRequired => Slice::Attributes,
            Code::ValueTooLong
            | Code::BadDate
            | Code::BadUai
            | Code::UaiCheckLetter
            | Code::BadSiret
            | Code::SiretChecksum
            | Code::BadPostalCode
            | Code::BadPhone
            | Code::BadEmail
            | Code::BadFlag
            | Code::BadComposite
            | Code::BadValue => Slice::Values,
            Code::DuplicateId
            | Code::UnknownParent
            | Code::UnknownPupil
            | Code::StructureNotInExport
            | Code::UnknownClass
            | Code::UnknownGroup
            | Code::UnknownMef
            | Code::UnknownSubject
            | Code::MissingFile
            | Code::LinksNotChecked => Slice::Links,
        }
    }

    /// The codes this slice owns, in documentation order.
    pub fn codes(self) -> impl Iterator<Item = Code> {
        Code::ALL
            .iter()
            .copied()
            .filter(move |c| Slice::of(*c) == self)
    }

    /// The probe's id in `probes/annuaire.yaml`.
    pub fn probe_id(self) -> &'static str {
        match self {
            Slice::Structure => "aaf.structure",
            Slice::Attributes => "aaf.attributes",
            Slice::Values => "aaf.values",
            Slice::Links => "aaf.links",
        }
    }

    /// What a pass says was verified.
    pub(super) fn verified(self) -> Text {
        let (fr, en) = match self {
            Slice::Structure => (
                "XML bien formé, conforme à la DTD ficAlimMENESR, fichiers nommés et reconnus",
                "well-formed XML per the ficAlimMENESR DTD, files named and recognised",
            ),
            Slice::Attributes => (
                "attributs attendus pour chaque type de fichier et degré, obligatoires présents",
                "attributes expected for each file kind and degree, required ones present",
            ),
            Slice::Values => (
                "valeurs aux formats attendus (dates, UAI, SIRET, codes postaux, téléphones, courriels, O/N, composites $)",
                "values well formed (dates, UAI, SIRET, postal codes, phones, e-mails, O/N, $ composites)",
            ),
            Slice::Links => (
                "identifiants uniques, liens entre enregistrements et fichiers résolus",
                "identifiers unique, links between records and files resolved",
            ),
        };
        Text::new(fr, en)
    }

    /// What a failure names.
    pub(super) fn problem(self) -> Text {
        let (fr, en) = match self {
            Slice::Structure => ("de structure", "structure"),
            Slice::Attributes => ("d'attributs", "attribute"),
            Slice::Values => ("de format de valeur", "value format"),
            Slice::Links => ("de liens ou d'identifiants", "link or identifier"),
        };
        Text::new(fr, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdet_feeds::Severity;

    #[test]
    fn every_slice_owns_codes_and_each_code_has_one_probe() {
        let owned: usize = Slice::ALL.iter().map(|s| s.codes().count()).sum();
        assert_eq!(owned, Code::ALL.len());
        for slice in Slice::ALL {
            assert!(
                slice.codes().any(|c| c.severity() == Severity::Error),
                "{slice:?} owns no error code"
            );
        }
    }

    /// The row starting with `prefix` lists every code of `slice` and no other code.
    fn assert_row(doc: &str, file: &str, prefix: &str, slice: Slice) {
        let row = doc
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no row `{prefix}` in {file}"));
        for code in Code::ALL {
            let listed = row.contains(&format!("`{}`", code.as_str()));
            assert_eq!(
                listed,
                Slice::of(*code) == slice,
                "{file}, row {prefix}: {code}"
            );
        }
    }

    #[test]
    fn docs_and_probe_table_give_each_code_to_its_probe() {
        let docs = include_str!("../../../../../docs/feeds.md");
        let probes = include_str!("../../../../../probes/README.md");
        for slice in Slice::ALL {
            let id = slice.probe_id();
            assert_row(docs, "docs/feeds.md", &format!("| `{id}` |"), slice);
            let kind = id.replace('.', "_");
            assert_row(probes, "probes/README.md", &format!("| `{kind}` |"), slice);
        }
    }
}
