//! A probe's browsing session: the shared polite client, a small cookie jar (CAS single sign-on
//! lives in a cookie), manual redirect following with a limit and loop detection, and the
//! evidence log — every exchange is redacted as it is recorded.

use std::time::Instant;

use url::Url;

use super::http::{DEFAULT_MAX_REDIRECTS, Http, Request, Response, TransportError};
use super::redact::Redactor;
use crate::evidence::Exchange;

/// Bytes of body kept as evidence per exchange.
const EXCERPT_BYTES: usize = 2048;

/// One probe's session.
pub struct Session<'a> {
    http: &'a Http,
    cookies: Vec<Cookie>,
    /// Masks secrets in everything recorded.
    pub redactor: Redactor,
    /// What was exchanged, redacted, in order.
    pub exchanges: Vec<Exchange>,
}

#[derive(Debug, Clone)]
struct Cookie {
    host: String,
    name: String,
    value: String,
}

impl<'a> Session<'a> {
    /// A fresh session (no cookies) on the shared client.
    pub fn new(http: &'a Http) -> Self {
        Self {
            http,
            cookies: Vec::new(),
            redactor: Redactor::default(),
            exchanges: Vec::new(),
        }
    }

    /// The audit's deadline for one exchange (`--timeout`).
    pub fn timeout(&self) -> std::time::Duration {
        self.http.timeout()
    }

    /// Sends one request, with this session's cookies, and records it.
    pub async fn send(&mut self, mut request: Request) -> Result<Response, TransportError> {
        let host = request.url.host_str().unwrap_or("").to_string();
        let cookie_header: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| c.host == host)
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !cookie_header.is_empty() {
            request
                .headers
                .push(("Cookie".into(), cookie_header.join("; ")));
        }
        let started = Instant::now();
        let result = self.http.send(&request).await;
        self.record(&request, &result, started);
        if let Ok(response) = &result {
            self.store_cookies(&host, response);
        }
        result
    }

    /// GETs `url`.
    pub async fn get(&mut self, url: Url) -> Result<Response, TransportError> {
        self.send(Request::get(url)).await
    }

    /// GETs `url` and follows redirects up to the limit; returns the final response.
    pub async fn get_following(&mut self, url: Url) -> Result<Response, TransportError> {
        let mut seen = vec![url.clone()];
        let mut response = self.get(url).await?;
        while let Some(next) = response.location() {
            if seen.contains(&next) {
                return Err(TransportError::Redirects(format!(
                    "redirect loop back to {}",
                    self.redactor.url(next.as_str())
                )));
            }
            if seen.len() > DEFAULT_MAX_REDIRECTS {
                return Err(TransportError::Redirects(format!(
                    "more than {DEFAULT_MAX_REDIRECTS} redirects"
                )));
            }
            seen.push(next.clone());
            response = self.get(next).await?;
        }
        Ok(response)
    }

    /// The cookies held now, to replay later (e.g. after a logout that asked to drop them).
    pub fn cookies(&self) -> Vec<(String, String, String)> {
        self.cookies
            .iter()
            .map(|c| (c.host.clone(), c.name.clone(), c.value.clone()))
            .collect()
    }

    /// Puts back cookies taken with `cookies()`, replacing any of the same name and host.
    pub fn restore_cookies(&mut self, saved: Vec<(String, String, String)>) {
        for (host, name, value) in saved {
            self.cookies.retain(|c| !(c.host == host && c.name == name));
            self.cookies.push(Cookie { host, name, value });
        }
    }

    /// Forgets every cookie: the next request is a new browser (another test account, say).
    pub fn clear_cookies(&mut self) {
        self.cookies.clear();
    }

    /// Whether the session holds a cookie named `name` for `url`'s host.
    pub fn has_cookie(&self, url: &Url, name: &str) -> bool {
        let host = url.host_str().unwrap_or("");
        self.cookies
            .iter()
            .any(|c| c.host == host && c.name == name)
    }

    fn store_cookies(&mut self, host: &str, response: &Response) {
        for header in response.header_values("set-cookie") {
            let first = header.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let (name, value) = (name.trim().to_string(), value.trim().to_string());
            let lower = header.to_ascii_lowercase();
            let expired = lower.contains("max-age=0")
                || lower.contains("expires=thu, 01 jan 1970")
                || value.is_empty();
            self.cookies.retain(|c| !(c.host == host && c.name == name));
            if !expired {
                self.redactor.add_secret(&value);
                self.cookies.push(Cookie {
                    host: host.to_string(),
                    name,
                    value,
                });
            }
        }
    }

    fn record(
        &mut self,
        request: &Request,
        result: &Result<Response, TransportError>,
        started: Instant,
    ) {
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let r = &self.redactor;
        let exchange = match result {
            Ok(response) => Exchange {
                method: request.method.to_string(),
                url: r.url(request.url.as_str()),
                status: Some(response.status.as_u16()),
                response_headers: response
                    .headers
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            r.header(k.as_str(), &String::from_utf8_lossy(v.as_bytes())),
                        )
                    })
                    .collect(),
                body_excerpt: Some(r.text(excerpt(&response.body))).filter(|b| !b.is_empty()),
                duration_ms,
                error: None,
            },
            Err(e) => Exchange {
                method: request.method.to_string(),
                url: r.url(request.url.as_str()),
                status: None,
                response_headers: Vec::new(),
                body_excerpt: None,
                duration_ms,
                error: Some(r.text(&e.to_string())),
            },
        };
        self.exchanges.push(exchange);
    }
}

fn excerpt(body: &str) -> &str {
    if body.len() <= EXCERPT_BYTES {
        return body;
    }
    let mut end = EXCERPT_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}
