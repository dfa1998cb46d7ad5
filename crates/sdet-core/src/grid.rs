//! The grid: the SDET's exigences and recommandations as data, one file per axis, one folder per
//! SDET version. This module holds the validated types every later stage relies on; `load` reads
//! and validates the YAML, collecting every problem before anything runs.

pub mod diff;

mod formula;
pub mod import;
mod load;
mod raw;
mod validate;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::vocab::Status;
use crate::vocab::Verdict;

pub use load::{LoadedGrid, available_versions, load, newest_version};

/// A criterion's level, as the SDET words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// "doit / ne doit pas / exigé": RFC 2119 MUST.
    Exigence,
    /// "devrait / recommandé": RFC 2119 SHOULD.
    Recommandation,
}

impl Level {
    /// Both levels, exigences first.
    pub const ALL: [Level; 2] = [Level::Exigence, Level::Recommandation];

    /// The level's name in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Exigence => "exigence",
            Level::Recommandation => "recommandation",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who carries a criterion's duty. An audit of a vendor's ENT grades the vendor's duties; the
/// others are listed as context, since the vendor can neither meet nor break them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The ENT vendor (éditeur), processor of the ENT's data.
    Editeur,
    /// The project owner (collectivité, académie or both) that commissions the ENT.
    PorteurDeProjet,
    /// The académie (rectorat), e.g. as the source of the annuaire feeds.
    Academie,
    /// The data controller (IA-DASEN or head of school for the ENT processing).
    ResponsableDeTraitement,
}

impl Party {
    /// Every party.
    pub const ALL: [Party; 4] = [
        Party::Editeur,
        Party::PorteurDeProjet,
        Party::Academie,
        Party::ResponsableDeTraitement,
    ];

    /// The party's name in the data files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Party::Editeur => "editeur",
            Party::PorteurDeProjet => "porteur_de_projet",
            Party::Academie => "academie",
            Party::ResponsableDeTraitement => "responsable_de_traitement",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// How a criterion can be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// Entirely by probes against the live ENT.
    Automatic,
    /// Probes cover part of it; the vendor proves the rest.
    Mixed,
    /// Only the vendor's proof can show it.
    Declarative,
}

impl Verification {
    /// Every mode.
    pub const ALL: [Verification; 3] = [
        Verification::Automatic,
        Verification::Mixed,
        Verification::Declarative,
    ];

    /// The mode's name in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Automatic => "automatic",
            Verification::Mixed => "mixed",
            Verification::Declarative => "declarative",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A school degree: the SDET distinguishes the 1er degré (primary) from the 2nd (secondary).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Degree {
    /// Premier degré (écoles).
    #[serde(rename = "1d")]
    First,
    /// Second degré (collèges, lycées).
    #[serde(rename = "2d")]
    Second,
}

impl Degree {
    /// Both degrees.
    pub const ALL: [Degree; 2] = [Degree::First, Degree::Second];

    /// The degree's name in the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::First => "1d",
            Degree::Second => "2d",
        }
    }

    /// Parses `1d` or `2d`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One place in the SDET a criterion comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdetRef {
    /// The SDET version the text was read in.
    pub version: String,
    /// Which document of that version (document principal, annexe opérationnelle, …).
    pub document: String,
    /// The section number as the SDET numbers it.
    pub section: String,
}

impl fmt::Display for SdetRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SDET {} — {} §{}",
            self.version, self.document, self.section
        )
    }
}

/// What kind of text a `source` provenance is (research/sdet.md §0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Evidence {
    /// The SDET's own text.
    S,
    /// The SDET as a secondary source quotes or reports it.
    S2,
    /// Ministry doctrine the SDET sends to.
    D,
    /// Law or regulation.
    L,
    /// Implementation or protocol practice (no normative text read).
    I,
    /// Hypothesis: the team's inference from a text that does not say it (e.g. "HTTPS" from
    /// "de façon sécurisée"), to be checked against the SDET itself.
    H,
}

impl Evidence {
    /// Every label.
    pub const ALL: [Evidence; 6] = [
        Evidence::S,
        Evidence::S2,
        Evidence::D,
        Evidence::L,
        Evidence::I,
        Evidence::H,
    ];

    /// Whether a text of this kind can confirm a criterion's level: a normative text read directly
    /// or through a faithful report. Implementation practice and our own inferences cannot.
    pub fn confirms_level(self) -> bool {
        matches!(self, Evidence::S | Evidence::S2 | Evidence::D | Evidence::L)
    }

