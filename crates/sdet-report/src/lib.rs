//! The report: the JSON contract (`format_version: 1`) and the one model every renderer reads.
//! It is assembled once from the stages before it; renderers are pure functions of it, and the
//! exit code is computed from it, in one place.

pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod labels;
pub mod markdown;
pub mod perimeter;
pub mod read;
pub mod sarif;
pub mod signer;
pub mod terminal;
mod wire;

use serde::{Deserialize, Serialize};

use sdet_core::declaration::{Declarations, Status};
use sdet_core::evidence::{Exchange, Observation, Outcome, SourceLocation};
use sdet_core::exit;
use sdet_core::grid::{Grid, Level};
use sdet_core::plan::Plan;
use sdet_core::score::{self, Scored, Scores};
use sdet_core::target::Target;
use sdet_core::text::Text;
use sdet_core::verdict::{Assessment, Verdict};
use sdet_core::waiver::WaiverRow;

pub use perimeter::Perimeter;
pub use sdet_core::score::AuditOutcome;

/// The JSON contract's version; bumped only on a breaking change.
pub const FORMAT_VERSION: u32 = 1;

/// The tool that wrote the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// `sdet-audit`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// The grid the audit used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridInfo {
    /// SDET version.
    pub sdet_version: String,
    /// Axes, in order, with names.
    pub axes: Vec<sdet_core::grid::Axis>,
}

/// The ENT audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInfo {
    /// Its name.
    pub name: String,
    /// Degrees in scope.
    pub degrees: Vec<sdet_core::grid::Degree>,
    /// The target file, relative to the working directory when it lies under it: where
    /// configuration findings point (added in 1.x; absent from older reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The line of each block of the target file (`cas`, `interop.ical`…), so a finding can
    /// point at the configuration it is about.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub lines: std::collections::BTreeMap<String, u64>,
}

impl TargetInfo {
    /// What a report says about `target`.
    fn of(target: &Target) -> Self {
        Self {
            name: target.name.clone(),
            degrees: target.degrees.clone(),
            file: target.source.file.clone(),
            lines: target.source.lines.clone(),
        }
    }
}

/// One criterion's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionRow {
    /// Criterion id.
    pub id: String,
    /// Axis id.
    pub axis: String,
    /// Level.
    pub level: Level,
    /// Whether the level was read in a normative text; `false`: "niveau à confirmer", reported
    /// and scored apart, never deciding the outcome without `--strict-levels`. Reports written
    /// before this field treated every level as confirmed.
    #[serde(default = "confirmed")]
    pub level_confirmed: bool,
    /// Who carries the duty; a vendor audit grades only `editeur` duties and lists the others as
    /// context (`not_applicable`). Reports written before this field graded every criterion.
    #[serde(default = "vendor")]
    pub party: sdet_core::grid::Party,
    /// Title.
    pub title: Text,
    /// SDET references, as text.
    pub sdet_refs: Vec<String>,
    /// The vendor's declaration, if any.
    pub declared: Option<Status>,
    /// The vendor's justification for it.
    #[serde(default)]
    pub justification: Option<String>,
    /// Where the vendor says the proof is.
    #[serde(default)]
    pub proof: Option<String>,
    /// The verified verdict.
    pub verdict: Verdict,
    /// Why.
    pub reason: Text,
    /// Probe ids: every probe linked to the criterion.
    pub probes: Vec<String>,
    /// Of them, those that only support it: shown, never deciding the verdict.
    #[serde(default)]
    pub supports: Vec<String>,
    /// Why it matters (from the grid; added in 1.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Text>,
    /// How to fix a failure (from the grid; added in 1.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remediation: Option<Text>,
    /// The address where the criterion's text was read, when it is on the web (added in 1.x).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Points from the declaration (`null` when not counted).
    pub theoretical_points: Option<f64>,
    /// Points from the verdict (`null` when not assessed).
    pub practical_points: Option<f64>,
    /// Points possible for one criterion.
    pub maximum: f64,
}

fn confirmed() -> bool {
    true
}

fn vendor() -> sdet_core::grid::Party {
    sdet_core::grid::Party::Editeur
}

impl CriterionRow {
    /// Whether this criterion can decide the outcome: an exigence whose level is confirmed, or
    /// any exigence when `strict` (the certifier treats levels to confirm as confirmed).
    pub fn gates(&self, strict: bool) -> bool {
        self.scored().gates(strict)
    }

