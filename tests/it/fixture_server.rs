//! A static server for fixture folders, on 127.0.0.1 over plain HTTP: `/` serves `index.html`,
//! `/x` serves `x.html` or the file `x`, with a content type from the extension. Checks that
//! read pages and feeds are tested against it exactly as against a live server.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

/// Serves `dir` until the test's runtime ends; returns its base URL.
pub async fn serve(dir: &Path) -> Url {
    let app = Router::new()
        .fallback(static_file)
        .with_state(dir.to_path_buf());
    serve_router(app).await
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
