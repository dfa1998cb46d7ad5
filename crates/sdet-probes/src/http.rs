//! The HTTP client every probe shares. It is polite to a production ENT: bounded concurrency
//! overall and per host (requests and connections: see [`Limits`]), timeouts, capped bodies, no
//! automatic redirects (probes follow them by hand, with a limit and loop detection, so each hop
//! is evidence), retries only on connection errors, 429 and 5xx — for read-only methods only —
//! honouring `Retry-After`, and nothing sent where the audit does not go (`reach`: no internal
//! address the target is not on), and an anonymous read another probe of the audit already made
//! not sent again (`shared`).

mod places;
mod reach;
pub mod shared;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode, Version};
use sdet_core::text::Text;
use tokio::sync::Semaphore;
use url::Url;

pub use places::Priority;
use places::{Place, Places};
pub use reach::{AddressClass, Reach, Refused};
use shared::SharedReads;
pub use shared::Source;

/// Requests in flight across the whole audit.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// Requests in flight to one host over HTTP/1.1, each on its own connection: a production ENT
/// is not a load test.
pub const DEFAULT_PER_HOST: usize = 2;
/// Requests in flight to one host that answers over HTTP/2, all on one connection: what a
/// browser sends one host at once over HTTP/1.1 (six), with one handshake instead of six.
pub const DEFAULT_STREAMS: usize = 6;
/// Seconds before a request (connection, headers and body) is abandoned.
pub const DEFAULT_TIMEOUT_SECS: u64 = 20;
/// Bytes of body read at most; a probe never needs more.
pub const DEFAULT_MAX_BODY: usize = 2 * 1024 * 1024;
/// Redirects followed at most.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Retries after the first try, on transport errors, 429 and 5xx.
pub const DEFAULT_RETRIES: u32 = 2;
/// A `Retry-After` longer than this is not waited for: the probe reports the answer instead.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Requests in flight per host over HTTP/1.1 (and connections per host).
    pub per_host: usize,
    /// Requests in flight to a host that answered over HTTP/2, on one connection; never fewer
    /// than `per_host`.
    pub streams: usize,
    /// Timeout of one request.
    pub timeout: Duration,
    /// Body bytes read at most.
    pub max_body: usize,
    /// Retries on transport errors, 429 and 5xx.
    pub retries: u32,
    /// Extra CA certificates to trust (PEM).
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Where requests may go (by default: public addresses, no redirect followed).
    pub reach: Reach,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            per_host: DEFAULT_PER_HOST,
            streams: DEFAULT_STREAMS,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            max_body: DEFAULT_MAX_BODY,
            retries: DEFAULT_RETRIES,
            extra_ca_pem: None,
            reach: Reach::default(),
        }
    }
}

/// Why a request got no usable answer. These make a probe say `error`, never `fail`.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TransportError {
    /// The TLS handshake failed (expired, self-signed, wrong host…).
    #[error("TLS error: {0}")]
    Tls(String),
    /// The request timed out.
    #[error("no answer within {0} s")]
    Timeout(u64),
    /// The connection failed.
    #[error("connection failed: {0}")]
    Connect(String),
    /// The body was larger than the cap.
    #[error("response body larger than {0} bytes")]
    TooLarge(usize),
    /// Redirects went round in a circle, back to this (redacted) URL.
    #[error("redirect loop back to {0}")]
    RedirectLoop(String),
    /// Redirects went on longer than this many hops.
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// The request was not sent: it would have gone where the audit does not go (see [`Reach`]).
    #[error("not sent: {0}")]
    NotSent(Refused),
    /// A redirect was not followed, for the same reason; its page was never fetched.
    #[error("{0}")]
    RedirectNotFollowed(Refused),
    /// Anything else reqwest reports.
    #[error("{0}")]
    Other(String),
}

