//! Turns raw grid files into a `Grid`, checking everything a later stage relies on: ids unique
//! and well formed, axes, levels, degrees and verification modes known, probes declared, proof
//! and provenance present. Every problem becomes a diagnostic; none stops the others.

use std::collections::HashSet;

use serde_saphyr::Spanned;

use super::formula::{self, RawFormula};
use super::raw::{RawAxisFile, RawCriterion, RawManifest, RawProvenance};
use super::{
    Axis, Criterion, Degree, Evidence, Grid, Level, Party, Provenance, Verification, VerifyLink,
};
use crate::catalog::ProbeCatalog;
use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::yaml::span_of;

pub(super) fn validate(
    (manifest_file, manifest): (SourceFile, RawManifest),
    axis_files: Vec<(SourceFile, RawAxisFile)>,
    (formula_file, formula): (SourceFile, RawFormula),
    probes: &ProbeCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) -> Grid {
    let axes: Vec<Axis> = manifest
        .axes
        .iter()
        .map(|a| Axis {
            id: a.id.value.clone(),
            name: a.name.clone(),
        })
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut criteria = Vec::new();
    for (file, raw) in axis_files {
        let expected = manifest.axes.iter().find(|a| manifest_names(a, &file.name));
        let axis = raw.axis.value.clone();
        if !axes.iter().any(|a| a.id == axis) {
            diagnostics.push(
                Diagnostic::new(Code::UnknownAxis, format!("unknown axis `{axis}`"))
                    .at(&file, span_of(&file, &raw.axis))
                    .label("not declared in grid.yaml")
                    .help(format!("declared axes: {}", ids(&axes))),
            );
        } else if let Some(entry) = expected.filter(|e| e.id.value != axis) {
            diagnostics.push(
                Diagnostic::new(
                    Code::AxisFile,
                    format!(
                        "this file is declared for axis `{}` but says `{axis}`",
                        entry.id.value
                    ),
                )
                .at(&file, span_of(&file, &raw.axis))
                .label("axis named here"),
            );
        }
        for c in raw.criteria {
            if !seen.insert(c.id.value.clone()) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!("criterion id `{}` is used twice", c.id.value),
                    )
                    .at(&file, span_of(&file, &c.id))
                    .label("second use")
                    .help("criterion ids must be unique across all axes of a grid"),
                );
            }
            if let Some(criterion) = criterion(&file, &axis, c, probes, diagnostics) {
                criteria.push(criterion);
            }
        }
    }
    let _ = manifest_file;
    let formula = formula::validate(&formula_file, &formula, diagnostics);
    Grid {
        sdet_version: manifest.sdet_version,
        title: manifest.title,
        published: manifest.published,
        sources: manifest.sources,
        axes,
        criteria,
        formula,
    }
}

fn manifest_names(entry: &super::raw::RawAxisEntry, file_name: &str) -> bool {
    file_name.ends_with(&format!("/{}", entry.file.value))
}

