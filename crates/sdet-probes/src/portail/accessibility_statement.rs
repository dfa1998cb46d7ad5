//! The accessibility statement (loi 2005-102 article 47, RGAA) must be one click from the home
//! page and declare one of the three RGAA states — totalement, partiellement or non conforme. When
//! it gives a compliance rate, the rate must fit the state (partial means 50 % to under 100 %),
//! and when the home page's link announces a state (« Accessibilité : partiellement conforme »),
//! it must be the statement's.

use super::legal_kinds::LegalPage;
use super::legal_page::{self, Found};
use super::wording::{Conformity, conformity, rate};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    legal_page::check(LegalPage::Accessibility, ctx, session, judge).await
}

/// Judges the RGAA state a complete statement declares, against its rate and the home page's link.
fn judge(found: &Found) -> Finding {
    let Some(state) = conformity(&found.page.text) else {
        return Finding::fail(
            Text::new(
                format!(
                    "La déclaration d'accessibilité ({}) n'indique pas d'état de conformité RGAA",
                    found.url
                ),
                format!(
                    "The accessibility statement ({}) declares no RGAA conformity state",
                    found.url
                ),
            ),
            Text::new(
                "totalement, partiellement ou non conforme",
                "totalement, partiellement or non conforme",
            ),
            Text::new("aucun état", "no state"),
        );
    };
    if let Some(announced) = conformity(&found.link.label).filter(|a| *a != state) {
        return Finding::fail(
            Text::new(
                format!(
                    "La page d'accueil annonce « {} » mais la déclaration dit « {} »",
                    announced.french(),
                    state.french()
                ),
                format!(
                    "The home page announces « {} » but the statement says « {} »",
                    announced.french(),
                    state.french()
                ),
            ),
            Text::same(format!("« {} »", state.french())),
            Text::same(format!("« {} »", announced.french())),
        );
    }
    let rate = rate(&found.page.text);
    if let Some(r) = rate.filter(|r| !state.admits(*r)) {
        return Finding::fail(
            Text::new(
                format!(
                    "État « {} » incompatible avec le taux de conformité annoncé ({r} %)",
                    state.french()
                ),
                format!(
                    "State « {} » does not fit the announced compliance rate ({r} %)",
                    state.french()
                ),
            ),
            match state {
                Conformity::Total => Text::same("100 %"),
                Conformity::Partial => Text::new("de 50 % à moins de 100 %", "50 % to under 100 %"),
                Conformity::None => Text::new("moins de 50 %", "under 50 %"),
            },
            Text::same(format!("{r} %")),
        );
    }
    let rate_text = rate.map_or_else(String::new, |r| format!(", {r} %"));
    Finding::Pass(Text::new(
        format!(
            "Déclaration d'accessibilité liée depuis l'accueil ({}) : {}{rate_text}",
            found.url,
            state.french()
        ),
        format!(
            "Accessibility statement linked from the home page ({}): {}{rate_text}",
            found.url,
            state.french()
        ),
    ))
}
