//! Writes a [`Book`] as an OpenDocument spreadsheet (ODF 1.3): the archive through the zip
//! crate (`mimetype` first and stored, as ODF requires), every XML part through quick-xml's
//! writer, so text is always escaped. It holds what a vendor needs and nothing more: column
//! widths, a bold wrapped header frozen at the top (settings.xml), drop-down lists
//! (content validations).

use std::io::{Cursor, Write as _};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use zip::write::SimpleFileOptions;

use super::super::{Book, SheetError, SheetOut};

const MIMETYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";
const NS: &[(&str, &str)] = &[
    (
        "xmlns:office",
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    ),
    (
        "xmlns:style",
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    ),
    (
        "xmlns:text",
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    ),
    (
        "xmlns:table",
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    ),
    (
        "xmlns:fo",
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    ),
    (
        "xmlns:config",
        "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    ),
    ("xmlns:of", "urn:oasis:names:tc:opendocument:xmlns:of:1.2"),
];

type Xml = Writer<Cursor<Vec<u8>>>;

fn err(e: impl std::fmt::Display) -> SheetError {
    SheetError::Write(e.to_string())
}

/// Writes `book` as ODS bytes.
pub(in crate::sheet) fn write(book: &Book) -> Result<Vec<u8>, SheetError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).map_err(err)?;
    zip.write_all(MIMETYPE.as_bytes()).map_err(err)?;
    for (name, bytes) in [
        ("META-INF/manifest.xml", manifest()?),
        ("styles.xml", styles()?),
        ("settings.xml", settings(book)?),
        ("content.xml", content(book)?),
    ] {
        zip.start_file(name, deflated).map_err(err)?;
        zip.write_all(&bytes).map_err(err)?;
    }
    Ok(zip.finish().map_err(err)?.into_inner())
}

fn document(
    root: &str,
    body: impl FnOnce(&mut Xml) -> Result<(), SheetError>,
) -> Result<Vec<u8>, SheetError> {
    let mut xml = Writer::new(Cursor::new(Vec::new()));
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(err)?;
    let mut start = BytesStart::new(root);
    for (k, v) in NS {
        start.push_attribute((*k, *v));
    }
    start.push_attribute(("office:version", "1.3"));
    xml.write_event(Event::Start(start)).map_err(err)?;
    body(&mut xml)?;
    xml.write_event(Event::End(BytesEnd::new(root)))
        .map_err(err)?;
    Ok(xml.into_inner().into_inner())
}

fn open(xml: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> Result<(), SheetError> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    xml.write_event(Event::Start(e)).map_err(err)
}

fn empty(xml: &mut Xml, name: &str, attrs: &[(&str, &str)]) -> Result<(), SheetError> {
    let mut e = BytesStart::new(name);
    for a in attrs {
        e.push_attribute(*a);
    }
    xml.write_event(Event::Empty(e)).map_err(err)
}

fn close(xml: &mut Xml, name: &str) -> Result<(), SheetError> {
    xml.write_event(Event::End(BytesEnd::new(name)))
        .map_err(err)
}

fn text(xml: &mut Xml, s: &str) -> Result<(), SheetError> {
    xml.write_event(Event::Text(BytesText::new(s))).map_err(err)
}

fn manifest() -> Result<Vec<u8>, SheetError> {
    let mut xml = Writer::new(Cursor::new(Vec::new()));
    xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(err)?;
    open(
        &mut xml,
        "manifest:manifest",
        &[
            (
                "xmlns:manifest",
                "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
            ),
            ("manifest:version", "1.3"),
        ],
    )?;
    empty(
        &mut xml,
        "manifest:file-entry",
        &[
            ("manifest:full-path", "/"),
            ("manifest:version", "1.3"),
            ("manifest:media-type", MIMETYPE),
        ],
    )?;
    for part in ["content.xml", "styles.xml", "settings.xml"] {
        empty(
            &mut xml,
            "manifest:file-entry",
            &[
                ("manifest:full-path", part),
                ("manifest:media-type", "text/xml"),
            ],
        )?;
    }
    close(&mut xml, "manifest:manifest")?;
    Ok(xml.into_inner().into_inner())
}

fn styles() -> Result<Vec<u8>, SheetError> {
    document("office:document-styles", |_| Ok(()))
}

