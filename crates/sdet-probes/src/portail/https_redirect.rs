//! Plain HTTP must not serve the portal: it must redirect to HTTPS, or credentials and session
//! cookies could travel in clear (RGS, ANSSI TLS recommendations).

use url::Url;

use super::portal;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let http_url = match &ctx.target.portal_http {
        Some(url) => url.clone(),
        None => plain_http(&portal(ctx)?)?,
    };
    let response = session.read(http_url.clone()).await?;
    if let Some(error) = ProbeError::from_status(&response) {
        return Err(error);
    }
    match response.location() {
        Some(next) if next.scheme() == "https" => Ok(Finding::Pass(Text::new(
            format!(
                "{http_url} redirige ({}) vers {next}",
                response.status.as_u16()
            ),
            format!(
                "{http_url} redirects ({}) to {next}",
                response.status.as_u16()
            ),
        ))),
        Some(next) => Ok(Finding::fail(
            Text::new(
                format!("{http_url} redirige vers une autre adresse en clair ({next})"),
                format!("{http_url} redirects to another plain-HTTP address ({next})"),
            ),
            Text::new("redirection vers https://", "redirect to https://"),
            Text::same(next.to_string()),
        )),
        None => Ok(Finding::fail(
            Text::new(
                format!(
                    "{http_url} répond {} en HTTP sans rediriger vers HTTPS",
                    response.status.as_u16()
                ),
                format!(
                    "{http_url} answers {} over HTTP without redirecting to HTTPS",
                    response.status.as_u16()
                ),
            ),
            Text::new("redirection 3xx vers https://", "3xx redirect to https://"),
            Text::same(format!("HTTP {}", response.status.as_u16())),
        )),
    }
}

fn plain_http(portal: &Url) -> Result<Url, ProbeError> {
    let mut url = portal.clone();
    url.set_scheme("http")
        .and_then(|()| url.set_port(None))
        .map_err(|()| {
            ProbeError::Unexpected(Text::new(
                "URL du portail inutilisable",
                "Unusable portal URL",
            ))
        })?;
    Ok(url)
}
