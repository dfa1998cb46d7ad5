//! LemonLDAP::NG, a real CAS server, SAML 2.0 IdP and OpenID Connect provider used by French ENTs,
//! started on https://127.0.0.1 by `tests/peers/lemonldap.sh` (CI starts it first; run alone, the
//! test starts it, so it can never pass for want of a server). LemonLDAP::NG refuses back-channel
//! requests carrying the browser's SSO cookie; the audit once failed it for that. Every SSO probe
//! runs against it and its verdict is pinned probe by probe: passes where it conforms, and its
//! true findings stay findings: `renew=true` answered from the SSO session; a ticket accepted for
//! another service under the registered application's URL (it matches the application, not the
//! ticket's exact service: CAS protocol §2.5.3 INVALID_SERVICE); and assertions valid for the
//! whole SSO session (20 h, the portal `timeout`), where the signatures themselves verify.

use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{audit, probe};
use crate::peer::peer_env;

#[tokio::test]
async fn lemonldap_ng_gets_its_true_verdicts_probe_by_probe() {
    let get = peer_env("lemonldap", "SDET_PEER_LLNG_BASE");
    let base = get("SDET_PEER_LLNG_BASE");
    let yaml = format!(
        "cas:\n  base_url: \"{base}/cas/\"\n  service: \"{}\"\n  accounts:\n    - {{ profile: eleve, username_env: U, password_env: P }}\n\
         saml:\n  metadata_url: \"{}\"\n  sp: {{ entity_id: \"{}\", acs_url: \"{}\", username_env: U, password_env: P }}\n\
         oidc:\n  issuer: \"{base}\"\n  client: {{ client_id: \"{}\", client_secret_env: S, redirect_uri: \"{}\", username_env: U, password_env: P }}\n",
        get("SDET_PEER_LLNG_SERVICE"),
        get("SDET_PEER_LLNG_SAML_METADATA"),
        get("SDET_PEER_LLNG_SAML_SP"),
        get("SDET_PEER_LLNG_SAML_ACS"),
        get("SDET_PEER_LLNG_OIDC_CLIENT_ID"),
        get("SDET_PEER_LLNG_OIDC_REDIRECT_URI"),
    );
    let password = get("SDET_PEER_LLNG_PASSWORD");
    let secrets = Secrets::default()
        .with("U", get("SDET_PEER_LLNG_USER"))
        .with("P", &password)
        .with("S", get("SDET_PEER_LLNG_OIDC_CLIENT_SECRET"));
    let ca = std::fs::read_to_string(get("SDET_PEER_LLNG_CA")).expect("CA");
    let report = audit(&yaml, Some(&ca), secrets, HttpOptions::default()).await;
    let pinned: &[(&str, &str)] = &[
        ("cas.login_form", "pass"),
        ("cas.login_round_trip", "pass"),
        ("cas.service_validate", "pass"),
        ("cas.p3_attributes", "pass"),
        ("cas.invalid_ticket", "pass"),
        ("cas.ticket_replay", "pass"),
        ("cas.logout", "pass"),
        ("cas.service_mismatch", "fail"),
        ("cas.identity_vector", "pass"),
        // The true finding: renew=true is answered from the SSO session.
        ("cas.renew_gateway", "fail"),
        ("cas.frame_protection", "pass"),
        ("cas.logout_redirect", "pass"),
        ("saml.metadata", "pass"),
        ("saml.certificates", "pass"),
        ("saml.sso_round_trip", "fail"),
        ("oidc.discovery", "pass"),
        ("oidc.jwks", "pass"),
        ("oidc.code_flow", "pass"),
    ];
    let seen: Vec<String> = pinned
        .iter()
        .map(|(id, _)| {
            let (outcome, message) = probe(&report, id);
            format!("{id} {outcome}: {message}")
        })
        .collect();
    for ((id, expected), line) in pinned.iter().zip(&seen) {
        assert!(
            line.starts_with(&format!("{id} {expected}:")),
            "{line}\n\nall:\n{}",
            seen.join("\n")
        );
    }
    let (_, renew) = probe(&report, "cas.renew_gateway");
    assert!(
        renew.contains("renew=true issues a ticket from the SSO session"),
        "{renew}"
    );
    let (_, mismatch) = probe(&report, "cas.service_mismatch");
    assert!(
        mismatch.contains("accepted for another service"),
        "{mismatch}"
    );
    // The round trip fails on the assertion's lifetime alone: its signatures verified.
    let (_, round_trip) = probe(&report, "saml.sso_round_trip");
    assert!(
        round_trip.contains("assertion valid for 20.0 h"),
        "{round_trip}"
    );
    assert!(!round_trip.contains("signature"), "{round_trip}");
    let json = sdet_audit::report::json::render(&report);
    assert!(
        !json.contains(&format!("\"{password}\"")),
        "the password leaked"
    );
}
