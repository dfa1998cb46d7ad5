//! Signed evidence bundles, through the binary and through the standard tools a certifier has
//! without sdet-audit (`ssh-keygen -Y verify`, `sha256sum`, `find`): both accept the same
//! unchanged bundle and both refuse each tampering, so the promise of docs/evidence.md holds.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{bin, root};

const SIGNER: &str = "certificateur@cabinet.example";

/// The certifier's check with standard tools only, exactly as docs/evidence.md shows it (a test below
/// keeps the two the same). `$1` the bundle, `$2` the allowed-signers file, `$3` the identity.
const STANDARD_CHECK: [&str; 4] = [
    "ssh-keygen -Y verify -f \"$2\" -I \"$3\" -n sdet-audit -s SHA256SUMS.sig < SHA256SUMS",
    "sha256sum --check --strict --quiet SHA256SUMS",
    "find . ! -type d | sed 's|^\\./||' | grep -vxF -e SHA256SUMS -e SHA256SUMS.sig | sort \\",
    "  | diff - <(grep -v '^#' SHA256SUMS | cut -c67- | sort)",
];

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Runs the binary; standard error comes back on one line, as miette wraps long messages.
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = bin().args(args).output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        unwrapped(&out.stderr),
    )
}

fn unwrapped(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    // miette draws a gutter (│) down the lines it wraps.
    text.split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fresh OpenSSH key pair made by ssh-keygen in `dir`; returns the private key's path.
fn keygen(dir: &Path, name: &str, passphrase: &str) -> PathBuf {
    let key = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args([
            "-q", "-t", "ed25519", "-a", "2", "-C", SIGNER, "-N", passphrase, "-f",
        ])
        .arg(&key)
        .status()
        .expect("ssh-keygen runs")
        .success();
    assert!(ok, "ssh-keygen made no key");
    key
}

fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub")).expect("public key")
}

/// An allowed-signers file trusting `key` as SIGNER.
fn allowed(dir: &Path, key: &Path) -> PathBuf {
    let path = dir.join("allowed_signers");
    std::fs::write(&path, format!("{SIGNER} {}", public(key))).expect("write");
    path
}

/// Copies a bundle folder.
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// One signed demo bundle (and one by a second key), made once: the demo audit is the slow part.
struct Made {
    _dir: tempfile::TempDir,
    key: PathBuf,
    bundle: PathBuf,
    other_key: PathBuf,
    other_bundle: PathBuf,
}

fn made() -> &'static Made {
    static MADE: OnceLock<Made> = OnceLock::new();
    MADE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = keygen(dir.path(), "certificateur", "");
        let other_key = keygen(dir.path(), "autre", "");
        let sign = |key: &Path, name: &str, defects: &str| {
            let bundle = dir.path().join(name);
            let (code, _, err) = run(&[
                "demo",
                "--defects",
                defects,
                "--evidence",
                s(&bundle),
                "--sign-key",
                s(key),
                "--format",
                "json",
            ]);
            assert!(matches!(code, Some(0 | 1)), "{err}");
            bundle
        };
        let bundle = sign(&key, "preuves", "no-hsts");
        let other_bundle = sign(&other_key, "autres-preuves", "no-hsts");
        Made {
            _dir: dir,
            key,
            bundle,
            other_key,
            other_bundle,
        }
    })
}

/// A copy of the signed bundle in a fresh folder, with the certifier's allowed-signers file.
fn fresh() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let bundle = dir.path().join("preuves-recues");
    copy(&made().bundle, &bundle);
    let allowed = allowed(dir.path(), &made().key);
    (dir, bundle, allowed)
}

