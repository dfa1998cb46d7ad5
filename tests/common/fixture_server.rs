//! A static server for fixture folders, on 127.0.0.1 over plain HTTP: `/` serves `index.html`,
//! `/x` serves `x.html` or the file `x`, with a content type from the extension. Checks that
//! read pages and feeds are tested against it exactly as against a live server.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsConfig;
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use sdet_audit::audit::{self, AuditOptions, Silent};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::Report;
use sdet_audit::target::Secrets;
use url::Url;

/// Serves `dir` until the test's runtime ends; returns its base URL.
pub async fn serve(dir: &Path) -> Url {
    serve_router(static_router(dir)).await
}

/// Serves any router on a fresh loopback port; returns its base URL.
pub async fn serve_router(app: Router) -> Url {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("serve");
    });
    Url::parse(&format!("http://127.0.0.1:{port}/")).expect("url")
}

/// A server over HTTPS with a private CA made for it.
pub struct TlsServer {
    /// `https://127.0.0.1:<port>/`.
    pub base: Url,
    /// The CA to trust, PEM.
    pub ca_pem: String,
}

/// Serves `app` over HTTPS on a fresh loopback port, with a certificate from a fresh CA.
pub async fn serve_tls(app: Router) -> TlsServer {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let ca_cert = ca_params.self_signed(&ca_key).expect("CA");
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .expect("params")
        .signed_by(&key, &issuer)
        .expect("leaf");
    let config = RustlsConfig::from_pem(cert.pem().into_bytes(), key.serialize_pem().into_bytes())
        .await
        .expect("TLS config");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let port = listener.local_addr().expect("address").port();
    let server = axum_server::from_tcp_rustls(listener, config).expect("server");
    tokio::spawn(async move {
        server.serve(app.into_make_service()).await.expect("serve");
    });
    TlsServer {
        base: Url::parse(&format!("https://127.0.0.1:{port}/")).expect("url"),
        ca_pem: ca_cert.pem(),
    }
}

/// A router serving the files of `dir` (see `serve`).
pub fn static_router(dir: &Path) -> Router {
    Router::new()
        .fallback(static_file)
        .with_state(dir.to_path_buf())
}

/// Audits the target whose YAML body is `yaml`, trusting `ca_pem` when given.
pub async fn audit(
    yaml: &str,
    ca_pem: Option<&str>,
    secrets: Secrets,
    http: HttpOptions,
) -> Report {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = format!("name: fixture\n{yaml}");
    if let Some(pem) = ca_pem {
        std::fs::write(dir.path().join("ca.pem"), pem).expect("write CA");
        text.push_str("tls: { ca_file: ca.pem }\n");
    }
    std::fs::write(dir.path().join("target.yaml"), text).expect("write target");
    let mut options = AuditOptions::new(dir.path().join("target.yaml"), secrets);
    options.http = http;
    audit::run(&options, &Silent).await.expect("audit runs")
}

/// The outcome and English message of probe `id`.
pub fn probe<'r>(report: &'r Report, id: &str) -> (&'r str, &'r str) {
    let p = report
        .probes
        .iter()
        .find(|p| p.id == id)
        .expect("probe in report");
    (p.outcome.as_str(), p.message.en.as_str())
}

async fn static_file(State(dir): State<PathBuf>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    let name = if path.is_empty() { "index.html" } else { path };
    if name.contains("..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let candidates = [dir.join(format!("{name}.html")), dir.join(name)];
    let Some(file) = candidates.iter().find(|p| p.is_file()) else {
        return (StatusCode::NOT_FOUND, "introuvable").into_response();
    };
    let body = std::fs::read(file).expect("read fixture");
    ([(header::CONTENT_TYPE, content_type(file))], body).into_response()
}

/// The content type a common server gives each extension.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("html") {
        "ics" => "text/calendar; charset=utf-8",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        _ => "text/html; charset=utf-8",
    }
}
