//! `audit --target a.yaml --target b.yaml`: several ENTs audited at once. They share one set of
//! limits — a host two targets have in common sees no more requests in flight than for one
//! audit — yet they really run at the same time, and the result is what `merge` writes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::response::Html;
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::serve_router;
use crate::support::{root, run, s};

/// Requests in flight, now and at most, as a server sees them.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
    fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }
}

/// A portal that answers every request after 40 ms, counted on its own gauge (`host`) and on
/// the gauge of every server of the test (`run`), so that overlapping requests really overlap.
fn slow_portal(host: Arc<Gauge>, run: Arc<Gauge>) -> Router {
    Router::new().fallback(move || {
        let (host, run) = (Arc::clone(&host), Arc::clone(&run));
        async move {
            host.enter();
            run.enter();
            tokio::time::sleep(Duration::from_millis(40)).await;
            run.leave();
            host.leave();
            Html("<!doctype html><html lang=\"fr\"><title>ENT</title><p>Accueil</p></html>")
        }
    })
}

/// A target file named `name` in `dir`, for the portal at `base`.
fn target(dir: &Path, name: &str, base: &url::Url) -> PathBuf {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, format!("name: {name}\nportal: \"{base}\"\n")).expect("target");
    path
}

/// One request per host at a time, the whole run long.
fn one_per_host(target: PathBuf) -> AuditOptions {
    let mut options = AuditOptions::new(target, Secrets::default());
    options.http = HttpOptions {
        per_host: 1,
        ..HttpOptions::default()
    };
    options
}

#[tokio::test]
async fn two_targets_on_one_host_share_its_limit() {
    let (host, run) = (Arc::new(Gauge::default()), Arc::new(Gauge::default()));
    let base = serve_router(slow_portal(Arc::clone(&host), Arc::clone(&run))).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let options = [
        one_per_host(target(dir.path(), "lycees", &base)),
        one_per_host(target(dir.path(), "colleges", &base)),
    ];
    let reports = audit::run_many(&options, &Silent).await.expect("audits");
    let names: Vec<&str> = reports.iter().map(|r| r.target.name.as_str()).collect();
    assert_eq!(names, ["lycees", "colleges"], "in the order given");
    assert!(reports.iter().all(|r| !r.probes.is_empty()));
    assert_eq!(host.max(), 1, "--per-host 1 holds across the targets");
}

#[tokio::test]
async fn targets_on_different_hosts_are_audited_at_the_same_time() {
    let run = Arc::new(Gauge::default());
    let hosts = [Arc::new(Gauge::default()), Arc::new(Gauge::default())];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = Vec::new();
    for (i, host) in hosts.iter().enumerate() {
        let base = serve_router(slow_portal(Arc::clone(host), Arc::clone(&run))).await;
        options.push(one_per_host(target(dir.path(), &format!("ent-{i}"), &base)));
    }
    let reports = audit::run_many(&options, &Silent).await.expect("audits");
    assert_eq!(reports.len(), 2);
    for host in &hosts {
        assert_eq!(host.max(), 1, "each host sees one request at a time");
    }
    // One request per host at a time, yet two at once in the run: the targets overlapped.
    assert_eq!(run.max(), 2, "the two audits ran at the same time");
}

/// What a progress sink was told, in order.
#[derive(Default)]
struct Told(std::sync::Mutex<Vec<String>>);

impl audit::Progress for Told {
    fn start(&self, steps: usize) {
        self.0.lock().unwrap().push(format!("start {steps}"));
    }
    fn done(&self, observation: &sdet_audit::evidence::Observation) {
        self.0
            .lock()
            .unwrap()
            .push(format!("done {}", observation.probe));
    }
    fn finish(&self) {
        self.0.lock().unwrap().push("finish".into());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_target_runs_as_its_own_task_and_progress_hears_them_all_then_finishes_once() {
    let run = Arc::new(Gauge::default());
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = Vec::new();
    for i in 0..3 {
        let base = serve_router(slow_portal(Arc::new(Gauge::default()), Arc::clone(&run))).await;
        options.push(one_per_host(target(dir.path(), &format!("ent-{i}"), &base)));
    }
    let told = Told::default();
    let reports = audit::run_many(&options, &told).await.expect("audits");
    let told = told.0.into_inner().unwrap();
    assert_eq!(told.last().map(String::as_str), Some("finish"));
    assert_eq!(
        told.iter().filter(|t| *t == "finish").count(),
        1,
        "{told:?}"
    );
    let started: usize = told
        .iter()
        .filter_map(|t| t.strip_prefix("start "))
        .map(|n| n.parse::<usize>().expect("a count"))
        .sum();
    let probes: usize = reports.iter().map(|r| r.probes.len()).sum();
    assert_eq!(started, probes, "every target's steps announced: {told:?}");
    assert_eq!(
        told.iter().filter(|t| t.starts_with("done ")).count(),
        probes,
        "every probe of every target heard of"
    );
    assert_eq!(run.max(), 3, "the three audits ran at the same time");
}

/// Two SAML-metadata-only targets: audited without any server.
fn metadata_targets(dir: &Path, names: [&str; 2]) -> Vec<PathBuf> {
    let metadata = root().join("fixtures/saml/renater-grenoble-idp/metadata.xml");
    names
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.yaml"));
            let yaml = format!(
                "name: {name}\nsaml: {{ metadata_file: \"{}\" }}\n",
                metadata.display()
            );
            std::fs::write(&path, yaml).expect("target");
            path
        })
        .collect()
}

