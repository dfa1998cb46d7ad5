//! HSTS (RFC 6797) tells browsers to use HTTPS only, closing the first-request downgrade window.
//! The max-age must be long enough to matter.

use super::portal;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use sdet_core::catalog::params::hsts::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let url = portal(ctx)?;
    if url.scheme() != "https" {
        return Ok(Finding::fail(
            Text::new(
                "Le portail n'est pas servi en HTTPS",
                "The portal is not served over HTTPS",
            ),
            Text::same("https://"),
            Text::same(url.to_string()),
        ));
    }
    let response = session.read_following(url).await?;
    if let Some(error) = ProbeError::from_status(&response) {
        return Err(error);
    }
    let Some(header) = response.header("strict-transport-security") else {
        return Ok(Finding::fail(
            Text::new(
                "Aucun en-tête Strict-Transport-Security",
                "No Strict-Transport-Security header",
            ),
            Text::same(format!("max-age >= {}", params.min_max_age)),
            Text::same("absent"),
        ));
    };
    match max_age(&header) {
        Some(age) if age >= params.min_max_age => Ok(Finding::Pass(Text::new(
            format!("HSTS présent : {header}"),
            format!("HSTS present: {header}"),
        ))),
        Some(age) => Ok(Finding::fail(
            Text::new(
                format!("HSTS trop court : max-age={age}"),
                format!("HSTS too short: max-age={age}"),
            ),
            Text::same(format!("max-age >= {}", params.min_max_age)),
            Text::same(header),
        )),
        None => Ok(Finding::fail(
            Text::new(
                "En-tête HSTS sans max-age valide",
                "HSTS header without a valid max-age",
            ),
            Text::new("max-age=<secondes>", "max-age=<seconds>"),
            Text::same(header),
        )),
    }
}

/// The max-age directive's value (RFC 6797 §6.1: case-insensitive, value possibly quoted).
fn max_age(header: &str) -> Option<u64> {
    header.split(';').find_map(|directive| {
        let (name, value) = directive.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| value.trim().trim_matches('"').parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::max_age;

    #[test]
    fn parses_max_age() {
        assert_eq!(
            max_age("max-age=31536000; includeSubDomains"),
            Some(31_536_000)
        );
        assert_eq!(max_age("includeSubDomains; Max-Age=\"60\""), Some(60));
        assert_eq!(max_age("includeSubDomains"), None);
        assert_eq!(max_age("max-age=abc"), None);
    }
}
