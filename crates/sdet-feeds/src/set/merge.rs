//! Putting a phase back together: each piece's findings, counts and pending references go to its
//! file's outcome in file order, lines shifted by what came before; then what the phase built
//! becomes what later phases look up.

use super::piece::{Piece, PieceOutcome};
use super::{Outcome, rules};
use crate::code::Code;
use crate::input::Declared;
use crate::kind::{Kind, Mode};
use crate::links::{Availability, Known};
use crate::rules::Registry;
use sdet_core::text::Text;

/// Adds a phase's pieces to their files' outcomes, in file order, with the duplicates found
/// when their identifiers were registered.
pub(super) fn merge_phase(
    outcomes: &mut [Outcome],
    encodings: &[Option<(Declared, u64)>],
    mut results: Vec<(Piece, PieceOutcome)>,
    mut duplicates: rules::Duplicates,
) {
    results.sort_by_key(|(p, _)| (p.file, p.index));
    let mut offset = 0;
    for (piece, mut result) in results {
        if piece.index == 0 {
            offset = 0;
        }
        let (Some((declared, _)), Some(kind)) = (encodings[piece.file], outcomes[piece.file].kind)
        else {
            continue;
        };
        for (id, line) in duplicates
            .remove(&(piece.file, piece.index))
            .unwrap_or_default()
        {
            rules::duplicate_id(&mut result.findings, kind, &id, line);
        }
        offset = merge(&mut outcomes[piece.file], declared, &piece, result, offset);
    }
}

/// Adds a piece's results to its file's outcome; returns the line offset of the next piece.
fn merge(
    outcome: &mut Outcome,
    declared: Declared,
    piece: &Piece,
    result: PieceOutcome,
    offset: u64,
) -> u64 {
    outcome.encoding = Some(declared.label);
    outcome.findings.absorb(result.findings, offset);
    outcome
        .pending
        .extend(result.pending.into_iter().map(|mut p| {
            p.shift(offset);
            p
        }));
    let summary = result.summary;
    if piece.index == 0 {
        outcome.header = summary.header;
        outcome.degree = result.degree;
    }
    outcome.records += summary.records;
    let incremental = outcome.mode == Some(Mode::Incremental) || summary.incremental;
    outcome.mode = Some(if incremental {
        Mode::Incremental
    } else {
        Mode::Full
    });
    if piece.last && summary.root_closed && outcome.records == 0 {
        outcome.findings.push(Code::EmptyFile, None, None, || {
            Text::new(
                "le fichier ne contient aucun enregistrement",
                "the file holds no record",
            )
        });
    }
    offset + summary.newlines
}

/// Moves what a phase built into what later phases look up, and notes each kind's availability.
pub(super) fn absorb(known: &mut Known, registry: Registry, phase: u8, outcomes: &[Outcome]) {
    let Registry {
        structures, ids, ..
    } = registry;
    for (kind, set) in Kind::ALL.into_iter().zip(ids) {
        if rules::phase(kind) != phase {
            continue;
        }
        let files: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == Some(kind)).collect();
        let availability = if files.is_empty() {
            Availability::Absent
        } else if files.iter().any(|o| o.mode == Some(Mode::Incremental)) {
            Availability::Incremental
        } else {
            Availability::Full
        };
        known.set_availability(kind, availability);
        let set = set.into_inner().unwrap_or_default();
        match kind {
            Kind::MatiereEducNat => known.subjects = set,
            Kind::MefEducNat => known.mefs = set,
            Kind::PersRelEleve => known.parents = set,
            Kind::Eleve => known.pupils = set,
            Kind::EtabEducNat | Kind::PersEducNat => {}
        }
    }
    if phase == rules::phase(Kind::EtabEducNat) {
        known.structures = structures.into_inner().unwrap_or_default();
    }
}
