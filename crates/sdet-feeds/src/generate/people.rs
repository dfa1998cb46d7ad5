//! The records of the synthetic export: structures with their classes and groups, the national
//! subjects and MEFs they use, and the people, every link pointing at something that exists.

use std::io;

use super::super::kind::Kind;
use super::super::values::uai_check_letter;
use super::{Sizes, Writer};

const LAST: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
    "MERCIER",
    "DUPONT",
    "LAMBERT",
    "BONNET",
    "FRANÇOIS",
    "MARTINEZ",
    "L'HERMITE",
];
const FIRST: &[&str] = &[
    "Louis", "Gabriel", "Léo", "Raphaël", "Arthur", "Jules", "Maël", "Adam", "Lucas", "Hugo",
    "Jade", "Louise", "Emma", "Alice", "Ambre", "Lina", "Rose", "Chloé", "Léa", "Mila", "Anna",
    "Inès", "Zoé", "Éloïse",
];
const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Victor Hugo",
    "place de l'Église",
    "chemin des Vignes",
    "boulevard Gambetta",
];
const TOWNS: &[(&str, &str)] = &[
    ("16000", "ANGOULÊME"),
    ("16100", "COGNAC"),
    ("16300", "BARBEZIEUX"),
    ("16400", "LA COURONNE"),
];
/// Level, MEF code, label.
pub(super) const LEVELS: &[(&str, &str, &str)] = &[
    ("6", "10010012110", "6EME"),
    ("5", "10110001110", "5EME"),
    ("4", "10210001110", "4EME"),
    ("3", "10310019110", "3EME"),
];
pub(super) const DIVISIONS: &[&str] = &["A", "B", "C", "D", "E"];
const SUBJECTS: &[(&str, &str)] = &[
    ("020700", "FRANCAIS"),
    ("030201", "ANGLAIS LV1"),
    ("030602", "ESPAGNOL LV2"),
    ("030102", "ALLEMAND LV2"),
    ("040600", "HISTOIRE-GEOGRAPHIE"),
    ("061300", "MATHEMATIQUES"),
    ("062900", "PHYSIQUE-CHIMIE"),
    ("063400", "SCIENCES DE LA VIE ET DE LA TERRE"),
    ("070100", "TECHNOLOGIE"),
    ("080100", "ARTS PLASTIQUES"),
    ("080300", "EDUCATION MUSICALE"),
    ("100100", "EDUCATION PHYSIQUE ET SPORTIVE"),
    ("020300", "LATIN"),
    ("021900", "EDUCATION MORALE ET CIVIQUE"),
];

pub(super) fn structure_id(s: u64) -> String {
    (10_000 + s).to_string()
}

pub(super) fn uai(s: u64) -> String {
    let digits = u32::try_from((160_000 + s) % 10_000_000).unwrap_or(0);
    format!("{digits:07}{}", uai_check_letter(digits))
}

pub(super) fn siret(s: u64) -> String {
    let base = format!("1916{s:09}");
    (0..10)
        .map(|d| format!("{base}{d}"))
        .find(|c| luhn(c))
        .unwrap_or(base)
}

fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 };
            if d > 9 { d - 9 } else { d }
        })
        .sum();
    sum.is_multiple_of(10)
}

pub(super) fn class(p: u64) -> (usize, String) {
    let level = usize::try_from(p % 4).unwrap_or(0);
    let division = DIVISIONS[usize::try_from((p / 4) % 5).unwrap_or(0)];
    (level, format!("{}{division}", LEVELS[level].0))
}

fn date(w: &mut Writer, from: u64, years: u64) -> String {
    format!(
        "{:02}/{:02}/{}",
        1 + w.below(28),
        1 + w.below(12),
        from + w.below(years)
    )
}

