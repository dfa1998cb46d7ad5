//! The SDET identity vector (*vecteur d'identité*) is what a connected service learns about the
//! user from the CAS: national profile, attachment structure, classes… Services rely on its names
//! and values, so this check logs in with **every** test account of the target, validates the
//! ticket on `p3/serviceValidate` and judges the released attributes against the probe's
//! parameters: required names (for everyone and per profile), allowed values, and the national
//! profile code expected for the account's declared profile. Names are compared without regard
//! to case, as LDAP does and as some ENTs (entcore) spell them.

use super::cas::{self, ValidationResponse};
use super::cas_service_validate::describe;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use sdet_core::catalog::params::cas_identity_vector::Params;

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let accounts = cas::target(ctx)?.accounts.clone();
    let mut problems: Vec<Text> = Vec::new();
    let mut checked = Vec::new();
    for account in &accounts {
        // Each account in its own browser: an SSO session would hand out the previous user.
        session.clear_cookies();
        let credentials = cas::account_credentials(ctx, session, account)?;
        let username = credentials.0.clone();
        let ticket = cas::login_with(ctx, session, credentials).await?;
        let answer = cas::validate(
            ctx,
            &mut session.back_channel(),
            "p3/serviceValidate",
            &ticket,
        )
        .await?;
        let ValidationResponse::Success { attributes, user } = answer else {
            return Err(ProbeError::Unexpected(Text::new(
                format!(
                    "p3/serviceValidate refuse le ticket du compte {} ({}) : attributs non observables",
                    account.profile,
                    describe(&answer).fr
                ),
                format!(
                    "p3/serviceValidate refuses the ticket of account {} ({}): attributes not observable",
                    account.profile,
                    describe(&answer).en
                ),
            )));
        };
        // Attributes of somebody else (cas.service_validate reports that) say nothing of this
        // account's profile: only the rules every vector follows apply to them.
        let profile = if user.eq_ignore_ascii_case(&username) {
            Some(account.profile.as_str())
        } else {
            None
        };
        for problem in judge(params, profile, &attributes) {
            problems.push(Text::new(
                format!("{} : {}", account.profile, problem.fr),
                format!("{}: {}", account.profile, problem.en),
            ));
        }
        checked.push(account.profile.clone());
    }
    let checked = checked.join(", ");
    if problems.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!("Vecteur d'identité complet et conforme pour les comptes : {checked}"),
            format!("Identity vector complete and conforming for accounts: {checked}"),
        )));
    }
    let fr: Vec<&str> = problems.iter().map(|p| p.fr.as_str()).collect();
    let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
    Ok(Finding::fail(
        Text::new(
            format!("Vecteur d'identité non conforme — {}", fr.join(" ; ")),
            format!("Non-conforming identity vector — {}", en.join("; ")),
        ),
        expectation(params),
        Text::new(fr.join(" ; "), en.join("; ")),
    ))
}

/// What the parameters ask for, in a line.
fn expectation(params: &Params) -> Text {
    let mut fr = vec![format!("publiés : {}", params.required.join(", "))];
    let mut en = vec![format!("released: {}", params.required.join(", "))];
    for (attribute, allowed) in &params.values {
        fr.push(format!("{attribute} parmi {{{}}}", allowed.join(", ")));
        en.push(format!("{attribute} in {{{}}}", allowed.join(", ")));
    }
    Text::new(fr.join(" ; "), en.join("; "))
}

