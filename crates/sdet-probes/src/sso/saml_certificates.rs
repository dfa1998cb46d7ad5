//! The certificates in SAML metadata are the federation's trust: partners verify the IdP's
//! signatures and encrypt for the SP with them. This check reads every `KeyDescriptor` of every
//! SSO role: an IdP must publish a signing certificate; every certificate must parse, be valid
//! now and carry a strong enough key (RSA ≥ 2048 bits by default, as RGS and ANSSI ask). One
//! expiring within `warn_days` still passes — the federation works today — but the message
//! says when it ends, so the report shows the renewal to plan.

use time::OffsetDateTime;

use super::saml::{self, x509};
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;
use sdet_core::xml::Element;

pub use sdet_core::catalog::params::saml_certificates::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let (root, source) = saml::load(ctx, &mut session.back_channel()).await?;
    let entities = saml::selected(&root, saml::target(ctx)?).map_err(|why| {
        ProbeError::Unexpected(Text::new(
            format!("{source} : {}", why.fr),
            format!("{source}: {}", why.en),
        ))
    })?;
    let mut verdict = Verdict::default();
    for entity in &entities {
        judge_entity(
            params,
            entity.element,
            OffsetDateTime::now_utc(),
            &mut verdict,
        );
    }
    Ok(verdict.finding(&source, params))
}

/// What was found across the entities.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Non-conformities.
    pub problems: Vec<Text>,
    /// Certificates expiring soon (still valid).
    pub warnings: Vec<Text>,
    /// One line per good certificate.
    pub seen: Vec<Text>,
}

impl Verdict {
    fn finding(self, source: &str, params: &Params) -> Finding {
        let warn_fr: Vec<&str> = self.warnings.iter().map(|w| w.fr.as_str()).collect();
        let warn_en: Vec<&str> = self.warnings.iter().map(|w| w.en.as_str()).collect();
        if self.problems.is_empty() {
            let (wfr, wen) = if warn_fr.is_empty() {
                (String::new(), String::new())
            } else {
                (
                    format!(" — ATTENTION : {}", warn_fr.join(" ; ")),
                    format!(" — WARNING: {}", warn_en.join("; ")),
                )
            };
            return Finding::Pass(Text::new(
                format!(
                    "Certificats SAML valides ({source}) : {}{wfr}",
                    Text::join(&self.seen, " ; ").fr
                ),
                format!(
                    "Valid SAML certificates ({source}): {}{wen}",
                    Text::join(&self.seen, "; ").en
                ),
            ));
        }
        let fr: Vec<&str> = self
            .problems
            .iter()
            .map(|p| p.fr.as_str())
            .chain(warn_fr)
            .collect();
        let en: Vec<&str> = self
            .problems
            .iter()
            .map(|p| p.en.as_str())
            .chain(warn_en)
            .collect();
        Finding::fail(
            Text::new(
                format!(
                    "Certificats SAML non conformes ({source}) — {}",
                    fr.join(" ; ")
                ),
                format!(
                    "Non-conforming SAML certificates ({source}) — {}",
                    en.join("; ")
                ),
            ),
            Text::new(
                format!(
                    "certificat de signature de l'IdP ; chaque certificat valide aujourd'hui, RSA d'au moins {} bits ou EC d'au moins {} bits",
                    params.min_rsa_bits, params.min_ec_bits
                ),
                format!(
                    "IdP signing certificate; every certificate valid now, RSA >= {} bits or EC >= {} bits",
                    params.min_rsa_bits, params.min_ec_bits
                ),
            ),
            Text::new(fr.join(" ; "), en.join("; ")),
        )
    }
}

