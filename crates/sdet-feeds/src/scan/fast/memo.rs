//! Where the fast path last searched for a request's end tag. Before reading a request from the
//! buffer it finds the request's end; a run of irregular requests (each then left to quick-xml)
//! would make it search the same bytes again for each of them, which is quadratic, so the last
//! search's range and first match are kept and reused.

use std::sync::OnceLock;

use memchr::memmem;

use super::super::super::record::Op;
use super::REQUESTS;

/// The last search for an end tag.
#[derive(Debug, Default)]
pub struct Memo {
    pub(super) op: Option<Op>,
    /// The stream range searched.
    pub(super) from: u64,
    pub(super) to: u64,
    /// Where the first end tag in it starts.
    pub(super) found: Option<u64>,
}

impl Memo {
    /// Where the first end tag of `op` in `rest`, which starts at stream offset `at`, starts.
    pub fn find(&mut self, op: Op, rest: &[u8], at: u64) -> Option<usize> {
        let to = at + rest.len() as u64;
        let close = REQUESTS.iter().find(|r| r.0 == op).map_or(0, |r| r.2.len()) as u64;
        if self.op == Some(op) && self.from <= at {
            match self.found {
                Some(m) if m >= at && m + close <= to => return usize::try_from(m - at).ok(),
                None if to <= self.to => return None,
                _ => {}
            }
        }
        let found = finder(op).find(rest);
        *self = Memo {
            op: Some(op),
            from: at,
            to,
            found: found.map(|i| at + i as u64),
        };
        found
    }
}

/// The end tag's searcher, built once.
fn finder(op: Op) -> &'static memmem::Finder<'static> {
    static FINDERS: OnceLock<[memmem::Finder<'static>; 3]> = OnceLock::new();
    let finders = FINDERS.get_or_init(|| REQUESTS.map(|(_, _, close)| memmem::Finder::new(close)));
    &finders[REQUESTS.iter().position(|r| r.0 == op).unwrap_or(0)]
}
