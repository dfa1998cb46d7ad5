//! `/logout?service=` may send the browser back to a service (CAS 3.0 §2.3.1), but only to a
//! registered one: a CAS that follows any URL is an open redirect on the ENT's most trusted
//! domain, the perfect lure for a phishing link ("log out here"). The check asks for a logout
//! towards a reserved, unregistrable domain (`.invalid`, RFC 2606) with `service` (CAS 3.0) and
//! `url` (CAS 2.0, which 3.0 servers must ignore) and never follows the answer.

use url::Url;

use super::cas;
use crate::session::Session;
use crate::{Context, Finding, ProbeError, unavailable};
use sdet_core::text::Text;

/// Where no real service can be: `.invalid` never resolves.
const FOREIGN: &str = "https://sdet-audit-redirect.invalid/";

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let target = cas::target(ctx)?;
    let mut open = Vec::new();
    for parameter in ["service", "url"] {
        let logout = cas::endpoint(target, "logout", &[(parameter, FOREIGN)], &[]);
        let response = session.get(logout).await?;
        // A pass needs the logout to have answered: an error page proves nothing about redirects.
        unavailable(&response, "/logout")?;
        if !(response.status.is_success() || response.status.is_redirection()) {
            return Err(ProbeError::Unexpected(Text::new(
                format!("/logout répond HTTP {}", response.status.as_u16()),
                format!("/logout answers HTTP {}", response.status.as_u16()),
            )));
        }
        if let Some(location) = response.location()
            && leaves_for_foreign(&location)
        {
            open.push(format!("{parameter}= → {location}"));
        }
    }
    if open.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!("/logout ne redirige pas vers un service non enregistré ({FOREIGN})"),
            format!("/logout does not redirect to an unregistered service ({FOREIGN})"),
        )));
    }
    Ok(Finding::fail(
        Text::new(
            format!(
                "Redirection ouverte : /logout renvoie vers un site non enregistré ({})",
                open.join(", ")
            ),
            format!(
                "Open redirect: /logout sends the browser to an unregistered site ({})",
                open.join(", ")
            ),
        ),
        Text::new(
            "aucune redirection vers un service non enregistré",
            "no redirect to an unregistered service",
        ),
        Text::same(open.join(", ")),
    ))
}

fn leaves_for_foreign(location: &Url) -> bool {
    location.host_str() == Url::parse(FOREIGN).ok().as_ref().and_then(Url::host_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_foreign_host_counts() {
        assert!(leaves_for_foreign(&Url::parse(FOREIGN).unwrap()));
        assert!(leaves_for_foreign(
            &Url::parse("http://sdet-audit-redirect.invalid/x").unwrap()
        ));
        assert!(!leaves_for_foreign(
            &Url::parse("https://ent.fr/cas/logout?service=https://sdet-audit-redirect.invalid/")
                .unwrap()
        ));
    }
}
