//! The catalogue of non-conformities the reference ENT can be told to commit.
//!
//! A clean reference ENT proves that the probes pass on a conforming server; each defect proves
//! that one probe fails for the right reason. Every defect flips exactly one behaviour, so a
//! failing probe points at one cause. The kebab-case names are a contract: the CLI
//! (`sdet-audit demo --defects …`) and the tests spell them.

use std::fmt;

/// One injectable non-conformity of the reference ENT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// The plain-HTTP listener serves the portal instead of redirecting to HTTPS.
    NoHttpsRedirect,
    /// HTTPS responses carry no `Strict-Transport-Security` header.
    NoHsts,
    /// The portal's HTTPS responses carry none of `X-Content-Type-Options`, `X-Frame-Options`,
    /// `Content-Security-Policy` and `Referrer-Policy` (the CAS pages keep theirs: their framing
    /// protection is `cas-frameable-login`'s business).
    MissingSecurityHeaders,
    /// The `ENTSESSION` and `TGC` cookies lack `Secure`, `HttpOnly` and `SameSite`.
    InsecureCookies,
    /// The CAS login form posts the credentials to the plain-HTTP listener.
    CasHttpLogin,
    /// Ticket validation accepts any well-formed invented `ST-` ticket (as the pupil).
    CasAcceptAnyTicket,
    /// A successful validation does not consume the ticket, so it can be replayed.
    CasTicketReuse,
    /// Service tickets are `ST-` followed by a 6-digit counter: short and predictable.
    CasShortTicket,
    /// Ticket validation names another user than the one who logged in.
    CasWrongUser,
    /// `/p3/serviceValidate` releases no `cas:attributes`.
    CasNoAttributes,
    /// `/logout` shows its page but keeps the server-side SSO session (TGT) alive.
    CasLogoutKeepsSession,
    /// The footer has no link to the legal notice (the page still exists, unreachable).
    NoLegalNoticeLink,
    /// The accessibility statement declares no RGAA conformity state.
    AccessibilityNoStatus,
    /// The footer links to the personal-data notice, but the page answers 404.
    PrivacyNoticeBroken,
    /// Pages have no `lang` attribute.
    NoLang,
    /// The home page has no login link.
    NoLoginLink,
    /// The pupil's private timetable feed is served without authentication.
    IcalPublicAccess,
    /// The timetable feed uses TZID=Europe/Paris without the VTIMEZONE defining it.
    IcalNoVtimezone,
    /// The Atom news feed's links are relative to the site.
    RssRelativeLinks,
    /// The WebDAV folder answers PROPFIND and GET without credentials.
    WebdavAnonymous,
    /// The GAR export's pupil record lacks the required GARPersonNom.
    GarSchemaInvalid,
    /// The GAR export enrols the pupil in a group it never defines.
    GarDanglingReference,
    /// Ticket validation ignores the service a ticket was issued for.
    CasTicketAnyService,
    /// `ENTPersonProfils` carries the ENT's internal profile names (`Student`…) instead of the
    /// national nomenclature.
    CasLocalProfileCodes,
    /// `renew=true` does not bypass the SSO session: a ticket comes back without a login.
    CasRenewIgnored,
    /// `gateway=true` without a session shows the login form instead of returning to the service.
    CasGatewayForm,
    /// The CAS pages carry neither `X-Frame-Options` nor CSP `frame-ancestors`.
    CasFrameableLogin,
    /// The SAML metadata publishes a signing certificate that expired a month ago.
    SamlExpiredCertificate,
    /// The SAML metadata announces a single sign-on endpoint over plain HTTP.
    SamlHttpEndpoint,
    /// The OpenID Connect discovery document announces another issuer than its own.
    OidcIssuerMismatch,
    /// The OpenID Connect provider offers `none` beside the implicit flow (unsigned ID tokens from
    /// the authorization endpoint, which Discovery forbids).
    OidcAlgNone,
    /// The AAF export's pupils' file ends before its root element is closed.
    AafTruncated,
    /// An AAF pupil record carries an attribute no importer knows.
    AafUnknownAttribute,
    /// An AAF pupil's birth date does not exist (31/02).
    AafBadDate,
    /// An AAF pupil names a parent who is not in the parents' file.
    AafUnknownParent,
    /// The directory leaves out one pupil of the AAF export and puts another in a class the export
    /// does not give them.
    DirectoryDrift,
}

