//! Bilingual text. Reports speak French first (the audience) and English on request, so every
//! human-facing string in the grids and probe catalogue carries both.

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
}
