//! The CAS login page must be a form served over HTTPS that also posts over HTTPS: anything else
//! sends the password in clear.

use super::cas;
use super::login_origin::LoginOrigin;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let target = cas::target(ctx)?;
    let login_origin = LoginOrigin::new(ctx, &target.base_url);
    let page = cas::login_page(session, target, |e| login_origin.redirected(e)).await?;
    let Some(form) = cas::find_login_form(&page.body, &page.url) else {
        return Err(ProbeError::Unexpected(Text::new(
            "Pas de formulaire avec un champ mot de passe sur la page de connexion (authentification déléguée ?)",
            "No form with a password field on the login page (delegated authentication?)",
        )));
    };
    // The form must post to the CAS itself: a page posting elsewhere hands the password over.
    // Checked first: another origin is the graver finding, whatever its scheme.
    login_origin.same_origin(&form.page, &form.action)?;
    let insecure: Vec<String> = [("page", &form.page), ("action", &form.action)]
        .iter()
        .filter(|(_, url)| url.scheme() != "https")
        .map(|(what, url)| format!("{what} {url}"))
        .collect();
    if insecure.is_empty() {
        Ok(Finding::Pass(Text::new(
            format!("Formulaire de connexion en HTTPS, envoyé à {}", form.action),
            format!("Login form over HTTPS, posting to {}", form.action),
        )))
    } else {
        Ok(Finding::fail(
            Text::new(
                format!(
                    "Le mot de passe circulerait en clair : {}",
                    insecure.join(", ")
                ),
                format!(
                    "The password would travel in clear: {}",
                    insecure.join(", ")
                ),
            ),
            Text::new(
                "page et action du formulaire en https://",
                "page and form action over https://",
            ),
            Text::same(insecure.join(", ")),
        ))
    }
}
