//! The three legal pages an ENT portal must link from its home page, and for each the French
//! wording that announces it (link labels, addresses, titles) and the content the law requires on
//! it. Phrases are written normalised (see `wording::normalize`).

/// A legal page every ENT portal must link from its home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalPage {
    /// *Mentions légales* (LCEN, article 6).
    LegalNotice,
    /// *Déclaration d'accessibilité* (loi 2005-102, article 47; RGAA).
    Accessibility,
    /// The personal-data notice (RGPD, articles 13 and 14).
    PersonalData,
}

/// An element a page must contain, with its French and English names and the phrases that show it.
pub struct Required {
    /// French name, for messages.
    pub fr: &'static str,
    /// English name, for messages.
    pub en: &'static str,
    /// Any of these, normalised, shows it.
    pub phrases: &'static [&'static str],
}

impl LegalPage {
    /// French and English names, for messages.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            LegalPage::LegalNotice => ("mentions légales", "legal notice"),
            LegalPage::Accessibility => ("déclaration d'accessibilité", "accessibility statement"),
            LegalPage::PersonalData => (
                "notice sur les données personnelles",
                "personal-data notice",
            ),
        }
    }

    /// Link labels that announce the page.
    pub fn link_phrases(self) -> &'static [&'static str] {
        match self {
            LegalPage::LegalNotice => &[
                "mentions legales",
                "mention legale",
                "informations legales",
                "mentions legales et credits",
            ],
            LegalPage::Accessibility => &[
                "accessibilite",
                "declaration d accessibilite",
                "accessibilite numerique",
            ],
            LegalPage::PersonalData => PERSONAL_DATA_TITLES,
        }
    }

    /// Fragments of a link's path that announce the page, when its label says nothing (an icon).
    pub fn href_hints(self) -> &'static [&'static str] {
        match self {
            LegalPage::LegalNotice => &["mentions-legales", "mentions_legales", "mentionslegales"],
            LegalPage::Accessibility => &["accessibilite", "accessibility"],
            LegalPage::PersonalData => &[
                "donnees-personnelles",
                "donnees_personnelles",
                "protection-des-donnees",
                "confidentialite",
                "vie-privee",
                "rgpd",
                "privacy",
            ],
        }
    }

    /// Words the page's title or main heading carries when it really is this page.
    pub fn title_phrases(self) -> &'static [&'static str] {
        match self {
            LegalPage::LegalNotice => {
                &["mentions legales", "mention legale", "informations legales"]
            }
            LegalPage::Accessibility => &["accessibilite"],
            LegalPage::PersonalData => PERSONAL_DATA_TITLES,
        }
    }

    /// What the page must contain besides its title.
    pub fn required(self) -> &'static [Required] {
        match self {
            LegalPage::LegalNotice => LEGAL_NOTICE_CONTENT,
            LegalPage::Accessibility => ACCESSIBILITY_CONTENT,
            LegalPage::PersonalData => PERSONAL_DATA_CONTENT,
        }
    }
}

const PERSONAL_DATA_TITLES: &[&str] = &[
    "donnees personnelles",
    "donnees a caractere personnel",
    "protection des donnees",
    "politique de confidentialite",
    "charte de confidentialite",
    "confidentialite",
    "vie privee",
    "rgpd",
    "informatique et libertes",
];

/// LCEN article 6 III: who publishes, who is responsible for publication, who hosts.
const LEGAL_NOTICE_CONTENT: &[Required] = &[
    Required {
        fr: "directeur ou responsable de la publication",
        en: "publication director",
        phrases: &[
            "directeur de la publication",
            "directrice de la publication",
            "directeur de publication",
            "directrice de publication",
            "responsable de la publication",
            "responsable de publication",
            "direction de la publication",
        ],
    },
    Required {
        fr: "hébergeur",
        en: "host",
        phrases: &[
            "hebergeur",
            "hebergement",
            "heberge par",
            "heberge chez",
            "hebergeurs",
        ],
    },
];

/// Article 47 of loi 2005-102 and its decree: the statement names the RGAA.
const ACCESSIBILITY_CONTENT: &[Required] = &[Required {
    fr: "référence au RGAA",
    en: "reference to the RGAA",
    phrases: &[
        "rgaa",
        "referentiel general d amelioration de l accessibilite",
        "referentiel general d accessibilite",
    ],
}];

/// RGPD article 13: the controller, the data subject's rights, and whom to address (DPO, CNIL).
const PERSONAL_DATA_CONTENT: &[Required] = &[
    Required {
        fr: "responsable du traitement",
        en: "data controller",
        phrases: &[
            "responsable du traitement",
            "responsable de traitement",
            "responsables du traitement",
            "responsable des traitements",
        ],
    },
    Required {
        fr: "droits des personnes",
        en: "data subject rights",
        phrases: &[
            "vos droits",
            "droit d acces",
            "droits d acces",
            "droit de rectification",
            "rectification",
            "droit d opposition",
            "effacement",
        ],
    },
    Required {
        fr: "contact du délégué à la protection des données ou de la CNIL",
        en: "data protection officer or CNIL contact",
        phrases: &[
            "delegue a la protection des donnees",
            "deleguee a la protection des donnees",
            "dpd",
            "dpo",
            "cnil",
        ],
    },
];
