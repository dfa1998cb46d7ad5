//! Reads YAML data files with serde-saphyr: a maintained, panic-free deserializer with budgets
//! against YAML bombs and locations miette can point at (serde_yaml is unmaintained upstream).

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic, SourceFile, yaml_span};

/// Parses `file` into `T`, turning a syntax or shape error into a located diagnostic.
pub fn parse<T: DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(&file.text).map_err(|err| {
        let span = err.location().and_then(|loc| yaml_span(&file.text, &loc));
        Diagnostic::new(
            Code::Yaml,
            format!("{}: {}", file.name, first_line(&err.to_string())),
        )
        .at(file, span)
        .label("here")
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

/// The span of a `Spanned` value in `file`.
pub fn span_of<T>(
    file: &SourceFile,
    spanned: &serde_saphyr::Spanned<T>,
) -> Option<miette::SourceSpan> {
    yaml_span(&file.text, &spanned.referenced)
}

#[cfg(test)]
mod tests {
    use super::first_line;

    #[test]
    fn keeps_only_the_message() {
        assert_eq!(
            first_line("error: line 16 column 5: unknown field `x`\n  snippet"),
            "unknown field `x`"
        );
        assert_eq!(first_line("plain message"), "plain message");
    }
}
