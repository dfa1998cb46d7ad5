//! A probe's session: the browser it drives (the front channel) and the servers it speaks to on a
//! service's behalf (the back channel), over the shared polite client, with one evidence log —
//! every exchange is redacted as it is recorded.
//!
//! The two channels are two types because real single sign-on servers tell them apart: a browser
//! carries the SSO cookie, a service's server never does, and LemonLDAP::NG answers a ticket
//! validation or a token request that carries the SSO cookie with a redirect to its portal or a
//! 400. [`Session`] is the browser: it keeps an RFC 6265 cookie store (Domain, Path, Secure,
//! expiry and host-only honoured by the `cookie_store` crate, the one reqwest uses). Back-channel
//! requests go through [`BackChannel`], which has no access to that store, so a probe cannot send
//! a ticket validation through the browser by mistake: the helpers that validate tickets, exchange
//! codes or fetch metadata take a `BackChannel`.
//!
//! A probe that reads a public document (a page, a feed, metadata) says so by calling `read*`
//! rather than `get*`: when its session would send no cookie with it, the request may take the
//! answer another probe of the audit got to the identical request (`http::shared`), recorded
//! with `shared: true`. Everything else — a login page, whose form carries a single-use token,
//! a ticket validation, anything with a body or credentials — is always sent: each probe judges
//! its own flow.

mod back_channel;

use std::time::Instant;

use cookie_store::CookieStore;
use url::{Origin, Url};

use super::http::{
    DEFAULT_MAX_REDIRECTS, Http, Priority, Request, Response, Source, TransportError,
};
use super::redact::Redactor;
use sdet_core::evidence::Exchange;
use sdet_core::text::Text;

pub use back_channel::BackChannel;

/// Bytes of body kept as evidence per exchange.
const EXCERPT_BYTES: usize = 2048;

/// One probe's session; its own requests are the browser's (front channel).
pub struct Session<'a> {
    http: &'a Http,
    jar: CookieStore,
    /// Masks secrets in everything recorded.
    pub redactor: Redactor,
    /// What was exchanged, redacted, in order.
    pub exchanges: Vec<Exchange>,
    /// Origins this probe's flow started on, where its redirects may go besides the target's.
    flow_origins: Vec<Origin>,
    /// How urgently its requests wait for a place on their host.
    priority: Priority,
}

/// Who sends a request: the browser, or a service's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Front,
    Back,
}

/// Whether a request may take the answer to another probe's identical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Share {
    /// Always sent: a step of a flow, or anything the probe must see answered for itself.
    Never,
    /// A read: shared when it carries no cookie (and, `Http::read` checks, no credentials).
    IfAnonymous,
}

/// The browser's cookies at one moment, to put back later (see `cas_logout`).
#[derive(Debug, Clone)]
pub struct SavedCookies(CookieStore);

impl<'a> Session<'a> {
    /// A fresh session (no cookies) on the shared client.
    pub fn new(http: &'a Http) -> Self {
        Self {
            http,
            // No public suffix list: an ENT's own hosts are what is browsed, and the store still
            // refuses a Domain that does not domain-match the host that set it.
            jar: CookieStore::new(),
            redactor: Redactor::default(),
            exchanges: Vec::new(),
            flow_origins: Vec::new(),
            priority: Priority::default(),
        }
    }

    /// This session, its requests waiting for a place on their host as urgently as `priority`
    /// says (the audit gives its check's expected length: long chains first).
    #[must_use]
    pub fn with_priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Lets redirects go to `url`'s origin too: where a flow starts that the target names only
    /// through a document (the SAML IdP's SSO endpoint, the OpenID Connect authorization
    /// endpoint). The address rules still apply.
    pub fn follow_also(&mut self, url: &Url) {
        let origin = url.origin();
        if !self.flow_origins.contains(&origin) {
            self.flow_origins.push(origin);
        }
    }

    /// The audit's deadline for one exchange (`--timeout`).
    pub fn timeout(&self) -> std::time::Duration {
        self.http.timeout()
    }

    /// The shared client's limits, for a connection that is not HTTP (see [`Limits::hold`](crate::http::Limits::hold)).
    pub fn limits(&self) -> &crate::http::Limits {
        self.http.limits()
    }

    /// The back channel: requests a service's server would send, with no browser cookie.
    pub fn back_channel(&mut self) -> BackChannel<'_, 'a> {
        BackChannel::new(self)
    }

