//! The reference ENT (`sdet_audit::demo`) over real HTTP(S), through reqwest, trusting only the CA
//! it returns and following no redirect, so every status, header and cookie is seen as sent.
//!
//! `portal`, `cas_login` and `cas_validation` pin down the conforming server; `defects` shows each
//! defect flipping its one behaviour. `support` holds the client and the protocol steps the tests
//! share.

mod cas_login;
mod cas_validation;
mod defects;
mod directory;
mod portal;
mod support;
