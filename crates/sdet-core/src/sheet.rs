//! Spreadsheets in and out. Vendors answer in spreadsheets, collectivités attach grids to their
//! tenders as spreadsheets, and French administrations exchange OpenDocument (the RGI): so the
//! grid is exported and declarations are read in ODS (first), XLSX and CSV.
//!
//! This module knows cells, not criteria: writing takes a [`Book`] (sheets of text cells with
//! column headers, widths and drop-down lists), reading gives [`ReadSheet`]s (text cells by
//! position) that `declaration::sheet` and `declaration::workbook` interpret. A spreadsheet may come from
//! the audited vendor, so reading is bounded three ways: the file through `input::read`, what its
//! archive decompresses to (`archive`), and how many cells its repeat counts may stand for.

mod archive;
mod csv;
mod ods;
mod xlsx;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::text::Text;

/// The most cells read from one spreadsheet: a grid has about a hundred rows of a dozen columns.
pub const MAX_CELLS: usize = 1_000_000;
/// The last row read (1-based): far past any grid.
pub const MAX_ROWS: u32 = 100_000;
/// The last column read (1-based, `IV`): far past any grid's dozen columns.
pub const MAX_COLUMNS: u32 = 256;

/// The spreadsheet formats, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// OpenDocument spreadsheet (`.ods`), the RGI's format.
    Ods,
    /// Office Open XML workbook (`.xlsx`).
    Xlsx,
    /// Comma-separated values, one sheet (`.csv`).
    Csv,
}

impl SheetFormat {
    /// The format a path's extension names, if it names one.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "ods" => Some(SheetFormat::Ods),
            "xlsx" => Some(SheetFormat::Xlsx),
            "csv" => Some(SheetFormat::Csv),
            _ => None,
        }
    }
}

/// Why a spreadsheet could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    /// The file could not be read (not a regular file, too large, unreadable).
    #[error("{}", self.wording().shown())]
    Input(#[from] crate::input::InputError),
    /// The extension is none of .ods, .xlsx, .csv.
    #[error("{}", self.wording().shown())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file is not a readable spreadsheet of its format.
    #[error("{}", self.wording().shown())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What the reader said (a library's own words are quoted in the French one).
        why: Text,
    },
    /// The spreadsheet stands for more than the tool reads (a decompression or repeat bomb).
    #[error("{}", self.wording().shown())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Which bound it passed.
        what: Text,
    },
    /// The writer failed (a bug, or a value the format cannot hold).
    #[error("{}", self.wording().shown())]
    Write(String),
}

impl SheetError {
    /// The message in French and English; `Display` shows it in the language errors are shown
    /// in ([`crate::text::errors_lang`]).
    pub fn wording(&self) -> Text {
        match self {
            SheetError::Input(e) => e.wording(),
            SheetError::UnknownFormat { path } => crate::fr_en!(
                "{} : extension inconnue, .ods, .xlsx ou .csv attendu",
                "{}: unknown extension, expected .ods, .xlsx or .csv",
                path.display()
            ),
            SheetError::Malformed { path, why } => Text::new(
                format!("{} : tableur illisible : {}", path.display(), why.fr),
                format!("{}: not a readable spreadsheet: {}", path.display(), why.en),
            ),
            SheetError::TooLarge { path, what } => Text::new(
                format!("{} : trop grand : {}", path.display(), what.fr),
                format!("{}: too large: {}", path.display(), what.en),
            ),
            SheetError::Write(why) => crate::fr_en!(
                "le tableur n'a pas pu être écrit : « {} »",
                "the spreadsheet could not be written: {}",
                why
            ),
        }
    }
}

/// A workbook to write.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The sheets, in order.
    pub sheets: Vec<SheetOut>,
}

/// One sheet to write: a frozen header row, then rows of text.
#[derive(Debug, Clone, Default)]
pub struct SheetOut {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The rows under the header, as many cells as columns (missing ones are empty).
    pub rows: Vec<Vec<String>>,
}

/// One column of a sheet to write.
#[derive(Debug, Clone, Default)]
pub struct Column {
    /// The header cell.
    pub header: String,
    /// The width, in characters.
    pub width: f64,
    /// When set, the cells under the header offer these values in a drop-down.
    pub choices: Option<Vec<String>>,
}

/// One sheet as read: its name and its non-empty cells as text, by 0-based (row, column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadSheet {
    /// The sheet's name (the file name for CSV).
    pub name: String,
    /// Non-empty cells, trimmed of nothing: what the file holds.
    pub cells: BTreeMap<(u32, u32), String>,
}

impl ReadSheet {
    /// The cell at 0-based (row, column), when not empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.cells.get(&(row, col)).map(String::as_str)
    }

    /// The cell's name as a spreadsheet shows it, e.g. `Sécurité!E14`.
    pub fn cell_name(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, cell_ref(row, col))
    }

    /// The 0-based rows that hold at least one cell, in order.
    pub fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|(r, _)| *r).collect();
        rows.dedup();
        rows
    }
}

