//! `feeds reconcile`: compares an AAF export with the ENT's LDAP directory and prints the
//! differences. The export and the directory come from the arguments, or from the `annuaire` block
//! of a target file (arguments win). Exit 0 with no difference, 1 with some, 2 on a usage or input
//! error, 3 when the directory could not be reached or read.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::progress::Bar;
use super::{LangArg, TextFormat};
use crate::error::Error;
use crate::reconcile::{self, Access, render};
use crate::target::{Secrets, Target};
use crate::text::Text;

/// `feeds reconcile` arguments.
#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// The AAF export (a folder, or files) the directory must reflect.
    pub export: Vec<PathBuf>,
    /// Read the export folder and the LDAP access from this target file's `annuaire` block.
    #[arg(long)]
    pub target: Option<PathBuf>,
    /// The directory: `ldap://host:port` or `ldaps://host:port`.
    #[arg(long, value_name = "URL")]
    pub ldap_url: Option<String>,
    /// Search base.
    #[arg(long, value_name = "DN")]
    pub base_dn: Option<String>,
    /// Bind DN (anonymous without it).
    #[arg(long, value_name = "DN")]
    pub bind_dn: Option<String>,
    /// The environment variable holding the bind password (never the password itself).
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Extra CA to trust for ldaps:// (PEM).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Differences listed per kind.
    #[arg(long, default_value_t = reconcile::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Seconds allowed to connect and for each LDAP operation.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Output format (default: terminal on a terminal, json otherwise).
    #[arg(long, value_enum)]
    pub format: Option<TextFormat>,
    /// Language of the terminal output.
    #[arg(long, value_enum, default_value = "fr")]
    pub lang: LangArg,
}

/// Runs `feeds reconcile`.
pub fn run(args: &ReconcileArgs) -> Result<u8, Error> {
    let format = args.format.unwrap_or_else(TextFormat::for_stdout);
    let (export, access) = settings(args)?;
    let watch = std::sync::Arc::new(Watch::new());
    let result = super::runtime::block_on(reconcile::run(&export, &access, args.limit, watch))??;
    super::print_lines(&match format {
        TextFormat::Json => render::json(&result),
        TextFormat::Terminal => render::terminal(&result, args.lang.into()),
    })?;
    Ok(if result.total() == 0 {
        crate::exit::CONFORME
    } else {
        crate::exit::NON_CONFORME
    })
}

/// The export and the LDAP access, from the arguments and the target file.
fn settings(args: &ReconcileArgs) -> Result<(Vec<PathBuf>, Access), Error> {
    let target = match &args.target {
        Some(path) => Some(
            Target::load(path).map_err(|diagnostics| Error::Diagnostics {
                context: Text::new(
                    "le fichier cible est invalide",
                    "the target file is invalid",
                ),
                diagnostics,
            })?,
        ),
        None => None,
    };
    let annuaire = target.as_ref().and_then(|t| t.annuaire.as_ref());
    let ldap = annuaire.and_then(|a| a.ldap.as_ref());
    let export = if args.export.is_empty() {
        annuaire
            .and_then(|a| a.feeds.clone())
            .map(|f| vec![f])
            .ok_or_else(|| {
                Error::Usage(Text::new(
                    "donnez le dossier de l'export, ou --target avec annuaire.feeds",
                    "give the export folder, or --target with annuaire.feeds",
                ))
            })?
    } else {
        args.export.clone()
    };
    let missing = |what: &str| {
        Error::Usage(sdet_core::fr_en!(
            "donnez {what}, ou --target avec annuaire.ldap",
            "give {what}, or --target with annuaire.ldap"
        ))
    };
    let url = args
        .ldap_url
        .clone()
        .or_else(|| ldap.map(|l| l.url.clone()))
        .ok_or_else(|| missing("--ldap-url"))?;
    let base_dn = args
        .base_dn
        .clone()
        .or_else(|| ldap.map(|l| l.base_dn.clone()))
        .ok_or_else(|| missing("--base-dn"))?;
    let bind_dn = args
        .bind_dn
        .clone()
        .or_else(|| ldap.map(|l| l.bind_dn.clone()));
    let password_env = args
        .password_env
        .clone()
        .or_else(|| ldap.map(|l| l.password_env.clone()));
    let bind = match (bind_dn, password_env) {
        (Some(dn), Some(var)) => Some((dn, password(&var)?)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Error::Usage(Text::new(
                "--bind-dn demande --password-env",
                "--bind-dn needs --password-env",
            )));
        }
        (None, Some(_)) => {
            return Err(Error::Usage(Text::new(
                "--password-env demande --bind-dn",
                "--password-env needs --bind-dn",
            )));
        }
    };
    Ok((
        export,
        Access {
            url,
            base_dn,
            bind,
            ca_file: args
                .ca_file
                .clone()
                .or_else(|| target.as_ref().and_then(|t| t.tls.ca_file.clone())),
            timeout: Duration::from_secs(args.timeout.max(1)),
        },
    ))
}

fn password(var: &str) -> Result<String, Error> {
    Secrets::from_env().get(var).ok_or_else(|| {
        Error::Usage(sdet_core::fr_en!(
            "la variable d'environnement {var} (mot de passe de connexion) n'est pas définie",
            "the environment variable {var} (bind password) is not set"
        ))
    })
}

/// On a terminal, the export's bytes as `feeds check` shows them, then a count of the directory
/// entries read; nothing otherwise.
struct Watch {
    bytes: Bar,
    entries: ProgressBar,
}

impl Watch {
    fn new() -> Self {
        let entries = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {pos} ({per_sec})") {
                bar.set_style(style);
            }
            bar.set_message("LDAP");
            bar
        } else {
            ProgressBar::hidden()
        };
        Watch {
            bytes: Bar::bytes(),
            entries,
        }
    }
}

impl reconcile::Progress for Watch {
    fn export(&self) -> &dyn crate::feeds::Progress {
        &self.bytes
    }
    fn entry(&self) {
        self.entries.inc(1);
    }
    fn finish(&self) {
        self.entries.finish_and_clear();
    }
}
