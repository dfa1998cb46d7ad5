//! The reference ENT's GAR export: the five 2D files an ENT sends the GAR for its school (one
//! pupil, one teacher, one parent, class 4A), valid against GAR-ENT.xsd v1.7 and consistent
//! across files. Defects: `gar-schema-invalid` drops the pupil's required GARPersonNom (the
//! references still resolve), `gar-dangling-reference` enrols the pupil in a group the export
//! never defines (the schema cannot see it).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use quick_xml::escape::escape;

use super::defect::Defect;
use super::directory::{Directory, Profile};

/// The ENT's identifier in file names.
const ENT_ID: &str = "ENTDEMO";
/// The export's timestamp in file names.
const STAMP: &str = "20260901_020000";
/// The 4e MEF code and the subjects taught.
const MEF: (&str, &str) = ("10210001110", "4EME");
const SUBJECTS: &[(&str, &str)] = &[("061300", "MATHEMATIQUES"), ("020700", "FRANCAIS")];
/// The teacher's discipline (poste).
const DISCIPLINE: &str = "L1300";

/// `<men:name>value</men:name>`, escaped.
fn el(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "<men:{name}>{}</men:{name}>", escape(value));
}

fn file(kind: &str, body: &str) -> (String, String) {
    (
        format!("{ENT_ID}_GAR-ENT_Complet_{STAMP}_2D_{kind}_0000.xml"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<men:GAR-ENT-{kind} xmlns:men=\"http://data.education.fr/ns/gar\" Version=\"1.0\">\n{body}</men:GAR-ENT-{kind}>\n"
        ),
    )
}

/// The school, its MEF and its subjects (the GAR-ENT-Etab file's body).
fn structures(out: &mut String, uai: &str) {
    out.push_str("<men:GAREtab>");
    el(out, "GARStructureUAI", uai);
    el(out, "GARStructureNomCourant", "COLLEGE DES TILLEULS");
    el(out, "GARStructureContrat", "PU");
    out.push_str("</men:GAREtab>\n<men:GARMEF>");
    el(out, "GARStructureUAI", uai);
    el(out, "GARMEFCode", MEF.0);
    el(out, "GARMEFLibelle", MEF.1);
    out.push_str("</men:GARMEF>\n");
    for (code, label) in SUBJECTS {
        out.push_str("<men:GARMatiere>");
        el(out, "GARStructureUAI", uai);
        el(out, "GARMatiereCode", code);
        el(out, "GARMatiereLibelle", label);
        out.push_str("</men:GARMatiere>\n");
    }
}

/// The pupil's MEF and taught subject (GAR-ENT-Eleve, after the GAREleve records).
fn pupil_links(out: &mut String, uai: &str, id: &str) {
    out.push_str("<men:GARPersonMEF>");
    el(out, "GARStructureUAI", uai);
    el(out, "GARPersonIdentifiant", id);
    el(out, "GARMEFCode", MEF.0);
    out.push_str("</men:GARPersonMEF>\n<men:GAREleveEnseignement>");
    el(out, "GARStructureUAI", uai);
    el(out, "GARPersonIdentifiant", id);
    el(out, "GARMatiereCode", SUBJECTS[0].0);
    out.push_str("</men:GAREleveEnseignement>\n");
}

/// The export's files, as (name, content).
pub(crate) fn export(directory: &Directory, defects: &BTreeSet<Defect>) -> Vec<(String, String)> {
    let uai = directory.school.uai.as_str();
    let mut etab = String::new();
    let mut eleves = String::new();
    let mut enseignants = String::new();
    let mut resp = String::new();
    let mut groupes = String::new();

    structures(&mut etab, uai);
    groupes.push_str("<men:GARGroupe>");
    el(&mut groupes, "GARGroupeCode", "4A");
    el(&mut groupes, "GARStructureUAI", uai);
    el(&mut groupes, "GARGroupeLibelle", "4EME A");
    el(&mut groupes, "GARGroupeStatut", "DIVISION");
    groupes.push_str("</men:GARGroupe>\n");
    let mut memberships = String::new();
    let mut teaching = String::new();

    for person in &directory.people {
        let id = person.jointure;
        let identity = |out: &mut String, profile: &str, with_name: bool| {
            el(out, "GARPersonIdentifiant", id);
            out.push_str("<men:GARPersonProfils>");
            el(out, "GARStructureUAI", uai);
            el(out, "GARPersonProfil", profile);
            out.push_str("</men:GARPersonProfils>");
            if with_name {
                el(out, "GARPersonNom", person.last_name);
            }
            el(out, "GARPersonPrenom", person.first_name);
            el(out, "GARPersonAutresPrenoms", person.first_name);
        };
        match person.profile {
            Profile::Eleve => {
                eleves.push_str("<men:GAREleve>");
                identity(
                    &mut eleves,
                    "National_elv",
                    !defects.contains(&Defect::GarSchemaInvalid),
                );
                el(&mut eleves, "GARPersonEtab", uai);
                el(&mut eleves, "GARPersonDateNaissance", "2012-03-14");
                eleves.push_str("</men:GAREleve>\n");
                pupil_links(&mut eleves, uai, id);
                let group = if defects.contains(&Defect::GarDanglingReference) {
                    "4Z"
                } else {
                    "4A"
                };
                memberships.push_str("<men:GARPersonGroupe>");
                el(&mut memberships, "GARStructureUAI", uai);
                el(&mut memberships, "GARPersonIdentifiant", id);
                el(&mut memberships, "GARGroupeCode", group);
                memberships.push_str("</men:GARPersonGroupe>\n");
            }
            Profile::Enseignant => {
                enseignants.push_str("<men:GAREnseignant>");
                identity(&mut enseignants, "National_ens", true);
                el(&mut enseignants, "GARPersonEtab", uai);
                enseignants.push_str("<men:GAREnsDisciplinesPostes>");
                el(&mut enseignants, "GARStructureUAI", uai);
                el(&mut enseignants, "GAREnsDisciplinePosteCode", DISCIPLINE);
                enseignants.push_str("</men:GAREnsDisciplinesPostes></men:GAREnseignant>\n");
                teaching.push_str("<men:GAREnsClasseMatiere>");
                el(&mut teaching, "GARStructureUAI", uai);
                el(&mut teaching, "GARPersonIdentifiant", id);
                el(&mut teaching, "GARGroupeCode", "4A");
                el(&mut teaching, "GARMatiereCode", SUBJECTS[0].0);
                teaching.push_str("</men:GAREnsClasseMatiere>\n");
            }
            Profile::Parent => {
                resp.push_str("<men:GARRespAff>");
                el(&mut resp, "GARPersonIdentifiant", id);
                el(&mut resp, "GARPersonNom", person.last_name);
                el(&mut resp, "GARPersonPrenom", person.first_name);
                el(
                    &mut resp,
                    "GARPersonMail",
                    &format!("{}@ent-demo.invalid", person.username),
                );
                el(&mut resp, "GARRespAffEtab", uai);
                resp.push_str("</men:GARRespAff>\n");
            }
        }
    }
    groupes.push_str(&memberships);
    groupes.push_str(&teaching);
    vec![
        file("Etab", &etab),
        file("Eleve", &eleves),
        file("Enseignant", &enseignants),
        file("RespAff", &resp),
        file("Groupe", &groupes),
    ]
}
