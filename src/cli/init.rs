//! `sdet-audit init [PORTAL_URL]`: the target file and the declarations skeleton to start from.

use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;
use url::Url;

use super::LangArg;
use crate::audit::load_grid;
use crate::error::Error;
use crate::init::{self, InitOptions};
use crate::probe::http::HttpOptions;
use crate::text::{Lang, pick};

/// `init` arguments.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The portal's home page: what can be found from it is filled in (a handful of GETs).
    pub portal: Option<Url>,
    /// Write target.yaml and declarations.ods into this folder.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// The ENT's name.
    #[arg(long)]
    pub name: Option<String>,
    /// Where plain HTTP answers, when not on port 80 of the portal's host (pre-production).
    #[arg(long, value_name = "URL")]
    pub portal_http: Option<Url>,
    /// An extra CA to trust (pre-production ENTs); written into the target.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// SDET version of the declarations skeleton (default: the newest grid).
    #[arg(long)]
    pub sdet_version: Option<String>,
    /// Seconds before a request is abandoned.
    #[arg(long, default_value_t = crate::probe::http::DEFAULT_TIMEOUT_SECS)]
    pub timeout: u64,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
    /// Language of the comments and the spreadsheet.
    #[arg(long, value_enum, default_value_t = LangArg::Fr)]
    pub lang: LangArg,
}

pub fn run(args: &InitArgs) -> Result<u8, Error> {
    let lang: Lang = args.lang.into();
    let (grid, _) = load_grid(None, None, args.sdet_version.as_deref())?;
    let options = InitOptions {
        dir: args.dir.clone(),
        portal: args.portal.clone(),
        portal_http: args.portal_http.clone(),
        ca_file: args.ca_file.clone(),
        name: args.name.clone(),
        http: HttpOptions {
            timeout: std::time::Duration::from_secs(args.timeout),
            ..HttpOptions::default()
        },
        force: args.force,
        lang,
    };
    let done = super::runtime::block_on(init::run(&options, &grid))??;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{} {}\n{} {}",
        pick(lang, "écrit :", "wrote:"),
        done.target.display(),
        pick(lang, "écrit :", "wrote:"),
        done.declarations.display()
    );
    if let Some(d) = &done.discovery {
        let found = [
            ("portal", d.portal.is_some()),
            ("cas", d.cas_base.is_some()),
            ("saml", d.saml_metadata.is_some()),
            ("oidc", d.oidc_issuer.is_some()),
            ("ical", d.ical.is_some()),
            ("rss", d.rss.is_some()),
        ];
        // An empty list says so in words: `trouvé :` followed by nothing reads as cut off.
        let list = |wanted: bool| {
            let names: Vec<&str> = found
                .iter()
                .filter(|f| f.1 == wanted)
                .map(|f| f.0)
                .collect();
            if names.is_empty() {
                pick(lang, "rien", "nothing").to_owned()
            } else {
                names.join(", ")
            }
        };
        let _ = writeln!(
            err,
            "{} {}\n{} {}",
            pick(lang, "trouvé :", "found:"),
            list(true),
            pick(lang, "à remplir :", "to fill in:"),
            list(false)
        );
    }
    let _ = writeln!(
        err,
        "{}",
        pick(
            lang,
            "ensuite : remplir declarations.ods, puis sdet-audit audit --target target.yaml",
            "next: fill in declarations.ods, then sdet-audit audit --target target.yaml"
        )
    );
    Ok(crate::exit::CONFORME)
}