/// settings.xml: each sheet frozen under its header row (LibreOffice's view settings).
fn settings(book: &Book) -> Result<Vec<u8>, SheetError> {
    document("office:document-settings", |xml| {
        open(xml, "office:settings", &[])?;
        open(
            xml,
            "config:config-item-set",
            &[("config:name", "ooo:view-settings")],
        )?;
        open(
            xml,
            "config:config-item-map-indexed",
            &[("config:name", "Views")],
        )?;
        open(xml, "config:config-item-map-entry", &[])?;
        item(xml, "ViewId", "string", "view1")?;
        open(
            xml,
            "config:config-item-map-named",
            &[("config:name", "Tables")],
        )?;
        for sheet in &book.sheets {
            open(
                xml,
                "config:config-item-map-entry",
                &[("config:name", &sheet.name)],
            )?;
            item(xml, "VerticalSplitMode", "short", "2")?;
            item(xml, "VerticalSplitPosition", "int", "1")?;
            item(xml, "ActiveSplitRange", "short", "2")?;
            item(xml, "PositionTop", "int", "0")?;
            item(xml, "PositionBottom", "int", "1")?;
            close(xml, "config:config-item-map-entry")?;
        }
        close(xml, "config:config-item-map-named")?;
        close(xml, "config:config-item-map-entry")?;
        close(xml, "config:config-item-map-indexed")?;
        close(xml, "config:config-item-set")?;
        close(xml, "office:settings")
    })
}

fn item(xml: &mut Xml, name: &str, kind: &str, value: &str) -> Result<(), SheetError> {
    open(
        xml,
        "config:config-item",
        &[("config:name", name), ("config:type", kind)],
    )?;
    text(xml, value)?;
    close(xml, "config:config-item")
}

/// content.xml: styles for widths and the header, the drop-down validations, the tables.
fn content(book: &Book) -> Result<Vec<u8>, SheetError> {
    document("office:document-content", |xml| {
        open(xml, "office:automatic-styles", &[])?;
        for (s, sheet) in book.sheets.iter().enumerate() {
            for (c, column) in sheet.columns.iter().enumerate() {
                open(
                    xml,
                    "style:style",
                    &[
                        ("style:name", &format!("co{s}-{c}")),
                        ("style:family", "table-column"),
                    ],
                )?;
                // Widths are in characters; a character of the default font is about 0.21 cm.
                let width = format!("{:.2}cm", column.width * 0.21);
                empty(
                    xml,
                    "style:table-column-properties",
                    &[("style:column-width", &width)],
                )?;
                close(xml, "style:style")?;
            }
        }
        for (name, bold) in [("ceH", true), ("ceB", false)] {
            open(
                xml,
                "style:style",
                &[("style:name", name), ("style:family", "table-cell")],
            )?;
            empty(
                xml,
                "style:table-cell-properties",
                &[("fo:wrap-option", "wrap"), ("style:vertical-align", "top")],
            )?;
            if bold {
                empty(xml, "style:text-properties", &[("fo:font-weight", "bold")])?;
            }
            close(xml, "style:style")?;
        }
        close(xml, "office:automatic-styles")?;
        open(xml, "office:body", &[])?;
        open(xml, "office:spreadsheet", &[])?;
        validations(xml, book)?;
        for (s, sheet) in book.sheets.iter().enumerate() {
            table(xml, s, sheet)?;
        }
        close(xml, "office:spreadsheet")?;
        close(xml, "office:body")
    })
}

fn validation_name(sheet: usize, col: usize) -> String {
    format!("val{sheet}-{col}")
}

/// A sheet name as a cell address quotes it (`'Sécurité'`, inner quotes doubled).
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

