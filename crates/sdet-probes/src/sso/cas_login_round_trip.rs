//! Logging in with a test account must come back to the service with a service ticket that
//! follows the protocol (§3.1: `ST-` prefix, `[A-Za-z0-9-]` only) and holds enough random data
//! not to be guessed (§3.1.1 "MUST contain adequate secure random data").

use super::cas;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use sdet_core::catalog::params::cas_login_round_trip::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let ticket = cas::login(ctx, session).await?;
    let shape = describe(&ticket);
    match problem(&ticket, params.min_random_chars) {
        None => Ok(Finding::Pass(Text::new(
            format!(
                "Connexion réussie, ticket de service conforme ({})",
                shape.fr
            ),
            format!("Login succeeded, well-formed service ticket ({})", shape.en),
        ))),
        Some(problem) => Ok(Finding::fail(
            Text::new(
                format!("Ticket de service non conforme : {}", problem.fr),
                format!("Malformed service ticket: {}", problem.en),
            ),
            Text::new(
                format!(
                    "ST- suivi d'au moins {} caractères de [A-Za-z0-9-]",
                    params.min_random_chars
                ),
                format!(
                    "ST- followed by >= {} characters of [A-Za-z0-9-]",
                    params.min_random_chars
                ),
            ),
            shape,
        )),
    }
}

/// The ticket's shape, safe to report: prefix and length, never its value.
fn describe(ticket: &str) -> Text {
    let start = ticket.get(..3).unwrap_or("");
    Text::new(
        format!("{start}… {} caractères", ticket.len()),
        format!("{start}… {} chars", ticket.len()),
    )
}

fn problem(ticket: &str, min_random: usize) -> Option<Text> {
    let Some(body) = ticket.strip_prefix("ST-") else {
        return Some(Text::new(
            "il ne commence pas par ST-",
            "it does not start with ST-",
        ));
    };
    if !body.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some(Text::new(
            "caractères hors de [A-Za-z0-9-]",
            "characters outside [A-Za-z0-9-]",
        ));
    }
    (body.len() < min_random).then(|| {
        Text::new(
            format!(
                "trop court pour être imprévisible ({} caractères après ST-)",
                body.len()
            ),
            format!(
                "too short to be unguessable ({} characters after ST-)",
                body.len()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn judges_ticket_shape() {
        assert!(problem("ST-1-abcdefghijklmnopqrstuvwxyz", 20).is_none());
        assert!(problem("ST-000042", 20).is_some());
        assert!(problem("TK-abcdefghijklmnopqrstuvwxyz", 20).is_some());
        assert!(problem("ST-abc_defghijklmnopqrstuvwxyz", 20).is_some());
    }
}
