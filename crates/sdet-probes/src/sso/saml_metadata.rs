//! SAML 2.0 metadata is how federation partners (EduConnect, the académie's staff desk) learn an
//! ENT's identity and endpoints; wrong metadata breaks the federation or sends assertions in
//! clear. This check reads it (served or from a file) and judges every entity in it: an absolute
//! `entityID`; an IdP or SP role that speaks SAML 2.0 with a usable browser binding; every
//! endpoint over HTTPS; well-formed NameID formats; `validUntil` not passed and `cacheDuration`
//! well formed. A metadata signature is reported, not verified (that needs XML canonicalisation).

use time::OffsetDateTime;

use super::saml::{self, Entity, SAML2_PROTOCOL};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;
use sdet_core::xml::Element;

const BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:";
/// Bindings a browser can use to reach an IdP's single sign-on service.
const IDP_BROWSER_BINDINGS: [&str; 3] = ["HTTP-Redirect", "HTTP-POST", "HTTP-POST-SimpleSign"];
/// Bindings an SP's assertion consumer service can receive a browser's response with.
const SP_BROWSER_BINDINGS: [&str; 3] = ["HTTP-POST", "HTTP-Artifact", "HTTP-POST-SimpleSign"];

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let (root, source) = saml::load(ctx, &mut session.back_channel()).await?;
    let target = saml::target(ctx)?;
    let entities = match saml::selected(&root, target) {
        Ok(e) => e,
        Err(why) => {
            return Ok(Finding::fail(
                Text::new(
                    format!("{source} : {}", why.fr),
                    format!("{source}: {}", why.en),
                ),
                Text::same(format!(
                    "EntityDescriptor entityID={}",
                    target.entity_id.as_deref().unwrap_or("*")
                )),
                Text::new("aucun", "none"),
            ));
        }
    };
    let now = OffsetDateTime::now_utc();
    let mut problems = Vec::new();
    let mut summaries = Vec::new();
    for entity in &entities {
        let (entity_problems, summary) = judge(entity, now);
        problems.extend(entity_problems);
        summaries.push(summary);
    }
    let signed = if root.child("Signature").is_some() {
        Text::new(
            " ; signature XML présente (non vérifiée)",
            "; XML signature present (not verified)",
        )
    } else {
        Text::new("", "")
    };
    if problems.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!("{source} : {}{}", summaries.join(" | "), signed.fr),
            format!("{source}: {}{}", summaries.join(" | "), signed.en),
        )));
    }
    let fr: Vec<&str> = problems.iter().map(|p| p.fr.as_str()).collect();
    let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
    Ok(Finding::fail(
        Text::new(
            format!(
                "Métadonnées SAML non conformes ({source}) — {}",
                fr.join(" ; ")
            ),
            format!(
                "Non-conforming SAML metadata ({source}) — {}",
                en.join("; ")
            ),
        ),
        Text::new(
            "entityID absolu, rôle IdP/SP SAML 2.0 avec un binding navigateur, points d'accès HTTPS, formats NameID valides, validUntil dans le futur",
            "absolute entityID, SAML 2.0 IdP/SP role with a browser binding, HTTPS endpoints, valid NameID formats, validUntil in the future",
        ),
        Text::new(fr.join(" ; "), en.join("; ")),
    ))
}

/// Problems found in one entity, each prefixed with its entityID.
struct Problems<'a> {
    id: &'a str,
    list: Vec<Text>,
}

impl Problems<'_> {
    fn add(&mut self, fr: impl AsRef<str>, en: impl AsRef<str>) {
        let id = self.id;
        self.list.push(Text::new(
            format!("{id} : {}", fr.as_ref()),
            format!("{id}: {}", en.as_ref()),
        ));
    }
}

