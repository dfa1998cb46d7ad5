//! Value formats. The shapes follow what a real importer (entcore's `Validator`) accepts, so a value
//! refused here is a value an ENT would drop; check letters and checksums go further (an importer
//! takes any `0000000A`), and are warnings because the importer would not lose the value.
//! Hand-written matchers rather than regexes: they run on every value of a million-person export.

mod codes;

use super::code::Code;
pub use codes::uai_check_letter;
use codes::{siret, uai};
use sdet_core::text::Text;

/// Longest value importers keep.
pub const MAX_LEN: usize = 1000;

/// What one field of a `$`-separated value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Anything, even empty.
    Any,
    /// Not empty.
    NonEmpty,
    /// A date, DD/MM/YYYY.
    Date,
    /// Digits only.
    Digits,
}

/// The shape of an attribute's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Free text.
    Text,
    /// Digits only (codes).
    Digits,
    /// A date, DD/MM/YYYY, that exists.
    Date,
    /// A birth date: a date in 1900–2099.
    BirthDate,
    /// A UAI: seven digits and a check letter.
    Uai,
    /// A SIRET: 14 digits (spaces allowed).
    Siret,
    /// A postal code.
    PostalCode,
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// `O` (oui) or `N` (non).
    Flag,
    /// A national pupil identifier: 11 letters or digits.
    Ine,
    /// `$`-separated fields.
    Composite {
        /// Fewest fields.
        min: u8,
        /// Most fields.
        max: u8,
        /// Field shapes, by position (missing ones are `Any`).
        fields: &'static [Field],
    },
}

/// A value that does not have its attribute's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The finding code.
    pub code: Code,
    /// What is wrong, without the attribute's name, in French and English.
    pub message: Text,
}

#[allow(clippy::unnecessary_wraps)] // shortens every arm of `check`
fn problem(code: Code, fr: String, en: String) -> Option<Problem> {
    Some(Problem {
        code,
        message: Text::new(fr, en),
    })
}

/// Checks one non-empty value against a format.
pub fn check(format: Format, value: &str) -> Option<Problem> {
    // Bytes bound characters from above: count characters only when it could matter.
    if value.len() > MAX_LEN && value.chars().count() > MAX_LEN {
        return problem(
            Code::ValueTooLong,
            format!("{} caractères (au plus {MAX_LEN})", value.chars().count()),
            format!("{} characters (at most {MAX_LEN})", value.chars().count()),
        );
    }
    match format {
        Format::Text => None,
        Format::Digits if is_digits(value) => None,
        Format::Digits => problem(
            Code::BadValue,
            format!("`{}` n'est pas un code numérique", clip(value)),
            format!("`{}` is not a numeric code", clip(value)),
        ),
        Format::Date => date(value, false),
        Format::BirthDate => date(value, true),
        Format::Uai => uai(value),
        Format::Siret => siret(value),
        Format::PostalCode if postal_code(value) => None,
        Format::PostalCode => problem(
            Code::BadPostalCode,
            format!("`{}` n'est pas un code postal", clip(value)),
            format!("`{}` is not a postal code", clip(value)),
        ),
        Format::Phone if phone(value) => None,
        Format::Phone => problem(
            Code::BadPhone,
            format!("`{}` n'est pas un numéro de téléphone", clip(value)),
            format!("`{}` is not a phone number", clip(value)),
        ),
        Format::Email if email(value) => None,
        Format::Email => problem(
            Code::BadEmail,
            format!("`{}` n'est pas une adresse électronique", clip(value)),
            format!("`{}` is not an e-mail address", clip(value)),
        ),
        Format::Flag if value == "O" || value == "N" => None,
        Format::Flag => problem(
            Code::BadFlag,
            format!("`{}` n'est ni `O` ni `N`", clip(value)),
            format!("`{}` is neither `O` nor `N`", clip(value)),
        ),
        Format::Ine
            if value.len() == 11
                && value
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) =>
        {
            None
        }
        Format::Ine => problem(
            Code::BadValue,
            format!(
                "`{}` n'est pas un INE (11 lettres ou chiffres)",
                clip(value)
            ),
            format!("`{}` is not an INE (11 letters or digits)", clip(value)),
        ),
        Format::Composite { min, max, fields } => composite(value, min, max, fields),
    }
}