/// Judges the certificates of one `EntityDescriptor` as of `now`.
pub fn judge_entity(params: &Params, entity: &Element, now: OffsetDateTime, verdict: &mut Verdict) {
    let id = entity.attribute("entityID").unwrap_or("?");
    for role in saml::roles(entity) {
        let kind = if role.name == "IDPSSODescriptor" {
            "IdP"
        } else {
            "SP"
        };
        let keys: Vec<(&str, &Element)> = role
            .children
            .iter()
            .filter(|c| c.name == "KeyDescriptor")
            .flat_map(|k| {
                certificates(k)
                    .into_iter()
                    .map(move |c| (k.attribute("use").unwrap_or("signing+encryption"), c))
            })
            .collect();
        if kind == "IdP" && !keys.iter().any(|(usage, _)| usage.contains("signing")) {
            verdict.problems.push(Text::new(
                format!("{id} : l'IdP ne publie aucun certificat de signature"),
                format!("{id}: the IdP publishes no signing certificate"),
            ));
        }
        if keys.is_empty() && kind == "SP" {
            verdict.problems.push(Text::new(
                format!("{id} : le SP ne publie aucun certificat"),
                format!("{id}: the SP publishes no certificate"),
            ));
        }
        for (usage, element) in keys {
            // `use` is the metadata's own word (`signing`, `encryption`): a French report names
            // the usage in French.
            let usage_fr = match usage {
                "signing" => "signature",
                "encryption" => "chiffrement",
                "signing+encryption" => "signature et chiffrement",
                other => other,
            };
            let at = Text::new(
                format!("{id} ({kind}, {usage_fr})"),
                format!("{id} {kind} {usage}"),
            );
            judge_certificate(params, &at, &element.text, now, verdict);
        }
    }
}

fn certificates(key_descriptor: &Element) -> Vec<&Element> {
    let mut found = Vec::new();
    let mut stack = vec![key_descriptor];
    while let Some(e) = stack.pop() {
        if e.name == "X509Certificate" {
            found.push(e);
        }
        stack.extend(e.children.iter());
    }
    found
}

fn judge_certificate(
    params: &Params,
    at: &Text,
    text: &str,
    now: OffsetDateTime,
    verdict: &mut Verdict,
) {
    let info = match x509::read(text) {
        Ok(info) => info,
        Err(why) => {
            verdict.problems.push(Text::new(
                format!("{} : certificat illisible ({why})", at.fr),
                format!("{}: unreadable certificate ({why})", at.en),
            ));
            return;
        }
    };
    let date = |ts: i64| {
        OffsetDateTime::from_unix_timestamp(ts)
            .map_or_else(|_| ts.to_string(), |d| d.date().to_string())
    };
    let now_ts = now.unix_timestamp();
    let days_left = (info.not_after - now_ts).div_euclid(86_400);
    let mut bad = false;
    if info.not_after <= now_ts {
        bad = true;
        verdict.problems.push(Text::new(
            format!(
                "{} : certificat expiré le {} ({})",
                at.fr,
                date(info.not_after),
                info.subject
            ),
            format!(
                "{}: certificate expired on {} ({})",
                at.en,
                date(info.not_after),
                info.subject
            ),
        ));
    } else if info.not_before > now_ts {
        bad = true;
        verdict.problems.push(Text::new(
            format!(
                "{} : certificat pas encore valide (à partir du {})",
                at.fr,
                date(info.not_before)
            ),
            format!(
                "{}: certificate not valid yet (from {})",
                at.en,
                date(info.not_before)
            ),
        ));
    } else if days_left < params.warn_days {
        verdict.warnings.push(Text::new(
            format!(
                "{} : le certificat expire dans {days_left} jours ({})",
                at.fr,
                date(info.not_after)
            ),
            format!(
                "{}: the certificate expires in {days_left} days ({})",
                at.en,
                date(info.not_after)
            ),
        ));
    }
    let weak = match info.key {
        x509::Key::Rsa(bits) => bits < params.min_rsa_bits,
        x509::Key::Ec(bits) => bits < params.min_ec_bits,
        x509::Key::Other(_) => true,
    };
    if weak {
        bad = true;
        verdict.problems.push(Text::new(
            format!("{} : clé trop faible ou non admise ({})", at.fr, info.key),
            format!("{}: key too weak or not accepted ({})", at.en, info.key),
        ));
    }
    if !bad {
        verdict.seen.push(Text::new(
            format!(
                "{} : {}, jusqu'au {}",
                at.fr,
                info.key,
                date(info.not_after)
            ),
            format!("{}: {}, until {}", at.en, info.key, date(info.not_after)),
        ));
    }
}
