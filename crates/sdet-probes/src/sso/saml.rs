//! What the SAML 2.0 checks share: getting the metadata (served, or a file the vendor handed
//! over), reading it with the defensive XML reader (no DTD, capped size and depth), and finding
//! the entities in it — one `EntityDescriptor`, or an `EntitiesDescriptor` aggregate as
//! federations publish, whose `validUntil` applies to every entity inside.

pub mod authn;
pub mod response;
pub mod signature;
pub mod trust;
pub mod x509;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::session::BackChannel;
use crate::{Context, ProbeError};
use sdet_core::target::SamlTarget;
use sdet_core::text::Text;
use sdet_core::xml::{self, Element};

/// Bytes of a metadata file read at most: a federation aggregate is a few MiB.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The SAML 2.0 protocol, as `protocolSupportEnumeration` names it.
pub const SAML2_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// One entity, with the earliest `validUntil` that applies to it (its own or an aggregate's).
#[derive(Debug)]
pub struct Entity<'a> {
    /// The `EntityDescriptor`.
    pub element: &'a Element,
    /// `validUntil` of the entity or of an enclosing aggregate, as written.
    pub valid_until: Vec<String>,
}

/// The plan guarantees the `saml` block exists when a SAML check runs.
pub fn target<'a>(ctx: &Context<'a>) -> Result<&'a SamlTarget, ProbeError> {
    ctx.target.saml.as_ref().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucune métadonnée SAML dans la cible",
            "No SAML metadata in the target",
        ))
    })
}

/// Fetches or reads the metadata and parses it. Where it came from is part of every message.
pub async fn load(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
) -> Result<(Element, String), ProbeError> {
    let (_, root, source) = load_text(ctx, back).await?;
    Ok((root, source))
}

/// As [`load`], with the text read (its signature is verified on the text).
pub async fn load_text(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
) -> Result<(String, Element, String), ProbeError> {
    let saml = target(ctx)?;
    let (text, source) = match (&saml.metadata_url, &saml.metadata_file) {
        (Some(url), _) => {
            let response = back.read_following(url.clone()).await?;
            crate::unavailable(&response, "SAML metadata")?;
            if !response.status.is_success() {
                return Err(ProbeError::Unexpected(Text::new(
                    format!(
                        "Les métadonnées SAML répondent HTTP {} ({url})",
                        response.status.as_u16()
                    ),
                    format!(
                        "The SAML metadata answers HTTP {} ({url})",
                        response.status.as_u16()
                    ),
                )));
            }
            (response.body, url.to_string())
        }
        (None, Some(path)) => (read_file(path)?, path.display().to_string()),
        (None, None) => {
            return Err(ProbeError::Unexpected(Text::new(
                "Ni metadata_url ni metadata_file dans le bloc saml",
                "Neither metadata_url nor metadata_file in the saml block",
            )));
        }
    };
    let root = parse(&text).map_err(|why| {
        ProbeError::Unexpected(Text::new(
            format!("{source} : {}", why.fr),
            format!("{source}: {}", why.en),
        ))
    })?;
    Ok((text, root, source))
}

fn read_file(path: &std::path::Path) -> Result<String, ProbeError> {
    let unreadable = |e: &dyn std::fmt::Display| {
        ProbeError::Unexpected(Text::new(
            format!("Fichier de métadonnées illisible {} : {e}", path.display()),
            format!("Unreadable metadata file {}: {e}", path.display()),
        ))
    };
    // A regular file only (a FIFO or /dev/zero given as metadata_file is refused), at most
    // MAX_FILE_BYTES read whatever size the file system reports.
    sdet_core::input::read_text(path, MAX_FILE_BYTES).map_err(|e| unreadable(&e))
}

/// Parses metadata text; `Err` says why it is not SAML metadata.
pub fn parse(text: &str) -> Result<Element, Text> {
    let root = xml::parse(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Text::new(
            format!("métadonnées SAML illisibles : {e}"),
            format!("unreadable SAML metadata: {e}"),
        )
    })?;
    if root.name != "EntityDescriptor" && root.name != "EntitiesDescriptor" {
        return Err(Text::new(
            format!("pas des métadonnées SAML : élément racine <{}>", root.name),
            format!("not SAML metadata: root element <{}>", root.name),
        ));
    }
    Ok(root)
}

/// Every `EntityDescriptor` under `root` (itself included), with the `validUntil`s above it.
pub fn entities(root: &Element) -> Vec<Entity<'_>> {
    let mut out = Vec::new();
    collect(root, &mut Vec::new(), &mut out);
    out
}

