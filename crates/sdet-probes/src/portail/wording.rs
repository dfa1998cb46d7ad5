//! The French wording real portals use for their legal pages, and a normalisation that lets us
//! match it robustly: case, accents, typographic apostrophes, non-breaking spaces and punctuation
//! all vary from one site to the next ("Mentions légales", "MENTIONS LEGALES", "Déclaration
//! d’accessibilité", "Accessibilité : partiellement conforme", "RGAA version 4.1 : 67,74 %").
//! The phrase lists come from public-sector footers and statements read while building the
//! fixtures in `fixtures/portail/` (see its README for the observed variants). The pages
//! themselves and what must be on each are in `legal_kinds`.

/// Lower-cases, strips diacritics and turns every run of non-alphanumeric characters into one
/// space, keeping decimal separators between digits (as `.`) and `%` as its own word. The result
/// starts and ends with a space so that phrases match on word boundaries with a plain `contains`.
pub fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = || {
            i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        };
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                push_unaccented(&mut out, lower);
            }
        } else if (c == ',' || c == '.') && between_digits() {
            out.push('.');
        } else if c == '%' {
            push_space(&mut out);
            out.push('%');
            out.push(' ');
        } else {
            push_space(&mut out);
        }
    }
    push_space(&mut out);
    out
}

fn push_space(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
}

fn push_unaccented(out: &mut String, c: char) {
    let plain = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' | 'ì' => "i",
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ÿ' | 'ý' => "y",
        'ç' => "c",
        'ñ' => "n",
        'œ' => "oe",
        'æ' => "ae",
        _ => {
            out.push(c);
            return;
        }
    };
    out.push_str(plain);
}

/// Whether normalised `haystack` holds the phrase (written plainly: lower case, no accents, words
/// separated by single spaces) as whole words.
pub fn has(haystack: &str, phrase: &str) -> bool {
    haystack.contains(&format!(" {phrase} "))
}

/// The byte offset of the first of `phrases` found in normalised `haystack`, with the phrase.
pub fn first<'p>(haystack: &str, phrases: &[&'p str]) -> Option<(usize, &'p str)> {
    phrases
        .iter()
        .filter_map(|p| haystack.find(&format!(" {p} ")).map(|at| (at, *p)))
        .min_by_key(|(at, _)| *at)
}

/// The RGAA conformity state an accessibility statement declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conformity {
    /// *Totalement conforme*: every criterion met.
    Total,
    /// *Partiellement conforme*: at least 50 % met.
    Partial,
    /// *Non conforme*: under 50 %, or no valid audit.
    None,
}

impl Conformity {
    /// The state as the RGAA names it.
    pub fn french(self) -> &'static str {
        match self {
            Conformity::Total => "totalement conforme",
            Conformity::Partial => "partiellement conforme",
            Conformity::None => "non conforme",
        }
    }

    /// Whether a compliance rate is compatible with the state (RGAA: total = 100 %, partial from
    /// 50 % to under 100 %, none under 50 %).
    pub fn admits(self, rate: f64) -> bool {
        match self {
            Conformity::Total => rate >= 99.995,
            Conformity::Partial => (50.0..100.0).contains(&rate),
            Conformity::None => rate < 50.0,
        }
    }
}

const STATES: &[(&str, Conformity)] = &[
    ("partiellement conforme", Conformity::Partial),
    ("en conformite partielle", Conformity::Partial),
    ("conformite partielle", Conformity::Partial),
    ("totalement conforme", Conformity::Total),
    ("entierement conforme", Conformity::Total),
    ("pleinement conforme", Conformity::Total),
    ("en conformite totale", Conformity::Total),
    ("conformite totale", Conformity::Total),
    ("est conforme", Conformity::Total),
    ("non conforme", Conformity::None),
    ("n est pas conforme", Conformity::None),
    ("n est pas en conformite", Conformity::None),
    ("pas en conformite", Conformity::None),
];

/// Characters after "état de conformité" in which the state is looked for: the section's first
/// paragraph. Statements also use "non-conformités" later on (the list of failures), which must
/// not be read as the state.
const STATE_WINDOW: usize = 600;

/// The conformity state a normalised statement declares: in its "état de conformité" section
/// when there is one, else the first state phrase anywhere.
pub fn conformity(text: &str) -> Option<Conformity> {
    let phrases: Vec<&str> = STATES.iter().map(|(p, _)| *p).collect();
    let scope = match text.find(" etat de conformite ") {
        Some(at) => {
            let mut end = (at + STATE_WINDOW).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            &text[at..end]
        }
        None => text,
    };
    let (_, phrase) = first(scope, &phrases)?;
    STATES.iter().find(|(p, _)| *p == phrase).map(|(_, c)| *c)
}

/// The first percentage in normalised `text` (`67.74 %`), between 0 and 100.
pub fn rate(text: &str) -> Option<f64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|pair| {
        let value: f64 = pair[0].parse().ok()?;
        (pair[1] == "%" && (0.0..=100.0).contains(&value)).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_accents_apostrophes_and_spaces() {
        assert_eq!(
            normalize("Déclaration d’accessibilité\u{a0}: PARTIELLEMENT conforme"),
            " declaration d accessibilite partiellement conforme "
        );
        assert_eq!(normalize("conforme à 67,74%."), " conforme a 67.74 % ");
        assert_eq!(
            normalize("Œuvre  — Mentions\tLégales"),
            " oeuvre mentions legales "
        );
        assert!(has(&normalize("Les MENTIONS-LÉGALES"), "mentions legales"));
        assert!(!has(&normalize("non conformités"), "non conforme"));
    }

    #[test]
    fn reads_the_declared_state_in_its_section() {
        let statement = normalize(
            "Le site est en conformité partielle avec le RGAA 4.1, en raison des non-conformités \
             énumérées ci-dessous.",
        );
        assert_eq!(conformity(&statement), Some(Conformity::Partial));
        let mentor = normalize(
            "Non-conformité : légende. ÉTAT DE CONFORMITÉ\nMENTOR n’est pas en conformité avec le RGAA version 4.1",
        );
        assert_eq!(conformity(&mentor), Some(Conformity::None));
        assert_eq!(
            conformity(&normalize("Accessibilité : totalement conforme")),
            Some(Conformity::Total)
        );
        assert_eq!(conformity(&normalize("Accessibilité")), None);
    }

    #[test]
    fn reads_rates_and_judges_them_against_the_state() {
        assert_eq!(
            rate(&normalize(
                "révèle que le site est conforme à 67,74% au RGAA"
            )),
            Some(67.74)
        );
        assert_eq!(rate(&normalize("24 % des critères")), Some(24.0));
        assert_eq!(rate(&normalize("RGAA 4.1")), None);
        assert!(Conformity::Partial.admits(82.0));
        assert!(!Conformity::Partial.admits(42.0));
        assert!(Conformity::None.admits(24.0));
        assert!(!Conformity::Total.admits(88.71));
    }
}
