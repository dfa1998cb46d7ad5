//! The grid files' shapes as written (`grid.yaml`, one file per axis), with the spans of what
//! `validate` may have to point at. `load` reads them; `validate` turns them into a [`Grid`].
//!
//! [`Grid`]: super::Grid

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{GridSource, SdetRef};
use crate::text::Text;

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
