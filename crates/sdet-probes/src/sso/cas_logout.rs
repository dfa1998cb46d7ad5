//! `/logout` must end the single sign-on session (protocol §2.3): afterwards, `/login` asks for
//! credentials again instead of handing out a ticket silently — on a shared school computer the
//! next pupil would otherwise be the previous one. Two views are checked: the browser's (cookies
//! as the server left them) and the server's (the old session cookie replayed, as someone who
//! copied it would): expiring the cookie without destroying the session is not a logout.

use url::Url;

use super::cas;
use crate::session::Session;
use crate::{Context, Finding, ProbeError, unavailable};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let target = cas::target(ctx)?;
    cas::login(ctx, session).await?;
    let login = cas::login_url(target, &[]);
    if !issues_ticket(session, &login).await? {
        return Err(ProbeError::Unexpected(Text::new(
            "Après connexion, /login ne renvoie pas directement au service : session SSO non observable",
            "After login, /login does not send straight back to the service: SSO session not observable",
        )));
    }
    let saved = session.cookies();
    let logout = session
        .get_following(cas::endpoint(target, "logout", &[], &[]))
        .await?;
    unavailable(&logout, "/logout")?;
    if !logout.status.is_success() {
        return Ok(Finding::fail(
            Text::new(
                format!("/logout répond HTTP {}", logout.status.as_u16()),
                format!("/logout answers HTTP {}", logout.status.as_u16()),
            ),
            Text::same("HTTP 2xx"),
            Text::same(format!("HTTP {}", logout.status.as_u16())),
        ));
    }
    if issues_ticket(session, &login).await? {
        return Ok(Finding::fail(
            Text::new(
                "Après /logout, /login délivre encore un ticket sans redemander le mot de passe",
                "After /logout, /login still issues a ticket without asking for the password",
            ),
            Text::new(
                "formulaire de connexion après la déconnexion",
                "login form after logout",
            ),
            Text::new(
                "redirection vers le service avec un ticket",
                "redirect to the service with a ticket",
            ),
        ));
    }
    session.restore_cookies(saved);
    if issues_ticket(session, &login).await? {
        return Ok(Finding::fail(
            Text::new(
                "La session SSO survit à /logout : l'ancien cookie de session donne encore un ticket",
                "The SSO session survives /logout: the old session cookie still yields a ticket",
            ),
            Text::new(
                "session SSO détruite côté serveur",
                "SSO session destroyed on the server",
            ),
            Text::new(
                "l'ancien cookie de session est encore accepté",
                "old session cookie still accepted",
            ),
        ));
    }
    Ok(Finding::Pass(Text::new(
        "/logout termine la session SSO : /login redemande les identifiants, même avec l'ancien cookie",
        "/logout ends the SSO session: /login asks for credentials again, even with the old cookie",
    )))
}

/// Whether `/login` redirects straight to the service with a ticket (a live SSO session).
async fn issues_ticket(session: &mut Session<'_>, login: &Url) -> Result<bool, ProbeError> {
    let response = session.get(login.clone()).await?;
    unavailable(&response, "/login")?;
    Ok(response
        .location()
        .is_some_and(|next| next.query_pairs().any(|(k, _)| k == "ticket")))
}
