//! Issue 18: an anonymous read several probes make is one request to the ENT. A fixture portal
//! (`fixtures/portail/dsfr-footer`: a home page linking its three legal pages) counts the
//! requests it serves per path: the probes that read the home page make one request between
//! them, the audit's preflight read included; a probe whose browser holds a cookie for a page
//! sends its own; two targets of one run never share an answer; and the JSON report marks the
//! exchanges a probe took from another's request.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;
use url::Url;

use crate::fixture_server::{serve_router, static_router};
use crate::support::{bin, root};

/// The requests a server served, per `METHOD /path`.
#[derive(Clone, Default)]
struct Hits(Arc<Mutex<BTreeMap<String, usize>>>);

impl Hits {
    fn of(&self, what: &str) -> usize {
        self.0.lock().unwrap().get(what).copied().unwrap_or(0)
    }
}

/// The fixture portal, counting what it serves; with `cookie`, its home page sets a session
/// cookie for the whole site, as many portals do.
fn portal(hits: Hits, cookie: bool) -> Router {
    let dir = root().join("fixtures/portail/dsfr-footer");
    static_router(&dir).layer(middleware::from_fn(move |request: Request, next: Next| {
        let hits = hits.clone();
        async move {
            let what = format!("{} {}", request.method(), request.uri().path());
            let home = request.uri().path() == "/";
            *hits.0.lock().unwrap().entry(what).or_default() += 1;
            let mut response = next.run(request).await;
            if cookie && home {
                response.headers_mut().append(
                    "set-cookie",
                    HeaderValue::from_static("sid=s3ss10n; Path=/; HttpOnly; SameSite=Lax"),
                );
            }
            response
        }
    }))
}

/// A target file named `name` in `dir` for the portal at `base`.
fn target(dir: &Path, name: &str, base: &Url) -> PathBuf {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, format!("name: {name}\nportal: \"{base}\"\n")).expect("target");
    path
}

/// The exchanges of every probe for `path` on the portal, as (probe, shared).
fn reads_of<'r>(report: &'r Report, base: &Url, path: &str) -> Vec<(&'r str, bool)> {
    let url = base.join(path).expect("url").to_string();
    report
        .probes
        .iter()
        .flat_map(|p| {
            p.evidence
                .iter()
                .filter(|x| x.method == "GET" && x.url == url)
                .map(|x| (p.id.as_str(), x.shared))
        })
        .collect()
}

fn shared(reads: &[(&str, bool)]) -> usize {
    reads.iter().filter(|(_, s)| *s).count()
}

async fn audit_portal(cookie: bool) -> (Report, Hits, Url) {
    let hits = Hits::default();
    let base = serve_router(portal(hits.clone(), cookie)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let options = AuditOptions::new(target(dir.path(), "portail", &base), Secrets::default());
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    (report, hits, base)
}

#[tokio::test]
async fn the_probes_that_read_the_home_page_make_one_request() {
    let (report, hits, base) = audit_portal(false).await;
    let home = reads_of(&report, &base, "/");
    assert!(
        home.len() >= 5,
        "the portal checks read the home page: {home:?}"
    );
    assert_eq!(hits.of("GET /"), 1, "one request for {} reads", home.len());
    assert_eq!(shared(&home), home.len() - 1, "all but the first: {home:?}");
    // A page linked from the home page, read by its legal check and the language check.
    let notice = reads_of(&report, &base, "/mentions-legales");
    assert_eq!(notice.len(), 2, "{notice:?}");
    assert_eq!(hits.of("GET /mentions-legales"), 1);
    // What was judged is the same: the verdicts do not depend on who sent the request.
    for id in ["portail.legal_notice", "portail.lang"] {
        let p = report.probes.iter().find(|p| p.id == id).expect("probe");
        assert_eq!(p.outcome.as_str(), "pass", "{id}: {}", p.message.en);
    }
}

#[tokio::test]
async fn a_probe_whose_browser_holds_a_cookie_for_the_page_sends_its_own_request() {
    let (report, hits, base) = audit_portal(true).await;
    // The home page is read before any cookie: shared. It sets `sid` for the whole site, so
    // every later read of a legal page carries it, and each probe asks for itself.
    assert_eq!(hits.of("GET /"), 1);
    let notice = reads_of(&report, &base, "/mentions-legales");
    assert_eq!(notice.len(), 2, "{notice:?}");
    assert_eq!(shared(&notice), 0, "{notice:?}");
    assert_eq!(hits.of("GET /mentions-legales"), 2);
    // The shared answer's cookie went into each browser: the cookie check saw it.
    let cookies = report
        .probes
        .iter()
        .find(|p| p.id == "portail.cookie_flags")
        .expect("probe");
    assert_eq!(cookies.outcome.as_str(), "fail", "{}", cookies.message.en);
    assert!(cookies.message.en.contains("sid"), "{}", cookies.message.en);
}

#[tokio::test]
async fn two_targets_of_one_run_share_limits_but_never_answers() {
    let hits = Hits::default();
    let base = serve_router(portal(hits.clone(), false)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let options = [
        AuditOptions::new(target(dir.path(), "lycees", &base), Secrets::default()),
        AuditOptions::new(target(dir.path(), "colleges", &base), Secrets::default()),
    ];
    let reports = audit::run_many(&options, &Silent).await.expect("audits");
    assert_eq!(hits.of("GET /"), 2, "one request per target");
    for report in &reports {
        let home = reads_of(report, &base, "/");
        assert_eq!(
            home.len() - shared(&home),
            1,
            "{}: {home:?}",
            report.target.name
        );
    }
}

/// The command line's audit reads the portal before its probes (to say when the target is
/// unreachable): that read is the one the probes share, so the portal is asked once in all, and
/// the JSON report marks every probe's read of it as shared.
#[test]
fn the_preflight_read_of_the_portal_is_the_one_the_probes_share() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let hits = Hits::default();
    let base = runtime.block_on(serve_router(portal(hits.clone(), false)));
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("report.json");
    let out = bin()
        .args(["audit", "--quiet", "--format", "json", "--target"])
        .arg(target(dir.path(), "portail", &base))
        .arg("--output")
        .arg(&json)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // An outcome (the fixture portal is not a whole ENT), not a usage error or a crash.
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "{:?} {stderr}",
        out.status
    );
    assert_eq!(hits.of("GET /"), 1, "the preflight's request, and no other");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json).expect("report")).expect("JSON");
    let home = base.to_string();
    let reads: Vec<&serde_json::Value> = report["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .flat_map(|p| p["evidence"].as_array().expect("evidence"))
        .filter(|x| x["url"] == home.as_str())
        .collect();
    assert!(reads.len() >= 5, "{reads:?}");
    assert!(
        reads.iter().all(|x| x["shared"] == true),
        "every read took the preflight's answer: {reads:?}"
    );
    // The field is written only when true.
    let sent = report["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .flat_map(|p| p["evidence"].as_array().expect("evidence"))
        .find(|x| x["url"] != home.as_str())
        .expect("another exchange");
    assert!(sent.get("shared").is_none(), "{sent}");
}
