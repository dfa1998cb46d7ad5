//! Checks of the public portal: transport security and the headers and cookies a browser relies
//! on (home page, CAS login page), and the pages French law requires one click from the home page
//! (legal notice, accessibility statement, personal-data notice), the page language and the login
//! entry point, read by scraping like a visitor would.

pub mod accessibility_statement;
pub mod cookie_flags;
pub mod hsts;
pub mod html_lang;
pub mod https_redirect;
pub mod legal_kinds;
pub mod legal_notice;
pub mod legal_page;
pub mod login_entry;
pub mod page;
pub mod personal_data_notice;
pub mod security_headers;
pub mod wording;

use url::Url;

use super::{Context, ProbeError};
use sdet_core::text::Text;

/// The portal URL, which the plan guarantees is set when a portal check runs.
fn portal(ctx: &Context<'_>) -> Result<Url, ProbeError> {
    ctx.target.portal.clone().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun portail dans la cible",
            "No portal in the target",
        ))
    })
}