pub(super) fn structures(w: &mut Writer, sizes: Sizes) -> io::Result<u64> {
    for s in 0..sizes.structures {
        let id = structure_id(s);
        let (zip, town) = TOWNS[usize::try_from(s % 4).unwrap_or(0)];
        w.open(Kind::EtabEducNat, &id)?;
        w.attr("ENTStructureJointure", &[&id])?;
        let uai = uai(s);
        w.attr("ENTStructureUAI", &[&uai])?;
        w.attr("ENTEtablissementUAI", &[&uai])?;
        w.attr("ENTStructureSIREN", &[&siret(s)])?;
        w.attr(
            "ENTStructureNomCourant",
            &[&format!("CLG$COLLEGE NUMERO {s}${town}")],
        )?;
        w.attr("ENTStructureTypeStruct", &["COLLEGE"])?;
        w.attr("ENTStructureCodeTypeStruct", &["340"])?;
        w.attr(
            "ENTEtablissementMinistereTutelle",
            &["MINISTERE DE L'EDUCATION NATIONALE"],
        )?;
        w.attr("ENTEtablissementContrat", &["PU"])?;
        w.attr(
            "street",
            &[&format!(
                "{} {}",
                1 + s % 90,
                STREETS[usize::try_from(s % 5).unwrap_or(0)]
            )],
        )?;
        w.attr("postalCode", &[zip])?;
        w.attr("l", &[town])?;
        w.attr(
            "telephoneNumber",
            &[&format!(
                "05 45 {:02} {:02} {:02}",
                s % 100,
                (s / 100) % 100,
                s % 97
            )],
        )?;
        w.attr(
            "ENTStructureMailSI",
            &[&format!("ce.{}@ac-poitiers.fr", uai.to_lowercase())],
        )?;
        w.attr("ENTServAcAcademie", &["POITIERS"])?;
        w.attr("ENTServAcCodeAcademie", &["013"])?;
        let classes: Vec<String> = LEVELS
            .iter()
            .flat_map(|(level, mef, label)| {
                DIVISIONS
                    .iter()
                    .map(move |d| format!("{level}{d}${label} {d}${mef}"))
            })
            .collect();
        w.attr(
            "ENTStructureClasses",
            &classes.iter().map(String::as_str).collect::<Vec<_>>(),
        )?;
        w.attr(
            "ENTStructureGroupes",
            &[
                "6-LAT$LATIN 6EME$6A$6B",
                "4-ESP$ESPAGNOL LV2$4A$4B$4C",
                "3-ALL$ALLEMAND LV2$3A",
            ],
        )?;
        w.close()?;
    }
    Ok(sizes.structures)
}

pub(super) fn subjects(w: &mut Writer) -> io::Result<u64> {
    for (code, label) in SUBJECTS {
        w.open(Kind::MatiereEducNat, code)?;
        w.attr("ENTMatJointure", &[code])?;
        w.attr("ENTLibelleMatiere", &[label])?;
        w.close()?;
    }
    Ok(SUBJECTS.len() as u64)
}

pub(super) fn mefs(w: &mut Writer) -> io::Result<u64> {
    for (_, code, label) in LEVELS {
        w.open(Kind::MefEducNat, code)?;
        w.attr("ENTMefJointure", &[code])?;
        w.attr("ENTLibelleMef", &[label])?;
        w.attr("ENTMEFRattach", &[code])?;
        w.attr("ENTMEFSTAT11", &[&format!("1{}", &code[1..])])?;
        w.attr("ENTNivFormation", &[label])?;
        w.close()?;
    }
    Ok(LEVELS.len() as u64)
}

fn identity(w: &mut Writer, id: &str, born: u64, years: u64) -> io::Result<()> {
    let (last, first) = (w.pick(LAST), w.pick(FIRST));
    w.attr("ENTPersonJointure", &[id])?;
    let birth = date(w, born, years);
    w.attr("ENTPersonDateNaissance", &[&birth])?;
    w.attr("ENTPersonNomPatro", &[last])?;
    w.attr("sn", &[last])?;
    w.attr("givenName", &[first])?;
    let other = w.pick(FIRST);
    w.attr("ENTPersonAutresPrenoms", &[first, other])?;
    let title = w.pick(&["M.", "Mme"]);
    w.attr("personalTitle", &[title])
}