    /// The label as written in the grid files.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::S => "S",
            Evidence::S2 => "S2",
            Evidence::D => "D",
            Evidence::L => "L",
            Evidence::I => "I",
            Evidence::H => "H",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a criterion's text was read, or the admission that it was not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Read in a stored text: its address and the kind of evidence (S, S2, D, L, I).
    Source {
        /// URL or repository path of the text.
        source: String,
        /// Evidence label.
        evidence: Evidence,
    },
    /// Known requirement whose text could not be found: the section it is believed to sit in.
    ToVerify(String),
}

/// A probe that verifies a criterion, with the one line that says why it checks exactly what
/// the criterion says (shown by `grids show`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyLink {
    /// The probe id.
    pub probe: String,
    /// Why this probe's observation is the criterion's.
    pub why: Text,
}

/// One exigence or recommandation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id, e.g. `SSO-CAS-03`.
    pub id: String,
    /// The axis id it belongs to.
    pub axis: String,
    /// Exigence or recommandation.
    pub level: Level,
    /// Why the level is still to confirm although the text was read (the text carries no level,
    /// or does not plainly apply); `None` when the provenance alone decides.
    #[serde(default)]
    pub level_to_confirm: Option<String>,
    /// Who carries the duty.
    pub party: Party,
    /// The SDET's own modal or label (DOIT, devrait, exigé…), when known.
    pub keyword: Option<String>,
    /// Short title in our own words.
    pub title: Text,
    /// Where in the SDET (one or more places).
    pub sdet_refs: Vec<SdetRef>,
    /// The degrees it applies to.
    pub applies_to: Vec<Degree>,
    /// The ENT profile or service concerned, if narrower than the whole ENT.
    pub scope: Option<String>,
    /// How it can be verified.
    pub verification: Verification,
    /// Every probe linked to it, verifying ones first: the plan runs them all.
    pub probes: Vec<String>,
    /// Probes that observe exactly what it says, each with why: only they can pass it.
    #[serde(default)]
    pub verified_by: Vec<VerifyLink>,
    /// Probes whose evidence is related but weaker: shown beside the verdict, never deciding it.
    #[serde(default)]
    pub supported_by: Vec<String>,
    /// What a vendor must supply as proof (declarative and mixed criteria).
    pub proof: Option<Text>,
    /// Why it matters.
    pub rationale: Option<Text>,
    /// How to fix a failure.
    pub remediation: Option<Text>,
    /// Where its text was read.
    pub provenance: Provenance,
}

impl Criterion {
    /// Whether the criterion's level was read in a normative text. A `to_verify` criterion's level
    /// (or one resting on practice or inference) is a guess: reported and scored apart, it never
    /// decides an audit's outcome unless the user says so (`--strict-levels`).
    pub fn level_confirmed(&self) -> bool {
        self.level_to_confirm.is_none()
            && matches!(&self.provenance, Provenance::Source { evidence, .. } if evidence.confirms_level())
    }

    /// Whether `probe` verifies this criterion (rather than only supporting it).
    pub fn verified_by(&self, probe: &str) -> bool {
        self.verified_by.iter().any(|l| l.probe == probe)
    }

    /// Whether the criterion applies to an ENT covering `degrees`.
    pub fn applies_to_any(&self, degrees: &[Degree]) -> bool {
        degrees.iter().any(|d| self.applies_to.contains(d))
    }
}

/// An analysis axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Axis {
    /// Short id, e.g. `technique`.
    pub id: String,
    /// Display name.
    pub name: Text,
}

/// A document the grid was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSource {
    /// Short id.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Where its stored text was read.
    pub url: String,
}

/// The scoring formula shipped beside a grid (versioned, so a report says which one it used).
/// Its maps are keyed by the enums they price, and validation makes every priced key present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formula {
    /// Bumped whenever the numbers below change.
    pub formula_version: u32,
    /// Weight of a criterion by level, used when axes are summed.
    pub weights: BTreeMap<Level, f64>,
    /// Points per declaration status (théorique): conforme, partiel, non_conforme.
    pub declared_points: BTreeMap<Status, f64>,
    /// Points per verdict (pratique): pass and fail, the only verdicts assessed.
    pub verdict_points: BTreeMap<Verdict, f64>,
}

/// A validated grid: one SDET version's criteria on four axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// The SDET version.
    pub sdet_version: String,
    /// The grid's title.
    pub title: Text,
    /// When that SDET version came into force, if known.
    pub published: Option<String>,
    /// Documents the grid was built from.
    pub sources: Vec<GridSource>,
    /// The axes, in display order.
    pub axes: Vec<Axis>,
    /// Every criterion, axis by axis, in file order.
    pub criteria: Vec<Criterion>,
    /// The scoring formula.
    pub formula: Formula,
}

impl Grid {
    /// Looks a criterion up by id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// Looks an axis up by id.
    pub fn axis(&self, id: &str) -> Option<&Axis> {
        self.axes.iter().find(|a| a.id == id)
    }
}
