//! The allow-lists themselves, one table per kind and degree, from entcore's mapping files
//! (`feeder/src/main/resources/dictionary/mapping/aaf*/`) and the real exports, as summarised in
//! `../shared/research/formats.md` §1.5 (names), §1.6 (composite values) and §1.7 (required ones).

use super::super::kind::{Degree, Kind};
use super::super::values::{Field, Format};
use super::{AttrSpec as A, Link, Target};

const NE: Field = Field::NonEmpty;

/// `structure$code`
const STRUCT_CODE: Format = Format::Composite {
    min: 2,
    max: 2,
    fields: &[NE, NE],
};
/// `code$label`
const CODE_LABEL: Format = Format::Composite {
    min: 2,
    max: 2,
    fields: &[NE],
};
/// `structure$date$class`
const STRUCT_DATE_CLASS: Format = Format::Composite {
    min: 3,
    max: 3,
    fields: &[NE, Field::Date, NE],
};
/// `structure$group$subject`, the subject being optional
const STRUCT_CODE_SUBJECT: Format = Format::Composite {
    min: 2,
    max: 3,
    fields: &[NE, NE, NE],
};
/// `personId$relationType$respFinancier$respLegal$contact$paiement`
const PARENT_LINK: Format = Format::Composite {
    min: 6,
    max: 6,
    fields: &[
        NE,
        Field::Digits,
        Field::Digits,
        Field::Digits,
        Field::Digits,
        Field::Digits,
    ],
};
/// Up to four address lines.
const ADDRESS: Format = Format::Composite {
    min: 1,
    max: 4,
    fields: &[],
};
/// `code$label$…` (classes with their MEFs, groups with their classes)
const CODE_FIRST: Format = Format::Composite {
    min: 1,
    max: u8::MAX,
    fields: &[NE],
};
/// `structure$function$label$discipline$label`
const FUNCTION: Format = Format::Composite {
    min: 5,
    max: 5,
    fields: &[NE, NE],
};
/// 1D classes and groups: five fields, the structure first and the class or group fourth.
const CLASS_1D: Format = Format::Composite {
    min: 5,
    max: 5,
    fields: &[NE, Field::Any, Field::Any, NE],
};

const TO_STRUCTURE: &[Link] = &[Link::to(Target::Structure, 0)];
const TO_CLASS: &[Link] = &[Link::class(0, 1)];
const TO_GROUP: &[Link] = &[Link::group(0, 1)];

const ETAB_2D: &[A] = &[
    A::new("ENTStructureJointure").multi(),
    A::new("ENTStructureUAI").format(Format::Uai),
    A::new("ENTEtablissementUAI").format(Format::Uai),
    A::new("ENTStructureSIREN").format(Format::Siret),
    A::new("ENTStructureNomCourant")
        .required()
        .format(Format::Composite {
            min: 1,
            max: 3,
            fields: &[],
        }),
    A::new("ENTStructureTypeStruct"),
    A::new("ENTStructureCodeTypeStruct").format(Format::Digits),
    A::new("ENTEtablissementMinistereTutelle"),
    A::new("ENTEtablissementCodeMinistereTutelle").format(Format::Digits),
    A::new("ENTEtablissementContrat"),
    A::new("postOfficeBox"),
    A::new("street"),
    A::new("postalCode").format(Format::PostalCode),
    A::new("l"),
    A::new("telephoneNumber").format(Format::Phone),
    A::new("facsimileTelephoneNumber").format(Format::Phone),
    A::new("ENTEtablissementStructRattachFctl")
        .multi()
        .links(TO_STRUCTURE),
    A::new("ENTEtablissementBassin").format(CODE_LABEL),
    A::new("ENTServAcAcademie"),
    A::new("ENTServAcCodeAcademie").format(Format::Digits),
    // The spelling of older entcore mappings.
    A::new("ENTServCodeAcAcademie").format(Format::Digits),
    A::new("ENTStructureClasses").multi().format(CODE_FIRST),
    A::new("ENTStructureGroupes").multi().format(CODE_FIRST),
    A::new("ENTStructureMailSI").format(Format::Email),
    A::new("categorieStructure"),
];

