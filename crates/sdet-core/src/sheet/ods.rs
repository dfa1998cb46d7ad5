//! OpenDocument spreadsheets. Read with calamine once `bound` has measured what its repeat
//! counts stand for (calamine expands them); written by `write` through quick-xml's writer and
//! the zip crate.
//!
//! Why not the spreadsheet-ods crate: it turns on quick-xml 0.38's `encoding` feature, which
//! (features being unified across the build) would make our AAF reader decode an ISO-8859-15 feed
//! a second time after transcoding it, garbling every accent.

mod bound;
mod write;

use std::io::Cursor;

use calamine::{Data, Ods, Reader as _};

use super::{Limits, ReadSheet, SheetError, number_text};

pub(super) use write::write;

/// Reads every sheet of an ODS file already checked by `archive`.
pub(super) fn read(bytes: &[u8], limits: &mut Limits) -> Result<Vec<ReadSheet>, SheetError> {
    bound::check(bytes, limits)?;
    let mut book: Ods<_> = Ods::new(Cursor::new(bytes)).map_err(|e| limits.malformed(e))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| limits.malformed(format!("{name}: {e}")))?;
        let mut out = ReadSheet {
            name: name.clone(),
            ..ReadSheet::default()
        };
        let (top, left) = range.start().unwrap_or((0, 0));
        for (row, col, value) in range.used_cells() {
            let at = (
                top.saturating_add(u32::try_from(row).unwrap_or(u32::MAX)),
                left.saturating_add(u32::try_from(col).unwrap_or(u32::MAX)),
            );
            limits.put(&mut out, at, (1, 1), &value_text(value))?;
        }
        sheets.push(out);
    }
    Ok(sheets)
}

fn value_text(value: &Data) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) => number_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => format!("#{e}"),
    }
}
