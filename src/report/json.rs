//! The JSON renderer: the report as it is, pretty-printed. It is the contract certifiers script
//! against (`reports/schema/report.v1.schema.json`).

use super::Report;

/// Renders the report as pretty JSON.
pub fn render(report: &Report) -> String {
    // A Report holds only strings, numbers and enums: serialising it cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}
