//! CSV: one sheet, UTF-8, comma-separated, for the tools that only speak CSV. A leading byte
//! order mark (as spreadsheet programs write) is skipped; a `;`-separated file, as French
//! spreadsheet programs often export, is recognised by its header line.

use super::{Book, Limits, ReadSheet, SheetError};

/// Reads a CSV file as one sheet named `name`.
pub(super) fn read(bytes: &[u8], name: &str, limits: &mut Limits) -> Result<ReadSheet, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let semicolons = memchr::memchr_iter(b';', first_line).count();
    let commas = memchr::memchr_iter(b',', first_line).count();
    let delimiter = if semicolons > commas { b';' } else { b',' };
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut sheet = ReadSheet {
        name: name.to_string(),
        ..ReadSheet::default()
    };
    for (row, record) in (0u32..).zip(reader.records()) {
        let record = record.map_err(|e| limits.malformed(e))?;
        for (col, field) in (0u32..).zip(record.iter()) {
            limits.put(&mut sheet, (row, col), (1, 1), field)?;
        }
    }
    Ok(sheet)
}

/// Writes the first sheet of `book` as CSV, header first.
pub(super) fn write(book: &Book) -> Result<Vec<u8>, SheetError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let err = |e: ::csv::Error| SheetError::Write(e.to_string());
    if let Some(sheet) = book.sheets.first() {
        writer
            .write_record(sheet.columns.iter().map(|c| c.header.as_str()))
            .map_err(err)?;
        for row in &sheet.rows {
            let mut cells: Vec<&str> = row.iter().map(String::as_str).collect();
            cells.resize(sheet.columns.len().max(cells.len()), "");
            writer.write_record(&cells).map_err(err)?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| SheetError::Write(e.to_string()))
}
