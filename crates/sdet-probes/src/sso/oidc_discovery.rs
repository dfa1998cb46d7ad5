//! The OpenID Connect discovery document tells every relying party where to send users and which
//! keys and algorithms to trust, so its mistakes become theirs. After OpenID Connect Discovery 1.0
//! §3 and §4.3: the required members are present; `issuer` is exactly the issuer the document was
//! discovered from (or tokens from one provider pass for another's); every endpoint is HTTPS; the
//! authorization code flow is offered; ID tokens can be signed with RS256 (a MUST). `none` in
//! `id_token_signing_alg_values_supported` is allowed by Discovery §3 for flows that return no ID
//! token from the authorization endpoint (the code flow): listed beside the code flow alone it is
//! a warning in the message (risky only for a relying party that would accept an unsigned ID
//! token), never a failure of the SSO criterion; listed while the provider also offers ID tokens
//! from the authorization endpoint (implicit or hybrid `response_types`), it fails, since §3
//! forbids `none` there and such a token is one anyone can forge.

use serde_json::{Map, Value};
use url::Url;

use super::oidc;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

/// Members Discovery §3 marks REQUIRED (token_endpoint: unless only the implicit flow is
/// offered, which the code-flow requirement below rules out).
const REQUIRED: [&str; 7] = [
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
];

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let issuer = oidc::target(ctx)?.issuer.clone();
    let (document, url) = oidc::discovery(ctx, &mut session.back_channel()).await?;
    let problems = judge(&document, &issuer);
    if problems.is_empty() {
        let algs = oidc::strings(&document, "id_token_signing_alg_values_supported")
            .unwrap_or_default()
            .join(", ");
        let (warn_fr, warn_en) = if lists_none(&document) {
            (
                " ; attention : « none » est annoncé, ce que la découverte OpenID Connect admet pour le flux code (aucun jeton d'identité ne sort du point d'autorisation) ; risqué seulement pour un client qui accepterait un jeton d'identité non signé (les clients doivent refuser alg=none)",
                "; warning: \"none\" is listed, which OpenID Connect Discovery allows for the code flow (no ID token comes from the authorization endpoint); risky only for a relying party that would accept an unsigned ID token (clients must reject alg=none)",
            )
        } else {
            ("", "")
        };
        return Ok(Finding::Pass(Text::new(
            format!(
                "Découverte OpenID Connect conforme ({url}) : issuer identique, points d'accès HTTPS, flux code, signatures {algs}{warn_fr}"
            ),
            format!(
                "Conforming OpenID Connect discovery ({url}): same issuer, HTTPS endpoints, code flow, signatures {algs}{warn_en}"
            ),
        )));
    }
    let fr: Vec<&str> = problems.iter().map(|p| p.fr.as_str()).collect();
    let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
    Ok(Finding::fail(
        Text::new(
            format!(
                "Découverte OpenID Connect non conforme ({url}) — {}",
                fr.join(" ; ")
            ),
            format!(
                "Non-conforming OpenID Connect discovery ({url}) — {}",
                en.join("; ")
            ),
        ),
        Text::new(
            format!(
                "issuer {issuer}, membres requis, points d'accès HTTPS, flux code, RS256, pas de « none » à côté de jetons d'identité émis par le point d'autorisation"
            ),
            format!(
                "issuer {issuer}, required members, HTTPS endpoints, code flow, RS256, no none beside ID tokens from the authorization endpoint"
            ),
        ),
        Text::new(fr.join(" ; "), en.join("; ")),
    ))
}

/// Whether `id_token_signing_alg_values_supported` lists `none`.
fn lists_none(document: &Map<String, Value>) -> bool {
    oidc::strings(document, "id_token_signing_alg_values_supported")
        .is_some_and(|algs| algs.iter().any(|a| a.eq_ignore_ascii_case("none")))
}

/// Whether `found` is the configured issuer. URL parsing turned an empty path into `/`, so a
/// configured `https://op.example` also matches a document saying `https://op.example`.
fn same_issuer(found: &str, configured: &Url) -> bool {
    found == configured.as_str()
        || (configured.path() == "/"
            && configured.query().is_none()
            && found == configured.as_str().trim_end_matches('/'))
}

