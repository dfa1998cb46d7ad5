//! The grids and the probe catalogue as data: the shipped ones lint clean, and every kind of
//! invalid input gives its diagnostic, with its code and a caret, all in one run.

use sdet_audit::catalog;
use sdet_audit::data::Store;
use sdet_audit::grid;

use crate::support::{bin, root};

fn lint(grids: &str, probes: &str) -> (i32, String) {
    // The snapshots hold the English diagnostics (the French ones are checked in cli_language).
    let out = bin()
        .args(["grids", "lint", "--grids", grids, "--probes", probes])
        .env("SDET_LANG", "en")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn shipped_grids_and_probes_lint_clean() {
    let (code, out) = lint("grids", "probes");
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("ok: "), "{out}");
}

#[test]
fn minimal_valid_grid_lints_clean() {
    let (code, out) = lint("fixtures/grids/valid/minimal", "probes");
    assert_eq!(code, 0, "{out}");
}

#[test]
fn each_invalid_grid_gives_its_diagnostic() {
    let cases = [
        ("duplicate-id", "sdet::duplicate-id"),
        ("bad-id", "sdet::bad-id"),
        ("unknown-axis", "sdet::unknown-axis"),
        ("unknown-level", "sdet::unknown-level"),
        ("unknown-degree", "sdet::unknown-degree"),
        ("unknown-probe", "sdet::unknown-probe"),
        ("probes-mismatch", "sdet::probes-mismatch"),
        ("missing-proof", "sdet::missing-proof"),
        ("bad-provenance", "sdet::bad-provenance"),
        ("missing-ref", "sdet::missing-ref"),
        ("unknown-field", "sdet::yaml"),
        ("malformed-yaml", "sdet::yaml"),
        ("several-problems", "sdet::unknown-level"),
        ("scoring-key", "sdet::scoring-key"),
        ("missing-why", "sdet::missing-why"),
    ];
    for (case, code) in cases {
        let (exit, out) = lint(&format!("fixtures/grids/invalid/{case}"), "probes");
        assert_eq!(exit, 2, "{case}: {out}");
        assert!(out.contains(code), "{case} should report {code}:\n{out}");
        insta::assert_snapshot!(format!("grid_{case}"), out);
    }
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let (_, out) = lint("fixtures/grids/invalid/several-problems", "probes");
    for code in [
        "sdet::unknown-level",
        "sdet::unknown-probe",
        "sdet::duplicate-id",
        "sdet::missing-proof",
    ] {
        assert!(out.contains(code), "{code} missing:\n{out}");
    }
    assert!(out.contains("4 problem(s)"), "{out}");
}

#[test]
fn a_misspelt_scoring_key_is_each_problem_once() {
    let (_, out) = lint("fixtures/grids/invalid/scoring-key", "probes");
    for needle in [
        "unknown key `conform` in `declared_points`",
        "`non_applicable` is never scored",
        "`error` is never scored",
        "`declared_points` does not price `conforme`",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
    assert!(out.contains("4 problem(s)"), "{out}");
}

#[test]
fn each_invalid_probe_catalogue_gives_its_diagnostic() {
    let cases = [
        ("unknown-check", "sdet::unknown-check"),
        ("bad-params", "sdet::bad-params"),
        ("duplicate-probe", "sdet::duplicate-id"),
        ("neither-check-nor-planned", "sdet::unknown-check"),
    ];
    for (case, code) in cases {
        let (exit, out) = lint(
            "fixtures/grids/valid/minimal",
            &format!("fixtures/probes/invalid/{case}"),
        );
        assert_eq!(exit, 2, "{case}: {out}");
        assert!(out.contains(code), "{case} should report {code}:\n{out}");
        insta::assert_snapshot!(format!("probes_{case}"), out);
    }
}

#[test]
fn probes_readme_lists_every_check_kind() {
    let readme =
        std::fs::read_to_string(root().join("probes/README.md")).expect("probes/README.md");
    for kind in sdet_audit::probe::Check::KINDS {
        assert!(
            readme.contains(&format!("| `{kind}` |")),
            "check kind {kind} missing from probes/README.md"
        );
    }
}

#[test]
fn every_implemented_probe_serves_some_criterion_and_every_verify_link_says_why() {
    let (probes, diagnostics) = catalog::load(&Store::probes(None));
    assert!(diagnostics.is_empty());
    let store = Store::grids(None);
    let version = grid::newest_version(&store).expect("a grid");
    let grid = grid::load(&store, &version, &probes)
        .grid
        .expect("valid grid");
    for probe in probes.probes.iter().filter(|p| p.check.is_some()) {
        assert!(
            grid.criteria.iter().any(|c| c.probes.contains(&probe.id)),
            "{} serves no criterion",
            probe.id
        );
    }
    for c in &grid.criteria {
        for link in &c.verified_by {
            assert!(
                !link.why.fr.trim().is_empty() && !link.why.en.trim().is_empty(),
                "{} → {}",
                link.probe,
                c.id
            );
        }
    }
}

#[test]
fn the_overclaims_of_issue_13_only_support() {
    // Each of these probes touches its criterion without observing what it says.
    let store = Store::grids(None);
    let (probes, _) = catalog::load(&Store::probes(None));
    let grid = grid::load(&store, "6.4", &probes).grid.expect("valid grid");
    for (criterion, probe) in [
        ("SEC-RGPD-10", "portail.legal_notice"),
        ("SEC-RGPD-06", "ldap.reconcile"),
        ("EXP-REV-01", "ical.feed"),
        ("EXP-REV-01", "webdav.access"),
        ("SEC-CONF-01", "portail.https_redirect"),
        ("SEC-CONF-01", "portail.cookie_flags"),
        ("SSO-PROP-01", "oidc.discovery"),
    ] {
        let c = grid.criterion(criterion).expect(criterion);
        assert!(
            c.supported_by.iter().any(|p| p == probe) && !c.verified_by(probe),
            "{probe} should only support {criterion}"
        );
    }
}

#[test]
fn grid_views_work_on_the_shipped_grid() {
    let out = bin()
        .args(["grids", "list", "--level", "exigence", "--format", "json"])
        .output()
        .expect("runs");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list["sdet_version"], "6.4", "{list}");
    let rows = list["criteria"].as_array().expect("criteria");
    assert!(rows.len() > 10 && rows.iter().all(|r| r["level"] == "exigence"));
    let show = bin()
        .args(["grids", "show", "SSO-CAS-01"])
        .output()
        .expect("runs");
    let show = String::from_utf8_lossy(&show.stdout);
    // The verifying probe, and the line saying why it checks exactly the criterion.
    assert!(
        show.contains("vérifié par") && show.contains("cas.invalid_ticket"),
        "{show}"
    );
    assert!(show.contains("car présente un ticket inventé"), "{show}");
    let stats = bin().args(["grids", "stats"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&stats.stdout).contains("automatic"));
}
