//! Per-axis charts as inline SVG geometry: for each level, a bar for the *note théorique* and
//! one for the *note pratique*, each with a thin bar beneath for its coverage, so a high score on
//! few verified criteria shows as a short coverage line. Geometry is computed here (and tested)
//! so the template only draws rectangles and labels.

use serde::Serialize;

use super::super::Report;
use super::super::labels::{self, number, percent};
use sdet_core::score::Cell;
use sdet_core::text::{Lang, pick};

/// Width of a full (100 %) bar.
const TRACK: f64 = 260.0;
/// Where bars start (after the row label).
const LEFT: f64 = 110.0;
/// Height of one level block.
const BLOCK: f64 = 74.0;

/// One axis chart.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The axis name.
    pub title: String,
    /// What the chart says, for screen readers.
    pub summary: String,
    /// SVG width.
    pub width: f64,
    /// SVG height.
    pub height: f64,
    /// Rectangles.
    pub rects: Vec<Rect>,
    /// Text labels.
    pub texts: Vec<Label>,
}

/// A rectangle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// CSS class.
    pub class: &'static str,
}

/// A text label.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// Anchor x.
    pub x: f64,
    /// Baseline y.
    pub y: f64,
    /// The text.
    pub text: String,
    /// CSS class.
    pub class: &'static str,
}

/// The chart of one axis, or `None` when no criterion of it applies.
pub fn axis(report: &Report, axis: &str, lang: Lang) -> Option<Chart> {
    let cells: Vec<(&Cell, &Cell)> = labels::score_rows(report)
        .filter(|(t, _)| t.axis == axis)
        .collect();
    if cells.is_empty() {
        return None;
    }
    let mut chart = Chart {
        title: labels::axis(report, axis, lang).to_string(),
        summary: String::new(),
        width: LEFT + TRACK + 150.0,
        #[allow(clippy::cast_precision_loss)] // two levels at most
        height: BLOCK * cells.len() as f64,
        rects: Vec::new(),
        texts: Vec::new(),
    };
    let mut summary = Vec::new();
    for (i, (t, p)) in cells.into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // two levels at most
        let top = BLOCK * i as f64;
        let level = labels::cell_level(t, lang);
        chart.texts.push(Label {
            x: 0.0,
            y: top + 12.0,
            text: format!("{level} ({})", t.applicable),
            class: "level",
        });
        bar(
            &mut chart,
            top + 18.0,
            pick(lang, "théorique", "declared"),
            t,
            "theoretical",
            lang,
        );
        bar(
            &mut chart,
            top + 40.0,
            pick(lang, "pratique", "verified"),
            p,
            "practical",
            lang,
        );
        summary.push(format!(
            "{level} : {} {}, {} {}",
            pick(lang, "théorique", "declared"),
            percent(t.percent, lang),
            pick(lang, "pratique", "verified"),
            percent(p.percent, lang),
        ));
    }
    chart.summary = format!("{} — {}", chart.title, summary.join(" ; "));
    Some(chart)
}

fn bar(chart: &mut Chart, y: f64, name: &str, cell: &Cell, class: &'static str, lang: Lang) {
    chart.texts.push(Label {
        x: 0.0,
        y: y + 9.0,
        text: name.to_string(),
        class: "name",
    });
    chart.rects.push(Rect {
        x: LEFT,
        y,
        w: TRACK,
        h: 10.0,
        class: "track",
    });
    if let Some(p) = cell.percent {
        chart.rects.push(Rect {
            x: LEFT,
            y,
            w: scale(p),
            h: 10.0,
            class,
        });
    }
    chart.rects.push(Rect {
        x: LEFT,
        y: y + 12.0,
        w: TRACK,
        h: 3.0,
        class: "track",
    });
    chart.rects.push(Rect {
        x: LEFT,
        y: y + 12.0,
        w: scale(cell.coverage),
        h: 3.0,
        class: "coverage",
    });
    chart.texts.push(Label {
        x: LEFT + TRACK + 8.0,
        y: y + 9.0,
        text: percent(cell.percent, lang),
        class: "value",
    });
    chart.texts.push(Label {
        x: LEFT + TRACK + 64.0,
        y: y + 9.0,
        text: format!(
            "{} {} %",
            pick(lang, "couv.", "cov."),
            number(cell.coverage, lang)
        ),
        class: "cov",
    });
}

fn scale(percent: f64) -> f64 {
    (percent.clamp(0.0, 100.0) * TRACK / 100.0 * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_track_and_clamp() {
        assert!((scale(50.0) - 130.0).abs() < 1e-9);
        assert!((scale(150.0) - TRACK).abs() < 1e-9);
        assert!(scale(-3.0).abs() < 1e-9);
    }
}
