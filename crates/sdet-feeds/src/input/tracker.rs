//! The tracker between the UTF-8 stream and quick-xml. Each buffer is inspected once, when it is
//! filled — UTF-8 validity, control characters and the offsets of its newlines, all whole-buffer
//! passes at memory speed — so that consuming bytes costs a few additions, and a line number is a
//! binary search in the buffer's newline offsets. It also refuses a token that grows past
//! [`MAX_TOKEN`]. Problems are handed over only once the reader has passed them, so they land on
//! the record being read there.

use std::io::{self, BufRead, Read};

use super::super::Progress;
use super::super::code::Code;
use super::{ByteProblem, MAX_PROBLEMS, MAX_TOKEN, PROGRESS_STEP};
use sdet_core::text::Text;

/// Wraps the UTF-8 stream quick-xml reads: lines, byte checks, the token limit.
pub struct Tracker<'p, R> {
    inner: R,
    state: State<'p>,
}

/// What the tracker learns from the bytes, apart from the reader so both can be borrowed at once.
struct State<'p> {
    /// Bytes consumed so far.
    position: u64,
    /// Where the current buffer starts in the stream.
    buffer_start: u64,
    /// Newlines before the current buffer.
    lines_before: u64,
    /// Offsets of the newlines in the current buffer.
    newlines: Vec<u32>,
    /// Newlines of the current buffer before the last position asked for: positions only move
    /// forward, so finding a line is amortised O(1).
    cursor: usize,
    /// Bytes of the current buffer not yet consumed (all inspected).
    ahead: usize,
    carry: [u8; 4],
    carry_len: usize,
    since_mark: usize,
    over_limit: bool,
    problems: Vec<ByteProblem>,
    /// The smallest `at` among `problems` (`u64::MAX` when none).
    next_problem: u64,
    unreported: u64,
    progress: &'p dyn Progress,
}

impl<'p, R: BufRead> Tracker<'p, R> {
    /// Starts tracking a stream.
    pub fn new(inner: R, progress: &'p dyn Progress) -> Self {
        let state = State {
            position: 0,
            buffer_start: 0,
            lines_before: 0,
            newlines: Vec::new(),
            cursor: 0,
            ahead: 0,
            carry: [0; 4],
            carry_len: 0,
            since_mark: 0,
            over_limit: false,
            problems: Vec::new(),
            next_problem: u64::MAX,
            unreported: 0,
            progress,
        };
        Tracker { inner, state }
    }

    /// The 1-based line of the next byte to be consumed.
    pub fn line(&mut self) -> u64 {
        let state = &mut self.state;
        let offset = state.position.saturating_sub(state.buffer_start);
        while state
            .newlines
            .get(state.cursor)
            .is_some_and(|&n| u64::from(n) < offset)
        {
            state.cursor += 1;
        }
        1 + state.lines_before + state.cursor as u64
    }

    /// Reads the rest without parsing it (after a fatal problem), so the newline count covers the
    /// whole stream and later pieces of the file get their lines right.
    pub fn skip_rest(&mut self) {
        self.state.since_mark = 0;
        while let Ok(buf) = self.fill_buf() {
            let n = buf.len();
            if n == 0 {
                break;
            }
            self.consume(n);
            self.state.since_mark = 0;
        }
    }

    /// Newlines in the buffers read so far.
    pub fn newlines(&self) -> u64 {
        self.state.lines_before + self.state.newlines.len() as u64
    }

    /// Starts a new token: the size limit counts from here.
    pub fn mark(&mut self) {
        self.state.since_mark = 0;
    }

    /// Whether reading stopped on a token over [`MAX_TOKEN`].
    pub fn over_limit(&self) -> bool {
        self.state.over_limit
    }

    /// Whether problems the reader has passed wait to be taken.
    pub fn has_problems(&self) -> bool {
        self.state.next_problem < self.state.position
    }

    /// Bytes consumed so far: the stream offset of the next byte.
    pub fn position(&self) -> u64 {
        self.state.position
    }

    /// Whether a byte among the next `len` was flagged (the fast path leaves those to quick-xml).
    pub fn flagged_within(&self, len: usize) -> bool {
        self.state.next_problem < self.state.position.saturating_add(len as u64)
    }

    /// Takes the problems the reader has passed.
    pub fn take_problems(&mut self) -> Vec<ByteProblem> {
        let state = &mut self.state;
        let position = state.position;
        let (ready, later): (Vec<_>, Vec<_>) = std::mem::take(&mut state.problems)
            .into_iter()
            .partition(|p| p.at < position);
        state.next_problem = later.iter().map(|p| p.at).min().unwrap_or(u64::MAX);
        state.problems = later;
        ready
    }

    /// At the end of the stream: a multi-byte sequence cut short is a problem too, and every
    /// problem is passed.
    pub fn finish(&mut self) {
        let state = &mut self.state;
        if state.carry_len > 0 {
            state.carry_len = 0;
            let offset = usize::try_from(state.position - state.buffer_start).unwrap_or(0);
            state.problem(
                Code::Encoding,
                offset,
                Text::new(
                    "le fichier se termine au milieu d'une séquence UTF-8",
                    "the file ends inside a UTF-8 sequence",
                ),
            );
        }
        state.position = u64::MAX;
        state
            .progress
            .advance(std::mem::take(&mut state.unreported));
    }
}