const ETAB_1D: &[A] = &[
    A::new("ENTStructureJointure").multi(),
    A::new("ENTStructureUAI").format(Format::Uai),
    A::new("ENTStructureSIREN").format(Format::Siret),
    A::new("ENTStructureNomCourant")
        .required()
        .format(Format::Composite {
            min: 1,
            max: 3,
            fields: &[],
        }),
    A::new("ENTStructureTypeStruct"),
    A::new("ENTStructureCodeTypeStruct").format(Format::Digits),
    A::new("ENTEcoleMinistereTutelle"),
    A::new("ENTEcoleCodeMinistereTutelle").format(Format::Digits),
    A::new("ENTEtablissementContrat"),
    A::new("ENTStructureBoitePostale"),
    A::new("ENTStructureAdresse"),
    A::new("ENTStructureCodePostal").format(Format::PostalCode),
    A::new("ENTStructureVille"),
    A::new("ENTStructureTelephone").format(Format::Phone),
    A::new("ENTStructureFax").format(Format::Phone),
    A::new("ENTServAcAcademie"),
    A::new("ENTServAcCodeAcademie").format(Format::Digits),
    A::new("ENTEcoleSecteur"),
    A::new("ENTEcoleCirconscription"),
    A::new("ENTEcoleCommune"),
    A::new("ENTEcoleRPI"),
    A::new("ENTStructureEmail").format(Format::Email),
    A::new("ENTStructureMailSI").format(Format::Email),
    A::new("categorieStructure"),
];

const MATIERE: &[A] = &[
    A::new("ENTMatJointure").multi(),
    A::new("ENTLibelleMatiere").required(),
    A::new("ENTMatiereRattach"),
    A::new("categorieMatiere"),
];

const MEF: &[A] = &[
    A::new("ENTMefJointure").multi(),
    A::new("ENTLibelleMef").required(),
    A::new("ENTMEFRattach").required(),
    A::new("ENTMEFSTAT11").required().format(Format::Digits),
    A::new("ENTNivFormation"),
    A::new("ENTFiliere"),
    A::new("categorieMef"),
];

const ELEVE_2D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTEleveINE").format(Format::Ine),
    A::new("ENTPersonDateNaissance")
        .required()
        .format(Format::BirthDate),
    A::new("sn").required(),
    A::new("givenName").required(),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonNomPatro"),
    A::new("personalTitle"),
    A::new("ENTElevePersRelEleve")
        .multi()
        .format(PARENT_LINK)
        .links(&[Link::to(Target::Parent, 0)]),
    A::new("ENTPersonStructRattach").multi().links(TO_STRUCTURE),
    A::new("ENTEleveRegime"),
    A::new("ENTEleveMEF")
        .format(Format::Digits)
        .links(&[Link::to(Target::Mef, 0)]),
    A::new("ENTEleveLibelleMEF"),
    A::new("ENTEleveClasses")
        .multi()
        .format(STRUCT_CODE)
        .links(TO_CLASS),
    A::new("ENTEleveGroupes")
        .multi()
        .format(STRUCT_CODE)
        .links(TO_GROUP),
    A::new("ENTEleveNivFormation"),
    A::new("ENTEleveFiliere"),
    A::new("ENTEleveBoursier").format(Format::Flag),
    A::new("ENTEleveTransport").format(Format::Flag),
    A::new("ENTEleveStatutEleve"),
    A::new("ENTEleveStructRattachId"),
    A::new("ENTEleveStructureRattachIdMEN"),
    A::new("ENTEleveCodeEnseignements")
        .multi()
        .links(&[Link::to(Target::Subject, 0)]),
    A::new("ENTEleveEnseignements").multi(),
    A::new("ENTPersonAdresse").format(ADDRESS),
    A::new("ENTPersonCodePostal").format(Format::PostalCode),
    A::new("ENTPersonVille"),
    A::new("ENTPersonPays"),
    A::new("mail").format(Format::Email),
    A::new("homePhone").format(Format::Phone),
    A::new("ENTEleveAdresseRel").multi(),
    A::new("ENTEleveDateEntreeClasses")
        .multi()
        .format(STRUCT_DATE_CLASS)
        .links(&[Link::class(0, 2)]),
    A::new("ENTEleveDateSortieClasses")
        .multi()
        .format(STRUCT_DATE_CLASS)
        .links(&[Link::class(0, 2)]),
    A::new("ENTEleveDateEntreeStructRattach"),
    A::new("ENTEleveDateSortieStructRattach"),
    A::new("ENTEleveParents").multi().deprecated(),
    A::new("ENTElevePere").multi().deprecated(),
    A::new("ENTEleveMere").multi().deprecated(),
    A::new("ENTEleveAutoriteParentale").multi().deprecated(),
    A::new("ENTElevePersRelEleve1").deprecated(),
    A::new("ENTEleveQualitePersRelEleve1").deprecated(),
    A::new("ENTElevePersRelEleve2").deprecated(),
    A::new("ENTEleveQualitePersRelEleve2").deprecated(),
    A::new("ENTEleveEnseignementsEtablissementsAccueil")
        .multi()
        .deprecated(),
    A::new("categoriePersonne"),
];

