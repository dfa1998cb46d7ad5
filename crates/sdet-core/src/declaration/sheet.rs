//! Declarations read from a filled spreadsheet (the one `grids export` writes, or any sheet with
//! the same headers). Every problem is a diagnostic naming its sheet and cell, all of them at
//! once, and nothing is dropped: a row whose id the grid does not have is an error, and a
//! criterion with no row, or a blank declaration, is reported as not declared.

use std::collections::BTreeMap;

use super::workbook::{COLUMNS, Field, SUMMARY_SHEET, VENDOR_ROW, VERSION_ROW};
use super::{Declaration, Declarations, Status};
use crate::diagnostic::{Code, Diagnostic};
use crate::grid::Grid;
use crate::sheet::ReadSheet;
use crate::text::{Lang, pick};

/// Declarations read from a spreadsheet, with what the vendor left undeclared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The declarations.
    pub declarations: Declarations,
    /// Criteria of the grid with a row whose declaration is blank.
    pub blank: Vec<String>,
    /// Criteria of the grid with no row at all.
    pub missing: Vec<String>,
}

/// The columns of one declarations sheet, found by their headers in its first row.
struct Columns {
    header_row: u32,
    id: u32,
    declaration: u32,
    justification: Option<u32>,
    proof: Option<u32>,
}

/// What reading the sheets has gathered so far.
struct Reading<'a> {
    grid: &'a Grid,
    lang: Lang,
    problems: Vec<Diagnostic>,
    vendor: Option<String>,
    /// Where each criterion was declared, to name both cells of a duplicate.
    seen: BTreeMap<String, String>,
    by_criterion: BTreeMap<String, Declaration>,
    blank: Vec<String>,
}

/// Reads declarations from `sheets` against `grid`, collecting every problem.
pub fn parse(sheets: &[ReadSheet], grid: &Grid, lang: Lang) -> Result<Imported, Vec<Diagnostic>> {
    let mut reading = Reading {
        grid,
        lang,
        problems: Vec::new(),
        vendor: None,
        seen: BTreeMap::new(),
        by_criterion: BTreeMap::new(),
        blank: Vec::new(),
    };
    for sheet in sheets.iter().filter(|s| !s.cells.is_empty()) {
        if is_summary(sheet) {
            reading.summary(sheet);
            continue;
        }
        let Some(cols) = columns(sheet) else {
            reading.problems.push(
                Diagnostic::new(
                    Code::SheetHeader,
                    pick(
                        lang,
                        "{sheet} : aucune colonne « Identifiant » et « Déclaration » dans la première ligne",
                        "{sheet}: no \"Id\" and \"Declaration\" columns in the first row",
                    )
                    .replace("{sheet}", &sheet.name),
                )
                .help(pick(
                    lang,
                    "partir de `sdet-audit grids export` et garder sa ligne d'en-tête",
                    "start from `sdet-audit grids export` and keep its header row",
                )),
            );
            continue;
        };
        for row in sheet.rows().into_iter().filter(|r| *r > cols.header_row) {
            reading.row(sheet, &cols, row);
        }
    }
    if !reading.problems.is_empty() {
        return Err(reading.problems);
    }
    let missing = grid
        .criteria
        .iter()
        .filter(|c| !reading.seen.contains_key(&c.id))
        .map(|c| c.id.clone())
        .collect();
    Ok(Imported {
        declarations: Declarations {
            vendor: reading.vendor,
            by_criterion: reading.by_criterion,
        },
        blank: reading.blank,
        missing,
    })
}

