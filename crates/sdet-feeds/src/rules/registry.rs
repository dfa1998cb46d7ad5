//! What the files of one phase build together: the structures later files look up, and each
//! kind's identifiers, registered in file order through [`Sequence`] so that duplicates are
//! found the same way whatever order the pieces finish in.

use std::sync::Mutex;

use super::sequence::{Duplicates, Handed, Position, Sequence};
use crate::code::Code;
use crate::finding::Findings;
use crate::kind::Kind;
use crate::links::{IdSet, Structures};
use sdet_core::text::Text;

/// The sets being filled by the files of the current phase.
#[derive(Debug, Default)]
pub struct Registry {
    /// Structures (EtabEducNat): identifiers, jointures, class and group codes, for lookups.
    pub structures: Mutex<Structures>,
    /// Identifiers per kind, in [`Kind::ALL`] order, for uniqueness (and lookups, but for
    /// structures).
    pub ids: [Mutex<IdSet>; 6],
    sequence: Mutex<Sequence>,
}

impl Registry {
    /// A registry for a phase reading these pieces (kind and position of each).
    pub fn new(pieces: impl IntoIterator<Item = (Kind, Position)>) -> Registry {
        Registry {
            sequence: Mutex::new(Sequence::new(pieces)),
            ..Registry::default()
        }
    }

    fn ids(&self, kind: Kind) -> &Mutex<IdSet> {
        &self.ids[Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)]
    }

    /// Takes a piece's identifiers; they are registered in file order (see `rules::sequence`).
    pub(super) fn hand_over(&self, kind: Kind, position: Position, ids: Handed) {
        if let Ok(mut sequence) = self.sequence.lock() {
            sequence.hand_over(kind, position, ids, &mut |k| self.ids(k).lock().ok());
        }
    }

    /// Registers `ids` at once if the piece at `position` is next in line (and empties them).
    pub(super) fn register_early(&self, kind: Kind, position: Position, ids: &mut Handed) {
        if let Ok(mut sequence) = self.sequence.lock() {
            sequence.register_early(kind, position, ids, &mut |k| self.ids(k).lock().ok());
        }
    }

    /// Registers what still waits; returns the duplicates found in the phase, per piece.
    pub fn duplicates(&self) -> Duplicates {
        self.sequence.lock().map_or_else(
            |_| Duplicates::default(),
            |mut sequence| std::mem::take(&mut *sequence).finish(&mut |k| self.ids(k).lock().ok()),
        )
    }
}

/// Records that identifier `id` of a `kind` file, on `line`, appeared earlier in the set.
pub fn duplicate_id(findings: &mut Findings, kind: Kind, id: &str, line: u64) {
    findings.push(Code::DuplicateId, Some(line), Some(id), || {
        let kind = kind.name();
        Text::new(
            format!("l'identifiant {id} apparaît plusieurs fois dans les fichiers {kind}"),
            format!("identifier {id} appears more than once in the {kind} files"),
        )
    });
}
