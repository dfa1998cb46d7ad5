//! clap's usage errors, said in French. clap writes them in English only; what it knows about
//! one (its kind, the argument, the value, the possible values, a suggestion, the usage line) is
//! in the error's context, from which the French message is written here. In English the error
//! is left to clap.

use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// `error` in French, as clap would lay it out: the message, a suggestion, the usage line, and
/// where to find help.
pub fn french(error: &clap::Error) -> String {
    let mut out = format!("erreur : {}", message(error));
    let mut suggested = false;
    let mut suggest = |out: &mut String, line: String| {
        if !suggested {
            out.push('\n');
            suggested = true;
        }
        let _ = write!(out, "\n  conseil : {line}");
    };
    for (kind, what) in [
        (
            ContextKind::SuggestedSubcommand,
            "une sous-commande proche existe",
        ),
        (ContextKind::SuggestedArg, "un argument proche existe"),
        (ContextKind::SuggestedValue, "une valeur proche existe"),
    ] {
        let names = strings(error, kind);
        if !names.is_empty() {
            suggest(&mut out, format!("{what} : {}", quoted(&names)));
        }
    }
    if let Some(ContextValue::StyledStrs(tips)) = error.get(ContextKind::Suggested) {
        for tip in tips {
            suggest(&mut out, tip_in_french(&tip.to_string()));
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage
            .strip_prefix("Usage:")
            .map(|rest| format!("{}{rest}", super::french::USAGE))
            .unwrap_or(usage);
        let _ = write!(out, "\n\n{usage}");
    }
    out.push_str("\n\nPour en savoir plus, essayez « --help ».\n");
    out
}

/// The first line of the error.
fn message(error: &clap::Error) -> String {
    let arg = string(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
    let number = |kind| match error.get(kind) {
        Some(ContextValue::Number(n)) => *n,
        _ => 0,
    };
    match error.kind() {
        ErrorKind::ArgumentConflict => {
            let prior = error.get(ContextKind::PriorArg);
            if let Some(sub) = string(error, ContextKind::InvalidSubcommand) {
                format!(
                    "la sous-commande « {sub} » ne va pas avec {}",
                    others(prior)
                )
            } else if prior == Some(&ContextValue::String(arg.clone())) {
                format!("l'argument « {arg} » ne peut être donné qu'une fois")
            } else {
                format!("l'argument « {arg} » ne va pas avec {}", others(prior))
            }
        }
        ErrorKind::NoEquals => format!("il faut un signe = pour donner une valeur à « {arg} »"),
        ErrorKind::InvalidValue if value.is_empty() => with_values(
            format!("« {arg} » attend une valeur, aucune n'a été donnée"),
            &strings(error, ContextKind::ValidValue),
            "valeurs possibles",
        ),
        ErrorKind::InvalidValue => with_values(
            format!("valeur « {value} » invalide pour « {arg} »"),
            &strings(error, ContextKind::ValidValue),
            "valeurs possibles",
        ),
        ErrorKind::InvalidSubcommand => format!(
            "sous-commande inconnue « {} »",
            string(error, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => {
            let mut line = "ces arguments obligatoires manquent :".to_owned();
            for missing in strings(error, ContextKind::InvalidArg) {
                let _ = write!(line, "\n  {missing}");
            }
            line
        }
        ErrorKind::MissingSubcommand => with_values(
            format!(
                "« {} » attend une sous-commande, aucune n'a été donnée",
                string(error, ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            &strings(error, ContextKind::ValidSubcommand),
            "sous-commandes",
        ),
        ErrorKind::InvalidUtf8 => "un argument n'est pas de l'UTF-8 valide".to_owned(),
        ErrorKind::TooManyValues => {
            format!("valeur « {value} » en trop pour « {arg} » : aucune autre n'était attendue")
        }
        ErrorKind::TooFewValues => format!(
            "« {arg} » attend au moins {} valeur(s), {} donnée(s)",
            number(ContextKind::MinValues),
            number(ContextKind::ActualNumValues)
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "« {arg} » attend {} valeur(s), {} donnée(s)",
            number(ContextKind::ExpectedNumValues),
            number(ContextKind::ActualNumValues)
        ),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(error).map(reason);
            match why {
                Some(why) => format!("valeur « {value} » invalide pour « {arg} » : {why}"),
                None => format!("valeur « {value} » invalide pour « {arg} »"),
            }
        }
        ErrorKind::UnknownArgument => format!("argument inattendu « {arg} »"),
        // Not errors of the command line (help, version, I/O): clap's own text.
        _ => error
            .kind()
            .as_str()
            .unwrap_or("erreur d'utilisation")
            .to_owned(),
    }
}

/// Why a value was refused: the number parsers' reasons in French, any other as its parser
/// says it.
fn reason(source: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind;
    match source
        .downcast_ref::<std::num::ParseIntError>()
        .map(std::num::ParseIntError::kind)
    {
        Some(IntErrorKind::Empty) => "un nombre est attendu".to_owned(),
        Some(IntErrorKind::InvalidDigit) => "un nombre entier positif est attendu".to_owned(),
        Some(IntErrorKind::PosOverflow) => "nombre trop grand".to_owned(),
        Some(IntErrorKind::NegOverflow) => "nombre trop petit".to_owned(),
        Some(IntErrorKind::Zero) => "zéro n'est pas permis".to_owned(),
        _ => source.to_string(),
    }
}

/// clap's tips, which it writes in English, in French: the three it gives.
fn tip_in_french(tip: &str) -> String {
    let quoted: Vec<&str> = tip.split('\'').skip(1).step_by(2).collect();
    match quoted.as_slice() {
        [arg, fix] if tip.starts_with("to pass ") => {
            format!("pour passer « {arg} » comme valeur, écrivez « {fix} »")
        }
        [sub, _] if tip.starts_with("subcommand ") => {
            format!("la sous-commande « {sub} » existe : retirez le « -- » qui la précède")
        }
        [flag] if tip.ends_with(" exists") => format!("« {flag} » existe"),
        _ => tip.to_owned(),
    }
}

fn with_values(line: String, values: &[String], name: &str) -> String {
    if values.is_empty() {
        line
    } else {
        format!("{line}\n  [{name} : {}]", values.join(", "))
    }
}

fn others(prior: Option<&ContextValue>) -> String {
    match prior {
        Some(ContextValue::String(one)) => format!("« {one} »"),
        Some(ContextValue::Strings(many)) => {
            let mut line = "ceux-ci :".to_owned();
            for one in many {
                let _ = write!(line, "\n  {one}");
            }
            line
        }
        _ => "un des autres arguments donnés".to_owned(),
    }
}

fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("« {n} »"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_tips_are_said_in_french() {
        assert_eq!(
            tip_in_french("to pass '--lang' as a value, use '-- --lang'"),
            "pour passer « --lang » comme valeur, écrivez « -- --lang »"
        );
        assert_eq!(
            tip_in_french("subcommand 'demo' exists; to use it, remove the '--' before it"),
            "la sous-commande « demo » existe : retirez le « -- » qui la précède"
        );
        assert_eq!(
            tip_in_french("'grids --lang' exists"),
            "« grids --lang » existe"
        );
    }

    #[test]
    fn a_number_refused_says_why_in_french() {
        let error = "abc".parse::<u64>().unwrap_err();
        assert_eq!(reason(&error), "un nombre entier positif est attendu");
    }
}