fn date(value: &str, birth: bool) -> Option<Problem> {
    match parse_date(value) {
        None => problem(
            Code::BadDate,
            format!("`{}` n'est pas une date JJ/MM/AAAA qui existe", clip(value)),
            format!("`{}` is not a date DD/MM/YYYY that exists", clip(value)),
        ),
        Some((_, _, year)) if birth && !(1900..=2099).contains(&year) => problem(
            Code::BadDate,
            format!("`{value}` : une date de naissance en {year}"),
            format!("`{value}`: a birth date in {year}"),
        ),
        Some(_) => None,
    }
}

/// Parses DD/MM/YYYY into (day, month, year) if that day exists.
pub fn parse_date(value: &str) -> Option<(u8, u8, u16)> {
    let b = value.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        let s = value.get(r)?;
        if is_digits(s) { s.parse().ok() } else { None }
    };
    let (day, month, year) = (num(0..2)?, num(3..5)?, num(6..10)?);
    let days = sdet_core::calendar::days_in_month(year.into(), month.into())?;
    if day == 0 || u32::from(day) > days || year == 0 {
        return None;
    }
    Some((u8::try_from(day).ok()?, u8::try_from(month).ok()?, year))
}

/// `^[A-Za-z0-9\-\s]{4,9}$`
fn postal_code(value: &str) -> bool {
    (4..=9).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b.is_ascii_whitespace() || b == 0x0b)
}

/// `^(00|\+)?(?:[0-9] ?-?\.?){6,15}$`
fn phone(value: &str) -> bool {
    let rest = value.strip_prefix('+').unwrap_or(value);
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut digits = 0usize;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            return false;
        }
        digits += 1;
        i += 1;
        for sep in [b' ', b'-', b'.'] {
            if bytes.get(i) == Some(&sep) {
                i += 1;
            }
        }
    }
    let leading_00 = !value.starts_with('+')
        && rest.starts_with("00")
        && bytes.get(2).is_some_and(u8::is_ascii_digit);
    (6..=15).contains(&digits) || (leading_00 && (6..=15).contains(&(digits - 2)))
}

/// `^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$`
fn email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    !local.is_empty()
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(&b))
        && !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && (2..=63).contains(&tld.len())
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
}

fn composite(value: &str, min: u8, max: u8, fields: &[Field]) -> Option<Problem> {
    let count = value.split('$').count();
    if count < usize::from(min) || count > usize::from(max) {
        let (wanted_fr, wanted) = if min == max {
            (format!("{min}"), format!("{min}"))
        } else {
            (format!("{min} à {max}"), format!("{min} to {max}"))
        };
        return problem(
            Code::BadComposite,
            format!(
                "`{}` a {count} champ(s) séparé(s) par `$`, {wanted_fr} attendu(s)",
                clip(value)
            ),
            format!(
                "`{}` has {count} `$`-separated field(s), {wanted} expected",
                clip(value)
            ),
        );
    }
    for (i, field) in value.split('$').enumerate() {
        let ok = match fields.get(i).copied().unwrap_or(Field::Any) {
            Field::Any => true,
            Field::NonEmpty => !field.trim().is_empty(),
            Field::Date => parse_date(field).is_some(),
            Field::Digits => is_digits(field),
        };
        if !ok {
            return problem(
                Code::BadComposite,
                format!(
                    "`{}` : le champ {} (`{}`) n'a pas la bonne forme",
                    clip(value),
                    i + 1,
                    clip(field)
                ),
                format!(
                    "`{}`: field {} (`{}`) has the wrong shape",
                    clip(value),
                    i + 1,
                    clip(field)
                ),
            );
        }
    }
    None
}

