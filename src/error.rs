//! The top-level error: what stops a command before it has a report. Probe failures are never
//! here — they are observations. Every variant is a usage or input error (exit code 2).

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// A command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Data files have problems; all of them are listed.
    #[error("{context} ({} problem(s))", diagnostics.len())]
    Diagnostics {
        /// What was being loaded.
        context: String,
        /// Every problem.
        diagnostics: Vec<Diagnostic>,
    },
    /// No grid for the requested SDET version.
    #[error("no grid for SDET version {version} (available: {})", available.join(", "))]
    NoGrid {
        /// Requested.
        version: String,
        /// What exists.
        available: Vec<String>,
    },
    /// An input file is not a regular file, too large, or unreadable.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// Which file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Client(#[from] crate::probe::http::ClientError),
    /// The embedded reference ENT could not start.
    #[error("the reference ENT could not start: {0}")]
    Demo(String),
    /// Bad arguments.
    #[error("{0}")]
    Usage(String),
    /// A report file could not be read.
    #[error("{path} is not a sdet-audit JSON report: {why}")]
    BadReport {
        /// Which file.
        path: String,
        /// Why.
        why: String,
    },
    /// An evidence bundle could not be written, or is invalid.
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    /// A report could not be rendered (a template error).
    #[error("the report could not be rendered: {0}")]
    Render(String),
    /// A signed evidence bundle was refused (tampered, unsigned, or signed by a key not trusted);
    /// the message is already in the user's language.
    #[error("{0}")]
    Refused(String),
    /// The ENT's directory could not be reached or read: nothing could be decided.
    #[error("{0}")]
    Directory(String),
}

impl Error {
    /// The exit code this error calls for: 3 when a server could not be read (nothing was
    /// decided), 2 for everything else (usage and input errors).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Directory(_) => crate::exit::INCOMPLETE,
            _ => crate::exit::USAGE,
        }
    }
}

impl miette::Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let code = match self {
            Error::Diagnostics { .. } => "sdet::invalid-input",
            Error::NoGrid { .. } => "sdet::no-grid",
            Error::Io { .. } => "sdet::io",
            Error::Input(_) => "sdet::input",
            Error::Client(_) => "sdet::client",
            Error::Demo(_) => "sdet::demo",
            Error::Usage(_) => "sdet::usage",
            Error::BadReport { .. } => "sdet::bad-report",
            Error::Render(_) => "sdet::render",
            Error::Bundle(_) => "sdet::bad-bundle",
            Error::Directory(_) => "sdet::directory",
            Error::Refused(_) => "sdet::bundle-refused",
        };
        Some(Box::new(code))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        match self {
            Error::Diagnostics { diagnostics, .. } => Some(Box::new(
                diagnostics.iter().map(|d| d as &dyn miette::Diagnostic),
            )),
            _ => None,
        }
    }
}

impl From<crate::data::FolderError> for Error {
    fn from(e: crate::data::FolderError) -> Self {
        Error::Io {
            path: e.path,
            source: e.source,
        }
    }
}
