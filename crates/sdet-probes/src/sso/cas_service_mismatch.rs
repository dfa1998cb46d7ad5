//! A service ticket is bound to the service it was issued for (CAS protocol §2.5.3): presented by
//! another service it must be refused with `INVALID_SERVICE`, and the server "MUST invalidate the
//! ticket and disallow future validation of that same ticket". Otherwise a ticket handed to one
//! connected service opens the user's account on every other one.

use url::Url;

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// The path appended to the registered service to make "another service". Under the registered
/// URL on purpose: CAS servers register services by prefix or pattern, so this one is usually
/// allowed too, and only the ticket binding can refuse it.
const OTHER_SERVICE_PATH: &str = "sdet-audit-autre-service";

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let service = cas::target(ctx)?.service.clone();
    let other = other_service(&service);
    let ticket = cas::login(ctx, session).await?;
    let path = "serviceValidate";
    let first =
        cas::validate_for(ctx, &mut session.back_channel(), path, &ticket, &other, &[]).await?;
    match &first {
        ValidationResponse::Success { .. } => {
            return Ok(Finding::fail(
                Text::new(
                    format!(
                        "Un ticket émis pour {service} est accepté pour un autre service ({other})"
                    ),
                    format!(
                        "A ticket issued for {service} is accepted for another service ({other})"
                    ),
                ),
                Text::same("authenticationFailure code=INVALID_SERVICE"),
                describe(&first),
            ));
        }
        ValidationResponse::Failure { code, .. } if code == "INVALID_SERVICE" => {}
        other_answer => {
            return Ok(Finding::fail(
                Text::new(
                    "Ticket refusé pour un autre service, mais pas avec le code INVALID_SERVICE",
                    "Ticket refused for another service, but not with code INVALID_SERVICE",
                ),
                Text::same("authenticationFailure code=INVALID_SERVICE"),
                describe(other_answer),
            ));
        }
    }
    let second = cas::validate(ctx, &mut session.back_channel(), path, &ticket).await?;
    match second {
        ValidationResponse::Success { .. } => Ok(Finding::fail(
            Text::new(
                "Après INVALID_SERVICE, le ticket reste valable pour son propre service : il aurait dû être invalidé",
                "After INVALID_SERVICE the ticket still validates for its own service: it should have been invalidated",
            ),
            Text::new(
                "ticket invalidé après INVALID_SERVICE",
                "ticket invalidated after INVALID_SERVICE",
            ),
            describe(&second),
        )),
        ValidationResponse::HttpStatus(status) => Err(ProbeError::Unexpected(Text::new(
            format!("Revalidation du ticket : HTTP {status} au lieu d'une réponse CAS"),
            format!("Validating the ticket again: HTTP {status} instead of a CAS answer"),
        ))),
        ValidationResponse::Failure { .. } => Ok(Finding::Pass(Text::new(
            format!(
                "Ticket refusé pour un autre service (INVALID_SERVICE) puis invalidé ({})",
                describe(&second).fr
            ),
            format!(
                "Ticket refused for another service (INVALID_SERVICE), then invalidated ({})",
                describe(&second).en
            ),
        ))),
    }
}

/// A service URL other than `service`, on the same site.
fn other_service(service: &Url) -> Url {
    let mut other = service.clone();
    other.set_query(None);
    let base = if other.path().ends_with('/') {
        other.path().to_string()
    } else {
        format!("{}/", other.path())
    };
    other.set_path(&format!("{base}{OTHER_SERVICE_PATH}"));
    other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_service_differs_and_stays_on_the_site() {
        for s in [
            "https://ent.fr/",
            "https://ent.fr/app",
            "https://ent.fr/app/?x=1",
        ] {
            let service = Url::parse(s).unwrap();
            let other = other_service(&service);
            assert_ne!(other, service);
            assert_eq!(other.origin(), service.origin());
            assert!(other.path().ends_with(OTHER_SERVICE_PATH), "{other}");
        }
    }
}