#[test]
fn the_cli_writes_the_merged_file_and_the_comparison() {
    let dir = tempfile::tempdir().expect("tempdir");
    let targets = metadata_targets(dir.path(), ["ent-a", "ent-b"]);
    let (json, html) = (dir.path().join("all.json"), dir.path().join("all.html"));
    let evidence = dir.path().join("preuves");
    let (code, out, err) = run(&[
        "audit",
        "--target",
        s(&targets[0]),
        "--target",
        s(&targets[1]),
        "-o",
        s(&json),
        "-o",
        s(&html),
        "--evidence",
        s(&evidence),
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("2 cibles"), "{err}");
    let merged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse");
    assert_eq!(merged["merged_version"], 1);
    let names: Vec<&str> = merged["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .map(|r| r["target"]["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["ent-a", "ent-b"]);
    let page = std::fs::read_to_string(&html).expect("html");
    assert!(page.contains("ent-a") && page.contains("ent-b"));
    for name in ["ent-a", "ent-b"] {
        assert!(evidence.join(name).join("report.json").is_file(), "{name}");
    }
}

#[test]
fn what_cannot_hold_several_targets_is_refused_before_any_audit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [a, b] = &metadata_targets(dir.path(), ["ent-a", "ent-b"])[..] else {
        unreachable!()
    };
    let sarif = dir.path().join("r.sarif");
    let cases: [(&[&str], &str); 3] = [
        (
            &["--target", s(a), "--target", s(b), "-o", s(&sarif)],
            "r.sarif",
        ),
        (
            &["--target", s(a), "--target", s(b), "--declarations", s(a)],
            "--declarations",
        ),
        (&["--target", s(a), "--target", s(a)], "déjà auditée"),
    ];
    for (args, said) in cases {
        let (code, _, err) = run(&[&["audit"], args].concat());
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(said), "{args:?}: {err}");
    }
    assert!(!sarif.exists());
}

/// A directory that accepts connections and holds each 200 ms before closing it, counting how
/// many it holds at once: an LDAP client gets no answer, so its probe says error, but the
/// connections it opened are what is measured.
async fn silent_directory(gauge: Arc<Gauge>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let gauge = Arc::clone(&gauge);
            tokio::spawn(async move {
                gauge.enter();
                tokio::time::sleep(Duration::from_millis(200)).await;
                gauge.leave();
                drop(socket);
            });
        }
    });
    addr
}

#[tokio::test]
async fn two_targets_sharing_a_directory_share_its_limit() {
    let directory = Arc::new(Gauge::default());
    let addr = silent_directory(Arc::clone(&directory)).await;
    let feeds = root().join("fixtures/aaf/clean-2d");
    let dir = tempfile::tempdir().expect("tempdir");
    let options: Vec<AuditOptions> = ["lycees", "colleges"]
        .iter()
        .map(|name| {
            let path = dir.path().join(format!("{name}.yaml"));
            let yaml = format!(
                "name: {name}\nannuaire:\n  feeds: \"{}\"\n  ldap:\n    url: ldap://{addr}\n    \
                 base_dn: dc=ent\n    bind_dn: cn=audit,dc=ent\n    password_env: LDAP_PASSWORD\n",
                feeds.display()
            );
            std::fs::write(&path, yaml).expect("target");
            let mut options = one_per_host(path);
            options.secrets = Secrets::default().with("LDAP_PASSWORD", "secret");
            options
        })
        .collect();
    let reports = audit::run_many(&options, &Silent).await.expect("audits");
    for report in &reports {
        let probe = report.probes.iter().find(|p| p.id == "ldap.reconcile");
        assert!(probe.is_some(), "{}: no ldap.reconcile", report.target.name);
    }
    assert!(directory.max() >= 1, "the directory was reached");
    assert_eq!(
        directory.max(),
        1,
        "--per-host 1 holds for the directory's connections across the targets"
    );
}