const ELEVE_1D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTEleveINE").format(Format::Ine),
    A::new("ENTPersonDateNaissance")
        .required()
        .format(Format::BirthDate),
    A::new("ENTPersonNom").required(),
    A::new("ENTPersonPrenom").required(),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonNomPatro"),
    A::new("ENTPersonCivilite"),
    A::new("ENTEleveAutoriteParentale")
        .multi()
        .links(&[Link::to(Target::Parent, 0)]),
    A::new("ENTPersonStructRattach").multi().links(TO_STRUCTURE),
    A::new("ENTPersonClasses")
        .multi()
        .format(CLASS_1D)
        .links(TO_STRUCTURE),
    A::new("ENTPersonGroupes")
        .multi()
        .format(CLASS_1D)
        .links(TO_STRUCTURE),
    A::new("ENTEleveNiveau"),
    A::new("ENTEleveCycle"),
    A::new("ENTEleveTypeClasse"),
    A::new("ENTEleveDateEntreeClasses").multi(),
    A::new("ENTEleveDateSortieClasses").multi(),
    A::new("ENTEleveRestaurantScolaire").format(Format::Flag),
    A::new("ENTEleveTransport").format(Format::Flag),
    A::new("ENTEleveGarderieMatin").format(Format::Flag),
    A::new("ENTEleveGarderieSoir").format(Format::Flag),
    A::new("ENTEleveEtudesSurveillees").format(Format::Flag),
    A::new("categoriePersonne"),
];

const PERS_REL_2D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTPersonDateNaissance").format(Format::BirthDate),
    A::new("sn").required(),
    A::new("givenName").required(),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonNomPatro"),
    A::new("personalTitle"),
    A::new("homePhone").format(Format::Phone),
    A::new("telephoneNumber").format(Format::Phone),
    A::new("ENTPersonAdresse").format(ADDRESS),
    A::new("ENTPersonCodePostal").format(Format::PostalCode),
    A::new("ENTPersonVille"),
    A::new("ENTPersonPays"),
    A::new("ENTPersonAdresseDiffusion").format(Format::Flag),
    A::new("mobile").multi().format(Format::Phone),
    A::new("mail").format(Format::Email),
    A::new("ENTPersonMobileSMS").format(Format::Phone),
    A::new("ENTAuxPersRelEleveEleve")
        .multi()
        .links(&[Link::to(Target::Pupil, 0)]),
    A::new("categoriePersonne"),
];

const PERS_REL_1D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTPersonDateNaissance").format(Format::BirthDate),
    A::new("ENTPersonNom").required(),
    A::new("ENTPersonPrenom").required(),
    A::new("ENTPersonNomPatro"),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonCivilite"),
    A::new("ENTPersonTelPerso").format(Format::Phone),
    A::new("ENTPersRelEleveTelPro").format(Format::Phone),
    A::new("ENTPersonAdresse").format(ADDRESS),
    A::new("ENTPersonCodePostal").format(Format::PostalCode),
    A::new("ENTPersonVille"),
    A::new("ENTPersonPays"),
    A::new("ENTPersonAdresseDiffusion").format(Format::Flag),
    A::new("ENTPersonMail").format(Format::Email),
    A::new("ENTPersRelEleveTelMobile").format(Format::Phone),
    A::new("ENTPersRelEleveEleve")
        .multi()
        .links(&[Link::to(Target::Pupil, 0)]),
    A::new("categoriePersonne"),
];

