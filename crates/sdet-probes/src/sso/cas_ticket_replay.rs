//! Service tickets are single use (protocol §3.1.1): once validated, the same ticket must be
//! refused, or a ticket caught in a log or a referrer opens the session again.

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let ticket = cas::login(ctx, session).await?;
    let first = cas::validate(ctx, &mut session.back_channel(), "serviceValidate", &ticket).await?;
    if !matches!(first, ValidationResponse::Success { .. }) {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "La première validation a échoué ({}) : rejeu impossible à tester",
                describe(&first).fr
            ),
            format!(
                "The first validation failed ({}): replay cannot be tested",
                describe(&first).en
            ),
        )));
    }
    match cas::validate(ctx, &mut session.back_channel(), "serviceValidate", &ticket).await? {
        ValidationResponse::Failure { code, .. } => Ok(Finding::Pass(Text::new(
            format!("Ticket rejoué refusé ({code})"),
            format!("Replayed ticket refused ({code})"),
        ))),
        ValidationResponse::Success { .. } => Ok(Finding::fail(
            Text::new(
                "Un ticket déjà validé est accepté une seconde fois",
                "An already validated ticket is accepted again",
            ),
            Text::same("authenticationFailure code=INVALID_TICKET"),
            Text::same("authenticationSuccess"),
        )),
        other @ ValidationResponse::HttpStatus(_) => Ok(Finding::fail(
            Text::new(
                "Réponse inattendue au rejeu d'un ticket",
                "Unexpected answer to a replayed ticket",
            ),
            Text::same("authenticationFailure code=INVALID_TICKET"),
            describe(&other),
        )),
    }
}
