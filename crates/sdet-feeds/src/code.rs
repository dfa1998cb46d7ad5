//! The stable codes of feed findings. Académies and vendors grep for them and gate imports on them,
//! so a code never changes meaning and each has a fixed severity; new problems get new codes. Every
//! code is described in English and French and documented in `docs/feeds.md` with both (a test
//! keeps the two in step).

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
    ($($variant:ident = $name:literal, $severity:ident, $description:literal, $french:literal;)*) => {
        /// A stable finding code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $description] $variant,)*
        }

        impl Code {
            /// The area of every feed finding code: what comes before `::` (the scheme of
            /// `sdet_core::code`).
            pub const AREA: &'static str = "aaf";

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

            /// The same line in French.
            pub fn description_fr(self) -> &'static str {
                match self { $(Code::$variant => $french,)* }
            }
        }
    };
}

codes! {
    Io = "io", Error, "The file could not be read to the end.",
        "Le fichier n'a pas pu être lu jusqu'au bout.";
    Malformed = "malformed", Error, "The file is not well-formed XML; checking stops at that point.",
        "Le fichier n'est pas du XML bien formé ; la vérification s'arrête à cet endroit.";
    Truncated = "truncated", Error, "The file ends before its root element is closed.",
        "Le fichier se termine avant la fermeture de son élément racine.";
    Encoding = "encoding", Error, "Bytes that are not valid in the file's declared encoding.",
        "Des octets invalides dans l'encodage déclaré du fichier.";
    UnsupportedEncoding = "unsupported-encoding", Error, "An encoding other than UTF-8, ISO-8859-15 or ISO-8859-1.",
        "Un encodage autre que UTF-8, ISO-8859-15 ou ISO-8859-1.";
    ControlChar = "control-char", Error, "A control character XML 1.0 forbids.",
        "Un caractère de contrôle que XML 1.0 interdit.";
    DtdInternalSubset = "dtd-internal-subset", Error, "A DOCTYPE with an internal subset (entity declarations): refused, never expanded.",
        "Un DOCTYPE avec un sous-ensemble interne (déclarations d'entités) : refusé, jamais développé.";
    Doctype = "doctype", Warning, "A DOCTYPE other than `ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\"` (never fetched).",
        "Un DOCTYPE autre que `ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\"` (jamais téléchargé).";
    UnknownEntity = "unknown-entity", Error, "An entity reference other than the five predefined ones and character references.",
        "Une référence d'entité autre que les cinq prédéfinies et les références de caractères.";
    TooLarge = "too-large", Error, "A token, value or nesting beyond the reader's limits; checking stops at that point.",
        "Un élément lexical, une valeur ou une imbrication au-delà des limites du lecteur ; la vérification s'arrête à cet endroit.";
    NotAaf = "not-aaf", Error, "The root element is not `ficAlimMENESR`.",
        "L'élément racine n'est pas `ficAlimMENESR`.";
    Structure = "structure", Error, "An element, attribute or text out of place according to the DTD.",
        "Un élément, un attribut ou du texte mal placé selon la DTD.";
    AttrWithoutValue = "attr-without-value", Error, "An `attr` or `modification` without any `value`.",
        "Un `attr` ou une `modification` sans aucune `value`.";
    Operation = "operation", Error, "A `modification` whose operation is not `replace`.",
        "Une `modification` dont l'opération n'est pas `replace`.";
    OperationalAttribute = "operational-attribute", Error, "The record's category (operationalAttributes) does not match the file's kind.",
        "La catégorie de l'enregistrement (operationalAttributes) ne correspond pas au type du fichier.";
    MissingId = "missing-id", Error, "A record with an empty `identifier/id`.",
        "Un enregistrement dont `identifier/id` est vide.";
    UnknownKind = "unknown-kind", Error, "Neither the file name nor its content says which kind of file it is.",
        "Ni le nom du fichier ni son contenu ne disent de quel type de fichier il s'agit.";
    FileName = "file-name", Warning, "The file name does not match the pattern importers select files with.",
        "Le nom du fichier ne suit pas le modèle par lequel les imports choisissent les fichiers.";
    Header = "header", Warning, "A version header comment with an unexpected value.",
        "Un commentaire d'en-tête de version à la valeur inattendue.";
    EmptyFile = "empty-file", Warning, "A file with no record.",
        "Un fichier sans enregistrement.";
    UnknownAttribute = "unknown-attribute", Error, "An attribute name not allowed for this kind and degree (importers abort the file).",
        "Un nom d'attribut non permis pour ce type et ce degré (les imports abandonnent le fichier).";
    DeprecatedAttribute = "deprecated-attribute", Warning, "An attribute importers accept but ignore.",
        "Un attribut que les imports acceptent mais ignorent.";
    DuplicateAttribute = "duplicate-attribute", Warning, "The same attribute twice in one record.",
        "Le même attribut deux fois dans un enregistrement.";
    MultipleValues = "multiple-values", Warning, "Several values for a single-valued attribute: importers keep one.",
        "Plusieurs valeurs pour un attribut mono-valué : les imports n'en gardent qu'une.";
    MissingRequired = "missing-required", Error, "A required attribute is absent or empty: importers reject the record.",
        "Un attribut obligatoire absent ou vide : les imports rejettent l'enregistrement.";
    ValueTooLong = "value-too-long", Error, "A value longer than 1000 characters.",
        "Une valeur de plus de 1000 caractères.";
    BadDate = "bad-date", Error, "A date that is not DD/MM/YYYY or does not exist.",
        "Une date qui n'est pas au format JJ/MM/AAAA ou qui n'existe pas.";
    BadUai = "bad-uai", Error, "A UAI that is not seven digits and a letter.",
        "Un UAI qui n'est pas formé de sept chiffres et d'une lettre.";
    UaiCheckLetter = "uai-check-letter", Warning, "A UAI whose check letter does not match its digits.",
        "Un UAI dont la lettre clé ne correspond pas aux chiffres.";
    BadSiret = "bad-siret", Error, "A SIRET that is not 14 digits.",
        "Un SIRET qui n'est pas formé de 14 chiffres.";
    SiretChecksum = "siret-checksum", Warning, "A SIRET whose Luhn checksum fails.",
        "Un SIRET dont la clé de contrôle (Luhn) est fausse.";
    BadPostalCode = "bad-postal-code", Error, "A postal code importers refuse.",
        "Un code postal que les imports refusent.";
    BadPhone = "bad-phone", Error, "A phone number importers refuse.",
        "Un numéro de téléphone que les imports refusent.";
    BadEmail = "bad-email", Error, "An e-mail address importers refuse.",
        "Une adresse électronique que les imports refusent.";
    BadFlag = "bad-flag", Error, "A yes/no flag other than `O` or `N`.",
        "Un indicateur oui/non autre que `O` ou `N`.";
    BadComposite = "bad-composite", Error, "A `$`-separated value with the wrong number of fields or a bad field.",
        "Une valeur à champs séparés par `$` avec un mauvais nombre de champs ou un champ invalide.";
    BadValue = "bad-value", Error, "A code or identifier with the wrong shape.",
        "Un code ou un identifiant qui n'a pas la bonne forme.";
    DuplicateId = "duplicate-id", Error, "Two records of the same kind share one identifier.",
        "Deux enregistrements du même type partagent un identifiant.";
    UnknownParent = "unknown-parent", Error, "A pupil names a parent who is not in the PersRelEleve files.",
        "Un élève désigne un responsable absent des fichiers PersRelEleve.";
    UnknownPupil = "unknown-pupil", Error, "A parent names a pupil who is not in the Eleve files.",
        "Un responsable désigne un élève absent des fichiers Eleve.";
    StructureNotInExport = "structure-not-in-export", Warning, "A reference to a structure that is not in the EtabEducNat files.",
        "Une référence à une structure absente des fichiers EtabEducNat.";
    UnknownClass = "unknown-class", Error, "A class code that its structure does not list.",
        "Un code de classe que sa structure ne liste pas.";
    UnknownGroup = "unknown-group", Error, "A group code that its structure does not list.",
        "Un code de groupe que sa structure ne liste pas.";
    UnknownMef = "unknown-mef", Error, "A MEF code that is not in the MefEducNat files.",
        "Un code MEF absent des fichiers MefEducNat.";
    UnknownSubject = "unknown-subject", Error, "A subject code that is not in the MatiereEducNat files.",
        "Un code matière absent des fichiers MatiereEducNat.";
    MissingFile = "missing-file", Warning, "Records refer to a kind of file that is not in the set: those links are not checked.",
        "Des enregistrements renvoient à un type de fichier absent de l'ensemble : ces liens ne sont pas vérifiés.";
    LinksNotChecked = "links-not-checked", Warning, "Records refer to incremental files: links cannot be checked against them.",
        "Des enregistrements renvoient à des fichiers incrémentaux : ces liens ne peuvent pas être vérifiés contre eux.";
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
        assert!(Code::ALL.iter().all(|c| c.description_fr().ends_with('.')));
        let french: BTreeSet<_> = Code::ALL.iter().map(|c| c.description_fr()).collect();
        assert_eq!(french.len(), Code::ALL.len());
    }

    #[test]
    fn every_code_is_documented_with_its_severity() {
        let docs = include_str!("../../../docs/feeds.md");
        for code in Code::ALL {
            let severity = match code.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let row = format!(
                "| `{}` | {severity} | {} | {} |",
                code.as_str(),
                code.description(),
                code.description_fr()
            );
            assert!(docs.contains(&row), "{row} missing from docs/feeds.md");
        }
        let codes: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            sdet_core::code::named_in(docs, Code::AREA),
            codes,
            "docs/feeds.md names exactly the codes"
        );
    }
}