fn address(w: &mut Writer) -> io::Result<()> {
    let street = w.pick(STREETS);
    let number = 1 + w.below(120);
    w.attr("ENTPersonAdresse", &[&format!("{number} {street}$$$")])?;
    let (zip, town) = TOWNS[usize::try_from(w.below(4)).unwrap_or(0)];
    w.attr("ENTPersonCodePostal", &[zip])?;
    w.attr("ENTPersonVille", &[town])?;
    w.attr("ENTPersonPays", &["FRANCE"])
}

/// The parents of pupil `p`: the first, and for three in ten a second one.
pub(super) fn parents_of(p: u64, sizes: Sizes) -> Vec<u64> {
    let mut parents = vec![p];
    let second = sizes.pupils + (p / 10) * 3 + p % 10;
    if p % 10 < 3 && second < sizes.parents {
        parents.push(second);
    }
    parents
}

pub(super) fn pupils(w: &mut Writer, sizes: Sizes) -> io::Result<u64> {
    for p in 0..sizes.pupils {
        let id = (3_000_000 + p).to_string();
        let structure = structure_id((p / super::PUPILS_PER_STRUCTURE).min(sizes.structures - 1));
        let (level, class) = class(p);
        let (_, mef, label) = LEVELS[level];
        w.open(Kind::Eleve, &id)?;
        identity(w, &id, 2010, 5)?;
        w.attr(
            "ENTEleveINE",
            &[&format!(
                "{:010}{}",
                1_200_000_000 + p,
                char::from(b'A' + u8::try_from(p % 26).unwrap_or(0))
            )],
        )?;
        let links: Vec<String> = parents_of(p, sizes)
            .iter()
            .enumerate()
            .map(|(i, parent)| {
                format!(
                    "{}${}$1$1$1${}",
                    5_000_000 + parent,
                    if i == 0 { 10 } else { 20 },
                    u8::from(i == 0)
                )
            })
            .collect();
        w.attr(
            "ENTElevePersRelEleve",
            &links.iter().map(String::as_str).collect::<Vec<_>>(),
        )?;
        let (scholar, transport) = (w.pick(&["O", "N"]), w.pick(&["O", "N"]));
        w.attr("ENTEleveBoursier", &[scholar])?;
        let regime = w.pick(&["DEMI-PENSIONNAIRE", "EXTERNE LIBRE", "INTERNE 5 JOURS"]);
        w.attr("ENTEleveRegime", &[regime])?;
        w.attr("ENTEleveTransport", &[transport])?;
        address(w)?;
        w.attr("ENTEleveAdresseRel", &[&(5_000_000 + p).to_string()])?;
        w.attr("ENTEleveStatutEleve", &["SCOLAIRE"])?;
        w.attr("ENTEleveMEF", &[mef])?;
        w.attr("ENTEleveLibelleMEF", &[label])?;
        w.attr("ENTEleveNivFormation", &[label])?;
        w.attr("ENTEleveFiliere", &["GENERALE"])?;
        let first = usize::try_from(w.below(8)).unwrap_or(0);
        let taught = &SUBJECTS[first..first + 6];
        w.attr(
            "ENTEleveEnseignements",
            &taught.iter().map(|s| s.1).collect::<Vec<_>>(),
        )?;
        w.attr(
            "ENTEleveCodeEnseignements",
            &taught.iter().map(|s| s.0).collect::<Vec<_>>(),
        )?;
        w.attr("ENTPersonStructRattach", &[&structure])?;
        w.attr(
            "ENTEleveDateEntreeClasses",
            &[&format!("{structure}$01/09/2025${class}")],
        )?;
        w.attr("ENTEleveDateSortieClasses", &[])?;
        w.attr("ENTEleveClasses", &[&format!("{structure}${class}")])?;
        let group = match level {
            0 if class.ends_with('A') || class.ends_with('B') => Some("6-LAT"),
            2 if w.below(2) == 0 => Some("4-ESP"),
            _ => None,
        };
        match group {
            Some(g) => w.attr("ENTEleveGroupes", &[&format!("{structure}${g}")])?,
            None => w.attr("ENTEleveGroupes", &[])?,
        }
        w.close()?;
    }
    Ok(sizes.pupils)
}