/// Everything wrong with a discovery document for `issuer`.
pub fn judge(document: &Map<String, Value>, issuer: &Url) -> Vec<Text> {
    let mut problems = Vec::new();
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|k| document.get(*k).is_none_or(Value::is_null))
        .collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        problems.push(Text::new(
            format!("membres obligatoires absents : {list}"),
            format!("required members missing: {list}"),
        ));
    }
    if let Some(found) = document.get("issuer").and_then(Value::as_str)
        && !same_issuer(found, issuer)
    {
        problems.push(Text::new(
            format!("issuer annoncé « {found} » différent de l'issuer configuré « {issuer} »"),
            format!("announced issuer \"{found}\" differs from the configured issuer \"{issuer}\""),
        ));
    }
    let insecure: Vec<String> = document
        .iter()
        .filter(|(k, _)| k.ends_with("_endpoint") || k.ends_with("_uri") || *k == "issuer")
        .filter(|(k, _)| !k.ends_with("policy_uri") && !k.ends_with("tos_uri"))
        .filter_map(|(k, v)| Some((k, v.as_str()?)))
        .filter(|(_, v)| !v.starts_with("https://"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !insecure.is_empty() {
        let list = insecure.join(", ");
        problems.push(Text::new(
            format!("URL hors HTTPS : {list}"),
            format!("URLs not over HTTPS: {list}"),
        ));
    }
    match oidc::strings(document, "response_types_supported") {
        Some(types) if types.contains(&"code") => {}
        Some(types) => problems.push(Text::new(
            format!(
                "flux authorization code absent de response_types_supported ({})",
                types.join(", ")
            ),
            format!(
                "authorization code flow missing from response_types_supported ({})",
                types.join(", ")
            ),
        )),
        None => {}
    }
    if let Some(algs) = oidc::strings(document, "id_token_signing_alg_values_supported") {
        let front_tokens: Vec<&str> = oidc::strings(document, "response_types_supported")
            .unwrap_or_default()
            .into_iter()
            .filter(|t| t.split(' ').any(|part| part == "id_token"))
            .collect();
        if lists_none(document) && !front_tokens.is_empty() {
            let types = front_tokens.join(", ");
            problems.push(Text::new(
                format!("id_token_signing_alg_values_supported accepte « none » alors que response_types_supported délivre des jetons d'identité au point d'autorisation ({types}) : la découverte OpenID Connect (§3) l'interdit, ces jetons non signés sont falsifiables par n'importe qui"),
                format!("id_token_signing_alg_values_supported allows \"none\" while response_types_supported issues ID tokens from the authorization endpoint ({types}): OpenID Connect Discovery §3 forbids it there, and such unsigned tokens can be forged by anyone"),
            ));
        }
        if !algs.contains(&"RS256") {
            problems.push(Text::new(
                format!("RS256 absent de id_token_signing_alg_values_supported ({}), alors que la découverte l'exige", algs.join(", ")),
                format!("RS256 missing from id_token_signing_alg_values_supported ({}), which discovery requires", algs.join(", ")),
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(issuer: &str) -> Map<String, Value> {
        let Value::Object(map) = serde_json::json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth"),
            "token_endpoint": format!("{issuer}/token"),
            "jwks_uri": format!("{issuer}/jwks"),
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            "op_policy_uri": "http://legal.example/",
        }) else {
            unreachable!()
        };
        map
    }

    #[test]
    fn a_conforming_document_passes_whatever_the_trailing_slash() {
        let issuer = Url::parse("https://op.example").unwrap();
        assert!(judge(&doc("https://op.example"), &issuer).is_empty());
        let with_path = Url::parse("https://op.example/auth/openid").unwrap();
        assert!(judge(&doc("https://op.example/auth/openid"), &with_path).is_empty());
        assert_eq!(
            judge(&doc("https://op.example/auth/openid/"), &with_path).len(),
            1
        );
    }

    #[test]
    fn real_provider_documents_pass() {
        for (folder, issuer) in [
            ("satosa", "https://127.0.0.1:8582"),
            ("node-oidc-provider", "https://127.0.0.1:8583"),
        ] {
            let text = std::fs::read_to_string(format!(
                "{}/../../fixtures/oidc/{folder}/openid-configuration.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let Value::Object(document) = serde_json::from_str(&text).unwrap() else {
                panic!("{folder}: not an object")
            };
            let problems = judge(&document, &Url::parse(issuer).unwrap());
            assert!(problems.is_empty(), "{folder}: {problems:?}");
            let elsewhere = judge(&document, &Url::parse("https://127.0.0.1:9999").unwrap());
            assert_eq!(elsewhere.len(), 1, "{folder}: the issuer must be checked");
        }
    }

    #[test]
    fn names_each_fault() {
        let issuer = Url::parse("https://op.example").unwrap();
        let mut d = doc("http://other.example");
        d.remove("jwks_uri");
        d.insert(
            "id_token_signing_alg_values_supported".into(),
            serde_json::json!(["none", "HS256"]),
        );
        d.insert(
            "response_types_supported".into(),
            serde_json::json!(["id_token"]),
        );
        let text: Vec<String> = judge(&d, &issuer).into_iter().map(|t| t.en).collect();
        assert_eq!(text.len(), 6, "{text:?}");
        assert!(text[0].contains("jwks_uri"));
        assert!(text[1].contains("differs"));
        assert!(text[2].contains("issuer=http://other.example"));
        assert!(text[3].contains("code flow"));
        assert!(text[4].contains("none"));
        assert!(text[5].contains("RS256"));
    }

    #[test]
    fn none_beside_the_code_flow_alone_is_a_warning_not_a_fault() {
        let issuer = Url::parse("https://op.example").unwrap();
        let mut d = doc("https://op.example");
        d.insert(
            "id_token_signing_alg_values_supported".into(),
            serde_json::json!(["RS256", "none"]),
        );
        d.insert(
            "response_types_supported".into(),
            serde_json::json!(["code"]),
        );
        assert!(judge(&d, &issuer).is_empty());
        assert!(lists_none(&d));
        d.insert(
            "response_types_supported".into(),
            serde_json::json!(["code", "code id_token"]),
        );
        let text: Vec<String> = judge(&d, &issuer).into_iter().map(|t| t.en).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(text[0].contains("code id_token"), "{text:?}");
    }
}