fn ids(axes: &[Axis]) -> String {
    axes.iter()
        .map(|a| a.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Validates one criterion, pushing a diagnostic for each problem.
fn criterion(
    file: &SourceFile,
    axis: &str,
    raw: RawCriterion,
    probes: &ProbeCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Criterion> {
    let before = diagnostics.len();
    let id = raw.id.value.clone();
    if !is_valid_id(&id) {
        diagnostics.push(
            Diagnostic::new(Code::BadId, format!("criterion id `{id}` does not follow the id scheme"))
                .at(file, span_of(file, &raw.id))
                .help("ids look like SSO-CAS-03: upper-case words joined by '-', ending in a 2- or 3-digit number"),
        );
    }
    let level = parse_or(
        file,
        &raw.level,
        Level::parse,
        Code::UnknownLevel,
        "level",
        "exigence, recommandation",
        diagnostics,
    );
    let party = parse_or(
        file,
        &raw.party,
        Party::parse,
        Code::UnknownParty,
        "party",
        "editeur, porteur_de_projet, academie, responsable_de_traitement",
        diagnostics,
    );
    let verification = parse_or(
        file,
        &raw.verification,
        Verification::parse,
        Code::UnknownVerification,
        "verification mode",
        "automatic, mixed, declarative",
        diagnostics,
    );
    let applies_to: Vec<Degree> = raw
        .applies_to
        .iter()
        .filter_map(|d| {
            parse_or(
                file,
                d,
                Degree::parse,
                Code::UnknownDegree,
                "degree",
                "1d, 2d",
                diagnostics,
            )
        })
        .collect();
    if raw.applies_to.is_empty() {
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownDegree,
                format!("criterion `{id}` applies to no degree"),
            )
            .at(file, span_of(file, &raw.id))
            .help("set `applies_to: [1d, 2d]` (or one of them)"),
        );
    }
    check_probes_and_proof(file, &raw, verification, diagnostics);
    check_links(file, &raw, probes, diagnostics);
    let sdet_refs = sdet_refs(file, &raw, diagnostics);
    let provenance = provenance(file, &raw.provenance, diagnostics);
    if diagnostics.len() > before {
        return None;
    }
    Some(Criterion {
        id,
        axis: axis.to_string(),
        level: level?,
        level_to_confirm: raw.level_to_confirm,
        party: party?,
        keyword: raw.keyword,
        title: raw.title,
        sdet_refs,
        applies_to,
        scope: raw.scope,
        verification: verification?,
        probes: raw
            .verified_by
            .iter()
            .map(|l| l.probe.value.clone())
            .chain(raw.supported_by.iter().map(|p| p.value.clone()))
            .collect(),
        verified_by: raw
            .verified_by
            .into_iter()
            .map(|l| VerifyLink {
                probe: l.probe.value,
                why: l.why.unwrap_or_default(),
            })
            .collect(),
        supported_by: raw.supported_by.into_iter().map(|p| p.value).collect(),
        proof: raw.proof,
        rationale: raw.rationale,
        remediation: raw.remediation,
        provenance: provenance?,
    })
}

fn check_probes_and_proof(
    file: &SourceFile,
    raw: &RawCriterion,
    verification: Option<Verification>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let id = &raw.id.value;
    let Some(verification) = verification else {
        return;
    };
    let at = span_of(file, &raw.verification);
    match (verification, raw.verified_by.is_empty()) {
        (Verification::Automatic | Verification::Mixed, true) => diagnostics.push(
            Diagnostic::new(
                Code::ProbesMismatch,
                format!(
                    "criterion `{id}` is {} but no probe verifies it",
                    verification.as_str()
                ),
            )
            .at(file, at)
            .help("list the probes that verify it in `verified_by`, or make it `declarative` (probes that only touch it go in `supported_by`)"),
        ),
        (Verification::Declarative, false) => diagnostics.push(
            Diagnostic::new(
                Code::ProbesMismatch,
                format!("criterion `{id}` is declarative but a probe verifies it"),
            )
            .at(file, at)
            .help("a criterion a probe verifies is `automatic` or `mixed`; evidence that only supports it goes in `supported_by`"),
        ),
        _ => {}
    }
    let needs_proof = matches!(
        verification,
        Verification::Declarative | Verification::Mixed
    );
    if needs_proof
        && raw
            .proof
            .as_ref()
            .is_none_or(|p| p.fr.trim().is_empty() && p.en.trim().is_empty())
    {
        diagnostics.push(
            Diagnostic::new(
                Code::MissingProof,
                format!("criterion `{id}` does not say what proof a vendor must supply"),
            )
            .at(file, at)
            .help("add `proof: {fr: …, en: …}`"),
        );
    }
}

/// Every linked probe is declared, each verifying link says why, in both languages, and no probe
/// both verifies and supports.
fn check_links(
    file: &SourceFile,
    raw: &RawCriterion,
    probes: &ProbeCatalog,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let linked = raw
        .verified_by
        .iter()
        .map(|l| &l.probe)
        .chain(&raw.supported_by);
    for probe in linked {
        if probes.get(&probe.value).is_none() {
            diagnostics.push(
                Diagnostic::new(Code::UnknownProbe, format!("unknown probe `{}`", probe.value))
                    .at(file, span_of(file, probe))
                    .label("not declared in probes/")
                    .help("declare it in probes/<family>.yaml (with `status: planned` if its check does not exist yet)"),
            );
        }
    }
    let id = &raw.id.value;
    for link in &raw.verified_by {
        let blank = link
            .why
            .as_ref()
            .is_none_or(|w| w.fr.trim().is_empty() || w.en.trim().is_empty());
        if blank {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingWhy,
                    format!(
                        "`{}` verifies `{id}` without saying why",
                        link.probe.value
                    ),
                )
                .at(file, span_of(file, &link.probe))
                .label("this link")
                .help("add `why: {fr: …, en: …}`: one line on how the probe observes exactly what the criterion says; if it does not, move it to `supported_by`"),
            );
        }
        if raw.supported_by.iter().any(|s| s.value == link.probe.value) {
            diagnostics.push(
                Diagnostic::new(
                    Code::ProbesMismatch,
                    format!(
                        "`{}` both verifies and supports `{id}`",
                        link.probe.value
                    ),
                )
                .at(file, span_of(file, &link.probe))
                .help("a probe either observes exactly what the criterion says (`verified_by`) or not (`supported_by`)"),
            );
        }
    }
}

