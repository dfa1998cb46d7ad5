//! The records of the synthetic export, kind by kind, in the order the schema's sequences want
//! them; and where the defects go when asked for.

use std::fmt::Write as _;
use std::io;

use super::{Options, Planted, Splitter, Written};

/// Pupils per structure (a collège).
const PUPILS_PER_STRUCTURE: u64 = 500;
/// Teachers per structure (one per 12 pupils).
const TEACHERS_PER_STRUCTURE: u64 = 42;
/// Divisions per level (6e to 3e): 125 pupils per level, 25 per division.
const DIVISIONS_PER_LEVEL: u64 = 5;
/// The four levels: name, MEF code, MEF label.
const LEVELS: [(&str, &str, &str); 4] = [
    ("6", "10010012110", "6EME"),
    ("5", "10110001110", "5EME"),
    ("4", "10210001110", "4EME"),
    ("3", "10310019110", "3EME BILANGUE"),
];
/// Subjects: code, label, a teacher's discipline (poste).
const SUBJECTS: [(&str, &str, &str); 6] = [
    ("061300", "MATHEMATIQUES", "L1300"),
    ("020700", "FRANCAIS", "L0202"),
    ("030201", "ANGLAIS LV1", "L0422"),
    ("040600", "HISTOIRE-GEOGRAPHIE", "L1000"),
    ("062700", "PHYSIQUE-CHIMIE", "L1500"),
    ("020300", "LATIN", "L0201"),
];
/// The one group (not a division) of each structure, its subject and the divisions it draws from.
const GROUP: (&str, &str, [&str; 2]) = ("LATIN4", "020300", ["4A", "4B"]);
/// Pupils of each structure in the group (the first of 4A).
const IN_GROUP: u64 = 12;
const LAST_NAMES: [&str; 8] = [
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND",
];
const FIRST_NAMES: [&str; 8] = [
    "Camille", "Louis", "Emma", "Gabriel", "Chloé", "Léo", "Manon", "Jules",
];

/// Identifier families: the first group of the UUID.
const PUPIL: u32 = 1;
const TEACHER: u32 = 2;
const PARENT: u32 = 3;
/// Never exported: the unknown person of the defects.
const NOBODY: u32 = 9;

/// A UUID, distinct for each (family, n), scattered like real ones.
fn uuid(family: u32, n: u64) -> String {
    let x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) & 0xFFFF_FFFF_FFFF;
    format!(
        "{family:08x}-{:04x}-4{:03x}-8{:03x}-{x:012x}",
        (n >> 32) & 0xFFFF,
        (n >> 20) & 0xFFF,
        n & 0xFFF
    )
}

fn uai(structure: u64) -> String {
    // A UAI: seven digits and a letter.
    let letter = char::from(b'A' + u8::try_from(structure % 23).unwrap_or(0));
    format!("{:07}{letter}", 1_000_000 + structure)
}

/// `<men:name>value</men:name>` (values are plain ASCII or accented letters: nothing to escape).
fn el(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "<men:{name}>{value}</men:{name}>");
}

/// A pupil's structure, level and division.
fn pupil_place(i: u64) -> (u64, usize, String) {
    let k = i % PUPILS_PER_STRUCTURE;
    let per_level = PUPILS_PER_STRUCTURE / 4;
    let level = usize::try_from(k / per_level).unwrap_or(0);
    let letter = char::from(
        b'A' + u8::try_from((k % per_level) / (per_level / DIVISIONS_PER_LEVEL)).unwrap_or(0),
    );
    (
        i / PUPILS_PER_STRUCTURE,
        level,
        format!("{}{letter}", LEVELS[level].0),
    )
}

/// Which pupils carry a defect (when asked for): their index.
#[derive(Clone, Copy)]
struct Defects(bool);

impl Defects {
    fn at(self, pupil: u64, which: u64) -> bool {
        self.0 && pupil == which
    }
}

const NO_NAME: u64 = 1;
const BAD_DATE: u64 = 2;
const BAD_ETAB: u64 = 3;
const BAD_MEF: u64 = 4;
const BAD_GROUP: u64 = 5;
const BAD_PERSON: u64 = 6;
const TEACHER_AS_PUPIL: u64 = 7;
/// Pupil 0's identifier is given to parent 0 too (and pupil 0 gets no taught subject, which a
/// parent could not have): the one duplicate.
const DUPLICATED: u64 = 0;

/// How many of each, and whether to plant the defects.
#[derive(Clone, Copy)]
struct Sizes {
    pupils: u64,
    structures: u64,
    teachers: u64,
    defects: Defects,
}

