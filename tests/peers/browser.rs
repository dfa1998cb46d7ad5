//! The HTML report as a person sees it: opened in headless Chromium (Debian's `chromium`, which
//! .ci/run installs), with a screenshot kept under target/test-artifacts/, no console error, and a PDF printed through the print stylesheet. Without Chromium the test fails: it never passes unseen.

use std::process::Command;

use sdet_audit::demo::Defect;
use sdet_audit::report::html;
use sdet_audit::text::Lang;

use crate::examples::{demo_report, stable};

/// Where tests keep artifacts a person may want to look at (screenshots).
fn artifacts() -> std::path::PathBuf {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || crate::support::root().join("target"),
            std::path::PathBuf::from,
        )
        .join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts folder");
    dir
}

fn tokio_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Runtime::new().expect("runtime").block_on(f)
}

#[test]
fn the_html_report_renders_in_headless_chromium_without_console_errors() {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
        .expect("chromium is needed for this test (Debian: apt-get install chromium; .ci/run installs it)");
    let report = stable(&tokio_block(demo_report(Defect::ALL)));
    let dir = artifacts();
    for lang in [Lang::Fr, Lang::En] {
        let name = format!("report-{}", if lang == Lang::Fr { "fr" } else { "en" });
        let page = dir.join(format!("{name}.html"));
        let shot = dir.join(format!("{name}.png"));
        std::fs::write(&page, html::render(&report, lang).expect("renders")).expect("write page");
        let _ = std::fs::remove_file(&shot);
        let profile = tempfile::tempdir().expect("profile dir");
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1280,2000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "chromium failed: {log}");
        for bad in ["Uncaught", "CONSOLE", "Refused to", "net::ERR_"] {
            let lines: Vec<&str> = log.lines().filter(|l| l.contains(bad)).collect();
            assert!(
                lines.is_empty(),
                "{bad} in the browser log:\n{}",
                lines.join("\n")
            );
        }
        let png = std::fs::read(&shot).expect("screenshot written");
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        // A blank 1280×2000 page compresses to a few kilobytes; a rendered report is far larger.
        assert!(
            png.len() > 60_000,
            "screenshot looks blank ({} bytes)",
            png.len()
        );
        // Printable: the print stylesheet lays out what a buyer reads (outcome, scores, gaps, what
        // to fix) on A4, in under 15 pages for the demo with every defect; the per-criterion table
        // and the raw evidence stay on screen and in the bundle.
        let pdf = dir.join(format!("{name}.pdf"));
        let _ = std::fs::remove_file(&pdf);
        let out = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium prints");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(&pdf).expect("PDF written");
        assert!(
            bytes.starts_with(b"%PDF-") && bytes.len() > 100_000,
            "{} bytes",
            bytes.len()
        );
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page\n").count()
            + text.matches("/Type /Page/").count()
            + text.matches("/Type /Page>").count()
            + text.matches("/Type /Page ").count();
        assert!((2..15).contains(&pages), "{pages} pages");
        assert!(
            text.contains("/MediaBox [0 0 594.9") || text.contains("/MediaBox [0 0 595"),
            "not A4"
        );
    }
}
