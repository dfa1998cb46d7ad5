//! The legal notice (*mentions légales*, LCEN article 6 III) must be one click from the home page
//! and name who is responsible for publication and who hosts the portal.

use super::legal_kinds::LegalPage;
use super::legal_page::{self, incomplete, missing};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let kind = LegalPage::LegalNotice;
    let found = match legal_page::open(kind, ctx, session).await? {
        Ok(found) => found,
        Err(fail) => return Ok(fail),
    };
    let lacking = missing(kind, &found.page);
    if !lacking.is_empty() {
        return Ok(incomplete(kind, &found, &lacking));
    }
    Ok(Finding::Pass(Text::new(
        format!(
            "Mentions légales liées depuis l'accueil (« {} », {}), avec directeur de la publication et hébergeur",
            found.link.raw_label, found.url
        ),
        format!(
            "Legal notice linked from the home page (« {} », {}), naming the publication director and the host",
            found.link.raw_label, found.url
        ),
    )))
}