/// Notes a planted defect at the place its record was written.
fn plant(planted: &mut Vec<Planted>, code: &'static str, (file, line): (String, u64)) {
    planted.push(Planted { code, file, line });
}

/// Writes every kind.
pub(super) fn all(options: &Options, written: &mut Written) -> io::Result<()> {
    if options.defects && options.pupils < 8 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the defects need at least 8 pupils",
        ));
    }
    let structures = options.pupils.div_ceil(PUPILS_PER_STRUCTURE).max(1);
    let sizes = Sizes {
        pupils: options.pupils,
        structures,
        teachers: structures * TEACHERS_PER_STRUCTURE,
        defects: Defects(options.defects),
    };
    let mut planted = Vec::new();
    eleves(sizes, options, written, &mut planted)?;
    enseignants(sizes, options, written)?;
    etabs(sizes, options, written)?;
    groupes(sizes, options, written, &mut planted)?;
    resp_aff(sizes, options, written, &mut planted)?;
    written.planted = planted;
    Ok(())
}

/// Every division's code: 6A to 3E.
fn divisions() -> impl Iterator<Item = String> {
    LEVELS.iter().flat_map(|(level, ..)| {
        (0..DIVISIONS_PER_LEVEL)
            .map(move |d| format!("{level}{}", char::from(b'A' + u8::try_from(d).unwrap_or(0))))
    })
}

/// Pupils, their MEFs, their taught subjects.
fn eleves(
    sizes: Sizes,
    options: &Options,
    written: &mut Written,
    planted: &mut Vec<Planted>,
) -> io::Result<()> {
    let Sizes {
        pupils, defects, ..
    } = sizes;
    let mut r = String::with_capacity(1024);
    let mut eleve = Splitter::new("Eleve", options, written);
    for i in 0..pupils {
        r.clear();
        let (s, _, _) = pupil_place(i);
        let uai = uai(s);
        r.push_str("<men:GAREleve>");
        el(&mut r, "GARPersonIdentifiant", &uuid(PUPIL, i));
        r.push_str("<men:GARPersonProfils>");
        el(&mut r, "GARStructureUAI", &uai);
        el(&mut r, "GARPersonProfil", "National_elv");
        r.push_str("</men:GARPersonProfils>");
        if !defects.at(i, NO_NAME) {
            el(&mut r, "GARPersonNom", LAST_NAMES[(i % 8) as usize]);
        }
        el(&mut r, "GARPersonPrenom", FIRST_NAMES[(i / 8 % 8) as usize]);
        el(
            &mut r,
            "GARPersonAutresPrenoms",
            FIRST_NAMES[(i / 8 % 8) as usize],
        );
        let etab = if defects.at(i, BAD_ETAB) {
            "0999999Z".to_string()
        } else {
            uai
        };
        el(&mut r, "GARPersonEtab", &etab);
        let date = if defects.at(i, BAD_DATE) {
            "2012-13-45"
        } else {
            "2012-03-14"
        };
        el(&mut r, "GARPersonDateNaissance", date);
        r.push_str("</men:GAREleve>");
        let at = eleve.record(&r)?;
        if defects.at(i, NO_NAME) || defects.at(i, BAD_DATE) {
            plant(planted, "gar::schema", at);
        } else if defects.at(i, BAD_ETAB) {
            plant(planted, "gar::unknown-structure", at);
        }
    }
    for i in 0..pupils {
        r.clear();
        let (s, level, _) = pupil_place(i);
        r.push_str("<men:GARPersonMEF>");
        el(&mut r, "GARStructureUAI", &uai(s));
        el(&mut r, "GARPersonIdentifiant", &uuid(PUPIL, i));
        let mef = if defects.at(i, BAD_MEF) {
            "99999999999"
        } else {
            LEVELS[level].1
        };
        el(&mut r, "GARMEFCode", mef);
        r.push_str("</men:GARPersonMEF>");
        let at = eleve.record(&r)?;
        if defects.at(i, BAD_MEF) {
            plant(planted, "gar::unknown-mef", at);
        }
    }
    for i in 0..pupils {
        if defects.at(i, DUPLICATED) {
            continue;
        }
        r.clear();
        let (s, _, _) = pupil_place(i);
        r.push_str("<men:GAREleveEnseignement>");
        el(&mut r, "GARStructureUAI", &uai(s));
        let who = if defects.at(i, TEACHER_AS_PUPIL) {
            uuid(TEACHER, s * TEACHERS_PER_STRUCTURE)
        } else {
            uuid(PUPIL, i)
        };
        el(&mut r, "GARPersonIdentifiant", &who);
        el(&mut r, "GARMatiereCode", SUBJECTS[(i % 5) as usize].0);
        r.push_str("</men:GAREleveEnseignement>");
        let at = eleve.record(&r)?;
        if defects.at(i, TEACHER_AS_PUPIL) {
            plant(planted, "gar::wrong-person", at);
        }
    }
    eleve.finish()?;
    Ok(())
}

