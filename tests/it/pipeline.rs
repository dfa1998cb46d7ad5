//! The whole pipeline on the embedded reference ENT, through the same path as a live audit:
//! clean, it is conforme with no failing probe; each injected defect is caught by exactly the
//! probe meant for it; all of them together make it non conforme; and no secret reaches the report.

use std::collections::BTreeSet;

use sdet_audit::audit::{self, Silent};
use sdet_audit::demo::{self, Defect, DemoOptions};
use sdet_audit::report::{AuditOutcome, Report, json, terminal};
use sdet_audit::text::Lang;

use crate::support::stable_settings;

async fn audit_with(defects: &[Defect]) -> Report {
    let defects: BTreeSet<Defect> = defects.iter().copied().collect();
    audit::demo::run(&defects, &Silent)
        .await
        .expect("demo audit runs")
}

fn failing_probes(report: &Report) -> Vec<&str> {
    report
        .probes
        .iter()
        .filter(|p| p.outcome.as_str() == "fail")
        .map(|p| p.id.as_str())
        .collect()
}

/// The probes each defect must trip, and only those: one, except where a defect really breaks
/// two rules (no attributes at all is also no identity vector).
fn expected_probes(defect: Defect) -> &'static [&'static str] {
    match defect {
        Defect::NoHttpsRedirect => &["portail.https_redirect"],
        Defect::NoHsts => &["portail.hsts"],
        Defect::MissingSecurityHeaders => &["portail.security_headers"],
        Defect::InsecureCookies => &["portail.cookie_flags"],
        // The password is withheld from a form posting in clear, so every probe that logs in
        // fails on it, not only the one that judges the form.
        Defect::CasHttpLogin => &[
            "cas.login_form",
            "cas.login_round_trip",
            "cas.service_validate",
            "cas.p3_attributes",
            "cas.ticket_replay",
            "cas.logout",
            "cas.service_mismatch",
            "cas.identity_vector",
            "cas.renew_gateway",
        ],
        Defect::CasAcceptAnyTicket => &["cas.invalid_ticket"],
        Defect::CasTicketReuse => &["cas.ticket_replay"],
        Defect::CasShortTicket => &["cas.login_round_trip"],
        Defect::CasWrongUser => &["cas.service_validate"],
        Defect::CasNoAttributes => &["cas.p3_attributes", "cas.identity_vector"],
        Defect::CasLogoutKeepsSession => &["cas.logout"],
        Defect::CasTicketAnyService => &["cas.service_mismatch"],
        Defect::CasLocalProfileCodes => &["cas.identity_vector"],
        Defect::CasRenewIgnored | Defect::CasGatewayForm => &["cas.renew_gateway"],
        Defect::CasFrameableLogin => &["cas.frame_protection"],
        Defect::SamlExpiredCertificate => &["saml.certificates"],
        Defect::SamlHttpEndpoint => &["saml.metadata"],
        Defect::OidcIssuerMismatch | Defect::OidcAlgNone => &["oidc.discovery"],
        Defect::NoLegalNoticeLink => &["portail.legal_notice"],
        Defect::AccessibilityNoStatus => &["portail.accessibility_statement"],
        Defect::PrivacyNoticeBroken => &["portail.personal_data_notice"],
        Defect::NoLang => &["portail.lang"],
        Defect::NoLoginLink => &["portail.login_entry"],
        Defect::IcalPublicAccess | Defect::IcalNoVtimezone => &["ical.feed"],
        Defect::RssRelativeLinks => &["rss.feed"],
        Defect::WebdavAnonymous => &["webdav.access"],
        Defect::GarSchemaInvalid => &["gar.export_schema"],
        Defect::GarDanglingReference => &["gar.export_references"],
        Defect::AafTruncated => &["aaf.structure"],
        Defect::AafUnknownAttribute => &["aaf.attributes"],
        Defect::AafBadDate => &["aaf.values"],
        Defect::AafUnknownParent => &["aaf.links"],
        Defect::DirectoryDrift => &["ldap.reconcile"],
    }
}

#[tokio::test]
async fn clean_reference_ent_is_conforme_with_no_failing_probe() {
    let report = audit_with(&[]).await;
    assert_eq!(report.outcome, AuditOutcome::Conforme);
    assert_eq!(report.exit_code(), 0);
    let bad: Vec<_> = report
        .probes
        .iter()
        .filter(|p| matches!(p.outcome.as_str(), "fail" | "error"))
        .map(|p| (&p.id, &p.message.en))
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(
        report
            .probes
            .iter()
            .filter(|p| p.outcome.as_str() == "pass")
            .count()
            >= 16
    );
    assert!(report.gaps.is_empty());
}

