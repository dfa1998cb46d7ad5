//! The one progress bar on standard error, for the two kinds of long work: probes finishing
//! (`audit`, `demo`) and bytes read (`feeds check`, `feeds reconcile`). Hidden when standard error
//! is not a terminal, so logs and pipes never see it.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::audit;
use crate::evidence::Observation;
use crate::feeds;
use crate::text::Lang;

/// A progress bar, or nothing off a terminal; with `verbose`, a line per probe as well.
pub struct Bar(ProgressBar, Option<Lang>);

impl Bar {
    /// Probes done out of the plan's.
    pub fn probes() -> Self {
        Self::with("{spinner} sondes {pos}/{len} {wide_msg}")
    }

    /// Probes done, and a line for each probe in `lang` (`-v`).
    pub fn probes_verbose(lang: Lang) -> Self {
        let Bar(bar, _) = Self::probes();
        Bar(bar, Some(lang))
    }

    /// Bytes read out of the export's size.
    pub fn bytes() -> Self {
        Self::with("{spinner} {bytes}/{total_bytes} {wide_bar} {bytes_per_sec} {eta}")
    }

    fn with(template: &str) -> Self {
        if !std::io::stderr().is_terminal() {
            return Bar(ProgressBar::hidden(), None);
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Bar(bar, None)
    }
}

impl audit::Progress for Bar {
    fn start(&self, steps: usize) {
        // Added, not set: several targets audited at once each announce their plan.
        self.0.inc_length(steps as u64);
    }
    fn done(&self, observation: &Observation) {
        self.0.set_message(format!(
            "{} {}",
            observation.probe,
            observation.outcome.as_str()
        ));
        self.0.inc(1);
        if let Some(lang) = self.1 {
            let line = audit::progress_line(observation, lang);
            if self.0.is_hidden() {
                eprintln!("{line}");
            } else {
                // Above the bar, which stays at the bottom.
                self.0.println(line);
            }
        }
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl feeds::Progress for Bar {
    fn start(&self, bytes: u64) {
        self.0.set_length(bytes);
    }
    fn advance(&self, bytes: u64) {
        self.0.inc(bytes);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
