//! The commented `target.yaml` `init` writes: what discovery found, each with a comment saying
//! how; what it did not, commented out with what to put there. Values are JSON strings, which
//! YAML reads as they are. No secret is ever written, only the names of the variables holding
//! them.

use std::fmt::Write as _;

use super::discover::{Discovery, Found};
use crate::text::{Lang, pick};

/// What goes into the target besides discovery.
pub(super) struct TargetParts<'a> {
    pub name: Option<&'a str>,
    pub sdet_version: &'a str,
    pub ca_file: Option<&'a str>,
    pub portal_http: Option<&'a url::Url>,
    pub discovery: Option<&'a Discovery>,
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A `# …` comment line per line of `text`, indented by `indent`.
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let _ = writeln!(out, "{indent}# {line}");
    }
}

fn how(found: &Found, lang: Lang) -> String {
    format!(
        "{} {}",
        pick(lang, "trouvé :", "found:"),
        found.how.get(lang)
    )
}

/// The target file's text.
pub(super) fn target(parts: &TargetParts<'_>, lang: Lang) -> String {
    let mut out = String::new();
    let d = parts.discovery;
    comment(
        &mut out,
        "",
        pick(
            lang,
            "Cible d'audit écrite par `sdet-audit init`. Chaque bloc est facultatif : un bloc absent rend ses\nsondes « non testées », jamais « en erreur ». Aucun secret ici : seulement les noms des variables\nd'environnement qui les portent (`*_env`).",
            "Audit target written by `sdet-audit init`. Every block is optional: a missing block makes its\nprobes not_tested, never error. No secret here: only the names of the environment variables that\nhold them (`*_env`).",
        ),
    );
    let name = parts.name.unwrap_or(pick(lang, "Mon ENT", "My ENT"));
    let _ = writeln!(out, "name: {}", q(name));
    let _ = writeln!(out, "sdet_version: {}", q(parts.sdet_version));
    comment(
        &mut out,
        "",
        pick(
            lang,
            "Degrés servis : 1d (écoles), 2d (collèges, lycées).",
            "Degrees served: 1d (primary), 2d (secondary).",
        ),
    );
    out.push_str("degrees: [1d, 2d]\n");
    site(&mut out, parts, lang);
    cas(&mut out, d, lang);
    endpoint(
        &mut out,
        "saml",
        "metadata_url",
        d.and_then(|d| d.saml_metadata.as_ref()),
        "https://ent.example.fr/saml/metadata",
        lang,
    );
    endpoint(
        &mut out,
        "oidc",
        "issuer",
        d.and_then(|d| d.oidc_issuer.as_ref()),
        "https://ent.example.fr/oidc",
        lang,
    );
    interop(&mut out, d, lang);
    comment(
        &mut out,
        "",
        pick(
            lang,
            "Annuaire : le dossier des fichiers AAF importés et l'accès LDAP de rapprochement.\nannuaire:\n  feeds: exports/aaf/\n  ldap: { url: \"ldaps://ldap.ent.example.fr\", base_dn: \"dc=ent\", bind_dn: \"cn=audit,dc=ent\", password_env: SDET_LDAP_PASSWORD }",
            "Directory: the folder of imported AAF files and the LDAP access for reconciliation.\nannuaire:\n  feeds: exports/aaf/\n  ldap: { url: \"ldaps://ldap.ent.example.fr\", base_dn: \"dc=ent\", bind_dn: \"cn=audit,dc=ent\", password_env: SDET_LDAP_PASSWORD }",
        ),
    );
    comment(
        &mut out,
        "",
        pick(
            lang,
            "Les déclarations du fournisseur : remplir declarations.ods (colonnes E à G).",
            "The vendor's declarations: fill in declarations.ods (columns E to G).",
        ),
    );
    out.push_str("declarations: declarations.ods\n");
    if let Some(notes) = d.map(|d| &d.notes).filter(|n| !n.is_empty()) {
        comment(
            &mut out,
            "",
            pick(
                lang,
                "Adresses essayées sans succès pendant la découverte :",
                "Addresses tried without success during discovery:",
            ),
        );
        for note in notes {
            comment(&mut out, "  ", note);
        }
    }
    out
}

