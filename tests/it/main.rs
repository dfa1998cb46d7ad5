//! The integration tests: one binary, one module per concern. Anything that needs files,
//! sockets, real servers or the built binary lives here; pure functions are tested inline.

mod aaf;
mod annuaire;
mod browser;
mod cas_double;
mod cas_endpoints;
mod cli;
mod demo;
mod feeds;
mod fixture_server;
mod gar;
mod grids;
mod http;
mod ical;
mod oidc;
mod outputs;
mod peers;
mod peers_interop;
mod pipeline;
mod portail;
mod reconcile;
mod reports;
mod saml;
mod saml_satosa_signatures;
mod saml_trust;
mod sso_channels;
mod sso_hostile;
mod sso_lemonldap;
mod sso_peers;
mod support;
mod webdav;
