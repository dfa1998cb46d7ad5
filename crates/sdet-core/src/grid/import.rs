//! A grid built from a spreadsheet — the official grids were handed out one spreadsheet per axis,
//! collectivités attach theirs to tenders — whose columns a small mapping file names. Every cell
//! that cannot become a criterion is a diagnostic naming the cell, all at once; what can is
//! written as a grid folder (`grid.yaml`, one file per axis, the shipped `scoring.yaml`) that
//! `grid::load` then checks like any other. Imported criteria are declarative: which probes
//! verify a tender's criterion is the certifier's call, made in the written files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::{Level, Party};
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::sheet::ReadSheet;
use crate::text::Text;

/// The mapping file: which header holds what, and how the sheet's values read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The version name of the grid written (a folder name, e.g. `6.4-ao-region`).
    pub sdet_version: String,
    /// The grid's title.
    pub title: Text,
    /// Only these sheets (default: every sheet).
    #[serde(default)]
    pub sheets: Vec<String>,
    /// The headers of the columns, by what they hold.
    pub columns: MappedColumns,
    /// The axes: sheet value (or sheet name when there is no axis column) → axis id and name.
    pub axes: BTreeMap<String, MappedAxis>,
    /// Level values as the sheet writes them → `exigence` or `recommandation`.
    #[serde(default)]
    pub levels: BTreeMap<String, String>,
    /// Who carries the duties when no column says (default `editeur`).
    #[serde(default)]
    pub party: Option<String>,
    /// The document the criteria come from, for their SDET reference.
    pub document: String,
}

/// Column headers (first row of each sheet).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedColumns {
    /// The criterion id.
    pub id: String,
    /// The title (French).
    pub title: String,
    /// The level.
    pub level: String,
    /// The axis; without it, the sheet's name is the axis value.
    #[serde(default)]
    pub axis: Option<String>,
    /// The section of the reference document.
    #[serde(default)]
    pub reference: Option<String>,
    /// The title in English.
    #[serde(default)]
    pub title_en: Option<String>,
    /// What proof is expected.
    #[serde(default)]
    pub proof: Option<String>,
}

/// An axis of the written grid.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedAxis {
    /// Its id (the axis file's name).
    pub id: String,
    /// Its display name.
    pub name: Text,
}

/// The files of the written grid, by name, inside its version folder.
pub type GridFiles = Vec<(String, String)>;

/// Reads the mapping file's text.
pub fn mapping(file: &SourceFile) -> Result<Mapping, Diagnostic> {
    crate::yaml::parse(file)
}

struct Row {
    axis: String,
    id: String,
    level: Level,
    title: Text,
    section: String,
    proof: Option<String>,
    at: String,
}

