//! The audit over a network with latency: the reference ENT delays every answer and counts the
//! requests each listener serves at once, so the politeness limits are checked from the server's
//! side; and `demo --serve` gives an `audit --target` the same verdicts as `demo`.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use sdet_audit::audit::Silent;
use sdet_audit::audit::demo::{DemoAudit, audit_running_with};
use sdet_audit::demo::{self, DemoOptions, ListenerTraffic};
use sdet_audit::probe::http::{DEFAULT_PER_HOST, DEFAULT_STREAMS, HttpOptions};

/// Enough for requests to overlap whenever the client lets them.
const LATENCY: Duration = Duration::from_millis(20);

async fn audit_with(per_host: usize, streams: usize) -> Vec<ListenerTraffic> {
    let ent = demo::start(&DemoOptions {
        latency: LATENCY,
        ..DemoOptions::default()
    })
    .await
    .expect("reference ENT starts");
    let extra = DemoAudit {
        http: HttpOptions {
            per_host,
            streams,
            ..HttpOptions::default()
        },
        ..DemoAudit::default()
    };
    let report = audit_running_with(&ent, &extra, &Silent)
        .await
        .expect("audit runs");
    assert!(
        report.probes.iter().all(|p| p.outcome.as_str() != "error"),
        "no probe may time out or fail to connect under latency"
    );
    let traffic = ent.traffic();
    ent.stop().await;
    traffic
}

fn listener<'a>(traffic: &'a [ListenerTraffic], name: &str) -> &'a ListenerTraffic {
    traffic
        .iter()
        .find(|t| t.listener == name)
        .expect("listener counted")
}

/// The reference ENT answers over HTTP/2 on its HTTPS listener (plain HTTP is HTTP/1.1 only).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_audit_never_exceeds_the_per_host_limits_the_server_sees() {
    let traffic = audit_with(DEFAULT_PER_HOST, DEFAULT_STREAMS).await;
    let https = listener(&traffic, "https");
    assert!(https.requests > 20, "the audit used the portal: {https:?}");
    // Equal, not just at most: with latency and dozens of probes, requests did overlap, so the
    // count is a real observation that would show one more.
    assert_eq!(
        https.max_in_flight, DEFAULT_STREAMS as u64,
        "HTTP/2 share: {traffic:?}"
    );
    // The connection the first answer came on, and the one every later request shares.
    assert!(
        (1..=2).contains(&https.max_connections),
        "connections: {traffic:?}"
    );
    let http = listener(&traffic, "http");
    assert!(http.max_in_flight <= DEFAULT_PER_HOST as u64, "{http:?}");
    assert!(http.max_connections <= DEFAULT_PER_HOST as u64, "{http:?}");
    let ldap = listener(&traffic, "ldap");
    assert_eq!(
        (ldap.max_in_flight, ldap.max_connections),
        (1, 1),
        "one LDAP client"
    );

    let traffic = audit_with(1, 1).await;
    for t in &traffic {
        assert!(t.requests > 0, "{t:?}");
        assert_eq!(t.max_in_flight, 1, "--per-host 1 --streams 1: {traffic:?}");
    }
    assert!(
        listener(&traffic, "https").max_connections <= 2,
        "{traffic:?}"
    );

    // --per-host 2 --streams 2: HTTP/2 changes the connections, not the requests at once.
    let traffic = audit_with(2, 2).await;
    assert_eq!(listener(&traffic, "https").max_in_flight, 2, "{traffic:?}");
}

/// Probe id → outcome, from a JSON report.
fn verdicts(json: &[u8]) -> BTreeMap<String, String> {
    let report: serde_json::Value = serde_json::from_slice(json).expect("a JSON report");
    report["probes"]
        .as_array()
        .expect("probes")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().expect("id").to_owned(),
                p["outcome"].as_str().expect("outcome").to_owned(),
            )
        })
        .collect()
}

/// `export NAME='value'` lines.
fn exports(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.trim_matches('\'').to_owned()))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_served_reference_ent_gets_the_verdicts_of_demo() {
    use std::os::unix::fs::PermissionsExt as _;

    let bin = env!("CARGO_BIN_EXE_sdet-audit");
    let defects = "no-hsts,cas-accept-any-ticket";
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = folder.path().join("ent");
    let mut server = Command::new(bin)
        .args([
            "demo",
            "--serve",
            dir.to_str().expect("utf-8"),
            "--latency",
            "5ms",
        ])
        .args(["--defects", defects])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("demo --serve starts");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("one line");
    assert!(line.starts_with("https://127.0.0.1:"), "{line}");
    assert!(
        line.contains("ENT de référence servi"),
        "French by default: {line}"
    );
    let target = dir.join("target.yaml");
    assert!(line.contains(target.to_str().expect("utf-8")), "{line}");

    let secrets = dir.join("secrets.env");
    let mode = std::fs::metadata(&secrets)
        .expect("secrets.env")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "secrets readable by their owner only");
    let vars = exports(&std::fs::read_to_string(&secrets).expect("secrets"));
    assert_eq!(vars.len(), 7, "three accounts and the LDAP password");

    let audit = Command::new(bin)
        .args(["audit", "--target", target.to_str().expect("utf-8")])
        .args(["--format", "json", "--quiet"])
        .envs(vars)
        .output()
        .expect("audit runs");
    let demo = Command::new(bin)
        .args(["demo", "--defects", defects, "--format", "json", "--quiet"])
        .output()
        .expect("demo runs");

    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(stopped.success());
    let out = server.wait_with_output().expect("server stops");
    assert!(out.status.success(), "stopped by SIGTERM: {out:?}");

    assert_eq!(audit.status.code(), demo.status.code(), "same exit code");
    let served = verdicts(&audit.stdout);
    assert!(served.values().any(|o| o == "fail"), "the defects show");
    assert_eq!(served, verdicts(&demo.stdout));

    let traffic = std::fs::read_to_string(dir.join("traffic.tsv")).expect("traffic.tsv");
    let https = traffic
        .lines()
        .find(|l| l.starts_with("https\t"))
        .expect("https line");
    let columns: Vec<u64> = https
        .split('\t')
        .skip(2)
        .map(|c| c.parse().expect("a count"))
        .collect();
    let [_, in_flight, _, connections] = columns[..] else {
        panic!("requests, max_in_flight, connections, max_connections: {traffic}")
    };
    assert!(
        (1..=DEFAULT_STREAMS as u64).contains(&in_flight),
        "{traffic}"
    );
    assert!(
        (1..=DEFAULT_PER_HOST as u64).contains(&connections),
        "{traffic}"
    );
}

#[test]
fn serve_refuses_a_folder_with_files_and_options_it_would_ignore() {
    let bin = env!("CARGO_BIN_EXE_sdet-audit");
    let folder = tempfile::tempdir().expect("temp dir");
    std::fs::write(folder.path().join("mine.txt"), "x").expect("write");
    let dir = folder.path().to_str().expect("utf-8");
    let out = Command::new(bin)
        .args(["demo", "--serve", dir])
        .env_remove("SDET_LANG")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("n'est pas vide"));
    let out = Command::new(bin)
        .args(["demo", "--serve", dir, "--output", "r.json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = Command::new(bin)
        .args(["demo", "--latency", "fast"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--latency"));
}
