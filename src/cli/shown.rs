//! An error as the user sees it: miette's rendering, in the language of the command line. The
//! messages are already in it (see `crate::error`); miette adds a few words of its own in
//! English only, and no setting changes them: `Error:` before each diagnostic of a list and
//! `help:` before advice. In French those two are replaced where miette puts them, at the start
//! of a line (after the colour codes, on a terminal), never inside a message.

use crate::error::Error;
use crate::text::Lang;

/// `error` rendered by miette, with miette's own words in `lang`.
pub fn error(error: Error, lang: Lang) -> String {
    chrome(&format!("{:?}", Rendered(error)), lang)
}

/// Text miette rendered (an error, or the diagnostics `grids lint` prints), with miette's own
/// words in `lang`.
pub(crate) fn chrome(rendered: &str, lang: Lang) -> String {
    match lang {
        Lang::En => rendered.to_owned(),
        Lang::Fr => rendered.split_inclusive('\n').map(french_chrome).collect(),
    }
}

/// An error as miette's default handler shows it, but for a file error: its message says the
/// system's reason already, in the language errors are shown in, and the chain would say it
/// again below, in English (`╰─▶ No such file or directory (os error 2)`).
struct Rendered(Error);

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut options = miette::MietteHandlerOpts::new();
        if matches!(self.0, Error::Io { .. }) {
            options = options.without_cause_chain();
        }
        miette::ReportHandler::debug(&options.build(), &self.0, f)
    }
}

/// A rendered line with miette's `Error:` or `help:` in French, when it starts with one.
fn french_chrome(line: &str) -> String {
    // Colour codes (`ESC [ … m`) may come before the word.
    let mut start = 0;
    while line[start..].starts_with('\u{1b}') {
        match line[start..].find('m') {
            Some(end) => start += end + 1,
            None => break,
        }
    }
    let (codes, rest) = line.split_at(start);
    for (english, french) in [("Error: ", "Erreur : "), ("  help: ", "  conseil : ")] {
        if let Some(after) = rest.strip_prefix(english) {
            return format!("{codes}{french}{after}");
        }
    }
    line.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_miettes_words_at_the_start_of_a_line_change() {
        assert_eq!(french_chrome("Error: sdet::io\n"), "Erreur : sdet::io\n");
        assert_eq!(
            french_chrome("  help: donnez 1d\n"),
            "  conseil : donnez 1d\n"
        );
        assert_eq!(
            french_chrome("\u{1b}[36m  help: \u{1b}[0mdonnez 1d"),
            "\u{1b}[36m  conseil : \u{1b}[0mdonnez 1d"
        );
        // Inside a message, the words are the message's.
        assert_eq!(french_chrome("  × Error: x"), "  × Error: x");
        assert_eq!(french_chrome("  │ help: x"), "  │ help: x");
    }
}