    /// Sends one browser request, with the cookies that match its URL, and records it.
    pub async fn send(&mut self, request: Request) -> Result<Response, TransportError> {
        self.send_on(Channel::Front, request, Share::Never).await
    }

    /// GETs `url` as the browser.
    pub async fn get(&mut self, url: Url) -> Result<Response, TransportError> {
        self.send(Request::get(url)).await
    }

    /// GETs `url` as the browser and follows redirects up to the limit; returns the final
    /// response.
    pub async fn get_following(&mut self, url: Url) -> Result<Response, TransportError> {
        self.follow_on(Channel::Front, url, Share::Never).await
    }

    /// Sends `request`, a read of a public document, as the browser: when it is a GET with no
    /// body and no credentials and the browser has no cookie for its URL, it may take the answer
    /// another probe of the audit got to the identical request (see the module comment).
    pub async fn send_read(&mut self, request: Request) -> Result<Response, TransportError> {
        self.send_on(Channel::Front, request, Share::IfAnonymous)
            .await
    }

    /// GETs `url`, a public document, as the browser, sharing the answer as
    /// [`send_read`](Session::send_read) does.
    pub async fn read(&mut self, url: Url) -> Result<Response, TransportError> {
        self.send_read(Request::get(url)).await
    }

    /// [`read`](Session::read) with redirects followed up to the limit, each hop shared or not on
    /// its own (a cookie set by one hop makes the next one the browser's own).
    pub async fn read_following(&mut self, url: Url) -> Result<Response, TransportError> {
        self.follow_on(Channel::Front, url, Share::IfAnonymous)
            .await
    }

    /// The browser's cookies now, to replay later (e.g. after a logout that asked to drop them).
    pub fn cookies(&self) -> SavedCookies {
        SavedCookies(self.jar.clone())
    }

    /// Puts the browser's cookies back as `cookies()` saw them: someone replaying a copied
    /// session cookie, whatever the server asked the browser to forget since.
    pub fn restore_cookies(&mut self, saved: SavedCookies) {
        self.jar = saved.0;
    }

    /// Forgets every cookie: the next request is a new browser (another test account, say).
    pub fn clear_cookies(&mut self) {
        self.jar.clear();
    }

    /// Whether the browser would send a cookie named `name` to `url`.
    pub fn has_cookie(&self, url: &Url, name: &str) -> bool {
        self.jar.get_request_values(url).any(|(n, _)| n == name)
    }

