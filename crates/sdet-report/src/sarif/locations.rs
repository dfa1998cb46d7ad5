//! Where a SARIF result points. Code scanning annotates files of the checkout only and refuses
//! URIs with another scheme than `file`, so every result gets a file and a line:
//! - a feed or export finding: the file and line the probe found it on (AAF, GAR);
//! - anything else: the block of the target file that configures what was probed (`cas`,
//!   `interop.ical`…), the configuration a fix or a waiver starts from.
//!
//! The endpoint requested is kept as a logical location (`kind: resource`): its URL may hold a
//! redacted query (`ticket=[REDACTED]`), which is not a valid URI reference.

use serde_json::{Value, json};

use super::super::{CriterionRow, Report};
use sdet_core::artifact::{is_absolute, uri};
use sdet_core::verdict::Verdict;

/// Locations a result carries: code scanning stores many, shows one; a few are enough.
const MAX_LOCATIONS: usize = 10;

/// The target file's name when an old report does not record it.
const DEFAULT_TARGET: &str = "target.yaml";

/// A result's locations, the artifact URIs it names, and the endpoints behind it.
pub struct Places {
    /// SARIF `location` objects, the primary one first.
    pub locations: Vec<Value>,
    /// The artifact URIs, for the fingerprint.
    pub files: Vec<String>,
    /// The URLs requested by the deciding probes.
    pub endpoints: Vec<String>,
}

/// The locations of criterion `r`'s result.
pub fn of(report: &Report, r: &CriterionRow) -> Places {
    let wanted = if r.verdict == Verdict::Fail {
        "fail"
    } else {
        "error"
    };
    let deciding: Vec<_> = report
        .probes
        .iter()
        .filter(|p| r.probes.contains(&p.id) && !r.supports.contains(&p.id))
        .filter(|p| p.outcome.as_str() == wanted)
        .collect();
    let target = report.target.file.as_deref().unwrap_or(DEFAULT_TARGET);
    let folder = target.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut places: Vec<(String, Option<u64>)> = deciding
        .iter()
        .flat_map(|p| p.locations.iter())
        .map(|l| (join(folder, &l.file), l.line))
        .collect();
    if places.is_empty() {
        let block = deciding.first().map_or("portal", |p| block(&p.id));
        let line = report
            .target
            .lines
            .get(block)
            .or_else(|| {
                report
                    .target
                    .lines
                    .get(block.split('.').next().unwrap_or(block))
            })
            .copied();
        places.push((target.to_string(), line));
    }
    places.dedup();
    places.truncate(MAX_LOCATIONS);
    let mut endpoints: Vec<String> = Vec::new();
    for url in deciding
        .iter()
        .flat_map(|p| p.evidence.iter())
        .map(|x| &x.url)
    {
        if !endpoints.contains(url) {
            endpoints.push(url.clone());
        }
    }
    let mut logical = vec![json!({
        "name": r.id,
        "fullyQualifiedName": format!("{}/{}", r.axis, r.id),
        "kind": "module",
    })];
    logical.extend(
        endpoints
            .iter()
            .take(MAX_LOCATIONS)
            .map(|u| json!({ "name": u, "kind": "resource" })),
    );
    let locations = places
        .iter()
        .enumerate()
        .map(|(i, (file, line))| {
            let mut physical = json!({ "artifactLocation": { "uri": uri(file) } });
            if let Some(line) = line {
                physical["region"] = json!({ "startLine": line });
            }
            let mut location = json!({ "physicalLocation": physical });
            if i == 0 {
                location["logicalLocations"] = json!(logical);
            }
            location
        })
        .collect();
    Places {
        locations,
        files: places.into_iter().map(|(f, _)| uri(&f)).collect(),
        endpoints,
    }
}

/// The target block that configures probe `id`'s endpoint or files.
fn block(id: &str) -> &'static str {
    match id.split('.').next().unwrap_or_default() {
        "cas" => "cas",
        "saml" => "saml",
        "oidc" => "oidc",
        "aaf" => "annuaire.feeds",
        "ldap" => "annuaire.ldap",
        "gar" => "interop.gar_export",
        "ical" => "interop.ical",
        "rss" => "interop.rss",
        "webdav" => "interop.webdav",
        _ => "portal",
    }
}

/// `file` (relative to the target's folder, or absolute) as seen from the working directory.
fn join(folder: &str, file: &str) -> String {
    if folder.is_empty() || is_absolute(file) {
        file.to_string()
    } else {
        format!("{folder}/{file}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_resolve_against_the_target_folder() {
        assert_eq!(join("ci", "aaf/x.xml"), "ci/aaf/x.xml");
        assert_eq!(join("", "aaf/x.xml"), "aaf/x.xml");
        assert_eq!(join("ci", "/abs/x.xml"), "/abs/x.xml");
    }
}
