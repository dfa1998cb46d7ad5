//! Measures what an ODS file's `content.xml` stands for before calamine expands it. A row may
//! say it repeats a million times, a cell that it repeats sixteen thousand times, a space run
//! that it is four billion spaces long: a few bytes of XML, gigabytes once expanded. The
//! measure is deliberately simple and on the safe side: per table, the rows up to the last one
//! with content times the widest such row (the rectangle calamine fills), and the bytes every
//! repeated cell's text expands to.

use std::io::{Cursor, Read as _};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::super::{Limits, MAX_CELLS, SheetError};

/// The most text (bytes) the cells may expand to, repeats and space runs counted.
const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Default)]
struct Table {
    /// Rows (repeats counted) read so far, and those up to the last row with content.
    rows: u64,
    rows_to_content: u64,
    /// The widest row with content.
    width: u64,
}

#[derive(Default)]
struct Row {
    repeat: u64,
    position: u64,
    extent: u64,
    text: u64,
}

/// Refuses the file when its tables stand for more than the bounds.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let content = content_xml(bytes, limits)?;
    let mut reader = Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    let (mut cells, mut text) = (0u64, 0u64);
    let mut table = Table::default();
    let mut row = Row::default();
    // The cell being read, with its repeat count, and the text bytes inside it so far.
    let mut cell: Option<(u64, u64)> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| limits.malformed_xml("content.xml", e))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.name().as_ref() {
                    b"table:table" => {
                        cells = cells.saturating_add(table.rows_to_content * table.width);
                        table = Table::default();
                    }
                    b"table:table-row" => {
                        row = Row {
                            repeat: attr_number(e, b"table:number-rows-repeated", limits)?,
                            ..Row::default()
                        };
                        if empty {
                            table.rows = table.rows.saturating_add(row.repeat);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        let repeat = attr_number(e, b"table:number-columns-repeated", limits)?;
                        let valued = e
                            .try_get_attribute("office:value-type")
                            .ok()
                            .flatten()
                            .is_some();
                        if empty {
                            end_cell(&mut row, repeat, u64::from(valued));
                        } else {
                            cell = Some((repeat, u64::from(valued)));
                        }
                    }
                    b"text:s" => {
                        let spaces = attr_number(e, b"text:c", limits)?;
                        if let Some((_, t)) = &mut cell {
                            *t = t.saturating_add(spaces);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => {
                if let Some((_, bytes)) = &mut cell {
                    *bytes = bytes.saturating_add(t.len() as u64).max(1);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let Some((repeat, bytes)) = cell.take() {
                        end_cell(&mut row, repeat, bytes);
                    }
                }
                b"table:table-row" => {
                    table.rows = table.rows.saturating_add(row.repeat);
                    if row.extent > 0 {
                        table.rows_to_content = table.rows;
                        table.width = table.width.max(row.extent);
                        text = text.saturating_add(row.text.saturating_mul(row.repeat));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
        if text > MAX_TEXT_BYTES {
            return Err(too_large(
                limits,
                crate::fr_en!(
                    "les cellules s'étendent à plus de {MAX_TEXT_BYTES} octets de texte",
                    "cells expand to more than {MAX_TEXT_BYTES} bytes of text"
                ),
            ));
        }
    }
    cells = cells.saturating_add(table.rows_to_content.saturating_mul(table.width));
    if cells > MAX_CELLS as u64 {
        return Err(too_large(
            limits,
            crate::fr_en!(
                "ses lignes et cellules répétées valent plus de {MAX_CELLS} cellules",
                "its repeated rows and cells stand for more than {MAX_CELLS} cells"
            ),
        ));
    }
    Ok(())
}

/// Ends a cell repeated `repeat` times whose text is `bytes` long (0: empty).
fn end_cell(row: &mut Row, repeat: u64, bytes: u64) {
    row.position = row.position.saturating_add(repeat);
    if bytes > 0 {
        row.extent = row.position;
        row.text = row.text.saturating_add(bytes.saturating_mul(repeat));
    }
}

fn too_large(limits: &Limits, what: crate::text::Text) -> SheetError {
    SheetError::TooLarge {
        path: limits.path.clone(),
        what,
    }
}

/// A repeat-like attribute: 1 when absent; a bad number is a malformed file.
fn attr_number(e: &BytesStart<'_>, key: &[u8], limits: &Limits) -> Result<u64, SheetError> {
    match e.try_get_attribute(key) {
        Ok(Some(a)) => std::str::from_utf8(&a.value)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .ok_or_else(|| {
                limits.refused(crate::fr_en!(
                    "content.xml : `{}` n'est pas un nombre",
                    "content.xml: `{}` is not a count",
                    String::from_utf8_lossy(key)
                ))
            }),
        Ok(None) => Ok(1),
        Err(e) => Err(limits.malformed_xml("content.xml", e)),
    }
}

/// The inflated `content.xml` (the archive was checked: it inflates within bounds).
fn content_xml(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| limits.malformed(e))?;
    let mut entry = zip
        .by_name("content.xml")
        .map_err(|e| limits.malformed(format!("content.xml: {e}")))?;
    let mut content = Vec::new();
    entry
        .by_ref()
        .take(super::super::archive::MAX_INFLATED_BYTES)
        .read_to_end(&mut content)
        .map_err(|e| limits.malformed(format!("content.xml: {e}")))?;
    Ok(content)
}
