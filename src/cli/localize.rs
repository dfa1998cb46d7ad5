//! The clap command in the language of the command line. The derive (doc comments) gives the
//! English texts; in French every `about`, `after_help` and argument help is replaced from the
//! table of [`super::french`], keyed by subcommand path and argument id, and clap's own words
//! (the help and version flags, the headings, "Usage:", "[default: …]", "[possible values: …]")
//! are replaced too. In both languages every `--lang` defaults to the language chosen, and a
//! command without one gets a `--lang` for the language of its help, errors and man pages, so
//! `sdet-audit --lang en --help` and `sdet-audit grids lint --lang en` work like
//! `sdet-audit demo --lang en`.

use std::fmt::Write as _;

use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory as _};

use super::{Cli, french, language};
use crate::text::Lang;

/// What the command is built for: parsing (with clap's `help` subcommand), or man pages
/// (without it, as `clap_mangen` wants).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Parsing the command line.
    Parse,
    /// Rendering man pages.
    Man,
}

/// The whole command tree in `lang`, built.
pub fn command(lang: Lang, purpose: Purpose) -> Command {
    let mut cmd = Cli::command();
    if purpose == Purpose::Man {
        cmd = cmd.disable_help_subcommand(true);
    }
    let mut cmd = walk(cmd, &mut Vec::new(), lang);
    cmd.build();
    match lang {
        Lang::Fr => builtins_in_french(cmd),
        Lang::En => cmd,
    }
}

/// The subcommand path of `cmd` below the root, as the table spells it: `grids list`.
fn key(path: &[String]) -> String {
    path.join(" ")
}

fn walk(mut cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    let has_lang = cmd.get_arguments().any(|a| a.get_id() == "lang");
    if has_lang {
        cmd = cmd.mut_arg("lang", |a| a.default_value(language::value(lang)));
    }
    if lang == Lang::Fr {
        cmd = in_french(cmd, &key(path));
    }
    if !has_lang {
        cmd = cmd.arg(cli_lang(lang));
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        path.push(name.clone());
        cmd = cmd.mut_subcommand(&name, |sub| walk(sub, path, lang));
        path.pop();
    }
    cmd
}

/// The `--lang` of a command that has no output of its own to put in a language: it chooses
/// the language of the help, the usage errors and the man pages ([`language::choose`] reads
/// it; the parsed value is not used).
fn cli_lang(lang: Lang) -> Arg {
    let default = language::value(lang);
    let arg = Arg::new("lang")
        .long("lang")
        .value_name("LANG")
        .value_parser(["fr", "en"])
        .default_value(default);
    match lang {
        Lang::Fr => arg
            .value_name(french::value_name("LANG").unwrap_or("LANG"))
            .help(typeset(&format!(
                "{} [{} {default}] [{} fr, en]",
                french::CLI_LANG,
                french::DEFAULT,
                french::POSSIBLE_VALUES
            )))
            .hide_default_value(true)
            .hide_possible_values(true)
            .help_heading(french::OPTIONS),
        Lang::En => arg.help("Language of the help, the usage errors and the man pages"),
    }
}

/// `cmd`'s own texts and its arguments' in French.
fn in_french(mut cmd: Command, path: &str) -> Command {
    if let Some(text) = french::command(path) {
        cmd = cmd.about(typeset(text.about));
        if let Some(long) = text.long_about {
            cmd = cmd.long_about(typeset(long));
        }
        if let Some(after) = text.after_help {
            cmd = cmd.after_help(typeset(after));
        }
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set())
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(text) = french::arg(path, &id) {
            cmd = cmd.mut_arg(&id, |a| arg_in_french(a, text));
        }
    }
    let usage = *cmd.get_styles().get_usage();
    cmd.help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{}{}{} {{usage}}\n\n{{all-args}}{{after-help}}",
        usage.render(),
        french::USAGE,
        usage.render_reset()
    ))
    .subcommand_help_heading(french::COMMANDS)
    .subcommand_value_name(french::COMMAND)
}

