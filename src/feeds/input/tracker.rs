//! The tracker between the UTF-8 stream and quick-xml. It sees every byte exactly once, as
//! quick-xml consumes it, so it can count lines for findings, validate UTF-8 and reject control
//! characters at memory speed, and refuse a token that grows past [`MAX_TOKEN`].

use std::io::{self, BufRead, Read};

use super::super::Progress;
use super::super::code::Code;
use super::{ByteProblem, MAX_PROBLEMS, MAX_TOKEN, PROGRESS_STEP};

/// Wraps the UTF-8 stream quick-xml reads: counts lines, validates bytes, enforces the token limit.
pub struct Tracker<'p, R> {
    inner: R,
    state: State<'p>,
}

/// What the tracker learns from the bytes, apart from the reader so both can be borrowed at once.
struct State<'p> {
    /// 1-based line of the next byte to be consumed.
    line: u64,
    carry: [u8; 4],
    carry_len: usize,
    since_mark: usize,
    over_limit: bool,
    problems: Vec<ByteProblem>,
    unreported: u64,
    progress: &'p dyn Progress,
}

impl<'p, R: BufRead> Tracker<'p, R> {
    /// Starts tracking a stream.
    pub fn new(inner: R, progress: &'p dyn Progress) -> Self {
        let state = State {
            line: 1,
            carry: [0; 4],
            carry_len: 0,
            since_mark: 0,
            over_limit: false,
            problems: Vec::new(),
            unreported: 0,
            progress,
        };
        Tracker { inner, state }
    }

    /// The line the last consumed byte is on.
    pub fn line(&self) -> u64 {
        self.state.line
    }

    /// Starts a new token: the size limit counts from here.
    pub fn mark(&mut self) {
        self.state.since_mark = 0;
    }

    /// Whether reading stopped on a token over [`MAX_TOKEN`].
    pub fn over_limit(&self) -> bool {
        self.state.over_limit
    }

    /// Takes the problems seen so far.
    pub fn take_problems(&mut self) -> Vec<ByteProblem> {
        std::mem::take(&mut self.state.problems)
    }

    /// At the end of the stream: a multi-byte sequence cut short is a problem too.
    pub fn finish(&mut self) {
        let state = &mut self.state;
        if state.carry_len > 0 {
            state.carry_len = 0;
            state.problem(
                Code::Encoding,
                state.line,
                "the file ends inside a UTF-8 sequence".into(),
            );
        }
        state
            .progress
            .advance(std::mem::take(&mut state.unreported));
    }
}

impl State<'_> {
    fn problem(&mut self, code: Code, line: u64, message: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(ByteProblem {
                code,
                line,
                message,
            });
        }
    }

    fn consumed(&mut self, bytes: &[u8]) {
        self.validate_utf8(bytes);
        for (i, chunk) in bytes.chunks(64).enumerate() {
            // Branch-free over the chunk so it vectorises; the slow path runs only on a hit.
            let bad = chunk.iter().fold(0u8, |acc, &b| {
                acc | (u8::from(b < 0x20)
                    & u8::from(b != b'\t')
                    & u8::from(b != b'\n')
                    & u8::from(b != b'\r'))
            });
            if bad != 0 {
                self.control_chars(bytes, i * 64, chunk);
            }
        }
        self.line += newlines(bytes);
        self.since_mark += bytes.len();
        self.unreported += bytes.len() as u64;
        if self.unreported >= PROGRESS_STEP {
            self.progress.advance(std::mem::take(&mut self.unreported));
        }
    }

    #[cold]
    fn control_chars(&mut self, bytes: &[u8], start: usize, chunk: &[u8]) {
        for (j, &b) in chunk.iter().enumerate() {
            if b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' {
                let line = self.line + newlines(&bytes[..start + j]);
                self.problem(
                    Code::ControlChar,
                    line,
                    format!("control character U+{b:04X}, which XML 1.0 forbids"),
                );
            }
        }
    }

    fn validate_utf8(&mut self, whole: &[u8]) {
        let mut bytes = whole;
        if self.carry_len > 0 {
            let total = utf8_len(self.carry[0]);
            let take = (total - self.carry_len).min(bytes.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&bytes[..take]);
            self.carry_len += take;
            if self.carry_len < total {
                return;
            }
            self.carry_len = 0;
            if std::str::from_utf8(&self.carry[..total]).is_ok() {
                bytes = &bytes[take..];
            } else {
                self.problem(
                    Code::Encoding,
                    self.line,
                    "a UTF-8 sequence is cut by an invalid byte".into(),
                );
            }
        }
        while let Err(e) = std::str::from_utf8(bytes) {
            let valid = e.valid_up_to();
            let Some(len) = e.error_len() else {
                let tail = &bytes[valid..];
                self.carry[..tail.len()].copy_from_slice(tail);
                self.carry_len = tail.len();
                return;
            };
            let offset = whole.len() - bytes.len() + valid;
            let line = self.line + newlines(&whole[..offset]);
            let shown: Vec<String> = bytes[valid..valid + len]
                .iter()
                .map(|b| format!("{b:#04X}"))
                .collect();
            self.problem(
                Code::Encoding,
                line,
                format!("byte(s) {} are not valid UTF-8", shown.join(" ")),
            );
            bytes = &bytes[valid + len..];
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

fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
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
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if amt == 0 {
            return;
        }
        // `consume` only follows a `fill_buf` that returned at least `amt` bytes, still buffered:
        // asking for them again performs no read.
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.state.consumed(&buf[..n]);
        }
        self.inner.consume(amt);
    }
}