const PERS_EDUC_2D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTPersonDateNaissance").format(Format::BirthDate),
    A::new("sn").required(),
    A::new("givenName").required(),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonNomPatro"),
    A::new("personalTitle"),
    A::new("mail").format(Format::Email),
    A::new("ENTPersonStructRattach").multi().links(TO_STRUCTURE),
    A::new("ENTAuxEnsCategoDiscipline")
        .multi()
        .format(CODE_LABEL),
    A::new("ENTAuxEnsMEF")
        .multi()
        .format(Format::Composite {
            min: 2,
            max: 3,
            fields: &[NE, NE],
        })
        .links(&[Link::to(Target::Structure, 0), Link::to(Target::Mef, 1)]),
    A::new("ENTAuxEnsMatiereEnseignEtab")
        .multi()
        .format(Format::Composite {
            min: 2,
            max: 2,
            fields: &[NE],
        })
        .links(TO_STRUCTURE),
    A::new("ENTAuxEnsClasses")
        .multi()
        .format(STRUCT_CODE)
        .links(TO_CLASS),
    A::new("ENTAuxEnsGroupes")
        .multi()
        .format(STRUCT_CODE)
        .links(TO_GROUP),
    A::new("ENTAuxEnsClassesMatieres")
        .multi()
        .format(STRUCT_CODE_SUBJECT)
        .links(&[Link::class(0, 1), Link::to(Target::Subject, 2)]),
    A::new("ENTAuxEnsGroupesMatieres")
        .multi()
        .format(STRUCT_CODE_SUBJECT)
        .links(&[Link::group(0, 1), Link::to(Target::Subject, 2)]),
    A::new("ENTAuxEnsClassesPrincipal")
        .multi()
        .format(STRUCT_CODE)
        .links(TO_CLASS),
    A::new("ENTEnsFonctionDir").multi(),
    A::new("ENTPersonFonctions")
        .multi()
        .format(FUNCTION)
        .links(TO_STRUCTURE),
    A::new("PersEducNatPresenceDevantEleves").format(Format::Flag),
    A::new("ENTPersonCategorieEnseignant").format(Format::Flag),
    A::new("ENTAuxEnsDisciplinesPoste").multi().deprecated(),
    A::new("ENTPersonSTSId").deprecated(),
    A::new("ENTPersonStructRattachDate").multi().deprecated(),
    A::new("ENTAuxEnsCategoDisciplineDate").multi().deprecated(),
    A::new("ENTAuxEnsMEFDate").multi().deprecated(),
    A::new("ENTAuxEnsClassesMatieresDate").multi().deprecated(),
    A::new("ENTAuxEnsGroupesMatieresDate").multi().deprecated(),
    A::new("ENTAuxEnsClassesPrincipalDate").multi().deprecated(),
    A::new("ENTPersonFonctionsDate").multi().deprecated(),
    A::new("ENTPersonCategorieEnseignantDate")
        .multi()
        .deprecated(),
    A::new("categoriePersonne"),
];

const PERS_EDUC_1D: &[A] = &[
    A::new("ENTPersonJointure").multi(),
    A::new("ENTPersonDateNaissance").format(Format::BirthDate),
    A::new("ENTPersonNom").required(),
    A::new("ENTPersonPrenom").required(),
    A::new("ENTPersonAutresPrenoms").multi(),
    A::new("ENTPersonNomPatro"),
    A::new("ENTPersonCivilite"),
    A::new("ENTPersonMail").format(Format::Email),
    A::new("ENTPersonStructRattach").multi().links(TO_STRUCTURE),
    A::new("ENTPersonFonctions")
        .multi()
        .format(FUNCTION)
        .links(TO_STRUCTURE),
    A::new("ENTEnsFonctionDir").multi(),
    A::new("ENTPersonCategorieEnseignant").format(Format::Flag),
    // In 1D the `*Date` companions are read, not deprecated.
    A::new("ENTPersonStructRattachDate").multi(),
    A::new("ENTPersonFonctionsDate").multi(),
    A::new("ENTEnsFonctionDirDate").multi(),
    A::new("ENTPersonCategorieEnseignantDate").multi(),
    A::new("ENTEnsSpecialites").multi().deprecated(),
    A::new("categoriePersonne"),
];

/// The table for a kind and degree.
pub(super) fn attrs(kind: Kind, degree: Degree) -> &'static [A] {
    match (kind, degree) {
        (Kind::EtabEducNat, Degree::Second) => ETAB_2D,
        (Kind::EtabEducNat, Degree::First) => ETAB_1D,
        (Kind::MatiereEducNat, _) => MATIERE,
        (Kind::MefEducNat, _) => MEF,
        (Kind::Eleve, Degree::Second) => ELEVE_2D,
        (Kind::Eleve, Degree::First) => ELEVE_1D,
        (Kind::PersRelEleve, Degree::Second) => PERS_REL_2D,
        (Kind::PersRelEleve, Degree::First) => PERS_REL_1D,
        (Kind::PersEducNat, Degree::Second) => PERS_EDUC_2D,
        (Kind::PersEducNat, Degree::First) => PERS_EDUC_1D,
    }
}
