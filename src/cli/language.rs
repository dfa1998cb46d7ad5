//! The language of the command line itself — help, usage errors, man pages — decided before clap
//! parses anything, since clap prints help while parsing: the last `--lang fr|en` (or
//! `--lang=en`) anywhere on the command line, else the `SDET_LANG` environment variable, else
//! French, the audience's language. The same language is the default of every `--lang` option,
//! so a report is in the language its command line was.

use std::ffi::{OsStr, OsString};

use crate::text::Lang;

/// The environment variable that chooses the language when no `--lang` is given.
pub const ENV: &str = "SDET_LANG";

/// The language `args` (without the program name) and `env` (the value of [`ENV`], if set)
/// choose. `Err` names a value of [`ENV`] that is neither `fr` nor `en`: a wrong `--lang` is
/// left to clap, which refuses it with the possible values.
pub fn choose(args: &[OsString], env: Option<&OsStr>) -> Result<Lang, String> {
    if let Some(lang) = from_args(args) {
        return Ok(lang);
    }
    match env.map(|v| v.to_str()) {
        None | Some(Some("")) => Ok(Lang::Fr),
        Some(Some(v)) => {
            parse(v).ok_or_else(|| format!("{ENV}={v} : fr ou en attendu (expected fr or en)"))
        }
        Some(None) => Err(format!("{ENV} : fr ou en attendu (expected fr or en)")),
    }
}

/// The value of the last valid `--lang` before `--` (after it, every word is a value).
fn from_args(args: &[OsString]) -> Option<Lang> {
    let mut found = None;
    let mut words = args.iter().map(|a| a.to_str());
    while let Some(word) = words.next() {
        match word {
            Some("--") => break,
            Some("--lang") => {
                if let Some(lang) = words.next().flatten().and_then(parse) {
                    found = Some(lang);
                }
            }
            Some(w) => {
                if let Some(lang) = w.strip_prefix("--lang=").and_then(parse) {
                    found = Some(lang);
                }
            }
            None => {}
        }
    }
    found
}

fn parse(value: &str) -> Option<Lang> {
    match value {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The value `--lang` takes for `lang`.
pub fn value(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "fr",
        Lang::En => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_command_line_wins_then_the_environment_then_french() {
        let en = Some(OsStr::new("en"));
        assert_eq!(choose(&args(&["demo"]), None), Ok(Lang::Fr));
        assert_eq!(choose(&args(&["demo"]), en), Ok(Lang::En));
        assert_eq!(choose(&args(&["demo", "--lang", "fr"]), en), Ok(Lang::Fr));
        assert_eq!(choose(&args(&["--lang=en", "demo"]), None), Ok(Lang::En));
        assert_eq!(
            choose(&args(&["--lang", "en", "demo", "--lang", "fr"]), None),
            Ok(Lang::Fr)
        );
        assert_eq!(choose(&args(&["demo"]), Some(OsStr::new(""))), Ok(Lang::Fr));
    }

    #[test]
    fn what_is_not_a_language_is_ignored_on_the_line_and_refused_in_the_environment() {
        // clap refuses `--lang de` itself, in the language found otherwise.
        assert_eq!(choose(&args(&["--lang", "de"]), None), Ok(Lang::Fr));
        assert_eq!(choose(&args(&["--lang"]), None), Ok(Lang::Fr));
        // After `--`, `--lang en` is a value, not an option.
        assert_eq!(
            choose(&args(&["compare", "--", "--lang", "en"]), None),
            Ok(Lang::Fr)
        );
        let err = choose(&args(&["demo"]), Some(OsStr::new("de"))).unwrap_err();
        assert!(err.contains("SDET_LANG=de"), "{err}");
    }
}
