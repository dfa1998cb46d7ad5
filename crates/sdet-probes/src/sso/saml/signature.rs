//! XML signatures of SAML responses, assertions and metadata, verified — not just found. A
//! signature only protects what a relying party reads if three things hold, and each is checked:
//! 1. the signature is over exactly the element that is read: its one `Reference` points to that
//!    element's `ID`, every `ID` in the document is unique, the signature is that element's own
//!    (its direct child, the first signature in its subtree), and its transforms are the two the
//!    SAML profile allows — so a wrapped copy (XSW) cannot be signed while another is read;
//! 2. canonicalisation, digest and signature value are correct: `xmlsec1` (libxmlsec1, what
//!    pysaml2 and SATOSA rely on) checks them, as a bounded subprocess (`signature/xmlsec.rs`);
//! 3. the key is the one the relying party trusts (the IdP's signing certificate from metadata,
//!    the federation's certificate for metadata), never the one the document carries.
//!
//! SHA-1 digests and signatures are reported as weak.

mod xmlsec;

use std::collections::HashMap;

use sdet_core::text::Text;
use sdet_core::xml::Element;

pub use xmlsec::XmlsecError;

/// The XML Signature namespace's algorithms the SAML profile allows as transforms.
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const EXC_C14N: &[&str] = &[
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
];

/// Which element a signature must cover, for `xmlsec1`'s ID registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// `samlp:Response`.
    Response,
    /// `saml:Assertion`.
    Assertion,
    /// `md:EntityDescriptor`.
    EntityDescriptor,
    /// `md:EntitiesDescriptor`.
    EntitiesDescriptor,
}

impl Signed {
    /// The element's local name.
    pub fn name(self) -> &'static str {
        match self {
            Signed::Response => "Response",
            Signed::Assertion => "Assertion",
            Signed::EntityDescriptor => "EntityDescriptor",
            Signed::EntitiesDescriptor => "EntitiesDescriptor",
        }
    }

    /// `namespace:LocalName`, as `xmlsec1 --id-attr:ID` wants it.
    fn qualified(self) -> &'static str {
        match self {
            Signed::Response => "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            Signed::Assertion => "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            Signed::EntityDescriptor => "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            Signed::EntitiesDescriptor => "urn:oasis:names:tc:SAML:2.0:metadata:EntitiesDescriptor",
        }
    }
}

/// A signature that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The signature algorithm URI.
    pub signature_method: String,
    /// The digest algorithm URI.
    pub digest_method: String,
}

impl Verified {
    /// Whether SHA-1 is used for the digest or the signature.
    pub fn weak(&self) -> bool {
        is_sha1(&self.signature_method) || is_sha1(&self.digest_method)
    }

    /// The algorithms, short.
    pub fn algorithms(&self) -> String {
        format!(
            "{} / {}",
            short(&self.signature_method),
            short(&self.digest_method)
        )
    }
}

/// Why a signature does not protect the element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The element has no signature of its own.
    Missing,
    /// A signature without a value, digest or reference (`<ds:Signature/>`).
    Empty,
    /// The signature is not over exactly this element (wrapping, duplicate IDs, transforms).
    Structure(Text),
    /// The value, digest or canonical form does not verify with any trusted key.
    Invalid(String),
}

impl Refusal {
    /// The refusal, in a line, for element `name`.
    pub fn describe(&self, name: &str) -> Text {
        match self {
            Refusal::Missing => {
                Text::new(format!("{name} non signé"), format!("{name} not signed"))
            }
            Refusal::Empty => Text::new(
                format!("signature vide sur {name}"),
                format!("empty signature on {name}"),
            ),
            Refusal::Structure(why) => Text::new(
                format!("signature de {name} refusée : {}", why.fr),
                format!("signature on {name} refused: {}", why.en),
            ),
            Refusal::Invalid(why) => Text::new(
                format!("la signature de {name} ne se vérifie pas avec la clé attendue ({why})"),
                format!("the signature on {name} does not verify with the expected key ({why})"),
            ),
        }
    }
}