    /// Sends `request` on `channel`: the browser's cookies go and come back on the front channel
    /// only; a cookie on the back channel is dropped, and its value masked in the evidence.
    /// A read (`share`) whose request carries no cookie goes through `Http::read`.
    async fn send_on(
        &mut self,
        channel: Channel,
        mut request: Request,
        share: Share,
    ) -> Result<Response, TransportError> {
        request
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("cookie"));
        if channel == Channel::Front {
            let cookie_header: Vec<String> = self
                .jar
                .get_request_values(&request.url)
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            if !cookie_header.is_empty() {
                request
                    .headers
                    .push(("Cookie".into(), cookie_header.join("; ")));
            }
        }
        let anonymous = !request
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("cookie"));
        let started = Instant::now();
        let (result, source) = if share == Share::IfAnonymous && anonymous {
            self.http.read_as(&request, self.priority).await
        } else {
            (
                self.http.send_as(&request, self.priority).await,
                Source::Sent,
            )
        };
        // A shared answer is this session's own: its cookies go into this browser's jar.
        if let Ok(response) = &result {
            self.store_cookies(channel, response, &request.url);
        }
        self.record(&request, &result, started, source);
        result
    }

    /// GETs `url` on `channel` and follows redirects up to the limit, loops detected.
    async fn follow_on(
        &mut self,
        channel: Channel,
        url: Url,
        share: Share,
    ) -> Result<Response, TransportError> {
        let mut seen = vec![url.clone()];
        let mut response = self.send_on(channel, Request::get(url), share).await?;
        while let Some(next) = self.next_hop(&response, &mut seen)? {
            response = self.send_on(channel, Request::get(next), share).await?;
        }
        Ok(response)
    }

    /// The redirect `response` asks for, if the audit may follow it: `None` when it is not a
    /// redirect; an error on a loop, too many hops (`seen` holds the URLs visited, the first
    /// request's included), or a place the audit does not go (another origin than the target's
    /// and the flow's, an internal address, another scheme), whose page is then never fetched.
    pub fn next_hop(
        &self,
        response: &Response,
        seen: &mut Vec<Url>,
    ) -> Result<Option<Url>, TransportError> {
        let Some(next) = response.location() else {
            return Ok(None);
        };
        self.http
            .reach()
            .admit_redirect(&next, &self.flow_origins)
            .map_err(TransportError::RedirectNotFollowed)?;
        if seen.contains(&next) {
            return Err(TransportError::RedirectLoop(
                self.redactor.url(next.as_str()),
            ));
        }
        if seen.len() > DEFAULT_MAX_REDIRECTS {
            return Err(TransportError::TooManyRedirects(DEFAULT_MAX_REDIRECTS));
        }
        seen.push(next.clone());
        Ok(Some(next))
    }

    fn store_cookies(&mut self, channel: Channel, response: &Response, url: &Url) {
        for header in response.header_values("set-cookie") {
            if let Ok(cookie) = cookie_store::RawCookie::parse(header) {
                // A session cookie is a credential wherever it ends up in the evidence.
                self.redactor.add_secret(cookie.value());
                if channel == Channel::Front {
                    let _ = self.jar.insert_raw(&cookie, url);
                }
            }
        }
    }

    fn record(
        &mut self,
        request: &Request,
        result: &Result<Response, TransportError>,
        started: Instant,
        source: Source,
    ) {
        let shared = source == Source::Shared;
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
                error_text: None,
                shared,
            },
            Err(e) => Exchange {
                method: request.method.to_string(),
                url: r.url(request.url.as_str()),
                status: None,
                response_headers: Vec::new(),
                body_excerpt: None,
                duration_ms,
                error: Some(r.text(&e.to_string())),
                error_text: Some({
                    let t = e.text();
                    Text::new(r.text(&t.fr), r.text(&t.en))
                }),
                shared,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpOptions;

    fn set(session: &mut Session<'_>, from: &str, cookies: &[&str]) {
        let mut headers = reqwest::header::HeaderMap::new();
        for c in cookies {
            headers.append("set-cookie", c.parse().unwrap());
        }
        let url = Url::parse(from).unwrap();
        let response = Response {
            url: url.clone(),
            status: reqwest::StatusCode::OK,
            headers,
            body: String::new(),
            duration: std::time::Duration::ZERO,
        };
        session.store_cookies(Channel::Front, &response, &url);
    }

    fn sends(session: &Session<'_>, to: &str, name: &str) -> bool {
        session.has_cookie(&Url::parse(to).unwrap(), name)
    }

    #[test]
    fn the_browser_honours_domain_path_secure_and_expiry() {
        let http = Http::new(HttpOptions::default()).unwrap();
        let mut s = Session::new(&http);
        set(
            &mut s,
            "https://sso.ent.fr/cas/login",
            &[
                "TGC=a; Path=/cas; Secure; HttpOnly",
                "host=b",
                "wide=c; Domain=ent.fr; Path=/",
                "foreign=d; Domain=evil.fr",
                "old=e; Max-Age=0",
            ],
        );
        assert!(sends(&s, "https://sso.ent.fr/cas/serviceValidate", "TGC"));
        assert!(!sends(&s, "https://sso.ent.fr/app/", "TGC"), "Path");
        assert!(!sends(&s, "http://sso.ent.fr/cas/login", "TGC"), "Secure");
        // No Path: the default path is the request's directory (RFC 6265 §5.1.4).
        assert!(sends(&s, "https://sso.ent.fr/cas/x", "host"));
        assert!(!sends(&s, "https://sso.ent.fr/x", "host"), "default path");
        assert!(!sends(&s, "https://www.ent.fr/cas/x", "host"), "host-only");
        assert!(sends(&s, "https://www.ent.fr/x", "wide"), "Domain");
        assert!(
            !sends(&s, "https://evil.fr/", "foreign"),
            "foreign Domain refused"
        );
        assert!(!sends(&s, "https://sso.ent.fr/", "old"), "expired");
        set(
            &mut s,
            "https://sso.ent.fr/",
            &["wide=; Domain=ent.fr; Path=/; Max-Age=0"],
        );
        assert!(
            !sends(&s, "https://www.ent.fr/x", "wide"),
            "deleted by the server"
        );
        // A saved session cookie can be replayed after the server asked to forget it.
        let saved = s.cookies();
        s.clear_cookies();
        assert!(!sends(&s, "https://sso.ent.fr/cas/login", "TGC"));
        s.restore_cookies(saved);
        assert!(sends(&s, "https://sso.ent.fr/cas/login", "TGC"));
    }
}
