//! The personal-data notice (RGPD articles 13 and 14) must be one click from the home page and
//! name the controller, the rights of the people concerned and whom to address (DPO or CNIL).

use super::legal_kinds::LegalPage;
use super::legal_page;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};

/// What a complete personal-data notice passes with: the law asks nothing more of it.
const PASSED: legal_page::Said = (
    "Notice sur les données personnelles liée depuis l'accueil ({link}) : responsable du traitement, droits, contact DPD/CNIL",
    "Personal-data notice linked from the home page ({link}): controller, rights, DPO/CNIL contact",
);

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    legal_page::check_complete(LegalPage::PersonalData, PASSED, ctx, session).await
}
