//! XML signatures on a real IdP's output, differentially: SATOSA (pysaml2, signing with
//! libxmlsec1), started by `tests/peers/satosa.sh`, answers the audit's own `AuthnRequest`
//! through a small forwarding proxy on 127.0.0.1 that may tamper with the signed response before
//! the audit reads it. Untouched, the round trip passes (signatures verified with the key of
//! SATOSA's metadata); tampered, it fails, and the `xmlsec1 --verify` command, run by the proxy on
//! the very same document with the same certificate, refuses it too.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::routing::get;
use base64::Engine as _;
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::target::Secrets;

use crate::fixture_server::{audit, probe};
use crate::peer::peer_env;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tamper {
    None,
    OneByte,
    EmptySignatures,
}

struct Proxy {
    base: String,
    upstream: String,
    client: reqwest::Client,
    tamper: Tamper,
    metadata: String,
    /// The IdP's signing certificate (PEM), for the xmlsec1 command.
    cert_pem: String,
    /// What `xmlsec1 --verify` said of each document served.
    command_line: Mutex<Vec<bool>>,
}

async fn forward(
    State(proxy): State<Arc<Proxy>>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
) -> impl axum::response::IntoResponse {
    // The request names the proxy as its Destination; SATOSA wants its own address there.
    let b64 = base64::engine::general_purpose::STANDARD;
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .map(|(k, v)| {
                if k != "SAMLRequest" {
                    return (k.into_owned(), v.into_owned());
                }
                let inflated = miniz_oxide::inflate::decompress_to_vec(
                    &b64.decode(v.as_bytes()).expect("base64"),
                )
                .expect("inflate");
                let request = String::from_utf8(inflated).expect("utf-8").replace(
                    &format!("{}/fwd/", proxy.base),
                    &format!("{}/", proxy.upstream),
                );
                let deflated = miniz_oxide::deflate::compress_to_vec(request.as_bytes(), 6);
                (k.into_owned(), b64.encode(deflated))
            })
            .collect();
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    let url = format!("{}/{path}?{query}", proxy.upstream);
    let page = proxy
        .client
        .get(url)
        .send()
        .await
        .expect("SATOSA answers")
        .text()
        .await
        .expect("body");
    let field = regex::Regex::new(r#"name="SAMLResponse" value="([^"]+)""#).unwrap();
    let encoded = field.captures(&page).expect("a SAMLResponse form")[1].to_string();
    let original = String::from_utf8(b64.decode(&encoded).expect("base64")).expect("utf-8");
    let mut xml = original.clone();
    match proxy.tamper {
        Tamper::None => {}
        // The NameID's first character: the subject is what a service logs in.
        Tamper::OneByte => {
            let at = xml
                .find("NameID")
                .and_then(|i| xml[i..].find('>').map(|j| i + j + 1));
            let at = at.expect("a NameID");
            let replacement = if xml[at..].starts_with('x') { "y" } else { "x" };
            xml.replace_range(at..=at, replacement);
        }
        Tamper::EmptySignatures => {
            let signature =
                regex::Regex::new(r"(?s)<(?:\w+:)?Signature\b.*?</(?:\w+:)?Signature>").unwrap();
            xml = signature
                .replace_all(
                    &xml,
                    r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>"#,
                )
                .into_owned();
        }
    }
    assert_eq!(
        xml == original,
        proxy.tamper == Tamper::None,
        "the tampering took"
    );
    proxy
        .command_line
        .lock()
        .unwrap()
        .push(xmlsec1_verifies(&xml, &proxy.cert_pem));
    let page = page.replace(&encoded, &b64.encode(&xml));
    ([(header::CONTENT_TYPE, "text/html")], page)
}

/// `xmlsec1 --verify` with pysaml2's options on the document's first signature (SATOSA's
/// response signature, which covers the assertion too).
fn xmlsec1_verifies(xml: &str, cert_pem: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.xml"), xml).unwrap();
    std::fs::write(dir.path().join("c.pem"), cert_pem).unwrap();
    std::process::Command::new("xmlsec1")
        .args([
            "--verify",
            "--enabled-key-data",
            "raw-x509-cert",
            "--pubkey-cert-pem",
        ])
        .arg(dir.path().join("c.pem"))
        .args([
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
        ])
        .arg(dir.path().join("r.xml"))
        .output()
        .expect("xmlsec1 installed")
        .status
        .success()
}

async fn start_proxy(tamper: Tamper, env: &dyn Fn(&str) -> String) -> (String, Arc<Proxy>) {
    let ca = std::fs::read(env("SDET_PEER_SATOSA_CA")).expect("CA");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .tls_certs_merge(reqwest::Certificate::from_pem_bundle(&ca).expect("CA"))
        .build()
        .expect("client");
    let metadata_url = env("SDET_PEER_SAML_METADATA_URL");
    let metadata = client
        .get(&metadata_url)
        .send()
        .await
        .expect("metadata")
        .text()
        .await
        .expect("body");
    let upstream = url::Url::parse(&metadata_url).expect("url");
    let upstream = upstream.origin().ascii_serialization();
    let cert = regex::Regex::new(r"<(?:[A-Za-z0-9]+:)?X509Certificate>([^<]+)<")
        .unwrap()
        .captures(&metadata)
        .expect("a certificate")[1]
        .split_whitespace()
        .collect::<String>();
    let cert_pem = format!("-----BEGIN CERTIFICATE-----\n{cert}\n-----END CERTIFICATE-----\n");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let metadata = metadata.replace(
        &format!("Location=\"{upstream}/"),
        &format!("Location=\"{base}/fwd/"),
    );
    let proxy = Arc::new(Proxy {
        base: base.clone(),
        upstream,
        client,
        tamper,
        metadata,
        cert_pem,
        command_line: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route(
            "/metadata",
            get(|State(p): State<Arc<Proxy>>| async move { p.metadata.clone() }),
        )
        .route("/fwd/{*path}", get(forward))
        .with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, proxy)
}

#[tokio::test]
async fn satosa_signatures_verify_untouched_and_fail_tampered_like_xmlsec1() {
    let get = peer_env("satosa", "SDET_PEER_SAML_METADATA_URL");
    for (tamper, outcome, reason) in [
        (
            Tamper::None,
            "pass",
            "signature on Response and Assertion verified",
        ),
        (
            Tamper::OneByte,
            "fail",
            "does not verify with the expected key",
        ),
        (Tamper::EmptySignatures, "fail", "empty signature on"),
    ] {
        let (base, proxy) = start_proxy(tamper, &get).await;
        let yaml = format!(
            "saml:\n  metadata_url: \"{base}/metadata\"\n  entity_id: \"{}\"\n  sp: {{ entity_id: \"{}\", acs_url: \"{}\" }}\n",
            get("SDET_PEER_SAML_ENTITY_ID"),
            get("SDET_PEER_SAML_SP_ENTITY_ID"),
            get("SDET_PEER_SAML_SP_ACS"),
        );
        let report = audit(&yaml, None, Secrets::default(), HttpOptions::default()).await;
        let (got, message) = probe(&report, "saml.sso_round_trip");
        assert_eq!(got, outcome, "{tamper:?}: {message}");
        assert!(message.contains(reason), "{tamper:?}: {message}");
        let command_line = proxy.command_line.lock().unwrap().clone();
        assert_eq!(
            command_line,
            vec![tamper == Tamper::None],
            "{tamper:?}: what xmlsec1 --verify said"
        );
    }
}