/// The standard-tool check's exit status.
fn standard_check(bundle: &Path, allowed: &Path) -> (bool, String) {
    let script = format!(
        "set -e -o pipefail\ncd \"$1\"\n{}\n",
        STANDARD_CHECK.join("\n")
    );
    let out = Command::new("bash")
        .args(["-c", &script, "check"])
        .arg(bundle)
        .arg(allowed)
        .arg(SIGNER)
        .output()
        .expect("bash runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn fingerprint(key: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(key.with_extension("pub"))
        .output()
        .expect("ssh-keygen -l");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split_whitespace()
        .nth(1)
        .expect("fingerprint")
        .to_string()
}

#[test]
fn an_unchanged_bundle_is_accepted_by_both_naming_the_signer() {
    let (_dir, bundle, allowed) = fresh();
    let (ok, said) = standard_check(&bundle, &allowed);
    assert!(ok, "standard tools refused an unchanged bundle: {said}");
    assert!(
        said.contains(&format!("Good \"sdet-audit\" signature for {SIGNER}")),
        "{said}"
    );
    let (code, out, err) = run(&["verify", s(&bundle), "--allowed-signers", s(&allowed)]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    let fp = fingerprint(&made().key);
    assert!(
        out.contains(&format!("Signé par {SIGNER} (ssh-ed25519 {fp}) le 20")),
        "{out}"
    );
    assert!(
        out.contains("par sdet-audit 0.1.0") && out.contains("audit de « "),
        "{out}"
    );
    let (code, out, err) = run(&[
        "verify",
        s(&bundle),
        "--pubkey",
        s(&made().key.with_extension("pub")),
        "--lang",
        "en",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!("Signed by {SIGNER} (ssh-ed25519 {fp}) on 20")),
        "{out}"
    );
}

#[test]
fn a_bundle_signed_on_one_machine_verifies_on_another() {
    // `fresh` already moved the bundle to another folder with another allowed-signers file; what
    // is signed must not name where it was made either.
    let (_dir, bundle, allowed) = fresh();
    let origin = made()
        .bundle
        .parent()
        .expect("parent")
        .to_string_lossy()
        .into_owned();
    for file in ["SHA256SUMS", "manifest.json", "report.json"] {
        let text = std::fs::read_to_string(bundle.join(file)).expect("read");
        assert!(!text.contains(&origin), "{file} names {origin}");
        assert!(!text.contains("/tmp/"), "{file} holds an absolute path");
    }
    assert!(standard_check(&bundle, &allowed).0);
    let (code, _, err) = run(&["verify", s(&bundle), "--allowed-signers", s(&allowed)]);
    assert_eq!(code, Some(0), "{err}");
}

/// Replaces the bundle's signature with one by `key`, made by ssh-keygen as an attacker would.
fn resign(bundle: &Path, key: &Path) {
    std::fs::remove_file(bundle.join("SHA256SUMS.sig")).expect("rm");
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "sdet-audit", "-f"])
        .arg(key)
        .arg(bundle.join("SHA256SUMS"))
        .status()
        .expect("ssh-keygen -Y sign")
        .success();
    assert!(ok, "ssh-keygen -Y sign failed");
}

/// A way of changing a signed bundle: its name, the change, the words `verify` must refuse it with.
type Tampering = (&'static str, fn(&Path), &'static str);

