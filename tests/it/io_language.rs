//! What the network, directory, feeds, bundle and demo layers print on the command line speaks
//! its language (issue 17): a `--fail-on` breach, an HTTP client that cannot be built, a
//! directory that refuses the connection, the bind or the base DN, an export folder that does not
//! exist, a file that is not XML, a tampered bundle, a key that cannot sign or be trusted, a
//! `demo --serve` folder that cannot be made. Each is French by default, with no English prose
//! word (what another program said stays quoted « … »), and English with `--lang en`, with no
//! French word.

use std::path::Path;

use sdet_audit::demo::{self, DemoOptions};

use crate::cli_language::{ENGLISH, FRENCH, strays, unwrapped};
use crate::support::{bin, run_command, s};

/// One command line and what it must print: its exit code, and a part of its output (standard
/// error, then standard output, miette's wrapping undone) in each language.
struct Case {
    args: Vec<String>,
    code: i32,
    french: &'static str,
    english: &'static str,
}

fn case(args: &[&str], code: i32, french: &'static str, english: &'static str) -> Case {
    Case {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        code,
        french,
        english,
    }
}

/// Runs every case in both languages, with `env` added to the binary's environment, and lists
/// what went wrong.
fn problems(cases: &[Case], env: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for c in cases {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let with_en: Vec<&str> = args.iter().copied().chain(["--lang", "en"]).collect();
        for (args, wanted, other, name) in [
            (&args, c.french, ENGLISH, "French"),
            (&with_en, c.english, FRENCH, "English"),
        ] {
            let (code, out, err) = run_command(bin().args(args.iter()).envs(env.iter().copied()));
            let shown = format!("{} {}", unwrapped(&err), unwrapped(&out));
            if code != Some(c.code) {
                problems.push(format!("{args:?} ({name}): exit {code:?}\n{err}"));
            }
            if !shown.contains(wanted) {
                problems.push(format!("{args:?} ({name}): no {wanted:?} in\n{err}{out}"));
            }
            for stray in strays(&shown, other) {
                problems.push(format!("{args:?} ({name}): {stray}"));
            }
        }
    }
    problems
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).expect("write");
    s(path).to_owned()
}

#[test]
fn fail_on_bundle_feeds_client_and_serve_errors_speak_the_chosen_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let (report, bundle) = audited(d);
    let mut cases = gate_and_client_cases(d, &report);
    cases.extend(file_cases(d, &bundle));
    let problems = problems(&cases, &[]);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(!d.join("signe").exists(), "a refused key stops the run");
}