fn collect<'a>(element: &'a Element, inherited: &mut Vec<String>, out: &mut Vec<Entity<'a>>) {
    let pushed = element.attribute("validUntil").map(str::to_string);
    if let Some(v) = &pushed {
        inherited.push(v.clone());
    }
    match element.name.as_str() {
        "EntityDescriptor" => out.push(Entity {
            element,
            valid_until: inherited.clone(),
        }),
        "EntitiesDescriptor" => {
            for child in &element.children {
                collect(child, inherited, out);
            }
        }
        _ => {}
    }
    if pushed.is_some() {
        inherited.pop();
    }
}

/// The entities the audit is about: the declared `entity_id` only, when there is one.
pub fn selected<'a>(root: &'a Element, saml: &SamlTarget) -> Result<Vec<Entity<'a>>, Text> {
    let all = entities(root);
    let chosen: Vec<Entity<'a>> = match &saml.entity_id {
        Some(id) => all
            .into_iter()
            .filter(|e| e.element.attribute("entityID") == Some(id.as_str()))
            .collect(),
        None => all,
    };
    if chosen.is_empty() {
        let wanted = saml.entity_id.as_deref().unwrap_or("any");
        return Err(Text::new(
            format!("aucune entité SAML (EntityDescriptor) pour l'entityID {wanted}"),
            format!("no SAML entity (EntityDescriptor) for entityID {wanted}"),
        ));
    }
    Ok(chosen)
}

/// The SSO roles of an entity: (`IDPSSODescriptor` | `SPSSODescriptor`, element).
pub fn roles(entity: &Element) -> Vec<&Element> {
    entity
        .children
        .iter()
        .filter(|c| matches!(c.name.as_str(), "IDPSSODescriptor" | "SPSSODescriptor"))
        .collect()
}

/// Parses an `xs:dateTime`; a value without a zone is read as UTC, as federations mean it.
pub fn parse_date_time(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    OffsetDateTime::parse(value, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(&format!("{value}Z"), &Rfc3339))
        .ok()
}

/// Whether `value` is a well-formed `xs:duration` (`P1D`, `PT6H`, `P1Y2M3DT4H5M6.5S`).
pub fn is_duration(value: &str) -> bool {
    let Some(rest) = value
        .trim()
        .strip_prefix('-')
        .unwrap_or(value.trim())
        .strip_prefix('P')
    else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (rest, None),
    };
    let fields = |part: &str, units: &[char], fraction_last: bool| -> Option<usize> {
        let mut count = 0;
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || (c == '.' && fraction_last) {
                number.push(c);
                continue;
            }
            let at = units.iter().position(|u| *u == c)?;
            let fraction = number.contains('.');
            if at < next_unit || number.is_empty() || (fraction && at != units.len() - 1) {
                return None;
            }
            next_unit = at + 1;
            number.clear();
            count += 1;
        }
        number.is_empty().then_some(count)
    };
    let date_fields = fields(date, &['Y', 'M', 'D'], false);
    let time_fields = time.map_or(Some(0), |t| fields(t, &['H', 'M', 'S'], true));
    match (date_fields, time_fields) {
        (Some(d), Some(t)) => d + t > 0 && (time.is_none() || t > 0),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entities_in_aggregates_with_inherited_valid_until() {
        let root = parse(
            r#"<EntitiesDescriptor validUntil="2030-01-01T00:00:00Z"><EntityDescriptor entityID="a"/>
               <EntitiesDescriptor><EntityDescriptor entityID="b" validUntil="2029-01-01T00:00:00Z"/></EntitiesDescriptor></EntitiesDescriptor>"#,
        )
        .unwrap();
        let found = entities(&root);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].valid_until, vec!["2030-01-01T00:00:00Z"]);
        assert_eq!(found[1].valid_until.len(), 2);
        assert!(parse("<html/>").is_err());
    }

    #[test]
    fn reads_xs_dates_and_durations() {
        assert!(parse_date_time("2022-06-22T10:00:00Z").is_some());
        assert!(parse_date_time("2022-06-22T10:00:00").is_some());
        assert!(parse_date_time("22/06/2022").is_none());
        for ok in ["P1D", "PT6H", "P1Y2M3DT4H5M6.5S", "PT0.5S", "-P1M"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "PD",
            "P1H",
            "PT1D",
            "P1.5D",
            "P1D1Y",
            "six hours",
        ] {
            assert!(!is_duration(bad), "{bad}");
        }
    }
}
