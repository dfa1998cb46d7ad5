//! The CSV renderer: one row per criterion, for a spreadsheet. It opens cleanly where people
//! open it: a UTF-8 byte-order mark (so accents survive a double-click in Excel), and the
//! separator and decimal mark of the report's language — `;` and `0,5` in French (what a French
//! spreadsheet expects), `,` and `0.5` in English. Quoting follows RFC 4180 (the `csv` crate).
//! Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with
//! `'`, since reasons can quote what the audited ENT sent. Gaps come first.

use super::labels::{self, number};
use super::{CriterionRow, Report};
use sdet_core::text::{Lang, pick};

/// The byte-order mark that tells spreadsheets the file is UTF-8.
pub const BOM: &str = "\u{feff}";

/// Renders one row per criterion.
pub fn render(report: &Report, lang: Lang) -> String {
    let header = [
        pick(lang, "critère", "criterion"),
        pick(lang, "axe", "axis"),
        pick(lang, "niveau", "level"),
        pick(lang, "intitulé", "title"),
        pick(lang, "références SDET", "SDET references"),
        pick(lang, "déclaré", "declared"),
        pick(lang, "justification", "justification"),
        pick(lang, "preuve", "proof"),
        pick(lang, "vérifié", "verified"),
        pick(lang, "écart", "gap"),
        pick(lang, "points théoriques", "declared points"),
        pick(lang, "points pratiques", "verified points"),
        pick(lang, "maximum", "maximum"),
        pick(lang, "constat", "finding"),
        pick(lang, "dérogation", "waiver"),
        pick(lang, "sondes", "probes"),
    ];
    let signed = report.signature.as_ref().map(|s| s.line(lang));
    let mut header = header.to_vec();
    if signed.is_some() {
        // Only a signed report has the column, so an unsigned one reads as it always did.
        header.push(pick(lang, "signature", "signature"));
    }
    let rows = labels::gaps_first(report).into_iter().map(|r| {
        let mut cells = row(report, r, lang);
        cells.extend(signed.clone());
        cells
    });
    table(&header, rows, lang)
}

fn row(report: &Report, r: &CriterionRow, lang: Lang) -> Vec<String> {
    let points = |p: Option<f64>| p.map(|p| number(p, lang)).unwrap_or_default();
    let waiver = report
        .waivers
        .iter()
        .find(|w| w.waiver.criterion == r.id)
        .map(|w| {
            format!(
                "{} ({}, {})",
                labels::waiver_status(w.status, lang),
                w.waiver.approver,
                w.waiver.expires
            )
        })
        .unwrap_or_default();
    vec![
        r.id.clone(),
        labels::axis(report, &r.axis, lang).to_string(),
        labels::row_level(r, lang),
        r.title.get(lang).to_string(),
        r.sdet_refs.join(" ; "),
        labels::declared(r.declared, lang).to_string(),
        r.justification.clone().unwrap_or_default(),
        r.proof.clone().unwrap_or_default(),
        labels::verdict(r.verdict, lang).to_string(),
        if labels::is_gap(report, r) {
            pick(lang, "oui", "yes")
        } else {
            pick(lang, "non", "no")
        }
        .to_string(),
        points(r.theoretical_points),
        points(r.practical_points),
        number(r.maximum, lang),
        r.reason.get(lang).to_string(),
        waiver,
        r.probes.join(" "),
    ]
}

/// Writes a header and rows with the language's separator, the BOM first.
pub fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>, lang: Lang) -> String {
    let delimiter = match lang {
        Lang::Fr => b';',
        Lang::En => b',',
    };
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failed row would only be missing from the output.
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|c| defuse(c).into_owned()));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("{BOM}{}", String::from_utf8_lossy(&bytes))
}

/// Keeps a spreadsheet from running a cell as a formula (CSV injection).
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_per_rfc_4180_and_defuses_formulas() {
        let out = table(
            &["a", "b"],
            [vec![
                "x;y \"q\"".to_string(),
                "=HYPERLINK(\"http://e\")".to_string(),
            ]]
            .into_iter(),
            Lang::Fr,
        );
        assert_eq!(
            out,
            "\u{feff}a;b\r\n\"x;y \"\"q\"\"\";\"'=HYPERLINK(\"\"http://e\"\")\"\r\n"
        );
        let en = table(&["a"], [vec!["1,5".to_string()]].into_iter(), Lang::En);
        assert_eq!(en, "\u{feff}a\r\n\"1,5\"\r\n");
    }
}
