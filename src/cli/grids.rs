//! `sdet-audit grids …`: browse the grids (list, show), check them (lint, run in CI), measure
//! how much is verifiable (stats), and see what a new SDET version changes (diff).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;

use super::TextFormat;
use crate::audit::load_grid;
use crate::catalog;
use crate::data::Store;
use crate::error::Error;
use crate::grid::{self, Criterion, Degree, Grid, Level, Party, Provenance, Verification};
use crate::text::{Lang, Text, errors_lang, pick};

/// `grids` subcommands.
#[derive(Debug, Subcommand)]
pub enum GridsCommand {
    /// List criteria, with filters.
    #[command(
        after_help = "Examples:\n  sdet-audit grids list --axis technique --level exigence\n  sdet-audit grids list --verification automatic --format json"
    )]
    List(ListArgs),
    /// Everything about one criterion: levels, sources, probes, proof.
    Show {
        /// Criterion id, e.g. SSO-CAS-03.
        id: String,
        /// Common options.
        #[command(flatten)]
        common: Common,
    },
    /// Check the grids and the probe catalogue; every problem, with a code and a span.
    #[command(
        after_help = "Example (in CI, on the repository's files):\n  sdet-audit grids lint --grids grids --probes probes"
    )]
    Lint {
        /// Grids folder (default: the embedded grids).
        #[arg(long)]
        grids: Option<PathBuf>,
        /// Probes folder (default: the embedded catalogue).
        #[arg(long)]
        probes: Option<PathBuf>,
    },
    /// Criteria per axis and level, and how many are automatic, mixed or declarative.
    Stats {
        /// Common options.
        #[command(flatten)]
        common: Common,
    },
    /// The grid as a spreadsheet for a vendor to fill (ODS, XLSX or CSV): one sheet per axis,
    /// one row per criterion, a drop-down for the declaration.
    #[command(
        after_help = "Examples:\n  sdet-audit grids export -o offre.ods\n  sdet-audit grids export -o offer.xlsx --lang en\n  \
sdet-audit grids export -o offre.ods --declarations declarations.yaml   # prefilled"
    )]
    Export(super::sheets::ExportArgs),
    /// Build a grid folder from a spreadsheet (an official or tender grid) whose columns a
    /// mapping file names; the result is linted, every problem named by its cell.
    #[command(
        after_help = "Example:\n  sdet-audit grids import grille-ao.xlsx --mapping correspondance.yaml -o grilles/\n  \
sdet-audit grids diff 6.4 ao-2026 --grids grilles/"
    )]
    Import(super::sheets::GridImportArgs),
    /// What changed between two SDET versions' grids: criteria added, removed, changed.
    #[command(after_help = "Example:\n  sdet-audit grids diff 4.0 6.4")]
    Diff {
        /// Older SDET version.
        old: String,
        /// Newer SDET version.
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextFormat::Terminal)]
        format: TextFormat,
        /// Read NEW from this grids folder (e.g. one written by `grids import`); OLD stays the
        /// embedded grid.
        #[arg(long, value_name = "DIR")]
        grids: Option<PathBuf>,
    },
}

/// Options every grid view shares.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// SDET version (default: the newest grid).
    #[arg(long)]
    pub sdet_version: Option<String>,
    /// Language.
    #[arg(long, value_enum, default_value_t = super::LangArg::Fr)]
    pub lang: super::LangArg,
}

/// `grids list` arguments.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this axis.
    #[arg(long)]
    pub axis: Option<String>,
    /// Only this level.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Only this verification mode.
    #[arg(long, value_enum)]
    pub verification: Option<VerificationArg>,
    /// Only criteria applying to this degree.
    #[arg(long, value_enum)]
    pub degree: Option<DegreeArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Terminal)]
    pub format: TextFormat,
    /// Common options.
    #[command(flatten)]
    pub common: Common,
}

/// Levels, for filters.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LevelArg {
    /// Exigences.
    Exigence,
    /// Recommandations.
    Recommandation,
}

/// Verification modes, for filters.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerificationArg {
    /// Automatic.
    Automatic,
    /// Mixed.
    Mixed,
    /// Declarative.
    Declarative,
}

/// Degrees, for filters.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DegreeArg {
    /// Premier degré.
    #[value(name = "1d")]
    First,
    /// Second degré.
    #[value(name = "2d")]
    Second,
}