pub(super) fn parents(w: &mut Writer, sizes: Sizes) -> io::Result<u64> {
    for r in 0..sizes.parents {
        let id = (5_000_000 + r).to_string();
        w.open(Kind::PersRelEleve, &id)?;
        identity(w, &id, 1970, 20)?;
        let phone = format!(
            "05 45 {:02} {:02} {:02}",
            r % 100,
            (r / 100) % 100,
            (r / 10_000) % 100
        );
        w.attr("homePhone", &[&phone])?;
        w.attr("telephoneNumber", &[])?;
        w.attr(
            "mobile",
            &[&format!(
                "06 {:02} {:02} {:02} {:02}",
                r % 97,
                r % 89,
                r % 83,
                r % 79
            )],
        )?;
        address(w)?;
        w.attr("mail", &[&format!("parent.{r}@example.fr")])?;
        let diffusion = w.pick(&["O", "N"]);
        w.attr("ENTPersonAdresseDiffusion", &[diffusion])?;
        w.close()?;
    }
    Ok(sizes.parents)
}

pub(super) fn staff(w: &mut Writer, sizes: Sizes) -> io::Result<u64> {
    for k in 0..sizes.staff {
        let id = (7_000_000 + k).to_string();
        let s = structure_id(k % sizes.structures);
        w.open(Kind::PersEducNat, &id)?;
        identity(w, &id, 1960, 35)?;
        w.attr("mail", &[&format!("agent.{k}@ac-poitiers.fr")])?;
        w.attr("ENTPersonStructRattach", &[&s])?;
        let teacher = k % 7 != 0;
        if teacher {
            let (code, label) = SUBJECTS[usize::try_from(k % 14).unwrap_or(0)];
            let (level, class) = class(k);
            let (_, mef, mef_label) = LEVELS[level];
            let other = class.replace(DIVISIONS[0], DIVISIONS[1]);
            w.attr(
                "ENTAuxEnsCategoDiscipline",
                &[&format!("L{}${label}", &code[..4])],
            )?;
            w.attr("ENTAuxEnsMEF", &[&format!("{s}${mef}${mef_label}")])?;
            w.attr("ENTAuxEnsMatiereEnseignEtab", &[&format!("{s}${label}")])?;
            w.attr(
                "ENTAuxEnsClasses",
                &[&format!("{s}${class}"), &format!("{s}${other}")],
            )?;
            w.attr("ENTAuxEnsGroupes", &[&format!("{s}$4-ESP")])?;
            w.attr(
                "ENTAuxEnsClassesMatieres",
                &[
                    &format!("{s}${class}${code}"),
                    &format!("{s}${other}${code}"),
                ],
            )?;
            w.attr("ENTAuxEnsGroupesMatieres", &[&format!("{s}$4-ESP$030602")])?;
            w.attr("ENTAuxEnsClassesPrincipal", &[&format!("{s}${class}")])?;
            w.attr(
                "ENTPersonFonctions",
                &[&format!("{s}$ENS$ENSEIGNEMENT$L{}${label}", &code[..4])],
            )?;
        } else {
            w.attr(
                "ENTPersonFonctions",
                &[&format!("{s}$DIR$DIRECTION$D0010$CHEF D'ETABLISSEMENT")],
            )?;
        }
        w.attr(
            "PersEducNatPresenceDevantEleves",
            &[if teacher { "O" } else { "N" }],
        )?;
        w.attr(
            "ENTPersonCategorieEnseignant",
            &[if teacher { "O" } else { "N" }],
        )?;
        w.close()?;
    }
    Ok(sizes.staff)
}
