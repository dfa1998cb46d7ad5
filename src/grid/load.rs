//! Reads a grid folder (`grid.yaml`, one file per axis, `scoring.yaml`) into raw types that
//! mirror the files, then hands them to `validate`, which collects every problem.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::formula::RawFormula;
use super::{Grid, GridSource, SdetRef};
use crate::catalog::ProbeCatalog;
use crate::data::Store;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::text::Text;
use crate::yaml;

/// A grid as loaded: the grid when it is valid, and every diagnostic found on the way.
#[derive(Debug)]
pub struct LoadedGrid {
    /// The validated grid; `None` when any diagnostic was found.
    pub grid: Option<Grid>,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawManifest {
    pub sdet_version: String,
    pub title: Text,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub sources: Vec<GridSource>,
    pub axes: Vec<RawAxisEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAxisEntry {
    pub id: Spanned<String>,
    pub file: Spanned<String>,
    pub name: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAxisFile {
    pub axis: Spanned<String>,
    #[serde(default)]
    pub criteria: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub id: Spanned<String>,
    pub level: Spanned<String>,
    #[serde(default)]
    pub level_to_confirm: Option<String>,
    pub party: Spanned<String>,
    #[serde(default)]
    pub keyword: Option<String>,
    pub title: Text,
    #[serde(default)]
    pub sdet_ref: Option<SdetRef>,
    #[serde(default)]
    pub sdet_refs: Option<Vec<SdetRef>>,
    pub applies_to: Vec<Spanned<String>>,
    #[serde(default)]
    pub scope: Option<String>,
    pub verification: Spanned<String>,
    #[serde(default)]
    pub verified_by: Vec<RawVerifyLink>,
    #[serde(default)]
    pub supported_by: Vec<Spanned<String>>,
    #[serde(default)]
    pub proof: Option<Text>,
    #[serde(default)]
    pub rationale: Option<Text>,
    #[serde(default)]
    pub remediation: Option<Text>,
    pub provenance: Spanned<RawProvenance>,
}

/// A probe that verifies a criterion, and the one line that says why it checks exactly that.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVerifyLink {
    pub probe: Spanned<String>,
    #[serde(default)]
    pub why: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProvenance {
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
    #[serde(default)]
    pub to_verify: Option<String>,
}

/// The SDET versions the store holds a grid for, oldest first.
pub fn available_versions(store: &Store) -> Vec<String> {
    let mut versions: Vec<String> = store
        .subdirs()
        .into_iter()
        .filter(|v| store.exists(&format!("{v}/grid.yaml")))
        .collect();
    versions.sort_by_key(|v| version_key(v));
    versions
}

/// The newest SDET version the store holds a grid for.
pub fn newest_version(store: &Store) -> Option<String> {
    available_versions(store).pop()
}

/// Orders "6.10" after "6.4": numeric parts compare as numbers.
fn version_key(v: &str) -> Vec<u64> {
    v.split(['.', '-'])
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

/// Loads and validates the grid of `version`, checking probe references against `probes`.
pub fn load(store: &Store, version: &str, probes: &ProbeCatalog) -> LoadedGrid {
    let mut diagnostics = Vec::new();
    let grid = read_all(store, version, &mut diagnostics)
        .map(|(manifest, axes, formula)| {
            super::validate::validate(manifest, axes, formula, probes, &mut diagnostics)
        })
        .filter(|_| diagnostics.is_empty());
    LoadedGrid { grid, diagnostics }
}

type RawParts = (
    (SourceFile, RawManifest),
    Vec<(SourceFile, RawAxisFile)>,
    (SourceFile, RawFormula),
);

fn read_all(store: &Store, version: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<RawParts> {
    let manifest = read_yaml::<RawManifest>(store, &format!("{version}/grid.yaml"), diagnostics);
    let formula = read_yaml::<RawFormula>(store, &format!("{version}/scoring.yaml"), diagnostics);
    let (manifest_file, manifest) = manifest?;
    let mut axes = Vec::new();
    for entry in &manifest.axes {
        let rel = format!("{version}/{}", entry.file.value);
        if !store.exists(&rel) {
            diagnostics.push(
                Diagnostic::new(Code::AxisFile, format!("axis file `{rel}` does not exist"))
                    .at(&manifest_file, yaml::span_of(&manifest_file, &entry.file))
                    .label("declared here"),
            );
            continue;
        }
        if let Some(parsed) = read_yaml::<RawAxisFile>(store, &rel, diagnostics) {
            axes.push(parsed);
        }
    }
    Some(((manifest_file, manifest), axes, formula?))
}

fn read_yaml<T: serde::de::DeserializeOwned>(
    store: &Store,
    rel: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(SourceFile, T)> {
    let file = store.read(rel).map_err(|d| diagnostics.push(d)).ok()?;
    let value = yaml::parse::<T>(&file)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    Some((file, value))
}
