//! `feeds reconcile` against a real OpenLDAP server with the SDET ENT schema
//! (`tests/peers/slapd.sh`): the clean directory gives no difference, the drifted one exactly the
//! six planted differences (see `fixtures/annuaire/reconcile/make_ldif.py`), and a directory that
//! cannot be read gives exit 3 with a clear message and never the password. Each test loads its own
//! copy of a fixture under a unique subtree, so tests run in parallel and leave nothing shared.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};

use base64::Engine as _;
use ldap3::LdapConnAsync;
use serde_json::Value;

use crate::peer::peer_env;
use crate::support::{bin, root};

const EXPORT: &str = "fixtures/annuaire/reconcile/export";

/// The peer's settings: URL, base, admin and audit accounts.
pub struct Peer {
    pub url: String,
    pub base: String,
    admin_dn: String,
    admin_password: String,
    pub bind_dn: String,
    pub password: String,
}

pub fn peer() -> Peer {
    let get = peer_env("slapd", "SDET_PEER_LDAP_URL");
    Peer {
        url: get("SDET_PEER_LDAP_URL"),
        base: get("SDET_PEER_LDAP_BASE_DN"),
        admin_dn: get("SDET_PEER_LDAP_ADMIN_DN"),
        admin_password: get("SDET_PEER_LDAP_ADMIN_PASSWORD"),
        bind_dn: get("SDET_PEER_LDAP_BIND_DN"),
        password: get("SDET_PEER_LDAP_PASSWORD"),
    }
}

/// Parses an LDIF file (the subset our fixtures use: folded lines, `::` base64 values).
fn parse_ldif(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix(' ') {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
            }
        } else if !line.starts_with('#') {
            lines.push(line.to_owned());
        }
    }
    let mut entries = Vec::new();
    for block in lines.split(String::is_empty) {
        let mut attrs = Vec::new();
        for l in block {
            let (name, value) = l.split_once(':').expect("name: value");
            let value = match value.strip_prefix(':') {
                Some(b64) => String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(b64.trim())
                        .expect("base64"),
                )
                .expect("utf-8"),
                None => value.trim_start().to_owned(),
            };
            attrs.push((name.to_owned(), value));
        }
        if let Some((_, dn)) = attrs.first().cloned() {
            entries.push((dn, attrs.split_off(1)));
        }
    }
    entries
}

/// Loads a fixture LDIF under a fresh subtree `ou=<unique>,<base>` and returns that subtree's DN.
pub async fn load(peer: &Peer, ldif: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let unique = format!(
        "t{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let text = std::fs::read_to_string(root().join("fixtures/annuaire/reconcile").join(ldif))
        .expect("fixture");
    let text = text
        .replace("ou=reconcile,", &format!("ou={unique},"))
        .replace("ou: reconcile", &format!("ou: {unique}"));
    add_all(peer, parse_ldif(&text)).await;
    format!("ou={unique},{}", peer.base)
}

/// Adds entries as the peer's administrator.
pub async fn add_all(peer: &Peer, entries: Vec<(String, Vec<(String, String)>)>) {
    let (conn, mut ldap) = LdapConnAsync::new(&peer.url).await.expect("connect");
    ldap3::drive!(conn);
    ldap.simple_bind(&peer.admin_dn, &peer.admin_password)
        .await
        .and_then(ldap3::LdapResult::success)
        .expect("admin bind");
    for (dn, attrs) in entries {
        let mut grouped: HashMap<String, HashSet<String>> = HashMap::new();
        for (name, value) in attrs {
            grouped.entry(name).or_default().insert(value);
        }
        ldap.add(&dn, grouped.into_iter().collect())
            .await
            .and_then(ldap3::LdapResult::success)
            .unwrap_or_else(|e| panic!("adding {dn}: {e}"));
    }
    let _ = ldap.unbind().await;
}

/// `feeds reconcile` of the fixture export against `url` under `base`, bound as the audit account
/// with `password`; the caller adds the output options.
fn reconcile_command(peer: &Peer, url: &str, base: &str, password: &str) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.env("SDET_TEST_LDAP_PASSWORD", password)
        .args(["feeds", "reconcile", EXPORT, "--ldap-url", url])
        .args(["--base-dn", base, "--bind-dn", &peer.bind_dn])
        .args(["--password-env", "SDET_TEST_LDAP_PASSWORD"]);
    cmd
}

