//! A ticket the server never issued must be refused with `INVALID_TICKET` (protocol §2.5.3): a
//! CAS that accepts anything hands every service to anyone.

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let ticket = cas::invented_ticket();
    session.redactor.add_secret(&ticket);
    match cas::validate(ctx, &mut session.back_channel(), "serviceValidate", &ticket).await? {
        ValidationResponse::Failure { code, .. } if code == "INVALID_TICKET" => {
            Ok(Finding::Pass(Text::new(
                "Ticket inventé refusé avec INVALID_TICKET",
                "Invented ticket refused with INVALID_TICKET",
            )))
        }
        ValidationResponse::Success { .. } => Ok(Finding::fail(
            Text::new(
                "Un ticket inventé est accepté comme valide",
                "An invented ticket is accepted as valid",
            ),
            Text::same("authenticationFailure code=INVALID_TICKET"),
            Text::same("authenticationSuccess"),
        )),
        other => Ok(Finding::fail(
            Text::new(
                "Ticket inventé refusé, mais pas avec le code INVALID_TICKET",
                "Invented ticket refused, but not with code INVALID_TICKET",
            ),
            Text::same("authenticationFailure code=INVALID_TICKET"),
            describe(&other),
        )),
    }
}
