//! Against the signed fixtures of `fixtures/saml/signed/` (made by xmlsec1, see its make.sh), and
//! differentially against `xmlsec1 --verify` itself on every tampered variant: whatever the
//! command line refuses, `verify` refuses too; and `verify` also refuses the wrappings the
//! command line accepts (it checks a signature, not what the relying party reads).

use super::*;
use sdet_core::xml;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/saml/signed/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
}

fn cert(name: &str) -> String {
    read(&format!("{name}.crt"))
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

async fn check(document: &str, kind: Signed, trusted: &str) -> Result<Verified, Refusal> {
    let root = xml::parse(document).unwrap();
    let element = if root.name == kind.name() {
        &root
    } else {
        root.child(kind.name()).unwrap()
    };
    verify(document, &root, element, kind, &[cert(trusted)])
        .await
        .expect("xmlsec1 runs")
}

/// What the xmlsec1 command line says of the same document, with pysaml2's options.
fn command_line(document: &str, kind: Signed, trusted: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.xml"), document).unwrap();
    std::process::Command::new("xmlsec1")
        .args([
            "--verify",
            "--enabled-key-data",
            "raw-x509-cert",
            "--pubkey-cert-pem",
        ])
        .arg(format!("{DIR}{trusted}.crt"))
        .args(["--id-attr:ID", kind.qualified()])
        .arg(dir.path().join("d.xml"))
        .output()
        .expect("xmlsec1 installed")
        .status
        .success()
}

#[tokio::test]
async fn a_good_signature_verifies_with_the_metadata_key_only() {
    let good = read("response.xml");
    let verified = check(&good, Signed::Assertion, "idp").await.unwrap();
    assert!(!verified.weak());
    assert_eq!(verified.algorithms(), "rsa-sha256 / sha256");
    assert!(command_line(&good, Signed::Assertion, "idp"));
    // Signed by another key that the document itself carries in KeyInfo: refused.
    let other = read("response-other-key.xml");
    assert!(matches!(
        check(&other, Signed::Assertion, "idp").await,
        Err(Refusal::Invalid(_))
    ));
    assert!(!command_line(&other, Signed::Assertion, "idp"));
}

#[tokio::test]
async fn tampered_content_is_refused_like_xmlsec1_does() {
    let good = read("response.xml");
    for (what, from, to) in [
        ("attribute value", "National_1", "National_3"),
        ("subject", ">_u1<", ">_u2<"),
        ("audience", "https://sp.example<", "https://sp.exampla<"),
    ] {
        let tampered = good.replacen(from, to, 1);
        assert_ne!(tampered, good, "{what}");
        assert!(!command_line(&tampered, Signed::Assertion, "idp"), "{what}");
        assert!(
            matches!(
                check(&tampered, Signed::Assertion, "idp").await,
                Err(Refusal::Invalid(_))
            ),
            "{what}"
        );
    }
}

#[tokio::test]
async fn empty_missing_and_wrapped_signatures_are_refused() {
    let good = read("response.xml");
    let start = good.find("<ds:Signature").unwrap();
    let end = good.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let signature = &good[start..end];
    let empty = good.replace(
        signature,
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>"#,
    );
    assert_eq!(
        check(&empty, Signed::Assertion, "idp").await,
        Err(Refusal::Empty)
    );
    let missing = good.replace(signature, "");
    assert_eq!(
        check(&missing, Signed::Assertion, "idp").await,
        Err(Refusal::Missing)
    );
    // XSW: an evil assertion read first, the signed original after it. Unsigned, the evil copy
    // is refused as such; carrying a copy of the signature and the same ID, the duplicate ID
    // gives it away.
    let a_start = good.find("<saml:Assertion").unwrap();
    let a_end = good.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let original = &good[a_start..a_end];
    let evil = original
        .replace(signature, "")
        .replace("National_1", "National_3");
    let wrapped = good.replace(original, &format!("{evil}{original}"));
    let refused = check(&wrapped, Signed::Assertion, "idp").await;
    assert_eq!(refused, Err(Refusal::Missing));
    let evil = original.replace("National_1", "National_3");
    let wrapped = good.replace(original, &format!("{evil}{original}"));
    let refused = check(&wrapped, Signed::Assertion, "idp").await;
    assert!(matches!(refused, Err(Refusal::Structure(_))), "{refused:?}");
    // The same with a fresh ID on the evil copy, carrying the original's signature: the
    // reference then names another element than the one read.
    let evil = original
        .replace("ID=\"_a1\"", "ID=\"_evil\"")
        .replace("National_1", "National_3");
    let moved = good.replace(
        original,
        &format!("{evil}<x:Hidden xmlns:x=\"urn:x\">{original}</x:Hidden>"),
    );
    let refused = check(&moved, Signed::Assertion, "idp").await;
    assert!(matches!(refused, Err(Refusal::Structure(_))), "{refused:?}");
}

#[tokio::test]
async fn sha1_verifies_but_is_weak() {
    let sha1 = read("response-sha1.xml");
    let verified = check(&sha1, Signed::Assertion, "idp").await.unwrap();
    assert!(verified.weak());
}

#[tokio::test]
async fn metadata_verifies_with_the_federation_key_only() {
    let metadata = read("metadata.xml");
    check(&metadata, Signed::EntityDescriptor, "fed")
        .await
        .unwrap();
    assert!(command_line(&metadata, Signed::EntityDescriptor, "fed"));
    assert!(matches!(
        check(&metadata, Signed::EntityDescriptor, "idp").await,
        Err(Refusal::Invalid(_))
    ));
    let tampered = metadata.replace("https://idp.example/sso", "https://evil.example/sso");
    assert!(!command_line(&tampered, Signed::EntityDescriptor, "fed"));
    assert!(matches!(
        check(&tampered, Signed::EntityDescriptor, "fed").await,
        Err(Refusal::Invalid(_))
    ));
}
