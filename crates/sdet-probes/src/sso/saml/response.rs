//! Judges a SAML 2.0 `Response` an IdP sent back for the audit's `AuthnRequest`: what a service
//! provider must check before trusting it (SAML 2.0 profiles §4.1.4.3): success status; issued by
//! the IdP; in response to our request; for our ACS and our audience; inside a bounded time
//! window. Signatures are verified apart (`trust`), since that needs the IdP's key and xmlsec1.

use time::{Duration, OffsetDateTime};

use super::parse_date_time;
use sdet_core::text::Text;
use sdet_core::xml::Element;

/// Clock skew tolerated on time windows, as SP libraries allow.
const SKEW: Duration = Duration::seconds(120);
/// The longest an assertion may stay valid. An assertion is consumed within seconds of its
/// issue; IdPs issue them for minutes (Shibboleth 5, pysaml2 15). One valid for a day is a bearer
/// token anyone who catches it can replay for a day.
const MAX_LIFETIME: Duration = Duration::hours(1);

/// What the response must match.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// The IdP's entityID.
    pub idp: &'a str,
    /// The SP's entityID (the audience).
    pub audience: &'a str,
    /// The ACS URL (destination and recipient).
    pub acs: &'a str,
    /// The ID of our `AuthnRequest`.
    pub request_id: &'a str,
    /// Now.
    pub now: OffsetDateTime,
}

/// Problems of `response`, or a summary of what was verified.
pub fn judge(response: &Element, expected: &Expected<'_>) -> Result<String, Vec<Text>> {
    let mut problems = Vec::new();
    if response.name != "Response" {
        problems.push(Text::new(
            format!("élément racine <{}> au lieu de <Response>", response.name),
            format!("root element <{}> instead of <Response>", response.name),
        ));
        return Err(problems);
    }
    let status = find(response, "StatusCode")
        .and_then(|c| c.attribute("Value"))
        .unwrap_or("");
    if !status.ends_with(":Success") {
        problems.push(Text::new(
            format!("statut {status} au lieu de Success"),
            format!("status {status} instead of Success"),
        ));
        return Err(problems);
    }
    let Some(assertion) = response.child("Assertion") else {
        let why = if response.child("EncryptedAssertion").is_some() {
            "encrypted assertion (not readable by the audit)"
        } else {
            "no assertion"
        };
        problems.push(Text::new(format!("pas d'assertion lisible ({why})"), why));
        return Err(problems);
    };
    check_binding(response, assertion, expected, &mut problems);
    let window = check_window(assertion, expected.now, &mut problems);
    check_lifetime(assertion, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(format!(
        "Success from {}; audience {}; recipient {}; {}",
        expected.idp,
        expected.audience,
        expected.acs,
        window.join(", ")
    ))
}

/// Issuer, request, destination, recipient and audience: the response is for us, from the IdP.
fn check_binding(
    response: &Element,
    assertion: &Element,
    expected: &Expected<'_>,
    problems: &mut Vec<Text>,
) {
    let mut check_eq = |what: &str, found: Option<&str>, wanted: &str, required: bool| match found {
        Some(f) if f.trim() == wanted => {}
        None if !required => {}
        other => problems.push(Text::new(
            format!("{what} = {} au lieu de {wanted}", other.unwrap_or("absent")),
            format!(
                "{what} = {} instead of {wanted}",
                other.unwrap_or("missing")
            ),
        )),
    };
    let confirmation = find(assertion, "SubjectConfirmationData");
    let issuer = assertion
        .child("Issuer")
        .or_else(|| response.child("Issuer"))
        .map(|i| i.text.as_str());
    check_eq(
        "Response/@Destination",
        response.attribute("Destination"),
        expected.acs,
        false,
    );
    check_eq(
        "Response/@InResponseTo",
        response.attribute("InResponseTo"),
        expected.request_id,
        true,
    );
    check_eq("Issuer", issuer, expected.idp, true);
    check_eq(
        "SubjectConfirmationData/@Recipient",
        confirmation.and_then(|c| c.attribute("Recipient")),
        expected.acs,
        true,
    );
    check_eq(
        "SubjectConfirmationData/@InResponseTo",
        confirmation.and_then(|c| c.attribute("InResponseTo")),
        expected.request_id,
        false,
    );
    let audiences: Vec<&str> = descendants(assertion, "Audience")
        .iter()
        .map(|a| a.text.trim())
        .collect();
    if !audiences.contains(&expected.audience) {
        problems.push(Text::new(
            format!(
                "audience {} au lieu de {}",
                audiences.join(", "),
                expected.audience
            ),
            format!(
                "audience {} instead of {}",
                audiences.join(", "),
                expected.audience
            ),
        ));
    }
}

/// The time window (with [`SKEW`]); returns its bounds as written.
fn check_window(assertion: &Element, now: OffsetDateTime, problems: &mut Vec<Text>) -> Vec<String> {
    let conditions = assertion.child("Conditions");
    let confirmation = find(assertion, "SubjectConfirmationData");
    let mut window = Vec::new();
    for (holder, attribute, after) in [
        (conditions, "NotBefore", false),
        (conditions, "NotOnOrAfter", true),
        (confirmation, "NotOnOrAfter", true),
    ] {
        let Some(value) = holder.and_then(|h| h.attribute(attribute)) else {
            continue;
        };
        let (fr, en) = match parse_date_time(value) {
            None => ("date illisible", "unreadable date"),
            Some(t) if after && t + SKEW <= now => {
                ("assertion déjà expirée", "assertion already expired")
            }
            Some(t) if !after && t - SKEW > now => {
                ("assertion pas encore valide", "assertion not valid yet")
            }
            Some(_) => {
                window.push(format!("{attribute} {value}"));
                continue;
            }
        };
        problems.push(Text::new(
            format!("{fr} ({attribute}={value})"),
            format!("{en} ({attribute}={value})"),
        ));
    }
    if confirmation
        .and_then(|c| c.attribute("NotOnOrAfter"))
        .is_none()
    {
        problems.push(Text::new(
            "SubjectConfirmationData sans NotOnOrAfter : assertion rejouable sans limite",
            "SubjectConfirmationData without NotOnOrAfter: the assertion can be replayed forever",
        ));
    }
    window
}

/// The assertion's validity, from its issue (or `NotBefore`) to the earliest `NotOnOrAfter`,
/// must not exceed [`MAX_LIFETIME`].
fn check_lifetime(assertion: &Element, problems: &mut Vec<Text>) {
    let conditions = assertion.child("Conditions");
    let start = conditions
        .and_then(|c| c.attribute("NotBefore"))
        .or_else(|| assertion.attribute("IssueInstant"))
        .and_then(parse_date_time);
    let end = [
        conditions.and_then(|c| c.attribute("NotOnOrAfter")),
        find(assertion, "SubjectConfirmationData").and_then(|c| c.attribute("NotOnOrAfter")),
    ]
    .into_iter()
    .flatten()
    .filter_map(parse_date_time)
    .min();
    let (Some(start), Some(end)) = (start, end) else {
        return;
    };
    let lifetime = end - start;
    if lifetime > MAX_LIFETIME {
        let minutes = lifetime.whole_minutes();
        let hours = format!("{}.{}", minutes / 60, (minutes % 60) / 6);
        problems.push(Text::new(
            format!(
                "assertion valable {hours} h (au plus {} h)",
                MAX_LIFETIME.whole_hours()
            ),
            format!(
                "assertion valid for {hours} h (at most {} h)",
                MAX_LIFETIME.whole_hours()
            ),
        ));
    }
}

/// The first descendant (or self) named `name`, depth first.
fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    if element.name == name {
        return Some(element);
    }
    element.children.iter().find_map(|c| find(c, name))
}

