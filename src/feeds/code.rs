//! The stable codes of feed findings. Académies and vendors grep for them and gate imports on them,
//! so a code never changes meaning and each has a fixed severity; new problems get new codes. Every
//! code is documented in `docs/feeds.md` (a test keeps the two in step).

use std::fmt;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A real importer would reject the file or the record, or lose a value or a link.
    Error,
    /// Accepted by an importer, but suspicious or outdated.
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $description:literal;)*) => {
        /// A stable finding code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $description] $variant,)*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as certifiers see it (`aaf::unknown-attribute`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => concat!("aaf::", $name),)* }
            }

            /// Its fixed severity.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// One line saying what it means.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $description,)* }
            }
        }
    };
}

codes! {
    Io = "io", Error, "The file could not be read to the end.";
    Malformed = "malformed", Error, "The file is not well-formed XML; checking stops at that point.";
    Truncated = "truncated", Error, "The file ends before its root element is closed.";
    Encoding = "encoding", Error, "Bytes that are not valid in the file's declared encoding.";
    UnsupportedEncoding = "unsupported-encoding", Error, "An encoding other than UTF-8, ISO-8859-15 or ISO-8859-1.";
    ControlChar = "control-char", Error, "A control character XML 1.0 forbids.";
    DtdInternalSubset = "dtd-internal-subset", Error, "A DOCTYPE with an internal subset (entity declarations): refused, never expanded.";
    Doctype = "doctype", Warning, "A DOCTYPE other than `ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\"` (never fetched).";
    UnknownEntity = "unknown-entity", Error, "An entity reference other than the five predefined ones and character references.";
    TooLarge = "too-large", Error, "A token, value or nesting beyond the reader's limits; checking stops at that point.";
    NotAaf = "not-aaf", Error, "The root element is not `ficAlimMENESR`.";
    Structure = "structure", Error, "An element, attribute or text out of place according to the DTD.";
    AttrWithoutValue = "attr-without-value", Error, "An `attr` or `modification` without any `value`.";
    Operation = "operation", Error, "A `modification` whose operation is not `replace`.";
    OperationalAttribute = "operational-attribute", Error, "The record's category (operationalAttributes) does not match the file's kind.";
    MissingId = "missing-id", Error, "A record with an empty `identifier/id`.";
    UnknownKind = "unknown-kind", Error, "Neither the file name nor its content says which kind of file it is.";
    FileName = "file-name", Warning, "The file name does not match the pattern importers select files with.";
    Header = "header", Warning, "A version header comment with an unexpected value.";
    EmptyFile = "empty-file", Warning, "A file with no record.";
    UnknownAttribute = "unknown-attribute", Error, "An attribute name not allowed for this kind and degree (importers abort the file).";
    DeprecatedAttribute = "deprecated-attribute", Warning, "An attribute importers accept but ignore.";
    DuplicateAttribute = "duplicate-attribute", Warning, "The same attribute twice in one record.";
    MultipleValues = "multiple-values", Warning, "Several values for a single-valued attribute: importers keep one.";
    MissingRequired = "missing-required", Error, "A required attribute is absent or empty: importers reject the record.";
    ValueTooLong = "value-too-long", Error, "A value longer than 1000 characters.";
    BadDate = "bad-date", Error, "A date that is not DD/MM/YYYY or does not exist.";
    BadUai = "bad-uai", Error, "A UAI that is not seven digits and a letter.";
    UaiCheckLetter = "uai-check-letter", Warning, "A UAI whose check letter does not match its digits.";
    BadSiret = "bad-siret", Error, "A SIRET that is not 14 digits.";
    SiretChecksum = "siret-checksum", Warning, "A SIRET whose Luhn checksum fails.";
    BadPostalCode = "bad-postal-code", Error, "A postal code importers refuse.";
    BadPhone = "bad-phone", Error, "A phone number importers refuse.";
    BadEmail = "bad-email", Error, "An e-mail address importers refuse.";
    BadFlag = "bad-flag", Error, "A yes/no flag other than `O` or `N`.";
    BadComposite = "bad-composite", Error, "A `$`-separated value with the wrong number of fields or a bad field.";
    BadValue = "bad-value", Error, "A code or identifier with the wrong shape.";
    DuplicateId = "duplicate-id", Error, "Two records of the same kind share one identifier.";
    UnknownParent = "unknown-parent", Error, "A pupil names a parent who is not in the PersRelEleve files.";
    UnknownPupil = "unknown-pupil", Error, "A parent names a pupil who is not in the Eleve files.";
    StructureNotInExport = "structure-not-in-export", Warning, "A reference to a structure that is not in the EtabEducNat files.";
    UnknownClass = "unknown-class", Error, "A class code that its structure does not list.";
    UnknownGroup = "unknown-group", Error, "A group code that its structure does not list.";
    UnknownMef = "unknown-mef", Error, "A MEF code that is not in the MefEducNat files.";
    UnknownSubject = "unknown-subject", Error, "A subject code that is not in the MatiereEducNat files.";
    MissingFile = "missing-file", Warning, "Records refer to a kind of file that is not in the set: those links are not checked.";
    LinksNotChecked = "links-not-checked", Warning, "Records refer to incremental files: links cannot be checked against them.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_and_described() {
        let names: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), Code::ALL.len());
        assert!(Code::ALL.iter().all(|c| c.description().ends_with('.')));
    }

    #[test]
    fn every_code_is_documented_with_its_severity() {
        let docs = include_str!("../../docs/feeds.md");
        for code in Code::ALL {
            let severity = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let row = format!("| `{}` | {severity} |", code.as_str());
            assert!(docs.contains(&row), "{row} missing from docs/feeds.md");
        }
    }
}
