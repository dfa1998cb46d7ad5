//! The top-level error: what stops a command before it has a report. Probe failures are never
//! here — they are observations. Every variant is a usage or input error (exit code 2), but for
//! a directory that cannot be read (3). A variant caused by another error keeps it as its source,
//! so miette shows the whole chain (`× cannot compare … ╰─▶ reports must share one grid …`).
//!
//! Each variant's own wording is in French and English ([`Error::wording`]); `Display` shows the
//! one in the language the binary chose for errors ([`crate::text::errors_lang`]), English when
//! none was chosen. A message a command builds is a [`Text`], written in both at once with
//! `fr_en!`.

use std::path::PathBuf;

use sdet_core::fr_en;

use crate::diagnostic::Diagnostic;
use crate::reconcile::ReconcileError;
use crate::text::{Text, io_reason};

sdet_core::codes! {
    /// The code miette shows with each error, in area `cli` (the `area::name` scheme of
    /// `sdet_core::code`; listed in docs/diagnostics.md).
    pub enum Code in "cli" {
        /// Data files have problems; the diagnostics follow.
        InvalidInput = "invalid-input",
        /// No grid for the requested SDET version.
        NoGrid = "no-grid",
        /// A file could not be read or written.
        Io = "io",
        /// An input file is not a regular file, too large, or unreadable.
        Input = "input",
        /// The HTTP client could not be built (a bad CA file).
        Client = "client",
        /// The embedded reference ENT could not start.
        Demo = "demo",
        /// Bad arguments.
        Usage = "usage",
        /// An `--output` extension names a format the command does not write.
        OutputFormat = "output-format",
        /// A report file could not be read.
        BadReport = "bad-report",
        /// Reports that cannot be compared or merged.
        Reports = "reports",
        /// A report that cannot be re-scored.
        Rescore = "rescore",
        /// An evidence bundle could not be written, or is invalid.
        BadBundle = "bad-bundle",
        /// A signed evidence bundle was refused.
        BundleRefused = "bundle-refused",
        /// An allowed-signers file or a public key that cannot be read.
        Trust = "trust",
        /// A report could not be rendered (a template error).
        Render = "render",
        /// A spreadsheet could not be written.
        Sheet = "sheet",
        /// An AAF export that cannot be checked or reconciled.
        Export = "export",
        /// The ENT's directory could not be reached or read.
        Directory = "directory",
    }
}

