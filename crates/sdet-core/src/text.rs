//! Bilingual text. Reports speak French first (the audience) and English on request, so every
//! human-facing string in the grids and probe catalogue carries both.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The language a report is rendered in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French, the default: the SDET and its readers are French.
    #[default]
    Fr,
    /// English, on request.
    En,
}

/// A short text in French and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// French wording.
    pub fr: String,
    /// English wording.
    pub en: String,
}

impl Text {
    /// Builds a text from its two wordings.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            fr: fr.into(),
            en: en.into(),
        }
    }

    /// A value that reads the same in both languages: a status (`HTTP 404`), a URL, a header
    /// value, a glimpse of a body, a name. Explicit, so prose never slips into a report in one
    /// language only: a value is either this or a [`Text::new`] with both wordings.
    pub fn same(value: impl Into<String>) -> Self {
        let value = value.into();
        Self {
            fr: value.clone(),
            en: value,
        }
    }

    /// The wording in `lang`, falling back to the other one when it is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (wanted, other) = match lang {
            Lang::Fr => (&self.fr, &self.en),
            Lang::En => (&self.en, &self.fr),
        };
        if wanted.trim().is_empty() {
            other
        } else {
            wanted
        }
    }
}

/// The language errors are shown in. An error stays typed data until the edge, where miette
/// renders it through `Display`, which takes no argument: so the binary sets this once, from the
/// command line's language, before it runs a command, and the `Display` of an error reads it.
/// Unset — a library user, unit tests — errors read in English, the language of the code, so a
/// test that compares an error's English text keeps meaning what it says.
static ERRORS_IN: OnceLock<Lang> = OnceLock::new();

/// Shows every error in `lang` from now on; `false` (and no change) when a language was set
/// already: it is decided once per process, before any error can be shown.
pub fn show_errors_in(lang: Lang) -> bool {
    ERRORS_IN.set(lang).is_ok()
}

/// The language errors are shown in: the one [`show_errors_in`] set, else English.
pub fn errors_lang() -> Lang {
    ERRORS_IN.get().copied().unwrap_or(Lang::En)
}

impl Text {
    /// The wording an error shows: in [`errors_lang`].
    pub fn shown(&self) -> &str {
        self.get(errors_lang())
    }

    /// `subject : texte` / `subject: text`: a message about a file or an option, with French
    /// typography's space before the colon.
    #[must_use]
    pub fn about(&self, subject: impl std::fmt::Display) -> Text {
        Text::new(
            format!("{subject} : {}", self.get(Lang::Fr)),
            format!("{subject}: {}", self.get(Lang::En)),
        )
    }

    /// The texts joined by `separator`, in each language.
    pub fn join(texts: &[Text], separator: &str) -> Text {
        let (fr, en): (Vec<&str>, Vec<&str>) = texts
            .iter()
            .map(|t| (t.get(Lang::Fr), t.get(Lang::En)))
            .unzip();
        Text::new(fr.join(separator), en.join(separator))
    }
}

/// Why a file operation failed, in both languages: the system's own message is English (and
/// names its error number), so the common kinds get a French wording; a rarer one keeps the
/// system's message in both.
pub fn io_reason(error: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let fr = match error.kind() {
        K::NotFound => "introuvable",
        K::PermissionDenied => "accès refusé",
        K::AlreadyExists => "existe déjà",
        K::IsADirectory => "est un dossier",
        K::NotADirectory => "n'est pas un dossier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::StorageFull => "plus de place sur le disque",
        K::InvalidData => "données invalides",
        // Network kinds: a directory or a port that does not answer says these.
        K::ConnectionRefused => "connexion refusée",
        K::ConnectionReset => "connexion interrompue par l'autre côté",
        K::TimedOut => "délai dépassé",
        K::AddrInUse => "adresse déjà utilisée",
        K::AddrNotAvailable => "adresse indisponible sur cette machine",
        K::HostUnreachable => "hôte injoignable",
        K::NetworkUnreachable => "réseau injoignable",
        _ => return Text::same(error.to_string()),
    };
    // An error a library built around its own message (rustls's "invalid peer certificate:
    // UnknownIssuer", as InvalidData) says more than its kind: keep those words, quoted.
    match error.get_ref() {
        Some(inner) => Text::new(format!("{fr} : « {inner} »"), error.to_string()),
        None => Text::new(fr, error.to_string()),
    }
}

/// A [`Text`] from a French and an English format string sharing their arguments, for the
/// messages of errors: `fr_en!("{} : introuvable", "{}: not found", path.display())`. Both
/// are written where the message is, so neither language can be forgotten; the arguments are
/// evaluated once per language.
#[macro_export]
macro_rules! fr_en {
    ($fr:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        $crate::text::Text::new(format!($fr $(, $arg)*), format!($en $(, $arg)*))
    };
}

/// Picks the French or English form of a fixed label.
pub fn pick(lang: Lang, fr: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Fr => fr,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_other_language_when_empty() {
        let t = Text::new("", "only english");
        assert_eq!(t.get(Lang::Fr), "only english");
        assert_eq!(t.get(Lang::En), "only english");
        assert_eq!(Text::new("oui", "yes").get(Lang::Fr), "oui");
    }

    #[test]
    fn both_wordings_share_their_arguments_and_join_apart() {
        let n = 3;
        let t = crate::fr_en!("{n} problème(s) dans {}", "{n} problem(s) in {}", "a.yaml");
        assert_eq!(
            t,
            Text::new("3 problème(s) dans a.yaml", "3 problem(s) in a.yaml")
        );
        let joined = Text::join(&[t, Text::new("b", "c")], "; ");
        assert_eq!(joined.get(Lang::Fr), "3 problème(s) dans a.yaml; b");
        assert_eq!(joined.get(Lang::En), "3 problem(s) in a.yaml; c");
        let about = Text::new("introuvable", "not found").about("a.yaml");
        assert_eq!(
            about,
            Text::new("a.yaml : introuvable", "a.yaml: not found")
        );
    }

    #[test]
    fn a_common_file_error_has_a_french_wording() {
        let gone = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_reason(&gone).get(Lang::Fr), "introuvable");
        assert_eq!(io_reason(&gone).get(Lang::En), gone.to_string());
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(io_reason(&refused).get(Lang::Fr), "connexion refusée");
        let tls = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "invalid peer certificate: UnknownIssuer",
        );
        assert_eq!(
            io_reason(&tls),
            Text::new(
                "données invalides : « invalid peer certificate: UnknownIssuer »",
                "invalid peer certificate: UnknownIssuer"
            )
        );
        let odd = std::io::Error::other("odd");
        assert_eq!(io_reason(&odd), Text::same("odd"));
    }

    #[test]
    fn errors_read_in_english_until_the_binary_says_otherwise() {
        // Unit tests never set the language: what a library user sees.
        assert_eq!(errors_lang(), Lang::En);
        assert_eq!(Text::new("oui", "yes").shown(), "yes");
    }
}
