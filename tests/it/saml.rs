//! The SAML 2.0 metadata probes on real and hostile metadata files (`fixtures/saml/`), through a
//! target with `saml.metadata_file` and the whole audit path.

use std::path::Path;

use base64::Engine as _;
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;

use crate::support::root;

async fn audit_file(metadata: &Path) -> Report {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!(
            "name: saml\nsaml: {{ metadata_file: \"{}\" }}\n",
            metadata.display()
        ),
    )
    .expect("write target");
    let options = AuditOptions {
        lang: sdet_audit::text::Lang::Fr,
        waivers: None,
        waiver_policy: sdet_audit::waiver::WaiverPolicy::default(),
        target: dir.path().join("target.yaml"),
        declarations: None,
        grids: None,
        probes: None,
        http: HttpOptions::default(),
        deadlines: Default::default(),
        secrets: Secrets::default(),
    };
    audit::run(&options, &Silent).await.expect("audit runs")
}

/// (outcome, English message) of each SAML probe.
fn saml_outcomes(report: &Report) -> [(String, String); 2] {
    ["saml.metadata", "saml.certificates"].map(|id| {
        let p = report.probes.iter().find(|p| p.id == id).expect(id);
        (p.outcome.as_str().to_string(), p.message.en.clone())
    })
}

async fn case(name: &str) -> [(String, String); 2] {
    let path = root().join("fixtures/saml").join(name).join("metadata.xml");
    saml_outcomes(&audit_file(&path).await)
}

#[tokio::test]
async fn real_education_and_satosa_idps_pass_both_probes() {
    for name in [
        "renater-hub-idp",
        "renater-grenoble-idp",
        "renater-limoges-idp",
    ] {
        let [metadata, certificates] = case(name).await;
        assert_eq!(metadata.0, "pass", "{name}: {}", metadata.1);
        assert_eq!(certificates.0, "pass", "{name}: {}", certificates.1);
        assert!(
            metadata.1.contains("IdP (SingleSignOnService: "),
            "{}",
            metadata.1
        );
    }
}

#[tokio::test]
async fn real_sp_with_an_empty_nameid_format_fails_metadata_only() {
    let [metadata, certificates] = case("passculture-sp").await;
    assert_eq!(metadata.0, "fail");
    assert!(metadata.1.contains("empty NameIDFormat"), "{}", metadata.1);
    assert_eq!(certificates.0, "pass", "{}", certificates.1);
    assert!(certificates.1.contains("SP signing"), "{}", certificates.1);
}

#[tokio::test]
async fn weak_key_and_http_endpoint_each_fail_their_probe() {
    let [metadata, certificates] = case("weak-rsa-1024").await;
    assert_eq!(metadata.0, "pass", "{}", metadata.1);
    assert_eq!(certificates.0, "fail");
    assert!(
        certificates.1.contains("RSA 1024 bits"),
        "{}",
        certificates.1
    );
    let [metadata, certificates] = case("http-endpoint").await;
    assert_eq!(metadata.0, "fail");
    assert!(
        metadata
            .1
            .contains("endpoint not over HTTPS: http://ent.ac-grenoble.fr/"),
        "{}",
        metadata.1
    );
    assert_eq!(certificates.0, "pass");
}

#[tokio::test]
async fn hostile_or_foreign_inputs_are_errors_with_the_reason() {
    for (name, reason) in [
        ("dtd-entities", "DTD"),
        ("not-xml", "DTD"),
        ("cas-answer", "root element <serviceResponse>"),
    ] {
        for (outcome, message) in case(name).await {
            assert_eq!(outcome, "error", "{name}: {message}");
            assert!(message.contains(reason), "{name}: {message}");
            assert!(!message.contains("root:"), "{name}: an entity was expanded");
        }
    }
    let report = audit_file(&root().join("fixtures/saml/no-such-file.xml")).await;
    for (outcome, message) in saml_outcomes(&report) {
        assert_eq!(outcome, "error");
        assert!(message.contains("Unreadable metadata file"), "{message}");
    }
}

