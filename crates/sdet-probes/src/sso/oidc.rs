//! What the OpenID Connect checks share: fetching the provider's discovery document
//! (`<issuer>/.well-known/openid-configuration`, OpenID Connect Discovery 1.0 §4) and reading it
//! as a JSON object. Only HTTP and JSON here; the judging is in the checks.

pub mod id_token;
pub mod interaction;

use serde_json::{Map, Value};
use url::Url;

use crate::session::BackChannel;
use crate::{Context, ProbeError};
use sdet_core::target::OidcTarget;
use sdet_core::text::Text;

/// The plan guarantees the `oidc` block exists when an OIDC check runs.
pub fn target<'a>(ctx: &Context<'a>) -> Result<&'a OidcTarget, ProbeError> {
    ctx.target.oidc.as_ref().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun fournisseur OpenID Connect dans la cible",
            "No OpenID Connect provider in the target",
        ))
    })
}

/// The discovery URL of `issuer`: a trailing `/` of the issuer is dropped before the suffix.
pub fn discovery_url(issuer: &Url) -> Url {
    let mut url = issuer.clone();
    let path = format!(
        "{}/.well-known/openid-configuration",
        issuer.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url.set_query(None);
    url
}

/// Fetches and parses the discovery document; returns it with the URL it came from. A relying
/// party's server reads it, so it goes on the back channel.
pub async fn discovery(
    ctx: &Context<'_>,
    back: &mut BackChannel<'_, '_>,
) -> Result<(Map<String, Value>, Url), ProbeError> {
    let url = discovery_url(&target(ctx)?.issuer);
    let document = json_object(back, &url, "discovery").await?;
    Ok((document, url))
}

/// GETs `url` (redirects followed, loops detected) and parses a JSON object from it. `what`
/// names the document in messages.
pub async fn json_object(
    back: &mut BackChannel<'_, '_>,
    url: &Url,
    what: &str,
) -> Result<Map<String, Value>, ProbeError> {
    let response = back.read_following(url.clone()).await?;
    crate::unavailable(&response, what)?;
    if !response.status.is_success() {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "Document {what} : HTTP {} ({url})",
                response.status.as_u16()
            ),
            format!("{what} document: HTTP {} ({url})", response.status.as_u16()),
        )));
    }
    match serde_json::from_str::<Value>(&response.body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ProbeError::Unexpected(Text::new(
            format!("Document {what} : du JSON, mais pas un objet ({url})"),
            format!("{what} document: JSON, but not an object ({url})"),
        ))),
        Err(e) => Err(ProbeError::Unexpected(Text::new(
            format!("Document {what} : JSON illisible ({e}) ({url})"),
            format!("{what} document: unreadable JSON ({e}) ({url})"),
        ))),
    }
}

/// The strings of a JSON array member (non-strings skipped), or `None` if absent or not an array.
pub fn strings<'a>(document: &'a Map<String, Value>, key: &str) -> Option<Vec<&'a str>> {
    Some(
        document
            .get(key)?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_url_follows_the_issuer_path() {
        let at = |issuer: &str| discovery_url(&Url::parse(issuer).unwrap()).to_string();
        assert_eq!(
            at("https://ent.fr"),
            "https://ent.fr/.well-known/openid-configuration"
        );
        assert_eq!(
            at("https://ent.fr/auth/openid/"),
            "https://ent.fr/auth/openid/.well-known/openid-configuration"
        );
        assert_eq!(
            at("https://ent.fr/cas/oidc"),
            "https://ent.fr/cas/oidc/.well-known/openid-configuration"
        );
    }
}
