//! `audit --target a.yaml --target b.yaml …`: several ENTs audited at once, under one set of
//! `--concurrency` and `--per-host` limits, and written as `merge` would write their reports —
//! the merged file (JSON), or their comparison (terminal, HTML, CSV). An académie auditing its
//! ENTs in one job waits for the slowest, not for the sum.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use sdet_core::fr_en;

use super::format::{CommandFormat, Format, MergeFormat, ReportFormat};
use super::output::{
    audit_options, bar, check_outputs, file_format, format_of, gate_report, rules, signing_key,
    write_atomically,
};
use super::runtime::block_on;
use super::{AuditArgs, OutputArgs};
use crate::audit::{self, AuditOptions};
use crate::error::Error;
use crate::merge;
use crate::target::Target;
use crate::text::{Lang, Text, pick};

pub fn audit(args: &AuditArgs) -> Result<u8, Error> {
    if args.declarations.is_some() {
        return Err(Error::Usage(Text::new(
            "--declarations désigne les déclarations d'un seul éditeur : avec plusieurs cibles, \
             chaque cible nomme les siennes dans son champ `declarations`",
            "--declarations names one vendor's declarations: with several targets, each target \
             names its own in its `declarations` field",
        )));
    }
    check_outputs(&args.output)?;
    let formats = formats(&args.output)?;
    let rules = rules(&args.gate)?;
    let key = signing_key(&args.sign)?;
    let names = names(&args.target)?;
    let evidence = match &args.evidence {
        Some(dir) => Some(evidence_folders(dir, &names)?),
        None => None,
    };
    let lang: Lang = args.output.lang.into();
    let options: Vec<AuditOptions> = args.target.iter().map(|t| audit_options(args, t)).collect();
    let mut reports = block_on(async {
        let prepared = audit::prepare_many(&options).await?;
        // At once: each is a round trip to its own ENT, and five in a row cost five.
        futures::future::join_all(
            prepared
                .iter()
                .zip(&options)
                .zip(&names)
                .map(|((p, o), name)| super::doctor::preflight(p, &o.secrets, lang, name)),
        )
        .await;
        Ok::<_, Error>(audit::run_prepared(prepared, &bar(args.verbose, lang)).await)
    })??;
    if args.levels.strict_levels {
        reports.iter_mut().for_each(|r| r.strict_levels());
    }
    if let Some(folders) = evidence {
        for (report, dir) in reports.iter().zip(folders) {
            crate::bundle::write(report, &dir, key.as_ref())?;
        }
    }
    let merged = merge::merge(reports)?;
    match args.output.output.as_slice() {
        [] => super::print(&super::several::render_merged(&merged, formats[0], lang)?)?,
        paths => {
            for (path, format) in paths.iter().zip(&formats) {
                let text = super::several::render_merged(&merged, *format, lang)?;
                write_atomically(path, text.as_bytes())?;
            }
        }
    }
    let code = gate_report(&merged.reports, rules.as_deref(), lang);
    if !args.output.output.is_empty() && !args.output.quiet {
        summary(&merged, &args.output, lang, code);
    }
    Ok(code)
}

/// What each output gets — one format for standard output when there is no file — refusing,
/// before anything runs, a format that holds one report only (Markdown, JUnit, SARIF).
fn formats(out: &OutputArgs<ReportFormat>) -> Result<Vec<MergeFormat>, Error> {
    let merged = |format: ReportFormat, what: String| {
        MergeFormat::from_format(Format::from(format)).ok_or_else(|| {
            fr_en!(
                "avec plusieurs cibles, le résultat est le fichier fusionné ou leur comparaison \
                 ({}) ; pour un rapport par cible, auditez-les une à une et fusionnez (`merge`) \
                 les JSON",
                "with several targets the result is the merged file or their comparison \
                 ({}); for one report per target, audit them one by one and `merge` the JSON",
                MergeFormat::names()
            )
            .about(what)
        })
    };
    if out.output.is_empty() {
        let (format, _) = format_of(out)?;
        return Ok(vec![
            merged(format, format!("--format {format:?}").to_lowercase()).map_err(Error::Usage)?,
        ]);
    }
    let mut formats = Vec::new();
    let mut problems = Vec::new();
    for path in &out.output {
        let format = file_format(out, path)?;
        match merged(format, path.display().to_string()) {
            Ok(f) => formats.push(f),
            Err(e) => problems.push(e),
        }
    }
    if problems.is_empty() {
        Ok(formats)
    } else {
        Err(Error::Usage(Text::join(&problems, "\n")))
    }
}

