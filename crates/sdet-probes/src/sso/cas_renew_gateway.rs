//! Two `/login` parameters services rely on (CAS protocol §2.1.1): `gateway=true` lets a service
//! ask "is this user already signed in?" without ever showing a form — with no SSO session the
//! browser goes straight back to the service, without a ticket; `renew=true` demands fresh
//! credentials even inside an SSO session (before a sensitive action), and a ticket validated
//! with `renew=true` must come from typed credentials (§2.5.1). A server that ignores `renew` lets
//! whoever sits at an unlocked school computer pass a re-authentication.

use url::Url;

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::http::{DEFAULT_MAX_REDIRECTS, Response};
use crate::session::Session;
use crate::{Context, Finding, ProbeError, unavailable};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let target = cas::target(ctx)?;
    if let Some(problem) = gateway_problem(ctx, session).await? {
        return Ok(problem);
    }
    cas::login(ctx, session).await?;
    let sso = session.get(cas::login_url(target, &[])).await?;
    let Some(sso_ticket) = ticket_in(&sso, &target.service) else {
        return Err(ProbeError::Unexpected(Text::new(
            "Après connexion, /login ne renvoie pas directement au service : session SSO non observable, renew non testable",
            "After login, /login does not send straight back to the service: SSO session not observable, renew untestable",
        )));
    };
    session.redactor.add_secret(&sso_ticket);
    let renewed = session
        .get(cas::login_url(target, &[("renew", "true")]))
        .await?;
    unavailable(&renewed, "/login?renew=true")?;
    if ticket_in(&renewed, &target.service).is_some() {
        return Ok(Finding::fail(
            Text::new(
                "renew=true délivre un ticket depuis la session SSO sans redemander les identifiants",
                "renew=true issues a ticket from the SSO session without asking for credentials",
            ),
            Text::new(
                "formulaire de connexion avec renew=true",
                "login form with renew=true",
            ),
            Text::new(
                "redirection vers le service avec un ticket",
                "redirect to the service with a ticket",
            ),
        ));
    }
    let shows_form =
        renewed.status.is_success() && cas::find_login_form(&renewed.body, &renewed.url).is_some();
    if !shows_form {
        return Err(ProbeError::Unexpected(Text::new(
            format!(
                "renew=true : ni ticket ni formulaire de connexion (HTTP {})",
                renewed.status.as_u16()
            ),
            format!(
                "renew=true: neither a ticket nor a login form (HTTP {})",
                renewed.status.as_u16()
            ),
        )));
    }
    let service = target.service.clone();
    let validation = cas::validate_for(
        ctx,
        &mut session.back_channel(),
        "serviceValidate",
        &sso_ticket,
        &service,
        &[("renew", "true")],
    )
    .await?;
    if let ValidationResponse::Success { .. } = validation {
        return Ok(Finding::fail(
            Text::new(
                "Un ticket issu de la session SSO est validé avec renew=true, comme s'il venait d'une saisie du mot de passe",
                "A ticket from the SSO session validates with renew=true, as if it came from typed credentials",
            ),
            Text::new(
                "authenticationFailure (ticket qui ne vient pas d'une nouvelle connexion)",
                "authenticationFailure (ticket not from a new login)",
            ),
            describe(&validation),
        ));
    }
    Ok(Finding::Pass(Text::new(
        format!(
            "gateway sans session revient au service sans formulaire ; renew redemande les identifiants et la validation avec renew refuse un ticket SSO ({})",
            describe(&validation).fr
        ),
        format!(
            "gateway without a session returns to the service without a form; renew asks for credentials again and validation with renew refuses an SSO ticket ({})",
            describe(&validation).en
        ),
    )))
}

/// Fresh browser, `gateway=true`: the answer must lead back to the service, without a ticket and
/// without a form. Redirects on the CAS's own site (a login flow's hops) are followed.
async fn gateway_problem(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Option<Finding>, ProbeError> {
    let target = cas::target(ctx)?;
    let mut response = session
        .get(cas::login_url(target, &[("gateway", "true")]))
        .await?;
    let mut seen = vec![response.url.clone()];
    for _ in 0..DEFAULT_MAX_REDIRECTS {
        let Some(next) = response.location() else {
            break;
        };
        if same_service(&next, &target.service) {
            return Ok(ticket_in(&response, &target.service).map(|_| {
                Finding::fail(
                    Text::new(
                        "gateway=true sans session SSO renvoie un ticket au service",
                        "gateway=true without an SSO session sends the service a ticket",
                    ),
                    Text::new(
                        "redirection vers le service sans ticket",
                        "redirect to the service without a ticket",
                    ),
                    Text::new("redirection avec un ticket", "redirect with a ticket"),
                )
            }));
        }
        if next.origin() != target.base_url.origin() {
            break;
        }
        let Some(next) = session.next_hop(&response, &mut seen)? else {
            break;
        };
        response = session.get(next).await?;
    }
    unavailable(&response, "/login?gateway=true")?;
    let form = response.status.is_success()
        && cas::find_login_form(&response.body, &response.url).is_some();
    let observed = if form {
        Text::new("formulaire de connexion", "login form")
    } else {
        let status = response.status.as_u16();
        Text::new(
            format!("HTTP {status} sur {}", response.url),
            format!("HTTP {status} at {}", response.url),
        )
    };
    Ok(Some(Finding::fail(
        Text::new(
            format!(
                "gateway=true sans session SSO ne revient pas au service ({})",
                observed.fr
            ),
            format!(
                "gateway=true without an SSO session does not return to the service ({})",
                observed.en
            ),
        ),
        Text::new(
            "redirection vers le service sans ticket ni formulaire",
            "redirect to the service without a ticket and without a form",
        ),
        observed,
    )))
}

fn same_service(location: &Url, service: &Url) -> bool {
    location.origin() == service.origin() && location.path() == service.path()
}

/// The ticket of a redirect to the service, if this response is one.
fn ticket_in(response: &Response, service: &Url) -> Option<String> {
    cas::ticket_for_service(&response.location()?, service)
}
