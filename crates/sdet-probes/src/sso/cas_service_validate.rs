//! A fresh ticket must validate on `serviceValidate` (CAS 2.0) for the user who logged in: the
//! core promise of single sign-on to every connected service.

use super::cas::{self, ValidationResponse};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let (user, _) = cas::credentials(ctx, session)?;
    let ticket = cas::login(ctx, session).await?;
    match cas::validate(ctx, &mut session.back_channel(), "serviceValidate", &ticket).await? {
        ValidationResponse::Success { user: got, .. } if got.eq_ignore_ascii_case(&user) => {
            Ok(Finding::Pass(Text::new(
                format!("Ticket validé pour l'utilisateur attendu ({got})"),
                format!("Ticket validated for the expected user ({got})"),
            )))
        }
        ValidationResponse::Success { user: got, .. } => Ok(Finding::fail(
            Text::new(
                "Le ticket est validé pour un autre utilisateur",
                "The ticket validates for another user",
            ),
            Text::same(user),
            Text::same(got),
        )),
        other => Ok(Finding::fail(
            Text::new(
                "Un ticket valide est refusé par serviceValidate",
                "A valid ticket is refused by serviceValidate",
            ),
            Text::same("authenticationSuccess"),
            describe(&other),
        )),
    }
}

/// A one-line description of a validation answer, for evidence.
pub fn describe(response: &ValidationResponse) -> Text {
    match response {
        ValidationResponse::Success { user, attributes } => Text::new(
            format!(
                "authenticationSuccess user={user} ({} attributs)",
                attributes.len()
            ),
            format!(
                "authenticationSuccess user={user} ({} attributes)",
                attributes.len()
            ),
        ),
        ValidationResponse::Failure { code, .. } => {
            Text::same(format!("authenticationFailure code={code}"))
        }
        ValidationResponse::HttpStatus(s) => Text::same(format!("HTTP {s}")),
    }
}
