//! Identifiers with a check digit or letter: the UAI of a structure (seven digits and a letter
//! computed from them) and the SIRET of an establishment (Luhn, or La Poste's own rule).

use super::{Problem, clip, problem};
use crate::code::Code;

/// The letters a UAI check letter is taken from: the alphabet without I, O and Q.
const UAI_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";
/// The SIREN of La Poste, whose establishments use another checksum.
const LA_POSTE_SIREN: &str = "356000000";

/// The check letter of a UAI's seven digits.
pub fn uai_check_letter(digits: u32) -> char {
    char::from(UAI_LETTERS[(digits % 23) as usize])
}

pub(super) fn uai(value: &str) -> Option<Problem> {
    let bytes = value.as_bytes();
    if bytes.len() != 8
        || !bytes[..7].iter().all(u8::is_ascii_digit)
        || !bytes[7].is_ascii_uppercase()
    {
        return problem(
            Code::BadUai,
            format!(
                "`{}` n'est pas formé de sept chiffres et d'une majuscule",
                clip(value)
            ),
            format!("`{}` is not seven digits and a capital letter", clip(value)),
        );
    }
    let digits: u32 = value[..7].parse().unwrap_or(0);
    let expected = uai_check_letter(digits);
    if char::from(bytes[7]) == expected {
        None
    } else {
        problem(
            Code::UaiCheckLetter,
            format!(
                "`{value}` : la lettre clé de {} est {expected}",
                &value[..7]
            ),
            format!(
                "`{value}`: the check letter of {} is {expected}",
                &value[..7]
            ),
        )
    }
}

pub(super) fn siret(value: &str) -> Option<Problem> {
    let digits: Vec<u8> = value.bytes().filter(|b| *b != b' ').collect();
    if digits.len() != 14 || !digits.iter().all(u8::is_ascii_digit) {
        return problem(
            Code::BadSiret,
            format!("`{}` n'est pas formé de 14 chiffres", clip(value)),
            format!("`{}` is not 14 digits", clip(value)),
        );
    }
    let compact: String = digits.iter().map(|b| char::from(*b)).collect();
    let valid = if compact.starts_with(LA_POSTE_SIREN) {
        digits
            .iter()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5)
    } else {
        luhn(&digits)
    };
    if valid {
        None
    } else {
        problem(
            Code::SiretChecksum,
            format!("`{compact}` : la clé de contrôle du SIRET (Luhn) est fausse"),
            format!("`{compact}` fails the SIRET checksum (Luhn)"),
        )
    }
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}
