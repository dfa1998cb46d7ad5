//! The HTML renderer: ONE self-contained file a person opens offline, mails, or prints. The page
//! comes from a template (`reports/templates/report.html`, minijinja with HTML auto-escaping, so
//! nothing the ENT sent can become markup) with its CSS inlined; the charts are inline SVG drawn
//! from geometry computed here. No external resource of any kind: no font, image, script or
//! style is fetched. Gaps come first, then the scores, what needs action, waivers, every
//! criterion, and every probe with its redacted evidence.

mod chart;

mod view;

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Value, context};

use serde::Serialize;

use super::labels::{self, number, percent};
use super::{CriterionRow, Report};
use chart::Chart;
use sdet_core::text::{Lang, pick};
use sdet_core::verdict::Verdict;

/// The page template.
pub const TEMPLATE: &str = include_str!("../../../reports/templates/report.html");
/// The stylesheet inlined into every page.
pub const CSS: &str = include_str!("../../../reports/templates/report.css");

/// Why a page could not be rendered (a template bug: tests render every template).
pub type RenderError = minijinja::Error;

/// Renders the report as one HTML page.
pub fn render(report: &Report, lang: Lang) -> Result<String, RenderError> {
    let env = environment("report.html", TEMPLATE)?;
    let rows: Vec<Row> = labels::gaps_first(report)
        .into_iter()
        .map(|r| Row::of(report, r, lang))
        .collect();
    let pick_rows =
        |f: &dyn Fn(&Row) -> bool| -> Vec<Row> { rows.iter().filter(|r| f(r)).cloned().collect() };
    let charts: Vec<Chart> = report
        .grid
        .axes
        .iter()
        .filter_map(|a| chart::axis(report, &a.id, lang))
        .collect();
    env.get_template("report.html")?.render(context! {
        lang => match lang { Lang::Fr => "fr", Lang::En => "en" },
        css => CSS,
        t => Value::from(Serde(&view::words(lang))),
        title => format!("{} SDET {} — {}", pick(lang, "Audit", "Audit"), report.grid.sdet_version, report.target.name),
        outcome => labels::headline(report, lang),
        outcome_class => report.outcome.as_str(),
        degrees => report.target.degrees.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", "),
        generated_at => &report.generated_at,
        signature => report.signature.as_ref().map(|s| s.line(lang)),
        tool => format!("{} {}", report.tool.name, report.tool.version),
        formula_version => report.scores.formula_version,
        overall_t => percent(report.scores.overall_theoretical.percent, lang),
        overall_t_cov => number(report.scores.overall_theoretical.coverage, lang),
        overall_p => percent(report.scores.overall_practical.percent, lang),
        overall_p_cov => number(report.scores.overall_practical.coverage, lang),
        incomplete => report.outcome == super::AuditOutcome::Incomplete,
        gaps => Value::from(Serde(&pick_rows(&|r| r.gap))),
        failed_exigences => Value::from(Serde(&pick_rows(&|r| r.verdict_class == "fail" && r.exigence))),
        failed_to_confirm => Value::from(Serde(&pick_rows(&|r| r.verdict_class == "fail" && r.to_confirm))),
        failed_recommandations => Value::from(Serde(&pick_rows(&|r| r.verdict_class == "fail" && !r.exigence && !r.to_confirm))),
        levels => labels::gating_line(report, lang),
        to_confirm => labels::to_confirm_line(report, lang),
        undecided => Value::from(Serde(&pick_rows(&|r| r.verdict_class == "error"))),
        charts => Value::from(Serde(&charts)),
        cells => Value::from(Serde(&view::cells(report, lang))),
        waivers => Value::from(Serde(&view::waivers(report, lang))),
        criteria => Value::from(Serde(&rows)),
        probes => Value::from(Serde(&view::probes(report, lang))),
    })
}

/// An environment with one template and HTML escaping always on.
pub fn environment(
    name: &'static str,
    source: &'static str,
) -> Result<Environment<'static>, RenderError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template(name, source)?;
    Ok(env)
}

/// One criterion as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    id: String,
    axis: String,
    level: String,
    /// An exigence that decides the outcome.
    exigence: bool,
    /// An exigence whose level is still to confirm (shown apart, not deciding).
    to_confirm: bool,
    title: String,
    refs: String,
    declared: &'static str,
    justification: Option<String>,
    proof: Option<String>,
    verdict: &'static str,
    verdict_class: &'static str,
    gap: bool,
    reason: String,
    theoretical: String,
    practical: String,
    probes: Vec<String>,
    remediation: Option<String>,
}

impl Row {
    fn of(report: &Report, r: &CriterionRow, lang: Lang) -> Self {
        let points = |p: Option<f64>| {
            p.map_or_else(
                || "—".to_string(),
                |p| format!("{}/{}", number(p, lang), number(r.maximum, lang)),
            )
        };
        Row {
            id: r.id.clone(),
            axis: labels::axis(report, &r.axis, lang).to_string(),
            level: labels::row_level(r, lang),
            exigence: r.gates(report.strict_levels),
            to_confirm: r.level == sdet_core::grid::Level::Exigence
                && !r.gates(report.strict_levels),
            title: r.title.get(lang).to_string(),
            refs: r.sdet_refs.join(" ; "),
            declared: labels::declared(r.declared, lang),
            justification: r.justification.clone(),
            proof: r.proof.clone(),
            verdict: labels::verdict(r.verdict, lang),
            verdict_class: verdict_class(r.verdict),
            gap: labels::is_gap(report, r),
            reason: r.reason.get(lang).to_string(),
            theoretical: points(r.theoretical_points),
            practical: points(r.practical_points),
            probes: r.probes.clone(),
            remediation: r.remediation.as_ref().map(|t| t.get(lang).to_string()),
        }
    }
}

/// The CSS class of a verdict.
pub fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Error => "error",
        Verdict::NotTested => "not-tested",
        Verdict::NotApplicable => "not-applicable",
        Verdict::Waived => "waived",
        Verdict::AutomatedPartVerified => "automated-part",
    }
}
