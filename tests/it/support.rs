//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The built `sdet-audit` binary, run from the crate root.
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("sdet-audit").expect("binary built");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Insta settings that hide what varies between runs: ports, times, durations.
pub fn stable_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1(%3A|:)\d+", "127.0.0.1:[port]");
    settings.add_filter(r#""generated_at": "[^"]+""#, r#""generated_at": "[time]""#);
    settings.add_filter(r#""duration_ms": \d+"#, r#""duration_ms": "[ms]""#);
    settings.add_filter(r"\bent-[A-Za-z0-9]{8}\b", "ent-[kid]");
    // The reference ENT's SAML metadata and certificates are dated from its start.
    settings.add_filter(r"validUntil \d{4}-\d\d-\d\dT[0-9:.]+Z", "validUntil [time]");
    settings.add_filter(r"until \d{4}-\d\d-\d\d", "until [date]");
    settings
}

/// The `SDET_PEER_*` settings of the real server `tests/peers/<peer>.sh`, starting it unless
/// `marker` is already set (CI starts every peer first). Starts are serialised: tests run in
/// parallel, and two starts of one peer would stop each other's server.
pub fn peer_env(peer: &str, marker: &str) -> impl Fn(&str) -> String + use<> {
    static STARTING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let script = root().join(format!("tests/peers/{peer}.sh"));
    if std::env::var(marker).is_err() {
        let _one_at_a_time = STARTING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let status = std::process::Command::new("bash")
            .arg(&script)
            .arg("start")
            .status()
            .expect("bash runs");
        assert!(status.success(), "the {peer} peer could not start");
    }
    let output = std::process::Command::new("bash")
        .arg(&script)
        .arg("env")
        .output()
        .expect("bash runs");
    let env = String::from_utf8_lossy(&output.stdout).into_owned();
    let peer = peer.to_string();
    move |name: &str| {
        std::env::var(name)
            .ok()
            .or_else(|| {
                env.lines().find_map(|l| {
                    l.strip_prefix(&format!("export {name}="))
                        .map(str::to_string)
                })
            })
            .unwrap_or_else(|| panic!("{name} not set by the {peer} peer script"))
    }
}
