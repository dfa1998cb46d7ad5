//! The settings of the real servers this target talks to. `.ci/run` starts them
//! (`tests/peers/all.sh start`) and exports their `SDET_PEER_*` variables before it runs this
//! target; a test never starts a server itself (it would outlive the test run), and a test whose
//! peer is not there fails, saying how to start it: it never passes or skips for want of a server.

/// A getter for the `SDET_PEER_*` settings of `tests/peers/<peer>.sh`, after checking that
/// `marker`, one of them, is set.
pub fn peer_env(peer: &str, marker: &str) -> impl Fn(&str) -> String + use<> {
    assert!(
        std::env::var_os(marker).is_some(),
        "the {peer} peer is not running, or its settings are not exported ({marker} is not set). \
         Start it and export its settings:\n  bash tests/peers/all.sh start {peer}\n  \
         eval \"$(bash tests/peers/all.sh env {peer})\"\nthen run `cargo test --test peers` again \
         (or run everything with `bash .ci/run`)"
    );
    let peer = peer.to_string();
    move |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!("{name} is not set: export the {peer} peer's settings (tests/peers/all.sh env {peer})")
        })
    }
}
