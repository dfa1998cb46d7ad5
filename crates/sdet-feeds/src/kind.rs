//! What a feed file holds: its kind (structures, subjects, MEFs, pupils, parents, staff), its degree
//! (1D schools and 2D secondary schools use different attribute names) and whether it is a full
//! export or an incremental one. Importers pick files by name, and each record repeats its kind in
//! `operationalAttributes`, so both are read and compared.

use serde::Serialize;

/// The six kinds of AAF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    /// Structures (établissements, écoles).
    EtabEducNat,
    /// Subjects (matières).
    MatiereEducNat,
    /// MEF (modules élémentaires de formation).
    MefEducNat,
    /// Pupils.
    Eleve,
    /// Parents and other people responsible for a pupil.
    PersRelEleve,
    /// Education staff.
    PersEducNat,
}

impl Kind {
    /// Every kind, in the order importers process them.
    pub const ALL: [Kind; 6] = [
        Kind::EtabEducNat,
        Kind::MatiereEducNat,
        Kind::MefEducNat,
        Kind::Eleve,
        Kind::PersRelEleve,
        Kind::PersEducNat,
    ];

    /// The kind's name, as in file names.
    pub fn name(self) -> &'static str {
        match self {
            Kind::EtabEducNat => "EtabEducNat",
            Kind::MatiereEducNat => "MatiereEducNat",
            Kind::MefEducNat => "MefEducNat",
            Kind::Eleve => "Eleve",
            Kind::PersRelEleve => "PersRelEleve",
            Kind::PersEducNat => "PersEducNat",
        }
    }

    /// The operational attribute its records carry: (`attr` name, value).
    pub fn category(self) -> (&'static str, &'static str) {
        match self {
            Kind::EtabEducNat => ("categorieStructure", "EtabEducNat"),
            // The value is MatEducNat although files are named MatiereEducNat.
            Kind::MatiereEducNat => ("categorieMatiere", "MatEducNat"),
            Kind::MefEducNat => ("categorieMef", "MefEducNat"),
            Kind::Eleve => ("categoriePersonne", "Eleve"),
            Kind::PersRelEleve => ("categoriePersonne", "PersRelEleve"),
            Kind::PersEducNat => ("categoriePersonne", "PersEducNat"),
        }
    }

    /// The kind an operational attribute names, if any.
    pub fn from_category(name: &str, value: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.category() == (name, value))
    }

    /// The kind a file name announces, following the importers' patterns
    /// (`…EtabEducNat_NNNN.xml`, `…_Eleve_NNNN.xml`, …).
    pub fn from_file_name(name: &str) -> Option<Kind> {
        let stem = name.strip_suffix(".xml")?;
        let (head, number) = stem.rsplit_once('_')?;
        if number.len() != 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Kind::ALL.into_iter().find(|k| match k {
            // `PersRelEleve` also ends with `Eleve`: the pupil file needs the underscore.
            Kind::Eleve => head.ends_with("_Eleve") || head == "Eleve",
            _ => head.ends_with(k.name()),
        })
    }
}

/// School degree: the two have different attribute names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Degree {
    /// Primary schools.
    #[serde(rename = "1D")]
    First,
    /// Secondary schools.
    #[serde(rename = "2D")]
    Second,
}

impl Degree {
    /// Parses the `degre` header value.
    pub fn parse(value: &str) -> Option<Degree> {
        match value.trim() {
            "1D" | "1d" => Some(Degree::First),
            "2D" | "2d" => Some(Degree::Second),
            _ => None,
        }
    }

    /// As written in headers.
    pub fn label(self) -> &'static str {
        match self {
            Degree::First => "1D",
            Degree::Second => "2D",
        }
    }
}

/// Whether a file replaces the directory or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Only `addRequest`: a full export (`Complet`).
    Full,
    /// Has `modifyRequest` or `deleteRequest`: an incremental export.
    Incremental,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_real_file_names() {
        for (name, kind) in [
            ("ENT_Complet_20200101_Eleve_0000.xml", Some(Kind::Eleve)),
            (
                "ENT2DVA-ENT16_Complet_20240916_PersEducNat_0000.xml",
                Some(Kind::PersEducNat),
            ),
            (
                "clean-FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0039.xml",
                Some(Kind::PersRelEleve),
            ),
            (
                "EXCERPT_FULL_ENTTSSERVICES_Complet_20130117_MatiereEducNat_0000.xml",
                Some(Kind::MatiereEducNat),
            ),
            (
                "ENT_Complet_20200101_EtabEducNat_0000.xml",
                Some(Kind::EtabEducNat),
            ),
            ("X_MefEducNat_0012.xml", Some(Kind::MefEducNat)),
            ("ENT_Complet_20200101_Eleve_000.xml", None),
            ("ENT_Complet_20200101_Eleves_0000.xml", None),
            ("export.xml", None),
        ] {
            assert_eq!(Kind::from_file_name(name), kind, "{name}");
        }
    }

    #[test]
    fn categories_round_trip() {
        for kind in Kind::ALL {
            let (name, value) = kind.category();
            assert_eq!(Kind::from_category(name, value), Some(kind));
        }
        assert_eq!(Kind::from_category("categoriePersonne", "Prof"), None);
    }
}
