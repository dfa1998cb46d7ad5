//! Checks of the public portal: transport security and the headers and cookies a browser relies
//! on. They only read the home page (and the CAS login page for cookies).

pub mod cookie_flags;
pub mod hsts;
pub mod https_redirect;
pub mod security_headers;

use url::Url;

use super::{Context, ProbeError};
use crate::text::Text;

/// The portal URL, which the plan guarantees is set when a portal check runs.
fn portal(ctx: &Context<'_>) -> Result<Url, ProbeError> {
    ctx.target.portal.clone().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun portail dans la cible",
            "No portal in the target",
        ))
    })
}