fn sdet_refs(
    file: &SourceFile,
    raw: &RawCriterion,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<super::SdetRef> {
    match (&raw.sdet_ref, &raw.sdet_refs) {
        (Some(one), None) => vec![one.clone()],
        (None, Some(many)) if !many.is_empty() => many.clone(),
        _ => {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingRef,
                    format!(
                        "criterion `{}` needs exactly one of `sdet_ref` or `sdet_refs`",
                        raw.id.value
                    ),
                )
                .at(file, span_of(file, &raw.id))
                .help("cite the SDET version, document and section the requirement comes from"),
            );
            Vec::new()
        }
    }
}

fn provenance(
    file: &SourceFile,
    raw: &Spanned<RawProvenance>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Provenance> {
    let p = &raw.value;
    let problem = match (&p.source, &p.evidence, &p.to_verify) {
        (Some(source), Some(label), None) if Evidence::parse(label).is_some() => {
            return Some(Provenance::Source {
                source: source.clone(),
                evidence: Evidence::parse(label)?,
            });
        }
        (None, None, Some(section)) if !section.trim().is_empty() => {
            return Some(Provenance::ToVerify(section.clone()));
        }
        (Some(_), Some(evidence), None) => format!("unknown evidence label `{evidence}`"),
        (Some(_), None, None) => "a `source` needs an `evidence` label".to_string(),
        _ => {
            "provenance needs exactly one of `source` (with `evidence`) or `to_verify`".to_string()
        }
    };
    diagnostics.push(
        Diagnostic::new(Code::BadProvenance, problem)
            .at(file, span_of(file, raw))
            .help("`source` + `evidence` (S, S2, D, L, I, H) where the text was read; `to_verify: <section>` where it was not"),
    );
    None
}

fn parse_or<T>(
    file: &SourceFile,
    raw: &Spanned<String>,
    parse: fn(&str) -> Option<T>,
    code: Code,
    what: &str,
    allowed: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let parsed = parse(&raw.value);
    if parsed.is_none() {
        diagnostics.push(
            Diagnostic::new(code, format!("unknown {what} `{}`", raw.value))
                .at(file, span_of(file, raw))
                .help(format!("allowed: {allowed}")),
        );
    }
    parsed
}

/// `SSO-CAS-03`: upper-case alphanumeric words joined by `-`, the last a 2- or 3-digit number.
pub(crate) fn is_valid_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    let Some((number, words)) = parts.split_last() else {
        return false;
    };
    let number_ok = (2..=3).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
    let words_ok = !words.is_empty()
        && words[0]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase())
        && words.iter().all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
    number_ok && words_ok
}

#[cfg(test)]
mod tests {
    use super::is_valid_id;

    #[test]
    fn id_scheme() {
        assert!(is_valid_id("SSO-CAS-03"));
        assert!(is_valid_id("SEC-01"));
        assert!(is_valid_id("ANN-AAF2-123"));
        assert!(!is_valid_id("sso-cas-03"));
        assert!(!is_valid_id("SSO-CAS-3"));
        assert!(!is_valid_id("03"));
        assert!(!is_valid_id("SSO--03"));
    }
}
