//! SAML signatures through the whole audit, offline: a fake IdP on 127.0.0.1 signs each answer
//! for the audit's own `AuthnRequest` with xmlsec1 (as a real IdP would, with the test keys of
//! `fixtures/saml/signed/`), and its metadata is signed by a test federation key. A good IdP
//! passes the round trip and the federation criteria; every forgery (one byte changed after
//! signing, an empty `<ds:Signature/>`, the attacker's key, SHA-1, tampered or unsigned metadata)
//! fails them, and without a federation certificate they are not tested.

use std::process::Command;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::routing::get;
use base64::Engine as _;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::fixture_server::{audit, probe};

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/saml/signed/");
const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";

/// What the fake IdP does wrong, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forgery {
    None,
    ByteChanged,
    EmptySignature,
    OtherKey,
    Sha1,
    MetadataTampered,
    MetadataUnsigned,
}

fn signature(reference: &str, sha1: bool) -> String {
    let (digest, method) = if sha1 {
        (
            "http://www.w3.org/2000/09/xmldsig#sha1",
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        )
    } else {
        (
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        )
    };
    format!(
        r##"<ds:Signature xmlns:ds="{DSIG}"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="{method}"/><ds:Reference URI="#{reference}"><ds:Transforms><ds:Transform Algorithm="{DSIG}enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature>"##
    )
}

/// Signs the template with `key` (a fixture key name) through the xmlsec1 command.
fn sign(template: &str, key: &str, id_attr: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tpl, out) = (dir.path().join("t.xml"), dir.path().join("o.xml"));
    std::fs::write(&tpl, template).expect("write");
    let status = Command::new("xmlsec1")
        .args(["--sign", "--privkey-pem"])
        .arg(format!("{KEYS}{key}.key,{KEYS}{key}.crt"))
        .args(["--id-attr:ID", id_attr, "--output"])
        .arg(&out)
        .arg(&tpl)
        .status()
        .expect("xmlsec1 installed");
    assert!(status.success(), "xmlsec1 --sign");
    std::fs::read_to_string(out).expect("signed")
}

