//! Waivers (*dérogations*): an accepted non-conformity, with a justification, an approver and an
//! expiry date checked against the run date. They are governed, not a mute button: an expired
//! waiver turns its criterion back into a failure and is listed as expired; a waiver whose
//! criterion now passes is listed as stale, so it can be withdrawn; and exigences cannot be
//! waived unless the audit's policy says so (`--allow-exigence-waivers`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::fr_en;
use crate::grid::{Grid, Level};
use crate::text::Text;
use crate::verdict::{Assessment, Verdict};
use crate::yaml;

/// One validated waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// The criterion waived.
    pub criterion: String,
    /// Why the non-conformity is accepted.
    pub justification: String,
    /// Who accepted it.
    pub approver: String,
    /// Last day the waiver holds (inclusive), `YYYY-MM-DD`.
    pub expires: String,
}

/// A waivers file, validated against a grid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waivers {
    /// The waivers, in file order.
    pub items: Vec<Waiver>,
}

/// What became of a waiver in one audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverStatus {
    /// In force: the failing criterion is reported `waived`.
    Applied,
    /// Past its date: the criterion counts as it was verified (a failure again).
    Expired,
    /// The criterion now passes: the waiver is no longer needed and should be withdrawn.
    Stale,
    /// The criterion did not fail (undecided, not tested, not applicable): nothing to waive.
    Unused,
}

impl WaiverStatus {
    /// The status's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            WaiverStatus::Applied => "applied",
            WaiverStatus::Expired => "expired",
            WaiverStatus::Stale => "stale",
            WaiverStatus::Unused => "unused",
        }
    }
}

/// A waiver as a report records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRow {
    /// The waiver.
    #[serde(flatten)]
    pub waiver: Waiver,
    /// What became of it.
    pub status: WaiverStatus,
    /// The verdict the probes gave, before the waiver.
    pub verified: Verdict,
}

/// Policy for loading waivers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaiverPolicy {
    /// Accept waivers on exigences (refused by default).
    pub allow_exigences: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waivers: Vec<RawWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    criterion: Spanned<String>,
    justification: Spanned<String>,
    approver: Spanned<String>,
    expires: Spanned<String>,
}

/// What is wrong with the criterion a waiver names, if anything: it does not exist, or it is an
/// exigence the policy does not let be waived.
fn criterion_problem(
    file: &SourceFile,
    grid: &Grid,
    policy: WaiverPolicy,
    criterion: &Spanned<String>,
) -> Option<Diagnostic> {
    let id = &criterion.value;
    let at = yaml::span_of(file, criterion);
    match grid.criterion(id) {
        None => Some(
            Diagnostic::worded(
                Code::UnknownCriterion,
                fr_en!(
                    "`{id}` n'est pas un critère du SDET {}",
                    "`{id}` is not a criterion of SDET {}",
                    grid.sdet_version
                ),
            )
            .at(file, at)
            .label_in(Text::new("dérogation ici", "waived here")),
        ),
        Some(c) if c.level == Level::Exigence && !policy.allow_exigences => Some(
            Diagnostic::worded(
                Code::WaiverOnExigence,
                fr_en!(
                    "`{id}` est une exigence : elle ne peut pas faire l'objet d'une dérogation",
                    "`{id}` is an exigence: it cannot be waived"
                ),
            )
            .at(file, at)
            .label_in(Text::new("une exigence", "an exigence"))
            .help_in(Text::new(
                "seules les recommandations peuvent faire l'objet d'une dérogation ; passez \
                 --allow-exigence-waivers si votre politique accepte des exigences dérogées",
                "only recommandations can be waived; pass --allow-exigence-waivers if your \
                 policy accepts waived exigences",
            )),
        ),
        Some(_) => None,
    }
}

impl Waivers {
    /// Reads `path` and checks every waiver against `grid`, collecting every problem.
    pub fn load(
        path: &Path,
        grid: &Grid,
        policy: WaiverPolicy,
    ) -> Result<Waivers, Vec<Diagnostic>> {
        let text = crate::input::read_text(path, crate::input::MAX_CONFIG_BYTES).map_err(|e| {
            let why = e.wording();
            vec![Diagnostic::worded(
                Code::Io,
                Text::new(
                    format!(
                        "impossible de lire les dérogations {} : {}",
                        path.display(),
                        why.fr
                    ),
                    format!("cannot read waivers {}: {}", path.display(), why.en),
                ),
            )]
        })?;
        Self::parse(
            &SourceFile::new(path.display().to_string(), text),
            grid,
            policy,
        )
    }