pub fn run(cmd: &GridsCommand) -> Result<u8, Error> {
    match cmd {
        GridsCommand::Export(args) => super::sheets::export(args),
        GridsCommand::Import(args) => super::sheets::import_grid(args),
        GridsCommand::Lint { grids, probes } => lint(grids.as_deref(), probes.as_deref()),
        GridsCommand::List(args) => {
            let (grid, _) = load_grid(None, None, args.common.sdet_version.as_deref())?;
            let rows: Vec<&Criterion> = grid.criteria.iter().filter(|c| keep(c, args)).collect();
            match args.format {
                TextFormat::Json => {
                    // An object, not a bare array, so that it carries `format_version` like every
                    // other JSON output and can gain fields without breaking a reader.
                    print(&crate::report::json::versioned(&CriteriaList {
                        sdet_version: &grid.sdet_version,
                        criteria: rows,
                    }))?;
                }
                TextFormat::Terminal => {
                    print(&list_table(&rows, args.common.lang.into()).to_string())?;
                }
            }
            Ok(crate::exit::CONFORME)
        }
        GridsCommand::Show { id, common } => {
            let (grid, catalog) = load_grid(None, None, common.sdet_version.as_deref())?;
            let criterion = grid.criterion(id).ok_or_else(|| {
                Error::Usage(sdet_core::fr_en!(
                    "pas de critère `{id}` dans le SDET {}",
                    "no criterion `{id}` in SDET {}",
                    grid.sdet_version
                ))
            })?;
            print(&show(criterion, &grid, &catalog, common.lang.into()))?;
            Ok(crate::exit::CONFORME)
        }
        GridsCommand::Stats { common } => {
            let (grid, _) = load_grid(None, None, common.sdet_version.as_deref())?;
            print(&stats(&grid, common.lang.into()))?;
            Ok(crate::exit::CONFORME)
        }
        GridsCommand::Diff {
            old,
            new,
            format,
            grids,
        } => {
            let (old, _) = load_grid(None, None, Some(old))?;
            let (new, _) = load_grid(grids.as_deref(), None, Some(new))?;
            let diff = grid::diff::diff(&old, &new);
            match format {
                TextFormat::Json => {
                    print(&crate::report::json::versioned(&diff))?;
                }
                TextFormat::Terminal => print(&diff_text(&diff))?,
            }
            Ok(crate::exit::CONFORME)
        }
    }
}

/// `grids list --format json`: the grid's version and the criteria kept by the filters.
#[derive(serde::Serialize)]
struct CriteriaList<'a> {
    sdet_version: &'a str,
    criteria: Vec<&'a Criterion>,
}

fn print(text: &str) -> Result<(), Error> {
    super::print(&format!("{}\n", text.trim_end()))
}

/// Lints every grid version and the probe catalogue; prints each diagnostic rendered by miette.
fn lint(grids: Option<&std::path::Path>, probes: Option<&std::path::Path>) -> Result<u8, Error> {
    crate::data::check_folders(&[grids, probes])?;
    let (catalog, mut diagnostics) = catalog::load(&Store::probes(probes));
    let store = Store::grids(grids);
    let versions = grid::available_versions(&store);
    let mut criteria = 0;
    for version in &versions {
        let loaded = grid::load(&store, version, &catalog);
        criteria += loaded.grid.as_ref().map_or(0, |g| g.criteria.len());
        diagnostics.extend(loaded.diagnostics);
    }
    for d in &diagnostics {
        print(&super::shown::chrome(&d.render_plain(), errors_lang()))?;
    }
    if versions.is_empty() {
        return Err(Error::Usage(Text::new(
            "aucune grille trouvée (une grille est un dossier contenant grid.yaml)",
            "no grid found (a grid is a folder holding grid.yaml)",
        )));
    }
    // The summary line is in the command line's language, as the diagnostics above it are.
    if diagnostics.is_empty() {
        let ok = sdet_core::fr_en!(
            "ok : {} grille(s) ({}), {criteria} critères, {} sondes",
            "ok: {} grid(s) ({}), {criteria} criteria, {} probes",
            versions.len(),
            versions.join(", "),
            catalog.probes.len()
        );
        print(ok.shown())?;
        Ok(crate::exit::CONFORME)
    } else {
        let n = diagnostics.len();
        print(sdet_core::fr_en!("{n} problème(s)", "{n} problem(s)").shown())?;
        Ok(crate::exit::USAGE)
    }
}

fn keep(c: &Criterion, args: &ListArgs) -> bool {
    let level = args.level.map(|l| match l {
        LevelArg::Exigence => Level::Exigence,
        LevelArg::Recommandation => Level::Recommandation,
    });
    let verification = args.verification.map(|v| match v {
        VerificationArg::Automatic => Verification::Automatic,
        VerificationArg::Mixed => Verification::Mixed,
        VerificationArg::Declarative => Verification::Declarative,
    });
    let degree = args.degree.map(|d| match d {
        DegreeArg::First => Degree::First,
        DegreeArg::Second => Degree::Second,
    });
    args.axis.as_ref().is_none_or(|a| *a == c.axis)
        && level.is_none_or(|l| l == c.level)
        && verification.is_none_or(|v| v == c.verification)
        && degree.is_none_or(|d| c.applies_to.contains(&d))
}

