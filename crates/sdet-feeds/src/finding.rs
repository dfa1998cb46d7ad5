//! Findings as one file's check collects them. A defect repeated on every record of a
//! million-record export would bury the report, so each code keeps its first [`MAX_PER_CODE`]
//! findings per file and only counts the rest; messages — in French and English — are built only
//! for findings that are kept.

use std::collections::BTreeMap;

use serde::Serialize;

use super::code::{Code, Severity};
use sdet_core::text::Text;

/// Findings kept per code and per file; the rest are counted.
pub const MAX_PER_CODE: usize = 100;

/// One problem, where it is, and on which record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `error` or `warning` (fixed by the code).
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The file, as given on the command line or found in a folder.
    pub file: String,
    /// 1-based line, when the finding has a place.
    pub line: Option<u64>,
    /// The record's `identifier/id`, or null for a file-level finding.
    pub record: Option<String>,
    /// What is wrong, in French and English (`--lang` picks one for output).
    #[serde(skip)]
    pub message: Text,
}

/// A finding before it knows its file's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    /// The code.
    pub code: Code,
    /// The line.
    pub line: Option<u64>,
    /// The record id.
    pub record: Option<String>,
    /// The message.
    pub message: Text,
}

/// One file's findings: kept ones in order, and counts of all of them per code.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    kept: Vec<Raw>,
    counts: BTreeMap<Code, u64>,
}

impl Findings {
    /// Records a finding; the message closure runs only if it is kept.
    pub fn push(
        &mut self,
        code: Code,
        line: Option<u64>,
        record: Option<&str>,
        message: impl FnOnce() -> Text,
    ) {
        let count = self.counts.entry(code).or_insert(0);
        *count += 1;
        if *count <= MAX_PER_CODE as u64 {
            self.kept.push(Raw {
                code,
                line,
                record: record.map(str::to_owned),
                message: message(),
            });
        }
    }

    /// Whether an error-level finding was recorded.
    pub fn has_errors(&self) -> bool {
        self.counts.keys().any(|c| c.severity() == Severity::Error)
    }

    /// Adds the findings of the next piece of the same file, whose lines start after
    /// `line_offset` lines. The per-code limit keeps the earliest; a file-level finding the
    /// file already has (each piece notes a missing kind once) is not repeated.
    pub fn absorb(&mut self, other: Findings, line_offset: u64) {
        let (kept, mut counts) = other.into_parts();
        for mut raw in kept {
            if raw.line.is_none()
                && self
                    .kept
                    .iter()
                    .any(|k| k.code == raw.code && k.message == raw.message)
            {
                if let Some(n) = counts.get_mut(&raw.code) {
                    *n -= 1;
                }
                continue;
            }
            raw.line = raw.line.map(|l| l + line_offset);
            let listed = self.kept.iter().filter(|k| k.code == raw.code).count();
            if listed < MAX_PER_CODE {
                self.kept.push(raw);
            }
        }
        for (code, n) in counts {
            if n > 0 {
                *self.counts.entry(code).or_insert(0) += n;
            }
        }
    }

    /// Splits into the kept findings and the counts per code.
    pub fn into_parts(self) -> (Vec<Raw>, BTreeMap<Code, u64>) {
        (self.kept, self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_and_counts_all() {
        let mut f = Findings::default();
        let mut built = 0;
        for i in 0..(MAX_PER_CODE as u64 + 5) {
            f.push(Code::BadDate, Some(i), None, || {
                built += 1;
                Text::default()
            });
        }
        f.push(Code::EmptyFile, None, None, Text::default);
        assert!(f.has_errors());
        let (kept, counts) = f.into_parts();
        assert_eq!(kept.len(), MAX_PER_CODE + 1);
        assert_eq!(built, MAX_PER_CODE);
        assert_eq!(counts[&Code::BadDate], MAX_PER_CODE as u64 + 5);
    }
}
