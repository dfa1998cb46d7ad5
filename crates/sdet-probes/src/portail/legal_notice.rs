//! The legal notice (*mentions légales*, LCEN article 6 III) must be one click from the home page
//! and name who is responsible for publication and who hosts the portal.

use super::legal_kinds::LegalPage;
use super::legal_page;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};

/// What a complete legal notice passes with: the law asks nothing more of it.
const PASSED: legal_page::Said = (
    "Mentions légales liées depuis l'accueil ({link}), avec directeur de la publication et hébergeur",
    "Legal notice linked from the home page ({link}), naming the publication director and the host",
);

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    legal_page::check_complete(LegalPage::LegalNotice, PASSED, ctx, session).await
}
