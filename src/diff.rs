//! `diff OLD NEW`: what changed between two runs — new failures, fixes, every other verdict
//! change — and, when the grid version changed too, which criteria were added or removed.
//! A CI job can fail only on what a change introduced: `diff` exits 1 when there is a new
//! failure, whatever was failing before.

use std::fmt::Write as _;

use serde::Serialize;

use crate::grid::Level;
use crate::report::labels::{self, percent};
use crate::report::{AuditOutcome, Report};
use crate::score::Overall;
use crate::text::{Lang, Text, pick};
use crate::verdict::Verdict;

/// One side of the diff.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The ENT.
    pub target: String,
    /// When.
    pub generated_at: String,
    /// SDET version.
    pub sdet_version: String,
    /// Outcome.
    pub outcome: AuditOutcome,
    /// Overall théorique.
    pub theoretical: Overall,
    /// Overall pratique.
    pub practical: Overall,
}

/// A criterion whose verdict changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Criterion id.
    pub id: String,
    /// Level.
    pub level: Level,
    /// Title.
    pub title: Text,
    /// Before.
    pub old: Verdict,
    /// After.
    pub new: Verdict,
    /// The new reason.
    pub reason: Text,
}

/// A criterion present on one side only.
#[derive(Debug, Clone, Serialize)]
pub struct Only {
    /// Criterion id.
    pub id: String,
    /// Level.
    pub level: Level,
    /// Title.
    pub title: Text,
}

/// What changed.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDiff {
    /// The older run.
    pub old: Side,
    /// The newer run.
    pub new: Side,
    /// Now failing, not failing before (including criteria new to the grid).
    pub new_failures: Vec<Change>,
    /// Failing before, passing now.
    pub fixes: Vec<Change>,
    /// Every other verdict change.
    pub other: Vec<Change>,
    /// In the new grid only.
    pub added: Vec<Only>,
    /// In the old grid only.
    pub removed: Vec<Only>,
}

/// Compares two reports.
pub fn build(old: &Report, new: &Report) -> ReportDiff {
    let side = |r: &Report| Side {
        target: r.target.name.clone(),
        generated_at: r.generated_at.clone(),
        sdet_version: r.grid.sdet_version.clone(),
        outcome: r.outcome,
        theoretical: r.scores.overall_theoretical.clone(),
        practical: r.scores.overall_practical.clone(),
    };
    let mut diff = ReportDiff {
        old: side(old),
        new: side(new),
        new_failures: Vec::new(),
        fixes: Vec::new(),
        other: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
    };
    for n in &new.criteria {
        let before = old.criteria.iter().find(|o| o.id == n.id);
        if before.is_none() {
            diff.added.push(Only {
                id: n.id.clone(),
                level: n.level,
                title: n.title.clone(),
            });
        }
        let was = before.map(|o| o.verdict);
        if was == Some(n.verdict) {
            continue;
        }
        let change = Change {
            id: n.id.clone(),
            level: n.level,
            title: n.title.clone(),
            old: was.unwrap_or(Verdict::NotTested),
            new: n.verdict,
            reason: n.reason.clone(),
        };
        match (change.old, change.new) {
            (_, Verdict::Fail) => diff.new_failures.push(change),
            (Verdict::Fail, Verdict::Pass) => diff.fixes.push(change),
            _ if was.is_some() => diff.other.push(change),
            _ => {}
        }
    }
    diff.removed = old
        .criteria
        .iter()
        .filter(|o| !new.criteria.iter().any(|n| n.id == o.id))
        .map(|o| Only {
            id: o.id.clone(),
            level: o.level,
            title: o.title.clone(),
        })
        .collect();
    diff
}

impl ReportDiff {
    /// 1 when something fails now that did not before, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.new_failures.is_empty() {
            crate::exit::CONFORME
        } else {
            crate::exit::NON_CONFORME
        }
    }
}

/// The diff as text (also valid Markdown).
pub fn render(d: &ReportDiff, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {} → {}\n",
        pick(lang, "Évolution", "Changes"),
        d.old.generated_at,
        d.new.generated_at
    );
    let _ = writeln!(
        out,
        "- {} : {} → {}\n- {} : {} → {}\n- {} : {} → {}\n- {} : SDET {} → SDET {}\n",
        pick(lang, "Résultat", "Outcome"),
        labels::outcome(d.old.outcome, lang),
        labels::outcome(d.new.outcome, lang),
        pick(lang, "Note théorique", "Declared score"),
        percent(d.old.theoretical.percent, lang),
        percent(d.new.theoretical.percent, lang),
        pick(lang, "Note pratique", "Verified score"),
        percent(d.old.practical.percent, lang),
        percent(d.new.practical.percent, lang),
        pick(lang, "Grille", "Grid"),
        d.old.sdet_version,
        d.new.sdet_version,
    );
    changes(
        &mut out,
        pick(lang, "Nouveaux échecs", "New failures"),
        &d.new_failures,
        lang,
    );
    changes(&mut out, pick(lang, "Corrigés", "Fixed"), &d.fixes, lang);
    changes(
        &mut out,
        pick(
            lang,
            "Autres changements de verdict",
            "Other verdict changes",
        ),
        &d.other,
        lang,
    );
    only(
        &mut out,
        pick(
            lang,
            "Critères ajoutés par la nouvelle grille",
            "Criteria added by the new grid",
        ),
        &d.added,
        lang,
    );
    only(
        &mut out,
        pick(
            lang,
            "Critères retirés de la grille",
            "Criteria removed from the grid",
        ),
        &d.removed,
        lang,
    );
    out
}

fn changes(out: &mut String, title: &str, list: &[Change], lang: Lang) {
    let _ = writeln!(out, "## {title} ({})\n", list.len());
    for c in list {
        let _ = writeln!(
            out,
            "- `{}` ({}) {} : {} → {} — {}",
            c.id,
            labels::level(c.level, lang),
            c.title.get(lang),
            labels::verdict(c.old, lang),
            labels::verdict(c.new, lang),
            c.reason.get(lang).replace('\n', " ")
        );
    }
    out.push('\n');
}

fn only(out: &mut String, title: &str, list: &[Only], lang: Lang) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title} ({})\n", list.len());
    for c in list {
        let _ = writeln!(
            out,
            "- `{}` ({}) {}",
            c.id,
            labels::level(c.level, lang),
            c.title.get(lang)
        );
    }
    out.push('\n');
}