impl State<'_> {
    /// The line of stream offset `at`, which lies in the current buffer (for problems: rare).
    fn line_at(&self, at: u64) -> u64 {
        let offset = at.saturating_sub(self.buffer_start);
        let before = self.newlines.partition_point(|&n| u64::from(n) < offset);
        1 + self.lines_before + before as u64
    }

    /// Notes a problem at `offset` in the current buffer.
    fn problem(&mut self, code: Code, offset: usize, message: Text) {
        if self.problems.len() < MAX_PROBLEMS {
            let at = self.buffer_start + offset as u64;
            let line = self.line_at(at);
            self.next_problem = self.next_problem.min(at);
            self.problems.push(ByteProblem {
                code,
                line,
                message,
                at,
            });
        }
    }

    /// A fresh buffer: index its newlines, then check its bytes.
    fn inspect(&mut self, buf: &[u8]) {
        self.lines_before += self.newlines.len() as u64;
        self.buffer_start = self.position;
        self.newlines.clear();
        self.cursor = 0;
        // Buffers are far below 4 GiB, so offsets fit in u32.
        self.newlines
            .extend(memchr::memchr_iter(b'\n', buf).filter_map(|i| u32::try_from(i).ok()));
        self.validate_utf8(buf);
        for (i, chunk) in buf.chunks(64).enumerate() {
            // Branch-free over the chunk so it vectorises; the slow path runs only on a hit.
            let bad = chunk.iter().fold(0u8, |acc, &b| {
                acc | (u8::from(b < 0x20)
                    & u8::from(b != b'\t')
                    & u8::from(b != b'\n')
                    & u8::from(b != b'\r'))
            });
            if bad != 0 {
                self.control_chars(i * 64, chunk);
            }
        }
    }

    #[cold]
    fn control_chars(&mut self, start: usize, chunk: &[u8]) {
        for (j, &b) in chunk.iter().enumerate() {
            if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
                let message = Text::new(
                    format!("caractère de contrôle U+{b:04X}, que XML 1.0 interdit"),
                    format!("control character U+{b:04X}, which XML 1.0 forbids"),
                );
                self.problem(Code::ControlChar, start + j, message);
            }
        }
    }

    fn validate_utf8(&mut self, buf: &[u8]) {
        let mut at = 0;
        if self.carry_len > 0 {
            let total = utf8_len(self.carry[0]);
            let take = (total - self.carry_len).min(buf.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&buf[..take]);
            self.carry_len += take;
            if self.carry_len < total {
                return;
            }
            self.carry_len = 0;
            if std::str::from_utf8(&self.carry[..total]).is_ok() {
                at = take;
            } else {
                self.problem(
                    Code::Encoding,
                    0,
                    Text::new(
                        "une séquence UTF-8 est coupée par un octet invalide",
                        "a UTF-8 sequence is cut by an invalid byte",
                    ),
                );
            }
        }
        // The SIMD check says only whether the buffer is valid; the standard one says where not.
        if simdutf8::basic::from_utf8(&buf[at..]).is_ok() {
            return;
        }
        while let Err(e) = std::str::from_utf8(&buf[at..]) {
            let bad = at + e.valid_up_to();
            let Some(len) = e.error_len() else {
                let tail = &buf[bad..];
                self.carry[..tail.len()].copy_from_slice(tail);
                self.carry_len = tail.len();
                return;
            };
            let shown: Vec<String> = buf[bad..bad + len]
                .iter()
                .map(|b| format!("{b:#04X}"))
                .collect();
            let message = Text::new(
                format!("octet(s) {} invalide(s) en UTF-8", shown.join(" ")),
                format!("byte(s) {} are not valid UTF-8", shown.join(" ")),
            );
            self.problem(Code::Encoding, bad, message);
            at = bad + len;
        }
    }

    fn consumed(&mut self, amt: usize) {
        self.position += amt as u64;
        self.since_mark += amt;
        self.ahead = self.ahead.saturating_sub(amt);
        self.unreported += amt as u64;
        if self.unreported >= PROGRESS_STEP {
            self.progress.advance(std::mem::take(&mut self.unreported));
        }
    }
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

impl<R: BufRead> Read for Tracker<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracker<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.state.since_mark > MAX_TOKEN {
            self.state.over_limit = true;
            return Err(io::Error::other(format!("a token over {MAX_TOKEN} bytes")));
        }
        let buf = self.inner.fill_buf()?;
        // A buffered reader only reads again once everything was consumed: new bytes are a new
        // buffer.
        if self.state.ahead == 0 && !buf.is_empty() {
            self.state.inspect(buf);
            self.state.ahead = buf.len();
        }
        Ok(buf)
    }

    fn consume(&mut self, amt: usize) {
        self.state.consumed(amt);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Silent;

    fn read_all(bytes: &[u8], capacity: usize) -> (Vec<ByteProblem>, u64) {
        let mut t = Tracker::new(std::io::BufReader::with_capacity(capacity, bytes), &Silent);
        let mut out = Vec::new();
        let mut problems = Vec::new();
        loop {
            let n = {
                let buf = t.fill_buf().expect("reads");
                out.extend_from_slice(&buf[..buf.len().min(3)]);
                buf.len().min(3)
            };
            if n == 0 {
                break;
            }
            t.consume(n);
            problems.extend(t.take_problems());
        }
        t.finish();
        problems.extend(t.take_problems());
        assert_eq!(out, bytes);
        (
            problems,
            t.state.lines_before + t.state.newlines.len() as u64,
        )
    }

    #[test]
    fn lines_and_problems_across_small_buffers() {
        let text = b"a\nb\xC3\xA9\nc\x01\nd\xFF\n\xE2\x82";
        for capacity in [1, 2, 3, 5, 64] {
            let (problems, newlines) = read_all(text, capacity);
            assert_eq!(newlines, 4, "capacity {capacity}");
            let found: Vec<(Code, u64)> = problems.iter().map(|p| (p.code, p.line)).collect();
            assert_eq!(
                found,
                vec![
                    (Code::ControlChar, 3),
                    (Code::Encoding, 4),
                    (Code::Encoding, 5)
                ],
                "capacity {capacity}"
            );
        }
    }
}
