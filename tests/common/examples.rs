//! The example reports under `reports/examples/`: the reference ENT audited with the demo waivers,
//! clean and with every defect, in every format, with what varies between runs (ports, times,
//! durations, per-run keys and tokens) normalised. Shared by the test that checks the committed
//! files are what the code writes (`tests/it/reports.rs`) and by the command that writes them
//! (`cargo run --example regenerate`), so both use exactly the same recipe.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sdet_audit::audit::{self, Silent};
use sdet_audit::demo::Defect;
use sdet_audit::report::{Report, csv, html, json, junit, markdown, sarif, terminal};
use sdet_audit::text::Lang;
use sdet_audit::waiver::WaiverPolicy;

/// The crate root.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the examples live.
pub fn folder() -> PathBuf {
    root().join("reports/examples")
}

/// Audits the reference ENT with `defects` and the demo waivers.
pub async fn demo_report(defects: &[Defect]) -> Report {
    let defects: BTreeSet<Defect> = defects.iter().copied().collect();
    let extra = audit::demo::DemoAudit {
        waivers: Some(root().join("fixtures/waivers/demo.yaml")),
        waiver_policy: WaiverPolicy::default(),
        ..audit::demo::DemoAudit::default()
    };
    audit::demo::run_with(&defects, &extra, &Silent)
        .await
        .expect("demo audit runs")
}

/// The report with what varies between runs replaced by fixed values.
pub fn stable(report: &Report) -> Report {
    let text = json::render(report);
    let rules = [
        (r"127\.0\.0\.1(:|%3A)\d+", "127.0.0.1${1}4430"),
        (
            r#"\\"execution\\" value=\\"[^"\\]+\\""#,
            r#"\"execution\" value=\"[jeton]\""#,
        ),
        (
            r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT",
            "Tue, 01 Sep 2026 08:00:00 GMT",
        ),
        (r#""duration_ms": \d+"#, r#""duration_ms": 0"#),
        // The demo's SAML certificate is made at each start; so is the length of its metadata.
        (
            r"<ds:X509Certificate>[A-Za-z0-9+/=\s]+</ds:X509Certificate>",
            "<ds:X509Certificate>[certificat]</ds:X509Certificate>",
        ),
        (r#"("content-length",\s*)"\d+""#, r#"${1}"[n]""#),
        // Likewise its OpenID Connect signing key: its id and RSA modulus.
        (r"\bent-[A-Za-z0-9]{8}\b", "ent-[kid]"),
        (r#"\\"n\\":\\"[A-Za-z0-9_-]+\\""#, r#"\"n\":\"[modulus]\""#),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z",
            "2026-09-01T08:00:00Z",
        ),
    ];
    let mut text = text;
    for (pattern, with) in rules {
        text = regex::Regex::new(pattern)
            .expect("valid pattern")
            .replace_all(&text, with)
            .into_owned();
    }
    serde_json::from_str(&text).expect("a normalised report is still a report")
}

/// Every example file: (file name, content).
pub async fn files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (name, defects) in [("demo-clean", &[][..]), ("demo-defects", Defect::ALL)] {
        let report = stable(&demo_report(defects).await);
        files.push((format!("{name}.json"), json::render(&report)));
        files.push((format!("{name}.md"), markdown::render(&report, Lang::Fr)));
        files.push((format!("{name}.csv"), csv::render(&report, Lang::Fr)));
        files.push((
            format!("{name}.junit.xml"),
            junit::render(&report, Lang::Fr),
        ));
        files.push((format!("{name}.sarif"), sarif::render(&report, Lang::Fr)));
        for (suffix, lang) in [("html", Lang::Fr), ("en.html", Lang::En)] {
            files.push((
                format!("{name}.{suffix}"),
                html::render(&report, lang).expect("renders"),
            ));
        }
        files.push((
            format!("{name}.txt"),
            terminal::render(
                &report,
                terminal::RenderOptions {
                    lang: Lang::Fr,
                    color: false,
                },
            ),
        ));
    }
    files
}

/// The names of the files in `dir` whose content differs from `files` (or that are missing).
pub fn stale(dir: &Path, files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(name, text)| {
            std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(name, _)| name.clone())
        .collect()
}
