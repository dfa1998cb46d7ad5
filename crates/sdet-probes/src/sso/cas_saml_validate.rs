//! `/samlValidate` (CAS protocol 3.0 §4.2) validates a service ticket sent as the
//! `AssertionArtifact` of a SAML 1.1 request in a SOAP envelope, and answers with a SAML 1.1
//! assertion; older ENT services (and entcore's connectors) still use it. A fresh ticket must come
//! back `samlp:Success` naming the user who logged in; an invented one must not. Runs only where
//! the target says the server offers it (`cas.saml_validate: true`).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::cas;
use crate::http::Request;
use crate::session::{BackChannel, Session};
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;
use sdet_core::xml::{self, Element};

/// What `/samlValidate` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlAnswer {
    /// The status code value, prefix removed (`Success`, `Requester`…).
    pub status: String,
    /// The `NameIdentifier` of the assertion, if any.
    pub user: Option<String>,
}

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let (user, _) = cas::credentials(ctx, session)?;
    let ticket = cas::login(ctx, session).await?;
    let real = validate(ctx, &mut session.back_channel(), &ticket).await?;
    if real.status != "Success"
        || !real
            .user
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(&user))
    {
        return Ok(Finding::fail(
            Text::new(
                "samlValidate ne valide pas un ticket valide pour son utilisateur",
                "samlValidate does not validate a valid ticket for its user",
            ),
            Text::same(format!("samlp:Success, NameIdentifier {user}")),
            match real.user.as_deref() {
                Some(found) => Text::same(format!("{}, NameIdentifier {found}", real.status)),
                None => Text::new(
                    format!("{}, aucun NameIdentifier", real.status),
                    format!("{}, NameIdentifier none", real.status),
                ),
            },
        ));
    }
    let invented = cas::invented_ticket();
    session.redactor.add_secret(&invented);
    let fake = validate(ctx, &mut session.back_channel(), &invented).await?;
    if fake.status == "Success" {
        return Ok(Finding::fail(
            Text::new(
                "samlValidate accepte un ticket inventé",
                "samlValidate accepts an invented ticket",
            ),
            Text::new(
                "un statut autre que samlp:Success",
                "a status other than samlp:Success",
            ),
            Text::same("samlp:Success"),
        ));
    }
    Ok(Finding::Pass(Text::new(
        format!(
            "samlValidate valide le ticket pour {user} et refuse un ticket inventé ({})",
            fake.status
        ),
        format!(
            "samlValidate validates the ticket for {user} and refuses an invented one ({})",
            fake.status
        ),
    )))
}

async fn validate(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
    ticket: &str,
) -> Result<SamlAnswer, ProbeError> {
    let target = cas::target(ctx)?;
    let url = cas::endpoint(
        target,
        "samlValidate",
        &[("TARGET", target.service.as_str())],
        &[],
    );
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let id = &cas::invented_ticket()[3..];
    let envelope = format!(
        r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body><samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1" RequestID="_{id}" IssueInstant="{now}"><samlp:AssertionArtifact>{ticket}</samlp:AssertionArtifact></samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>"#
    );
    let response = back
        .send(Request::post_body(url, "text/xml; charset=utf-8", envelope))
        .await?;
    if !response.status.is_success() {
        return Err(ProbeError::Unexpected(Text::new(
            format!("samlValidate répond HTTP {}", response.status.as_u16()),
            format!("samlValidate answers HTTP {}", response.status.as_u16()),
        )));
    }
    parse(&response.body).map_err(ProbeError::Unexpected)
}

/// Reads a SOAP-wrapped SAML 1.1 `Response`.
pub fn parse(body: &str) -> Result<SamlAnswer, Text> {
    let root = xml::parse(body.trim_start_matches('\u{feff}')).map_err(|e| {
        Text::new(
            format!("Réponse samlValidate illisible : {e}"),
            format!("Unreadable samlValidate answer: {e}"),
        )
    })?;
    let response = find(&root, "Response").ok_or_else(|| {
        Text::new(
            format!(
                "Réponse samlValidate sans élément Response (racine <{}>)",
                root.name
            ),
            format!(
                "samlValidate answer without a Response element (root <{}>)",
                root.name
            ),
        )
    })?;
    let status = find(response, "StatusCode")
        .and_then(|c| c.attribute("Value"))
        .map(|v| v.rsplit(':').next().unwrap_or(v).to_string())
        .unwrap_or_default();
    let user = find(response, "NameIdentifier").map(|n| n.text.clone());
    Ok(SamlAnswer { status, user })
}

/// The first descendant (or self) named `name`, depth first.
fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    if element.name == name {
        return Some(element);
    }
    element.children.iter().find_map(|c| find(c, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_real_django_cas_server_answer() {
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/cas/saml-validate-success/response.xml"
        ))
        .unwrap();
        assert_eq!(
            parse(&body).unwrap(),
            SamlAnswer {
                status: "Success".into(),
                user: Some("eleve1".into())
            }
        );
        assert!(parse("<html/>").is_err());
    }
}
