//! Federation with a SAML identity desk (EduConnect, the académie's staff desk) rests on trust in
//! the metadata: whoever can change it can swap the IdP's signing key and sign any assertion. So
//! this check passes only on what a federated service provider really relies on, all observed:
//! the metadata signed by the federation's key the target names (`saml.metadata_signing_cert`),
//! verified (see `saml::signature`); then a working web SSO round trip whose response verifies
//! with the signing key that trusted metadata publishes; and, when the probe lists them, the
//! identity-vector attributes carried by that verified assertion (`required_attributes`, e.g.
//! EduConnect's `FrEduCtRefId`). Without a federation certificate the plan leaves it not tested:
//! unverifiable metadata never passes a criterion that needs federation trust.

use super::saml::signature::{self, Signed, Verified};
use super::saml::{self, x509};
use super::saml_sso_round_trip::round_trip_on;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;
use sdet_core::xml::Element;

pub use sdet_core::catalog::params::saml_federation::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let target = saml::target(ctx)?;
    let path = target.metadata_signing_cert.as_ref().ok_or_else(|| {
        unexpected(
            "Aucun certificat de signature de fédération (saml.metadata_signing_cert)",
            "No federation signing certificate (saml.metadata_signing_cert)",
        )
    })?;
    let trusted = federation_certificates(path)?;
    let (text, root, source) = saml::load_text(ctx, &mut session.back_channel()).await?;
    let verified = match trusted_metadata(&text, &root, &source, &trusted).await? {
        Ok(verified) => verified,
        Err(finding) => return Ok(finding),
    };
    let trip = round_trip_on(ctx, session, &root, &source).await?;
    if let Finding::Fail { .. } = trip.finding {
        return Ok(trip.finding);
    }
    let missing: Vec<&str> = params
        .required_attributes
        .iter()
        .filter(|wanted| {
            !trip.attributes.iter().any(|(name, values)| {
                name.eq_ignore_ascii_case(wanted) && values.iter().any(|v| !v.trim().is_empty())
            })
        })
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let seen: Vec<&str> = trip.attributes.iter().map(|(n, _)| n.as_str()).collect();
        return Ok(Finding::fail(
            Text::new(
                format!(
                    "L'assertion vérifiée ne porte pas le vecteur d'identité : {} absent(s)",
                    missing.join(", ")
                ),
                format!(
                    "The verified assertion does not carry the identity vector: {} missing",
                    missing.join(", ")
                ),
            ),
            Text::same(params.required_attributes.join(", ")),
            if seen.is_empty() {
                Text::new("aucun attribut", "no attribute")
            } else {
                Text::same(seen.join(", "))
            },
        ));
    }
    let carried = if params.required_attributes.is_empty() {
        String::new()
    } else {
        format!("; {}", params.required_attributes.join(", "))
    };
    Ok(Finding::Pass(Text::new(
        format!(
            "Métadonnées signées par la fédération, signature vérifiée ({}) ; aller-retour SAML vérifié avec la clé qu'elles publient{carried}",
            verified.algorithms()
        ),
        format!(
            "Metadata signed by the federation, signature verified ({}); SAML round trip verified with the key it publishes{carried}",
            verified.algorithms()
        ),
    )))
}

/// The metadata's own signature, verified with the federation's certificates: the algorithms
/// when it holds, else the failing finding.
async fn trusted_metadata(
    text: &str,
    root: &Element,
    source: &str,
    trusted: &[String],
) -> Result<Result<Verified, Finding>, ProbeError> {
    let Some(kind) = [Signed::EntityDescriptor, Signed::EntitiesDescriptor]
        .into_iter()
        .find(|k| k.name() == root.name)
    else {
        return Err(unexpected(
            &format!("{source} : racine <{}> au lieu de métadonnées", root.name),
            &format!("{source}: root <{}> instead of metadata", root.name),
        ));
    };
    let verified = signature::verify(text, root, root, kind, trusted)
        .await
        .map_err(|e| unexpected(&format!("Signature non vérifiable : {e}"), &e.to_string()))?;
    let verified = match verified {
        Ok(v) if !v.weak() => v,
        Ok(v) => {
            return Ok(Err(Finding::fail(
                Text::new(
                    format!(
                        "Métadonnées signées en SHA-1, algorithme faible ({})",
                        v.algorithms()
                    ),
                    format!(
                        "Metadata signed with SHA-1, a weak algorithm ({})",
                        v.algorithms()
                    ),
                ),
                Text::new("SHA-256 ou plus fort", "SHA-256 or stronger"),
                Text::same(v.algorithms()),
            )));
        }
        Err(refusal) => {
            let why = refusal.describe(kind.name());
            return Ok(Err(Finding::fail(
                Text::new(
                    format!("Métadonnées non fiables ({source}) : {}", why.fr),
                    format!("Untrusted metadata ({source}): {}", why.en),
                ),
                Text::new(
                    "métadonnées signées avec le certificat de la fédération",
                    "metadata signed with the federation's certificate",
                ),
                why,
            )));
        }
    };
    Ok(Ok(verified))
}

/// The certificates of a PEM file, as base64 DER; each must parse as X.509.
fn federation_certificates(path: &std::path::Path) -> Result<Vec<String>, ProbeError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        unexpected(
            &format!(
                "Certificat de fédération illisible {} : {e}",
                path.display()
            ),
            &format!("Unreadable federation certificate {}: {e}", path.display()),
        )
    })?;
    let mut certificates = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        match (line, current.as_mut()) {
            ("-----BEGIN CERTIFICATE-----", _) => current = Some(String::new()),
            ("-----END CERTIFICATE-----", Some(body)) => {
                certificates.push(std::mem::take(body));
                current = None;
            }
            (line, Some(body)) => body.push_str(line),
            _ => {}
        }
    }
    for cert in &certificates {
        x509::read(cert).map_err(|e| {
            unexpected(
                &format!("Certificat de fédération invalide {} : {e}", path.display()),
                &format!("Invalid federation certificate {}: {e}", path.display()),
            )
        })?;
    }
    if certificates.is_empty() {
        return Err(unexpected(
            &format!("Aucun certificat PEM dans {}", path.display()),
            &format!("No PEM certificate in {}", path.display()),
        ));
    }
    Ok(certificates)
}

fn unexpected(fr: &str, en: &str) -> ProbeError {
    ProbeError::Unexpected(Text::new(fr, en))
}
