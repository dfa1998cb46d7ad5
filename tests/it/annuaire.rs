//! The `aaf.*` probes in an audit: a real or clean export passes all four; a planted defect of
//! each rule kind fails exactly the probe that owns its code; warnings alone never fail; an
//! export that cannot be read is an error, and no `annuaire.feeds` means skipped.

use std::path::{Path, PathBuf};

use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::fixture_server;
use crate::support::root;

const PROBES: [&str; 4] = ["aaf.structure", "aaf.attributes", "aaf.values", "aaf.links"];

async fn audit(folder: &Path) -> Report {
    let yaml = format!("annuaire:\n  feeds: {:?}\n", folder.display().to_string());
    fixture_server::audit(&yaml, None, Secrets::default(), HttpOptions::default()).await
}

/// (probe, outcome, English message) for the four probes, in order.
fn outcomes(report: &Report) -> Vec<(String, String, String)> {
    PROBES
        .iter()
        .map(|id| {
            let (o, m) = fixture_server::probe(report, id);
            ((*id).to_owned(), o.to_owned(), m.to_owned())
        })
        .collect()
}

fn failing(report: &Report) -> Vec<String> {
    outcomes(report)
        .into_iter()
        .filter(|(_, o, _)| o != "pass")
        .map(|(id, o, _)| format!("{id} {o}"))
        .collect()
}

fn copy_xml(from: &Path, to: &Path, skip_kind: Option<&str>) {
    for entry in std::fs::read_dir(from).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let skipped = skip_kind.is_some_and(|k| name.ends_with(&format!("_{k}_0000.xml")));
        let xml = Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
        if xml && !skipped {
            std::fs::copy(&path, to.join(name)).expect("copy");
        }
    }
}

/// The clean 2D export with `fixtures/aaf/invalid/<case>`'s file in place of the clean one.
fn planted(case: &str, kind: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_xml(
        &root().join("fixtures/aaf/clean-2d"),
        dir.path(),
        Some(kind),
    );
    copy_xml(
        &root().join("fixtures/aaf/invalid").join(case),
        dir.path(),
        None,
    );
    dir
}

fn aaf(case: &str) -> PathBuf {
    root().join("fixtures/aaf").join(case)
}

#[tokio::test]
async fn clean_and_real_exports_pass_all_four() {
    for case in [
        "clean-2d",
        "clean-1d",
        "entcore-2013",
        "entcore-2024-before",
    ] {
        let report = audit(&aaf(case)).await;
        assert!(
            failing(&report).is_empty(),
            "{case}: {:#?}",
            outcomes(&report)
        );
    }
    let report = audit(&aaf("clean-2d")).await;
    let (_, _, message) = &outcomes(&report)[3];
    assert!(
        message
            .ends_with("AAF file(s): identifiers unique, links between records and files resolved"),
        "{message}"
    );
    for criterion in ["ANN-AAF-02", "ANN-AAF-03", "ANN-AAF-04", "ANN-AAF-05"] {
        let c = report
            .criteria
            .iter()
            .find(|c| c.id == criterion)
            .expect("criterion");
        assert_eq!(c.verdict.as_str(), "pass", "{criterion}");
    }
}

#[tokio::test]
async fn each_planted_defect_fails_exactly_its_probe_with_the_record() {
    for (case, kind, probe, evidence) in [
        ("truncated", "Eleve", "aaf.structure", "aaf::truncated ×1"),
        ("malformed", "Eleve", "aaf.structure", "aaf::malformed ×1"),
        (
            "unknown-attribute",
            "Eleve",
            "aaf.attributes",
            "aaf::unknown-attribute ×1",
        ),
        (
            "missing-required",
            "Eleve",
            "aaf.attributes",
            "aaf::missing-required ×1",
        ),
        ("bad-date", "Eleve", "aaf.values", "aaf::bad-date ×1"),
        ("bad-uai", "EtabEducNat", "aaf.values", "aaf::bad-uai ×1"),
        (
            "unknown-parent",
            "Eleve",
            "aaf.links",
            "aaf::unknown-parent ×1",
        ),
        ("duplicate-id", "Eleve", "aaf.links", "aaf::duplicate-id ×1"),
    ] {
        let dir = planted(case, kind);
        let report = audit(dir.path()).await;
        assert_eq!(
            failing(&report),
            [format!("{probe} fail")],
            "{case}: {:#?}",
            outcomes(&report)
        );
        let p = report.probes.iter().find(|p| p.id == probe).expect("probe");
        let observed = p.observed.as_ref().map_or("", |t| t.en.as_str());
        assert!(observed.starts_with(evidence), "{case}: {observed}");
        assert!(
            observed.contains(&format!("_{kind}_0000.xml:")),
            "{case}: {observed}"
        );
        assert!(
            p.expected
                .as_ref()
                .is_some_and(|e| e.en.starts_with("no error finding among aaf::")
                    && e.fr.starts_with("aucune erreur parmi aaf::")),
            "{case}"
        );
    }
}

#[tokio::test]
async fn warnings_alone_pass_and_are_named() {
    let dir = planted("uai-check-letter", "EtabEducNat");
    let report = audit(dir.path()).await;
    assert!(failing(&report).is_empty(), "{:#?}", outcomes(&report));
    let (_, _, message) = &outcomes(&report)[2];
    assert!(
        message.contains("1 warning(s) (aaf::uai-check-letter ×1)"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unreadable_export_is_an_error_never_a_fail() {
    let empty = tempfile::tempdir().expect("tempdir");
    for folder in [empty.path().to_path_buf(), empty.path().join("absent")] {
        let report = audit(&folder).await;
        for (id, outcome, message) in outcomes(&report) {
            assert_eq!(outcome, "error", "{id}: {message}");
            assert!(message.contains("AAF export"), "{message}");
        }
    }
}

#[tokio::test]
async fn without_annuaire_feeds_the_probes_are_skipped() {
    let report = fixture_server::audit(
        "annuaire: {}\n",
        None,
        Secrets::default(),
        HttpOptions::default(),
    )
    .await;
    for (id, outcome, message) in outcomes(&report) {
        assert_eq!(outcome, "skipped", "{id}");
        assert!(message.contains("annuaire.feeds"), "{message}");
    }
}

#[tokio::test]
async fn findings_reach_the_report_in_both_languages() {
    let dir = planted("bad-date", "Eleve");
    let report = audit(dir.path()).await;
    let p = report
        .probes
        .iter()
        .find(|p| p.id == "aaf.values")
        .expect("probe");
    assert!(
        p.message.fr.contains("erreur(s) de format de valeur")
            && p.message
                .fr
                .contains("n'est pas une date JJ/MM/AAAA qui existe"),
        "{}",
        p.message.fr
    );
    assert!(
        p.message
            .en
            .contains("is not a date DD/MM/YYYY that exists"),
        "{}",
        p.message.en
    );
}

#[tokio::test]
async fn the_reference_ent_writes_its_export_and_removes_it_when_it_stops() {
    let ent = sdet_audit::demo::start(&sdet_audit::demo::DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let folder = ent.aaf_export.clone();
    let files = std::fs::read_dir(&folder).expect("export folder").count();
    assert_eq!(files, 6, "one file per kind");
    let (yaml, _) = sdet_audit::audit::demo::target_yaml(&ent);
    assert!(
        yaml.contains(&format!("feeds: {:?}", folder.display().to_string())),
        "{yaml}"
    );
    ent.stop().await;
    assert!(!folder.exists(), "the state folder outlives the ENT");
}
