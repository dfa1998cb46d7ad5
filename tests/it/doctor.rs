//! `sdet-audit doctor` and the audit's up-front check: against the reference ENT with its
//! credentials everything is ready; without them each variable is named (never a value); a
//! stopped ENT is unreachable, and `audit` says so once before its probes.

use sdet_audit::demo::{self, DemoOptions};
use sdet_audit::doctor::{self, Status};
use sdet_audit::probe::http::{Http, HttpOptions};
use sdet_audit::target::{Secrets, Target};

use crate::support::bin;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_what_is_ready_and_what_is_not() {
    let ent = demo::start(&DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), &ent.ca_pem).unwrap();
    let (yaml, secrets) = sdet_audit::audit::demo::target_yaml(&ent);
    let path = dir.path().join("target.yaml");
    std::fs::write(&path, yaml).unwrap();

    let ready = doctor::run(&path, &secrets, HttpOptions::default()).await;
    let problems: Vec<_> = ready
        .iter()
        .filter(|c| c.status == Status::Problem)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    for subject in [
        "xmllint",
        "xmlsec1",
        "SDET_DEMO_ELEVE_PASSWORD",
        "SDET_DEMO_LDAP_PASSWORD",
        "ca.pem",
    ] {
        assert!(
            ready.iter().any(|c| c.subject.contains(subject)),
            "{subject} checked"
        );
    }
    assert!(
        ready
            .iter()
            .any(|c| c.subject.starts_with("portal https://127.0.0.1"))
    );
    assert!(
        ready
            .iter()
            .any(|c| c.subject.starts_with("ldap ldap://127.0.0.1"))
    );

    let unset = doctor::run(&path, &Secrets::default(), HttpOptions::default()).await;
    let missing: Vec<&str> = unset
        .iter()
        .filter(|c| c.status == Status::Problem)
        .map(|c| c.subject.as_str())
        .collect();
    assert!(
        missing.contains(&"SDET_DEMO_ELEVE_PASSWORD")
            && missing.contains(&"SDET_DEMO_LDAP_PASSWORD"),
        "{missing:?}"
    );
    for c in &unset {
        for account in &ent.accounts {
            assert!(
                !c.message.fr.contains(&account.password)
                    && !c.message.en.contains(&account.password)
            );
        }
    }
    let target = Target::load(&path).unwrap();
    let http = Http::new(HttpOptions {
        extra_ca_pem: Some(ent.ca_pem.clone().into_bytes()),
        reach: sdet_audit::probe::http::Reach::around(&target.reach_urls()).await,
        ..HttpOptions::default()
    })
    .unwrap();
    let up_front = doctor::preflight(&target, &Secrets::default(), &http).await;
    assert_eq!(
        up_front.len(),
        1,
        "one line for every unset variable: {up_front:?}"
    );
    assert!(
        up_front[0]
            .fr
            .starts_with("variables non définies : SDET_DEMO_ELEVE_USER")
    );

    ent.stop().await;
    let down = doctor::run(
        &path,
        &secrets,
        HttpOptions {
            timeout: std::time::Duration::from_secs(2),
            ..HttpOptions::default()
        },
    )
    .await;
    let portal = down
        .iter()
        .find(|c| c.subject.starts_with("portal "))
        .unwrap();
    assert_eq!(portal.status, Status::Problem);
    assert!(portal.message.fr.starts_with("injoignable"), "{portal:?}");
}

#[test]
fn an_audit_of_an_unreachable_target_says_so_once_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("target.yaml");
    std::fs::write(
        &path,
        "name: Injoignable\nportal: \"https://127.0.0.1:9/\"\ncas:\n  base_url: \"https://127.0.0.1:9/cas/\"\n  service: \"https://127.0.0.1:9/\"\n  accounts: [ { profile: eleve, username_env: SDET_NOPE_USER, password_env: SDET_NOPE_PASSWORD } ]\n",
    )
    .unwrap();
    let out = bin()
        .args(["audit", "--format", "json", "--timeout", "2", "--target"])
        .arg(&path)
        .env_remove("SDET_NOPE_USER")
        .env_remove("SDET_NOPE_PASSWORD")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("cible injoignable (portal https://127.0.0.1:9/)")
            .count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        stderr
            .matches("variables non définies : SDET_NOPE_USER, SDET_NOPE_PASSWORD")
            .count(),
        1,
        "{stderr}"
    );
    let out = bin()
        .args(["doctor", "--timeout", "2", "--lang", "en", "--target"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("!!  SDET_NOPE_PASSWORD: not set"),
        "{stdout}"
    );
    assert!(
        stdout.contains("!!  portal https://127.0.0.1:9/: unreachable"),
        "{stdout}"
    );
}