/// A command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Data files have problems; all of them are listed.
    #[error("{}", self.said())]
    Diagnostics {
        /// What was being loaded.
        context: Text,
        /// Every problem.
        diagnostics: Vec<Diagnostic>,
    },
    /// No grid for the requested SDET version.
    #[error("{}", self.said())]
    NoGrid {
        /// Requested.
        version: String,
        /// What exists.
        available: Vec<String>,
    },
    /// An input file is not a regular file, too large, or unreadable.
    /// Worded by the error itself, in the language errors are shown in (its `Display` is
    /// English, for reports); not its source, which would show it again.
    #[error("{}", self.said())]
    Input(crate::input::InputError),
    /// A file could not be read or written.
    #[error("{}", self.said())]
    Io {
        /// Which file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Client(#[from] crate::probe::http::ClientError),
    /// The embedded reference ENT could not start. Its wording says why in both languages, so
    /// the cause is not kept as a source (miette would repeat it in English).
    #[error("{}", self.said())]
    Demo(crate::demo::DemoError),
    /// Bad arguments, found by the command itself (clap refuses the rest before it runs).
    #[error("{}", .0.shown())]
    Usage(Text),
    /// An `--output` file's extension names a format the command does not write.
    #[error("{}", self.said())]
    OutputFormat {
        /// The output file.
        path: PathBuf,
        /// The format its extension names.
        format: String,
        /// The formats the command writes.
        supported: String,
    },
    /// A report file could not be read.
    #[error("{}", self.said())]
    BadReport {
        /// Which file.
        path: PathBuf,
        /// Why.
        source: crate::report::read::ReadError,
    },
    /// Reports that cannot be put side by side.
    #[error("{}", self.said())]
    Compare(#[from] crate::compare::CompareError),
    /// Reports that cannot be merged.
    #[error("{}", self.said())]
    Merge(#[from] crate::merge::MergeError),
    /// A report that cannot be judged again against another grid.
    #[error("{}", self.said())]
    Rescore(#[from] crate::rescore::RescoreError),
    /// An evidence bundle could not be written, or is invalid.
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    /// A report could not be rendered: a template error, a bug to report.
    #[error("{}", self.said())]
    Render(#[from] crate::report::html::RenderError),
    /// A spreadsheet could not be written.
    #[error(transparent)]
    Sheet(#[from] crate::sheet::SheetError),
    /// A signed evidence bundle was refused (tampered, unsigned, or signed by a key not trusted);
    /// the message is already in the user's language.
    #[error("{0}")]
    Refused(String),
    /// What the certifier trusts (an allowed-signers file, a public key) cannot be read.
    #[error(transparent)]
    Trust(#[from] crate::bundle::TrustError),
    /// An AAF export folder that holds nothing to check.
    #[error(transparent)]
    Feeds(crate::feeds::FeedsError),
    /// An export and a directory that could not be compared: the export could not be read (2),
    /// or the directory could not be reached or read, so nothing was decided (3).
    #[error(transparent)]
    Reconcile(#[from] ReconcileError),
}

impl Error {
    /// The variant's own wording, in both languages; the cause, if any, follows it in miette's
    /// chain. `None` for a variant that only passes its cause's message on.
    pub fn wording(&self) -> Option<Text> {
        Some(match self {
            Error::Diagnostics {
                context,
                diagnostics,
            } => fr_en!(
                "{} ({} problème(s))",
                "{} ({} problem(s))",
                context.shown(),
                diagnostics.len()
            ),
            Error::NoGrid { version, available } => fr_en!(
                "pas de grille pour la version {} du SDET (disponibles : {})",
                "no grid for SDET version {} (available: {})",
                version,
                available.join(", ")
            ),
            Error::Io { path, source } => io_reason(source).about(path.display()),
            Error::Demo(e) => {
                let (fr, en) = e.wording();
                Text::new(
                    format!("l'ENT de référence n'a pas pu démarrer : {fr}"),
                    format!("the reference ENT could not start: {en}"),
                )
            }
            Error::Usage(text) => text.clone(),
            Error::OutputFormat {
                path,
                format,
                supported,
            } => fr_en!(
                "{} : son extension désigne le format {}, que cette commande n'écrit pas ({}) ; \
                 nommez le fichier autrement, ou donnez --format",
                "{}: its extension names {}, which this command does not write ({}); \
                 name the file otherwise, or give --format",
                path.display(),
                format,
                supported
            ),
            Error::BadReport { path, .. } => fr_en!(
                "{} n'est pas un rapport JSON de sdet-audit",
                "{} is not a sdet-audit JSON report",
                path.display()
            ),
            Error::Compare(_) => Text::new(
                "ces rapports ne peuvent pas être comparés",
                "these reports cannot be compared",
            ),
            Error::Merge(_) => Text::new(
                "ces rapports ne peuvent pas être fusionnés",
                "these reports cannot be merged",
            ),
            Error::Rescore(_) => Text::new(
                "le rapport ne peut pas être re-noté",
                "the report cannot be re-scored",
            ),
            Error::Render(_) => Text::new(
                "le rapport n'a pas pu être rendu (un bogue : merci de le signaler)",
                "the report could not be rendered (a bug: please report it)",
            ),
            Error::Refused(message) => Text::same(message.clone()),
            Error::Input(e) => e.wording(),
            Error::Client(_)
            | Error::Bundle(_)
            | Error::Sheet(_)
            | Error::Trust(_)
            | Error::Feeds(_)
            | Error::Reconcile(_) => return None,
        })
    }

    /// The wording in the language errors are shown in.
    fn said(&self) -> String {
        self.wording()
            .map(|t| t.shown().to_owned())
            .unwrap_or_default()
    }

    /// The exit code this error calls for: 3 when a server could not be read (nothing was
    /// decided), 2 for everything else (usage and input errors).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Reconcile(ReconcileError::Directory(_)) => crate::exit::INCOMPLETE,
            _ => crate::exit::USAGE,
        }
    }

    /// Its code.
    pub fn code(&self) -> Code {
        match self {
            Error::Diagnostics { .. } => Code::InvalidInput,
            Error::NoGrid { .. } => Code::NoGrid,
            Error::Io { .. } => Code::Io,
            Error::Input(_) => Code::Input,
            Error::Client(_) => Code::Client,
            Error::Demo(_) => Code::Demo,
            Error::Usage(_) => Code::Usage,
            Error::OutputFormat { .. } => Code::OutputFormat,
            Error::BadReport { .. } => Code::BadReport,
            Error::Compare(_) | Error::Merge(_) => Code::Reports,
            Error::Rescore(_) => Code::Rescore,
            Error::Bundle(_) => Code::BadBundle,
            Error::Refused(_) => Code::BundleRefused,
            Error::Trust(_) => Code::Trust,
            Error::Render(_) => Code::Render,
            Error::Sheet(_) => Code::Sheet,
            Error::Feeds(_) | Error::Reconcile(ReconcileError::Export(_)) => Code::Export,
            Error::Reconcile(ReconcileError::Directory(_)) => Code::Directory,
            Error::Reconcile(ReconcileError::Temporary(_)) => Code::Io,
        }
    }
}

impl miette::Diagnostic for Error {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(Error::code(self)))
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

impl From<crate::demo::DemoError> for Error {
    fn from(e: crate::demo::DemoError) -> Self {
        Error::Demo(e)
    }
}

impl From<crate::input::InputError> for Error {
    fn from(e: crate::input::InputError) -> Self {
        Error::Input(e)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_docs_list_exactly_the_codes() {
        let docs = include_str!("../docs/diagnostics.md");
        assert_eq!(sdet_core::code::named_in(docs, Code::AREA), Code::names());
    }

    #[test]
    fn a_wording_is_in_both_languages_and_english_unless_the_binary_chose() {
        let e = Error::NoGrid {
            version: "9.9".into(),
            available: vec!["4.0".into(), "6.4".into()],
        };
        let wording = e.wording().expect("its own wording");
        assert_eq!(
            wording.fr,
            "pas de grille pour la version 9.9 du SDET (disponibles : 4.0, 6.4)"
        );
        assert_eq!(e.to_string(), wording.en);
        let usage = Error::Usage(Text::new("non", "no"));
        assert_eq!(usage.to_string(), "no");
        let io = Error::Io {
            path: "a.yaml".into(),
            source: std::io::ErrorKind::NotFound.into(),
        };
        assert_eq!(io.wording().expect("own").fr, "a.yaml : introuvable");
    }

    #[test]
    fn causes_word_their_own_message_too() {
        // Unset, as in every unit test: English, with the field in its place.
        let duplicate = crate::merge::MergeError::Duplicate("ent-a".into());
        assert_eq!(
            duplicate.to_string(),
            "target `ent-a` appears in more than one report; merge combines different targets"
        );
        let empty = crate::compare::CompareError::Empty;
        assert_eq!(empty.wording().fr, "aucun rapport à comparer");
    }

    #[test]
    fn a_cause_stays_the_source() {
        use std::error::Error as _;
        let e = Error::from(crate::compare::CompareError::Empty);
        assert_eq!(e.to_string(), "these reports cannot be compared");
        assert_eq!(
            e.source().map(ToString::to_string).as_deref(),
            Some("no report to compare")
        );
        assert_eq!(e.code(), Code::Reports);
    }
}
