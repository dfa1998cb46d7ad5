//! CAS 3.0's `p3/serviceValidate` releases the user's attributes: the SDET's identity vector
//! reaches services this way. This check asks for at least one attribute beyond the protocol's
//! own; which attributes the grid requires is the `cas.identity_vector` probe's business.

use super::cas::PROTOCOL_ATTRIBUTES;
use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let ticket = cas::login(ctx, session).await?;
    match cas::validate(
        ctx,
        &mut session.back_channel(),
        "p3/serviceValidate",
        &ticket,
    )
    .await?
    {
        ValidationResponse::Success { attributes, .. } => {
            let mut names: Vec<&str> = attributes
                .iter()
                .map(|(k, _)| k.as_str())
                .filter(|k| !PROTOCOL_ATTRIBUTES.contains(k))
                .collect();
            names.sort_unstable();
            names.dedup();
            if names.is_empty() {
                Ok(Finding::fail(
                    Text::new(
                        "p3/serviceValidate ne transmet aucun attribut utilisateur",
                        "p3/serviceValidate releases no user attribute",
                    ),
                    Text::new(
                        "au moins un attribut de l'utilisateur",
                        "at least one user attribute",
                    ),
                    Text::new("aucun", "none"),
                ))
            } else {
                let list = names.join(", ");
                Ok(Finding::Pass(Text::new(
                    format!("Attributs transmis : {list}"),
                    format!("Attributes released: {list}"),
                )))
            }
        }
        other => Ok(Finding::fail(
            Text::new(
                "p3/serviceValidate ne valide pas un ticket valide",
                "p3/serviceValidate does not validate a valid ticket",
            ),
            Text::new(
                "authenticationSuccess avec des attributs",
                "authenticationSuccess with attributes",
            ),
            describe(&other),
        )),
    }
}