impl TransportError {
    /// The error in both languages, for a report; `Display` stays English, for logs. What a
    /// library said (rustls, hyper, the resolver) is quoted as it came, between « and »: it is
    /// its words, not the tool's.
    pub fn text(&self) -> Text {
        match self {
            TransportError::Tls(detail) => Text::new(
                format!("erreur TLS : « {detail} »"),
                format!("TLS error: « {detail} »"),
            ),
            TransportError::Timeout(s) => Text::new(
                format!("aucune réponse en {s} s"),
                format!("no answer within {s} s"),
            ),
            TransportError::Connect(detail) => Text::new(
                format!("la connexion a échoué : « {detail} »"),
                format!("connection failed: « {detail} »"),
            ),
            TransportError::TooLarge(n) => Text::new(
                format!("corps de réponse de plus de {n} octets"),
                format!("response body larger than {n} bytes"),
            ),
            TransportError::RedirectLoop(url) => Text::new(
                format!("boucle de redirection vers {url}"),
                format!("redirect loop back to {url}"),
            ),
            TransportError::TooManyRedirects(n) => Text::new(
                format!("plus de {n} redirections"),
                format!("more than {n} redirects"),
            ),
            TransportError::NotSent(refused) => Text::new(
                format!("non envoyée : {}", refused.0.fr),
                format!("not sent: {}", refused.0.en),
            ),
            TransportError::RedirectNotFollowed(refused) => refused.0.clone(),
            TransportError::Other(detail) => Text::same(format!("« {detail} »")),
        }
    }
}

/// The client could not be built (a bad CA file). It reaches the command line, so its `Display`
/// is in the language errors are shown in ([`sdet_core::text::errors_lang`]); what rustls or
/// reqwest said is quoted as it came.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum ClientError {
    /// The CA file is not a PEM bundle.
    BadCa(String),
    /// The CA file holds no certificate.
    NoCertificate,
    /// reqwest refused the configuration (a certificate it cannot use…).
    Build(String),
}

impl ClientError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            ClientError::BadCa(detail) => Text::new(
                format!(
                    "le client HTTP ne peut pas être préparé : fichier d'AC illisible « {detail} »"
                ),
                format!("cannot set up the HTTP client: bad CA file « {detail} »"),
            ),
            ClientError::NoCertificate => Text::new(
                "le client HTTP ne peut pas être préparé : le fichier d'AC ne contient aucun \
                 certificat PEM",
                "cannot set up the HTTP client: the CA file holds no PEM certificate",
            ),
            ClientError::Build(detail) => Text::new(
                format!("le client HTTP ne peut pas être préparé : « {detail} »"),
                format!("cannot set up the HTTP client: « {detail} »"),
            ),
        }
    }
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// URL.
    pub url: Url,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Form fields, sent as `application/x-www-form-urlencoded`.
    pub form: Option<Vec<(String, String)>>,
    /// A raw body (a WebDAV PROPFIND query, a file to PUT), with its type in `headers`.
    pub body: Option<String>,
}

impl Request {
    /// A GET of `url`.
    pub fn get(url: Url) -> Self {
        Self {
            method: Method::GET,
            url,
            headers: Vec::new(),
            form: None,
            body: None,
        }
    }

    /// A form POST to `url`.
    pub fn post_form(url: Url, fields: Vec<(String, String)>) -> Self {
        Self {
            method: Method::POST,
            url,
            headers: Vec::new(),
            form: Some(fields),
            body: None,
        }
    }

    /// A POST of `body` as `content_type` to `url`.
    pub fn post_body(url: Url, content_type: &str, body: String) -> Self {
        Self {
            method: Method::POST,
            url,
            headers: vec![("Content-Type".to_string(), content_type.to_string())],
            form: None,
            body: Some(body),
        }
    }

    /// This request as a form posted from `page`, with the headers a browser adds: `Origin`,
    /// and `Referer` as the default referrer policy (`strict-origin-when-cross-origin`) writes
    /// it — the page's URL to its own origin, its origin alone elsewhere. Login and consent
    /// forms (CAS, SAML, OpenID Connect) are posted so: a provider checking CSRF wants both.
    #[must_use]
    pub fn from_page(mut self, page: &Url) -> Self {
        let origin = page.origin().ascii_serialization();
        let referer = if self.url.origin() == page.origin() {
            let mut url = page.clone();
            url.set_fragment(None);
            url.to_string()
        } else {
            format!("{origin}/")
        };
        self.headers.push(("Origin".into(), origin));
        self.headers.push(("Referer".into(), referer));
        self
    }

    fn is_read_only(&self) -> bool {
        matches!(
            self.method.as_str(),
            "GET" | "HEAD" | "OPTIONS" | "PROPFIND"
        )
    }
}

