//! Fetching a published document (a calendar, a feed): GET with optional HTTP Basic credentials,
//! redirects followed by hand within the audit's reach (the session's `next_hop`: a limit, loop
//! detection, the target's origins only), and credentials sent only to the origin they were given
//! for — a redirect to another host never receives them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use url::{Origin, Url};

use crate::http::{Request, Response, TransportError};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::target::Credentials;
use sdet_core::text::Text;

/// A user name and password, resolved from the environment.
pub struct Login {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl Login {
    /// Resolves `credentials` and registers the secrets with the session's redactor.
    pub fn resolve(
        credentials: &Credentials,
        ctx: &Context<'_>,
        session: &mut Session<'_>,
    ) -> Result<Login, ProbeError> {
        let get = |var: &str| {
            ctx.secrets
                .get(var)
                .ok_or_else(|| ProbeError::Credentials(var.to_string()))
        };
        let login = Login {
            username: get(&credentials.username_env)?,
            password: get(&credentials.password_env)?,
        };
        session.redactor.add_secret(&login.password);
        session.redactor.add_secret(&login.header());
        session
            .redactor
            .add_secret(&login.header()["Basic ".len()..]);
        Ok(login)
    }

    /// The `Authorization` header value.
    pub fn header(&self) -> String {
        format!(
            "Basic {}",
            STANDARD.encode(format!("{}:{}", self.username, self.password))
        )
    }
}

/// A request carrying `login`'s credentials when `url` is on `origin`.
pub fn request(
    method: reqwest::Method,
    url: Url,
    login: Option<&Login>,
    origin: &Origin,
) -> Request {
    let mut request = Request::get(url);
    request.method = method;
    if let Some(login) = login.filter(|_| request.url.origin() == *origin) {
        request
            .headers
            .push(("Authorization".into(), login.header()));
    }
    request
}

/// GETs `url` (with `login` on its origin) and follows redirects; returns the final response.
pub async fn get(
    session: &mut Session<'_>,
    url: &Url,
    login: Option<&Login>,
) -> Result<Response, TransportError> {
    let origin = url.origin();
    let mut seen = vec![url.clone()];
    let mut response = session
        .send_read(request(reqwest::Method::GET, url.clone(), login, &origin))
        .await?;
    while let Some(next) = session.next_hop(&response, &mut seen)? {
        response = session
            .send_read(request(reqwest::Method::GET, next, login, &origin))
            .await?;
    }
    Ok(response)
}

/// A fail when redirects ended on plain HTTP: the document then travels in clear.
pub fn downgraded(response: &Response) -> Option<Finding> {
    (response.url.scheme() != "https").then(|| {
        Finding::fail(
            Text::new(
                format!(
                    "Les redirections aboutissent en HTTP, en clair : {}",
                    response.url
                ),
                format!("Redirects end on plain HTTP: {}", response.url),
            ),
            Text::same("https://"),
            Text::same(response.url.to_string()),
        )
    })
}

/// The media type of a response, lower-cased, without parameters (`text/calendar`).
pub fn media_type(response: &Response) -> String {
    response
        .header("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// The start of a body, on one line, for messages about what came back instead.
pub fn glimpse(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.chars().take(80).collect()
}

/// How messages name a published document: `("L'agenda", "The calendar")`.
pub type Name = (&'static str, &'static str);

/// A fail when `url` is not HTTPS: a published document must not travel in clear.
pub fn not_https(url: &Url, (fr, en): Name) -> Option<Finding> {
    (url.scheme() != "https").then(|| {
        Finding::fail(
            Text::new(
                format!("{fr} n'est pas publié en HTTPS : {url}"),
                format!("{en} is not published over HTTPS: {url}"),
            ),
            Text::same("https://"),
            Text::same(url.to_string()),
        )
    })
}

/// Sorts the final status. Refused credentials, an overloaded or failing server (429, 5xx:
/// `ProbeError::from_status`) say nothing about the document, so they are an error (with `hint`
/// on what to do, when there is one); any other status but 200 is a fail.
pub fn judge_status(
    response: &Response,
    (fr, en): Name,
    hint: Option<Text>,
) -> Result<Option<Finding>, ProbeError> {
    if let Some(error) = ProbeError::from_status(response) {
        return Err(error);
    }
    let status = response.status.as_u16();
    if status == 401 || status == 403 {
        let (hint_fr, hint_en) = hint.map_or_else(Default::default, |h| {
            (format!(" ({})", h.fr), format!(" ({})", h.en))
        });
        return Err(ProbeError::Unexpected(Text::new(
            format!("{fr} répond HTTP {status}{hint_fr}"),
            format!("{en} answers HTTP {status}{hint_en}"),
        )));
    }
    Ok((status != 200).then(|| {
        Finding::fail(
            Text::new(
                format!("{fr} répond HTTP {status}"),
                format!("{en} answers HTTP {status}"),
            ),
            Text::same("HTTP 200"),
            Text::same(format!("HTTP {status}")),
        )
    }))
}
