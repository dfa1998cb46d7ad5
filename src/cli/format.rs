//! What each command can write. Every command has its own `--format` enum listing only the formats
//! it really renders, so `--help` shows what works and clap refuses the rest while parsing, with
//! its usual message and the possible values. The enums are subsets of [`Format`], the formats a
//! file extension can name: `-o FILE` infers a command's format through it.

use std::path::Path;

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::error::Error;

/// Every output format of the tool. Not an argument itself: each command offers its subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable summary.
    Terminal,
    /// The JSON contract.
    Json,
    /// One self-contained HTML file.
    Html,
    /// Markdown.
    Markdown,
    /// CSV, one row per criterion.
    Csv,
    /// `JUnit` XML.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// The format a file's extension names, if any.
    pub fn by_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" => Some(Format::Json),
            "html" | "htm" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "xml" => Some(Format::Junit),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }

    /// The name users type (`html`), as clap lists it.
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }
}

/// The formats one command writes. All of them write the terminal summary and JSON, the defaults
/// on standard output and for a file whose extension names no format.
pub trait CommandFormat: ValueEnum + Copy + Send + Sync + 'static {
    /// The terminal summary.
    const TERMINAL: Self;
    /// JSON.
    const JSON: Self;

    /// This command's variant of `format`, if the command writes it.
    fn from_format(format: Format) -> Option<Self>;

    /// The names of the formats it writes, for messages: `terminal, json, markdown`.
    fn names() -> String {
        Self::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_owned())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The format of the file at `path`, from its extension: JSON when the extension names no
    /// format, an error when it names one this command does not write (`diff -o out.html`).
    fn for_file(path: &Path) -> Result<Self, Error> {
        let Some(named) = Format::by_extension(path) else {
            return Ok(Self::JSON);
        };
        Self::from_format(named).ok_or_else(|| Error::OutputFormat {
            path: path.to_path_buf(),
            format: named.name(),
            supported: Self::names(),
        })
    }
}

/// Declares a command's format enum as a subset of [`Format`]: its values and their help are
/// those of [`Format`], so every command spells a format the same way.
macro_rules! command_format {
    ($(#[$doc:meta])* $name:ident: $($variant:ident),+) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $(#[doc = concat!("`", stringify!($variant), "`.")] $variant,)+
        }

        impl ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($name::$variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Format::from(*self).to_possible_value()
            }
        }

        impl From<$name> for Format {
            fn from(format: $name) -> Format {
                match format {
                    $($name::$variant => Format::$variant,)+
                }
            }
        }

        impl CommandFormat for $name {
            const TERMINAL: Self = $name::Terminal;
            const JSON: Self = $name::Json;

            fn from_format(format: Format) -> Option<Self> {
                match format {
                    $(Format::$variant => Some($name::$variant),)+
                    #[allow(unreachable_patterns)] // a command that writes every format
                    _ => None,
                }
            }
        }
    };
}

command_format! {
    /// What `demo`, `audit` and `report` write: the report in every format.
    ReportFormat: Terminal, Json, Html, Markdown, Csv, Junit, Sarif
}

command_format! {
    /// What `compare` writes: the bids side by side.
    CompareFormat: Terminal, Json, Html, Csv
}

command_format! {
    /// What `merge` writes: the merged file (JSON), or the comparison of the reports in it.
    MergeFormat: Terminal, Json, Html, Csv
}

command_format! {
    /// What `diff` writes: Markdown is the terminal text, which is Markdown already.
    DiffFormat: Terminal, Json, Markdown
}

command_format! {
    /// What `feeds check` writes: its findings are files and lines, which CI shows as test
    /// results (JUnit) and code scanning as annotations (SARIF).
    FeedsFormat: Terminal, Json, Junit, Sarif
}

command_format! {
    /// What the commands that print a summary or its JSON write: `feeds reconcile`,
    /// `grids list`, `grids diff`.
    TextFormat: Terminal, Json
}

impl TextFormat {
    /// Without `--format`: the summary on a terminal, JSON (the contract) for a program reading
    /// a pipe or a file.
    pub fn for_stdout() -> TextFormat {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            TextFormat::Terminal
        } else {
            TextFormat::Json
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_format_keeps_the_names_of_format() {
        assert_eq!(DiffFormat::names(), "terminal, json, markdown");
        assert_eq!(
            ReportFormat::names(),
            "terminal, json, html, markdown, csv, junit, sarif"
        );
    }

    #[test]
    fn an_extension_maps_only_to_a_format_the_command_writes() {
        assert_eq!(
            DiffFormat::for_file(Path::new("d.md")).ok(),
            Some(DiffFormat::Markdown)
        );
        assert_eq!(
            DiffFormat::for_file(Path::new("d.txt")).ok(),
            Some(DiffFormat::Json)
        );
        let refused = DiffFormat::for_file(Path::new("d.html")).expect_err("html");
        assert!(
            refused.to_string().contains("terminal, json, markdown"),
            "{refused}"
        );
        assert_eq!(
            ReportFormat::for_file(Path::new("r.SARIF")).ok(),
            Some(ReportFormat::Sarif)
        );
    }
}
