//! Session cookies must not leak: `Secure` keeps them off plain HTTP, `HttpOnly` out of scripts,
//! `SameSite` out of cross-site requests. Looks at the cookies of the portal home page and, when
//! the target has a CAS, of its login page. Anti-CSRF cookies are exempt from `HttpOnly`: the
//! double-submit pattern needs scripts to read them.

use super::portal;
use crate::session::Session;
use crate::sso::cas;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let mut pages = vec![portal(ctx)?];
    if let Some(target) = &ctx.target.cas {
        pages.push(cas::login_url(target, &[]));
    }
    let mut cookies = Vec::new();
    for page in pages {
        // Follow redirects by hand so cookies set on intermediate hops are judged too, within
        // the audit's reach (`next_hop`).
        let mut seen = vec![page.clone()];
        let mut response = session.read(page).await?;
        loop {
            if let Some(error) = ProbeError::from_status(&response) {
                return Err(error);
            }
            cookies.extend(response.header_values("set-cookie"));
            let Some(next) = session.next_hop(&response, &mut seen)? else {
                break;
            };
            response = session.read(next).await?;
        }
    }
    let problems: Vec<String> = cookies.iter().filter_map(|c| problem(c)).collect();
    if cookies.is_empty() {
        return Ok(Finding::Pass(Text::new(
            "Aucun cookie déposé sans authentification",
            "No cookie set before login",
        )));
    }
    if problems.is_empty() {
        Ok(Finding::Pass(Text::new(
            format!(
                "{} cookie(s), tous Secure, HttpOnly et SameSite",
                cookies.len()
            ),
            format!(
                "{} cookie(s), all Secure, HttpOnly and SameSite",
                cookies.len()
            ),
        )))
    } else {
        let list = problems.join("; ");
        Ok(Finding::fail(
            Text::new(
                format!("Cookies mal protégés : {list}"),
                format!("Poorly protected cookies: {list}"),
            ),
            Text::same("Secure; HttpOnly; SameSite"),
            Text::same(list),
        ))
    }
}

/// What is wrong with one `Set-Cookie` header, if anything.
fn problem(set_cookie: &str) -> Option<String> {
    let mut parts = set_cookie.split(';');
    let name = parts.next()?.split('=').next()?.trim().to_string();
    let attrs: Vec<String> = parts.map(|p| p.trim().to_ascii_lowercase()).collect();
    let has = |a: &str| {
        attrs
            .iter()
            .any(|x| x == a || x.starts_with(&format!("{a}=")))
    };
    let csrf =
        name.to_ascii_lowercase().contains("csrf") || name.to_ascii_lowercase().contains("xsrf");
    let mut missing = Vec::new();
    if !has("secure") {
        missing.push("Secure");
    }
    if !has("httponly") && !csrf {
        missing.push("HttpOnly");
    }
    if !has("samesite") {
        missing.push("SameSite");
    }
    (!missing.is_empty()).then(|| format!("{name} [-{}]", missing.join(" -")))
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn judges_cookie_flags() {
        assert_eq!(
            problem("TGC=x; Path=/cas; Secure; HttpOnly; SameSite=Lax"),
            None
        );
        assert_eq!(problem("csrftoken=x; Secure; SameSite=Lax"), None);
        assert_eq!(
            problem("sid=x; Path=/").as_deref(),
            Some("sid [-Secure -HttpOnly -SameSite]")
        );
    }
}
