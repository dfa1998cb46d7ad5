//! The integration tests: one binary, one module per concern. Anything that needs files,
//! sockets, real servers or the built binary lives here; pure functions are tested inline.

mod browser;
mod cli;
mod demo;
mod grids;
mod http;
mod outputs;
mod peers;
mod pipeline;
mod reports;
mod support;