impl Reading<'_> {
    fn problem(&mut self, code: Code, fr: String, en: String) {
        let message = match self.lang {
            Lang::Fr => fr,
            Lang::En => en,
        };
        self.problems.push(Diagnostic::new(code, message));
    }

    /// Reads one row below the header: a declaration, a blank one, or problems.
    fn row(&mut self, sheet: &ReadSheet, cols: &Columns, row: u32) {
        let text = |col: Option<u32>| {
            col.and_then(|c| sheet.get(row, c))
                .map(str::trim)
                .filter(|t| !t.is_empty())
        };
        let status = text(Some(cols.declaration));
        let justification = text(cols.justification);
        let proof = text(cols.proof);
        let Some(id) = text(Some(cols.id)) else {
            if status.is_some() || justification.is_some() || proof.is_some() {
                let at = sheet.cell_name(row, cols.id);
                self.problem(
                    Code::SheetRow,
                    format!("{at} : déclaration sans identifiant de critère"),
                    format!("{at}: declaration without a criterion id"),
                );
            }
            return;
        };
        let at = sheet.cell_name(row, cols.id);
        let version = &self.grid.sdet_version;
        if self.grid.criterion(id).is_none() {
            self.problem(
                Code::UnknownCriterion,
                format!("{at} : « {id} » n'est pas un critère du SDET {version}"),
                format!("{at}: `{id}` is not a criterion of SDET {version}"),
            );
            return;
        }
        if let Some(first) = self.seen.insert(id.to_string(), at.clone()) {
            self.problem(
                Code::DuplicateId,
                format!("{at} : « {id} » est déjà déclaré en {first}"),
                format!("{at}: `{id}` is already declared at {first}"),
            );
            return;
        }
        let cell = sheet.cell_name(row, cols.declaration);
        let Some(status_text) = status else {
            if justification.is_some() || proof.is_some() {
                self.problem(
                    Code::SheetRow,
                    format!("{cell} : « {id} » a une justification ou une preuve mais pas de déclaration"),
                    format!("{cell}: `{id}` has a justification or proof but no declaration"),
                );
            } else {
                self.blank.push(id.to_string());
            }
            return;
        };
        let Some(status) = parse_status(status_text) else {
            let allowed = "conforme, partiel, non_conforme, non_applicable";
            self.problem(
                Code::UnknownStatus,
                format!("{cell} : « {status_text} » n'est pas une déclaration connue — attendu : {allowed}"),
                format!("{cell}: \"{status_text}\" is not a known declaration — expected: {allowed}"),
            );
            return;
        };
        self.by_criterion.insert(
            id.to_string(),
            Declaration {
                status,
                justification: justification.map(str::to_string),
                proof: proof.map(str::to_string),
            },
        );
    }

    /// Reads the vendor's name and checks the SDET version of the summary sheet.
    fn summary(&mut self, sheet: &ReadSheet) {
        for row in sheet.rows() {
            let value = sheet.get(row, 1).map(str::trim).filter(|v| !v.is_empty());
            if same_header(sheet.get(row, 0), VENDOR_ROW) {
                self.vendor = value.map(str::to_string);
            } else if same_header(sheet.get(row, 0), VERSION_ROW)
                && let Some(v) = value.filter(|v| *v != self.grid.sdet_version)
            {
                let (at, grid) = (sheet.cell_name(row, 1), self.grid.sdet_version.clone());
                self.problem(
                    Code::UnknownCriterion,
                    format!("{at} : ce tableur est pour le SDET {v}, la grille est le SDET {grid}"),
                    format!("{at}: this spreadsheet is for SDET {v} but the grid is SDET {grid}"),
                );
            }
        }
    }
}

/// A status as typed: case, spaces and hyphens do not matter (`Non conforme` is
/// `non_conforme`).
fn parse_status(text: &str) -> Option<Status> {
    let key: String = text
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    Status::parse(&key)
}

fn same_header(cell: Option<&str>, (fr, en): (&str, &str)) -> bool {
    cell.map(|c| c.trim().to_lowercase())
        .is_some_and(|c| c == fr.to_lowercase() || c == en.to_lowercase())
}

fn is_summary(sheet: &ReadSheet) -> bool {
    same_header(Some(&sheet.name), SUMMARY_SHEET)
}

/// Finds the columns by header in the sheet's first row holding cells.
fn columns(sheet: &ReadSheet) -> Option<Columns> {
    let header_row = *sheet.rows().first()?;
    let find = |field: Field| {
        let (_, fr, en, _) = COLUMNS.iter().find(|c| c.0 == field)?;
        sheet
            .cells
            .range((header_row, 0)..(header_row + 1, 0))
            .find(|(_, text)| same_header(Some(text), (fr, en)))
            .map(|((_, col), _)| *col)
    };
    Some(Columns {
        header_row,
        id: find(Field::Id)?,
        declaration: find(Field::Declaration)?,
        justification: find(Field::Justification),
        proof: find(Field::ProofRef),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_as_people_type_them() {
        assert_eq!(parse_status(" Non conforme "), Some(Status::NonConforme));
        assert_eq!(parse_status("NON-APPLICABLE"), Some(Status::NonApplicable));
        assert_eq!(parse_status("partiel"), Some(Status::Partiel));
        assert_eq!(parse_status("oui"), None);
    }
}
