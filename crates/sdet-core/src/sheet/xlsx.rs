//! Excel workbooks: read with calamine's cell stream (cell by cell, so a sheet whose cells sit
//! at A1 and XFD1048576 costs two cells, not the rectangle between them), written with
//! rust_xlsxwriter.

use std::io::Cursor;

use calamine::{DataRef, Reader as _, Xlsx};
use rust_xlsxwriter::{DataValidation, Format, Workbook};

use super::{Book, Limits, ReadSheet, SheetError, number_text};

/// Reads every sheet of an XLSX file already checked by `archive`.
pub(super) fn read(bytes: &[u8], limits: &mut Limits) -> Result<Vec<ReadSheet>, SheetError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| limits.malformed(e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut out = ReadSheet {
            name: name.clone(),
            ..ReadSheet::default()
        };
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| limits.malformed(format!("{name}: {e}")))?;
        while let Some(cell) = cells
            .next_cell()
            .map_err(|e| limits.malformed(format!("{name}: {e}")))?
        {
            let text = value_text(cell.get_value());
            limits.put(&mut out, cell.get_position(), (1, 1), &text)?;
        }
        sheets.push(out);
    }
    Ok(sheets)
}

fn value_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::Error(e) => format!("#{e}"),
    }
}

/// Writes `book` as XLSX: bold wrapped header, frozen under it, column widths, drop-downs.
pub(super) fn write(book: &Book) -> Result<Vec<u8>, SheetError> {
    let err = |e: rust_xlsxwriter::XlsxError| SheetError::Write(e.to_string());
    let mut wb = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap();
    let body = Format::new().set_text_wrap();
    for spec in &book.sheets {
        let sheet = wb.add_worksheet();
        sheet.set_name(spec.name.as_str()).map_err(err)?;
        let last_row = u32::try_from(spec.rows.len()).unwrap_or(u32::MAX);
        for (c, column) in (0u16..).zip(&spec.columns) {
            sheet.set_column_width(c, column.width).map_err(err)?;
            sheet
                .write_string_with_format(0, c, column.header.as_str(), &header)
                .map_err(err)?;
            if let Some(choices) = &column.choices
                && last_row > 0
            {
                let validation = DataValidation::new()
                    .allow_list_strings(choices)
                    .map_err(err)?
                    .set_error_title(column.header.as_str())
                    .map_err(err)?;
                sheet
                    .add_data_validation(1, c, last_row, c, &validation)
                    .map_err(err)?;
            }
        }
        for (r, row) in (1u32..).zip(&spec.rows) {
            for (c, text) in (0u16..).zip(row) {
                if !text.is_empty() {
                    sheet
                        .write_string_with_format(r, c, text.as_str(), &body)
                        .map_err(err)?;
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