fn is_digits(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// A value cut for a message.
pub fn clip(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let cut: String = value.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(format: Format, value: &str) -> Option<Code> {
        check(format, value).map(|p| p.code)
    }

    #[test]
    fn uai_check_letters_of_real_schools() {
        // Lycée Henri-IV, Paris; and the two real UAIs of the 2013 entcore export.
        assert_eq!(code(Format::Uai, "0750654D"), None);
        assert_eq!(code(Format::Uai, "0049951V"), None);
        assert_eq!(code(Format::Uai, "0059952R"), None);
        assert_eq!(code(Format::Uai, "0750654E"), Some(Code::UaiCheckLetter));
        assert_eq!(code(Format::Uai, "075065D"), Some(Code::BadUai));
        assert_eq!(code(Format::Uai, "0750654d"), Some(Code::BadUai));
        assert_eq!(uai_check_letter(750_654), 'D');
    }

    #[test]
    fn siret_shape_and_luhn() {
        // A SIRET built to pass Luhn, and La Poste's own rule.
        assert_eq!(code(Format::Siret, "73282932000074"), None);
        assert_eq!(code(Format::Siret, "732 829 320 00074"), None);
        assert_eq!(
            code(Format::Siret, "73282932000075"),
            Some(Code::SiretChecksum)
        );
        // Not Luhn-valid, but its digits sum to a multiple of 5.
        assert_eq!(code(Format::Siret, "35600000000001"), None);
        assert_eq!(code(Format::Siret, "7328293200007"), Some(Code::BadSiret));
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("29/02/2024"), Some((29, 2, 2024)));
        assert_eq!(parse_date("29/02/2023"), None);
        assert_eq!(parse_date("31/04/2020"), None);
        assert_eq!(parse_date("1/01/2020"), None);
        assert_eq!(parse_date("2020-01-01"), None);
        assert_eq!(code(Format::BirthDate, "01/01/1850"), Some(Code::BadDate));
        assert_eq!(code(Format::Date, "01/01/1850"), None);
    }

    #[test]
    fn phones_postal_codes_and_mails_as_entcore_accepts_them() {
        for ok in [
            "+33 3 33 33 33 33",
            "0000000000",
            "01.02.03.04.05",
            "0033123456789012",
        ] {
            assert_eq!(code(Format::Phone, ok), None, "{ok}");
        }
        for bad in ["12345", "+33 (0)1 02", "abc", "01  02 03 04 05"] {
            assert_eq!(code(Format::Phone, bad), Some(Code::BadPhone), "{bad}");
        }
        assert_eq!(code(Format::PostalCode, "75017"), None);
        assert_eq!(code(Format::PostalCode, "750"), Some(Code::BadPostalCode));
        assert_eq!(code(Format::Email, "ce.fakestruct@mailinator.fr"), None);
        assert_eq!(code(Format::Email, "a@b"), Some(Code::BadEmail));
        assert_eq!(code(Format::Email, "a b@c.fr"), Some(Code::BadEmail));
    }

    #[test]
    fn composites_count_their_fields() {
        let parent = Format::Composite {
            min: 6,
            max: 6,
            fields: &[Field::NonEmpty, Field::Digits, Field::Digits],
        };
        assert_eq!(code(parent, "2867253$2$1$1$0$0"), None);
        assert_eq!(code(parent, "2867253$2$1$1$0"), Some(Code::BadComposite));
        assert_eq!(code(parent, "2867253$x$1$1$0$0"), Some(Code::BadComposite));
        let entry = Format::Composite {
            min: 3,
            max: 3,
            fields: &[Field::NonEmpty, Field::Date],
        };
        assert_eq!(code(entry, "3000$18/08/2020$1AQUA"), None);
        assert_eq!(
            code(entry, "3000$31/02/2020$1AQUA"),
            Some(Code::BadComposite)
        );
    }

    #[test]
    fn flags_and_lengths() {
        assert_eq!(code(Format::Flag, "O"), None);
        assert_eq!(code(Format::Flag, "oui"), Some(Code::BadFlag));
        assert_eq!(
            code(Format::Text, &"x".repeat(1001)),
            Some(Code::ValueTooLong)
        );
    }
}
