//! The tests that need software `.ci/run` installs and starts: real third-party servers on
//! 127.0.0.1 (django-cas-server, SATOSA, oidc-provider, LemonLDAP::NG, Radicale, WsgiDAV,
//! OpenLDAP slapd),
//! headless Chromium, headless LibreOffice Calc and GNU time. Not run by a plain `cargo test` (`test = false` in
//! Cargo.toml): `.ci/run` starts the peers, exports their settings, then runs
//! `cargo test --test peers`. A missing peer fails its tests; nothing is skipped.

#[path = "../common/checks.rs"]
mod checks;
#[allow(dead_code)]
#[path = "../common/examples.rs"]
mod examples;
#[allow(dead_code)]
#[path = "../common/fixture_server.rs"]
mod fixture_server;
#[allow(dead_code)]
#[path = "../common/support.rs"]
mod support;

mod aaf_memory;
mod browser;
mod cas;
mod cas_endpoints;
mod init;
mod interop;
mod lemonldap;
mod libreoffice;
mod peer;
mod reconcile;
mod saml_signatures;
mod sso;
