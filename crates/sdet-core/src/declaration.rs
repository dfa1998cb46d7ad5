//! Declarations: the vendor's self-assessment, criterion by criterion. They make the *note
//! théorique*; set beside verified verdicts they reveal the gaps (declared conforme, verified fail).
//! They come as YAML or as the filled spreadsheet `grids export` writes (`sheet`).

pub mod sheet;
pub mod workbook;
mod write;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::grid::Grid;
use crate::text::{Lang, Text};
use crate::yaml;

pub use crate::vocab::Status;

/// One declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    /// The declared status.
    pub status: Status,
    /// Why the vendor says so.
    pub justification: Option<String>,
    /// Where the proof is.
    pub proof: Option<String>,
}

/// The vendor's declarations file, validated against a grid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declarations {
    /// Who declares.
    pub vendor: Option<String>,
    /// Declarations by criterion id.
    pub by_criterion: BTreeMap<String, Declaration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    sdet_version: Option<String>,
    #[serde(default)]
    vendor: Option<String>,
    #[serde(default)]
    declarations: BTreeMap<String, RawDeclaration>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeclaration {
    status: Spanned<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    proof: Option<String>,
}

impl Declarations {
    /// Reads `path` and checks every entry against `grid`, collecting every problem: YAML, or a
    /// spreadsheet (`.ods`, `.xlsx`, `.csv`) with the headers `grids export` writes, whose
    /// problems are worded in `lang`.
    pub fn load(path: &Path, grid: &Grid, lang: Lang) -> Result<Declarations, Vec<Diagnostic>> {
        if crate::sheet::SheetFormat::from_path(path).is_some() {
            return Self::load_sheet(path, grid, lang).map(|i| i.declarations);
        }
        let text = crate::input::read_text(path, crate::input::MAX_CONFIG_BYTES).map_err(|e| {
            let why = e.wording();
            vec![Diagnostic::worded(
                Code::Io,
                Text::new(
                    format!(
                        "impossible de lire les déclarations {} : {}",
                        path.display(),
                        why.fr
                    ),
                    format!("cannot read declarations {}: {}", path.display(), why.en),
                ),
            )]
        })?;
        Self::parse(&SourceFile::new(path.display().to_string(), text), grid)
    }

    /// Reads a filled spreadsheet, keeping what was left undeclared.
    pub fn load_sheet(
        path: &Path,
        grid: &Grid,
        lang: Lang,
    ) -> Result<sheet::Imported, Vec<Diagnostic>> {
        let sheets = crate::sheet::read(path)
            .map_err(|e| vec![Diagnostic::worded(Code::Sheet, e.wording())])?;
        sheet::parse(&sheets, grid, lang)
    }

    /// The declarations as a YAML declarations file for SDET `sdet_version`.
    pub fn to_yaml(&self, sdet_version: &str) -> String {
        write::yaml(self, sdet_version)
    }

    /// Parses and validates declarations already in memory.
    pub fn parse(file: &SourceFile, grid: &Grid) -> Result<Declarations, Vec<Diagnostic>> {
        let raw: RawFile = yaml::parse(file).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        if let Some(v) = raw
            .sdet_version
            .as_ref()
            .filter(|v| **v != grid.sdet_version)
        {
            problems.push(Diagnostic::worded(
                Code::UnknownCriterion,
                crate::fr_en!(
                    "les déclarations sont pour le SDET {v} mais la grille est le SDET {}",
                    "declarations are for SDET {v} but the grid is SDET {}",
                    grid.sdet_version
                )
                .about(&file.name),
            ));
        }
        let mut by_criterion = BTreeMap::new();
        for (id, d) in raw.declarations {
            let status = Status::parse(&d.status.value);
            if status.is_none() {
                problems.push(
                    Diagnostic::worded(
                        Code::UnknownStatus,
                        crate::fr_en!(
                            "statut inconnu `{}` pour `{id}`",
                            "unknown status `{}` for `{id}`",
                            d.status.value
                        ),
                    )
                    .at(file, yaml::span_of(file, &d.status))
                    .help_in(Text::new(
                        "permis : conforme, partiel, non_conforme, non_applicable",
                        "allowed: conforme, partiel, non_conforme, non_applicable",
                    )),
                );
            }
            if grid.criterion(&id).is_none() {
                problems.push(
                    Diagnostic::worded(
                        Code::UnknownCriterion,
                        crate::fr_en!(
                            "`{id}` n'est pas un critère du SDET {}",
                            "`{id}` is not a criterion of SDET {}",
                            grid.sdet_version
                        ),
                    )
                    .at(file, yaml::span_of(file, &d.status))
                    .label_in(Text::new("déclaré ici", "declared here")),
                );
            }
            if let Some(status) = status {
                by_criterion.insert(
                    id,
                    Declaration {
                        status,
                        justification: d.justification,
                        proof: d.proof,
                    },
                );
            }
        }
        if problems.is_empty() {
            Ok(Declarations {
                vendor: raw.vendor,
                by_criterion,
            })
        } else {
            Err(problems)
        }
    }
}
