//! The integration tests that need nothing but this repository and `xmllint`: no network, no
//! server but those the tests start in-process on 127.0.0.1 (the reference ENT, local fixture
//! servers, recorded exchanges replayed), no system package but xmllint, which the audit itself
//! runs, and ssh-keygen, which checks signed bundles beside the tool. Tests against real
//! third-party servers live in the `peers` target (`tests/peers/`). Pure functions are tested
//! inline.

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

mod aaf;
mod annuaire;
mod architecture;
mod cas_double;
mod cas_endpoints;
mod cas_replay;
mod ci_outputs;
mod cli;
mod cli_language;
mod codes;
mod contract;
mod corpus;
mod data_language;
mod deadlines;
mod demo;
mod docs;
mod doctor;
mod feeds;
mod gar;
mod gar_screen;
mod gitlab;
mod grids;
mod hostile_files;
mod http;
mod ical;
mod init;
mod io_language;
mod language;
mod network;
mod oidc;
mod outputs;
mod overloaded;
mod packaging;
mod pipeline;
mod portail;
mod redaction;
mod reports;
mod saml;
mod saml_trust;
mod sarif;
mod several_targets;
mod shared_reads;
mod sheets;
mod signing;
mod sso_channels;
mod sso_hostile;
mod webdav;