/// A response, body read (up to the cap) as text.
#[derive(Debug, Clone)]
pub struct Response {
    /// The URL that answered.
    pub url: Url,
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body, decoded as UTF-8 (lossy).
    pub body: String,
    /// Time taken.
    pub duration: Duration,
}

impl Response {
    /// Every value of header `name`.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect()
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_values(name).into_iter().next()
    }

    /// The redirect target, resolved against the request URL, if this is a redirect.
    pub fn location(&self) -> Option<Url> {
        if !self.status.is_redirection() {
            return None;
        }
        self.url.join(&self.header("location")?).ok()
    }
}

/// How many requests may be in flight, overall and per host. One set serves every client of a
/// run: when several targets are audited at once, each has its own client (its own CA, its own
/// reach), but a host they share still sees at most its share of requests from the run.
///
/// A host's share depends on the protocol it answers in. Over HTTP/1.1 a connection carries one
/// request at a time: `per_host` requests in flight, on as many connections. A host that answers
/// over HTTP/2 takes several requests at once on one connection (as browsers use it): from its
/// first such answer on, it gets `streams` requests in flight, on one connection of the client
/// that speaks nothing but HTTP/2 (see [`Http`]), besides the one that first answer came on. The
/// server may ask for fewer at once (its `SETTINGS_MAX_CONCURRENT_STREAMS`): the others wait.
///
/// A host's free place goes to the most urgent request waiting for one (see [`Priority`]), so
/// the audit's longest chain of round trips is not held up behind its short reads.
#[derive(Debug)]
pub struct Limits {
    global: Semaphore,
    per_host: usize,
    streams: usize,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

/// One host's share of the limits.
#[derive(Debug)]
struct Host {
    /// Its places: `per_host`, then `streams` once it has answered over HTTP/2.
    places: Arc<Places>,
    /// It has answered over HTTP/2.
    multiplexes: AtomicBool,
}

impl Limits {
    /// The limits `options` ask for (`concurrency` overall, `per_host` or `streams` per host).
    pub fn new(options: &HttpOptions) -> Arc<Limits> {
        let per_host = options.per_host.max(1);
        Arc::new(Limits {
            global: Semaphore::new(options.concurrency.max(1)),
            per_host,
            streams: options.streams.max(per_host),
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The share of `url`'s host and port.
    fn host(&self, url: &Url) -> Arc<Host> {
        self.host_port(
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0),
        )
    }

    /// The share of `host:port`, whatever speaks there.
    fn host_port(&self, host: &str, port: u16) -> Arc<Host> {
        let key = format!("{}:{port}", host.to_ascii_lowercase());
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Host {
                    places: Places::new(self.per_host),
                    multiplexes: AtomicBool::new(false),
                })
            })
            .clone()
    }

    /// `host` answered over HTTP/2: from now on it takes `streams` requests at once. Only the
    /// first answer adds places; the later ones find it done.
    fn answered_over_http2(&self, host: &Host) {
        if !host.multiplexes.swap(true, Ordering::AcqRel) {
            host.places.add(self.streams - self.per_host);
        }
    }
}

