//! The hostile ENT of the corpus: one HTTPS server on 127.0.0.1 whose every path is a trap (a
//! redirect to the cloud metadata address or to another origin, a login form posting elsewhere,
//! an echo of the password, a slow-loris, an endless body, an entity bomb…), and the bystander:
//! another origin on this machine, which counts whatever reaches it — nothing should.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use url::Url;

use crate::fixture_server::{serve_router, serve_tls};

/// The hostile ENT, as the cases need it.
pub struct Ent {
    /// `https://127.0.0.1:<port>/`.
    pub base: Url,
    /// Its CA, PEM.
    pub ca_pem: String,
}

/// What reached the bystander: the URIs requested (each names the trap that sent it).
pub type Bystander = Arc<std::sync::Mutex<Vec<String>>>;

const METADATA: &str = "http://169.254.169.254/latest/meta-data/iam/security-credentials/";

/// Starts the bystander, then the ENT that points at it.
pub async fn start() -> (Ent, Bystander) {
    let hits = Bystander::default();
    let counter = Arc::clone(&hits);
    let bystander = serve_router(Router::new().fallback(move |uri: axum::http::Uri| {
        counter
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(uri.to_string());
        async { "bystander" }
    }))
    .await;
    let app = Router::new().fallback(trap).with_state(bystander);
    let server = serve_tls(app).await;
    let ent = Ent {
        base: server.base,
        ca_pem: server.ca_pem,
    };
    (ent, hits)
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

fn html(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn login_form(action: &str) -> Response {
    html(format!(
        "<html lang=\"fr\"><body><form method=\"post\" action=\"{action}\">\
         <input name=\"username\"><input type=\"password\" name=\"password\">\
         <input type=\"hidden\" name=\"execution\" value=\"e1s1\"></form></body></html>"
    ))
}

/// A body that never ends, one chunk every `every`.
fn endless(chunk: &'static [u8], every: Duration) -> Response {
    let stream = futures::stream::unfold((), move |()| async move {
        tokio::time::sleep(every).await;
        Some((Ok::<_, std::io::Error>(chunk), ()))
    });
    Body::from_stream(stream).into_response()
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><link>https://ent.fr/</link><description>x</description></channel></rss>"#;

const XXE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><link>https://ent.fr/</link><description>x</description></channel></rss>"#;

/// Every form the ENT could echo a password in: raw, URL-encoded, HTML-escaped, base64.
fn echo(secret: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let url: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let escaped = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "raw={secret} url={url} html={escaped} b64={} b64url={}",
        b64.encode(secret),
        base64::engine::general_purpose::URL_SAFE.encode(secret)
    )
}

/// The password of a form body (`…&password=…`).
fn password_in(form: &[u8]) -> String {
    url::form_urlencoded::parse(form)
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The password of a Basic `Authorization` header.
fn password_in_basic(headers: &HeaderMap) -> String {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .unwrap_or_default();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value)
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&decoded).into_owned();
    text.split_once(':')
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}

async fn trap(State(bystander): State<Url>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let elsewhere = bystander
        .join(&format!("steal?from={path}"))
        .map(|u| u.to_string())
        .unwrap_or_default();
    let method = request.method().clone();
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    match path.as_str() {
        "/redirect/metadata/" => redirect(METADATA),
        "/redirect/metadata-v6/" => redirect("http://[fd00:ec2::254]/latest/meta-data/"),
        "/redirect/metadata-mapped/" => redirect("http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
        "/redirect/bystander/" => redirect(&elsewhere),
        "/redirect/file/" => redirect("file:///etc/passwd"),
        "/redirect/gopher/" => redirect("gopher://127.0.0.1:6379/_INFO"),
        "/redirect/loop/" => redirect("/redirect/loop2/"),
        "/redirect/loop2/" => redirect("/redirect/loop/"),
        "/status/429/" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "999999")],
        )
            .into_response(),
        "/status/503/" => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        "/slow/" => endless(b"<", Duration::from_millis(700)),
        "/endless/" => endless(&[b'x'; 64 * 1024], Duration::ZERO),
        "/stall/" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
        "/portal/legal-elsewhere/" => html(format!(
            "<html lang=\"fr\"><body><a href=\"{elsewhere}\">Mentions légales</a>\
             <a href=\"{elsewhere}\">Accessibilité : non conforme</a>\
             <a href=\"{elsewhere}\">Données personnelles</a><a href=\"{elsewhere}\">Se connecter</a></body></html>"
        )),
        "/cas/form-elsewhere/login" => login_form(&elsewhere),
        "/cas/redirect-elsewhere/login" => redirect(&elsewhere),
        "/cas/redirect-metadata/login" => redirect(METADATA),
        "/cas/echo/login" if method == axum::http::Method::POST => {
            let secret = password_in(&body);
            let echoed = echo(&secret);
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "text/html".to_string()),
                    (
                        header::HeaderName::from_static("x-echo"),
                        echo(&secret).replace(['\n', '\r'], ""),
                    ),
                ],
                format!("<html><body><p>Bienvenue {echoed}</p></body></html>"),
            )
                .into_response()
        }
        "/cas/echo/login" => login_form("/cas/echo/login"),
        "/cas/echo/serviceValidate" | "/cas/echo/p3/serviceValidate" => {
            StatusCode::NOT_FOUND.into_response()
        }
        "/feeds/echo.ics" => (
            [(header::CONTENT_TYPE, "text/calendar")],
            format!(
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{}\r\nEND:VCALENDAR\r\n",
                echo(&password_in_basic(&headers))
            ),
        )
            .into_response(),
        "/feeds/bomb.xml" => (
            [(header::CONTENT_TYPE, "application/rss+xml")],
            BILLION_LAUGHS,
        )
            .into_response(),
        "/feeds/xxe.xml" => ([(header::CONTENT_TYPE, "application/rss+xml")], XXE).into_response(),
        "/saml/bomb.xml" => (
            [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
            BILLION_LAUGHS,
        )
            .into_response(),
        "/oidc/jwks-metadata/.well-known/openid-configuration" => {
            let issuer = format!("{}oidc/jwks-metadata", headers_base(&headers));
            axum::Json(serde_json::json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{issuer}/auth"),
                "token_endpoint": format!("{issuer}/token"),
                "jwks_uri": "http://169.254.169.254/latest/meta-data/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }))
            .into_response()
        }
        "/oidc/redirect-metadata/.well-known/openid-configuration" => redirect(METADATA),
        "/dav/redirect/" => redirect(&elsewhere),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `https://<Host>/`, as the client addressed the server.
fn headers_base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("https://{host}/")
}
