//! A hostile ENT that echoes the test account's password back in every encoding it can think of
//! (literal, URL-encoded, form-encoded, HTML-escaped, base64 of itself and of the Basic
//! credentials) in its headers, its redirect and its body, for random passwords: no rendered
//! report may contain what the server sent.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sdet_audit::probe::http::HttpOptions;
use sdet_audit::report::{csv, html, json, markdown, sarif};
use sdet_audit::target::Secrets;
use sdet_audit::text::Lang;

use crate::fixture_server::{self, serve_tls};

const USER: &str = "eleve1";

/// Every way this server echoes `password`, exactly as it sends them.
fn echoes(password: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(password.as_bytes()).collect();
    let html = password
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    vec![
        password.to_string(),
        form.clone(),
        form.replace('+', "%20"),
        html,
        STANDARD.encode(format!("pw={password};")),
        URL_SAFE_NO_PAD.encode(format!("xx{password}")),
        STANDARD.encode(format!("{USER}:{password}")),
    ]
}

/// The password from a Basic `Authorization` header.
fn password_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let decoded = STANDARD.decode(value.strip_prefix("Basic ")?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    text.split_once(':').map(|(_, p)| p.to_string())
}

async fn echoing_calendar(headers: HeaderMap) -> Response {
    let Some(password) = password_of(&headers) else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Basic realm=\"agenda\"")],
        )
            .into_response();
    };
    let echoes = echoes(&password);
    let body = format!(
        "<!DOCTYPE html><p>Bonjour, votre mot de passe : {}</p>",
        echoes.join(" | ")
    );
    let mut response = (StatusCode::OK, body).into_response();
    for (i, echo) in echoes.iter().enumerate() {
        if let Ok(value) = HeaderValue::from_str(echo) {
            response.headers_mut().insert(
                format!("x-echo-{i}")
                    .parse::<header::HeaderName>()
                    .expect("name"),
                value,
            );
        }
    }
    response
}

fn random_password(rng: &mut StdRng) -> String {
    const ALPHABET: &[char] = &[
        'a', 'Z', '0', '9', ' ', '&', '<', '>', '"', '\'', '/', '+', '=', '%', '@', ':', ';', '?',
        '#', 'é', 'ç', '€', '\\', '~',
    ];
    let len = rng.random_range(8..24);
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
        .collect()
}

#[tokio::test]
async fn no_encoding_of_an_echoed_password_reaches_a_report() {
    let server = serve_tls(Router::new().route("/agenda.ics", get(echoing_calendar))).await;
    let yaml = format!(
        "interop:\n  ical: \"{}agenda.ics\"\n  ical_private: true\n  ical_account: {{ username_env: U, password_env: P }}\n",
        server.base
    );
    let mut rng = StdRng::seed_from_u64(20_261_202);
    for _ in 0..12 {
        let password = random_password(&mut rng);
        let secrets = Secrets::default().with("U", USER).with("P", &password);
        let report =
            fixture_server::audit(&yaml, Some(&server.ca_pem), secrets, HttpOptions::default())
                .await;
        let outputs = [
            json::render(&report),
            markdown::render(&report, Lang::Fr),
            csv::render(&report, Lang::En),
            sarif::render(&report, Lang::Fr),
            html::render(&report, Lang::Fr).expect("renders"),
        ];
        // The exchange was recorded: the test would prove nothing if the body were dropped.
        assert!(outputs[0].contains("Bonjour"), "{}", outputs[0]);
        for echo in echoes(&password) {
            for output in &outputs {
                assert!(
                    !output.contains(&echo),
                    "the password {password:?} reached a report as {echo:?}"
                );
            }
        }
    }
}