/// Each target's name, as its report will carry it: loaded now, so that a bad target file or
/// two targets of one name (which `merge` refuses) cost no audit. Every problem of every target
/// is listed at once.
fn names(targets: &[PathBuf]) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::new();
    let mut versions = Vec::new();
    let mut diagnostics = Vec::new();
    let mut problems = Vec::new();
    for path in targets {
        match Target::load(path) {
            Ok(target) => {
                if names.contains(&target.name) {
                    problems.push(
                        fr_en!(
                            "la cible `{}` est déjà auditée par un autre --target ; \
                             chaque ENT une seule fois",
                            "target `{}` is already audited by another --target; each ENT once",
                            target.name
                        )
                        .about(path.display()),
                    );
                }
                names.push(target.name);
                versions.push(target.sdet_version);
            }
            Err(found) => diagnostics.extend(found),
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::Diagnostics {
            context: Text::new(
                "les fichiers cibles sont invalides",
                "target files are invalid",
            ),
            diagnostics,
        });
    }
    if versions.windows(2).any(|w| w[0] != w[1]) {
        problems.push(Text::new(
            "les cibles nomment des versions différentes du SDET (`sdet_version`) : leurs \
             rapports ne pourraient pas être fusionnés ; auditez-les séparément",
            "the targets name different SDET versions (`sdet_version`): their reports could not \
             be merged; audit them apart",
        ));
    }
    if problems.is_empty() {
        Ok(names)
    } else {
        Err(Error::Usage(Text::join(&problems, "\n")))
    }
}

/// One evidence folder per target inside `dir`, named after the target; each must be new or
/// empty, checked now rather than after the audits.
fn evidence_folders(dir: &Path, names: &[String]) -> Result<Vec<PathBuf>, Error> {
    let mut folders: Vec<PathBuf> = Vec::new();
    for name in names {
        let folder = dir.join(folder_name(name));
        if folders.contains(&folder) {
            return Err(Error::Usage(fr_en!(
                "--evidence : deux cibles partageraient le dossier {} ; donnez-leur des noms distincts",
                "--evidence: two targets would share the folder {}; give them distinct names",
                folder.display()
            )));
        }
        let holds_files = std::fs::read_dir(&folder).is_ok_and(|mut d| d.next().is_some());
        if holds_files {
            return Err(Error::Usage(fr_en!(
                "--evidence : {} contient déjà des fichiers",
                "--evidence: {} already holds files",
                folder.display()
            )));
        }
        folders.push(folder);
    }
    Ok(folders)
}

/// A folder name for a target's name: letters, digits, `.`, `-` and `_` kept, the rest `-`.
fn folder_name(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    match kept.trim_matches('.') {
        "" => "cible".into(),
        k => k.to_string(),
    }
}

/// `rapports écrits : all.json — 3 cibles : 1 NON CONFORME, 2 CONFORME (code de sortie 1)`.
fn summary(merged: &merge::Merged, out: &OutputArgs<ReportFormat>, lang: Lang, code: u8) {
    let files: Vec<String> = out.output.iter().map(|p| p.display().to_string()).collect();
    let outcomes: Vec<String> = merged
        .reports
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r.target.name,
                crate::report::labels::outcome(r.outcome, lang)
            )
        })
        .collect();
    let line = format!(
        "{} {} — {} {} : {} ({} {code})\n",
        pick(lang, "rapports écrits :", "reports written:"),
        files.join(", "),
        merged.reports.len(),
        pick(lang, "cibles", "targets"),
        outcomes.join(", "),
        pick(lang, "code de sortie", "exit code"),
    );
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::folder_name;

    #[test]
    fn a_target_name_becomes_a_folder_name() {
        assert_eq!(folder_name("ENT Région Sud"), "ENT-R-gion-Sud");
        assert_eq!(folder_name("../.."), "-");
        assert_eq!(folder_name(".."), "cible");
        assert_eq!(folder_name("a/b"), "a-b");
    }
}
