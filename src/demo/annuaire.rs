//! The reference ENT's AAF export: the académie files it would import its accounts from,
//! written at start into the ENT's state folder so `audit` checks them through `annuaire.feeds`
//! like any ENT's. The population comes from the same generator as the benchmark (consistent,
//! every check letter and link right), small enough to write in a few milliseconds. Each AAF
//! [`Defect`] edits one spot of the pupils' file, so exactly one `aaf.*` probe fails.
//!
//! [`write_export`] is the one place the export is made, so that other views of the directory
//! (an LDAP view, say) can be derived from the same files.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use super::defect::Defect;
use crate::feeds::generate;

/// People in the export: one school's worth (about 120 pupils, 156 parents, 24 staff).
const PEOPLE: u64 = 300;

/// The file the AAF defects edit.
const PUPILS: &str = "ENT_BENCH_Complet_20250901_Eleve_0000.xml";

/// Writes the export into `dir/aaf/`, with `defects` applied, and returns that folder.
pub(crate) fn write_export(dir: &Path, defects: &BTreeSet<Defect>) -> io::Result<PathBuf> {
    let out = dir.join("aaf");
    generate::write(&generate::Options {
        people: PEOPLE,
        out: out.clone(),
    })?;
    let pupils = out.join(PUPILS);
    let mut xml = std::fs::read_to_string(&pupils)?;
    for defect in defects {
        xml = plant(*defect, xml)?;
    }
    std::fs::write(&pupils, xml)?;
    Ok(out)
}

/// `xml` (the pupils' file) with `defect` planted in it; unchanged for a non-AAF defect.
fn plant(defect: Defect, xml: String) -> io::Result<String> {
    let edited = match defect {
        // A name importers do not know: they abort the whole file (aaf.attributes).
        Defect::AafUnknownAttribute => replace_first(
            &xml,
            "<attributes>\n",
            "<attributes>\n<attr name=\"ENTEleveCouleurPreferee\"><value>bleu</value></attr>\n",
        ),
        // A birth date that does not exist (aaf.values).
        Defect::AafBadDate => replace_value(&xml, "ENTPersonDateNaissance", "31/02/2011"),
        // The first pupil's first parent link names nobody in the parents' file (aaf.links).
        Defect::AafUnknownParent => replace_first(
            &xml,
            "<attr name=\"ENTElevePersRelEleve\"><value>5000000$",
            "<attr name=\"ENTElevePersRelEleve\"><value>5999999$",
        ),
        // The transfer stopped before the root element was closed (aaf.structure); every record
        // is still whole, so nothing else is lost.
        Defect::AafTruncated => xml.strip_suffix("</ficAlimMENESR>\n").map(str::to_owned),
        _ => return Ok(xml),
    };
    edited.ok_or_else(|| {
        io::Error::other(format!(
            "the generated pupils' file has no place for the `{defect}` defect"
        ))
    })
}

fn replace_first(xml: &str, from: &str, to: &str) -> Option<String> {
    xml.contains(from).then(|| xml.replacen(from, to, 1))
}

/// `xml` with the first value of attribute `name` replaced by `value`.
fn replace_value(xml: &str, name: &str, value: &str) -> Option<String> {
    let open = format!("<attr name=\"{name}\"><value>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find("</value>")?;
    Some(format!("{}{value}{}", &xml[..start], &xml[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_aaf_defect_changes_the_pupils_file_once() {
        let xml = "<ficAlimMENESR>\n<attributes>\n<attr name=\"ENTPersonDateNaissance\"><value>01/02/2010</value></attr>\n\
<attr name=\"ENTElevePersRelEleve\"><value>5000000$10$1$1$1$1</value></attr>\n</ficAlimMENESR>\n";
        for (defect, gone, new) in [
            (Defect::AafBadDate, "01/02/2010", "31/02/2011"),
            (Defect::AafUnknownParent, "5000000$", "5999999$"),
            (Defect::AafUnknownAttribute, "", "ENTEleveCouleurPreferee"),
            (Defect::AafTruncated, "</ficAlimMENESR>", ""),
        ] {
            let edited = plant(defect, xml.to_owned()).expect("planted");
            assert!(gone.is_empty() || !edited.contains(gone), "{defect}");
            assert!(edited.contains(new), "{defect}");
        }
        assert_eq!(
            plant(Defect::NoHsts, xml.to_owned()).ok().as_deref(),
            Some(xml)
        );
        assert!(plant(Defect::AafBadDate, "<x/>".to_owned()).is_err());
    }
}
