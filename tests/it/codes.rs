//! Every code the tool shows follows one scheme, `area::name`, and names one thing: each place
//! that makes codes declares them in one enum (its area), the codes are unique across the whole
//! tool, and a code the documentation names exists. That each page lists all the codes of its
//! area is tested beside each enum.

use std::collections::BTreeMap;

use sdet_audit::code::{is_well_formed, named_in};
use sdet_audit::{diagnostic, error, feeds, probe};

use crate::support::root;

/// Every code of the tool, with the enum that declares it.
fn every_code() -> Vec<(&'static str, &'static str)> {
    let mut codes = Vec::new();
    codes.extend(
        diagnostic::Code::ALL
            .iter()
            .map(|c| (c.as_str(), "diagnostic::Code")),
    );
    codes.extend(error::Code::ALL.iter().map(|c| (c.as_str(), "error::Code")));
    codes.extend(feeds::Code::ALL.iter().map(|c| (c.as_str(), "feeds::Code")));
    codes.extend(
        probe::interop::gar::Code::ALL
            .iter()
            .map(|c| (c.as_str(), "gar::Code")),
    );
    codes
}

/// The area of each enum: one per place, so two places can never make the same code.
const AREAS: &[&str] = &[
    diagnostic::Code::AREA,
    error::Code::AREA,
    feeds::Code::AREA,
    probe::interop::gar::Code::AREA,
];

#[test]
fn every_code_follows_the_scheme_and_is_unique_across_the_tool() {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (code, place) in every_code() {
        assert!(
            is_well_formed(code),
            "{code} ({place}) is not area::kebab-name"
        );
        if let Some(first) = seen.insert(code, place) {
            panic!("{code} is declared by {first} and {place}");
        }
    }
    let mut areas = AREAS.to_vec();
    areas.sort_unstable();
    areas.dedup();
    assert_eq!(areas.len(), AREAS.len(), "two code enums share an area");
}

#[test]
fn every_code_the_documentation_names_exists() {
    let known: Vec<&str> = every_code().into_iter().map(|(code, _)| code).collect();
    let mut pages = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("readable");
        for area in AREAS {
            for code in named_in(&text, area) {
                assert!(
                    known.contains(&code),
                    "{} names {code}, which no code enum declares",
                    page.display()
                );
            }
        }
    }
}