#[tokio::test]
async fn each_defect_is_caught_by_its_probe_and_only_it() {
    for &defect in Defect::ALL {
        let report = audit_with(&[defect]).await;
        assert_eq!(
            failing_probes(&report),
            expected_probes(defect),
            "defect {}",
            defect.name()
        );
        let errors: Vec<_> = report
            .probes
            .iter()
            .filter(|p| p.outcome.as_str() == "error")
            .map(|p| &p.id)
            .collect();
        assert!(
            errors.is_empty(),
            "defect {}: errors {errors:?}",
            defect.name()
        );
        let verdicts: Vec<String> = report
            .criteria
            .iter()
            .filter(|c| c.verdict.as_str() == "fail")
            .map(|c| format!("{} {} {}", c.id, c.level, c.verdict.as_str()))
            .collect();
        insta::assert_snapshot!(
            format!("defect_{}", defect.name()),
            format!(
                "outcome: {}\n{}",
                report.outcome.as_str(),
                verdicts.join("\n")
            )
        );
    }
}

#[tokio::test]
async fn all_defects_make_it_non_conforme_and_every_one_is_named() {
    let report = audit_with(Defect::ALL).await;
    assert_eq!(report.outcome, AuditOutcome::NonConforme);
    assert_eq!(report.exit_code(), 1);
    let failing = failing_probes(&report);
    for &defect in Defect::ALL {
        assert!(
            expected_probes(defect).iter().all(|p| failing.contains(p)),
            "{} not caught: {failing:?}",
            defect.name()
        );
    }
    assert!(
        !report.gaps.is_empty(),
        "declared conforme but failing criteria must be gaps"
    );
}

#[tokio::test]
async fn reports_snapshot() {
    let report = audit_with(&[Defect::CasAcceptAnyTicket, Defect::NoHsts]).await;
    let settings = stable_settings();
    settings.bind(|| {
        insta::assert_snapshot!(
            "terminal_fr",
            terminal::render(
                &report,
                terminal::RenderOptions {
                    lang: Lang::Fr,
                    color: false
                }
            )
        );
        insta::assert_snapshot!(
            "terminal_en",
            terminal::render(
                &report,
                terminal::RenderOptions {
                    lang: Lang::En,
                    color: false
                }
            )
        );
    });
    // What the audit concluded, a line per criterion and per probe: the texts and the evidence
    // are in the committed reports/examples/ and their rendering in the small-report snapshots
    // of `reports`, so this stays a few lines per change instead of a copy of the whole JSON.
    let overall =
        |o: &sdet_audit::score::Overall| format!("{:?} (coverage {})", o.percent, o.coverage);
    let mut lines = vec![
        format!("outcome: {}", report.outcome.as_str()),
        format!("gaps: {}", report.gaps.join(", ")),
        format!(
            "theoretical: {}; practical: {}",
            overall(&report.scores.overall_theoretical),
            overall(&report.scores.overall_practical)
        ),
    ];
    lines.extend(
        report
            .criteria
            .iter()
            .map(|c| format!("{} {} {}", c.id, c.level, c.verdict.as_str())),
    );
    lines.extend(
        report
            .probes
            .iter()
            .map(|p| format!("{} {}", p.id, p.outcome.as_str())),
    );
    insta::assert_snapshot!("verdicts", lines.join("\n"));
}

#[tokio::test]
async fn no_secret_reaches_the_report() {
    let ent = demo::start(&DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let report = audit::demo::audit_running(&ent, &Silent)
        .await
        .expect("audit runs");
    let text = json::render(&report);
    for account in &ent.accounts {
        assert!(
            !text.contains(&account.password),
            "password of {} leaked",
            account.profile
        );
    }
    ent.stop().await;
    // Tickets and cookie values appear only masked.
    for marker in ["ST-", "TGC=", "ENTSESSION="] {
        for (i, _) in text.match_indices(marker) {
            let rest = &text[i + marker.len()..];
            assert!(
                rest.starts_with("[REDACTED]")
                    || !rest.starts_with(|c: char| c.is_ascii_alphanumeric()),
                "unmasked {marker}: {}",
                &text[i..(i + 60).min(text.len())]
            );
        }
    }
    assert!(
        text.contains("[REDACTED]"),
        "the evidence should show where secrets were masked"
    );
}
