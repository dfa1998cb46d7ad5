//! Reads a grid folder (`grid.yaml`, one file per axis, `scoring.yaml`) into raw types that
//! mirror the files, then hands them to `validate`, which collects every problem.

use super::Grid;
use super::formula::RawFormula;
use super::raw::{RawAxisFile, RawManifest};
use crate::catalog::ProbeCatalog;
use crate::data::Store;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::yaml;

/// A grid as loaded: the grid when it is valid, and every diagnostic found on the way.
#[derive(Debug)]
pub struct LoadedGrid {
    /// The validated grid; `None` when any diagnostic was found.
    pub grid: Option<Grid>,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
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
                Diagnostic::worded(
                    Code::AxisFile,
                    crate::fr_en!(
                        "le fichier d'axe `{rel}` n'existe pas",
                        "axis file `{rel}` does not exist"
                    ),
                )
                .at(&manifest_file, yaml::span_of(&manifest_file, &entry.file))
                .label_in(crate::text::Text::new("déclaré ici", "declared here")),
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
