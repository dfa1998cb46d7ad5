//! `sdet-audit doctor`, and the short check `audit` runs before its probes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::LangArg;
use crate::audit::Prepared;
use crate::doctor::{self, Status};
use crate::error::Error;
use crate::probe::http::HttpOptions;
use crate::target::Secrets;
use crate::text::Lang;

/// `doctor` arguments.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The target file to check.
    #[arg(long, short, default_value = "target.yaml")]
    pub target: PathBuf,
    /// Seconds before a request is abandoned.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_TIMEOUT_SECS)]
    pub timeout: u64,
    /// Language.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

/// Prints one line per check; exit 0 when all are ready, 2 otherwise.
pub fn run(args: &DoctorArgs) -> Result<u8, Error> {
    let lang: Lang = args.lang.into();
    let http = HttpOptions {
        timeout: std::time::Duration::from_secs(args.timeout),
        ..HttpOptions::default()
    };
    let checks = super::runtime::block_on(doctor::run(&args.target, &Secrets::from_env(), http))?;
    let mut out = String::new();
    for c in &checks {
        let mark = match c.status {
            Status::Ok => "ok ",
            Status::Problem => "!! ",
        };
        let colon = crate::text::pick(lang, " :", ":");
        let _ = writeln!(out, "{mark} {}{colon} {}", c.subject, c.message.get(lang));
    }
    super::print(&out)?;
    Ok(if checks.iter().all(|c| c.status == Status::Ok) {
        crate::exit::CONFORME
    } else {
        crate::exit::USAGE
    })
}

/// Says on standard error, once, what would make the audit's probes errors: unset variables and
/// an unreachable target. Its read of the portal goes through the audit's own client, so the
/// first probe that reads the portal takes its answer rather than asking again (issue 18). Each
/// line starts with `label` when there is one (several targets audited at once).
pub async fn preflight(prepared: &Prepared, secrets: &Secrets, lang: Lang, label: &str) {
    let lines = doctor::preflight(prepared.target(), secrets, prepared.http()).await;
    let mut err = std::io::stderr().lock();
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{label}{} ", crate::text::pick(lang, " :", ":"))
    };
    for line in lines {
        let _ = writeln!(err, "{label}{}", line.get(lang));
    }
}
