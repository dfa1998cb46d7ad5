//! The CAS login page must not load inside a frame of another site: a page that frames it under a
//! decoy (clickjacking) collects clicks, and sometimes keystrokes, meant for the real form. The
//! defence is a response header: CSP `frame-ancestors` (which wins where present) or
//! `X-Frame-Options: DENY | SAMEORIGIN`. A `<meta>` CSP cannot carry `frame-ancestors`, so only
//! headers count.

use super::cas;
use crate::http::Response;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let page = cas::login_page(session, cas::target(ctx)?, ProbeError::from).await?;
    Ok(judge(&page))
}

/// How a response protects itself from framing.
#[derive(Debug, PartialEq, Eq)]
enum Protection {
    /// Only its own origin (or nobody) may frame it.
    SameOriginOnly(String),
    /// Named origins may frame it.
    Listed(String),
    /// Any site may frame it.
    None(Text),
}

impl Protection {
    fn strength(&self) -> u8 {
        match self {
            Protection::SameOriginOnly(_) => 2,
            Protection::Listed(_) => 1,
            Protection::None(_) => 0,
        }
    }
}

fn judge(page: &Response) -> Finding {
    match protection(page) {
        Protection::SameOriginOnly(how) => Finding::Pass(Text::new(
            format!("La page de connexion ne peut pas être encadrée par un autre site ({how})"),
            format!("The login page cannot be framed by another site ({how})"),
        )),
        Protection::Listed(how) => Finding::Pass(Text::new(
            format!(
                "La page de connexion ne peut être encadrée que par les origines déclarées ({how})"
            ),
            format!("The login page can be framed only by the origins it lists ({how})"),
        )),
        Protection::None(seen) => Finding::fail(
            Text::new(
                format!(
                    "La page de connexion CAS peut être encadrée par n'importe quel site ({})",
                    seen.fr
                ),
                format!("The CAS login page can be framed by any site ({})", seen.en),
            ),
            Text::new(
                "Content-Security-Policy frame-ancestors « 'none' » ou « 'self' », ou X-Frame-Options DENY ou SAMEORIGIN",
                "Content-Security-Policy frame-ancestors 'none'|'self' or X-Frame-Options DENY|SAMEORIGIN",
            ),
            seen,
        ),
    }
}

fn protection(page: &Response) -> Protection {
    let directives: Vec<String> = page
        .header_values("content-security-policy")
        .iter()
        .flat_map(|policy| policy.split(';'))
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| d.starts_with("frame-ancestors"))
        .collect();
    // Browsers obey frame-ancestors and ignore X-Frame-Options when both are sent; every
    // policy is enforced, so the most restrictive directive decides.
    if !directives.is_empty() {
        let mut best: Option<Protection> = None;
        for directive in directives {
            let sources: Vec<&str> = directive.split_whitespace().skip(1).collect();
            let rank = if sources.is_empty()
                || sources.iter().all(|s| matches!(*s, "'none'" | "'self'"))
            {
                Protection::SameOriginOnly(format!("CSP {directive}"))
            } else if sources.iter().any(|s| is_wildcard(s)) {
                Protection::None(Text::same(format!("CSP {directive}")))
            } else {
                Protection::Listed(format!("CSP {directive}"))
            };
            best = Some(match best {
                Some(b) if b.strength() >= rank.strength() => b,
                _ => rank,
            });
        }
        if let Some(p) = best {
            return p;
        }
    }
    let xfo = page.header("x-frame-options").unwrap_or_default();
    match xfo.trim().to_ascii_uppercase().as_str() {
        "DENY" | "SAMEORIGIN" => {
            Protection::SameOriginOnly(format!("X-Frame-Options: {}", xfo.trim()))
        }
        "" => Protection::None(Text::new(
            "ni X-Frame-Options, ni CSP frame-ancestors",
            "no X-Frame-Options, no CSP frame-ancestors",
        )),
        // ALLOW-FROM is obsolete: today's browsers ignore it, so it protects nothing.
        other => Protection::None(Text::new(
            format!("X-Frame-Options: {other} (ni DENY ni SAMEORIGIN)"),
            format!("X-Frame-Options: {other} (not DENY or SAMEORIGIN)"),
        )),
    }
}

/// A source that matches any site: `*`, a bare scheme (`https:`), or `*` alone as a host.
fn is_wildcard(source: &str) -> bool {
    source == "*" || (source.ends_with(':') && !source.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

    fn page(headers: &[(&str, &str)]) -> Response {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        Response {
            url: url::Url::parse("https://cas.ent.fr/cas/login").unwrap(),
            status: reqwest::StatusCode::OK,
            headers: map,
            body: String::new(),
            duration: std::time::Duration::ZERO,
        }
    }

    fn passes(headers: &[(&str, &str)]) -> bool {
        matches!(judge(&page(headers)), Finding::Pass(_))
    }

    #[test]
    fn judges_framing_headers() {
        assert!(passes(&[("x-frame-options", "DENY")]));
        assert!(passes(&[("x-frame-options", "sameorigin")]));
        assert!(passes(&[(
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'"
        )]));
        assert!(passes(&[(
            "content-security-policy",
            "frame-ancestors https://ent.fr"
        )]));
        assert!(!passes(&[]));
        assert!(!passes(&[(
            "x-frame-options",
            "ALLOW-FROM https://evil.example"
        )]));
        assert!(!passes(&[(
            "content-security-policy",
            "default-src 'self'"
        )]));
        // frame-ancestors wins over X-Frame-Options, in both directions.
        assert!(!passes(&[
            ("x-frame-options", "DENY"),
            ("content-security-policy", "frame-ancestors *")
        ]));
        assert!(!passes(&[(
            "content-security-policy",
            "frame-ancestors https:"
        )]));
        assert!(passes(&[
            ("content-security-policy", "frame-ancestors *"),
            ("content-security-policy", "frame-ancestors 'self'")
        ]));
    }
}