fn descendants<'a>(element: &'a Element, name: &str) -> Vec<&'a Element> {
    let mut found = Vec::new();
    let mut stack = vec![element];
    while let Some(e) = stack.pop() {
        if e.name == name {
            found.push(e);
        }
        stack.extend(e.children.iter());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdet_core::xml;

    const GOOD: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="r1" InResponseTo="_req" Destination="https://sp/acs">
      <saml:Issuer>https://idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
      <saml:Assertion ID="a1"><saml:Issuer>https://idp</saml:Issuer><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>
        <saml:Subject><saml:NameID>x</saml:NameID><saml:SubjectConfirmation><saml:SubjectConfirmationData Recipient="https://sp/acs" InResponseTo="_req" NotOnOrAfter="2030-01-01T00:05:00Z"/></saml:SubjectConfirmation></saml:Subject>
        <saml:Conditions NotBefore="2030-01-01T00:00:00Z" NotOnOrAfter="2030-01-01T00:05:00Z"><saml:AudienceRestriction><saml:Audience>https://sp</saml:Audience></saml:AudienceRestriction></saml:Conditions>
      </saml:Assertion></samlp:Response>"#;

    fn expected(now: OffsetDateTime) -> Expected<'static> {
        Expected {
            idp: "https://idp",
            audience: "https://sp",
            acs: "https://sp/acs",
            request_id: "_req",
            now,
        }
    }

    #[test]
    fn judges_a_response() {
        let at = OffsetDateTime::parse(
            "2030-01-01T00:01:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let good = xml::parse(GOOD).unwrap();
        assert!(
            judge(&good, &expected(at))
                .unwrap()
                .contains("audience https://sp")
        );
        let day =
            xml::parse(&GOOD.replace("2030-01-01T00:05:00Z", "2030-01-02T00:00:00Z")).unwrap();
        let problems = judge(&day, &expected(at)).unwrap_err();
        assert!(
            problems.iter().any(|p| p.en.contains("valid for 24.0 h")),
            "{problems:?}"
        );
        let late = at + Duration::hours(1);
        let problems = judge(&good, &expected(late)).unwrap_err();
        assert!(
            problems.iter().any(|p| p.en.contains("already expired")),
            "{problems:?}"
        );
        let other = xml::parse(
            &GOOD
                .replace(">https://sp<", ">https://other<")
                .replace("_req", "_old"),
        )
        .unwrap();
        let text: Vec<String> = judge(&other, &expected(at))
            .unwrap_err()
            .into_iter()
            .map(|t| t.en)
            .collect();
        assert!(
            text.iter()
                .any(|t| t.contains("InResponseTo = _old instead of _req")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.contains("audience https://other")),
            "{text:?}"
        );
    }
}
