//! Reading a WebDAV `207 Multi-Status` answer (RFC 4918 §13) with our defensive XML reader: one
//! entry per `<response>`, its `href`, whether its properties came back (`propstat` status 200)
//! and whether it is a collection.

use sdet_core::xml::{self, Element};

/// One resource of a PROPFIND answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The `href`, as sent (often percent-encoded, absolute path or absolute URL).
    pub href: String,
    /// Whether a `propstat` answered 200.
    pub found: bool,
    /// Whether `resourcetype` holds `collection`.
    pub collection: bool,
}

/// Why a 207 body is not a usable multistatus.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MultistatusError {
    /// Refused by the XML reader (malformed, DTD, too large).
    #[error("{0}")]
    Xml(#[from] xml::XmlError),
    /// Well-formed, but something else.
    #[error("the root element is <{0}>, not <multistatus>")]
    Root(String),
    /// A response without href.
    #[error("a <response> has no <href>")]
    NoHref,
}

impl MultistatusError {
    /// The error in French and English, for a finding.
    pub fn wording(&self) -> sdet_core::text::Text {
        match self {
            MultistatusError::Xml(e) => e.wording(),
            MultistatusError::Root(name) => sdet_core::fr_en!(
                "l'élément racine est <{name}>, pas <multistatus>",
                "the root element is <{name}>, not <multistatus>"
            ),
            MultistatusError::NoHref => sdet_core::text::Text::new(
                "une <response> sans <href>",
                "a <response> has no <href>",
            ),
        }
    }
}

/// Parses a multistatus body.
pub fn parse(body: &str) -> Result<Vec<Member>, MultistatusError> {
    let root = xml::parse(body)?;
    if root.name != "multistatus" {
        return Err(MultistatusError::Root(root.name));
    }
    root.children
        .iter()
        .filter(|c| c.name == "response")
        .map(member)
        .collect()
}

fn member(response: &Element) -> Result<Member, MultistatusError> {
    let href = response
        .child("href")
        .map(|h| h.text.clone())
        .filter(|h| !h.is_empty())
        .ok_or(MultistatusError::NoHref)?;
    let ok = |status: &Element| status.text.split_whitespace().nth(1) == Some("200");
    let found_props: Vec<&Element> = response
        .children
        .iter()
        .filter(|c| c.name == "propstat" && c.child("status").is_some_and(ok))
        .filter_map(|p| p.child("prop"))
        .collect();
    let collection = found_props
        .iter()
        .filter_map(|p| p.child("resourcetype"))
        .any(|t| t.child("collection").is_some());
    Ok(Member {
        href,
        found: !found_props.is_empty(),
        collection,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_is_worded_in_both_languages() {
        let root = parse("<html/>").expect_err("not a multistatus").wording();
        assert_eq!(root.fr, "l'élément racine est <html>, pas <multistatus>");
        assert_eq!(root.en, "the root element is <html>, not <multistatus>");
        let broken = parse("<multistatus><response>").expect_err("truncated");
        assert!(broken.wording().fr.starts_with("XML mal formé"), "{broken}");
    }

    #[test]
    fn reads_members_with_any_prefix() {
        let body = r#"<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:"><D:response><D:href>/dav/documents/</D:href>
<D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
<D:propstat><D:prop><D:getcontentlength/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response>
<response xmlns="DAV:"><href>/dav/documents/lisezmoi.txt</href><propstat><prop><resourcetype/></prop>
<status>HTTP/1.1 200 OK</status></propstat></response></D:multistatus>"#;
        assert_eq!(
            parse(body).unwrap(),
            vec![
                Member {
                    href: "/dav/documents/".into(),
                    found: true,
                    collection: true
                },
                Member {
                    href: "/dav/documents/lisezmoi.txt".into(),
                    found: true,
                    collection: false
                },
            ]
        );
    }

    #[test]
    fn refuses_other_documents() {
        assert_eq!(parse("<html/>"), Err(MultistatusError::Root("html".into())));
        assert_eq!(
            parse("<multistatus><response/></multistatus>"),
            Err(MultistatusError::NoHref)
        );
        assert!(matches!(parse("not xml <"), Err(MultistatusError::Xml(_))));
    }
}
