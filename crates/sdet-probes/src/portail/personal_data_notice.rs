//! The personal-data notice (RGPD articles 13 and 14) must be one click from the home page and
//! name the controller, the rights of the people concerned and whom to address (DPO or CNIL).

use super::legal_kinds::LegalPage;
use super::legal_page::{self, incomplete, missing};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let kind = LegalPage::PersonalData;
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
            "Notice sur les données personnelles liée depuis l'accueil (« {} », {}) : responsable du traitement, droits, contact DPD/CNIL",
            found.link.raw_label, found.url
        ),
        format!(
            "Personal-data notice linked from the home page (« {} », {}): controller, rights, DPO/CNIL contact",
            found.link.raw_label, found.url
        ),
    )))
}