/// Checks the signature of `element` (inside `root`, parsed from `document`) against the trusted
/// certificates (base64 DER, as metadata writes them). `Err(XmlsecError)` when the verification
/// could not run at all: the caller reports an error, never a pass.
pub async fn verify(
    document: &str,
    root: &Element,
    element: &Element,
    kind: Signed,
    trusted: &[String],
) -> Result<Result<Verified, Refusal>, XmlsecError> {
    let (id, methods) = match structure(root, element) {
        Ok(found) => found,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if trusted.is_empty() {
        return Ok(Err(Refusal::Invalid("no trusted certificate".into())));
    }
    let mut last = String::new();
    for cert in trusted {
        match xmlsec::verify(document, kind.qualified(), &id, cert).await? {
            Ok(()) => return Ok(Ok(methods)),
            Err(why) => last = why,
        }
    }
    Ok(Err(Refusal::Invalid(last)))
}

/// The structural checks: `element`'s own signature, referencing exactly its unique ID, with
/// the allowed transforms. Returns the ID and the algorithms.
pub fn structure(root: &Element, element: &Element) -> Result<(String, Verified), Refusal> {
    let Some(signature) = element.child("Signature") else {
        return Err(Refusal::Missing);
    };
    let info = signature.child("SignedInfo");
    let value = signature.child("SignatureValue").map(|v| v.text.trim());
    let (Some(info), Some(value)) = (info, value) else {
        return Err(Refusal::Empty);
    };
    let references: Vec<&Element> = info
        .children
        .iter()
        .filter(|c| c.name == "Reference")
        .collect();
    let digest = references
        .first()
        .and_then(|r| r.child("DigestValue"))
        .map(|d| d.text.trim());
    if value.is_empty() || references.is_empty() || digest.is_none_or(str::is_empty) {
        return Err(Refusal::Empty);
    }
    let structural = |fr: String, en: String| Err(Refusal::Structure(Text::new(fr, en)));
    let Some(id) = element.attribute("ID").filter(|id| !id.is_empty()) else {
        return structural(
            format!("<{}> sans attribut ID", element.name),
            format!("<{}> without an ID attribute", element.name),
        );
    };
    let mut counts: HashMap<&str, usize> = HashMap::new();
    count_ids(root, &mut counts);
    if let Some((dup, _)) = counts.iter().find(|(_, n)| **n > 1) {
        return structural(
            format!("ID {dup} présent plusieurs fois (enveloppement de signature ?)"),
            format!("ID {dup} appears more than once (signature wrapping?)"),
        );
    }
    if !first_signature_is(element, signature) {
        return structural(
            "une autre signature précède la sienne dans l'élément".into(),
            "another signature precedes its own inside the element".into(),
        );
    }
    let [reference] = references.as_slice() else {
        return structural(
            format!("{} références au lieu d'une", references.len()),
            format!("{} references instead of one", references.len()),
        );
    };
    let uri = reference.attribute("URI").unwrap_or("");
    if uri != format!("#{id}") {
        return structural(
            format!("la référence signe « {uri} » et non l'élément lu (#{id})"),
            format!("the reference signs \"{uri}\", not the element read (#{id})"),
        );
    }
    let transforms: Vec<&str> = reference
        .child("Transforms")
        .map(|t| {
            t.children
                .iter()
                .map(|c| c.attribute("Algorithm").unwrap_or(""))
                .collect()
        })
        .unwrap_or_default();
    if let Some(other) = transforms
        .iter()
        .find(|t| **t != ENVELOPED && !EXC_C14N.contains(t))
    {
        return structural(
            format!("transformation non admise par le profil SAML ({other})"),
            format!("transform the SAML profile does not allow ({other})"),
        );
    }
    let method = |holder: Option<&Element>, name: &str| {
        holder
            .and_then(|h| h.child(name))
            .and_then(|m| m.attribute("Algorithm"))
            .unwrap_or("")
            .to_string()
    };
    Ok((
        id.to_string(),
        Verified {
            signature_method: method(Some(info), "SignatureMethod"),
            digest_method: method(Some(reference), "DigestMethod"),
        },
    ))
}

fn count_ids<'a>(element: &'a Element, counts: &mut HashMap<&'a str, usize>) {
    for (name, value) in &element.attributes {
        if name.eq_ignore_ascii_case("id") {
            *counts.entry(value.as_str()).or_default() += 1;
        }
    }
    for child in &element.children {
        count_ids(child, counts);
    }
}

/// Whether `signature` is the first `Signature` in `element`'s subtree, in document order.
fn first_signature_is(element: &Element, signature: &Element) -> bool {
    fn first(e: &Element) -> Option<&Element> {
        if e.name == "Signature" {
            return Some(e);
        }
        e.children.iter().find_map(first)
    }
    element
        .children
        .iter()
        .find_map(first)
        .is_some_and(|f| std::ptr::eq(f, signature))
}

fn is_sha1(uri: &str) -> bool {
    uri.ends_with("sha1") || uri.ends_with("#dsa-sha1")
}

fn short(uri: &str) -> &str {
    uri.rsplit(['#', '/']).next().unwrap_or(uri)
}

#[cfg(test)]
mod tests;
