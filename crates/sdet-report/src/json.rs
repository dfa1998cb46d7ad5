//! The JSON renderer: the report as it is, pretty-printed. It is the contract certifiers script
//! against (`reports/schema/report.v1.schema.json`). Every other JSON output (compare, diff,
//! merge, grids diff) carries the same `format_version` through [`versioned`], so a script can
//! refuse what it does not know before reading it.

use serde::Serialize;

use super::{FORMAT_VERSION, Report};

/// Renders the report as pretty JSON.
pub fn render(report: &Report) -> String {
    // A Report holds only strings, numbers and enums: serialising it cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

/// A JSON object with `format_version` first, then `inner`'s own fields.
#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    format_version: u32,
    #[serde(flatten)]
    inner: &'a T,
}

/// Renders `inner` (a struct, so a JSON object) as pretty JSON with `format_version` added.
pub fn versioned<T: Serialize>(inner: &T) -> String {
    let doc = Versioned {
        format_version: FORMAT_VERSION,
        inner,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
