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
use crate::fr_en;
use crate::text::Text;
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
                Diagnostic::worded(
                    Code::UnknownAxis,
                    fr_en!("axe inconnu `{axis}`", "unknown axis `{axis}`"),
                )
                .at(&file, span_of(&file, &raw.axis))
                .label_in(Text::new(
                    "absent de grid.yaml",
                    "not declared in grid.yaml",
                ))
                .help_in(fr_en!(
                    "axes déclarés : {}",
                    "declared axes: {}",
                    ids(&axes)
                )),
            );
        } else if let Some(entry) = expected.filter(|e| e.id.value != axis) {
            diagnostics.push(
                Diagnostic::worded(
                    Code::AxisFile,
                    fr_en!(
                        "ce fichier est déclaré pour l'axe `{}` mais indique `{axis}`",
                        "this file is declared for axis `{}` but says `{axis}`",
                        entry.id.value
                    ),
                )
                .at(&file, span_of(&file, &raw.axis))
                .label_in(Text::new("l'axe indiqué", "axis named here")),
            );
        }
        for c in raw.criteria {
            if !seen.insert(c.id.value.clone()) {
                diagnostics.push(
                    Diagnostic::worded(
                        Code::DuplicateId,
                        fr_en!(
                            "l'identifiant de critère `{}` sert deux fois",
                            "criterion id `{}` is used twice",
                            c.id.value
                        ),
                    )
                    .at(&file, span_of(&file, &c.id))
                    .label_in(Text::new("second emploi", "second use"))
                    .help_in(Text::new(
                        "un identifiant de critère est unique sur tous les axes d'une grille",
                        "criterion ids must be unique across all axes of a grid",
                    )),
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
            Diagnostic::worded(
                Code::BadId,
                fr_en!(
                    "l'identifiant de critère `{id}` ne suit pas le schéma des identifiants",
                    "criterion id `{id}` does not follow the id scheme"
                ),
            )
            .at(file, span_of(file, &raw.id))
            .help_in(Text::new(
                "un identifiant s'écrit comme SSO-CAS-03 : des mots en majuscules reliés par « - », \
                 terminés par un nombre de 2 ou 3 chiffres",
                "ids look like SSO-CAS-03: upper-case words joined by '-', ending in a 2- or 3-digit number",
            )),
        );
    }
    let level = parse_or(
        file,
        &raw.level,
        Level::parse,
        Code::UnknownLevel,
        &Text::new("niveau inconnu", "unknown level"),
        "exigence, recommandation",
        diagnostics,
    );
    let party = parse_or(
        file,
        &raw.party,
        Party::parse,
        Code::UnknownParty,
        &Text::new("partie inconnue", "unknown party"),
        "editeur, porteur_de_projet, academie, responsable_de_traitement",
        diagnostics,
    );
    let verification = parse_or(
        file,
        &raw.verification,
        Verification::parse,
        Code::UnknownVerification,
        &Text::new("mode de vérification inconnu", "unknown verification mode"),
        "automatic, mixed, declarative",
        diagnostics,
    );
    let applies_to = degrees(file, &raw, diagnostics);
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

/// The degrees a criterion applies to: at least one, each known.
fn degrees(
    file: &SourceFile,
    raw: &RawCriterion,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Degree> {
    let id = &raw.id.value;
    let applies_to: Vec<Degree> = raw
        .applies_to
        .iter()
        .filter_map(|d| {
            parse_or(
                file,
                d,
                Degree::parse,
                Code::UnknownDegree,
                &Text::new("degré inconnu", "unknown degree"),
                "1d, 2d",
                diagnostics,
            )
        })
        .collect();
    if raw.applies_to.is_empty() {
        diagnostics.push(
            Diagnostic::worded(
                Code::UnknownDegree,
                fr_en!(
                    "le critère `{id}` ne s'applique à aucun degré",
                    "criterion `{id}` applies to no degree"
                ),
            )
            .at(file, span_of(file, &raw.id))
            .help_in(Text::new(
                "indiquez `applies_to: [1d, 2d]` (ou l'un des deux)",
                "set `applies_to: [1d, 2d]` (or one of them)",
            )),
        );
    }
    applies_to
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
            Diagnostic::worded(
                Code::ProbesMismatch,
                fr_en!(
                    "le critère `{id}` est `{}` mais aucune sonde ne le vérifie",
                    "criterion `{id}` is {} but no probe verifies it",
                    verification.as_str()
                ),
            )
            .at(file, at)
            .help_in(Text::new(
                "nommez les sondes qui le vérifient dans `verified_by`, ou rendez-le `declarative` \
                 (les sondes qui ne font que l'effleurer vont dans `supported_by`)",
                "list the probes that verify it in `verified_by`, or make it `declarative` (probes that only touch it go in `supported_by`)",
            )),
        ),
        (Verification::Declarative, false) => diagnostics.push(
            Diagnostic::worded(
                Code::ProbesMismatch,
                fr_en!(
                    "le critère `{id}` est `declarative` mais une sonde le vérifie",
                    "criterion `{id}` is declarative but a probe verifies it"
                ),
            )
            .at(file, at)
            .help_in(Text::new(
                "un critère qu'une sonde vérifie est `automatic` ou `mixed` ; ce qui ne fait \
                 que l'étayer va dans `supported_by`",
                "a criterion a probe verifies is `automatic` or `mixed`; evidence that only supports it goes in `supported_by`",
            )),
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
            Diagnostic::worded(
                Code::MissingProof,
                fr_en!(
                    "le critère `{id}` ne dit pas quelle preuve l'éditeur doit fournir",
                    "criterion `{id}` does not say what proof a vendor must supply"
                ),
            )
            .at(file, at)
            .help_in(Text::new(
                "ajoutez `proof: {fr: …, en: …}`",
                "add `proof: {fr: …, en: …}`",
            )),
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
                Diagnostic::worded(
                    Code::UnknownProbe,
                    fr_en!(
                        "sonde inconnue `{}`",
                        "unknown probe `{}`",
                        probe.value
                    ),
                )
                .at(file, span_of(file, probe))
                .label_in(Text::new(
                    "absente de probes/",
                    "not declared in probes/",
                ))
                .help_in(Text::new(
                    "déclarez-la dans probes/<famille>.yaml (avec `status: planned` si son \
                     contrôle n'existe pas encore)",
                    "declare it in probes/<family>.yaml (with `status: planned` if its check does not exist yet)",
                )),
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
                Diagnostic::worded(
                    Code::MissingWhy,
                    fr_en!(
                        "`{}` vérifie `{id}` sans dire pourquoi",
                        "`{}` verifies `{id}` without saying why",
                        link.probe.value
                    ),
                )
                .at(file, span_of(file, &link.probe))
                .label_in(Text::new("ce lien", "this link"))
                .help_in(Text::new(
                    "ajoutez `why: {fr: …, en: …}` : une ligne sur la façon dont la sonde observe \
                     exactement ce que dit le critère ; sinon, déplacez-la dans `supported_by`",
                    "add `why: {fr: …, en: …}`: one line on how the probe observes exactly what the criterion says; if it does not, move it to `supported_by`",
                )),
            );
        }
        if raw.supported_by.iter().any(|s| s.value == link.probe.value) {
            diagnostics.push(
                Diagnostic::worded(
                    Code::ProbesMismatch,
                    fr_en!(
                        "`{}` à la fois vérifie et étaye `{id}`",
                        "`{}` both verifies and supports `{id}`",
                        link.probe.value
                    ),
                )
                .at(file, span_of(file, &link.probe))
                .help_in(Text::new(
                    "une sonde observe exactement ce que dit le critère (`verified_by`) ou non \
                     (`supported_by`)",
                    "a probe either observes exactly what the criterion says (`verified_by`) or not (`supported_by`)",
                )),
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
                Diagnostic::worded(
                    Code::MissingRef,
                    fr_en!(
                        "le critère `{}` demande exactement un de `sdet_ref` ou `sdet_refs`",
                        "criterion `{}` needs exactly one of `sdet_ref` or `sdet_refs`",
                        raw.id.value
                    ),
                )
                .at(file, span_of(file, &raw.id))
                .help_in(Text::new(
                    "citez la version du SDET, le document et la section d'où vient l'exigence",
                    "cite the SDET version, document and section the requirement comes from",
                )),
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
        (Some(_), Some(evidence), None) => fr_en!(
            "étiquette de preuve inconnue `{evidence}`",
            "unknown evidence label `{evidence}`"
        ),
        (Some(_), None, None) => Text::new(
            "une `source` demande une étiquette `evidence`",
            "a `source` needs an `evidence` label",
        ),
        _ => Text::new(
            "la provenance demande exactement un de `source` (avec `evidence`) ou `to_verify`",
            "provenance needs exactly one of `source` (with `evidence`) or `to_verify`",
        ),
    };
    diagnostics.push(
        Diagnostic::worded(Code::BadProvenance, problem)
            .at(file, span_of(file, raw))
            .help_in(Text::new(
                "`source` + `evidence` (S, S2, D, L, I, H) là où le texte a été lu ; \
                 `to_verify: <section>` là où il ne l'a pas été",
                "`source` + `evidence` (S, S2, D, L, I, H) where the text was read; `to_verify: <section>` where it was not",
            )),
    );
    None
}

fn parse_or<T>(
    file: &SourceFile,
    raw: &Spanned<String>,
    parse: fn(&str) -> Option<T>,
    code: Code,
    unknown: &Text,
    allowed: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let parsed = parse(&raw.value);
    if parsed.is_none() {
        diagnostics.push(
            Diagnostic::worded(
                code,
                Text::new(
                    format!("{} `{}`", unknown.fr, raw.value),
                    format!("{} `{}`", unknown.en, raw.value),
                ),
            )
            .at(file, span_of(file, raw))
            .help_in(fr_en!("valeurs permises : {allowed}", "allowed: {allowed}")),
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
