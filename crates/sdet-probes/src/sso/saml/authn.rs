//! The SP side of SAML 2.0 web SSO that the round trip needs: finding the IdP's SSO endpoint in
//! its metadata, writing and sending the `AuthnRequest` (HTTP-Redirect with raw DEFLATE, or
//! HTTP-POST), and finding the auto-submit form that carries the `SAMLResponse` back.

use base64::Engine as _;
use scraper::{Html, Selector};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

use crate::ProbeError;
use crate::http::{Request, Response};
use crate::session::Session;
use sdet_core::target::SamlSp;
use sdet_core::xml::Element;

use super::roles;

const BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:";

/// The IdP's entityID and SSO endpoint; `true` for HTTP-Redirect (preferred), `false` for POST.
pub fn sso_endpoint(entity: &Element) -> Option<(String, Url, bool)> {
    let id = entity.attribute("entityID")?.to_string();
    let idp = roles(entity)
        .into_iter()
        .find(|r| r.name == "IDPSSODescriptor")?;
    let services: Vec<(&str, &str)> = idp
        .children
        .iter()
        .filter(|c| c.name == "SingleSignOnService")
        .filter_map(|c| {
            Some((
                c.attribute("Binding")?.strip_prefix(BINDING)?,
                c.attribute("Location")?,
            ))
        })
        .collect();
    ["HTTP-Redirect", "HTTP-POST"]
        .into_iter()
        .find_map(|wanted| {
            let (_, location) = services.iter().find(|(b, _)| *b == wanted)?;
            Some((
                id.clone(),
                Url::parse(location.trim()).ok()?,
                wanted == "HTTP-Redirect",
            ))
        })
}

pub fn authn_request(id: &str, destination: &Url, sp: &SamlSp) -> String {
    let now = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" IssueInstant="{now}" Destination="{}" AssertionConsumerServiceURL="{}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"><saml:Issuer>{}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>"#,
        esc(destination.as_str()),
        esc(sp.acs_url.as_str()),
        esc(&sp.entity_id),
    )
}

/// Sends the `AuthnRequest` with the HTTP-Redirect (raw DEFLATE, base64, query) or HTTP-POST
/// (base64, form) binding.
pub async fn send_request(
    session: &mut Session<'_>,
    sso: &Url,
    redirect: bool,
    authn: &str,
) -> Result<Response, ProbeError> {
    let b64 = base64::engine::general_purpose::STANDARD;
    if redirect {
        let deflated = miniz_oxide::deflate::compress_to_vec(authn.as_bytes(), 6);
        let mut url = sso.clone();
        url.query_pairs_mut()
            .append_pair("SAMLRequest", &b64.encode(deflated))
            .append_pair("RelayState", "sdet-audit");
        Ok(session.get(url).await?)
    } else {
        let fields = vec![
            ("SAMLRequest".to_string(), b64.encode(authn)),
            ("RelayState".to_string(), "sdet-audit".to_string()),
        ];
        Ok(session
            .send(Request::post_form(sso.clone(), fields))
            .await?)
    }
}

/// The auto-submit form carrying a `SAMLResponse`: its action and the message.
pub fn saml_form(response: &Response) -> Option<(Url, String)> {
    let doc = Html::parse_document(&response.body);
    let forms = Selector::parse("form").ok()?;
    let field = Selector::parse(r#"input[name="SAMLResponse"]"#).ok()?;
    doc.select(&forms).find_map(|form| {
        let value = form
            .select(&field)
            .next()?
            .value()
            .attr("value")?
            .to_string();
        let action = response
            .url
            .join(form.value().attr("action").unwrap_or(""))
            .ok()?;
        Some((action, value))
    })
}