    /// Parses and validates waivers already in memory.
    pub fn parse(
        file: &SourceFile,
        grid: &Grid,
        policy: WaiverPolicy,
    ) -> Result<Waivers, Vec<Diagnostic>> {
        let raw: RawFile = yaml::parse(file).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        let mut items: Vec<Waiver> = Vec::new();
        for w in raw.waivers {
            let id = &w.criterion.value;
            let at = |s: &Spanned<String>| yaml::span_of(file, s);
            problems.extend(criterion_problem(file, grid, policy, &w.criterion));
            for (field, value) in [
                ("justification", &w.justification),
                ("approver", &w.approver),
            ] {
                if value.value.trim().is_empty() {
                    problems.push(
                        Diagnostic::worded(
                            Code::WaiverIncomplete,
                            fr_en!(
                                "la dérogation sur `{id}` a un champ {field} vide",
                                "the waiver on `{id}` has an empty {field}"
                            ),
                        )
                        .at(file, at(value))
                        .help_in(Text::new(
                            "une dérogation demande une justification et le nom de qui l'a approuvée",
                            "a waiver needs a justification and the name of who approved it",
                        )),
                    );
                }
            }
            if parse_date(&w.expires.value).is_none() {
                problems.push(
                    Diagnostic::worded(
                        Code::WaiverBadDate,
                        fr_en!(
                            "`{}` n'est pas une date (AAAA-MM-JJ)",
                            "`{}` is not a date (YYYY-MM-DD)",
                            w.expires.value
                        ),
                    )
                    .at(file, at(&w.expires))
                    .help_in(Text::new(
                        "expires: 2027-06-30 (le dernier jour où vaut la dérogation)",
                        "expires: 2027-06-30 (the last day the waiver holds)",
                    )),
                );
            }
            if items.iter().any(|x| x.criterion == *id) {
                problems.push(
                    Diagnostic::worded(
                        Code::DuplicateId,
                        fr_en!(
                            "`{id}` fait l'objet de deux dérogations",
                            "`{id}` is waived twice"
                        ),
                    )
                    .at(file, at(&w.criterion))
                    .help_in(Text::new(
                        "gardez une seule dérogation par critère",
                        "keep one waiver per criterion",
                    )),
                );
            }
            items.push(Waiver {
                criterion: id.clone(),
                justification: w.justification.value.trim().to_string(),
                approver: w.approver.value.trim().to_string(),
                expires: w.expires.value.trim().to_string(),
            });
        }
        if problems.is_empty() {
            Ok(Waivers { items })
        } else {
            Err(problems)
        }
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// Applies each waiver to its criterion's assessment (verdict and reason) as of `today`, and
/// records what became of it: the *waive* stage of an audit. A waiver naming no assessed
/// criterion is left out (the loader already refused unknown ids).
pub fn apply_all(
    assessments: &mut [Assessment],
    waivers: &Waivers,
    today: time::Date,
) -> Vec<WaiverRow> {
    let mut rows = Vec::new();
    for w in &waivers.items {
        let Some(assessed) = assessments.iter_mut().find(|a| a.criterion == w.criterion) else {
            continue;
        };
        let verified = assessed.verdict;
        let (status, verdict, note) = apply(w, verified, today);
        assessed.verdict = verdict;
        if let Some(note) = note {
            assessed.reason = Text::new(
                format!("{} — {}", note.fr, assessed.reason.fr),
                format!("{} — {}", note.en, assessed.reason.en),
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

/// Decides what a waiver does to a criterion verified as `verified` on `today`, and returns the
/// verdict to report and the reason to add.
pub fn apply(
    waiver: &Waiver,
    verified: Verdict,
    today: time::Date,
) -> (WaiverStatus, Verdict, Option<Text>) {
    // A date the loader accepted always parses; an unparsable one is treated as expired.
    let expired = parse_date(&waiver.expires).is_none_or(|d| d < today);
    let by = format!("{} ; {}", waiver.justification, waiver.approver);
    let by_en = format!("{}; {}", waiver.justification, waiver.approver);
    match verified {
        Verdict::Pass => (
            WaiverStatus::Stale,
            verified,
            Some(Text::new(
                format!(
                    "dérogation inutile : le critère est désormais conforme (dérogation jusqu'au {})",
                    waiver.expires
                ),
                format!(
                    "stale waiver: the criterion now passes (waiver until {})",
                    waiver.expires
                ),
            )),
        ),
        Verdict::Fail if expired => (
            WaiverStatus::Expired,
            verified,
            Some(Text::new(
                format!(
                    "dérogation expirée le {} : l'échec compte de nouveau ({by})",
                    waiver.expires
                ),
                format!(
                    "waiver expired on {}: the failure counts again ({by_en})",
                    waiver.expires
                ),
            )),
        ),
        Verdict::Fail => (
            WaiverStatus::Applied,
            Verdict::Waived,
            Some(Text::new(
                format!("dérogation jusqu'au {} : {by}", waiver.expires),
                format!("waived until {}: {by_en}", waiver.expires),
            )),
        ),
        _ => (WaiverStatus::Unused, verified, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn waiver(expires: &str) -> Waiver {
        Waiver {
            criterion: "SEC-TLS-02".into(),
            justification: "migration planifiée".into(),
            approver: "RSSI".into(),
            expires: expires.into(),
        }
    }

    #[test]
    fn a_waiver_holds_through_its_last_day_then_expires() {
        let w = waiver("2027-03-31");
        assert_eq!(
            apply(&w, Verdict::Fail, date!(2027 - 03 - 31)).0,
            WaiverStatus::Applied
        );
        assert_eq!(
            apply(&w, Verdict::Fail, date!(2027 - 03 - 31)).1,
            Verdict::Waived
        );
        let (status, verdict, _) = apply(&w, Verdict::Fail, date!(2027 - 04 - 01));
        assert_eq!((status, verdict), (WaiverStatus::Expired, Verdict::Fail));
    }

    #[test]
    fn passing_criteria_make_stale_waivers_and_undecided_ones_leave_them_unused() {
        let w = waiver("2027-03-31");
        assert_eq!(
            apply(&w, Verdict::Pass, date!(2026 - 01 - 01)).0,
            WaiverStatus::Stale
        );
        let (status, verdict, reason) = apply(&w, Verdict::Error, date!(2026 - 01 - 01));
        assert_eq!(
            (status, verdict, reason),
            (WaiverStatus::Unused, Verdict::Error, None)
        );
    }
}