/// The portal, where plain HTTP answers, the legal pages found, the CA.
fn site(out: &mut String, parts: &TargetParts<'_>, lang: Lang) {
    let d = parts.discovery;
    match d.and_then(|d| d.portal.as_ref()) {
        Some(portal) => {
            comment(
                out,
                "",
                pick(
                    lang,
                    "trouvé : la page d'accueil a répondu",
                    "found: the home page answered",
                ),
            );
            let _ = writeln!(out, "portal: {}", q(portal.as_str()));
        }
        None => match d.and_then(|d| d.given.as_ref()) {
            Some(given) => {
                comment(
                    out,
                    "",
                    pick(
                        lang,
                        "Donné à `init`, mais n'a pas répondu (voir la fin du fichier) :",
                        "Given to `init`, but it did not answer (see the end of the file):",
                    ),
                );
                let _ = writeln!(out, "portal: {}", q(given.as_str()));
            }
            None => {
                comment(
                    out,
                    "",
                    pick(
                        lang,
                        "À remplir : la page d'accueil publique du portail (HTTPS).",
                        "To fill in: the portal's public home page (HTTPS).",
                    ),
                );
                out.push_str("# portal: \"https://ent.example.fr/\"\n");
            }
        },
    }
    match parts.portal_http {
        Some(http) => {
            comment(
                out,
                "",
                pick(
                    lang,
                    "Donné à `init` (--portal-http) : où répond le HTTP en clair.",
                    "Given to `init` (--portal-http): where plain HTTP answers.",
                ),
            );
            let _ = writeln!(out, "portal_http: {}", q(http.as_str()));
        }
        None => comment(
            out,
            "",
            pick(
                lang,
                "Le HTTP en clair est attendu sur le port 80 du même hôte ; sinon (préproduction) :
portal_http: \"http://ent.example.fr:8080/\"",
                "Plain HTTP is expected on port 80 of the same host; otherwise (pre-production):
portal_http: \"http://ent.example.fr:8080/\"",
            ),
        ),
    }
    if let Some(legal) = d.map(|d| &d.legal).filter(|l| !l.is_empty()) {
        comment(
            out,
            "",
            pick(
                lang,
                "Pages légales liées par le portail (les sondes « portail » les retrouvent seules) :",
                "Legal pages the portal links (the portail probes find them by themselves):",
            ),
        );
        for page in legal {
            comment(out, "  ", &format!("{} — {}", page.url, page.how.get(lang)));
        }
    }
    match parts.ca_file {
        Some(ca) => {
            let _ = writeln!(out, "tls: {{ ca_file: {} }}", q(ca));
        }
        None => {
            comment(
                out,
                "",
                pick(
                    lang,
                    "Une AC à approuver en plus (préproduction) :",
                    "An extra CA to trust (pre-production):",
                ),
            );
            out.push_str("# tls: { ca_file: ca.pem }\n");
        }
    }
}

fn cas(out: &mut String, d: Option<&Discovery>, lang: Lang) {
    let accounts = pick(
        lang,
        "Comptes de test (un par profil) ; les identifiants viennent de variables d'environnement :\naccounts:\n  - { profile: eleve, username_env: SDET_ELEVE_USER, password_env: SDET_ELEVE_PASSWORD }\n  - { profile: enseignant, username_env: SDET_ENSEIGNANT_USER, password_env: SDET_ENSEIGNANT_PASSWORD }",
        "Test accounts (one per profile); credentials come from environment variables:\naccounts:\n  - { profile: eleve, username_env: SDET_ELEVE_USER, password_env: SDET_ELEVE_PASSWORD }\n  - { profile: enseignant, username_env: SDET_ENSEIGNANT_USER, password_env: SDET_ENSEIGNANT_PASSWORD }",
    );
    match d.and_then(|d| d.cas_base.as_ref()) {
        Some(base) => {
            comment(out, "", &how(base, lang));
            out.push_str("cas:\n");
            let _ = writeln!(out, "  base_url: {}", q(base.url.as_str()));
            let service = d
                .and_then(|d| d.cas_service.as_ref().or(d.portal.as_ref()))
                .map_or("https://ent.example.fr/", url::Url::as_str);
            comment(
                out,
                "  ",
                pick(
                    lang,
                    "Le service du lien de connexion du portail (ou le portail lui-même).",
                    "The service of the portal's login link (or the portal itself).",
                ),
            );
            let _ = writeln!(out, "  service: {}", q(service));
            comment(out, "  ", accounts);
        }
        None => {
            comment(
                out,
                "",
                pick(
                    lang,
                    "Serveur CAS : non trouvé (pas de lien …/login sur le portail). À remplir :",
                    "CAS server: not found (no …/login link on the portal). To fill in:",
                ),
            );
            out.push_str("# cas:\n#   base_url: \"https://ent.example.fr/cas/\"\n#   service: \"https://ent.example.fr/\"\n");
            comment(out, "  ", accounts);
        }
    }
}

fn endpoint(
    out: &mut String,
    block: &str,
    field: &str,
    found: Option<&Found>,
    example: &str,
    lang: Lang,
) {
    match found {
        Some(f) => {
            comment(out, "", &how(f, lang));
            let _ = writeln!(out, "{block}: {{ {field}: {} }}", q(f.url.as_str()));
        }
        None => {
            comment(
                out,
                "",
                &format!(
                    "{block}: {}",
                    pick(
                        lang,
                        "non trouvé aux adresses usuelles. À remplir :",
                        "not found at the usual addresses. To fill in:"
                    )
                ),
            );
            let _ = writeln!(out, "# {block}: {{ {field}: {} }}", q(example));
        }
    }
}

fn interop(out: &mut String, d: Option<&Discovery>, lang: Lang) {
    let ical = d.and_then(|d| d.ical.as_ref());
    let rss = d.and_then(|d| d.rss.as_ref());
    comment(
        out,
        "",
        pick(
            lang,
            "Interopérabilité : export GAR, flux iCalendar et RSS/Atom, WebDAV.",
            "Interoperability: GAR export, iCalendar and RSS/Atom feeds, WebDAV.",
        ),
    );
    if ical.is_none() && rss.is_none() {
        out.push_str("# interop:\n");
    } else {
        out.push_str("interop:\n");
    }
    for (field, found) in [("ical", ical), ("rss", rss)] {
        match found {
            Some(f) => {
                comment(out, "  ", &how(f, lang));
                let _ = writeln!(out, "  {field}: {}", q(f.url.as_str()));
            }
            None => {
                let _ = writeln!(
                    out,
                    "#   {field}: \"https://ent.example.fr/…\"   # {}",
                    pick(lang, "non lié par le portail", "not linked from the portal")
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "#   gar_export: exports/gar/\n#   webdav: \"https://ent.example.fr/webdav/\""
    );
}
