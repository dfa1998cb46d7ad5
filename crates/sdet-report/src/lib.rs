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

use serde::{Deserialize, Serialize};

use sdet_core::declaration::{Declarations, Status};
use sdet_core::evidence::{Exchange, Observation, Outcome, SourceLocation};
use sdet_core::exit;
use sdet_core::grid::{Grid, Level};
use sdet_core::plan::Plan;
use sdet_core::score::{self, Scored, Scores};
use sdet_core::target::Target;
use sdet_core::text::Text;
use sdet_core::verdict::{self, Verdict};
use sdet_core::waiver::{self, WaiverRow, Waivers};

pub use perimeter::Perimeter;

/// The JSON contract's version; bumped only on a breaking change.
pub const FORMAT_VERSION: u32 = 1;

/// The audit's overall outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// No applicable exigence failed or was left undecided.
    Conforme,
    /// An applicable exigence failed.
    NonConforme,
    /// Probe errors left an applicable exigence undecided, and none failed.
    Incomplete,
}

impl AuditOutcome {
    /// The outcome's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Conforme => "conforme",
            AuditOutcome::NonConforme => "non_conforme",
            AuditOutcome::Incomplete => "incomplete",
        }
    }
}

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
        self.level == Level::Exigence && (self.level_confirmed || strict)
    }

    /// Whether a probe is meant to decide it (a probe verifies it, not only supports it).
    pub fn verifiable(&self) -> bool {
        self.probes.iter().any(|p| !self.supports.contains(p))
    }
}

/// One probe's line, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeRow {
    /// Probe id.
    pub id: String,
    /// Family.
    pub family: sdet_core::catalog::Family,
    /// Outcome.
    pub outcome: Outcome,
    /// Why.
    pub message: Text,
    /// Expected value, when compared.
    pub expected: Option<String>,
    /// Observed value, when compared.
    pub observed: Option<String>,
    /// Criteria it verifies.
    pub criteria: Vec<String>,
    /// The redacted exchanges behind the outcome.
    pub evidence: Vec<Exchange>,
    /// Where in the files read the failure is (feed and export findings); added in 1.x.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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

/// Assembles the report from the stages' outputs, now.
pub fn build(
    grid: &Grid,
    target: &Target,
    declarations: &Declarations,
    waivers: &Waivers,
    plan: &Plan,
    observations: Vec<Observation>,
) -> Report {
    build_at(
        grid,
        target,
        declarations,
        waivers,
        plan,
        observations,
        time::OffsetDateTime::now_utc(),
    )
}

/// Assembles the report as of `now`: waivers expire against that date.
pub fn build_at(
    grid: &Grid,
    target: &Target,
    declarations: &Declarations,
    waivers: &Waivers,
    plan: &Plan,
    observations: Vec<Observation>,
    now: time::OffsetDateTime,
) -> Report {
    let mut criteria: Vec<CriterionRow> = grid
        .criteria
        .iter()
        .map(|c| {
            let declaration = declarations.by_criterion.get(&c.id);
            let judgement = verdict::judge(c, &target.degrees, &observations, declaration);
            let declared = declaration.map(|d| d.status);
            CriterionRow {
                id: c.id.clone(),
                axis: c.axis.clone(),
                level: c.level,
                level_confirmed: c.level_confirmed(),
                party: c.party,
                title: c.title.clone(),
                sdet_refs: c.sdet_refs.iter().map(ToString::to_string).collect(),
                declared,
                justification: declaration.and_then(|d| d.justification.clone()),
                proof: declaration.and_then(|d| d.proof.clone()),
                verdict: judgement.verdict,
                reason: judgement.reason,
                probes: c.probes.clone(),
                supports: c.supported_by.clone(),
                rationale: c.rationale.clone(),
                remediation: c.remediation.clone(),
                source: web_source(&c.provenance),
                theoretical_points: score::declared_points(&grid.formula, declared)
                    .filter(|_| judgement.verdict != Verdict::NotApplicable),
                practical_points: None,
                maximum: 1.0,
            }
        })
        .collect();
    // A gap is about what the vendor declared against what was verified: a waiver accepts the
    // failure, it does not make the declaration true, so gaps are taken before waivers.
    let gaps = criteria
        .iter()
        .filter(|r| r.declared == Some(Status::Conforme) && r.verdict == Verdict::Fail)
        .map(|r| r.id.clone())
        .collect();
    let waivers = apply_waivers(&mut criteria, waivers, now.date());
    for row in &mut criteria {
        row.practical_points = score::verdict_points(&grid.formula, row.verdict);
    }
    let outcome = outcome(&criteria, false);
    let scored: Vec<Scored<'_>> = criteria
        .iter()
        .map(|r| Scored {
            axis: &r.axis,
            level: r.level,
            confirmed: r.level_confirmed,
            declared: r.declared,
            verdict: r.verdict,
        })
        .collect();
    let perimeter = Perimeter::of(&criteria, false);
    let scores = score::compute(grid, &scored, outcome == AuditOutcome::Incomplete);
    let probes = plan
        .steps
        .iter()
        .zip(observations)
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
        generated_at: rfc3339(now),
        grid: GridInfo {
            sdet_version: grid.sdet_version.clone(),
            axes: grid.axes.clone(),
        },
        target: TargetInfo::of(target),
        outcome,
        gaps,
        criteria,
        probes,
        scores,
        waivers,
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

/// Applies each waiver to its criterion's verdict and reason, and records what became of it.
fn apply_waivers(
    criteria: &mut [CriterionRow],
    waivers: &Waivers,
    today: time::Date,
) -> Vec<WaiverRow> {
    let mut rows = Vec::new();
    for w in &waivers.items {
        let Some(row) = criteria.iter_mut().find(|r| r.id == w.criterion) else {
            continue;
        };
        let verified = row.verdict;
        let (status, verdict, note) = waiver::apply(w, verified, today);
        row.verdict = verdict;
        if let Some(note) = note {
            row.reason = Text::new(
                format!("{} — {}", note.fr, row.reason.fr),
                format!("{} — {}", note.en, row.reason.en),
            );
        }
        rows.push(WaiverRow {
            waiver: w.clone(),
            status,
            verified,
        });
    }
    rows
}

/// Any failed gating exigence makes the ENT non conforme: an exigence whose level is still to
/// confirm gates only when `strict`. Any undecided exigence, confirmed or not, makes the audit
/// incomplete: a probe error says the audit could not look, whatever the level, and an audit
/// whose probes all failed to connect must never pass as conforme.
fn outcome(criteria: &[CriterionRow], strict: bool) -> AuditOutcome {
    if criteria
        .iter()
        .any(|r| r.gates(strict) && r.verdict == Verdict::Fail)
    {
        AuditOutcome::NonConforme
    } else if criteria
        .iter()
        .any(|r| r.level == Level::Exigence && r.verdict == Verdict::Error)
    {
        AuditOutcome::Incomplete
    } else {
        AuditOutcome::Conforme
    }
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
