//! `grids export` and `declarations import`: the grid out as a spreadsheet a vendor fills, and
//! the filled spreadsheet back in as a YAML declarations file.

use std::io::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::LangArg;
use crate::audit::load_grid;
use crate::declaration::Declarations;
use crate::declaration::workbook as export;
use crate::error::Error;
use crate::sheet::{self, SheetFormat};
use crate::text::{Lang, Text, pick};

/// `grids export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file (.ods, .xlsx or .csv; the extension chooses the format).
    #[arg(long, short)]
    pub output: PathBuf,
    /// Format, when the extension does not say it.
    #[arg(long, value_enum)]
    pub format: Option<SheetFormatArg>,
    /// Prefill the vendor's columns from these declarations (YAML or a spreadsheet).
    #[arg(long, value_name = "FILE")]
    pub declarations: Option<PathBuf>,
    /// SDET version (default: the newest grid).
    #[arg(long)]
    pub sdet_version: Option<String>,
    /// Use the grids in this folder instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub grids: Option<PathBuf>,
    /// Language of the headers and texts.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// Spreadsheet formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SheetFormatArg {
    /// OpenDocument (LibreOffice, the RGI's format).
    Ods,
    /// Excel.
    Xlsx,
    /// CSV, one table with every axis.
    Csv,
}

/// `declarations` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeclarationsCommand {
    /// Read a filled spreadsheet (.ods, .xlsx, .csv from `grids export`) into a YAML
    /// declarations file; every problem is named by sheet and cell.
    #[command(
        after_help = "Examples:\n  sdet-audit grids export -o offre.ods\n  sdet-audit declarations import offre.ods -o declarations.yaml"
    )]
    Import(ImportArgs),
}

/// `declarations import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The filled spreadsheet.
    pub file: PathBuf,
    /// Write the YAML here (atomically) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// SDET version (default: the one the spreadsheet names, else the newest grid).
    #[arg(long)]
    pub sdet_version: Option<String>,
    /// Use the grids in this folder instead of the embedded ones.
    #[arg(long, value_name = "DIR")]
    pub grids: Option<PathBuf>,
    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// `grids export`.
pub fn export(args: &ExportArgs) -> Result<u8, Error> {
    let lang: Lang = args.lang.into();
    let format = match args.format {
        Some(SheetFormatArg::Ods) => SheetFormat::Ods,
        Some(SheetFormatArg::Xlsx) => SheetFormat::Xlsx,
        Some(SheetFormatArg::Csv) => SheetFormat::Csv,
        None => SheetFormat::from_path(&args.output).ok_or_else(|| {
            Error::Usage(
                Text::new(
                    "extension inconnue : .ods, .xlsx ou .csv (ou --format)",
                    "unknown extension: .ods, .xlsx or .csv (or --format)",
                )
                .about(args.output.display()),
            )
        })?,
    };
    let (grid, _) = load_grid(args.grids.as_deref(), None, args.sdet_version.as_deref())?;
    let declarations = match &args.declarations {
        Some(path) => Some(
            Declarations::load(path, &grid, lang).map_err(|diagnostics| Error::Diagnostics {
                context: Text::new(
                    "les déclarations sont invalides",
                    "the declarations are invalid",
                ),
                diagnostics,
            })?,
        ),
        None => None,
    };
    let book = match format {
        SheetFormat::Csv => export::single_sheet(&grid, declarations.as_ref(), lang),
        _ => export::book(&grid, declarations.as_ref(), lang),
    };
    let bytes = sheet::write(&book, format)?;
    super::output::write_atomically(&args.output, &bytes)?;
    Ok(crate::exit::CONFORME)
}

/// `declarations import`.
pub fn run(cmd: &DeclarationsCommand) -> Result<u8, Error> {
    let DeclarationsCommand::Import(args) = cmd;
    let lang: Lang = args.lang.into();
    let (grid, _) = load_grid(args.grids.as_deref(), None, args.sdet_version.as_deref())?;
    let imported = Declarations::load_sheet(&args.file, &grid, lang).map_err(|diagnostics| {
        Error::Diagnostics {
            context: Text::new("déclarations invalides", "invalid declarations")
                .about(args.file.display()),
            diagnostics,
        }
    })?;
    let yaml = imported.declarations.to_yaml(&grid.sdet_version);
    match &args.output {
        Some(path) => super::output::write_atomically(path, yaml.as_bytes())?,
        None => super::print(&yaml)?,
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{} {}",
        imported.declarations.by_criterion.len(),
        pick(lang, "déclaration(s) lue(s)", "declaration(s) read")
    );
    for (ids, fr, en) in [
        (
            &imported.blank,
            "critère(s) à la déclaration vide, non déclaré(s)",
            "criteria with a blank declaration, not declared",
        ),
        (
            &imported.missing,
            "critère(s) sans ligne, non déclaré(s)",
            "criteria with no row, not declared",
        ),
    ] {
        if !ids.is_empty() {
            let _ = writeln!(
                err,
                "{} {} : {}",
                ids.len(),
                pick(lang, fr, en),
                ids.join(", ")
            );
        }
    }
    Ok(crate::exit::CONFORME)
}