/// IdP metadata around a certificate valid from `from` to `until` (days from now).
fn idp_with_certificate(from: i64, until: i64) -> String {
    let now = time::OffsetDateTime::now_utc();
    let mut params = rcgen::CertificateParams::new(vec!["idp.example".into()]).expect("params");
    params.not_before = now + time::Duration::days(from);
    params.not_after = now + time::Duration::days(until);
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("certificate");
    let b64 = base64::engine::general_purpose::STANDARD.encode(cert.der());
    format!(
        r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example/idp">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#
    )
}

#[tokio::test]
async fn expired_certificate_fails_and_one_expiring_soon_passes_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let expired = dir.path().join("expired.xml");
    std::fs::write(&expired, idp_with_certificate(-400, -10)).expect("write");
    let [metadata, certificates] = saml_outcomes(&audit_file(&expired).await);
    assert_eq!(metadata.0, "pass", "{}", metadata.1);
    assert_eq!(certificates.0, "fail");
    assert!(
        certificates.1.contains("certificate expired on"),
        "{}",
        certificates.1
    );

    let soon = dir.path().join("soon.xml");
    std::fs::write(&soon, idp_with_certificate(-300, 10)).expect("write");
    let [_, certificates] = saml_outcomes(&audit_file(&soon).await);
    assert_eq!(certificates.0, "pass", "{}", certificates.1);
    assert!(certificates.1.contains("WARNING"), "{}", certificates.1);
    assert!(certificates.1.contains("expires in"), "{}", certificates.1);

    let future = dir.path().join("future.xml");
    std::fs::write(&future, idp_with_certificate(5, 400)).expect("write");
    let [_, certificates] = saml_outcomes(&audit_file(&future).await);
    assert_eq!(certificates.0, "fail");
    assert!(
        certificates.1.contains("not valid yet"),
        "{}",
        certificates.1
    );
}

#[tokio::test]
async fn expired_aggregate_valid_until_fails_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner = std::fs::read_to_string(root().join("fixtures/saml/renater-hub-idp/metadata.xml"))
        .expect("fixture");
    let inner = inner
        .split_once("?>")
        .map_or(inner.as_str(), |(_, rest)| rest);
    let aggregate = format!(
        r#"<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="https://federation.renater.fr/test/" validUntil="2022-06-22T00:00:00Z" cacheDuration="PT6H">{inner}</md:EntitiesDescriptor>"#
    );
    let path = dir.path().join("aggregate.xml");
    std::fs::write(&path, aggregate).expect("write");
    let [metadata, _] = saml_outcomes(&audit_file(&path).await);
    assert_eq!(metadata.0, "fail");
    assert!(
        metadata
            .1
            .contains("expired metadata (validUntil 2022-06-22T00:00:00Z)"),
        "{}",
        metadata.1
    );
}

#[tokio::test]
async fn a_saml_block_needs_exactly_one_metadata_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (case, block) in [
        (
            "both",
            "{ metadata_url: \"https://idp.example/md\", metadata_file: md.xml }",
        ),
        ("neither", "{ entity_id: \"https://idp.example/idp\" }"),
    ] {
        std::fs::write(
            dir.path().join("target.yaml"),
            format!("name: t\nsaml: {block}\n"),
        )
        .expect("write");
        let options = AuditOptions {
            lang: sdet_audit::text::Lang::Fr,
            waivers: None,
            waiver_policy: sdet_audit::waiver::WaiverPolicy::default(),
            target: dir.path().join("target.yaml"),
            declarations: None,
            grids: None,
            probes: None,
            http: HttpOptions::default(),
            deadlines: Default::default(),
            secrets: Secrets::default(),
        };
        let err = audit::run(&options, &Silent)
            .await
            .expect_err("an invalid target is a usage error");
        assert!(
            format!("{err:?}").contains("exactly one of `metadata_url` and `metadata_file`"),
            "{case}: {err:?}"
        );
    }
}
