//! The integration tests: one binary, one module per concern. Anything that needs files,
//! sockets, real servers or the built binary lives here; pure functions are tested inline.

mod cas_endpoints;
mod cli;
mod demo;
mod grids;
mod http;
mod oidc;
mod peers;
mod pipeline;
mod saml;
mod sso_hostile;
mod sso_peers;
mod support;
