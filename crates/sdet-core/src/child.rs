//! The environment a helper program (xmllint, xmlsec1, mkfifo) is started with. The audit's own
//! environment holds the test accounts' passwords and the signing key's passphrase; a helper needs
//! none of them, so it gets only what finds and runs a program: the search path, the temporary
//! folder and the locale. Each spawn site writes `.env_clear().envs(child::environment())`.

use std::ffi::OsString;

/// The variables a helper program keeps.
const KEPT: &[&str] = &[
    "PATH",
    "TMPDIR",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "LC_MESSAGES",
];

/// This process's values of the variables a helper keeps.
pub fn environment() -> impl Iterator<Item = (OsString, OsString)> {
    std::env::vars_os().filter(|(name, _)| name.to_str().is_some_and(|n| KEPT.contains(&n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_helper_sees_the_path_and_nothing_else_of_ours() {
        // Cargo sets CARGO_* variables for the tests it runs: one of them stands for a secret.
        let canary = std::env::vars_os()
            .map(|(name, _)| name.to_string_lossy().into_owned())
            .find(|name| name.starts_with("CARGO"))
            .expect("cargo sets CARGO_* for its tests");
        let out = std::process::Command::new("env")
            .env_clear()
            .envs(environment())
            .output()
            .expect("env runs");
        let seen = String::from_utf8_lossy(&out.stdout);
        assert!(seen.lines().any(|l| l.starts_with("PATH=")), "{seen}");
        assert!(!seen.contains(&format!("{canary}=")), "{seen}");
        assert!(
            seen.lines()
                .all(|l| KEPT.iter().any(|k| l.starts_with(&format!("{k}="))))
        );
    }
}
