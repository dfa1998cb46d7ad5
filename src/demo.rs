//! The reference ENT: a small, protocol-correct ENT served on 127.0.0.1, with switchable defects.
//!
//! `sdet-audit demo` must show a whole audit without any network access, and the integration tests
//! must exercise the very code path used against a live ENT. Each [`Defect`] turns one conforming
//! behaviour into the matching non-conformity, which shows that the probe for it catches what it
//! claims to catch.

mod defect;

pub use defect::Defect;
