//! Time bounds a CI can plan for. Every request already has its `--timeout`, but a probe makes
//! several, and a hostile ENT can answer each just before the timeout (or stall a subprocess on
//! a file it served): so each probe also has a deadline of its own (`--probe-deadline`), and the
//! audit as a whole one more (`--deadline`). A probe past either is abandoned, and its verdict is
//! `error` saying which deadline, with the exchanges recorded until then; a probe that had not
//! started when the audit's deadline passed is not started.

use std::time::{Duration, Instant};

use sdet_core::text::Text;

/// Seconds one probe may take, all its exchanges included.
pub const DEFAULT_PROBE_DEADLINE_SECS: u64 = 300;
/// Seconds the whole audit may take.
pub const DEFAULT_AUDIT_DEADLINE_SECS: u64 = 1800;

/// The deadlines of an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// One probe.
    pub probe: Duration,
    /// The whole audit, from the first probe's start.
    pub audit: Duration,
}

impl Default for Deadlines {
    fn default() -> Self {
        Self {
            probe: Duration::from_secs(DEFAULT_PROBE_DEADLINE_SECS),
            audit: Duration::from_secs(DEFAULT_AUDIT_DEADLINE_SECS),
        }
    }
}

/// The deadlines, started: what one probe may still spend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    deadlines: Deadlines,
    audit_end: Instant,
}

/// Which deadline ended a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Passed {
    Probe,
    Audit,
}

impl Clock {
    pub(crate) fn start(deadlines: Deadlines) -> Self {
        Self {
            deadlines,
            audit_end: Instant::now() + deadlines.audit,
        }
    }

    /// The time a probe starting now may take, and the deadline that would end it; `None` when
    /// the audit's deadline has already passed.
    pub(crate) fn budget(&self) -> Option<(Duration, Passed)> {
        let left = self.audit_end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            None
        } else if left < self.deadlines.probe {
            Some((left, Passed::Audit))
        } else {
            Some((self.deadlines.probe, Passed::Probe))
        }
    }

    /// What the verdict says when `passed` ended a probe (or kept it from starting).
    pub(crate) fn message(&self, passed: Passed, started: bool) -> Text {
        let (secs, flag) = match passed {
            Passed::Probe => (self.deadlines.probe.as_secs(), "--probe-deadline"),
            Passed::Audit => (self.deadlines.audit.as_secs(), "--deadline"),
        };
        match (passed, started) {
            (Passed::Probe, _) => Text::new(
                format!(
                    "Sonde abandonnée : elle a dépassé son délai de {secs} s ({flag}) ; rien n'est jugé"
                ),
                format!(
                    "Probe abandoned: it ran past its {secs} s deadline ({flag}); nothing is judged"
                ),
            ),
            (Passed::Audit, true) => Text::new(
                format!(
                    "Sonde abandonnée : l'audit a atteint son délai de {secs} s ({flag}) ; rien n'est jugé"
                ),
                format!(
                    "Probe abandoned: the audit reached its {secs} s deadline ({flag}); nothing is judged"
                ),
            ),
            (Passed::Audit, false) => Text::new(
                format!("Sonde non lancée : l'audit a atteint son délai de {secs} s ({flag})"),
                format!("Probe not started: the audit reached its {secs} s deadline ({flag})"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearer_deadline_bounds_a_probe() {
        let probe_first = Clock::start(Deadlines {
            probe: Duration::from_secs(5),
            audit: Duration::from_secs(60),
        });
        assert_eq!(
            probe_first.budget(),
            Some((Duration::from_secs(5), Passed::Probe))
        );
        let audit_first = Clock::start(Deadlines {
            probe: Duration::from_secs(60),
            audit: Duration::from_secs(5),
        });
        let (left, passed) = audit_first.budget().expect("time left");
        assert!(left <= Duration::from_secs(5) && passed == Passed::Audit);
        let over = Clock::start(Deadlines {
            probe: Duration::from_secs(60),
            audit: Duration::ZERO,
        });
        assert_eq!(over.budget(), None);
        assert!(over.message(Passed::Audit, false).en.contains("--deadline"));
    }
}