fn certificate(name: &str) -> String {
    std::fs::read_to_string(format!("{KEYS}{name}.crt"))
        .expect("cert")
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

struct Idp {
    forgery: Forgery,
    metadata: String,
}

async fn fake_idp(forgery: Forgery) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let template = format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_m1" entityID="{base}/idp">{}<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="{DSIG}"><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{base}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#,
        signature("_m1", false),
        certificate("idp"),
    );
    let mut metadata = sign(
        &template,
        "fed",
        "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
    );
    match forgery {
        // The attacker swaps the IdP's signing key for its own in signed metadata.
        Forgery::MetadataTampered => {
            metadata = metadata.replace(&certificate("idp"), &certificate("other"));
        }
        Forgery::MetadataUnsigned => {
            let start = metadata.find("<ds:Signature").expect("signature");
            let end = metadata.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
            metadata.replace_range(start..end, "");
        }
        _ => {}
    }
    let idp = std::sync::Arc::new(Idp { forgery, metadata });
    let app = Router::new()
        .route(
            "/metadata",
            get(|State(idp): State<std::sync::Arc<Idp>>| async move { idp.metadata.clone() }),
        )
        .route("/sso", get(sso))
        .with_state(idp);
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn sso(
    State(idp): State<std::sync::Arc<Idp>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> impl axum::response::IntoResponse {
    let b64 = base64::engine::general_purpose::STANDARD;
    let deflated = b64.decode(&q["SAMLRequest"]).expect("base64");
    let request =
        String::from_utf8(miniz_oxide::inflate::decompress_to_vec(&deflated).expect("inflate"))
            .expect("utf-8");
    let id = regex::Regex::new(r#" ID="([^"]+)""#)
        .unwrap()
        .captures(&request)
        .expect("request ID")[1]
        .to_string();
    let issuer = regex::Regex::new(r#"Destination="(http://[^/]+)/sso""#)
        .unwrap()
        .captures(&request)
        .expect("destination")[1]
        .to_string();
    let fmt = time::format_description::well_known::Rfc3339;
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap();
    let (from, to) = (
        now.format(&fmt).unwrap(),
        (now + time::Duration::minutes(5)).format(&fmt).unwrap(),
    );
    let template = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{id}" Version="2.0" IssueInstant="{from}" Destination="https://sp.example/acs" InResponseTo="{id}"><saml:Issuer>{issuer}/idp</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a{id}" Version="2.0" IssueInstant="{from}"><saml:Issuer>{issuer}/idp</saml:Issuer>{}<saml:Subject><saml:NameID>_u1</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="https://sp.example/acs" InResponseTo="{id}" NotOnOrAfter="{to}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{from}" NotOnOrAfter="{to}"><saml:AudienceRestriction><saml:Audience>https://sp.example</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement><saml:Attribute Name="FrEduCtRefId"><saml:AttributeValue>ELV|1234567890A|0750001A</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#,
        signature(&format!("_a{id}"), idp.forgery == Forgery::Sha1),
    );
    let key = if idp.forgery == Forgery::OtherKey {
        "other"
    } else {
        "idp"
    };
    let mut response = sign(
        &template,
        key,
        "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
    );
    match idp.forgery {
        Forgery::ByteChanged => response = response.replacen("1234567890A", "1234567890B", 1),
        Forgery::EmptySignature => {
            let start = response.find("<ds:Signature").expect("signature");
            let end = response.find("</ds:Signature>").expect("end") + "</ds:Signature>".len();
            response.replace_range(start..end, &format!(r#"<ds:Signature xmlns:ds="{DSIG}"/>"#));
        }
        _ => {}
    }
    (
        [(header::CONTENT_TYPE, "text/html")],
        format!(
            r#"<html><body onload="document.forms[0].submit()"><form method="post" action="https://sp.example/acs"><input type="hidden" name="SAMLResponse" value="{}"/></form></body></html>"#,
            b64.encode(response)
        ),
    )
}

async fn audit_idp(forgery: Forgery, federation_cert: bool) -> Report {
    let base = fake_idp(forgery).await;
    let cert = if federation_cert {
        format!("  metadata_signing_cert: \"{KEYS}fed.crt\"\n")
    } else {
        String::new()
    };
    let yaml = format!(
        "saml:\n  metadata_url: \"{base}/metadata\"\n{cert}  sp: {{ entity_id: \"https://sp.example\", acs_url: \"https://sp.example/acs\" }}\n"
    );
    let http = HttpOptions {
        retries: 0,
        ..HttpOptions::default()
    };
    audit(&yaml, None, Secrets::default(), http).await
}

fn verdict<'r>(report: &'r Report, id: &str) -> &'r str {
    report
        .criteria
        .iter()
        .find(|c| c.id == id)
        .expect("criterion")
        .verdict
        .as_str()
}

#[tokio::test]
async fn a_correctly_signing_idp_passes_the_round_trip_and_the_federation_criteria() {
    let report = audit_idp(Forgery::None, true).await;
    for id in [
        "saml.sso_round_trip",
        "saml.federation",
        "saml.identity_vector",
    ] {
        let (outcome, message) = probe(&report, id);
        assert_eq!(outcome, "pass", "{id}: {message}");
        assert!(message.contains("rsa-sha256"), "{id}: {message}");
    }
    assert_eq!(verdict(&report, "SEC-SAML-02"), "pass");
    // The federation criteria are mixed: the probes verify the automated half; without a
    // declaration and its proof (that it is the right federation) they go no further.
    for id in ["SSO-FED-01", "SSO-FED-02", "SSO-FED-03"] {
        assert_eq!(verdict(&report, id), "automated_part_verified", "{id}");
    }
}

#[tokio::test]
async fn forged_responses_fail_the_round_trip_for_their_reason() {
    for (forgery, reason) in [
        (
            Forgery::ByteChanged,
            "does not verify with the expected key",
        ),
        (Forgery::EmptySignature, "empty signature on Assertion"),
        (Forgery::OtherKey, "does not verify with the expected key"),
        (Forgery::Sha1, "SHA-1"),
    ] {
        let report = audit_idp(forgery, true).await;
        for id in [
            "saml.sso_round_trip",
            "saml.federation",
            "saml.identity_vector",
        ] {
            let (outcome, message) = probe(&report, id);
            assert_eq!(outcome, "fail", "{forgery:?} {id}: {message}");
            assert!(message.contains(reason), "{forgery:?} {id}: {message}");
        }
        for id in ["SEC-SAML-02", "SSO-FED-01", "SSO-FED-02", "SSO-FED-03"] {
            assert_eq!(verdict(&report, id), "fail", "{forgery:?} {id}");
        }
    }
}

#[tokio::test]
async fn untrusted_metadata_never_passes_the_federation_criteria() {
    for (forgery, reason) in [
        (Forgery::MetadataTampered, "does not verify"),
        (Forgery::MetadataUnsigned, "not signed"),
    ] {
        let report = audit_idp(forgery, true).await;
        for id in ["saml.federation", "saml.identity_vector"] {
            let (outcome, message) = probe(&report, id);
            assert_eq!(outcome, "fail", "{forgery:?} {id}: {message}");
            assert!(
                message.contains("Untrusted metadata"),
                "{forgery:?}: {message}"
            );
            assert!(message.contains(reason), "{forgery:?}: {message}");
        }
    }
    // Without the federation's certificate, nothing can say the metadata is the federation's.
    let report = audit_idp(Forgery::None, false).await;
    assert_eq!(probe(&report, "saml.sso_round_trip").0, "pass");
    for id in ["SSO-FED-01", "SSO-FED-02", "SSO-FED-03"] {
        assert_eq!(verdict(&report, id), "not_tested", "{id}");
    }
}

#[tokio::test]
async fn a_metadata_file_handed_over_is_trusted_only_if_the_federation_signed_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let signed = std::fs::read_to_string(format!("{KEYS}metadata.xml")).expect("fixture");
    let audit_file = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let yaml = format!(
            "saml:\n  metadata_file: \"{}\"\n  metadata_signing_cert: \"{KEYS}fed.crt\"\n  sp: {{ entity_id: \"https://sp.example\", acs_url: \"https://sp.example/acs\" }}\n",
            path.display()
        );
        async move {
            let http = HttpOptions {
                retries: 0,
                timeout: std::time::Duration::from_secs(3),
                ..HttpOptions::default()
            };
            audit(&yaml, None, Secrets::default(), http).await
        }
    };
    // One endpoint moved to the attacker's site after signing: the metadata is refused.
    let tampered = audit_file(
        "tampered.xml",
        signed.replace("https://idp.example/sso", "https://evil.example/sso"),
    )
    .await;
    let (outcome, message) = probe(&tampered, "saml.federation");
    assert_eq!(outcome, "fail", "{message}");
    assert!(message.contains("Untrusted metadata"), "{message}");
    assert_eq!(verdict(&tampered, "SSO-FED-01"), "fail");
    // Untouched, the metadata is trusted, and the verdict then waits for the round trip, which
    // cannot reach https://idp.example: an error, never a pass.
    let untouched = audit_file("signed.xml", signed).await;
    let (outcome, message) = probe(&untouched, "saml.federation");
    assert_eq!(outcome, "error", "{message}");
    assert_eq!(verdict(&untouched, "SSO-FED-01"), "error");
}