/// One audit of the reference ENT with every defect, saved in `d`: its report, and a bundle
/// changed after the audit.
fn audited(d: &Path) -> (String, std::path::PathBuf) {
    let report = s(&d.join("rapport.json")).to_owned();
    let bundle = d.join("preuves");
    let (code, _, err) = crate::support::run(&[
        "demo",
        "--defects",
        "all",
        "-q",
        "-o",
        &report,
        "--evidence",
        s(&bundle),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let tampered = bundle.join("report.json");
    let mut text = std::fs::read_to_string(&tampered).expect("report");
    text.push('\n');
    std::fs::write(&tampered, text).expect("tamper");
    (report, bundle)
}

/// `--fail-on` breaches, and an HTTP client that cannot be built.
fn gate_and_client_cases(d: &Path, report: &str) -> Vec<Case> {
    let again = s(&d.join("encore.json")).to_owned();
    let not_pem = write(&d.join("ac.pem"), "pas un certificat\n");
    let init_dir = s(&d.join("init")).to_owned();
    vec![
        case(
            &[
                "report",
                "--from",
                report,
                "-q",
                "-o",
                &again,
                "--fail-on",
                "any-exigence-fail,gaps-above=1,coverage-below=100",
            ],
            1,
            "exigences en échec : ",
            "failed exigences: ",
        ),
        case(
            &[
                "report",
                "--from",
                report,
                "-o",
                &again,
                "--fail-on",
                "gaps-above=1",
            ],
            1,
            " écart(s) > 1 : ",
            " gap(s) > 1: ",
        ),
        case(
            &[
                "init",
                "https://127.0.0.1:1/",
                "--dir",
                &init_dir,
                "--ca-file",
                &not_pem,
            ],
            2,
            "le client HTTP ne peut pas être préparé : le fichier d'AC ne contient aucun \
             certificat PEM",
            "cannot set up the HTTP client: the CA file holds no PEM certificate",
        ),
    ]
}

/// Files that cannot be read, checked, trusted or made.
fn file_cases(d: &Path, bundle: &Path) -> Vec<Case> {
    let not_a_key = write(&d.join("cle"), "pas une clé\n");
    let not_xml = write(
        &d.join("ENT_Complet_20250901_Eleve_0000.xml"),
        "<?xml version=\"1.0\"?>\n<ficAlimMENESR><addRequest></ficAlimMENESR>\n",
    );
    let a_file = write(&d.join("fichier"), "");
    let missing = s(&d.join("absent")).to_owned();
    let clean = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/aaf/clean-2d");
    let signed = s(&d.join("signe")).to_owned();
    let served = format!("{a_file}/ent");
    vec![
        case(
            &["feeds", "check", &missing],
            2,
            "absent : introuvable",
            "absent: No such file or directory",
        ),
        case(
            &["feeds", "check", &not_xml, "--format", "terminal"],
            1,
            "XML mal formé « ",
            "; checking stops here",
        ),
        // A clean export, so the directory is what fails: with a missing export both sides
        // fail, and whichever says so first is reported.
        case(
            &[
                "feeds",
                "reconcile",
                clean,
                "--ldap-url",
                "ldap://127.0.0.1:1",
                "--base-dn",
                "dc=x",
            ],
            3,
            "l'annuaire ne peut pas être lu connexion impossible à ldap://127.0.0.1:1 : \
             connexion refusée",
            "cannot read the directory cannot connect to ldap://127.0.0.1:1: ",
        ),
        case(
            &["report", "--from", s(bundle)],
            2,
            "son SHA-256 n'est pas celui du manifeste : le bundle a été modifié après l'audit",
            "its SHA-256 does not match the manifest: the bundle was changed after the audit",
        ),
        case(
            &["demo", "--evidence", &signed, "--sign-key", &not_a_key],
            2,
            "cle : pas une clé privée OpenSSH « ",
            "cle: not an OpenSSH private key « ",
        ),
        case(
            &["demo", "--evidence", &signed, "--sign-key", &missing],
            2,
            "absent : introuvable",
            "absent: No such file or directory",
        ),
        case(
            &["verify", s(bundle), "--pubkey", &not_a_key],
            2,
            "cle : pas une clé publique OpenSSH « ",
            "cle: not an OpenSSH public key « ",
        ),
        case(
            &["demo", "--serve", &served],
            2,
            "ent : n'est pas un dossier",
            "ent: Not a directory",
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_that_refuses_the_bind_or_the_base_speaks_the_chosen_language() {
    let ent = demo::start(&DemoOptions::default())
        .await
        .expect("reference ENT starts");
    let export = s(&ent.aaf_export).to_owned();
    let cases = [
        case(
            &[
                "feeds",
                "reconcile",
                &export,
                "--ldap-url",
                &ent.ldap_url,
                "--base-dn",
                &ent.ldap_base_dn,
                "--bind-dn",
                &ent.ldap_bind_dn,
                "--password-env",
                "SDET_IO_LANGUAGE_WRONG_PASSWORD",
            ],
            3,
            "authentification (bind) refusée pour ",
            "refused: the server answered « rc=49",
        ),
        case(
            &[
                "feeds",
                "reconcile",
                &export,
                "--ldap-url",
                &ent.ldap_url,
                "--base-dn",
                "dc=nulle-part",
                "--bind-dn",
                &ent.ldap_bind_dn,
                "--password-env",
                "SDET_IO_LANGUAGE_PASSWORD",
            ],
            3,
            "la recherche sous dc=nulle-part a échoué : le serveur a répondu « rc=32",
            "search of dc=nulle-part failed: the server answered « rc=32",
        ),
    ];
    let password = ent.ldap_password.clone();
    let problems = tokio::task::spawn_blocking(move || {
        let env = [
            ("SDET_IO_LANGUAGE_WRONG_PASSWORD", "pas le bon"),
            ("SDET_IO_LANGUAGE_PASSWORD", password.as_str()),
        ];
        problems(&cases, &env)
    })
    .await
    .expect("runs");
    ent.stop().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