/// Teachers.
fn enseignants(sizes: Sizes, options: &Options, written: &mut Written) -> io::Result<()> {
    let Sizes { teachers, .. } = sizes;
    let mut r = String::with_capacity(1024);
    let mut enseignant = Splitter::new("Enseignant", options, written);
    for j in 0..teachers {
        r.clear();
        let uai = uai(j / TEACHERS_PER_STRUCTURE);
        r.push_str("<men:GAREnseignant>");
        el(&mut r, "GARPersonIdentifiant", &uuid(TEACHER, j));
        r.push_str("<men:GARPersonProfils>");
        el(&mut r, "GARStructureUAI", &uai);
        el(&mut r, "GARPersonProfil", "National_ens");
        r.push_str("</men:GARPersonProfils>");
        el(&mut r, "GARPersonNom", LAST_NAMES[(j % 8) as usize]);
        el(&mut r, "GARPersonPrenom", FIRST_NAMES[(j / 8 % 8) as usize]);
        el(
            &mut r,
            "GARPersonAutresPrenoms",
            FIRST_NAMES[(j / 8 % 8) as usize],
        );
        el(&mut r, "GARPersonEtab", &uai);
        r.push_str("<men:GAREnsDisciplinesPostes>");
        el(&mut r, "GARStructureUAI", &uai);
        el(
            &mut r,
            "GAREnsDisciplinePosteCode",
            SUBJECTS[(j % 6) as usize].2,
        );
        r.push_str("</men:GAREnsDisciplinesPostes></men:GAREnseignant>");
        enseignant.record(&r)?;
    }
    enseignant.finish()?;
    Ok(())
}

/// Structures, their MEFs, their subjects.
fn etabs(sizes: Sizes, options: &Options, written: &mut Written) -> io::Result<()> {
    let Sizes { structures, .. } = sizes;
    let mut r = String::with_capacity(1024);
    let mut etab = Splitter::new("Etab", options, written);
    for s in 0..structures {
        r.clear();
        r.push_str("<men:GAREtab>");
        el(&mut r, "GARStructureUAI", &uai(s));
        el(&mut r, "GARStructureNomCourant", &format!("COLLEGE {s}"));
        el(&mut r, "GARStructureContrat", "PU");
        r.push_str("</men:GAREtab>");
        etab.record(&r)?;
    }
    for s in 0..structures {
        for (_, code, label) in LEVELS {
            r.clear();
            r.push_str("<men:GARMEF>");
            el(&mut r, "GARStructureUAI", &uai(s));
            el(&mut r, "GARMEFCode", code);
            el(&mut r, "GARMEFLibelle", label);
            r.push_str("</men:GARMEF>");
            etab.record(&r)?;
        }
    }
    for s in 0..structures {
        for (code, label, _) in SUBJECTS {
            r.clear();
            r.push_str("<men:GARMatiere>");
            el(&mut r, "GARStructureUAI", &uai(s));
            el(&mut r, "GARMatiereCode", code);
            el(&mut r, "GARMatiereLibelle", label);
            r.push_str("</men:GARMatiere>");
            etab.record(&r)?;
        }
    }
    etab.finish()?;
    Ok(())
}