/// Everything wrong with the attributes one account released; `profile` is the account's declared
/// profile, `None` to apply only the rules that do not depend on it.
pub fn judge(params: &Params, profile: Option<&str>, attributes: &[(String, String)]) -> Vec<Text> {
    // Some servers (django-cas-server) release each attribute in two layouts: count values once.
    let values_of = |name: &str| -> Vec<&str> {
        let mut values: Vec<&str> = attributes
            .iter()
            .filter(|(k, v)| k.eq_ignore_ascii_case(name) && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let mut problems = Vec::new();
    let required = params.required.iter().chain(
        profile
            .and_then(|p| params.required_by_profile.get(p))
            .into_iter()
            .flatten(),
    );
    let missing: Vec<&str> = required
        .filter(|name| values_of(name).is_empty())
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        problems.push(Text::new(
            format!("attributs absents ou vides : {list}"),
            format!("attributes missing or empty: {list}"),
        ));
    }
    for (name, allowed) in &params.values {
        let bad: Vec<&str> = values_of(name)
            .into_iter()
            .filter(|v| !allowed.iter().any(|a| a.eq_ignore_ascii_case(v.trim())))
            .collect();
        if !bad.is_empty() {
            problems.push(Text::new(
                format!(
                    "{name} = {} hors des valeurs admises ({})",
                    bad.join(", "),
                    allowed.join(", ")
                ),
                format!(
                    "{name} = {} outside the allowed values ({})",
                    bad.join(", "),
                    allowed.join(", ")
                ),
            ));
        }
    }
    if let Some((profile, codes)) =
        profile.and_then(|p| params.profile_codes.get(p).map(|codes| (p, codes)))
    {
        let released = values_of(&params.profile_attribute);
        let code = codes.all().join(" | ");
        if !released.is_empty() && !released.iter().any(|v| codes.accepts(v)) {
            problems.push(Text::new(
                format!(
                    "{} = {} alors que le compte est déclaré {profile} ({code} attendu)",
                    params.profile_attribute,
                    released.join(", ")
                ),
                format!(
                    "{} = {} although the account is declared {profile} ({code} expected)",
                    params.profile_attribute,
                    released.join(", ")
                ),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sso::cas::parse_validation;

    fn params() -> Params {
        serde_json::from_value(serde_json::json!({
            "required": ["ENTPersonProfils", "ENTPersonStructRattach"],
            "required_by_profile": { "eleve": ["ENTEleveClasses"] },
            "values": { "ENTPersonProfils": [
                "National_1", "National_2", "National_3", "National_4",
                "National_ELV", "National_ENS", "National_DOC", "National_DIR",
                "National_EVS", "National_ETA", "National_COL"
            ] },
            "profile_codes": {
                "eleve": ["National_1", "National_ELV"],
                "enseignant": ["National_3", "National_ENS"]
            }
        }))
        .unwrap()
    }

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn a_complete_pupil_vector_passes() {
        let a = attrs(&[
            ("ENTPersonProfils", "National_1"),
            ("entpersonstructrattach", "4821"),
            ("ENTEleveClasses", "4821$4A"),
        ]);
        assert!(judge(&params(), Some("eleve"), &a).is_empty());
    }

    #[test]
    fn wrong_profile_code_and_missing_attributes_are_named() {
        let a = attrs(&[
            ("ENTPersonProfils", "National_1"),
            ("ENTPersonStructRattach", " "),
        ]);
        let problems = judge(&params(), Some("enseignant"), &a);
        let text: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
        assert_eq!(problems.len(), 2, "{text:?}");
        assert!(text[0].contains("ENTPersonStructRattach"));
        assert!(text[1].contains("National_3 | National_ENS expected"));
        assert_eq!(
            judge(&params(), None, &a).len(),
            1,
            "profile rules need a profile"
        );
    }

    #[test]
    fn the_annuaire_and_gar_nomenclature_values_are_national() {
        // The annuaire writes National_ELV, the GAR National_elv: both name a pupil.
        for code in ["National_ELV", "National_elv", "National_1"] {
            let a = attrs(&[
                ("ENTPersonProfils", code),
                ("ENTPersonStructRattach", "4821"),
                ("ENTEleveClasses", "4821$4A"),
            ]);
            assert!(judge(&params(), Some("eleve"), &a).is_empty(), "{code}");
        }
        // An ENT's internal profile name is not in the nomenclature.
        let a = attrs(&[
            ("ENTPersonProfils", "Student"),
            ("ENTPersonStructRattach", "4821"),
            ("ENTEleveClasses", "4821$4A"),
        ]);
        let problems = judge(&params(), Some("eleve"), &a);
        assert_eq!(problems.len(), 2, "value and profile code: {problems:?}");
        // A teacher's code on a pupil's account is still wrong.
        let a = attrs(&[
            ("ENTPersonProfils", "National_ENS"),
            ("ENTPersonStructRattach", "4821"),
            ("ENTEleveClasses", "4821$4A"),
        ]);
        assert_eq!(judge(&params(), Some("eleve"), &a).len(), 1);
    }

    #[test]
    fn the_real_django_cas_server_answer_is_judged_on_its_values() {
        // Recorded from the real peer: National_ELV is the annuaire's national pupil code.
        let body = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/cas/p3-success-attributes/response.xml"
        ))
        .unwrap();
        let ValidationResponse::Success { attributes, .. } = parse_validation(&body).unwrap()
        else {
            panic!("not a success")
        };
        let problems = judge(&params(), Some("eleve"), &attributes);
        let text: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
        assert!(
            text.iter().any(|t| t.contains("ENTPersonStructRattach")),
            "{text:?}"
        );
        assert!(
            !text.iter().any(|t| t.contains("National_ELV")),
            "National_ELV is a national value: {text:?}"
        );
    }
}
