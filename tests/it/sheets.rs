//! Grids out as spreadsheets and declarations back in: the export → fill → import round trip in
//! each format, every problem of a badly filled sheet named by its cell, hostile spreadsheets
//! refused with a reason, and an audit of the reference ENT fed a spreadsheet directly.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;

use sdet_audit::audit::{self, Silent};
use sdet_audit::declaration::Declarations;
use sdet_audit::declaration::workbook as export;
use sdet_audit::grid::Grid;
use sdet_audit::sheet::{self, SheetFormat};
use sdet_audit::text::Lang;

use crate::support::{bin, root};

fn grid() -> Grid {
    audit::load_grid(None, None, None).expect("shipped grid").0
}

fn demo_declarations(grid: &Grid) -> Declarations {
    Declarations::load(
        &root().join("fixtures/declarations/demo.yaml"),
        grid,
        Lang::Fr,
    )
    .expect("demo declarations")
}

#[test]
fn export_fill_import_gives_the_yaml_declarations_in_every_format() {
    let grid = grid();
    let expected = demo_declarations(&grid);
    let dir = tempfile::tempdir().unwrap();
    for ext in ["ods", "xlsx", "csv"] {
        let filled = dir.path().join(format!("offre.{ext}"));
        let yaml = dir.path().join(format!("back-{ext}.yaml"));
        bin()
            .args([
                "grids",
                "export",
                "--declarations",
                "fixtures/declarations/demo.yaml",
                "-o",
            ])
            .arg(&filled)
            .assert()
            .success();
        bin()
            .args(["declarations", "import"])
            .arg(&filled)
            .arg("-o")
            .arg(&yaml)
            .assert()
            .success();
        // CSV is one table: it has no summary sheet, so no place for the vendor's name.
        let mut expected = expected.clone();
        if ext == "csv" {
            expected.vendor = None;
        }
        let direct = Declarations::load(&filled, &grid, Lang::Fr).expect(ext);
        assert!(direct == expected, "{ext}: read directly");
        let via_yaml = Declarations::load(&yaml, &grid, Lang::Fr).expect(ext);
        assert!(via_yaml == expected, "{ext}: through declarations import");
    }
}

