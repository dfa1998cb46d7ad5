//! `init` against a real ENT front: LemonLDAP::NG's portal (CAS, SAML IdP and OpenID Connect
//! provider on one origin). What `init` finds on it is what a certifier would write by hand: the
//! OpenID Connect issuer, the SAML metadata, and the file it writes loads as a target.

use sdet_audit::target::Target;

use crate::peer::peer_env;
use crate::support::bin;

#[test]
fn init_on_lemonldap_finds_its_oidc_issuer_and_saml_metadata() {
    let get = peer_env("lemonldap", "SDET_PEER_LLNG_BASE");
    let base = get("SDET_PEER_LLNG_BASE");
    let dir = tempfile::tempdir().expect("tempdir");
    bin()
        .args([
            "init",
            &format!("{base}/"),
            "--ca-file",
            &get("SDET_PEER_LLNG_CA"),
            "--dir",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let target_file = dir.path().join("target.yaml");
    let text = std::fs::read_to_string(&target_file).expect("target.yaml written");
    let target = Target::load(&target_file).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    let issuer = target
        .oidc
        .as_ref()
        .map(|o| o.issuer.as_str().trim_end_matches('/').to_string());
    assert_eq!(
        issuer.as_deref(),
        Some(base.trim_end_matches('/')),
        "{text}"
    );
    let metadata = target.saml.as_ref().and_then(|s| s.metadata_url.clone());
    assert!(
        metadata.is_some_and(|m| m.as_str().starts_with(&base)),
        "no SAML metadata found on LemonLDAP::NG:\n{text}"
    );
}
