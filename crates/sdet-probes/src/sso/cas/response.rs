//! Reads CAS validation responses (`cas:serviceResponse`) on their meaning: success with a user
//! and attributes, or failure with a code. Attributes are taken from `cas:attributes` and, as
//! some ENTs do, directly under `cas:authenticationSuccess`; nested values are flattened.

use sdet_core::text::Text;
use sdet_core::xml::{self, Element};

/// What a validation endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationResponse {
    /// `cas:authenticationSuccess`.
    Success {
        /// `cas:user`.
        user: String,
        /// Released attributes, name and value, in document order.
        attributes: Vec<(String, String)>,
    },
    /// `cas:authenticationFailure`.
    Failure {
        /// The `code` attribute (INVALID_TICKET…).
        code: String,
        /// The text.
        message: String,
    },
    /// A non-2xx HTTP status instead of a CAS document.
    HttpStatus(u16),
}

/// The protocol's own attributes, which say nothing of the user.
pub const PROTOCOL_ATTRIBUTES: [&str; 3] = [
    "authenticationDate",
    "longTermAuthenticationRequestTokenUsed",
    "isFromNewLogin",
];

/// Parses a `cas:serviceResponse`. `Err` says why it is not one.
pub fn parse_validation(body: &str) -> Result<ValidationResponse, Text> {
    let root = xml::parse(body.trim_start_matches('\u{feff}')).map_err(|e| {
        Text::new(
            format!("Réponse CAS illisible : {}", e.wording().fr),
            format!("Unreadable CAS response: {e}"),
        )
    })?;
    if root.name != "serviceResponse" {
        return Err(Text::new(
            format!("Réponse CAS inattendue : élément racine <{}>", root.name),
            format!("Unexpected CAS response: root element <{}>", root.name),
        ));
    }
    if let Some(success) = root.child("authenticationSuccess") {
        let user = success
            .child("user")
            .map(|u| u.text.clone())
            .unwrap_or_default();
        let mut attributes = Vec::new();
        for child in &success.children {
            match child.name.as_str() {
                "user" | "proxyGrantingTicket" | "proxies" => {}
                "attributes" => child
                    .children
                    .iter()
                    .for_each(|a| flatten(a, &mut attributes)),
                _ => flatten(child, &mut attributes),
            }
        }
        return Ok(ValidationResponse::Success { user, attributes });
    }
    if let Some(failure) = root.child("authenticationFailure") {
        return Ok(ValidationResponse::Failure {
            code: failure.attribute("code").unwrap_or("").to_string(),
            message: failure.text.clone(),
        });
    }
    Err(Text::new(
        "Réponse CAS sans authenticationSuccess ni authenticationFailure",
        "CAS response with neither authenticationSuccess nor authenticationFailure",
    ))
}

fn flatten(element: &Element, out: &mut Vec<(String, String)>) {
    // The "name/value" layout some servers add: <cas:attribute name="mail" value="…"/>.
    if let (Some(name), Some(value)) = (element.attribute("name"), element.attribute("value")) {
        out.push((name.to_string(), value.to_string()));
    } else if element.children.is_empty() {
        out.push((element.name.clone(), element.text.clone()));
    } else {
        element.children.iter().for_each(|c| flatten(c, out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/cas/spec");

    fn sample(name: &str) -> String {
        std::fs::read_to_string(format!("{SAMPLES}/{name}")).unwrap()
    }

    #[test]
    fn reads_the_specification_examples() {
        assert_eq!(
            parse_validation(&sample("serviceValidate-success.xml")).unwrap(),
            ValidationResponse::Success {
                user: "username".into(),
                attributes: vec![]
            }
        );
        let ValidationResponse::Success { attributes, .. } = parse_validation(&sample(
            "p3-serviceValidate-success-attributes-appendixA.xml",
        ))
        .unwrap() else {
            panic!("not a success")
        };
        assert!(attributes.iter().any(|(k, _)| k == "authenticationDate"));
        let failure =
            parse_validation(&sample("serviceValidate-failure-INVALID_TICKET.xml")).unwrap();
        assert!(
            matches!(failure, ValidationResponse::Failure { code, .. } if code == "INVALID_TICKET")
        );
    }

    #[test]
    fn reads_django_cas_server_attribute_layout() {
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/cas/p3-success-attributes/response.xml"
        ))
        .unwrap();
        let ValidationResponse::Success { user, attributes } = parse_validation(&body).unwrap()
        else {
            panic!("not a success")
        };
        assert_eq!(user, "eleve1");
        assert!(
            attributes.iter().all(|(k, _)| k != "attribute"),
            "{attributes:?}"
        );
        assert!(
            attributes.contains(&("ENTEleveClasses".into(), "0750001A$3A-LATIN".into())),
            "{attributes:?}"
        );
    }

    #[test]
    fn refuses_what_is_not_a_cas_response() {
        assert!(parse_validation("<html><body>error</body></html>").is_err());
        assert!(parse_validation("not xml at all <").is_err());
    }
}