impl Defect {
    /// Every defect, in declaration order (the order of [`Ord`]).
    pub const ALL: &'static [Defect] = &[
        Defect::NoHttpsRedirect,
        Defect::NoHsts,
        Defect::MissingSecurityHeaders,
        Defect::InsecureCookies,
        Defect::CasHttpLogin,
        Defect::CasAcceptAnyTicket,
        Defect::CasTicketReuse,
        Defect::CasShortTicket,
        Defect::CasWrongUser,
        Defect::CasNoAttributes,
        Defect::CasLogoutKeepsSession,
        Defect::NoLegalNoticeLink,
        Defect::AccessibilityNoStatus,
        Defect::PrivacyNoticeBroken,
        Defect::NoLang,
        Defect::NoLoginLink,
        Defect::IcalPublicAccess,
        Defect::IcalNoVtimezone,
        Defect::RssRelativeLinks,
        Defect::WebdavAnonymous,
        Defect::GarSchemaInvalid,
        Defect::GarDanglingReference,
        Defect::CasTicketAnyService,
        Defect::CasLocalProfileCodes,
        Defect::CasRenewIgnored,
        Defect::CasGatewayForm,
        Defect::CasFrameableLogin,
        Defect::SamlExpiredCertificate,
        Defect::SamlHttpEndpoint,
        Defect::OidcIssuerMismatch,
        Defect::OidcAlgNone,
        Defect::AafTruncated,
        Defect::AafUnknownAttribute,
        Defect::AafBadDate,
        Defect::AafUnknownParent,
        Defect::DirectoryDrift,
    ];

    /// The stable kebab-case name, as typed on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Defect::NoHttpsRedirect => "no-https-redirect",
            Defect::NoHsts => "no-hsts",
            Defect::MissingSecurityHeaders => "missing-security-headers",
            Defect::InsecureCookies => "insecure-cookies",
            Defect::CasHttpLogin => "cas-http-login",
            Defect::CasAcceptAnyTicket => "cas-accept-any-ticket",
            Defect::CasTicketReuse => "cas-ticket-reuse",
            Defect::CasShortTicket => "cas-short-ticket",
            Defect::CasWrongUser => "cas-wrong-user",
            Defect::CasNoAttributes => "cas-no-attributes",
            Defect::CasLogoutKeepsSession => "cas-logout-keeps-session",
            Defect::NoLegalNoticeLink => "no-legal-notice-link",
            Defect::AccessibilityNoStatus => "accessibility-no-status",
            Defect::PrivacyNoticeBroken => "privacy-notice-broken",
            Defect::NoLang => "no-lang",
            Defect::NoLoginLink => "no-login-link",
            Defect::IcalPublicAccess => "ical-public-access",
            Defect::IcalNoVtimezone => "ical-no-vtimezone",
            Defect::RssRelativeLinks => "rss-relative-links",
            Defect::WebdavAnonymous => "webdav-anonymous",
            Defect::GarSchemaInvalid => "gar-schema-invalid",
            Defect::GarDanglingReference => "gar-dangling-reference",
            Defect::CasTicketAnyService => "cas-ticket-any-service",
            Defect::CasLocalProfileCodes => "cas-local-profile-codes",
            Defect::CasRenewIgnored => "cas-renew-ignored",
            Defect::CasGatewayForm => "cas-gateway-form",
            Defect::CasFrameableLogin => "cas-frameable-login",
            Defect::SamlExpiredCertificate => "saml-expired-certificate",
            Defect::SamlHttpEndpoint => "saml-http-endpoint",
            Defect::OidcIssuerMismatch => "oidc-issuer-mismatch",
            Defect::OidcAlgNone => "oidc-alg-none",
            Defect::AafTruncated => "aaf-truncated",
            Defect::AafUnknownAttribute => "aaf-unknown-attribute",
            Defect::AafBadDate => "aaf-bad-date",
            Defect::AafUnknownParent => "aaf-unknown-parent",
            Defect::DirectoryDrift => "directory-drift",
        }
    }

    /// The defect with this kebab-case name, if any (exact, case-sensitive match).
    pub fn from_name(s: &str) -> Option<Defect> {
        Defect::ALL.iter().copied().find(|d| d.name() == s)
    }

    /// A one-line description, in French when `lang_fr` is true, in English otherwise.
    #[allow(clippy::too_many_lines)] // one arm per defect, in both languages
    pub fn description(self, lang_fr: bool) -> &'static str {
        let (fr, en) = match self {
            Defect::NoHttpsRedirect => (
                "Le portail est servi en HTTP au lieu de rediriger vers HTTPS",
                "The portal is served over plain HTTP instead of redirecting to HTTPS",
            ),
            Defect::NoHsts => (
                "Les réponses HTTPS n'ont pas d'en-tête Strict-Transport-Security (HSTS)",
                "HTTPS responses have no Strict-Transport-Security (HSTS) header",
            ),
            Defect::MissingSecurityHeaders => (
                "Les pages HTTPS du portail n'ont ni X-Content-Type-Options, ni X-Frame-Options, ni Content-Security-Policy, ni Referrer-Policy",
                "The portal's HTTPS pages have no X-Content-Type-Options, X-Frame-Options, Content-Security-Policy or Referrer-Policy",
            ),
            Defect::InsecureCookies => (
                "Les cookies de session du portail et du SSO n'ont ni Secure, ni HttpOnly, ni SameSite",
                "The portal and SSO session cookies have no Secure, HttpOnly or SameSite attribute",
            ),
            Defect::CasHttpLogin => (
                "Le formulaire de connexion CAS envoie les identifiants en clair, en HTTP",
                "The CAS login form sends the credentials in clear, over plain HTTP",
            ),
            Defect::CasAcceptAnyTicket => (
                "Le CAS valide n'importe quel ticket inventé commençant par ST-",
                "CAS validates any invented ticket starting with ST-",
            ),
            Defect::CasTicketReuse => (
                "Un ticket de service peut être validé plusieurs fois",
                "A service ticket can be validated more than once",
            ),
            Defect::CasShortTicket => (
                "Les tickets de service sont courts et prévisibles (ST- suivi d'un compteur à 6 chiffres)",
                "Service tickets are short and predictable (ST- followed by a 6-digit counter)",
            ),
            Defect::CasWrongUser => (
                "La validation du ticket renvoie un autre utilisateur que celui qui s'est connecté",
                "Ticket validation returns another user than the one who logged in",
            ),
            Defect::CasNoAttributes => (
                "p3/serviceValidate ne transmet aucun attribut (pas de vecteur d'identité)",
                "p3/serviceValidate releases no attributes (no identity vector)",
            ),
            Defect::CasLogoutKeepsSession => (
                "La déconnexion CAS laisse la session SSO active côté serveur",
                "CAS logout leaves the SSO session alive on the server",
            ),
            Defect::NoLegalNoticeLink => (
                "Le pied de page ne contient pas de lien vers les mentions légales",
                "The footer has no link to the legal notice",
            ),
            Defect::AccessibilityNoStatus => (
                "La déclaration d'accessibilité n'indique aucun état de conformité RGAA",
                "The accessibility statement declares no RGAA conformity state",
            ),
            Defect::PrivacyNoticeBroken => (
                "Le lien vers la notice sur les données personnelles mène à une page introuvable (404)",
                "The link to the personal-data notice leads to a missing page (404)",
            ),
            Defect::NoLang => (
                "Les pages ne déclarent pas leur langue (pas d'attribut lang)",
                "Pages do not declare their language (no lang attribute)",
            ),
            Defect::NoLoginLink => (
                "La page d'accueil n'offre aucun lien de connexion",
                "The home page offers no login link",
            ),
            Defect::IcalPublicAccess => (
                "L'emploi du temps privé (iCalendar) se lit sans authentification",
                "The private timetable (iCalendar) can be read without authentication",
            ),
            Defect::IcalNoVtimezone => (
                "L'agenda iCalendar utilise TZID=Europe/Paris sans le VTIMEZONE correspondant",
                "The iCalendar feed uses TZID=Europe/Paris without the matching VTIMEZONE",
            ),
            Defect::RssRelativeLinks => (
                "Les liens du flux d'actualités Atom sont relatifs au site",
                "The Atom news feed's links are relative to the site",
            ),
            Defect::WebdavAnonymous => (
                "Le dossier WebDAV se lit sans authentification",
                "The WebDAV folder can be read without authentication",
            ),
            Defect::GarSchemaInvalid => (
                "Dans l'export GAR, l'élève n'a pas de GARPersonNom (obligatoire selon le schéma)",
                "In the GAR export, the pupil has no GARPersonNom (required by the schema)",
            ),
            Defect::GarDanglingReference => (
                "L'export GAR inscrit l'élève dans un groupe qu'il ne définit pas",
                "The GAR export enrols the pupil in a group it does not define",
            ),
            Defect::CasTicketAnyService => (
                "La validation accepte un ticket pour un autre service que celui pour lequel il a été émis",
                "Validation accepts a ticket for another service than the one it was issued for",
            ),
            Defect::CasLocalProfileCodes => (
                "ENTPersonProfils porte les profils internes de l'ENT (Student…) au lieu de la nomenclature nationale",
                "ENTPersonProfils carries the ENT's internal profiles (Student…) instead of the national nomenclature",
            ),
            Defect::CasRenewIgnored => (
                "renew=true ne redemande pas les identifiants : la session SSO délivre un ticket",
                "renew=true does not ask for credentials again: the SSO session issues a ticket",
            ),
            Defect::CasGatewayForm => (
                "gateway=true sans session affiche le formulaire de connexion au lieu de revenir au service",
                "gateway=true without a session shows the login form instead of returning to the service",
            ),
            Defect::CasFrameableLogin => (
                "Les pages CAS n'ont ni X-Frame-Options ni frame-ancestors : la connexion peut être encadrée par un autre site",
                "The CAS pages have no X-Frame-Options or frame-ancestors: the login can be framed by another site",
            ),
            Defect::SamlExpiredCertificate => (
                "Le certificat de signature publié dans les métadonnées SAML a expiré",
                "The signing certificate published in the SAML metadata has expired",
            ),
            Defect::SamlHttpEndpoint => (
                "Les métadonnées SAML annoncent un point d'accès d'authentification en HTTP",
                "The SAML metadata announces a single sign-on endpoint over plain HTTP",
            ),
            Defect::OidcIssuerMismatch => (
                "Le document de découverte OpenID Connect annonce un autre issuer que le sien",
                "The OpenID Connect discovery document announces another issuer than its own",
            ),
            Defect::OidcAlgNone => (
                "Le fournisseur OpenID Connect accepte l'algorithme none avec le flux implicite (jetons d'identité non signés)",
                "The OpenID Connect provider allows the none algorithm with the implicit flow (unsigned ID tokens)",
            ),
            Defect::AafTruncated => (
                "Le fichier AAF des élèves s'arrête avant la fermeture de son élément racine",
                "The AAF pupils' file ends before its root element is closed",
            ),
            Defect::AafUnknownAttribute => (
                "Un élève de l'export AAF porte un attribut qu'aucun import ne connaît",
                "A pupil in the AAF export carries an attribute no importer knows",
            ),
            Defect::AafBadDate => (
                "Un élève de l'export AAF a une date de naissance qui n'existe pas (31/02)",
                "A pupil in the AAF export has a birth date that does not exist (31/02)",
            ),
            Defect::AafUnknownParent => (
                "Un élève de l'export AAF désigne un responsable absent du fichier des responsables",
                "A pupil in the AAF export names a parent who is not in the parents' file",
            ),
            Defect::DirectoryDrift => (
                "L'annuaire LDAP a oublié un élève de l'export AAF et en a mis un autre dans une mauvaise classe",
                "The LDAP directory left out a pupil of the AAF export and put another in the wrong class",
            ),
        };
        if lang_fr { fr } else { en }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        for &defect in Defect::ALL {
            assert_eq!(Defect::from_name(defect.name()), Some(defect));
        }
        let mut names: Vec<_> = Defect::ALL.iter().map(|d| d.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Defect::ALL.len());
    }

    #[test]
    fn all_lists_every_variant_once_in_ord_order() {
        assert!(Defect::ALL.windows(2).all(|w| w[0] < w[1]));
        // Adding a variant must also add it to ALL: the CLI's `--defects all` relies on it.
        assert_eq!(Defect::ALL.len(), 36);
    }

    #[test]
    fn unknown_and_miscased_names_are_refused() {
        assert_eq!(Defect::from_name("no-such-defect"), None);
        assert_eq!(Defect::from_name("NO-HSTS"), None);
        assert_eq!(Defect::from_name(""), None);
    }

    #[test]
    fn descriptions_are_single_lines_in_both_languages() {
        for &defect in Defect::ALL {
            for lang_fr in [true, false] {
                let text = defect.description(lang_fr);
                assert!(
                    !text.is_empty() && !text.contains('\n'),
                    "{defect}: {text:?}"
                );
            }
            assert_ne!(defect.description(true), defect.description(false));
        }
    }
}