    /// The row as scoring sees it.
    pub fn scored(&self) -> Scored<'_> {
        Scored {
            axis: &self.axis,
            level: self.level,
            confirmed: self.level_confirmed,
            declared: self.declared,
            verdict: self.verdict,
        }
    }

    /// Whether a probe is meant to decide it (a probe verifies it, not only supports it).
    pub fn verifiable(&self) -> bool {
        self.probes.iter().any(|p| !self.supports.contains(p))
    }
}

/// One probe's line, with its evidence. In JSON (see [`wire::ProbeRow`]) `expected` and
/// `observed` stay the English strings they always were, and `expected_text` / `observed_text`
/// (added in 1.x) carry both wordings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "wire::ProbeRow", into = "wire::ProbeRow")]
pub struct ProbeRow {
    /// Probe id.
    pub id: String,
    /// Family.
    pub family: sdet_core::catalog::Family,
    /// Outcome.
    pub outcome: Outcome,
    /// Why.
    pub message: Text,
    /// Expected value, when compared, in both languages.
    pub expected: Option<Text>,
    /// Observed value, when compared, in both languages.
    pub observed: Option<Text>,
    /// Criteria it verifies.
    pub criteria: Vec<String>,
    /// The redacted exchanges behind the outcome.
    pub evidence: Vec<Exchange>,
    /// Where in the files read the failure is (feed and export findings); added in 1.x.
    pub locations: Vec<SourceLocation>,
    /// Wall time.
    pub duration_ms: u64,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Contract version.
    pub format_version: u32,
    /// Who wrote it.
    pub tool: Tool,
    /// When (RFC 3339, UTC).
    pub generated_at: String,
    /// Against which grid.
    pub grid: GridInfo,
    /// Of which ENT.
    pub target: TargetInfo,
    /// The outcome.
    pub outcome: AuditOutcome,
    /// Declared conforme, verified fail: the headline.
    pub gaps: Vec<String>,
    /// Every criterion.
    pub criteria: Vec<CriterionRow>,
    /// Every planned probe.
    pub probes: Vec<ProbeRow>,
    /// Théorique and pratique.
    pub scores: Scores,
    /// Every waiver given to the audit and what became of it (applied, expired, stale, unused).
    #[serde(default)]
    pub waivers: Vec<WaiverRow>,
    /// Whether exigences whose level is still to confirm were treated as confirmed
    /// (`--strict-levels`).
    #[serde(default)]
    pub strict_levels: bool,
    /// What was verified: the numbers behind the headline.
    #[serde(default)]
    pub perimeter: Perimeter,
    /// The outcome qualified by what was verified, as every human format shows it
    /// ("CONFORME sur le périmètre vérifié — 24/73 exigences vérifiées").
    #[serde(default)]
    pub headline: Text,
    /// Who signed the evidence bundle this report was read from (`report --from DIR`), when it
    /// is signed; absent otherwise, so an unsigned report reads as it always did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<signer::Signer>,
}

/// What the stages before the report concluded about one audit: everything the report is
/// assembled from. Each field is the output of one stage (see `sdet_audit::conclude`).
pub struct Conclusions<'a> {
    /// The grid audited against.
    pub grid: &'a Grid,
    /// The ENT audited.
    pub target: &'a Target,
    /// What the vendor declared (for each row's justification and proof).
    pub declarations: &'a Declarations,
    /// The probes planned, in the order of `observations`.
    pub plan: &'a Plan,
    /// One observation per plan step.
    pub observations: Vec<Observation>,
    /// Every criterion as judged, then waived, in grid order.
    pub assessments: Vec<Assessment>,
    /// The gaps, taken before waivers.
    pub gaps: Vec<String>,
    /// What became of each waiver.
    pub waivers: Vec<WaiverRow>,
    /// The outcome.
    pub outcome: AuditOutcome,
    /// Both scores.
    pub scores: Scores,
    /// When the audit ran.
    pub now: time::OffsetDateTime,
}

