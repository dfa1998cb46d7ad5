//! `/proxyValidate` (CAS protocol §2.6) is what proxied services (a portal aggregating others)
//! validate with: it "MUST perform the same validation tasks as /serviceValidate" and also accept
//! proxy tickets. So a fresh service ticket must validate there for the right user, and an
//! invented proxy ticket must be refused with `INVALID_TICKET`. Runs only where the target says
//! the server offers it (`cas.proxy_validate: true`).

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let (user, _) = cas::credentials(ctx, session)?;
    let ticket = cas::login(ctx, session).await?;
    let real = cas::validate(ctx, &mut session.back_channel(), "proxyValidate", &ticket).await?;
    match &real {
        ValidationResponse::Success { user: got, .. } if got.eq_ignore_ascii_case(&user) => {}
        other => {
            return Ok(Finding::fail(
                Text::new(
                    "proxyValidate ne valide pas un ticket de service valide pour son utilisateur",
                    "proxyValidate does not validate a valid service ticket for its user",
                ),
                Text::same(format!("authenticationSuccess user={user}")),
                describe(other),
            ));
        }
    }
    let invented = format!("PT-{}", &cas::invented_ticket()[3..]);
    session.redactor.add_secret(&invented);
    match cas::validate(ctx, &mut session.back_channel(), "proxyValidate", &invented).await? {
        ValidationResponse::Failure { code, .. } if code == "INVALID_TICKET" => {
            Ok(Finding::Pass(Text::new(
                "proxyValidate valide un ticket de service réel et refuse un ticket de proxy inventé (INVALID_TICKET)",
                "proxyValidate validates a real service ticket and refuses an invented proxy ticket (INVALID_TICKET)",
            )))
        }
        other => Ok(Finding::fail(
            Text::new(
                "proxyValidate ne refuse pas un ticket de proxy inventé avec INVALID_TICKET",
                "proxyValidate does not refuse an invented proxy ticket with INVALID_TICKET",
            ),
            Text::same("authenticationFailure code=INVALID_TICKET"),
            describe(&other),
        )),
    }
}
