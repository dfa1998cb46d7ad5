//! Reading a JSON report back (`report --from`, `compare`, `diff`, `merge`, bundles). Within
//! `format_version` 1 fields are only ever added, so an older reader skips what it does not know;
//! a report of another format version may have changed the meaning of fields it kept, so it is
//! refused with a clear error instead of being read silently and misread.

use sdet_core::fr_en;
use sdet_core::parse_error::json_reason;
use sdet_core::text::Text;
use serde_json::Value;

use super::{FORMAT_VERSION, Report};

/// Why a text is not a report this version can read. `Display` is in the language errors are
/// shown in ([`sdet_core::text::errors_lang`]); serde_json's error is not kept as a source,
/// since the message already says it, in that language.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not JSON, or not a report's shape.
    #[error("{}", self.wording().shown())]
    Json(serde_json::Error),
    /// A format version this tool does not know.
    #[error("{}", self.wording().shown())]
    Version {
        /// The version the file declares.
        found: String,
    },
}

impl From<serde_json::Error> for ReadError {
    fn from(e: serde_json::Error) -> Self {
        ReadError::Json(e)
    }
}

impl ReadError {
    /// The message in French and English.
    pub fn wording(&self) -> Text {
        match self {
            ReadError::Json(e) => json_reason(e),
            ReadError::Version { found } => fr_en!(
                "format_version {found} n'est pas une version que ce sdet-audit lit (il lit la \
                 {FORMAT_VERSION}) : utilisez la version de sdet-audit qui l'a écrit, ou une plus \
                 récente",
                "format_version {found} is not one this sdet-audit reads (it reads {FORMAT_VERSION}): \
                 use the sdet-audit version that wrote it, or a newer one"
            ),
        }
    }
}

/// Checks that `value` declares the format version this tool reads.
pub fn check_version(value: &Value) -> Result<(), ReadError> {
    match value.get("format_version") {
        Some(v) if v.as_u64() == Some(u64::from(FORMAT_VERSION)) => Ok(()),
        Some(v) => Err(ReadError::Version {
            found: v.to_string(),
        }),
        // serde reports the missing field with its name.
        None => Ok(()),
    }
}

/// Parses one JSON report, refusing a format version this tool does not know.
pub fn parse(text: &str) -> Result<Report, ReadError> {
    let value: Value = serde_json::from_str(text)?;
    check_version(&value)?;
    Ok(serde_json::from_value(value)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_major_version_is_refused_by_name() {
        let err = check_version(&serde_json::json!({ "format_version": 2 })).expect_err("v2");
        assert!(
            err.to_string().starts_with("format_version 2 is not one"),
            "{err}"
        );
        assert!(check_version(&serde_json::json!({ "format_version": "1" })).is_err());
        assert!(check_version(&serde_json::json!({ "format_version": 1 })).is_ok());
    }
}
