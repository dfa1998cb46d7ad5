//! Reads YAML data files with serde-saphyr: a maintained, panic-free deserializer with budgets
//! against YAML bombs and locations miette can point at (serde_yaml is unmaintained upstream).

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, SourceFile, yaml_span};
use crate::text::Text;

/// Parses `file` into `T`, turning a syntax or shape error into a located diagnostic.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(&file.text).map_err(|err| {
        let span = err.location().and_then(|loc| yaml_span(&file.text, &loc));
        // serde-saphyr words the problem in English: serde's own forms get a French wording,
        // the rest is quoted as it says it.
        Diagnostic::worded(
            Code::Yaml,
            worded(first_line(&err.to_string())).about(&file.name),
        )
        .at(file, span)
        .label_in(Text::new("ici", "here"))
    })
}

/// serde-saphyr renders its own position and snippet around the message; miette draws ours, so
/// keep only the message itself.
fn first_line(message: &str) -> &str {
    let line = message
        .lines()
        .next()
        .unwrap_or(message)
        .trim_end_matches(':');
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, rest)) if position.contains("column") => rest,
        _ => line,
    }
}

/// The deserializer's message in French and English: serde's and serde-saphyr's commonest forms
/// (a missing or unknown field, a value of the wrong type) are worded in French, anything else
/// is quoted as it is.
fn worded(message: &str) -> Text {
    crate::parse_error::yaml_reason(message)
}

/// The span of a `Spanned` value in `file`.
pub fn span_of<T>(
    file: &SourceFile,
    spanned: &serde_saphyr::Spanned<T>,
) -> Option<miette::SourceSpan> {
    yaml_span(&file.text, &spanned.referenced)
}

#[cfg(test)]
mod tests {
    use super::{first_line, worded};
    use crate::text::{Lang, Text};

    #[test]
    fn missing_and_unknown_fields_are_worded_in_french() {
        assert_eq!(
            worded("missing field `service`").get(Lang::Fr),
            "champ `service` manquant"
        );
        let unknown = worded("unknown field `bogus`, expected one of `name`, `portal`");
        assert_eq!(
            unknown.get(Lang::Fr),
            "champ inconnu `bogus`, attendu l'un de `name`, `portal`"
        );
        assert_eq!(
            unknown.get(Lang::En),
            "unknown field `bogus`, expected one of `name`, `portal`"
        );
        assert_eq!(
            worded("did not find expected key"),
            Text::new("« did not find expected key »", "did not find expected key")
        );
    }

    #[test]
    fn keeps_only_the_message() {
        assert_eq!(
            first_line("error: line 16 column 5: unknown field `x`\n  snippet"),
            "unknown field `x`"
        );
        assert_eq!(first_line("plain message"), "plain message");
    }
}
