//! `sdet-audit init`: without a portal, a template that loads as a target; against the reference
//! ENT (in-process, the only server the suite starts), a target filled in by discovery — CAS,
//! SAML, OIDC, each with how it was found, no secret — with which an audit passes.

use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::declaration::Declarations;
use sdet_audit::demo::{self, DemoOptions};
use sdet_audit::init::{self, InitOptions};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::AuditOutcome;
use sdet_audit::target::{Secrets, Target};
use sdet_audit::text::Lang;

fn options(dir: &std::path::Path) -> InitOptions {
    InitOptions {
        dir: dir.to_path_buf(),
        portal: None,
        portal_http: None,
        ca_file: None,
        name: None,
        http: HttpOptions::default(),
        force: false,
        lang: Lang::Fr,
    }
}

#[tokio::test]
async fn without_a_portal_init_writes_a_template_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let grid = audit::load_grid(None, None, None).unwrap().0;
    let done = init::run(&options(dir.path()), &grid).await.unwrap();
    let target = Target::load(&done.target).expect("the template is a valid target");
    assert!(target.portal.is_none() && target.cas.is_none());
    let skeleton = Declarations::load_sheet(&done.declarations, &grid, Lang::Fr).unwrap();
    assert!(skeleton.declarations.by_criterion.is_empty());
    assert_eq!(
        skeleton.blank.len(),
        grid.criteria.len(),
        "every criterion to declare"
    );
    let again = init::run(&options(dir.path()), &grid).await.unwrap_err();
    assert!(again.to_string().contains("--force"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_against_the_reference_ent_gives_a_target_an_audit_passes_with() {
    let ent = demo::start(&DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &ent.ca_pem).unwrap();
    let grid = audit::load_grid(None, None, None).unwrap().0;
    let done = init::run(
        &InitOptions {
            portal: Some(ent.https_base.clone()),
            // The reference ENT's plain HTTP is not on port 80: given, as for a pre-production ENT.
            portal_http: Some(ent.http_base.clone()),
            ca_file: Some(ca),
            ..options(dir.path())
        },
        &grid,
    )
    .await
    .unwrap();
    let text = std::fs::read_to_string(&done.target).unwrap();
    for account in &ent.accounts {
        assert!(!text.contains(&account.password) && !text.contains(&account.username));
    }
    let target = Target::load(&done.target).expect("valid target");
    assert_eq!(
        target.cas.as_ref().map(|c| c.base_url.clone()),
        Some(ent.cas_base.clone()),
        "{text}"
    );
    assert_eq!(
        target.saml.as_ref().and_then(|s| s.metadata_url.clone()),
        Some(ent.saml_metadata.clone()),
        "{text}"
    );
    assert_eq!(
        target.oidc.as_ref().map(|o| o.issuer.clone()),
        Some(ent.oidc_issuer.clone()),
        "{text}"
    );
    assert!(
        text.contains("# trouvé : lien « Se connecter » du portail"),
        "{text}"
    );
    assert!(text.contains("tls: { ca_file: \"ca.pem\" }"), "{text}");
    // The vendor fills in the skeleton (here with the reference ENT's declarations).
    let declared = Declarations::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/declarations/demo.yaml"),
        &grid,
        Lang::Fr,
    )
    .unwrap();
    let filled = sdet_audit::declaration::workbook::book(&grid, Some(&declared), Lang::Fr);
    let bytes = sdet_audit::sheet::write(&filled, sdet_audit::sheet::SheetFormat::Ods).unwrap();
    std::fs::write(&done.declarations, bytes).unwrap();
    let report = audit::run(
        &AuditOptions::new(done.target.clone(), Secrets::default()),
        &Silent,
    )
    .await
    .expect("audit runs");
    ent.stop().await;
    let failed: Vec<_> = report
        .probes
        .iter()
        .filter(|p| p.outcome.as_str() != "pass" && p.outcome.as_str() != "skipped")
        .map(|p| format!("{} {}", p.id, p.outcome.as_str()))
        .collect();
    assert_eq!(report.outcome, AuditOutcome::Conforme, "{failed:?}");
    let declared_rows = report
        .criteria
        .iter()
        .filter(|c| c.declared.is_some())
        .count();
    assert_eq!(
        declared_rows,
        grid.criteria.len(),
        "the filled ODS is the audit's declarations"
    );
}