#[test]
fn an_exported_sheet_has_one_sheet_per_axis_a_summary_and_the_vendor_columns() {
    let grid = grid();
    let dir = tempfile::tempdir().unwrap();
    for (ext, lang, header) in [("ods", "fr", "Déclaration"), ("xlsx", "en", "Declaration")] {
        let path = dir.path().join(format!("grille.{ext}"));
        bin()
            .args(["grids", "export", "--lang", lang, "-o"])
            .arg(&path)
            .assert()
            .success();
        let sheets = sheet::read(&path).unwrap();
        assert_eq!(sheets.len(), grid.axes.len() + 1, "{ext}");
        assert!(["Synthèse", "Summary"].contains(&sheets[0].name.as_str()));
        let rows: usize = sheets[1..].iter().map(|s| s.rows().len() - 1).sum();
        assert_eq!(rows, grid.criteria.len(), "{ext}: one row per criterion");
        assert_eq!(
            sheets[1].get(0, 4),
            Some(header),
            "{ext}: declaration in column E"
        );
        assert!(
            sheets[1..].iter().all(|s| s.get(1, 4).is_none()),
            "{ext}: blank to fill"
        );
    }
    let ods = dir.path().join("grille.ods");
    let unzip = |part: &str| {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&ods).unwrap()).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(part).unwrap(), &mut text).unwrap();
        text
    };
    let content = unzip("content.xml");
    assert!(
        content.contains(r"of:cell-content-is-in-list(&quot;conforme&quot;;&quot;partiel&quot;;&quot;non_conforme&quot;;&quot;non_applicable&quot;)"),
        "drop-down"
    );
    assert!(unzip("settings.xml").contains(r#"<config:config-item config:name="VerticalSplitPosition" config:type="int">1</config:config-item>"#), "frozen header");
    assert_eq!(
        unzip("mimetype"),
        "application/vnd.oasis.opendocument.spreadsheet"
    );
}

/// The export of the demo declarations, with `edit` applied to its sheets before writing.
fn filled_with(dir: &Path, name: &str, edit: impl FnOnce(&mut sheet::Book)) -> std::path::PathBuf {
    let grid = grid();
    let mut book = export::book(&grid, Some(&demo_declarations(&grid)), Lang::Fr);
    edit(&mut book);
    let path = dir.join(name);
    let format = SheetFormat::from_path(&path).unwrap();
    std::fs::write(&path, sheet::write(&book, format).unwrap()).unwrap();
    path
}

#[test]
fn every_problem_of_a_filled_sheet_is_named_by_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled_with(dir.path(), "offre.ods", |book| {
        let securite = book
            .sheets
            .iter_mut()
            .find(|s| s.name == "Sécurité")
            .unwrap();
        securite.rows[12][4] = "oui".into();
        securite.rows[3][0] = "SEC-XXX-99".into();
        securite.rows[5][4].clear();
        let copy = securite.rows[0].clone();
        securite.rows.push(copy);
        let mut orphan = vec![String::new(); 12];
        orphan[4] = "conforme".into();
        securite.rows.push(orphan);
        let fonctionnel = &mut book.sheets[1];
        fonctionnel.rows.remove(0);
    });
    let problems = Declarations::load_sheet(&path, &grid(), Lang::Fr).unwrap_err();
    let lines: Vec<String> = problems
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
    let out = bin()
        .args(["declarations", "import"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Sécurité!E14 : « oui » n'est pas une déclaration connue"),
        "{stderr}"
    );
    let out = bin()
        .args(["declarations", "import", "--lang", "en"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a known declaration"));
}

#[test]
fn blank_declarations_and_missing_rows_are_reported_as_not_declared() {
    let dir = tempfile::tempdir().unwrap();
    let path = filled_with(dir.path(), "offre.xlsx", |book| {
        book.sheets[1].rows.remove(0);
        book.sheets[2].rows[0][4].clear();
        book.sheets[2].rows[0][5].clear();
        book.sheets[2].rows[0][6].clear();
    });
    let grid = grid();
    let imported = Declarations::load_sheet(&path, &grid, Lang::Fr).unwrap();
    assert_eq!(imported.missing, ["FUN-ACC-01"]);
    assert_eq!(imported.blank, ["SSO-AAS-01"]);
    assert_eq!(
        imported.declarations.by_criterion.len(),
        grid.criteria.len() - 2
    );
    let out = bin()
        .args(["declarations", "import"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 critère(s) sans ligne, non déclaré(s) : FUN-ACC-01"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 critère(s) à la déclaration vide, non déclaré(s) : SSO-AAS-01"),
        "{stderr}"
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, data) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

fn ods_content(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="S">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn hostile_spreadsheets_are_refused_with_a_reason_and_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    let parts: Vec<(String, &[u8])> = (0..70).map(|i| (format!("p{i}.xml"), &zeros[..])).collect();
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), *d)).collect();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("inflate.ods", zip_of(&refs), "inflates to more than"),
        (
            "rows.ods",
            ods_content(
                r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
            ),
            "too large",
        ),
        (
            "spaces.ods",
            ods_content(
                r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row>"#,
            ),
            "bytes of text",
        ),
        (
            "garbage.ods",
            b"PK\x03\x04 not really".to_vec(),
            "not a zip archive",
        ),
        ("garbage.xlsx", b"hello".to_vec(), "not a zip archive"),
        ("notes.txt", b"hello".to_vec(), "unknown extension"),
    ];
    for (name, bytes, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = sheet::read(&path).unwrap_err().to_string();
        assert!(err.contains(why), "{name}: {err}");
    }
    // An XLSX whose two cells sit at opposite corners of the largest sheet.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(1_048_575, 16_383, "b").unwrap();
    let path = dir.path().join("corners.xlsx");
    std::fs::write(&path, wb.save_to_buffer().unwrap()).unwrap();
    let err = sheet::read(&path).unwrap_err().to_string();
    assert!(err.contains("XFD1048576"), "{err}");
    // A FIFO named like a spreadsheet is refused without blocking.
    let fifo = dir.path().join("pipe.ods");
    crate::support::mkfifo(&fifo);
    let err = sheet::read(&fifo).unwrap_err().to_string();
    assert!(err.contains("FIFO"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_audits_with_declarations_from_a_filled_ods() {
    let dir = tempfile::tempdir().unwrap();
    let filled = filled_with(dir.path(), "offre.ods", |book| {
        // One change the report must show: the vendor now declares FUN-ACC-02 non conforme.
        let row = book.sheets[1]
            .rows
            .iter_mut()
            .find(|r| r[0] == "FUN-ACC-02")
            .unwrap();
        row[4] = "non conforme".into();
    });
    let extra = audit::demo::DemoAudit {
        declarations: Some(filled),
        ..audit::demo::DemoAudit::default()
    };
    let report = audit::demo::run_with(&BTreeSet::new(), &extra, &Silent)
        .await
        .unwrap();
    let grid = grid();
    let yaml = demo_declarations(&grid);
    for c in &report.criteria {
        let expected = if c.id == "FUN-ACC-02" {
            Some(sdet_audit::declaration::Status::NonConforme)
        } else {
            yaml.by_criterion.get(&c.id).map(|d| d.status)
        };
        assert_eq!(c.declared, expected, "{}", c.id);
    }
}

#[test]
fn a_tender_grid_imports_into_a_grid_that_lints_and_every_bad_cell_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = "fixtures/grids/import/tender";
    bin()
        .args([
            "grids",
            "import",
            &format!("{fixtures}/grille-ao.csv"),
            "--mapping",
            &format!("{fixtures}/mapping.yaml"),
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let out = bin()
        .args(["grids", "lint", "--probes", "probes", "--grids"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (grid, _) = audit::load_grid(Some(dir.path()), None, Some("ao-2026")).unwrap();
    let ids: Vec<&str> = grid.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["SEC-AO-01", "SEC-AO-02", "INT-AO-01"]);
    assert_eq!(
        grid.criteria[1].level,
        sdet_audit::grid::Level::Recommandation
    );
    let out = bin()
        .args(["grids", "diff", "6.4", "ao-2026", "--grids"])
        .arg(dir.path())
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("3 ajouté(s), 116 retiré(s)"), "{diff}");
    let out = bin()
        .args([
            "grids",
            "import",
            &format!("{fixtures}/grille-ao-fautive.csv"),
            "--mapping",
            &format!("{fixtures}/mapping.yaml"),
            "-o",
        ])
        .arg(dir.path().join("fautive"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for cell in ["!A3", "!A4", "!B5", "!C6"] {
        assert!(
            stderr.contains(&format!("grille-ao-fautive.csv{cell}")),
            "{cell}: {stderr}"
        );
    }
    assert!(
        !dir.path().join("fautive").exists(),
        "nothing written on error"
    );
}
