//! The headers that stop content sniffing, framing by another origin (clickjacking of a login
//! page), referrer leaks, and injected scripts (CSP).

use super::portal;
use crate::http::Response;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let response = session.read_following(portal(ctx)?).await?;
    // The headers of an error page are not the portal's: only a page that was served is judged.
    if let Some(error) = ProbeError::from_status(&response) {
        return Err(error);
    }
    if !response.status.is_success() {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "Le portail répond HTTP {} : pas de page dont juger les en-têtes",
                response.status.as_u16()
            ),
            format!(
                "The portal answers HTTP {}: no page whose headers to judge",
                response.status.as_u16()
            ),
        )));
    }
    let missing = missing_headers(&response);
    if missing.is_empty() {
        Ok(Finding::Pass(Text::new(
            "En-têtes de sécurité présents (nosniff, anti-cadre, Referrer-Policy, CSP)",
            "Security headers present (nosniff, anti-framing, Referrer-Policy, CSP)",
        )))
    } else {
        let list = missing.join(", ");
        Ok(Finding::fail(
            Text::new(
                format!("En-têtes de sécurité manquants : {list}"),
                format!("Missing security headers: {list}"),
            ),
            Text::new(
                "X-Content-Type-Options, X-Frame-Options ou CSP frame-ancestors, Referrer-Policy, Content-Security-Policy",
                "X-Content-Type-Options, X-Frame-Options or CSP frame-ancestors, Referrer-Policy, Content-Security-Policy",
            ),
            Text::new(format!("manquants : {list}"), format!("missing: {list}")),
        ))
    }
}

fn missing_headers(response: &Response) -> Vec<&'static str> {
    let csp = response
        .header("content-security-policy")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut missing = Vec::new();
    if !response
        .header("x-content-type-options")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff"))
    {
        missing.push("X-Content-Type-Options: nosniff");
    }
    let xfo = response
        .header("x-frame-options")
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !(xfo.contains("DENY") || xfo.contains("SAMEORIGIN") || csp.contains("frame-ancestors")) {
        missing.push("X-Frame-Options / frame-ancestors");
    }
    if response
        .header("referrer-policy")
        .is_none_or(|v| v.to_ascii_lowercase().contains("unsafe-url"))
    {
        missing.push("Referrer-Policy");
    }
    if csp.trim().is_empty() {
        missing.push("Content-Security-Policy");
    }
    missing
}