/// `A1`-style name of a 0-based (row, column).
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        // rem < 26, so the cast cannot truncate.
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// Reads every sheet of the spreadsheet at `path` (format by extension).
pub fn read(path: &Path) -> Result<Vec<ReadSheet>, SheetError> {
    let format = SheetFormat::from_path(path).ok_or_else(|| SheetError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let bytes = crate::input::read(path, crate::input::MAX_CONFIG_BYTES)?;
    let mut limits = Limits::new(path);
    match format {
        SheetFormat::Ods => {
            archive::check(path, &bytes)?;
            ods::read(&bytes, &mut limits)
        }
        SheetFormat::Xlsx => {
            archive::check(path, &bytes)?;
            xlsx::read(&bytes, &mut limits)
        }
        SheetFormat::Csv => {
            let name = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            csv::read(&bytes, &name, &mut limits).map(|s| vec![s])
        }
    }
}

/// Writes `book` in `format`. CSV holds one sheet: the caller passes a book of one.
pub fn write(book: &Book, format: SheetFormat) -> Result<Vec<u8>, SheetError> {
    match format {
        SheetFormat::Ods => ods::write(book),
        SheetFormat::Xlsx => xlsx::write(book),
        SheetFormat::Csv => csv::write(book),
    }
}

/// The bounds one read is held to, and the file they name in errors.
struct Limits {
    path: PathBuf,
    cells: usize,
}

impl Limits {
    fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            cells: 0,
        }
    }

    /// A file the reader refused; `why` is the reader's own message, in English, so the
    /// French wording quotes it.
    fn malformed(&self, why: impl std::fmt::Display) -> SheetError {
        SheetError::Malformed {
            path: self.path.clone(),
            why: Text::new(format!("« {why} »"), why.to_string()),
        }
    }

    /// A part of the file (`content.xml`) that is not well-formed XML; `why` is the XML
    /// reader's own message.
    fn malformed_xml(&self, part: &str, why: impl std::fmt::Display) -> SheetError {
        self.refused(Text::new(
            format!("{part} : XML mal formé (« {why} »)"),
            format!("{part}: {why}"),
        ))
    }

    /// A file refused for a reason of ours, worded in both languages.
    fn refused(&self, why: Text) -> SheetError {
        SheetError::Malformed {
            path: self.path.clone(),
            why,
        }
    }

    /// Stores `text` at every position the (row, col) cell repeated `rows` × `cols` times stands
    /// for, refusing once the sheet or the whole file passes a bound.
    fn put(
        &mut self,
        sheet: &mut ReadSheet,
        (row, col): (u32, u32),
        (rows, cols): (u32, u32),
        text: &str,
    ) -> Result<(), SheetError> {
        if text.is_empty() {
            return Ok(());
        }
        let last_row = u64::from(row) + u64::from(rows.max(1));
        let last_col = u64::from(col) + u64::from(cols.max(1));
        if last_row > u64::from(MAX_ROWS) || last_col > u64::from(MAX_COLUMNS) {
            return Err(SheetError::TooLarge {
                path: self.path.clone(),
                what: crate::fr_en!(
                    "{} : {} (au plus {MAX_ROWS} lignes × {MAX_COLUMNS} colonnes)",
                    "{}: {} (max {MAX_ROWS} rows × {MAX_COLUMNS} columns)",
                    sheet.name,
                    cell_ref(
                        u32::try_from(last_row - 1).unwrap_or(u32::MAX),
                        u32::try_from(last_col - 1).unwrap_or(u32::MAX)
                    )
                ),
            });
        }
        let count =
            usize::try_from(u64::from(rows.max(1)) * u64::from(cols.max(1))).unwrap_or(usize::MAX);
        self.cells = self.cells.saturating_add(count);
        if self.cells > MAX_CELLS {
            return Err(SheetError::TooLarge {
                path: self.path.clone(),
                what: crate::fr_en!(
                    "plus de {MAX_CELLS} cellules",
                    "more than {MAX_CELLS} cells"
                ),
            });
        }
        for r in row..row + rows.max(1) {
            for c in col..col + cols.max(1) {
                sheet.cells.insert((r, c), text.to_string());
            }
        }
        Ok(())
    }
}

/// A number as a person typed it: `3`, not `3.0`.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_are_spreadsheet_names() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(13, 4), "E14");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 255), "IV10");
    }

    #[test]
    fn a_repeat_past_the_bounds_is_refused_not_expanded() {
        let mut limits = Limits::new(Path::new("x.ods"));
        let mut sheet = ReadSheet::default();
        let err = limits
            .put(&mut sheet, (0, 0), (1_048_576, 16_384), "conforme")
            .unwrap_err();
        assert!(matches!(err, SheetError::TooLarge { .. }), "{err}");
        assert!(sheet.cells.is_empty());
        limits.put(&mut sheet, (1, 1), (2, 2), "x").unwrap();
        assert_eq!(sheet.cells.len(), 4);
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
    }
}
