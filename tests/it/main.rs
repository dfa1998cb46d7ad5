//! The integration tests: one binary, one module per concern. Anything that needs files,
//! sockets, real servers or the built binary lives here; pure functions are tested inline.

mod cli;
mod demo;
mod feeds;
mod grids;
mod http;
mod peers;
mod pipeline;
mod support;