/// An argument's help in French, its default and possible values written in French in it
/// rather than by clap.
fn arg_in_french(arg: Arg, text: &french::ArgText) -> Arg {
    let mut short = text.help.to_owned();
    let mut long = text.long.unwrap_or(text.help).to_owned();
    let mut has_long = text.long.is_some();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let takes_values = arg.get_action().takes_values();
    if takes_values && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        let default = format!("[{} {}]", french::DEFAULT, defaults.join(" "));
        short = format!("{short} {default}");
        long = format!("{long}\n\n{default}");
    }
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if takes_values && !values.is_empty() && !arg.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        short = format!("{short} [{} {}]", french::POSSIBLE_VALUES, names.join(", "));
        if values.iter().any(|v| v.get_help().is_some()) {
            has_long = true;
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
            let _ = write!(long, "\n\n{}", french::POSSIBLE_VALUES_HEADING);
            for value in &values {
                let name = value.get_name();
                let help = value
                    .get_help()
                    .map(|h| french::value(&h.to_string()).unwrap_or("?").to_owned())
                    .unwrap_or_default();
                let _ = write!(long, "\n- {name:width$} : {help}");
            }
        } else {
            long = format!("{long} [{} {}]", french::POSSIBLE_VALUES, names.join(", "));
        }
    }
    let arg = if takes_values {
        let names: Vec<String> = arg.get_value_names().map_or_else(
            || vec![arg.get_id().as_str().to_uppercase()],
            |n| n.iter().map(ToString::to_string).collect(),
        );
        let names: Vec<&'static str> = names
            .iter()
            .map(|n| french::value_name(n).unwrap_or("?"))
            .collect();
        arg.value_names(names)
    } else {
        arg
    };
    let heading = if arg.is_positional() {
        french::ARGUMENTS
    } else {
        french::OPTIONS
    };
    let arg = arg.help(typeset(&short));
    let arg = if has_long {
        arg.long_help(typeset(&long))
    } else {
        arg.long_help(None::<&str>)
    };
    // clap refuses these settings on a flag.
    let arg = if takes_values {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    };
    arg.help_heading(heading)
}

/// French typography: a no-break space before `:` and `;` and inside « », which also keeps
/// clap from wrapping a line between a word and its colon (it breaks only at spaces).
fn typeset(text: &str) -> String {
    text.replace(" :", "\u{a0}:")
        .replace(" ;", "\u{a0};")
        .replace("« ", "«\u{a0}")
        .replace(" »", "\u{a0}»")
}

/// clap's own flags and `help` subcommand, which exist only once the command is built.
fn builtins_in_french(mut cmd: Command) -> Command {
    let has = |cmd: &Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        cmd = cmd.mut_arg("help", |a| {
            a.help(french::HELP_FLAG)
                .long_help(None::<&str>)
                .help_heading(french::OPTIONS)
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| {
            a.help(french::VERSION_FLAG).help_heading(french::OPTIONS)
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            // `build` expands `help` into a copy of the tree, whose abouts are French already.
            let sub = if name == "help" {
                sub.about(french::HELP_SUBCOMMAND)
            } else {
                sub
            };
            builtins_in_french(sub)
        });
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_build_for_both_purposes() {
        // `build` runs clap's debug assertions over the whole tree.
        for lang in [Lang::Fr, Lang::En] {
            for purpose in [Purpose::Parse, Purpose::Man] {
                let cmd = command(lang, purpose);
                assert_eq!(cmd.get_name(), "sdet-audit");
            }
        }
    }

    #[test]
    fn every_lang_option_defaults_to_the_language_chosen() {
        fn walk(cmd: &Command, expected: &str) {
            let lang = cmd
                .get_arguments()
                .find(|a| a.get_id() == "lang")
                .unwrap_or_else(|| panic!("{} has no --lang", cmd.get_name()));
            let defaults: Vec<_> = lang.get_default_values().to_vec();
            assert_eq!(defaults, [expected], "{}", cmd.get_name());
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                walk(sub, expected);
            }
        }
        walk(&command(Lang::Fr, Purpose::Parse), "fr");
        walk(&command(Lang::En, Purpose::Parse), "en");
    }
}