fn validations(xml: &mut Xml, book: &Book) -> Result<(), SheetError> {
    let any = book
        .sheets
        .iter()
        .any(|s| s.columns.iter().any(|c| c.choices.is_some()));
    if !any {
        return Ok(());
    }
    open(xml, "table:content-validations", &[])?;
    for (s, sheet) in book.sheets.iter().enumerate() {
        for (c, column) in sheet.columns.iter().enumerate() {
            let Some(choices) = &column.choices else {
                continue;
            };
            let list: Vec<String> = choices
                .iter()
                .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
                .collect();
            let condition = format!("of:cell-content-is-in-list({})", list.join(";"));
            let base = format!(
                "{}.{}",
                quoted(&sheet.name),
                super::super::cell_ref(1, u32::try_from(c).unwrap_or(u32::MAX))
            );
            open(
                xml,
                "table:content-validation",
                &[
                    ("table:name", &validation_name(s, c)),
                    ("table:condition", &condition),
                    ("table:allow-empty-cell", "true"),
                    ("table:display-list", "unsorted"),
                    ("table:base-cell-address", &base),
                ],
            )?;
            open(
                xml,
                "table:error-message",
                &[
                    ("table:display", "true"),
                    ("table:message-type", "stop"),
                    ("table:title", &column.header),
                ],
            )?;
            open(xml, "text:p", &[])?;
            text(xml, &choices.join(", "))?;
            close(xml, "text:p")?;
            close(xml, "table:error-message")?;
            close(xml, "table:content-validation")?;
        }
    }
    close(xml, "table:content-validations")
}

fn table(xml: &mut Xml, s: usize, sheet: &SheetOut) -> Result<(), SheetError> {
    open(xml, "table:table", &[("table:name", &sheet.name)])?;
    for c in 0..sheet.columns.len() {
        empty(
            xml,
            "table:table-column",
            &[
                ("table:style-name", &format!("co{s}-{c}")),
                ("table:default-cell-style-name", "ceB"),
            ],
        )?;
    }
    open(xml, "table:table-row", &[])?;
    for column in &sheet.columns {
        cell(xml, &column.header, "ceH", None)?;
    }
    close(xml, "table:table-row")?;
    for row in &sheet.rows {
        open(xml, "table:table-row", &[])?;
        for (c, column) in sheet.columns.iter().enumerate() {
            let value = row.get(c).map_or("", String::as_str);
            let validation = column.choices.as_ref().map(|_| validation_name(s, c));
            cell(xml, value, "ceB", validation.as_deref())?;
        }
        close(xml, "table:table-row")?;
    }
    close(xml, "table:table")
}

/// One string cell; lines become paragraphs and runs of spaces `text:s`, as ODF keeps them.
fn cell(
    xml: &mut Xml,
    value: &str,
    style: &str,
    validation: Option<&str>,
) -> Result<(), SheetError> {
    let mut attrs = vec![("table:style-name", style)];
    if let Some(v) = validation {
        attrs.push(("table:content-validation-name", v));
    }
    if value.is_empty() {
        return empty(xml, "table:table-cell", &attrs);
    }
    attrs.push(("office:value-type", "string"));
    open(xml, "table:table-cell", &attrs)?;
    for line in value.split('\n') {
        open(xml, "text:p", &[])?;
        paragraph(xml, line)?;
        close(xml, "text:p")?;
    }
    close(xml, "table:table-cell")
}

/// A line's text, with tabs as `text:tab` and every space but the first of a run (and a
/// leading one) as `text:s`, since XML readers of ODF collapse plain spaces.
fn paragraph(xml: &mut Xml, line: &str) -> Result<(), SheetError> {
    let mut run = String::new();
    let mut spaces = 0usize;
    let flush_spaces =
        |xml: &mut Xml, run: &mut String, spaces: &mut usize| -> Result<(), SheetError> {
            if *spaces == 0 {
                return Ok(());
            }
            let literal = !run.is_empty() && !run.ends_with('\t');
            let extra = if literal {
                run.push(' ');
                *spaces - 1
            } else {
                *spaces
            };
            if extra > 0 {
                text(xml, run)?;
                run.clear();
                let count = extra.to_string();
                empty(xml, "text:s", &[("text:c", &count)])?;
            }
            *spaces = 0;
            Ok(())
        };
    for ch in line.chars() {
        match ch {
            ' ' => spaces += 1,
            '\t' => {
                flush_spaces(xml, &mut run, &mut spaces)?;
                if !run.is_empty() {
                    text(xml, &run)?;
                    run.clear();
                }
                empty(xml, "text:tab", &[])?;
            }
            _ => {
                flush_spaces(xml, &mut run, &mut spaces)?;
                run.push(ch);
            }
        }
    }
    // Trailing spaces are kept as text:s too.
    if spaces > 0 {
        if !run.is_empty() {
            text(xml, &run)?;
            run.clear();
        }
        empty(xml, "text:s", &[("text:c", &spaces.to_string())])?;
    }
    if !run.is_empty() {
        text(xml, &run)?;
    }
    Ok(())
}
