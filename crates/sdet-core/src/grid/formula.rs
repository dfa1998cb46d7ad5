//! Reads `scoring.yaml` into maps keyed by the enums they price (`Level`, `Status`, `Verdict`).
//! The keys used to be plain strings with a default of 0 points, so a typo (`conform:`) linted
//! clean and silently dropped every "conforme" declaration to zero. Now an unknown key, a key
//! that names something never scored, and a missing key are each a `sdet::scoring-key` error.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Formula, Level};
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::fr_en;
use crate::text::Text;
use crate::vocab::Status;
use crate::vocab::Verdict;
use crate::yaml::span_of;

/// `scoring.yaml` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFormula {
    formula_version: u32,
    weights: Spanned<BTreeMap<String, f64>>,
    declared_points: Spanned<BTreeMap<String, f64>>,
    verdict_points: Spanned<BTreeMap<String, f64>>,
}

/// What one map of the formula may hold: the keys it must price, and the names of the same
/// enum that exist but are never scored (so the message can say why they are refused).
struct Keys<K: 'static> {
    field: &'static str,
    priced: &'static [K],
    unpriced: &'static [K],
    name: fn(K) -> &'static str,
}

const WEIGHTS: Keys<Level> = Keys {
    field: "weights",
    priced: &Level::ALL,
    unpriced: &[],
    name: Level::as_str,
};

const DECLARED: Keys<Status> = Keys {
    field: "declared_points",
    priced: &[Status::Conforme, Status::Partiel, Status::NonConforme],
    // A criterion declared non_applicable leaves the théorique score: it earns no points.
    unpriced: &[Status::NonApplicable],
    name: Status::as_str,
};

const VERDICTS: Keys<Verdict> = Keys {
    field: "verdict_points",
    priced: &[Verdict::Pass, Verdict::Fail],
    // Only pass and fail are assessed; the others lower coverage instead of earning points.
    unpriced: &[
        Verdict::Error,
        Verdict::NotTested,
        Verdict::NotApplicable,
        Verdict::Waived,
        Verdict::AutomatedPartVerified,
    ],
    name: Verdict::as_str,
};

/// Validates the raw formula, pushing one diagnostic per bad or missing key.
pub(super) fn validate(
    file: &SourceFile,
    raw: &RawFormula,
    diagnostics: &mut Vec<Diagnostic>,
) -> Formula {
    Formula {
        formula_version: raw.formula_version,
        weights: keyed(file, &raw.weights, &WEIGHTS, diagnostics),
        declared_points: keyed(file, &raw.declared_points, &DECLARED, diagnostics),
        verdict_points: keyed(file, &raw.verdict_points, &VERDICTS, diagnostics),
    }
}

fn keyed<K: Copy + Ord>(
    file: &SourceFile,
    raw: &Spanned<BTreeMap<String, f64>>,
    keys: &Keys<K>,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<K, f64> {
    let field = keys.field;
    let expected = || {
        keys.priced
            .iter()
            .map(|k| (keys.name)(*k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut map = BTreeMap::new();
    for (key, value) in &raw.value {
        if let Some(k) = keys.priced.iter().find(|k| (keys.name)(**k) == key) {
            if !value.is_finite() || *value < 0.0 {
                diagnostics.push(
                    Diagnostic::worded(
                        Code::ScoringKey,
                        fr_en!(
                            "`{field}.{key}` doit être un nombre ≥ 0, pas {value}",
                            "`{field}.{key}` must be a number ≥ 0, not {value}"
                        ),
                    )
                    .at(file, key_span(file, raw, key)),
                );
            }
            map.insert(*k, *value);
            continue;
        }
        let message = if keys.unpriced.iter().any(|k| (keys.name)(*k) == key) {
            fr_en!(
                "`{key}` n'est jamais noté : `{field}` ne peut pas lui donner de points",
                "`{key}` is never scored, so `{field}` cannot price it"
            )
        } else {
            fr_en!(
                "clé inconnue `{key}` dans `{field}`",
                "unknown key `{key}` in `{field}`"
            )
        };
        diagnostics.push(
            Diagnostic::worded(Code::ScoringKey, message)
                .at(file, key_span(file, raw, key))
                .label_in(Text::new("ici", "here"))
                .help_in(fr_en!(
                    "`{field}` prend exactement : {}",
                    "`{field}` takes exactly: {}",
                    expected()
                )),
        );
    }
    for k in keys.priced.iter().filter(|k| !map.contains_key(*k)) {
        diagnostics.push(
            Diagnostic::worded(
                Code::ScoringKey,
                fr_en!(
                    "`{field}` ne donne pas de points à `{}`",
                    "`{field}` does not price `{}`",
                    (keys.name)(*k)
                ),
            )
            .at(file, span_of(file, raw))
            .label_in(Text::new("dans cette table", "in this map"))
            .help_in(fr_en!(
                "`{field}` prend exactement : {} (une clé absente ne vaut pas 0)",
                "`{field}` takes exactly: {} (a missing key is not read as 0)",
                expected()
            )),
        );
    }
    map
}

/// Where `key` is written inside the map `raw`: its first whole-word occurrence after the map's
/// start, or the map itself when it cannot be found (a key written with escapes, say).
fn key_span(
    file: &SourceFile,
    raw: &Spanned<BTreeMap<String, f64>>,
    key: &str,
) -> Option<miette::SourceSpan> {
    let map = span_of(file, raw)?;
    let text = file.text.as_str();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = map.offset();
    while let Some(found) = text.get(from..).and_then(|rest| rest.find(key)) {
        let start = from + found;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(miette::SourceSpan::new(start.into(), key.len()));
        }
        from = end;
    }
    Some(map)
}
