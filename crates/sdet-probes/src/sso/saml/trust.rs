//! What a service provider may trust in a SAML response: the signatures the IdP made with the
//! signing key its metadata publishes (verified by `signature`), covering the assertion that is
//! read, with a strong algorithm; a signed response names its `Destination` (SAML 2.0 profiles
//! §4.1.4.5), so it cannot be replayed at another service.

use super::signature::{self, Signed, Verified, XmlsecError};
use sdet_core::text::Text;
use sdet_core::xml::Element;

/// The signing certificates (base64 DER) an entity's IdP role publishes: `KeyDescriptor`s with
/// `use="signing"` or no `use`.
pub fn idp_signing_certificates(entity: &Element) -> Vec<String> {
    entity
        .children
        .iter()
        .filter(|role| role.name == "IDPSSODescriptor")
        .flat_map(|role| role.children.iter())
        .filter(|k| k.name == "KeyDescriptor")
        .filter(|k| k.attribute("use").is_none_or(|u| u == "signing"))
        .flat_map(certificates)
        .collect()
}

/// Every `X509Certificate` under `element`, whitespace removed.
pub fn certificates(element: &Element) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![element];
    while let Some(e) = stack.pop() {
        if e.name == "X509Certificate" {
            found.push(e.text.chars().filter(|c| !c.is_whitespace()).collect());
        }
        stack.extend(e.children.iter());
    }
    found
}

/// The attributes of an assertion's statements: (`Name`, values), in document order.
pub fn attributes(assertion: &Element) -> Vec<(String, Vec<String>)> {
    assertion
        .children
        .iter()
        .filter(|s| s.name == "AttributeStatement")
        .flat_map(|s| s.children.iter())
        .filter(|a| a.name == "Attribute")
        .map(|a| {
            let name = a.attribute("Name").unwrap_or("").to_string();
            let values = a
                .children
                .iter()
                .filter(|v| v.name == "AttributeValue")
                .map(|v| v.text.clone())
                .collect();
            (name, values)
        })
        .collect()
}

/// The signatures of `response` (parsed from `document`) judged against `trusted`: a summary of
/// what verified, or the problems. `Err` when verification could not run.
pub async fn judge_response(
    document: &str,
    response: &Element,
    trusted: &[String],
) -> Result<Result<String, Vec<Text>>, XmlsecError> {
    let mut problems = Vec::new();
    let mut verified: Vec<(&str, Verified)> = Vec::new();
    let assertion = response.child("Assertion");
    for (kind, element) in [
        (Signed::Response, Some(response)),
        (Signed::Assertion, assertion),
    ] {
        let Some(element) = element else { continue };
        if element.child("Signature").is_none() {
            continue;
        }
        match signature::verify(document, response, element, kind, trusted).await? {
            Ok(v) => verified.push((kind.name(), v)),
            Err(refusal) => problems.push(refusal.describe(kind.name())),
        }
    }
    let has_signature = |e: Option<&Element>| e.is_some_and(|e| e.child("Signature").is_some());
    if !has_signature(Some(response)) && !has_signature(assertion) {
        problems.push(Text::new(
            "ni la réponse ni l'assertion ne sont signées",
            "neither the response nor the assertion is signed",
        ));
    }
    for (name, v) in &verified {
        if v.weak() {
            problems.push(Text::new(
                format!(
                    "signature de {name} en SHA-1, algorithme faible ({})",
                    v.algorithms()
                ),
                format!(
                    "signature on {name} uses SHA-1, a weak algorithm ({})",
                    v.algorithms()
                ),
            ));
        }
    }
    if verified.iter().any(|(name, _)| *name == "Response")
        && response.attribute("Destination").is_none()
    {
        problems.push(Text::new(
            "réponse signée sans Destination : rejouable auprès d'un autre service",
            "signed response without Destination: it can be replayed at another service",
        ));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    let names: Vec<&str> = verified.iter().map(|(name, _)| *name).collect();
    let algorithms: Vec<String> = verified.iter().map(|(_, v)| v.algorithms()).collect();
    Ok(Ok(format!(
        "signature on {} verified with the metadata's signing key ({})",
        names.join(" and "),
        algorithms.join(", ")
    )))
}