/// `grids import` arguments.
#[derive(Debug, Args)]
pub struct GridImportArgs {
    /// The spreadsheet holding the grid (.ods, .xlsx, .csv).
    pub file: PathBuf,
    /// The mapping file (YAML) naming its columns, axes and levels.
    #[arg(long, value_name = "YAML")]
    pub mapping: PathBuf,
    /// The grids folder to write into; the grid goes to DIR/<sdet_version>/.
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
}

/// `grids import`: builds the grid folder, then lints it like `grids lint`.
pub fn import_grid(args: &GridImportArgs) -> Result<u8, Error> {
    let invalid = |context: Text, diagnostics| Error::Diagnostics {
        context: context.about(args.file.display()),
        diagnostics,
    };
    let text = crate::input::read_text(&args.mapping, crate::input::MAX_CONFIG_BYTES)?;
    let file = crate::diagnostic::SourceFile::new(args.mapping.display().to_string(), text);
    // Named by its own path: the problem is in the mapping, not in the spreadsheet.
    let mapping = crate::grid::import::mapping(&file).map_err(|d| Error::Diagnostics {
        context: Text::new(
            "le fichier de correspondance est invalide",
            "invalid mapping",
        )
        .about(args.mapping.display()),
        diagnostics: vec![d],
    })?;
    let sheets = sheet::read(&args.file).map_err(|e| {
        invalid(
            Text::new("tableur illisible", "unreadable spreadsheet"),
            vec![crate::diagnostic::Diagnostic::worded(
                crate::diagnostic::Code::Sheet,
                e.wording(),
            )],
        )
    })?;
    let shipped = crate::data::Store::grids(None);
    let newest = crate::grid::newest_version(&shipped).unwrap_or_default();
    let scoring = shipped
        .read(&format!("{newest}/scoring.yaml"))
        .map_err(|d| invalid(Text::same("scoring.yaml"), vec![d]))?;
    let files = crate::grid::import::build(&sheets, &mapping, &scoring.text).map_err(|d| {
        invalid(
            Text::new(
                "la grille ne peut être importée",
                "the grid cannot be imported",
            ),
            d,
        )
    })?;
    if mapping.sdet_version.contains(['/', '\\']) || mapping.sdet_version.starts_with('.') {
        return Err(Error::Usage(sdet_core::fr_en!(
            "sdet_version `{}` doit être un nom de dossier",
            "sdet_version `{}` must be a folder name",
            mapping.sdet_version
        )));
    }
    let dir = args.output.join(&mapping.sdet_version);
    if dir.exists() {
        return Err(Error::Usage(sdet_core::fr_en!(
            "{} existe déjà",
            "{} already exists",
            dir.display()
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })?;
    }
    let (catalog, mut diagnostics) = crate::catalog::load(&crate::data::Store::probes(None));
    let loaded = crate::grid::load(
        &crate::data::Store::grids(Some(&args.output)),
        &mapping.sdet_version,
        &catalog,
    );
    diagnostics.extend(loaded.diagnostics);
    if let Some(grid) = loaded.grid.filter(|_| diagnostics.is_empty()) {
        // The command line's language, which errors are shown in too.
        let done = sdet_core::fr_en!(
            "ok : {} ({} critères) — sdet-audit grids diff {newest} {} --grids {}\n",
            "ok: {} ({} criteria) — sdet-audit grids diff {newest} {} --grids {}\n",
            dir.display(),
            grid.criteria.len(),
            mapping.sdet_version,
            args.output.display()
        );
        super::print(done.shown())?;
        Ok(crate::exit::CONFORME)
    } else {
        Err(invalid(
            Text::new(
                "la grille écrite ne passe pas `grids lint`",
                "the written grid fails `grids lint`",
            ),
            diagnostics,
        ))
    }
}
