//! The errors and diagnostics of the data layer — grids, the probe catalogue, `scoring.yaml`,
//! spreadsheets and the XML inside them, saved reports, and the commands that read reports
//! (`compare`, `merge`, `diff`) — are French by default and English with `--lang en` (issue 17).
//! Each family is triggered through the binary on broken inputs; what it prints (standard
//! output for `grids lint`, standard error otherwise) must hold its wording in the language
//! asked for and no word of the other. The lines of the input miette quotes (`12 │ …`) are the
//! user's own text, in whatever language it is, and are left out of the scan.

use std::io::Write as _;
use std::path::Path;

use crate::cli_language::{ENGLISH, FRENCH, run, strays, unwrapped};
use crate::support::s;

/// A command on broken input, and parts of its wording in each language.
struct Case {
    args: Vec<String>,
    french: Vec<&'static str>,
    english: Vec<&'static str>,
}

fn case(args: &[&str], french: &[&'static str], english: &[&'static str]) -> Case {
    Case {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        french: french.to_vec(),
        english: english.to_vec(),
    }
}

/// `text` without the lines of the input miette quotes (` 12 │   - id: sso-cas`).
fn without_quoted_input(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let l = l.trim_start();
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            !(digits > 0 && l[digits..].starts_with(" │"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs every case in French (the default) and with `--lang en`; returns every problem found.
fn check(cases: &[Case]) -> Vec<String> {
    let mut problems = Vec::new();
    for c in cases {
        for (extra, wanted, other, name) in [
            (&[][..], &c.french, ENGLISH, "French"),
            (&["--lang", "en"][..], &c.english, FRENCH, "English"),
        ] {
            let args: Vec<&str> = c
                .args
                .iter()
                .map(String::as_str)
                .chain(extra.iter().copied())
                .collect();
            let (code, out, err) = run(&args, None);
            let shown = unwrapped(&without_quoted_input(&format!("{out}{err}")));
            if code != Some(2) {
                problems.push(format!("{args:?}: exit {code:?}\n{out}{err}"));
            }
            for part in wanted {
                if !shown.contains(part) {
                    problems.push(format!("{args:?} ({name}): no {part:?} in\n{out}{err}"));
                }
            }
            for stray in strays(&shown, other) {
                problems.push(format!("{args:?} ({name}): {stray}\n{out}{err}"));
            }
        }
    }
    problems
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    s(&path).to_owned()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, data) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(data).expect("write entry");
    }
    zip.finish().expect("zip");
    out.into_inner()
}

#[test]
fn every_invalid_grid_and_catalogue_lints_in_the_language_asked_for() {
    let grids = std::fs::read_dir(crate::support::root().join("fixtures/grids/invalid"))
        .expect("fixtures")
        .flatten()
        .map(|e| format!("fixtures/grids/invalid/{}", e.file_name().to_string_lossy()));
    let probes = std::fs::read_dir(crate::support::root().join("fixtures/probes/invalid"))
        .expect("fixtures")
        .flatten()
        .map(|e| {
            format!(
                "fixtures/probes/invalid/{}",
                e.file_name().to_string_lossy()
            )
        });
    let mut cases: Vec<Case> = grids
        .map(|g| {
            case(
                &["grids", "lint", "--grids", &g],
                &["problème(s)"],
                &["problem(s)"],
            )
        })
        .collect();
    cases.extend(probes.map(|p| {
        case(
            &[
                "grids",
                "lint",
                "--grids",
                "fixtures/grids/valid/minimal",
                "--probes",
                &p,
            ],
            &["problème(s)"],
            &["problem(s)"],
        )
    }));
    assert!(cases.len() >= 19, "{} cases", cases.len());
    let problems = check(&cases);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn grid_catalogue_and_scoring_diagnostics_say_what_is_wrong_in_each_language() {
    let g = "fixtures/grids/invalid";
    let minimal = "fixtures/grids/valid/minimal";
    let cases = [
        case(
            &["grids", "lint", "--grids", &format!("{g}/several-problems")],
            &[
                "niveau inconnu `must`",
                "valeurs permises : exigence, recommandation",
                "sonde inconnue",
                "absente de probes/",
                "conseil : déclarez-la dans probes/<famille>.yaml",
                "sert deux fois",
                "ne dit pas quelle preuve l'éditeur doit fournir",
                "4 problème(s)",
            ],
            &[
                "unknown level `must`",
                "allowed: exigence, recommandation",
                "not declared in probes/",
                "help: declare it in probes/<family>.yaml",
                "4 problem(s)",
            ],
        ),
        case(
            &["grids", "lint", "--grids", &format!("{g}/scoring-key")],
            &[
                "clé inconnue `conform` dans `declared_points`",
                "`non_applicable` n'est jamais noté",
                "`declared_points` ne donne pas de points à `conforme`",
                "4 problème(s)",
            ],
            &[
                "unknown key `conform` in `declared_points`",
                "`declared_points` does not price `conforme`",
            ],
        ),
        case(
            &["grids", "lint", "--grids", &format!("{g}/unknown-field")],
            &["champ inconnu"],
            &["unknown field"],
        ),
        case(
            &[
                "grids",
                "lint",
                "--grids",
                minimal,
                "--probes",
                "fixtures/probes/invalid/bad-params",
            ],
            &[
                "sonde `portail.hsts` : type invalide : la chaîne « long » là où il faut",
                "types de contrôle : ",
            ],
            &["probe `portail.hsts`: invalid type: string \"long\", expected"],
        ),
        case(
            &[
                "grids",
                "lint",
                "--grids",
                minimal,
                "--probes",
                "fixtures/probes/invalid/unknown-check",
            ],
            &["type de contrôle inconnu"],
            &["unknown check kind"],
        ),
    ];
    let problems = check(&cases);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_lint_success_line_is_in_the_language_asked_for() {
    let (code, out, _) = run(&["grids", "lint"], None);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("ok : 2 grille(s) (4.0, 6.4), "), "{out}");
    assert!(
        out.contains(" critères, ") && out.contains(" sondes"),
        "{out}"
    );
    let (_, out, _) = run(&["grids", "lint", "--lang", "en"], None);
    assert!(out.starts_with("ok: 2 grid(s) (4.0, 6.4), "), "{out}");
    let (_, out, _) = run(&["grids", "diff", "4.0", "6.4"], None);
    assert!(out.contains(" ajouté(s), "), "{out}");
    let (_, out, _) = run(&["grids", "diff", "4.0", "6.4", "--lang", "en"], None);
    assert!(out.contains(" added, "), "{out}");
}

#[test]
fn spreadsheets_that_cannot_be_read_are_refused_in_the_language_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_a_sheet = write(dir.path(), "offre.ods", b"pas un tableur");
    let not_an_xlsx = write(dir.path(), "offre.xlsx", b"pas un tableur");
    let text = write(dir.path(), "offre.txt", b"pas un tableur");
    // A well-formed archive whose content.xml is not well-formed XML.
    let broken_xml = write(
        dir.path(),
        "casse.ods",
        &zip_of(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", b"<office:document-content><table:table"),
        ]),
    );
    let tender = "fixtures/grids/import/tender";
    let faulty = format!("{tender}/grille-ao-fautive.csv");
    let mapping = format!("{tender}/mapping.yaml");
    let bad_mapping = write(dir.path(), "correspondance.yaml", b"sdet_version: t\n");
    let out = s(&dir.path().join("grilles")).to_owned();
    let cases = [
        case(
            &[
                "grids",
                "import",
                &faulty,
                "--mapping",
                &mapping,
                "-o",
                &out,
            ],
            &[
                "la grille ne peut être importée (4 problème(s))",
                "grille-ao-fautive.csv!A3 : « SEC-AO-01 » déjà en grille-ao-fautive.csv!A2",
                "ne suit pas le schéma des identifiants",
                "absent de `axes` du fichier de correspondance",
                "niveau « Indispensable » inconnu",
            ],
            &[
                "the grid cannot be imported (4 problem(s))",
                "grille-ao-fautive.csv!A3: \"SEC-AO-01\" already at grille-ao-fautive.csv!A2",
                "does not follow the id scheme",
                "not in the mapping's `axes`",
                "unknown level \"Indispensable\"",
            ],
        ),
        case(
            &[
                "grids",
                "import",
                &faulty,
                "--mapping",
                &bad_mapping,
                "-o",
                &out,
            ],
            &[
                "correspondance.yaml : le fichier de correspondance est invalide",
                "champ `title` manquant",
            ],
            &[
                "correspondance.yaml: invalid mapping",
                "missing field `title`",
            ],
        ),
        case(
            &["declarations", "import", &not_a_sheet],
            &[
                "déclarations invalides (1 problème(s))",
                "tableur illisible : pas une archive zip",
            ],
            &[
                "invalid declarations (1 problem(s))",
                "not a readable spreadsheet: not a zip archive",
            ],
        ),
        case(
            &["declarations", "import", &not_an_xlsx],
            &["tableur illisible : pas une archive zip"],
            &["not a readable spreadsheet: not a zip archive"],
        ),
        case(
            &["declarations", "import", &text],
            &["extension inconnue, .ods, .xlsx ou .csv attendu"],
            &["unknown extension, expected .ods, .xlsx or .csv"],
        ),
        case(
            &["declarations", "import", &broken_xml],
            &["tableur illisible : content.xml : XML mal formé (« "],
            &["not a readable spreadsheet: content.xml: "],
        ),
    ];
    let problems = check(&cases);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// A copy of the example report, edited, written in `dir`.
fn edited(dir: &Path, name: &str, edit: &dyn Fn(&mut serde_json::Value)) -> String {
    let example = crate::support::root().join("reports/examples/demo-clean.json");
    let text = std::fs::read_to_string(&example).expect("example report");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut value);
    write(dir, name, &serde_json::to_vec(&value).expect("JSON"))
}