fn reconcile(peer: &Peer, base: &str, password: &str) -> assert_cmd::assert::Assert {
    reconcile_command(peer, &peer.url, base, password)
        .args(["--format", "json", "--timeout", "10"])
        .assert()
}

fn differences(json: &[u8]) -> BTreeSet<(String, String, String, String)> {
    let doc: Value = serde_json::from_slice(json).expect("JSON output");
    let text = |v: &Value| v.as_str().unwrap_or("-").to_owned();
    doc["differences"]
        .as_array()
        .expect("differences")
        .iter()
        .map(|d| {
            (
                text(&d["kind"]),
                text(&d["person"]),
                text(&d["expected"]),
                text(&d["observed"]),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_faithful_directory_has_no_difference() {
    let peer = peer();
    let base = load(&peer, "clean.ldif").await;
    let out = reconcile(&peer, &base, &peer.password).code(0);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(doc["differences_total"], 0, "{doc:#}");
    assert_eq!(doc["export_people"], 7);
    // The local account without an AAF key is not read.
    assert_eq!(doc["directory_people"], 7);
    assert_eq!(doc["export_problems"], false);
}

#[tokio::test]
async fn a_drifted_directory_shows_exactly_the_planted_drift() {
    let peer = peer();
    let base = load(&peer, "drifted.ldif").await;
    let out = reconcile(&peer, &base, &peer.password).code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    for kind in [
        "missing",
        "extra",
        "profile",
        "structure",
        "class",
        "parent",
    ] {
        assert_eq!(doc["counts"][kind], 1, "{kind}: {doc:#}");
    }
    let extra_dn = format!("eleve uid=u6000099,ou=people,{base}");
    let s = |v: &str| v.to_owned();
    let want: BTreeSet<_> = [
        (s("missing"), s("5000002"), s("parent"), s("-")),
        (s("extra"), s("6000099"), s("-"), extra_dn),
        (s("profile"), s("7000002"), s("personnel"), s("enseignant")),
        (s("structure"), s("6000002"), s("0161234E"), s("0161235F")),
        (
            s("class"),
            s("7000001"),
            s("0161234E$3B, 0161234E$6A"),
            s("0161234E$3C, 0161234E$6A"),
        ),
        (
            s("parent"),
            s("6000001"),
            s("5000001"),
            s("5000001, 5000003"),
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(differences(&out.get_output().stdout), want);
}

#[tokio::test]
async fn the_terminal_view_speaks_french_then_english() {
    let peer = peer();
    let base = load(&peer, "drifted.ldif").await;
    for (lang, words) in [
        ("fr", "absent de l'annuaire"),
        ("en", "missing from the directory"),
    ] {
        let out = reconcile_command(&peer, &peer.url, &base, &peer.password)
            .args(["--format", "terminal", "--lang", lang])
            .assert()
            .code(1);
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(text.contains(words), "{lang}: {text}");
        assert!(text.contains("6000099"), "{text}");
    }
}

#[test]
fn a_wrong_password_is_an_error_that_never_shows_the_password() {
    let peer = peer();
    let secret = "Not-The-Password-7f3a";
    let out = reconcile(&peer, &peer.base, secret).code(3);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("invalidCredentials"), "{stderr}");
    assert!(stderr.contains(&peer.bind_dn), "{stderr}");
    assert!(!stdout.contains(secret) && !stderr.contains(secret));
    assert!(!stderr.contains(&peer.password));
}

#[test]
fn an_unreachable_directory_is_an_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let out = bin()
        .args(["feeds", "reconcile", EXPORT, "--ldap-url"])
        .arg(format!("ldap://127.0.0.1:{port}"))
        .args(["--base-dn", "dc=ent-test,dc=fr", "--timeout", "5"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("connexion impossible") && stderr.contains("connexion refusée"),
        "{stderr}"
    );
}

#[test]
fn a_missing_base_is_an_error_not_an_empty_directory() {
    let peer = peer();
    let out = reconcile(&peer, &format!("ou=absent,{}", peer.base), &peer.password).code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("noSuchObject"), "{stderr}");
}

#[test]
fn the_reconciliation_export_passes_feeds_check() {
    bin()
        .args(["feeds", "check", EXPORT, "--format", "json"])
        .assert()
        .code(0);
}

#[test]
fn usage_errors_exit_2() {
    bin()
        .args([
            "feeds",
            "reconcile",
            EXPORT,
            "--ldap-url",
            "ldap://127.0.0.1:9",
        ])
        .assert()
        .code(2);
    bin()
        .env_remove("SDET_UNSET_VARIABLE")
        .args([
            "feeds",
            "reconcile",
            EXPORT,
            "--ldap-url",
            "ldap://127.0.0.1:9",
        ])
        .args(["--base-dn", "dc=x", "--bind-dn", "cn=a", "--password-env"])
        .arg("SDET_UNSET_VARIABLE")
        .assert()
        .code(2);
}

/// Entries past the server's 500-entry size limit: only a paged search sees them all.
#[tokio::test]
async fn paging_reads_past_the_size_limit() {
    let peer = peer();
    let base = load(&peer, "clean.ldif").await;
    let people = format!("ou=people,{base}");
    let entries = (0..620)
        .map(|i| {
            let uid = format!("x{i}");
            let attrs = [
                ("objectClass", "inetOrgPerson"),
                ("objectClass", "ENTPerson"),
                ("uid", uid.as_str()),
                ("cn", "Extra"),
                ("sn", "EXTRA"),
                ("ENTPersonLogin", uid.as_str()),
            ]
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .chain([(
                "ENTPersonJointure".to_owned(),
                format!("AC-POITIERS${}", 9_000_000 + i),
            )])
            .collect();
            (format!("uid={uid},{people}"), attrs)
        })
        .collect();
    add_all(&peer, entries).await;
    let out = reconcile(&peer, &base, &peer.password).code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(doc["directory_people"], 627, "{doc:#}");
    assert_eq!(doc["counts"]["extra"], 620);
    assert_eq!(doc["counts"]["missing"], 0);
    assert_eq!(doc["differences"].as_array().map(Vec::len), Some(20));
}

/// Audits a target whose `annuaire` block points at the fixture export and at `base` on the peer;
/// returns the JSON report.
fn audit(peer: &Peer, base: &str, password: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = format!(
        "name: annuaire de test\nannuaire:\n  feeds: {}\n  ldap:\n    url: \"{}\"\n    base_dn: \"{base}\"\n    bind_dn: \"{}\"\n    password_env: SDET_TEST_AUDIT_LDAP_PASSWORD\n",
        root().join(EXPORT).display(),
        peer.url,
        peer.bind_dn
    );
    std::fs::write(dir.path().join("target.yaml"), target).expect("write target");
    let out = bin()
        .env("SDET_TEST_AUDIT_LDAP_PASSWORD", password)
        .args(["audit", "--format", "json", "--target"])
        .arg(dir.path().join("target.yaml"))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains(password),
        "the password reached the report"
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn probe<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["probes"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["id"] == id))
        .unwrap_or_else(|| panic!("probe {id}"))
}

fn verdict<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["criteria"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["id"] == id))
        .map_or_else(|| panic!("criterion {id}"), |c| &c["verdict"])
}

#[tokio::test]
async fn audit_passes_the_directory_criterion_on_a_faithful_directory() {
    let peer = peer();
    let base = load(&peer, "clean.ldif").await;
    let report = audit(&peer, &base, &peer.password);
    let p = probe(&report, "ldap.reconcile");
    assert_eq!(p["outcome"], "pass", "{p:#}");
    assert_eq!(verdict(&report, "ANN-LDAP-01"), "pass");
}

#[tokio::test]
async fn audit_fails_the_directory_criterion_on_drift_with_the_differences_as_evidence() {
    let peer = peer();
    let base = load(&peer, "drifted.ldif").await;
    let report = audit(&peer, &base, &peer.password);
    let p = probe(&report, "ldap.reconcile");
    assert_eq!(p["outcome"], "fail", "{p:#}");
    let text = p.to_string();
    // Each planted difference, labelled in both languages (the values read the same in both).
    for planted in [
        "5000002 (missing from the directory)",
        "5000002 (absent de l'annuaire)",
        "6000099 (extra in the directory)",
        "6000002 (different structure): 0161235F",
        "6000002 (structure différente) : 0161235F",
    ] {
        assert!(text.contains(planted), "{planted}: {p:#}");
    }
    assert_eq!(verdict(&report, "ANN-LDAP-01"), "fail");
    assert_eq!(report["outcome"], "non_conforme");
}

#[test]
fn audit_reports_an_unreadable_directory_as_an_error() {
    let peer = peer();
    let report = audit(&peer, &peer.base, "Wrong-Password-91c2");
    let p = probe(&report, "ldap.reconcile");
    assert_eq!(p["outcome"], "error", "{p:#}");
    assert!(p.to_string().contains("invalidCredentials"), "{p:#}");
    assert_eq!(verdict(&report, "ANN-LDAP-01"), "error");
}

#[tokio::test]
async fn ldaps_trusts_the_given_ca_and_nothing_else() {
    let get = peer_env("slapd", "SDET_PEER_LDAP_URL");
    let (ldaps, ca) = (get("SDET_PEER_LDAPS_URL"), get("SDET_PEER_LDAP_CA"));
    let peer = peer();
    let base = load(&peer, "clean.ldif").await;
    let run = |ca: Option<&str>| {
        let mut cmd = reconcile_command(&peer, &ldaps, &base, &peer.password);
        cmd.args(["--format", "json", "--timeout", "10"]);
        if let Some(ca) = ca {
            cmd.args(["--ca-file", ca]);
        }
        cmd.assert()
    };
    run(Some(&ca)).code(0);
    let out = run(None).code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    // The reason is the TLS library's own, quoted: an unknown issuer, not just "invalid data".
    assert!(
        stderr.contains("connexion impossible") && stderr.contains("UnknownIssuer"),
        "{stderr}"
    );
    assert!(!stderr.contains(&peer.password));
}

#[tokio::test]
async fn the_target_file_gives_the_export_and_the_directory() {
    let peer = peer();
    let base = load(&peer, "drifted.ldif").await;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("aaf")).expect("mkdir");
    for file in std::fs::read_dir(root().join(EXPORT)).expect("export") {
        let path = file.expect("entry").path();
        std::fs::copy(
            &path,
            dir.path().join("aaf").join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    let target = format!(
        "name: t\nannuaire:\n  feeds: aaf/\n  ldap: {{ url: \"{}\", base_dn: \"{base}\", bind_dn: \"{}\", password_env: SDET_TEST_TARGET_PASSWORD }}\n",
        peer.url, peer.bind_dn
    );
    std::fs::write(dir.path().join("target.yaml"), target).expect("write");
    let out = bin()
        .env("SDET_TEST_TARGET_PASSWORD", &peer.password)
        .args(["feeds", "reconcile", "--format", "json", "--target"])
        .arg(dir.path().join("target.yaml"))
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(doc["differences_total"], 6, "{doc:#}");
}

#[tokio::test]
async fn a_damaged_export_is_flagged_and_its_unread_people_show() {
    let peer = peer();
    let base = load(&peer, "clean.ldif").await;
    let dir = tempfile::tempdir().expect("tempdir");
    for file in std::fs::read_dir(root().join(EXPORT)).expect("export") {
        let path = file.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.contains("_Eleve_") {
            // Cut inside the second pupil: the reader stops there with a finding.
            let mut text = std::fs::read_to_string(&path).expect("UTF-8 pupils");
            let second = text.rfind("<addRequest>").expect("two pupils");
            text.truncate(second + 20);
            std::fs::write(dir.path().join(&name), text).expect("write");
        } else {
            std::fs::copy(&path, dir.path().join(&name)).expect("copy");
        }
    }
    let out = bin()
        .env("SDET_TEST_LDAP_PASSWORD", &peer.password)
        .arg("feeds")
        .arg("reconcile")
        .arg(dir.path())
        .args([
            "--ldap-url",
            &peer.url,
            "--base-dn",
            &base,
            "--format",
            "json",
        ])
        .args([
            "--bind-dn",
            &peer.bind_dn,
            "--password-env",
            "SDET_TEST_LDAP_PASSWORD",
        ])
        .assert()
        .code(1);
    let doc: Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(doc["export_problems"], true, "{doc:#}");
    assert_eq!(doc["counts"]["extra"], 1, "the unread pupil: {doc:#}");
}