/// Builds the grid files from `sheets` as `mapping` says, with `scoring` (a `scoring.yaml`).
// One pass over each sheet's rows, every check beside the cell it names; split, it would hand
// the same eight column indexes around.
#[allow(clippy::too_many_lines)]
pub fn build(
    sheets: &[ReadSheet],
    mapping: &Mapping,
    scoring: &str,
) -> Result<GridFiles, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let chosen = sheets
        .iter()
        .filter(|s| mapping.sheets.is_empty() || mapping.sheets.contains(&s.name));
    for sheet in chosen.filter(|s| !s.cells.is_empty()) {
        let Some(header) = sheet.rows().first().copied() else {
            continue;
        };
        let col = |name: &str| {
            sheet
                .cells
                .range((header, 0)..(header + 1, 0))
                .find(|(_, t)| t.trim().eq_ignore_ascii_case(name.trim()))
                .map(|((_, c), _)| *c)
        };
        let need = |name: &str, problems: &mut Vec<Diagnostic>| {
            let c = col(name);
            if c.is_none() {
                problems.push(Diagnostic::worded(
                    Code::SheetHeader,
                    crate::fr_en!(
                        "{} : pas de colonne « {name} » en ligne {}",
                        "{}: no \"{name}\" column in row {}",
                        sheet.name,
                        header + 1
                    ),
                ));
            }
            c
        };
        let (Some(id_col), Some(title_col), Some(level_col)) = (
            need(&mapping.columns.id, &mut problems),
            need(&mapping.columns.title, &mut problems),
            need(&mapping.columns.level, &mut problems),
        ) else {
            continue;
        };
        let axis_col = mapping
            .columns
            .axis
            .as_deref()
            .and_then(|a| need(a, &mut problems));
        let optional = |name: &Option<String>| name.as_deref().and_then(col);
        let (ref_col, en_col, proof_col) = (
            optional(&mapping.columns.reference),
            optional(&mapping.columns.title_en),
            optional(&mapping.columns.proof),
        );
        for r in sheet.rows().into_iter().filter(|r| *r > header) {
            let cell = |c: Option<u32>| {
                c.and_then(|c| sheet.get(r, c))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
            };
            let Some(id) = cell(Some(id_col)) else {
                if cell(Some(title_col)).is_some() {
                    problems.push(Diagnostic::worded(
                        Code::SheetRow,
                        crate::fr_en!(
                            "{} : critère sans identifiant",
                            "{}: criterion without an id",
                            sheet.cell_name(r, id_col)
                        ),
                    ));
                }
                continue;
            };
            let at = sheet.cell_name(r, id_col);
            if !super::validate::is_valid_id(id) {
                problems.push(Diagnostic::worded(
                    Code::BadId,
                    crate::fr_en!(
                        "{at} : « {id} » ne suit pas le schéma des identifiants (SSO-CAS-03)",
                        "{at}: \"{id}\" does not follow the id scheme (SSO-CAS-03)"
                    ),
                ));
                continue;
            }
            if let Some(first) = seen.insert(id.to_string(), at.clone()) {
                problems.push(Diagnostic::worded(
                    Code::DuplicateId,
                    crate::fr_en!(
                        "{at} : « {id} » déjà en {first}",
                        "{at}: \"{id}\" already at {first}"
                    ),
                ));
                continue;
            }
            let axis_value = axis_col.map_or(Some(sheet.name.as_str()), |c| cell(Some(c)));
            let axis = axis_value.and_then(|v| mapping.axes.get(v));
            let Some(axis) = axis else {
                let c = axis_col.map_or_else(|| sheet.name.clone(), |c| sheet.cell_name(r, c));
                problems.push(Diagnostic::worded(
                    Code::UnknownAxis,
                    crate::fr_en!(
                        "{c} : axe « {} » absent de `axes` du fichier de correspondance",
                        "{c}: axis \"{}\" not in the mapping's `axes`",
                        axis_value.unwrap_or("")
                    ),
                ));
                continue;
            };
            let level_text = cell(Some(level_col)).unwrap_or("");
            let level_name = mapping
                .levels
                .get(level_text)
                .map_or(level_text.to_lowercase(), Clone::clone);
            let Some(level) = Level::parse(&level_name) else {
                problems.push(Diagnostic::worded(
                    Code::UnknownLevel,
                    crate::fr_en!(
                        "{} : niveau « {level_text} » inconnu ; exigence, recommandation ou une \
                         valeur de `levels` attendu",
                        "{}: unknown level \"{level_text}\"; expected exigence, recommandation \
                         or a value of `levels`",
                        sheet.cell_name(r, level_col)
                    ),
                ));
                continue;
            };
            let Some(title) = cell(Some(title_col)) else {
                problems.push(Diagnostic::worded(
                    Code::SheetRow,
                    crate::fr_en!(
                        "{} : « {id} » sans titre",
                        "{}: \"{id}\" without a title",
                        sheet.cell_name(r, title_col)
                    ),
                ));
                continue;
            };
            rows.push(Row {
                axis: axis.id.clone(),
                id: id.to_string(),
                level,
                title: Text::new(title, cell(en_col).unwrap_or(title)),
                section: cell(ref_col).unwrap_or("").to_string(),
                proof: cell(proof_col).map(str::to_string),
                at,
            });
        }
    }
    let party = mapping.party.as_deref().unwrap_or("editeur");
    if Party::parse(party).is_none() {
        problems.push(Diagnostic::worded(
            Code::UnknownParty,
            crate::fr_en!("partie inconnue « {party} »", "unknown party \"{party}\""),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(files(&rows, mapping, party, scoring))
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn text(t: &Text) -> String {
    format!("{{ fr: {}, en: {} }}", q(&t.fr), q(&t.en))
}

fn files(rows: &[Row], mapping: &Mapping, party: &str, scoring: &str) -> GridFiles {
    // Axes in the order the spreadsheet first uses them.
    let mut axes: Vec<MappedAxis> = Vec::new();
    for row in rows {
        if !axes.iter().any(|a| a.id == row.axis)
            && let Some(axis) = mapping.axes.values().find(|a| a.id == row.axis)
        {
            axes.push(axis.clone());
        }
    }
    let mut manifest = format!(
        "# Écrit par `sdet-audit grids import`.\nsdet_version: {}\ntitle: {}\naxes:\n",
        q(&mapping.sdet_version),
        text(&mapping.title)
    );
    let mut out = Vec::new();
    for axis in &axes {
        let _ = writeln!(
            manifest,
            "  - id: {}\n    file: {}.yaml\n    name: {}",
            q(&axis.id),
            axis.id,
            text(&axis.name)
        );
        let mut body = format!("axis: {}\ncriteria:\n", q(&axis.id));
        for r in rows.iter().filter(|r| r.axis == axis.id) {
            let proof = r
                .proof
                .as_deref()
                .unwrap_or("Preuve à fournir selon le document de référence");
            let _ = write!(
                body,
                "  - id: {}\n    level: {}\n    party: {party}\n    title: {}\n    sdet_ref: {{ version: {}, document: {}, section: {} }}\n    applies_to: [1d, 2d]\n    verification: declarative\n    proof: {}\n    provenance: {{ to_verify: {} }}\n",
                q(&r.id),
                r.level.as_str(),
                text(&r.title),
                q(&mapping.sdet_version),
                q(&mapping.document),
                q(&r.section),
                text(&Text::new(proof, proof)),
                q(&format!("importé de {} ({})", mapping.document, r.at)),
            );
        }
        out.push((format!("{}.yaml", axis.id), body));
    }
    out.insert(0, ("grid.yaml".into(), manifest));
    out.push(("scoring.yaml".into(), scoring.to_string()));
    out
}