/// Problems of one entity, and a one-line summary of what it declares.
pub fn judge(entity: &Entity<'_>, now: OffsetDateTime) -> (Vec<Text>, String) {
    let element = entity.element;
    let id = element.attribute("entityID").unwrap_or("").trim();
    let mut problems = Problems {
        id,
        list: Vec::new(),
    };
    if id.is_empty() || !id.contains(':') || id.len() > 1024 {
        problems.add(
            format!("entityID « {id} » n'est pas un URI absolu d'au plus 1024 caractères"),
            format!("entityID \"{id}\" is not an absolute URI of at most 1024 characters"),
        );
    }
    let roles = saml::roles(element);
    let mut dates: Vec<&str> = entity.valid_until.iter().map(String::as_str).collect();
    dates.extend(roles.iter().filter_map(|r| r.attribute("validUntil")));
    for date in &dates {
        match saml::parse_date_time(date) {
            None => problems.add(
                format!("validUntil illisible : {date}"),
                format!("unreadable validUntil: {date}"),
            ),
            Some(until) if until <= now => problems.add(
                format!("métadonnées expirées (validUntil {date})"),
                format!("expired metadata (validUntil {date})"),
            ),
            Some(_) => {}
        }
    }
    for holder in std::iter::once(element).chain(roles.iter().copied()) {
        if let Some(d) = holder
            .attribute("cacheDuration")
            .filter(|d| !saml::is_duration(d))
        {
            problems.add(
                format!("cacheDuration mal formé : {d}"),
                format!("malformed cacheDuration: {d}"),
            );
        }
    }
    if roles.is_empty() {
        problems.add(
            "aucun rôle IDPSSODescriptor ni SPSSODescriptor",
            "no IDPSSODescriptor or SPSSODescriptor role",
        );
    }
    let described: Vec<String> = roles.iter().map(|r| judge_role(r, &mut problems)).collect();
    let validity = if dates.is_empty() {
        "validUntil —".to_string()
    } else {
        format!("validUntil {}", dates.join(", "))
    };
    (
        problems.list,
        format!("{id}: {}, {validity}", described.join(", ")),
    )
}

/// Judges one IdP or SP role; returns a short description of it.
fn judge_role(role: &Element, problems: &mut Problems<'_>) -> String {
    let (kind, service, usable) = if role.name == "IDPSSODescriptor" {
        ("IdP", "SingleSignOnService", &IDP_BROWSER_BINDINGS)
    } else {
        ("SP", "AssertionConsumerService", &SP_BROWSER_BINDINGS)
    };
    let protocols = role.attribute("protocolSupportEnumeration").unwrap_or("");
    if !protocols.split_whitespace().any(|p| p == SAML2_PROTOCOL) {
        problems.add(
            format!("rôle {kind} sans le protocole SAML 2.0 ({protocols})"),
            format!("{kind} role without the SAML 2.0 protocol ({protocols})"),
        );
    }
    let bindings: Vec<&str> = role
        .children
        .iter()
        .filter(|c| c.name == service)
        .filter_map(|c| c.attribute("Binding")?.strip_prefix(BINDING))
        .filter(|b| usable.contains(b))
        .collect();
    if bindings.is_empty() {
        problems.add(
            format!(
                "rôle {kind} sans {service} utilisable par un navigateur ({})",
                usable.join(", ")
            ),
            format!(
                "{kind} role without a browser-usable {service} ({})",
                usable.join(", ")
            ),
        );
    }
    for (endpoint, location) in endpoints(role) {
        if !location.starts_with("https://") {
            problems.add(
                format!("point d'accès {endpoint} hors HTTPS : {location}"),
                format!("{endpoint} endpoint not over HTTPS: {location}"),
            );
        }
    }
    for endpoint in role
        .children
        .iter()
        .filter(|c| c.attribute("Location").is_some())
    {
        if endpoint
            .attribute("Binding")
            .is_none_or(|b| b.trim().is_empty())
        {
            problems.add(
                format!("point d'accès {} sans Binding", endpoint.name),
                format!("{} endpoint without a Binding", endpoint.name),
            );
        }
    }
    let formats: Vec<&str> = role
        .children
        .iter()
        .filter(|c| c.name == "NameIDFormat")
        .map(|c| c.text.as_str())
        .collect();
    if formats.iter().any(|f| !f.contains(':')) {
        problems.add(
            "NameIDFormat vide ou qui n'est pas un URI",
            "empty NameIDFormat, or one that is not a URI",
        );
    }
    let short: Vec<&str> = formats
        .iter()
        .filter_map(|f| f.rsplit(':').next())
        .filter(|f| !f.is_empty())
        .collect();
    let short = if short.is_empty() {
        "—".to_string()
    } else {
        short.join(", ")
    };
    format!(
        "{kind} ({service}: {}; NameID: {short})",
        bindings.join(", ")
    )
}

/// Every `Location` and `ResponseLocation` of a role's endpoints, with the endpoint's name.
fn endpoints(role: &Element) -> Vec<(&str, &str)> {
    role.children
        .iter()
        .flat_map(|c| {
            ["Location", "ResponseLocation"]
                .into_iter()
                .filter_map(move |a| c.attribute(a).map(|l| (c.name.as_str(), l.trim())))
        })
        .collect()
}
