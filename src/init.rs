//! `sdet-audit init`: a vendor's first step. Writes a commented `target.yaml` and a
//! `declarations.ods` skeleton, so nobody copies a target out of the README. Given the portal's
//! address it first discovers what it can (`discover`), politely — a handful of GETs through the
//! audit's own client, so the same timeouts, body caps, per-host limits and CA apply — and
//! `render` fills in what was found, each with how, and leaves the rest commented with what to
//! put there. It never writes a secret: accounts are named by environment variables only.

pub mod discover;
mod render;

use std::path::{Path, PathBuf};

use url::Url;

use crate::error::Error;
use crate::grid::Grid;
use crate::probe::http::{Http, HttpOptions};
use crate::sheet::{self, SheetFormat};
use crate::text::Lang;

pub use discover::{Discovery, Found};

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to write into (created if missing).
    pub dir: PathBuf,
    /// The portal's home page, to discover from; `None` writes a template only.
    pub portal: Option<Url>,
    /// Where plain HTTP answers when not on port 80 of the portal's host (pre-production, tests).
    pub portal_http: Option<Url>,
    /// A CA file to trust (pre-production ENTs), written into the target too.
    pub ca_file: Option<PathBuf>,
    /// The ENT's display name.
    pub name: Option<String>,
    /// Client behaviour (the CA comes from `ca_file`).
    pub http: HttpOptions,
    /// Overwrite existing files.
    pub force: bool,
    /// Language of the comments and the spreadsheet.
    pub lang: Lang,
}

/// The target file `init` writes.
pub const TARGET_FILE: &str = "target.yaml";
/// The declarations skeleton `init` writes.
pub const DECLARATIONS_FILE: &str = "declarations.ods";

/// What `init` did.
#[derive(Debug)]
pub struct Initialized {
    /// The target file written.
    pub target: PathBuf,
    /// The declarations skeleton written.
    pub declarations: PathBuf,
    /// What discovery found, when a portal was given.
    pub discovery: Option<Discovery>,
}

/// Discovers (when a portal is given), then writes the target and the declarations skeleton.
pub async fn run(options: &InitOptions, grid: &Grid) -> Result<Initialized, Error> {
    let target = options.dir.join(TARGET_FILE);
    let declarations = options.dir.join(DECLARATIONS_FILE);
    for path in [&target, &declarations] {
        if path.exists() && !options.force {
            return Err(Error::Usage(sdet_core::fr_en!(
                "{} existe déjà (--force pour le remplacer)",
                "{} already exists (--force to replace it)",
                path.display()
            )));
        }
    }
    let discovery = match &options.portal {
        Some(portal) => {
            let mut http_options = options.http.clone();
            if let Some(ca) = &options.ca_file {
                http_options.extra_ca_pem =
                    Some(crate::input::read(ca, crate::input::MAX_CONFIG_BYTES)?);
            }
            // What init may reach: the portal's origins and the address class it is in (a
            // pre-production portal on a private network stays reachable; nothing else is).
            let named: Vec<url::Url> = std::iter::once(portal.clone())
                .chain(options.portal_http.clone())
                .collect();
            http_options.reach = crate::probe::http::Reach::around(&named).await;
            let http = Http::new(http_options)?;
            Some(discover::discover(&http, portal).await)
        }
        None => None,
    };
    let ca_file = options
        .ca_file
        .as_deref()
        .map(|p| relative_to(p, &options.dir));
    let text = render::target(
        &render::TargetParts {
            name: options.name.as_deref(),
            sdet_version: &grid.sdet_version,
            ca_file: ca_file.as_deref(),
            portal_http: options.portal_http.as_ref(),
            discovery: discovery.as_ref(),
        },
        options.lang,
    );
    std::fs::create_dir_all(&options.dir).map_err(|source| Error::Io {
        path: options.dir.clone(),
        source,
    })?;
    let book = crate::declaration::workbook::book(grid, None, options.lang);
    let bytes = sheet::write(&book, SheetFormat::Ods)?;
    for (path, bytes) in [
        (&declarations, bytes.as_slice()),
        (&target, text.as_bytes()),
    ] {
        std::fs::write(path, bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
    }
    Ok(Initialized {
        target,
        declarations,
        discovery,
    })
}

/// `path` as the target file should name it: relative to the target's folder when inside it.
fn relative_to(path: &Path, dir: &Path) -> String {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (path_abs, dir_abs) = (absolute(path), absolute(dir));
    path_abs
        .strip_prefix(&dir_abs)
        .map_or(path_abs.clone(), Path::to_path_buf)
        .display()
        .to_string()
}
