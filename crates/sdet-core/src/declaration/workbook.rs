//! The grid as a spreadsheet a vendor fills: a summary sheet, then one sheet per axis with one
//! row per criterion — what it asks and where it comes from, and the three columns the vendor
//! answers in (declaration from a drop-down, justification, proof reference). CSV, one table
//! only, holds every axis in one sheet with the axis named on each row.
//!
//! It lives with the declarations, not the grid: it is where declarations are written. The
//! column headers are the contract with `declaration::sheet`, which finds the vendor's
//! columns by header (French or English) rather than by position, so a vendor who reorders or
//! adds columns still imports.

use super::{Declarations, Status};
use crate::grid::{self, Grid, Party, Verification};
use crate::sheet::{Book, Column, SheetOut};
use crate::text::{Lang, pick};

/// What a column of the exported sheets holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The criterion id.
    Id,
    /// Exigence or recommandation.
    Level,
    /// Whether the level was read in a normative text.
    Confirmed,
    /// The criterion's title.
    Title,
    /// The vendor's declaration (drop-down).
    Declaration,
    /// The vendor's justification.
    Justification,
    /// Where the vendor's proof is.
    ProofRef,
    /// The SDET sections.
    SdetRef,
    /// Who carries the duty.
    Party,
    /// How it is verified.
    Verification,
    /// What proof is expected.
    ProofExpected,
    /// The axis.
    Axis,
}

/// The columns in sheet order: field, French header, English header, width in characters.
/// The declaration is column E, next to the title, so the vendor reads and answers side by side.
pub const COLUMNS: [(Field, &str, &str, f64); 12] = [
    (Field::Id, "Identifiant", "Id", 14.0),
    (Field::Level, "Niveau", "Level", 15.0),
    (Field::Confirmed, "Niveau confirmé", "Level confirmed", 12.0),
    (Field::Title, "Titre", "Title", 50.0),
    (Field::Declaration, "Déclaration", "Declaration", 16.0),
    (Field::Justification, "Justification", "Justification", 50.0),
    (
        Field::ProofRef,
        "Référence de la preuve",
        "Proof reference",
        30.0,
    ),
    (Field::SdetRef, "Référence SDET", "SDET reference", 30.0),
    (Field::Party, "Porteur de l'obligation", "Duty holder", 18.0),
    (Field::Verification, "Vérification", "Verification", 14.0),
    (
        Field::ProofExpected,
        "Preuve attendue",
        "Expected proof",
        50.0,
    ),
    (Field::Axis, "Axe", "Axis", 14.0),
];

/// Names of the summary sheet, and of its rows the import reads back.
pub const SUMMARY_SHEET: (&str, &str) = ("Synthèse", "Summary");
/// The summary row naming the vendor (filled by the vendor).
pub const VENDOR_ROW: (&str, &str) = ("Fournisseur", "Vendor");
/// The summary row naming the SDET version.
pub const VERSION_ROW: (&str, &str) = ("Version SDET", "SDET version");

/// The workbook for `grid`, prefilled with `declarations` when given, in `lang`.
pub fn book(grid: &Grid, declarations: Option<&Declarations>, lang: Lang) -> Book {
    let mut sheets = vec![summary(grid, declarations, lang)];
    let mut names = Vec::new();
    for axis in &grid.axes {
        let name = unique(&sheet_name(axis.name.get(lang)), &names);
        names.push(name.clone());
        let rows = grid
            .criteria
            .iter()
            .filter(|c| c.axis == axis.id)
            .map(|c| row(grid, c, declarations, lang))
            .collect();
        sheets.push(SheetOut {
            name,
            columns: columns(lang),
            rows,
        });
    }
    Book { sheets }
}

/// One sheet with every criterion, for CSV.
pub fn single_sheet(grid: &Grid, declarations: Option<&Declarations>, lang: Lang) -> Book {
    let rows = grid
        .criteria
        .iter()
        .map(|c| row(grid, c, declarations, lang))
        .collect();
    Book {
        sheets: vec![SheetOut {
            name: format!("SDET {}", grid.sdet_version),
            columns: columns(lang),
            rows,
        }],
    }
}

/// The declaration values the drop-down offers, as the data files spell them.
pub fn status_choices() -> Vec<String> {
    Status::ALL.iter().map(|s| s.as_str().to_string()).collect()
}

fn columns(lang: Lang) -> Vec<Column> {
    COLUMNS
        .iter()
        .map(|(field, fr, en, width)| Column {
            header: pick(lang, fr, en).to_string(),
            width: *width,
            choices: (*field == Field::Declaration).then(status_choices),
        })
        .collect()
}