/// Divisions and groups, memberships, what teachers teach to whom.
fn groupes(
    sizes: Sizes,
    options: &Options,
    written: &mut Written,
    planted: &mut Vec<Planted>,
) -> io::Result<()> {
    let Sizes {
        pupils,
        structures,
        teachers,
        defects,
        ..
    } = sizes;
    let mut r = String::with_capacity(1024);
    let mut groupe = Splitter::new("Groupe", options, written);
    for s in 0..structures {
        let uai = uai(s);
        for division in divisions() {
            r.clear();
            r.push_str("<men:GARGroupe>");
            el(&mut r, "GARGroupeCode", &division);
            el(&mut r, "GARStructureUAI", &uai);
            el(&mut r, "GARGroupeLibelle", &format!("CLASSE {division}"));
            el(&mut r, "GARGroupeStatut", "DIVISION");
            r.push_str("</men:GARGroupe>");
            groupe.record(&r)?;
        }
        r.clear();
        r.push_str("<men:GARGroupe>");
        el(&mut r, "GARGroupeCode", GROUP.0);
        el(&mut r, "GARStructureUAI", &uai);
        el(&mut r, "GARGroupeLibelle", "LATIN 4E");
        el(&mut r, "GARGroupeStatut", "GROUPE");
        for division in GROUP.2 {
            el(&mut r, "GARGroupeDivAppartenance", division);
        }
        r.push_str("</men:GARGroupe>");
        groupe.record(&r)?;
    }
    for i in 0..pupils {
        let (s, _, division) = pupil_place(i);
        let member = |r: &mut String, group: &str, who: &str| {
            r.clear();
            r.push_str("<men:GARPersonGroupe>");
            el(r, "GARStructureUAI", &uai(s));
            el(r, "GARPersonIdentifiant", who);
            el(r, "GARGroupeCode", group);
            r.push_str("</men:GARPersonGroupe>");
        };
        let who = if defects.at(i, BAD_PERSON) {
            uuid(NOBODY, i)
        } else {
            uuid(PUPIL, i)
        };
        let group = if defects.at(i, BAD_GROUP) {
            "ZZ"
        } else {
            division.as_str()
        };
        member(&mut r, group, &who);
        let at = groupe.record(&r)?;
        if defects.at(i, BAD_PERSON) {
            plant(planted, "gar::unknown-person", at);
        } else if defects.at(i, BAD_GROUP) {
            plant(planted, "gar::unknown-group", at);
        }
        if division == GROUP.2[0] && i % (PUPILS_PER_STRUCTURE / 4 / DIVISIONS_PER_LEVEL) < IN_GROUP
        {
            member(&mut r, GROUP.0, &who);
            groupe.record(&r)?;
        }
    }
    teaching(&mut groupe, structures, teachers, &mut r)?;
    groupe.finish()?;
    Ok(())
}

/// Parents.
fn resp_aff(
    sizes: Sizes,
    options: &Options,
    written: &mut Written,
    planted: &mut Vec<Planted>,
) -> io::Result<()> {
    let Sizes {
        pupils, defects, ..
    } = sizes;
    let mut r = String::with_capacity(1024);
    let mut resp = Splitter::new("RespAff", options, written);
    for i in 0..pupils {
        r.clear();
        let (s, _, _) = pupil_place(i);
        let uai = uai(s);
        r.push_str("<men:GARRespAff>");
        let id = if defects.at(i, DUPLICATED) {
            uuid(PUPIL, i)
        } else {
            uuid(PARENT, i)
        };
        el(&mut r, "GARPersonIdentifiant", &id);
        el(&mut r, "GARPersonNom", LAST_NAMES[(i % 8) as usize]);
        el(
            &mut r,
            "GARPersonPrenom",
            FIRST_NAMES[((i + 3) % 8) as usize],
        );
        el(
            &mut r,
            "GARPersonMail",
            &format!("parent{i}@ent-bench.invalid"),
        );
        el(&mut r, "GARRespAffEtab", &uai);
        r.push_str("</men:GARRespAff>");
        let at = resp.record(&r)?;
        if defects.at(i, DUPLICATED) {
            plant(planted, "gar::duplicate-id", at);
        }
    }
    resp.finish()?;
    Ok(())
}

/// What teachers teach: the group's subject to the group, a subject to a division each.
fn teaching(
    groupe: &mut Splitter<'_>,
    structures: u64,
    teachers: u64,
    r: &mut String,
) -> io::Result<()> {
    for s in 0..structures {
        r.clear();
        r.push_str("<men:GAREnsGroupeMatiere>");
        el(r, "GARStructureUAI", &uai(s));
        el(
            r,
            "GARPersonIdentifiant",
            &uuid(TEACHER, s * TEACHERS_PER_STRUCTURE + 5),
        );
        el(r, "GARGroupeCode", GROUP.0);
        el(r, "GARMatiereCode", GROUP.1);
        r.push_str("</men:GAREnsGroupeMatiere>");
        groupe.record(r)?;
    }
    for j in 0..teachers {
        let s = j / TEACHERS_PER_STRUCTURE;
        let division = divisions()
            .nth((j % TEACHERS_PER_STRUCTURE % 20) as usize)
            .unwrap_or_default();
        r.clear();
        r.push_str("<men:GAREnsClasseMatiere>");
        el(r, "GARStructureUAI", &uai(s));
        el(r, "GARPersonIdentifiant", &uuid(TEACHER, j));
        el(r, "GARGroupeCode", &division);
        el(r, "GARMatiereCode", SUBJECTS[(j % 6) as usize].0);
        r.push_str("</men:GAREnsClasseMatiere>");
        groupe.record(r)?;
    }
    Ok(())
}
