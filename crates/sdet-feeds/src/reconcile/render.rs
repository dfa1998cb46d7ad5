//! Renderers of a [`Reconciliation`]: JSON (the contract: codes, counts, differences) and a
//! terminal view in French or English (counts per kind, then the first differences of each kind).

use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use super::compare::{DiffKind, Reconciliation};
use sdet_core::text::{Lang, pick};

/// Format of the JSON output.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    format_version: u32,
    differences_total: u64,
    #[serde(flatten)]
    reconciliation: &'a Reconciliation,
}

/// The JSON contract, pretty-printed.
pub fn json(reconciliation: &Reconciliation) -> String {
    let doc = Json {
        format_version: FORMAT_VERSION,
        differences_total: reconciliation.total(),
        reconciliation,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// What a difference kind means, for a person.
pub fn label(kind: DiffKind, lang: Lang) -> &'static str {
    match kind {
        DiffKind::Missing => pick(lang, "absent de l'annuaire", "missing from the directory"),
        DiffKind::Extra => pick(lang, "en trop dans l'annuaire", "extra in the directory"),
        DiffKind::Profile => pick(lang, "profil différent", "different profile"),
        DiffKind::Structure => pick(lang, "structure différente", "different structure"),
        DiffKind::Class => pick(lang, "classes différentes", "different classes"),
        DiffKind::Parent => pick(lang, "liens parents différents", "different parent links"),
    }
}

/// A summary for a terminal.
pub fn terminal(r: &Reconciliation, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} : {} — {} : {}",
        pick(
            lang,
            "Personnes dans l'export AAF",
            "People in the AAF export"
        ),
        r.export_people,
        pick(
            lang,
            "entrées avec clé AAF dans l'annuaire",
            "entries with an AAF key in the directory"
        ),
        r.directory_people
    );
    if r.export_problems {
        let _ = writeln!(
            out,
            "{}",
            pick(
                lang,
                "Attention : l'export a des erreurs de format (voir `sdet-audit feeds check`).",
                "Warning: the export has format errors (see `sdet-audit feeds check`)."
            )
        );
    }
    if r.ignored_records > 0 {
        let _ = writeln!(
            out,
            "{} {}",
            r.ignored_records,
            pick(
                lang,
                "enregistrement(s) modifyRequest non appliqué(s) : la réconciliation attend un export complet.",
                "modifyRequest record(s) not applied: reconciliation expects a full export."
            )
        );
    }
    let mut counts = Table::new();
    counts.load_preset(UTF8_FULL_CONDENSED);
    counts.set_content_arrangement(ContentArrangement::Disabled);
    counts.set_header([
        pick(lang, "écart", "difference"),
        pick(lang, "nombre", "count"),
    ]);
    for kind in DiffKind::ALL {
        let n = r.counts.get(&kind).copied().unwrap_or(0);
        counts.add_row([label(kind, lang).to_owned(), n.to_string()]);
    }
    let _ = writeln!(out, "{counts}");
    if r.total() == 0 {
        let _ = writeln!(
            out,
            "{}",
            pick(
                lang,
                "Aucun écart : l'annuaire reflète l'export.",
                "No difference: the directory reflects the export."
            )
        );
        return out;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_content_arrangement(ContentArrangement::Disabled);
    table.set_header([
        pick(lang, "écart", "difference"),
        pick(lang, "personne", "person"),
        pick(lang, "attendu (export)", "expected (export)"),
        pick(lang, "observé (annuaire)", "observed (directory)"),
    ]);
    for d in &r.differences {
        table.add_row([
            label(d.kind, lang).to_owned(),
            d.person.clone(),
            d.expected.clone().unwrap_or_else(|| "—".into()),
            d.observed.clone().unwrap_or_else(|| "—".into()),
        ]);
    }
    let _ = writeln!(out, "{table}");
    if r.differences.len() as u64 != r.total() {
        let _ = writeln!(
            out,
            "{} {} {}",
            pick(lang, "Au plus", "At most"),
            r.limit,
            pick(
                lang,
                "écarts listés par type (--limit pour en voir plus).",
                "differences listed per kind (--limit to see more)."
            )
        );
    }
    out
}

/// One line: the counts per kind, for a probe's message.
pub fn summary(r: &Reconciliation, lang: Lang) -> String {
    DiffKind::ALL
        .iter()
        .filter_map(|k| {
            let n = r.counts.get(k).copied().unwrap_or(0);
            (n > 0).then(|| format!("{n} {}", label(*k, lang)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