fn row(
    grid: &Grid,
    c: &grid::Criterion,
    declarations: Option<&Declarations>,
    lang: Lang,
) -> Vec<String> {
    let declared = declarations.and_then(|d| d.by_criterion.get(&c.id));
    COLUMNS
        .iter()
        .map(|(field, ..)| match field {
            Field::Id => c.id.clone(),
            Field::Level => c.level.as_str().to_string(),
            Field::Confirmed => {
                let (yes, no) = if c.level_confirmed() {
                    ("oui", "yes")
                } else {
                    ("à confirmer", "to confirm")
                };
                pick(lang, yes, no).to_string()
            }
            Field::Title => c.title.get(lang).to_string(),
            Field::Declaration => declared.map_or_else(String::new, |d| d.status.as_str().into()),
            Field::Justification => declared
                .and_then(|d| d.justification.clone())
                .unwrap_or_default(),
            Field::ProofRef => declared.and_then(|d| d.proof.clone()).unwrap_or_default(),
            Field::SdetRef => c
                .sdet_refs
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            Field::Party => party(c.party, lang).to_string(),
            Field::Verification => verification(c.verification, lang).to_string(),
            Field::ProofExpected => c
                .proof
                .as_ref()
                .map(|p| p.get(lang).to_string())
                .unwrap_or_default(),
            Field::Axis => grid.axis(&c.axis).map_or(c.axis.clone(), |a| a.id.clone()),
        })
        .collect()
}

fn party(p: Party, lang: Lang) -> &'static str {
    match p {
        Party::Editeur => pick(lang, "éditeur", "vendor"),
        Party::PorteurDeProjet => pick(lang, "porteur de projet", "project owner"),
        Party::Academie => pick(lang, "académie", "académie"),
        Party::ResponsableDeTraitement => {
            pick(lang, "responsable de traitement", "data controller")
        }
    }
}

fn verification(v: Verification, lang: Lang) -> &'static str {
    match v {
        Verification::Automatic => pick(lang, "automatique", "automatic"),
        Verification::Mixed => pick(lang, "mixte", "mixed"),
        Verification::Declarative => pick(lang, "déclarative", "declarative"),
    }
}

fn summary(grid: &Grid, declarations: Option<&Declarations>, lang: Lang) -> SheetOut {
    let pair = |k: &str, v: String| vec![k.to_string(), v];
    let vendor = declarations
        .and_then(|d| d.vendor.clone())
        .unwrap_or_default();
    let mut rows = vec![
        pair(pick(lang, "Grille", "Grid"), grid.title.get(lang).to_string()),
        pair(pick(lang, VERSION_ROW.0, VERSION_ROW.1), grid.sdet_version.clone()),
        pair(pick(lang, VENDOR_ROW.0, VENDOR_ROW.1), vendor),
        pair(
            pick(lang, "Déclarations possibles", "Allowed declarations"),
            status_choices().join(", "),
        ),
        pair(
            pick(lang, "Mode d'emploi", "How to fill"),
            pick(
                lang,
                "Une feuille par axe, une ligne par critère : remplir les colonnes Déclaration, Justification et Référence de la preuve, puis : sdet-audit audit --target target.yaml --declarations ce-fichier.ods",
                "One sheet per axis, one row per criterion: fill in the Declaration, Justification and Proof reference columns, then: sdet-audit audit --target target.yaml --declarations this-file.ods",
            )
            .to_string(),
        ),
    ];
    for axis in &grid.axes {
        let of_axis = || grid.criteria.iter().filter(|c| c.axis == axis.id);
        let exigences = of_axis()
            .filter(|c| c.level == grid::Level::Exigence)
            .count();
        rows.push(pair(
            axis.name.get(lang),
            format!(
                "{} {} ({exigences} {})",
                of_axis().count(),
                pick(lang, "critères", "criteria"),
                pick(lang, "exigences", "exigences"),
            ),
        ));
    }
    SheetOut {
        name: pick(lang, SUMMARY_SHEET.0, SUMMARY_SHEET.1).to_string(),
        columns: vec![
            Column {
                header: pick(lang, "Rubrique", "Item").to_string(),
                width: 28.0,
                choices: None,
            },
            Column {
                header: pick(lang, "Valeur", "Value").to_string(),
                width: 90.0,
                choices: None,
            },
        ],
        rows,
    }
}

/// A sheet name from an axis name: the part before " et " / " & " / ",", without the characters
/// spreadsheet programs refuse, at most 31 characters (Excel's limit).
fn sheet_name(axis: &str) -> String {
    let short = [" et ", " & ", ","]
        .iter()
        .filter_map(|sep| axis.find(sep))
        .min()
        .map_or(axis, |i| &axis[..i]);
    let clean: String = short
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\' | '\''))
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "Axe".into()
    } else {
        clean.trim().to_string()
    }
}

fn unique(name: &str, taken: &[String]) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        let suffix = format!(" {n}");
        candidate = name.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_and_legal() {
        assert_eq!(
            sheet_name("Architecture technique et interopérabilité"),
            "Architecture technique"
        );
        assert_eq!(
            sheet_name("Security & personal-data protection"),
            "Security"
        );
        assert_eq!(sheet_name("Hosting, operations & reversibility"), "Hosting");
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(unique("Axe", &["Axe".into()]), "Axe 2");
    }

    #[test]
    fn the_declaration_is_column_e() {
        let e = COLUMNS.iter().position(|c| c.0 == Field::Declaration);
        assert_eq!(e, Some(4));
    }
}