/// A place held on a host for a connection that is not HTTP, for as long as it lives.
#[derive(Debug)]
pub struct HostSlot(#[allow(dead_code)] Place);

impl Limits {
    /// Waits for a place on `host:port` for a connection that is not HTTP — the LDAP
    /// directory's — and holds it until the [`HostSlot`] is dropped: a directory several targets
    /// of a run share sees at most `per_host` of the run's connections at once, as a web server
    /// sees at most `per_host` requests. It takes no place of the global limit: one directory
    /// read can last minutes, and HTTP probes go on meanwhile.
    pub async fn hold(&self, host: &str, port: u16) -> HostSlot {
        let places = Arc::clone(&self.host_port(host, port).places);
        HostSlot(places.acquire(Priority::default()).await)
    }
}

/// The shared, polite client of one target's audit.
#[derive(Debug)]
pub struct Http {
    /// The client of a host's first requests, and of every request to a host that does not
    /// answer over HTTP/2: it offers both protocols (ALPN) and takes what the host picks.
    client: reqwest::Client,
    /// The client of hosts that answered over HTTP/2 (see [`Limits`]): it speaks nothing else,
    /// which lets hyper open one connection per host and make other requests wait for it. A
    /// client that may fall back to HTTP/1.1 cannot know a connection will be shared before its
    /// handshake, so requests sent at once would each open their own.
    multiplexed: reqwest::Client,
    limits: Arc<Limits>,
    options: HttpOptions,
    /// The answers to anonymous reads, for this client's probes only: unlike the limits, a
    /// target's answers are never another target's.
    reads: SharedReads,
}

impl Http {
    /// The audit's deadline for one exchange (`--timeout`), which non-HTTP probes follow too.
    pub fn timeout(&self) -> Duration {
        self.options.timeout
    }

    /// Requests in flight at most across the audit.
    pub fn concurrency(&self) -> usize {
        self.options.concurrency.max(1)
    }

    /// The limits this client shares with the run's other clients.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Where requests may go.
    pub fn reach(&self) -> &Reach {
        &self.options.reach
    }

    /// Builds the client, with limits of its own.
    pub fn new(options: HttpOptions) -> Result<Http, ClientError> {
        let limits = Limits::new(&options);
        Http::within(options, limits)
    }

    /// Builds the client under `limits`, which other clients of the run may share.
    pub fn within(options: HttpOptions, limits: Arc<Limits>) -> Result<Http, ClientError> {
        let build = |builder: reqwest::ClientBuilder| {
            builder
                .build()
                .map_err(|e| ClientError::Build(error_chain(&e)))
        };
        let client = build(builder(&options)?)?;
        let multiplexed = build(builder(&options)?.http2_prior_knowledge())?;
        Ok(Http {
            client,
            multiplexed,
            limits,
            options,
            reads: SharedReads::default(),
        })
    }

    /// Sends `request` as [`send`](Http::send) does, unless an identical anonymous read was
    /// answered or is in flight: then its answer, with [`Source::Shared`]. The caller vouches
    /// that no cookie of its own would go with the request (see `Session::read`); one that
    /// carries a cookie, credentials or a body, or is not a GET, is always sent.
    pub async fn read(&self, request: &Request) -> (Result<Response, TransportError>, Source) {
        self.read_as(request, Priority::default()).await
    }

    /// [`read`](Http::read), waiting for a place on the host as urgently as `priority` says.
    pub async fn read_as(
        &self,
        request: &Request,
        priority: Priority,
    ) -> (Result<Response, TransportError>, Source) {
        self.reads
            .read(request, || self.send_as(request, priority))
            .await
    }

    /// Sends `request` politely, retrying read-only requests on transport errors, 429 and 5xx.
    pub async fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.send_as(request, Priority::default()).await
    }

    /// [`send`](Http::send), waiting for a place on the host as urgently as `priority` says.
    pub async fn send_as(
        &self,
        request: &Request,
        priority: Priority,
    ) -> Result<Response, TransportError> {
        let mut attempt = 0;
        loop {
            let result = self.send_once(request, priority).await;
            let retry_in = match &result {
                _ if attempt >= self.options.retries || !request.is_read_only() => None,
                // A timeout is not retried: a server that did not answer in `--timeout` will not
                // answer in the next one either, and a slow-loris would cost three timeouts.
                Err(TransportError::Connect(_) | TransportError::Other(_)) => {
                    Some(backoff(attempt))
                }
                Ok(r)
                    if r.status == StatusCode::TOO_MANY_REQUESTS || r.status.is_server_error() =>
                {
                    retry_after(r).map_or(Some(backoff(attempt)), |d| {
                        (d <= MAX_RETRY_AFTER).then_some(d)
                    })
                }
                _ => None,
            };
            match retry_in {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    async fn send_once(
        &self,
        request: &Request,
        priority: Priority,
    ) -> Result<Response, TransportError> {
        self.options
            .reach
            .admit_url(&request.url)
            .map_err(TransportError::NotSent)?;
        // The host's slot first: a request waiting for a busy host must not hold one of the
        // run's slots, which a request to another host (another target) could use meanwhile.
        let host = self.limits.host(&request.url);
        let _host = host.places.acquire(priority).await;
        let _global = self
            .limits
            .global
            .acquire()
            .await
            .map_err(|e| TransportError::Other(e.to_string()))?;
        let started = Instant::now();
        // Plain http:// never speaks HTTP/2 here: that needs TLS to agree on it.
        let client = if host.multiplexes.load(Ordering::Acquire) && request.url.scheme() == "https"
        {
            &self.multiplexed
        } else {
            &self.client
        };
        let mut builder = client.request(request.method.clone(), request.url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(form) = &request.form {
            builder = builder.form(form);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let mut response = builder.send().await.map_err(|e| self.classify(&e))?;
        if response.version() == Version::HTTP_2 {
            self.limits.answered_over_http2(&host);
        }
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.classify(&e))? {
            if body.len() + chunk.len() > self.options.max_body {
                return Err(TransportError::TooLarge(self.options.max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            url,
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            duration: started.elapsed(),
        })
    }

    fn classify(&self, e: &reqwest::Error) -> TransportError {
        let chain = error_chain(e);
        if let Some(refused) = refusal_in(e) {
            TransportError::NotSent(refused)
        } else if e.is_timeout() {
            TransportError::Timeout(self.options.timeout.as_secs())
        } else if chain.contains("certificate")
            || chain.contains("tls")
            || chain.contains("TLS")
            || chain.contains("handshake")
        {
            TransportError::Tls(chain)
        } else if e.is_connect() {
            TransportError::Connect(chain)
        } else {
            TransportError::Other(chain)
        }
    }
}

/// A client as `options` ask: no redirect followed, timeouts, the reach's resolver, no proxy, the
/// system's roots and the extra CA.
fn builder(options: &HttpOptions) -> Result<reqwest::ClientBuilder, ClientError> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(options.timeout)
        .connect_timeout(options.timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("sdet-audit/", env!("CARGO_PKG_VERSION")))
        // Every host name is resolved through the reach, so none leads where the audit does not
        // go (an IP literal never reaches a resolver: `send_once` checks those).
        .dns_resolver(options.reach.resolver())
        // No proxy from HTTP(S)_PROXY or ALL_PROXY: a proxy resolves the ENT's host names
        // itself, out of the reach's sight, and an http:// one would see the test passwords.
        .no_proxy();
    let roots = system_roots();
    if !roots.is_empty() {
        builder = builder.tls_certs_only(roots.iter().cloned());
    }
    if let Some(pem) = &options.extra_ca_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|e| ClientError::BadCa(e.to_string()))?;
        if certs.is_empty() {
            return Err(ClientError::NoCertificate);
        }
        builder = builder.tls_certs_merge(certs);
    }
    Ok(builder)
}

/// The system's trusted roots (`rustls-native-certs`: the store the OS or OpenSSL keeps, as the
/// LDAP client trusts), read once per process. Reading them — a few hundred files under
/// `/etc/ssl/certs` — cost more than anything else in building a client, and a run builds two
/// per target; left to reqwest, each build read them again. Empty when the system has no store:
/// the client then falls back to reqwest's platform verifier.
fn system_roots() -> &'static [reqwest::Certificate] {
    static ROOTS: std::sync::OnceLock<Vec<reqwest::Certificate>> = std::sync::OnceLock::new();
    ROOTS.get_or_init(|| {
        rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .filter_map(|cert| reqwest::Certificate::from_der(cert).ok())
            .collect()
    })
}

/// The reach's refusal, when the resolver refused every address of the host.
fn refusal_in(e: &dyn std::error::Error) -> Option<Refused> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<Refused>() {
            return Some(refused.clone());
        }
        source = s.source();
    }
    None
}

/// reqwest's messages hide the cause in the source chain; users need the cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500 * 2u64.pow(attempt.min(6)))
}

/// `Retry-After` in seconds (the HTTP-date form is rare from ENTs and treated as absent).
fn retry_after(response: &Response) -> Option<Duration> {
    response
        .header("retry-after")?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{HttpOptions, Limits};

    #[tokio::test]
    async fn a_connection_that_is_not_http_holds_a_place_on_its_host() {
        let limits = Limits::new(&HttpOptions {
            per_host: 1,
            ..HttpOptions::default()
        });
        let first = limits.hold("annuaire.example", 636).await;
        let wait = Duration::from_millis(50);
        // The same host and port (whatever the case of its name) waits…
        assert!(
            tokio::time::timeout(wait, limits.hold("ANNUAIRE.example", 636))
                .await
                .is_err()
        );
        // …another port does not…
        let _other = tokio::time::timeout(wait, limits.hold("annuaire.example", 389))
            .await
            .expect("another port has its own places");
        // …and the place is free again once the first connection is over.
        drop(first);
        let _again = tokio::time::timeout(wait, limits.hold("annuaire.example", 636))
            .await
            .expect("freed");
    }
}