fn tamperings() -> Vec<Tampering> {
    fn first_observation(bundle: &Path) -> PathBuf {
        let mut names: Vec<_> = std::fs::read_dir(bundle.join("observations"))
            .expect("observations")
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        names.remove(0)
    }
    vec![
        (
            "one byte of an observation",
            |b| {
                let path = first_observation(b);
                let mut bytes = std::fs::read(&path).expect("read");
                bytes[10] ^= 1;
                std::fs::write(&path, bytes).expect("write");
            },
            "modifié après la signature",
        ),
        (
            "the manifest, hashes recomputed",
            |b| {
                let path = b.join("manifest.json");
                let text = std::fs::read_to_string(&path).expect("read");
                std::fs::write(&path, text.replace("\"target\": \"", "\"target\": \"X"))
                    .expect("w");
            },
            "manifest.json : modifié après la signature",
        ),
        (
            "a removed observation",
            |b| std::fs::remove_file(first_observation(b)).expect("rm"),
            "supprimé après la signature",
        ),
        (
            "an added file",
            |b| std::fs::write(b.join("observations/999-extra.json"), "{}").expect("w"),
            "observations/999-extra.json : ajouté après la signature",
        ),
        (
            "the signature of another bundle",
            |b| {
                let other = made().other_bundle.join("SHA256SUMS.sig");
                std::fs::copy(other, b.join("SHA256SUMS.sig")).expect("cp");
            },
            "la signature ne porte pas sur ce SHA256SUMS",
        ),
        (
            "SHA256SUMS edited",
            |b| {
                let path = b.join("SHA256SUMS");
                let text = std::fs::read_to_string(&path).expect("read");
                std::fs::write(
                    &path,
                    text.replacen("# tool: sdet-audit", "# tool: sdet-audi7", 1),
                )
                .expect("w");
            },
            "la signature ne porte pas sur ce SHA256SUMS",
        ),
        (
            "SHA256SUMS and signature of another bundle",
            |b| {
                for f in ["SHA256SUMS", "SHA256SUMS.sig"] {
                    std::fs::copy(made().other_bundle.join(f), b.join(f)).expect("cp");
                }
            },
            "n'est pas autorisée par",
        ),
        (
            "re-signed by a key not allowed",
            |b| resign(b, &made().other_key),
            "n'est pas autorisée par",
        ),
        (
            "re-signed by an RSA key",
            |b| {
                let rsa = b.parent().expect("parent").join("rsa");
                let made = Command::new("ssh-keygen")
                    .args(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f"])
                    .arg(&rsa)
                    .status()
                    .expect("ssh-keygen")
                    .success();
                assert!(made);
                resign(b, &rsa);
            },
            "signé par une clé ssh-rsa, que sdet-audit ne vérifie pas",
        ),
        (
            "the signature removed",
            |b| std::fs::remove_file(b.join("SHA256SUMS.sig")).expect("rm"),
            "SHA256SUMS.sig : fichier supprimé du bundle signé",
        ),
    ]
}

#[test]
fn every_tampering_is_refused_by_both_with_a_precise_message() {
    for (case, tamper, expected) in tamperings() {
        let (_dir, bundle, allowed) = fresh();
        tamper(&bundle);
        let (ok, said) = standard_check(&bundle, &allowed);
        assert!(!ok, "{case}: the standard tools accepted it: {said}");
        let (code, out, err) = run(&["verify", s(&bundle), "--allowed-signers", s(&allowed)]);
        assert_eq!(code, Some(2), "{case}: {out}{err}");
        assert!(
            err.contains(expected),
            "{case}: expected «{expected}» in {err}"
        );
        // report --from refuses it too (without a trust list, a sound signature by another
        // key is only reported, so that case is left to verify).
        if !expected.contains("autorisée") {
            let (code, _, err) = run(&["report", "--from", s(&bundle), "--format", "json"]);
            assert_eq!(code, Some(2), "{case}: report --from accepted it: {err}");
        }
    }
}

#[test]
fn verify_needs_a_trust_anchor_and_refuses_an_unsigned_bundle() {
    let (dir, _, allowed) = fresh();
    let (code, _, err) = run(&["verify", s(&made().bundle)]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--allowed-signers"), "{err}");
    let unsigned = dir.path().join("non-signe");
    copy(&made().bundle, &unsigned);
    std::fs::remove_file(unsigned.join("SHA256SUMS")).expect("rm");
    std::fs::remove_file(unsigned.join("SHA256SUMS.sig")).expect("rm");
    let (code, _, err) = run(&["verify", s(&unsigned), "--allowed-signers", s(&allowed)]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("le bundle n'est pas signé"), "{err}");
    // Still a sound unsigned bundle for report --from, as before signing existed.
    let (code, out, err) = run(&["report", "--from", s(&unsigned), "--format", "json"]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert!(!out.contains("\"signature\""), "{out}");
}

#[test]
fn report_from_a_signed_bundle_shows_the_signer_in_every_format() {
    let (_dir, bundle, allowed) = fresh();
    let fp = fingerprint(&made().key);
    let render = |format: &str, trust: &[&str]| {
        let mut args = vec!["report", "--from", s(&bundle), "--format", format];
        args.extend_from_slice(trust);
        let (code, out, err) = run(&args);
        assert!(matches!(code, Some(0 | 1)), "{format}: {err}");
        out
    };
    let json: serde_json::Value = serde_json::from_str(&render("json", &[])).expect("json");
    assert_eq!(json["signature"]["fingerprint"], fp.as_str());
    assert_eq!(json["signature"]["identity"], serde_json::Value::Null);
    assert_eq!(json["signature"]["key_comment"], SIGNER);
    let trusted = ["--allowed-signers", s(&allowed)];
    let json: serde_json::Value = serde_json::from_str(&render("json", &trusted)).expect("json");
    assert_eq!(json["signature"]["identity"], SIGNER);
    // The signed report still keeps its contract, and JUnit its XSD.
    let schema = crate::reports::validator(&root().join("reports/schema/report.v1.schema.json"));
    crate::reports::assert_valid(&schema, &render("json", &trusted), "signed JSON report");
    let junit = root().join("fixtures/schemas/junit/junit-10.xsd");
    crate::reports::xsd_valid(&render("junit", &trusted), &junit);
    let sarif: serde_json::Value = serde_json::from_str(&render("sarif", &trusted)).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["properties"]["signature"]["fingerprint"],
        fp.as_str()
    );
    let html = render("html", &trusted);
    let first_screen = &html[..html.find("<h2").expect("a section")];
    // The template escapes `/`, which fingerprints hold.
    let fp_html = fp.replace('/', "&#x2f;");
    assert!(
        first_screen.contains(SIGNER) && first_screen.contains(&fp_html),
        "{first_screen}"
    );
    for format in ["terminal", "markdown", "junit", "csv"] {
        let out = render(format, &trusted);
        assert!(out.contains(SIGNER) && out.contains(&fp), "{format}: {out}");
    }
    // Saved as JSON, the report no longer proves anything: re-rendered, it names no signer.
    let saved = bundle.parent().expect("parent").join("signe.json");
    std::fs::write(&saved, render("json", &trusted)).expect("write");
    let (code, out, err) = run(&["report", "--from", s(&saved), "--format", "markdown"]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert!(!out.contains(SIGNER), "{out}");
    // A trust list that does not hold the signer refuses the bundle.
    let (code, _, err) = run(&[
        "report",
        "--from",
        s(&bundle),
        "--pubkey",
        s(&made().other_key.with_extension("pub")),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("n'est pas autorisée par"), "{err}");
}

#[test]
fn a_protected_key_takes_its_passphrase_from_the_environment_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = keygen(dir.path(), "protegee", "phrase secrète");
    let bundle = dir.path().join("preuves");
    let args = [
        "demo",
        "--evidence",
        s(&bundle),
        "--sign-key",
        s(&key),
        "--format",
        "json",
    ];
    let out = bin()
        .args(args)
        .env_remove("SDET_SIGN_PASSPHRASE")
        .output()
        .expect("runs");
    let err = unwrapped(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("SDET_SIGN_PASSPHRASE") && err.contains("ssh-agent"),
        "{err}"
    );
    let out = bin()
        .args(args)
        .env("SDET_SIGN_PASSPHRASE", "mauvaise")
        .output()
        .expect("runs");
    let err = unwrapped(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("n'ouvre pas cette clé"), "{err}");
    assert!(!bundle.exists(), "a refused key must stop before the audit");
    let out = bin()
        .args(args)
        .env("SDET_SIGN_PASSPHRASE", "phrase secrète")
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        unwrapped(&out.stderr)
    );
    let allowed = allowed(dir.path(), &key);
    assert!(standard_check(&bundle, &allowed).0);
    // --sign-key signs a bundle: without --evidence there is nothing to sign.
    let (code, _, err) = run(&["demo", "--sign-key", s(&key)]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--evidence"), "{err}");
}

#[test]
fn the_docs_show_the_standard_check_this_suite_runs() {
    let doc = std::fs::read_to_string(root().join("docs/evidence.md")).expect("docs/evidence.md");
    for line in STANDARD_CHECK {
        let shown = line
            .replace("\"$2\"", "allowed_signers")
            .replace("\"$3\"", SIGNER);
        assert!(doc.contains(&shown), "docs/evidence.md lacks: {shown}");
    }
}
