//! The reference ENT: a small, protocol-correct ENT served on 127.0.0.1, with switchable defects.
//!
//! `sdet-audit demo` must show a whole audit without any network access, and the integration tests
//! must exercise the very code path used against a live ENT. Each [`Defect`] turns one conforming
//! behaviour into the matching non-conformity, which shows that the probe for it catches what it
//! claims to catch.

mod cas;
mod defect;
mod directory;
mod tls;

use rand::Rng as _;
use rand::distr::Alphanumeric;

pub use defect::Defect;

/// `len` random ASCII letters and digits from the thread-local CSPRNG: the stuff of tickets,
/// session ids and passwords, and within the CAS ticket character set.
pub(crate) fn random_alphanumeric(len: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