#[test]
fn reports_that_cannot_be_read_are_refused_in_the_language_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = crate::support::root().join("reports/examples/demo-clean.json");
    let report = std::fs::read_to_string(&example).expect("example report");
    let not_json = write(dir.path(), "notes.json", b"pas du JSON");
    let cut = write(dir.path(), "coupe.json", &report.as_bytes()[..40]);
    let empty = write(dir.path(), "vide.json", b"{}");
    let future = edited(dir.path(), "futur.json", &|v| {
        v["format_version"] = 99.into();
    });
    let wrong_type = edited(dir.path(), "type.json", &|v| {
        v["target"]["name"] = 3.into();
    });
    let cases = [
        case(
            &["report", "--from", &not_json],
            &["JSON invalide ligne 1, colonne 1 : une valeur était attendue"],
            &["expected value at line 1 column 1"],
        ),
        case(
            &["report", "--from", &cut],
            &["JSON invalide ligne ", "le texte s'arrête au milieu d'"],
            &["EOF while parsing"],
        ),
        case(
            &["report", "--from", &empty],
            &["champ `format_version` manquant"],
            &["missing field `format_version`"],
        ),
        case(
            &["report", "--from", &future],
            &["format_version 99 n'est pas une version que ce sdet-audit lit (il lit la 1)"],
            &["format_version 99 is not one this sdet-audit reads (it reads 1)"],
        ),
        case(
            &["compare", &wrong_type, s(&example)],
            &["type invalide : l'entier `3` là où il faut une chaîne"],
            &["invalid type: integer `3`, expected a string"],
        ),
    ];
    let problems = check(&cases);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn reports_that_cannot_be_compared_merged_or_diffed_are_refused_in_the_language_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = crate::support::root().join("reports/examples/demo-clean.json");
    let example = s(&example).to_owned();
    let older_grid = edited(dir.path(), "ancienne.json", &|v| {
        v["grid"]["sdet_version"] = "4.0".into();
    });
    let other = edited(dir.path(), "autre.json", &|v| {
        v["target"]["name"] = "ENT B".into();
    });
    let merged = dir.path().join("fusion.json");
    let (code, _, err) = run(
        &[
            "merge",
            &example,
            &other,
            "--format",
            "json",
            "-o",
            s(&merged),
        ],
        None,
    );
    assert_eq!(code, Some(0), "{err}");
    let merged = s(&merged).to_owned();
    let cases = [
        case(
            &["compare", &example, &older_grid],
            &[
                "ces rapports ne peuvent pas être comparés",
                "doivent partager une grille SDET",
            ],
            &[
                "these reports cannot be compared",
                "must share one SDET grid",
            ],
        ),
        case(
            &["merge", &example, &example],
            &[
                "ces rapports ne peuvent pas être fusionnés",
                "figure dans plus d'un rapport",
            ],
            &[
                "these reports cannot be merged",
                "appears in more than one report",
            ],
        ),
        case(
            &["diff", &merged, &example],
            &["contient 2 rapports ; `diff` compare deux rapports seuls"],
            &["holds 2 reports; `diff` compares two single reports"],
        ),
    ];
    let problems = check(&cases);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
