//! The spreadsheets `grids export` writes, as LibreOffice sees them: LibreOffice (headless) opens
//! the exported ODS and saves it again as ODS and as XLSX without error, and the declarations
//! read back from what LibreOffice wrote are exactly those exported. This is the round trip a
//! vendor makes: open the grid in their office suite, fill it, save, hand it back.

use std::path::Path;
use std::process::Command;

use sdet_audit::audit;
use sdet_audit::declaration::Declarations;
use sdet_audit::text::Lang;

use crate::support::{bin, root};

fn soffice() -> &'static str {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("LibreOffice is needed for this test (Debian: apt-get install libreoffice-calc-nogui; .ci/run installs it)")
}

/// Has LibreOffice convert `file` to `ext` into `out`; returns the converted file.
fn convert(
    soffice: &str,
    file: &Path,
    ext: &str,
    out: &Path,
    profile: &Path,
) -> std::path::PathBuf {
    let run = Command::new(soffice)
        .args(["--headless", "--norestore", "--convert-to", ext, "--outdir"])
        .arg(out)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .arg(file)
        .output()
        .expect("LibreOffice runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.status.success(),
        "LibreOffice failed on {}: {log}",
        file.display()
    );
    let converted = out.join(file.with_extension(ext).file_name().expect("name"));
    assert!(converted.is_file(), "LibreOffice wrote no {ext}: {log}");
    converted
}

#[test]
fn libreoffice_opens_the_exported_ods_and_what_it_saves_reads_back_the_same() {
    let soffice = soffice();
    let grid = audit::load_grid(None, None, None).expect("shipped grid").0;
    let declarations = root().join("fixtures/declarations/demo.yaml");
    let expected = Declarations::load(&declarations, &grid, Lang::Fr).expect("demo declarations");
    let dir = tempfile::tempdir().expect("tempdir");
    let exported = dir.path().join("offre.ods");
    bin()
        .args(["grids", "export", "--declarations"])
        .arg(&declarations)
        .arg("-o")
        .arg(&exported)
        .assert()
        .success();
    let profile = dir.path().join("profile");
    for ext in ["ods", "xlsx"] {
        let out = dir.path().join(format!("saved-{ext}"));
        std::fs::create_dir_all(&out).expect("folder");
        let saved = convert(soffice, &exported, ext, &out, &profile);
        let back = Declarations::load(&saved, &grid, Lang::Fr)
            .unwrap_or_else(|d| panic!("{ext} saved by LibreOffice does not read back: {d:?}"));
        assert!(
            back == expected,
            "{ext} saved by LibreOffice reads back different declarations"
        );
    }
}
