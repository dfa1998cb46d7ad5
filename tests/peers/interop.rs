//! The interop probes against real third-party servers on 127.0.0.1 over HTTPS: Radicale
//! (CalDAV, a published and a private iCalendar feed) and WsgiDAV (WebDAV with a scratch folder,
//! static Atom and RSS files). `.ci/run` starts them first (`tests/peers/all.sh`); a test
//! whose peer is not running fails, so it can never pass for want of a server. A correct server gives no
//! failing probe.

use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{self, probe};
use crate::peer::peer_env;

#[tokio::test]
async fn radicale_published_and_private_calendars_pass() {
    let get = peer_env("radicale", "SDET_PEER_ICAL_PUBLIC");
    let ca = std::fs::read_to_string(get("SDET_PEER_ICAL_CA")).expect("CA");
    let public = format!("interop:\n  ical: \"{}\"\n", get("SDET_PEER_ICAL_PUBLIC"));
    let report = fixture_server::audit(
        &public,
        Some(&ca),
        Secrets::default(),
        HttpOptions::default(),
    )
    .await;
    let (outcome, message) = probe(&report, "ical.feed");
    assert_eq!(outcome, "pass", "{message}");
    assert_eq!(message, "Valid iCalendar over HTTPS: 1 event(s)");

    let private = format!(
        "interop:\n  ical: \"{}\"\n  ical_private: true\n  ical_account: {{ username_env: U, password_env: P }}\n",
        get("SDET_PEER_ICAL_PRIVATE")
    );
    let password = get("SDET_PEER_ICAL_PASSWORD");
    let secrets = Secrets::default()
        .with("U", get("SDET_PEER_ICAL_USER"))
        .with("P", &password);
    let report = fixture_server::audit(&private, Some(&ca), secrets, HttpOptions::default()).await;
    let (outcome, message) = probe(&report, "ical.feed");
    assert_eq!(outcome, "pass", "{message}");
    assert!(
        message.ends_with("anonymous access refused (HTTP 401)"),
        "{message}"
    );
    assert!(
        !sdet_audit::report::json::render(&report).contains(&password),
        "password leaked"
    );
    assert!(
        report.probes.iter().all(|p| p.outcome.as_str() != "fail"),
        "a probe failed on a correct server"
    );
}

#[tokio::test]
async fn wsgidav_folder_and_feeds_pass() {
    let get = peer_env("wsgidav", "SDET_PEER_DAV_URL");
    let ca = std::fs::read_to_string(get("SDET_PEER_DAV_CA")).expect("CA");
    let password = get("SDET_PEER_DAV_PASSWORD");
    let secrets = || {
        Secrets::default()
            .with("U", get("SDET_PEER_DAV_USER"))
            .with("P", &password)
    };
    let yaml = format!(
        "interop:\n  webdav: \"{}\"\n  webdav_account: {{ username_env: U, password_env: P }}\n  webdav_scratch: \"{}\"\n  rss: \"{}\"\n",
        get("SDET_PEER_DAV_URL"),
        get("SDET_PEER_DAV_SCRATCH"),
        get("SDET_PEER_ATOM")
    );
    let report = fixture_server::audit(&yaml, Some(&ca), secrets(), HttpOptions::default()).await;
    let (outcome, message) = probe(&report, "webdav.access");
    assert_eq!(outcome, "pass", "{message}");
    assert!(message.contains("DAV: 1,2"), "{message}");
    assert!(
        message.ends_with("write, read back and delete in scratch/ succeeded"),
        "{message}"
    );
    let (outcome, message) = probe(&report, "rss.feed");
    assert_eq!(
        (outcome, message),
        ("pass", "Valid Atom 1.0 feed over HTTPS: 1 entry(ies)")
    );
    assert!(
        !sdet_audit::report::json::render(&report).contains(&password),
        "password leaked"
    );
    assert!(
        report.probes.iter().all(|p| p.outcome.as_str() != "fail"),
        "a probe failed on a correct server"
    );

    let rss = format!("interop:\n  rss: \"{}\"\n", get("SDET_PEER_RSS"));
    let report =
        fixture_server::audit(&rss, Some(&ca), Secrets::default(), HttpOptions::default()).await;
    let (outcome, message) = probe(&report, "rss.feed");
    assert_eq!(
        (outcome, message),
        ("pass", "Valid RSS 2.0 feed over HTTPS: 1 entry(ies)")
    );
}

#[tokio::test]
async fn wsgidav_without_credentials_variables_is_an_error_not_a_fail() {
    let get = peer_env("wsgidav", "SDET_PEER_DAV_URL");
    let ca = std::fs::read_to_string(get("SDET_PEER_DAV_CA")).expect("CA");
    let yaml = format!(
        "interop:\n  webdav: \"{}\"\n  webdav_account: {{ username_env: SDET_TEST_UNSET_USER, password_env: SDET_TEST_UNSET_PASSWORD }}\n",
        get("SDET_PEER_DAV_URL")
    );
    let report =
        fixture_server::audit(&yaml, Some(&ca), Secrets::default(), HttpOptions::default()).await;
    let (outcome, message) = probe(&report, "webdav.access");
    assert_eq!(outcome, "error");
    assert!(message.contains("SDET_TEST_UNSET_USER"), "{message}");
}