/// Assembles the report: the last stage before rendering, which decides nothing and only lays
/// out what the stages before it concluded.
pub fn assemble(c: Conclusions<'_>) -> Report {
    let formula = &c.grid.formula;
    let criteria: Vec<CriterionRow> = c
        .grid
        .criteria
        .iter()
        .zip(c.assessments)
        .map(|(criterion, assessed)| {
            let declaration = c.declarations.by_criterion.get(&criterion.id);
            // Points for a declaration count only where the criterion applies, as judged before
            // any waiver (a waiver changes a verdict, never whether the criterion applies).
            let judged = c
                .waivers
                .iter()
                .find(|w| w.waiver.criterion == criterion.id)
                .map_or(assessed.verdict, |w| w.verified);
            CriterionRow {
                id: criterion.id.clone(),
                axis: criterion.axis.clone(),
                level: criterion.level,
                level_confirmed: criterion.level_confirmed(),
                party: criterion.party,
                title: criterion.title.clone(),
                sdet_refs: criterion
                    .sdet_refs
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                declared: assessed.declared,
                justification: declaration.and_then(|d| d.justification.clone()),
                proof: declaration.and_then(|d| d.proof.clone()),
                verdict: assessed.verdict,
                reason: assessed.reason,
                probes: criterion.probes.clone(),
                supports: criterion.supported_by.clone(),
                rationale: criterion.rationale.clone(),
                remediation: criterion.remediation.clone(),
                source: web_source(&criterion.provenance),
                theoretical_points: score::declared_points(formula, assessed.declared)
                    .filter(|_| judged != Verdict::NotApplicable),
                practical_points: score::verdict_points(formula, assessed.verdict),
                maximum: 1.0,
            }
        })
        .collect();
    let perimeter = Perimeter::of(&criteria, false);
    let probes = c
        .plan
        .steps
        .iter()
        .zip(c.observations)
        .map(|(step, o)| ProbeRow {
            id: o.probe,
            family: step.probe.family,
            outcome: o.outcome,
            message: o.message,
            expected: o.expected,
            observed: o.observed,
            criteria: step.criteria.clone(),
            evidence: o.exchanges,
            locations: o.locations,
            duration_ms: o.duration_ms,
        })
        .collect();
    let mut report = Report {
        format_version: FORMAT_VERSION,
        tool: Tool {
            // The binary's name: this crate is one of its parts (they share the version).
            name: "sdet-audit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        generated_at: rfc3339(c.now),
        grid: GridInfo {
            sdet_version: c.grid.sdet_version.clone(),
            axes: c.grid.axes.clone(),
        },
        target: TargetInfo::of(c.target),
        outcome: c.outcome,
        gaps: c.gaps,
        criteria,
        probes,
        scores: c.scores,
        waivers: c.waivers,
        strict_levels: false,
        perimeter,
        headline: Text::default(),
        signature: None,
    };
    report.headline = headline(&report);
    report
}

/// Where the criterion's text was read, when it is a web address a reader can open.
fn web_source(provenance: &sdet_core::grid::Provenance) -> Option<String> {
    match provenance {
        sdet_core::grid::Provenance::Source { source, .. }
            if source.starts_with("https://") || source.starts_with("http://") =>
        {
            Some(source.clone())
        }
        _ => None,
    }
}

fn headline(report: &Report) -> Text {
    Text::new(
        labels::headline(report, sdet_core::text::Lang::Fr),
        labels::headline(report, sdet_core::text::Lang::En),
    )
}

/// The outcome of `rows`, decided as the audit decides it (`score::outcome`).
fn outcome(rows: &[CriterionRow], strict: bool) -> AuditOutcome {
    let scored: Vec<Scored<'_>> = rows.iter().map(CriterionRow::scored).collect();
    score::outcome(&scored, strict)
}

/// `now` as RFC 3339 to the second, as every date in a report is written.
pub fn rfc3339(now: time::OffsetDateTime) -> String {
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl Report {
    /// Treats exigences whose level is still to confirm as confirmed (`--strict-levels`): they
    /// now decide the outcome. A report is built without it, so this only ever tightens.
    pub fn strict_levels(&mut self) {
        self.strict_levels = true;
        self.outcome = outcome(&self.criteria, true);
        self.perimeter = Perimeter::of(&self.criteria, true);
        if self.outcome == AuditOutcome::Incomplete {
            // As when the audit was built: an incomplete audit gets no overall pratique grade.
            self.scores.overall_practical.percent = None;
        }
        self.headline = headline(self);
    }

    /// How many criteria have `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.criteria
            .iter()
            .filter(|r| r.verdict == verdict)
            .count()
    }
}

impl Report {
    /// The exit code this report calls for.
    pub fn exit_code(&self) -> u8 {
        match self.outcome {
            AuditOutcome::Conforme => exit::CONFORME,
            AuditOutcome::NonConforme => exit::NON_CONFORME,
            AuditOutcome::Incomplete => exit::INCOMPLETE,
        }
    }
}
