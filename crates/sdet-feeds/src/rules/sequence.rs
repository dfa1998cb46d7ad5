//! Identifiers are registered in file order, whatever order the pieces finish in. Pieces of a file
//! run on several threads; if each registered its identifiers as it went, which occurrence of a
//! duplicated identifier is reported (and on which line) would depend on thread timing, and two
//! runs on the same export would differ. So each piece hands its identifiers over when it ends,
//! and they enter the shared sets strictly in (file, piece) order per kind: a piece that ends early
//! waits here, as a list, until the pieces before it have been registered. The first occurrence
//! in file order is the original; every later one is the duplicate, as a single-threaded read
//! would say.

use std::collections::{BTreeMap, VecDeque};

use super::super::kind::Kind;
use super::super::links::{IdSet, Key};

/// Where a piece sits: its file's index in the set, and its rank in the file.
pub type Position = (usize, usize);

/// The identifiers of one piece, with the (piece-relative) line of each record.
pub type Handed = Vec<(Key, u64)>;

/// Duplicates found, per piece: the identifier and the line of the later occurrence.
pub type Duplicates = BTreeMap<Position, Vec<(String, u64)>>;

/// The order identifiers must enter the sets in, and what waits for its turn.
#[derive(Debug, Default)]
pub struct Sequence {
    /// Per kind (in [`Kind::ALL`] order), the positions not registered yet, in order.
    expected: [VecDeque<Position>; 6],
    /// Pieces that ended before their turn.
    waiting: BTreeMap<Position, (Kind, Handed)>,
    duplicates: Duplicates,
}

fn slot(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

impl Sequence {
    /// A sequence for these pieces.
    pub fn new(pieces: impl IntoIterator<Item = (Kind, Position)>) -> Sequence {
        let mut sequence = Sequence::default();
        let mut all: Vec<(Kind, Position)> = pieces.into_iter().collect();
        all.sort_by_key(|(_, position)| *position);
        for (kind, position) in all {
            sequence.expected[slot(kind)].push_back(position);
        }
        sequence
    }

    /// Takes a piece's identifiers and registers every piece whose turn has come, with `sets`
    /// giving the set of a kind.
    pub fn hand_over<'s>(
        &mut self,
        kind: Kind,
        position: Position,
        ids: Handed,
        sets: &mut impl FnMut(Kind) -> Option<std::sync::MutexGuard<'s, IdSet>>,
    ) {
        self.waiting.insert(position, (kind, ids));
        let queue = slot(kind);
        while let Some(next) = self.expected[queue].front().copied() {
            let Some((kind, ids)) = self.waiting.remove(&next) else {
                break;
            };
            self.expected[queue].pop_front();
            self.register(kind, next, ids, sets);
        }
    }

    /// Registers `ids` of the piece at `position` now, emptying them, if every piece of its kind
    /// before it has been registered; leaves them otherwise.
    pub fn register_early<'s>(
        &mut self,
        kind: Kind,
        position: Position,
        ids: &mut Handed,
        sets: &mut impl FnMut(Kind) -> Option<std::sync::MutexGuard<'s, IdSet>>,
    ) {
        if self.expected[slot(kind)].front() == Some(&position) {
            self.register(kind, position, std::mem::take(ids), sets);
        }
    }

    /// Registers what still waits (pieces whose predecessor never handed over, e.g. could not be
    /// read), in order, and returns every duplicate found.
    pub fn finish<'s>(
        mut self,
        sets: &mut impl FnMut(Kind) -> Option<std::sync::MutexGuard<'s, IdSet>>,
    ) -> Duplicates {
        for (position, (kind, ids)) in std::mem::take(&mut self.waiting) {
            self.register(kind, position, ids, sets);
        }
        self.duplicates
    }

    fn register<'s>(
        &mut self,
        kind: Kind,
        position: Position,
        ids: Handed,
        sets: &mut impl FnMut(Kind) -> Option<std::sync::MutexGuard<'s, IdSet>>,
    ) {
        let Some(mut set) = sets(kind) else { return };
        for (key, line) in ids {
            if !set.insert_key(&key) {
                self.duplicates
                    .entry(position)
                    .or_default()
                    .push((key.to_string(), line));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn run(order: &[Position]) -> Duplicates {
        let set = Mutex::new(IdSet::default());
        let mut sets = |_| set.lock().ok();
        let pieces = [(0, 0), (0, 1), (1, 0)];
        let mut sequence = Sequence::new(pieces.iter().map(|&p| (Kind::Eleve, p)));
        let ids = |p: Position| -> Handed {
            // Identifier 7 is in every piece; 8 only in the last.
            let mut ids = vec![(Key::of("7"), 10 + p.1 as u64)];
            if p == (1, 0) {
                ids.push((Key::of("8"), 3));
            }
            ids
        };
        for &p in order {
            let mut ids = ids(p);
            // Early registration only takes effect for the piece whose turn it is.
            sequence.register_early(Kind::Eleve, p, &mut ids, &mut sets);
            sequence.hand_over(Kind::Eleve, p, ids, &mut sets);
        }
        sequence.finish(&mut sets)
    }

    #[test]
    fn duplicates_are_the_later_occurrences_whatever_order_pieces_end_in() {
        let expected = run(&[(0, 0), (0, 1), (1, 0)]);
        assert_eq!(expected.len(), 2, "{expected:?}");
        assert!(!expected.contains_key(&(0, 0)));
        for order in [[(1, 0), (0, 1), (0, 0)], [(0, 1), (1, 0), (0, 0)]] {
            assert_eq!(run(&order), expected);
        }
        // A piece that never hands over does not hold the others back for ever.
        assert_eq!(run(&[(1, 0), (0, 1)]).len(), 1);
    }
}