fn list_table(rows: &[&Criterion], lang: Lang) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "id",
        pick(lang, "axe", "axis"),
        pick(lang, "niveau", "level"),
        "verification",
        pick(lang, "titre", "title"),
    ]);
    for c in rows {
        table.add_row(vec![
            c.id.as_str(),
            c.axis.as_str(),
            c.level.as_str(),
            c.verification.as_str(),
            c.title.get(lang),
        ]);
    }
    table
}

fn show(c: &Criterion, grid: &Grid, catalog: &catalog::ProbeCatalog, lang: Lang) -> String {
    let mut out = String::new();
    let axis = grid
        .axis(&c.axis)
        .map_or(c.axis.as_str(), |a| a.name.get(lang));
    let degrees: Vec<&str> = c.applies_to.iter().map(|d| d.as_str()).collect();
    let _ = writeln!(out, "{} — {}", c.id, c.title.get(lang));
    let _ = writeln!(out, "  {}: {axis}", pick(lang, "axe", "axis"));
    let _ = writeln!(
        out,
        "  {}: {}{}",
        pick(lang, "niveau", "level"),
        c.level,
        c.keyword
            .as_ref()
            .map(|k| format!(" ({k})"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "  {}: {}",
        pick(lang, "degrés", "degrees"),
        degrees.join(", ")
    );
    if let Some(scope) = &c.scope {
        let _ = writeln!(out, "  {}: {scope}", pick(lang, "périmètre", "scope"));
    }
    for r in &c.sdet_refs {
        let _ = writeln!(out, "  SDET: {r}");
    }
    match &c.provenance {
        Provenance::Source { source, evidence } => {
            let _ = writeln!(
                out,
                "  {}: {source} [{evidence}]",
                pick(lang, "source", "source")
            );
        }
        Provenance::ToVerify(section) => {
            let _ = writeln!(
                out,
                "  {}: {section}",
                pick(lang, "à vérifier", "to verify")
            );
        }
    }
    let _ = writeln!(
        out,
        "  {}: {}",
        pick(lang, "devoir de", "duty of"),
        c.party.as_str()
    );
    if let Some(why) = &c.level_to_confirm {
        let _ = writeln!(
            out,
            "  {}: {why}",
            pick(lang, "niveau à confirmer", "level to confirm")
        );
    }
    let _ = writeln!(
        out,
        "  {}: {}",
        pick(lang, "vérification", "verification"),
        c.verification.as_str()
    );
    probe_lines(&mut out, c, catalog, lang);
    for ((fr, en), text) in [
        (("preuve", "proof"), &c.proof),
        (("raison", "rationale"), &c.rationale),
        (("remédiation", "remediation"), &c.remediation),
    ] {
        if let Some(t) = text {
            let _ = writeln!(out, "  {}: {}", pick(lang, fr, en), t.get(lang));
        }
    }
    out
}

/// `grids show`'s probes: those that verify the criterion, each with why, then those that
/// only support it.
fn probe_lines(out: &mut String, c: &Criterion, catalog: &catalog::ProbeCatalog, lang: Lang) {
    let probe = |id: &str| {
        catalog.get(id).map_or(("?", "?"), |p| {
            (
                p.title.get(lang),
                if p.check.is_some() {
                    ""
                } else {
                    pick(lang, " (prévue)", " (planned)")
                },
            )
        })
    };
    if !c.verified_by.is_empty() {
        let _ = writeln!(out, "  {}:", pick(lang, "vérifié par", "verified by"));
    }
    for link in &c.verified_by {
        let (title, state) = probe(&link.probe);
        let _ = writeln!(out, "    - {}{state}: {title}", link.probe);
        let _ = writeln!(
            out,
            "      {} {}",
            pick(lang, "car", "because"),
            link.why.get(lang)
        );
    }
    if !c.supported_by.is_empty() {
        let _ = writeln!(
            out,
            "  {}:",
            pick(
                lang,
                "en appui (ne décide jamais du verdict)",
                "supported by (never decides the verdict)"
            )
        );
    }
    for id in &c.supported_by {
        let (title, state) = probe(id);
        let _ = writeln!(out, "    - {id}{state}: {title}");
    }
}

fn stats(grid: &Grid, lang: Lang) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let mut header = confirmed_header(lang, pick(lang, "axe", "axis"));
    header.extend(["automatic", "mixed", "declarative"]);
    table.set_header(header);
    let count = |axis: Option<&str>, level: Level, v: Option<Verification>| {
        grid.criteria
            .iter()
            .filter(|c| {
                axis.is_none_or(|a| a == c.axis)
                    && c.level == level
                    && v.is_none_or(|v| v == c.verification)
            })
            .count()
    };
    let confirmed = |axis: Option<&str>, level: Level| {
        grid.criteria
            .iter()
            .filter(|c| axis.is_none_or(|a| a == c.axis) && c.level == level && c.level_confirmed())
            .count()
    };
    let axes: Vec<Option<&str>> = grid
        .axes
        .iter()
        .map(|a| Some(a.id.as_str()))
        .chain([None])
        .collect();
    for axis in axes {
        for level in Level::ALL {
            let total = count(axis, level, None);
            let sure = confirmed(axis, level);
            let mut row = vec![
                axis.unwrap_or("total").to_string(),
                level.to_string(),
                total.to_string(),
                sure.to_string(),
                (total - sure).to_string(),
            ];
            row.extend(
                Verification::ALL
                    .iter()
                    .map(|v| count(axis, level, Some(*v)).to_string()),
            );
            table.add_row(row);
        }
    }
    let exigences = count(None, Level::Exigence, None);
    let verifiable = count(None, Level::Exigence, Some(Verification::Automatic))
        + count(None, Level::Exigence, Some(Verification::Mixed));
    #[allow(clippy::cast_precision_loss)]
    let share = if exigences == 0 {
        0.0
    } else {
        100.0 * verifiable as f64 / exigences as f64
    };
    let gating = confirmed(None, Level::Exigence);
    format!(
        "SDET {} — {}\n{table}\n{}: {verifiable}/{exigences} ({share:.0} %)\n{}: {gating}/{exigences}\n{}\n{}",
        grid.sdet_version,
        grid.title.get(lang),
        pick(
            lang,
            "exigences vérifiables par sonde (automatic + mixed)",
            "exigences verifiable by probes (automatic + mixed)"
        ),
        pick(
            lang,
            "exigences à niveau confirmé (décident du résultat)",
            "exigences with a confirmed level (they decide the outcome)"
        ),
        pick(
            lang,
            "Par partie (qui porte le devoir) :",
            "By party (who carries the duty):"
        ),
        parties(grid, lang),
    )
}

/// The columns both `stats` tables open with: what is counted, the level, then the total split
/// into confirmed levels and levels to confirm.
fn confirmed_header(lang: Lang, first: &'static str) -> Vec<&'static str> {
    vec![
        first,
        pick(lang, "niveau", "level"),
        "total",
        pick(lang, "niveau confirmé", "level confirmed"),
        pick(lang, "à confirmer", "to confirm"),
    ]
}

/// Criteria per party and level, confirmed and to confirm: a vendor audit grades only the
/// `editeur` rows.
fn parties(grid: &Grid, lang: Lang) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(confirmed_header(lang, pick(lang, "partie", "party")));
    for party in Party::ALL {
        for level in Level::ALL {
            let of = || {
                grid.criteria
                    .iter()
                    .filter(move |c| c.party == party && c.level == level)
            };
            let total = of().count();
            if total == 0 {
                continue;
            }
            let sure = of().filter(|c| c.level_confirmed()).count();
            table.add_row(vec![
                party.as_str().to_string(),
                level.to_string(),
                total.to_string(),
                sure.to_string(),
                (total - sure).to_string(),
            ]);
        }
    }
    table
}

/// The differences, headed in the command line's language; the fields and values below are
/// the grid's own.
fn diff_text(diff: &grid::diff::GridDiff) -> String {
    let mut out = sdet_core::fr_en!(
        "SDET {} → {} : {} ajouté(s), {} retiré(s), {} modifié(s), {} inchangé(s)\n",
        "SDET {} → {}: {} added, {} removed, {} changed, {} unchanged\n",
        diff.old,
        diff.new,
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len(),
        diff.unchanged
    )
    .shown()
    .to_owned();
    for (sign, list) in [("+", &diff.added), ("-", &diff.removed)] {
        for c in list {
            let _ = writeln!(out, "{sign} {:<14} {:<15} {}", c.id, c.level, c.title);
        }
    }
    for c in &diff.changed {
        let _ = writeln!(out, "~ {}", c.id);
        for f in &c.changes {
            let _ = writeln!(out, "    {}: {} → {}", f.field, f.old, f.new);
        }
    }
    out
}
