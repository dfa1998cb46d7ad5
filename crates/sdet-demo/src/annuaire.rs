//! The reference ENT's directory data: the AAF export the académie sends it (a small synthetic
//! export from `feeds::generate`, written at start into the ENT's state folder, so `audit` checks it
//! through `annuaire.feeds` like any ENT's) and the LDAP entries a faithful import makes of it, per
//! the SDET ENT schema — structures named by UAI, people with their AAF key in
//! `ENTPersonJointure`, classes as `structure DN$class`, parent links on the parent's side.
//!
//! Each AAF [`Defect`] edits one spot of the pupils' file, so exactly one `aaf.*` probe fails; with
//! `Defect::DirectoryDrift` one pupil is left out of the directory and another is put in a class
//! the export does not give them, so `ldap.reconcile` must fail.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use super::defect::Defect;
use sdet_feeds::generate;
use sdet_feeds::reconcile::export;
use sdet_feeds::reconcile::model::{Key, Person, Pool, Profile};

/// People in the export: one school's worth (about 120 pupils, 156 parents, 24 staff).
const PEOPLE: u64 = 300;

/// The directory's base DN.
pub(crate) const BASE_DN: &str = "dc=ent-demo,dc=fr";
/// The account the audit binds with.
pub(crate) const BIND_DN: &str = "cn=audit,dc=ent-demo,dc=fr";
/// How `ENTPersonJointure` names the source.
const SOURCE: &str = "AC-DEMO";

/// One directory entry: a DN and its attributes.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub dn: String,
    pub attrs: Vec<(String, Vec<String>)>,
}

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

/// The entries a faithful import of the export at `aaf` makes; with `drift`, the planted drift.
pub(crate) fn entries(aaf: &Path, drift: bool) -> Result<Vec<Entry>, String> {
    let mut pool = Pool::default();
    let export = export::read(&[aaf.to_path_buf()], &mut pool, &sdet_feeds::Silent)
        .map_err(|e| e.to_string())?;
    let mut people: Vec<(&Key, &Person)> = export.people.iter().collect();
    people.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = vec![
        entry(BASE_DN, &[("objectClass", &["dcObject", "organization"])]),
        entry(
            &format!("ou=people,{BASE_DN}"),
            &[("objectClass", &["organizationalUnit"])],
        ),
        entry(
            &format!("ou=structures,{BASE_DN}"),
            &[("objectClass", &["organizationalUnit"])],
        ),
    ];
    let mut uais: Vec<&str> = people
        .iter()
        .flat_map(|(_, p)| p.structures.iter().map(|&s| pool.get(s)))
        .collect();
    uais.sort_unstable();
    uais.dedup();
    for uai in uais {
        let jointure = format!("{SOURCE}${uai}");
        out.push(entry(
            &structure_dn(uai),
            &[
                (
                    "objectClass",
                    &["organizationalUnit", "ENTStructure", "ENTEtablissement"],
                ),
                ("ENTStructureUAI", &[uai]),
                ("ENTStructureJointure", &[&jointure]),
            ],
        ));
    }
    let mut pupils_of: BTreeMap<&Key, Vec<String>> = BTreeMap::new();
    for (key, p) in &people {
        for parent in &p.parents {
            pupils_of.entry(parent).or_default().push(person_dn(key));
        }
    }
    let (left_out, moved) = if drift {
        let mut pupils = people.iter().filter(|(_, p)| p.profile == Profile::Eleve);
        (
            pupils.next().map(|(k, _)| *k),
            pupils.next().map(|(k, _)| *k),
        )
    } else {
        (None, None)
    };
    for (key, p) in &people {
        if Some(*key) == left_out {
            continue;
        }
        out.push(person(
            key,
            p,
            &pool,
            pupils_of.get(key),
            Some(*key) == moved,
        ));
    }
    Ok(out)
}

/// A person's entry; `moved` plants the wrong class.
fn person(key: &Key, p: &Person, pool: &Pool, pupils: Option<&Vec<String>>, moved: bool) -> Entry {
    let (class, profil) = match p.profile {
        Profile::Eleve => ("ENTEleve", "National_ELV"),
        Profile::Parent => ("ENTAuxPersRelEleve", "National_TUT"),
        Profile::Enseignant => ("ENTAuxEnseignant", "National_ENS"),
        Profile::Personnel | Profile::Inconnu => ("ENTAuxNonEnsEtab", "National_DIR"),
    };
    let classes: Vec<String> = p
        .classes
        .iter()
        .map(|&c| {
            let (uai, code) = pool.get(c).split_once('$').unwrap_or(("", pool.get(c)));
            let code = if moved {
                format!("{code}-X")
            } else {
                code.to_owned()
            };
            format!("{}${code}", structure_dn(uai))
        })
        .collect();
    let mut attrs = vec![
        (
            "objectClass".to_owned(),
            vec!["inetOrgPerson".into(), "ENTPerson".into(), class.into()],
        ),
        ("uid".to_owned(), vec![format!("u{key}")]),
        (
            "ENTPersonJointure".to_owned(),
            vec![format!("{SOURCE}${key}")],
        ),
        ("ENTPersonProfils".to_owned(), vec![profil.to_owned()]),
    ];
    if let Some(&s) = p.structures.first() {
        attrs.push((
            "ENTPersonStructRattach".to_owned(),
            vec![structure_dn(pool.get(s))],
        ));
    }
    if !classes.is_empty() {
        let name = if p.profile == Profile::Eleve {
            "ENTEleveClasses"
        } else {
            "ENTAuxEnsClasses"
        };
        attrs.push((name.to_owned(), classes));
    }
    if let Some(pupils) = pupils {
        attrs.push(("ENTAuxPersRelEleveEleve".to_owned(), pupils.clone()));
    }
    Entry {
        dn: person_dn(key),
        attrs,
    }
}

fn person_dn(key: &Key) -> String {
    format!("uid=u{key},ou=people,{BASE_DN}")
}

fn structure_dn(uai: &str) -> String {
    format!("ou={uai},ou=structures,{BASE_DN}")
}

fn entry(dn: &str, attrs: &[(&str, &[&str])]) -> Entry {
    Entry {
        dn: dn.to_owned(),
        attrs: attrs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), v.iter().map(|s| (*s).to_owned()).collect()))
            .collect(),
    }
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
