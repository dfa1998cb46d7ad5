//! Declarations written back as the YAML file `Declarations::parse` reads, one line per
//! criterion as in the shipped example, so `declarations import` gives a file a person can
//! review in a diff. Scalars are JSON strings: JSON's escapes are YAML's, so any text survives.

use std::fmt::Write as _;

use super::Declarations;

/// The YAML declarations file.
pub(super) fn yaml(declarations: &Declarations, sdet_version: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
    let mut out = String::from(
        "# Écrit par `sdet-audit declarations import` / written by `sdet-audit declarations import`.\n",
    );
    let _ = writeln!(out, "sdet_version: {}", quote(sdet_version));
    if let Some(vendor) = &declarations.vendor {
        let _ = writeln!(out, "vendor: {}", quote(vendor));
    }
    if declarations.by_criterion.is_empty() {
        out.push_str("declarations: {}\n");
        return out;
    }
    out.push_str("declarations:\n");
    for (id, d) in &declarations.by_criterion {
        // Criterion ids (`SSO-CAS-03`) need no quotes; anything else gets them.
        let bare = id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && id.starts_with(|c: char| c.is_ascii_uppercase());
        let key = if bare { id.clone() } else { quote(id) };
        let _ = write!(out, "  {key}: {{ status: {}", d.status.as_str());
        if let Some(j) = &d.justification {
            let _ = write!(out, ", justification: {}", quote(j));
        }
        if let Some(p) = &d.proof {
            let _ = write!(out, ", proof: {}", quote(p));
        }
        out.push_str(" }\n");
    }
    out
}
