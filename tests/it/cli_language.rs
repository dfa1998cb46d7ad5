//! The command line speaks one language end to end: French by default, English with `--lang en`
//! anywhere on the line or `SDET_LANG=en`. The help of every subcommand holds no word of the
//! other language (the commands' own prose: not the option names, example command lines, file
//! names or quoted text); usage errors are French (exit 2) unless English is asked for; the man
//! pages follow the same rule.

use sdet_audit::cli::localize::{Purpose, command};
use sdet_audit::text::Lang;

use crate::support::bin;

/// Words only English prose would use, in the help's own sentences and in error messages. Shared
/// with the other tests that scan the binary's output for the wrong language.
pub(crate) const ENGLISH: &[&str] = &[
    "the", "and", "with", "print", "write", "when", "default", "possible", "values", "usage",
    "commands", "file", "folder", "report", "language", "examples", "example", "check", "every",
    "this", "cannot", "missing", "invalid", "problem", "problems", "found", "not", "unknown",
    "failed", "should", "must", "is", "are", "of", "expected", "line", "column",
];
/// Words only French prose would use.
pub(crate) const FRENCH: &[&str] = &[
    "les",
    "des",
    "une",
    "avec",
    "pour",
    "dans",
    "fichier",
    "dossier",
    "rapport",
    "langue",
    "défaut",
    "valeurs",
    "utilisation",
    "commandes",
    "afficher",
    "sortie",
    "écrire",
    "exemples",
    "exemple",
];

/// Every subcommand path, the root's (empty) first; clap's `help` left out.
fn paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_owned());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(
        &command(Lang::Fr, Purpose::Parse),
        &mut Vec::new(),
        &mut out,
    );
    out
}

/// `text` without what it quotes (`code`, « cité ») or brackets as a placeholder (<FILE>).
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match (closing, c) {
            (None, '`') => closing = Some('`'),
            (None, '«') => closing = Some('»'),
            (None, '<') => closing = Some('>'),
            (Some(end), c) if c == end => closing = None,
            (None, c) => out.push(c),
            (Some(_), _) => {}
        }
    }
    out
}

/// A line of a help text without the subcommand name it starts with, in a list of commands
/// (`  report   Rendre un rapport…`).
fn without_command_name(line: &str) -> &str {
    let Some(rest) = line.strip_prefix("  ") else {
        return line;
    };
    match rest.split_once("  ") {
        Some((name, help)) if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase()) => {
            help
        }
        _ => line,
    }
}

