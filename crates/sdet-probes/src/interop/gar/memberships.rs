//! Who may belong where in a GAR export: a pupil carries the `National_elv` profile and a
//! teacher does not; groups are divisions (classes) or groups; a group's divisions are divisions;
//! teaching records name a group of the right kind.

use super::Sink;
use super::index::Index;
use super::reader::Record;
use super::{Code, Severity};
use sdet_core::text::Text;

/// Staff profiles gar-connector emits for teachers and other staff, besides the documented
/// `National_ens` and `National_doc`.
const STAFF_PROFILES: &[&str] = &[
    "National_ens",
    "National_doc",
    "National_dir",
    "National_evs",
    "National_eta",
    "National_col",
];

pub(super) fn profiles(record: &Record, id: Option<&str>, pupil: bool, sink: &mut Sink<'_>) {
    let profiles: Vec<&str> = record.all("GARPersonProfils/GARPersonProfil").collect();
    if pupil && !profiles.contains(&"National_elv") {
        sink.add(
            Severity::Error,
            Code::Profile,
            record,
            id,
            Text::new(
                format!(
                    "un GAREleve sans le profil National_elv ({})",
                    profiles.join(", ")
                ),
                format!(
                    "a GAREleve without the National_elv profile ({})",
                    profiles.join(", ")
                ),
            ),
        );
    }
    for p in profiles {
        if !pupil && p == "National_elv" {
            sink.add(
                Severity::Error,
                Code::Profile,
                record,
                id,
                Text::new(
                    "un GAREnseignant avec le profil élève National_elv",
                    "a GAREnseignant with the pupil profile National_elv",
                ),
            );
        } else if p != "National_elv" && !STAFF_PROFILES.contains(&p) {
            sink.add(
                Severity::Warning,
                Code::UnknownProfile,
                record,
                id,
                Text::new(
                    format!("le profil {p} n'est pas un profil national du GAR"),
                    format!("profile {p} is not a GAR national profile"),
                ),
            );
        }
    }
}

pub(super) fn groups(
    record: &Record,
    uai: &str,
    id: Option<&str>,
    index: &Index,
    sink: &mut Sink<'_>,
) {
    if record.kind == "GARGroupe" {
        let status = record.get("GARGroupeStatut").unwrap_or_default();
        if !matches!(status, "DIVISION" | "GROUPE") {
            sink.add(
                Severity::Error,
                Code::GroupStatus,
                record,
                id,
                Text::new(
                    format!("GARGroupeStatut « {status} » n'est ni DIVISION ni GROUPE"),
                    format!("GARGroupeStatut « {status} » is neither DIVISION nor GROUPE"),
                ),
            );
        }
        for division in record.all("GARGroupeDivAppartenance") {
            match index.group(uai, division) {
                Some("DIVISION") => {}
                Some(_) => sink.add(
                    Severity::Error,
                    Code::UnknownGroup,
                    record,
                    id,
                    Text::new(
                        format!(
                            "GARGroupeDivAppartenance {division} est un groupe, pas une division"
                        ),
                        format!("GARGroupeDivAppartenance {division} is a group, not a division"),
                    ),
                ),
                None => sink.add(
                    Severity::Error,
                    Code::UnknownGroup,
                    record,
                    id,
                    Text::new(
                        format!("la division {division} n'est pas un GARGroupe de {uai}"),
                        format!("division {division} is not a GARGroupe of {uai}"),
                    ),
                ),
            }
        }
        return;
    }
    if let Some(code) = record.get("GARGroupeCode") {
        match index.group(uai, code) {
            None => sink.add(
                Severity::Error,
                Code::UnknownGroup,
                record,
                id,
                Text::new(
                    format!("le groupe {code} n'est pas un GARGroupe de {uai}"),
                    format!("group {code} is not a GARGroupe of {uai}"),
                ),
            ),
            Some(status) if record.kind == "GAREnsClasseMatiere" && status != "DIVISION" => {
                sink.add(
                    Severity::Warning,
                    Code::GroupStatus,
                    record,
                    id,
                    Text::new(format!("GAREnsClasseMatiere désigne {code}, de statut {status}, pas une DIVISION"), format!("GAREnsClasseMatiere names {code}, a {status}, not a DIVISION")),
                );
            }
            Some(status) if record.kind == "GAREnsGroupeMatiere" && status != "GROUPE" => {
                sink.add(
                    Severity::Warning,
                    Code::GroupStatus,
                    record,
                    id,
                    Text::new(
                        format!(
                            "GAREnsGroupeMatiere désigne {code}, de statut {status}, pas un GROUPE"
                        ),
                        format!("GAREnsGroupeMatiere names {code}, a {status}, not a GROUPE"),
                    ),
                );
            }
            Some(_) => {}
        }
    }
}