/// The prose words of a help text, lower-cased: not the usage line, example command lines,
/// command and option names, file names, identifiers or upper-case placeholders.
fn prose_words(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| without_command_name(l).trim())
        .filter(|l| {
            ![
                "sdet-audit ",
                "SDET_",
                "ssh-keygen ",
                "sha256sum ",
                "Usage:",
                "Utilisation :",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .flat_map(|l| {
            unquoted(l)
                .split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|t| {
            // `cli::usage`: the code miette shows with an error, an identifier.
            // A kebab-case name (`cas-accept-any-ticket`, cut at a hyphen by the wrapping of a
            // long list) is an identifier, not prose.
            let kebab = t.contains('-')
                && t.chars()
                    .all(|c| c.is_ascii_lowercase() || ",-;".contains(c));
            !t.starts_with('-')
                && !kebab
                && !t.contains("::")
                && !t.chars().any(|c| "/._=".contains(c) || c.is_ascii_digit())
                && t.chars().any(char::is_lowercase)
        })
        .flat_map(|t| {
            t.split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The lines of `text` holding a word of `other`, with the words.
pub(crate) fn strays(text: &str, other: &[&str]) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let words: Vec<String> = prose_words(line)
                .into_iter()
                .filter(|w| other.contains(&w.as_str()))
                .collect();
            (!words.is_empty()).then(|| format!("[{}] {}", words.join(","), line.trim()))
        })
        .collect()
}

pub(crate) fn run(args: &[&str], env_lang: Option<&str>) -> (Option<i32>, String, String) {
    let mut cmd = bin();
    cmd.args(args);
    if let Some(lang) = env_lang {
        cmd.env("SDET_LANG", lang);
    }
    crate::support::run_command(&mut cmd)
}

#[test]
fn the_scan_finds_a_stray_word_and_leaves_commands_and_quotes_alone() {
    assert_eq!(
        strays("Écrire le rapport dans ce dossier", ENGLISH),
        Vec::<String>::new()
    );
    assert_eq!(strays("Write the report", FRENCH), Vec::<String>::new());
    assert_eq!(strays("Écrire the rapport", ENGLISH).len(), 1);
    assert!(
        strays(
            "  sdet-audit demo --format json --output report.json",
            ENGLISH
        )
        .is_empty()
    );
    assert!(strays("le fichier `the file` « the file »", ENGLISH).is_empty());
    assert!(strays("      --declarations <FILE>  Les déclarations", ENGLISH).is_empty());
    assert!(strays("  report   Rendre un rapport", ENGLISH).is_empty());
    assert_eq!(strays("  report   Render the report", FRENCH).len(), 0);
    assert_eq!(strays("  report   Rendre the rapport", ENGLISH).len(), 1);
}

#[test]
fn every_help_is_french_by_default_and_english_with_lang_en() {
    let paths = paths();
    assert!(paths.len() >= 20, "{paths:?}");
    let mut problems = Vec::new();
    for path in &paths {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        for (extra, other, name) in [
            (&[][..], ENGLISH, "French"),
            (&["--lang", "en"][..], FRENCH, "English"),
        ] {
            for flag in ["-h", "--help"] {
                let args: Vec<&str> = path
                    .iter()
                    .copied()
                    .chain([flag])
                    .chain(extra.iter().copied())
                    .collect();
                let (code, help, err) = run(&args, None);
                if code != Some(0) {
                    problems.push(format!("`{}` exited {code:?}: {err}", args.join(" ")));
                    continue;
                }
                for stray in strays(&help, other) {
                    problems.push(format!("`{}` ({name}): {stray}", args.join(" ")));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_help_subcommand_and_the_environment_choose_the_language_too() {
    let (code, help, _) = run(&["help", "grids", "list"], None);
    assert_eq!(code, Some(0));
    assert!(help.starts_with("Lister les critères"), "{help}");
    let (code, help, _) = run(&["demo", "--help"], Some("en"));
    assert_eq!(code, Some(0));
    assert!(help.contains("Usage: sdet-audit demo"), "{help}");
    // The command line wins over the environment.
    let (_, help, _) = run(&["demo", "--help", "--lang=fr"], Some("en"));
    assert!(help.contains("Utilisation : sdet-audit demo"), "{help}");
    let (code, _, err) = run(&["demo"], Some("de"));
    assert_eq!(code, Some(2));
    assert!(err.contains("SDET_LANG=de"), "{err}");
}

#[test]
fn usage_errors_are_french_with_exit_2_and_english_with_lang_en() {
    for (args, french, english) in [
        (
            &["demo", "--formt", "json"][..],
            &[
                "erreur : argument inattendu « --formt »",
                "conseil",
                "« --format »",
            ][..],
            &["error: unexpected argument '--formt' found", "'--format'"][..],
        ),
        (
            &["audit"][..],
            &["ces arguments obligatoires manquent", "--target"][..],
            &["the following required arguments were not provided"][..],
        ),
        (
            &["demo", "--format", "pdf"][..],
            &["valeur « pdf » invalide", "[valeurs possibles : terminal"][..],
            &["invalid value 'pdf'", "[possible values: terminal"][..],
        ),
        (
            &["demo", "--format"][..],
            &["« --format <FORMAT> » attend une valeur"][..],
            &["a value is required for '--format <FORMAT>'"][..],
        ),
        (
            &["demoo"][..],
            &["sous-commande inconnue « demoo »", "« demo »"][..],
            &["unrecognized subcommand 'demoo'"][..],
        ),
        (
            &["audit", "-t", "x.yaml", "--concurrency", "beaucoup"][..],
            &["valeur « beaucoup » invalide pour « --concurrency"][..],
            &["invalid value 'beaucoup' for '--concurrency"][..],
        ),
        (
            &["demo", "--quiet", "--verbose"][..],
            &["l'argument « --quiet » ne va pas avec « --verbose »"][..],
            &["cannot be used with"][..],
        ),
    ] {
        let (code, out, err) = run(args, None);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        for part in french {
            assert!(err.contains(part), "{args:?}: no {part:?} in\n{err}");
        }
        assert!(err.contains("essayez « --help »"), "{args:?}: {err}");
        let stray = strays(&err, ENGLISH);
        assert!(stray.is_empty(), "{args:?}: {stray:?}\n{err}");

        let with_en: Vec<&str> = args.iter().copied().chain(["--lang", "en"]).collect();
        let (code, _, err) = run(&with_en, None);
        assert_eq!(code, Some(2), "{with_en:?}: {err}");
        for part in english {
            assert!(err.contains(part), "{with_en:?}: no {part:?} in\n{err}");
        }
        let (code, _, err) = run(args, Some("en"));
        assert_eq!(code, Some(2), "{args:?} SDET_LANG=en: {err}");
        assert!(err.contains(english[0]), "{args:?} SDET_LANG=en: {err}");
    }
}

#[test]
fn help_and_version_exit_0_in_both_languages() {
    for extra in [&[][..], &["--lang", "en"][..]] {
        for flag in ["--help", "-h", "--version", "-V"] {
            let args: Vec<&str> = [flag].into_iter().chain(extra.iter().copied()).collect();
            let (code, out, err) = run(&args, None);
            assert_eq!(code, Some(0), "{args:?}: {err}");
            assert!(out.contains("sdet-audit"), "{args:?}: {out}");
        }
    }
}

#[test]
fn the_lang_of_the_command_line_is_the_default_of_the_output() {
    let (_, french, _) = run(&["grids", "stats"], None);
    let (_, english, _) = run(&["grids", "stats"], Some("en"));
    let (_, english_too, _) = run(&["--lang", "en", "grids", "stats"], None);
    assert!(french.contains("grille de conformité"), "{french}");
    assert!(english.contains("conformity grid"), "{english}");
    assert_eq!(english, english_too);
}

#[test]
fn man_pages_are_french_by_default_and_english_with_lang_en() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (fr, en) = (dir.path().join("fr"), dir.path().join("en"));
    let s = |p: &std::path::Path| p.to_str().expect("utf-8").to_owned();
    assert_eq!(run(&["man", "--dir", &s(&fr)], None).0, Some(0));
    assert_eq!(
        run(&["man", "--lang", "en", "--dir", &s(&en)], None).0,
        Some(0)
    );
    let names = |d: &std::path::Path| {
        let mut n: Vec<String> = std::fs::read_dir(d)
            .expect("pages")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&fr), names(&en), "the same pages in both languages");
    assert!(names(&fr).len() >= 20, "{:?}", names(&fr));
    let page = |d: &std::path::Path, n: &str| std::fs::read_to_string(d.join(n)).expect("page");
    let demo_fr = page(&fr, "sdet-audit-demo.1");
    assert!(demo_fr.contains(".SH NOM"), "{demo_fr}");
    assert!(
        demo_fr.contains("Auditer l\\*(AqENT de référence"),
        "{demo_fr}"
    );
    assert!(!demo_fr.contains("Audit the embedded"), "{demo_fr}");
    let demo_en = page(&en, "sdet-audit-demo.1");
    assert!(demo_en.contains(".SH NAME"), "{demo_en}");
    assert!(
        demo_en.contains("Audit the embedded reference ENT"),
        "{demo_en}"
    );
    // `man` alone prints the root page, in the language chosen.
    let (_, root_fr, _) = run(&["man"], None);
    assert!(root_fr.contains(".SH COMMANDES"), "{root_fr}");
    let (_, root_en, _) = run(&["man"], Some("en"));
    assert!(root_en.contains(".SH SUBCOMMANDS"), "{root_en}");
}

/// Errors a command raises after parsing: `(arguments, French, English)` wording.
fn command_errors(dir: &std::path::Path) -> Vec<(Vec<String>, &'static str, &'static str)> {
    let s = |p: std::path::PathBuf| p.to_str().expect("utf-8").to_owned();
    let not_a_report = s(dir.join("notes.json"));
    std::fs::write(&not_a_report, "pas du JSON").expect("write");
    let missing = s(dir.join("nowhere/rapport.json"));
    let target = s(dir.join("cible.yaml"));
    std::fs::write(
        &target,
        "name: x\nportal: https://ent.example/\ndegrees: [1d]\ncas:\n  base_url: https://cas.example/\n",
    )
    .expect("write");
    let absent = s(dir.join("absente.yaml"));
    let waivers = s(dir.join("derogations.yaml"));
    std::fs::write(
        &waivers,
        "waivers:\n  - criterion: SSO-CAS-01\n    justification: ok\n    approver: moi\n    \
         expires: 2099-06-30\n",
    )
    .expect("write");
    let cases: Vec<(Vec<&str>, &'static str, &'static str)> = vec![
        (
            vec!["demo", "--defects", "teleport"],
            "défaut inconnu `teleport` ; défauts connus : ",
            "unknown defect `teleport`; known defects: ",
        ),
        (
            vec!["grids", "show", "ZZZ-99"],
            "pas de critère `ZZZ-99` dans le SDET",
            "no criterion `ZZZ-99` in SDET",
        ),
        (
            vec!["grids", "stats", "--sdet-version", "9.9"],
            "pas de grille pour la version 9.9 du SDET (disponibles : ",
            "no grid for SDET version 9.9 (available: ",
        ),
        (
            vec!["demo", "--latency", "fast"],
            "--latency : `fast` n'est pas une latence",
            "--latency: `fast` is not a latency",
        ),
        (
            vec!["demo", "--fail-on", "nope"],
            "règle --fail-on inconnue `nope`",
            "unknown --fail-on rule `nope`",
        ),
        (
            vec!["report", "--from", &not_a_report],
            "n'est pas un rapport JSON de sdet-audit",
            "is not a sdet-audit JSON report",
        ),
        (
            vec!["demo", "-o", &missing, "-o", "."],
            "impossible d'écrire le rapport (2 problème(s)) : ",
            "cannot write the report (2 problem(s)): ",
        ),
        (
            vec!["demo", "--format", "json", "-o", "a.json", "-o", "b.sarif"],
            "--format vaut pour un seul --output",
            "--format applies to one --output",
        ),
        (
            vec![
                "audit",
                "-t",
                "a.yaml",
                "-t",
                "b.yaml",
                "--declarations",
                "d.yaml",
            ],
            "avec plusieurs cibles, chaque cible nomme les siennes",
            "with several targets, each target names its own",
        ),
        (
            vec!["audit", "-t", &absent],
            "le fichier cible est invalide (1 problème(s)) Erreur : sdet::io \
             impossible de lire la cible",
            "the target file is invalid (1 problem(s)) Error: sdet::io cannot read target",
        ),
        (
            vec!["audit", "-t", &target],
            "champ `service` manquant",
            "missing field `service`",
        ),
        (
            vec!["demo", "--waivers", &waivers],
            "`SSO-CAS-01` est une exigence : elle ne peut pas faire l'objet d'une dérogation",
            "`SSO-CAS-01` is an exigence: it cannot be waived",
        ),
        (
            vec!["demo", "--waivers", &waivers],
            "conseil : seules les recommandations peuvent",
            "help: only recommandations can be waived",
        ),
        (
            vec!["feeds", "reconcile"],
            "donnez le dossier de l'export, ou --target avec annuaire.feeds",
            "give the export folder, or --target with annuaire.feeds",
        ),
    ];
    cases
        .into_iter()
        .map(|(args, fr, en)| (args.into_iter().map(str::to_owned).collect(), fr, en))
        .collect()
}

/// `err` with miette's line wrapping undone: the message's lines joined by one space, blank
/// lines left out.
pub(crate) fn unwrapped(err: &str) -> String {
    err.lines()
        .map(|l| l.trim_start_matches([' ', '×', '│', '╰', '─', '▶']).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn errors_after_parsing_are_french_by_default_and_english_with_lang_en() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (args, french, english) in command_errors(dir.path()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = run(&args, None);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(
            unwrapped(&err).contains(french),
            "{args:?}: no {french:?} in\n{err}"
        );
        let stray = strays(&unwrapped(&err), ENGLISH);
        assert!(stray.is_empty(), "{args:?}: {stray:?}\n{err}");

        let with_en: Vec<&str> = args.iter().copied().chain(["--lang", "en"]).collect();
        let (code, _, err) = run(&with_en, None);
        assert_eq!(code, Some(2), "{with_en:?}: {err}");
        assert!(
            unwrapped(&err).contains(english),
            "{with_en:?}: no {english:?} in\n{err}"
        );
        let stray = strays(&unwrapped(&err), FRENCH);
        assert!(stray.is_empty(), "{with_en:?}: {stray:?}\n{err}");
        let (_, _, err) = run(&args, Some("en"));
        assert!(
            unwrapped(&err).contains(english),
            "{args:?} SDET_LANG=en: {err}"
        );
    }
}
