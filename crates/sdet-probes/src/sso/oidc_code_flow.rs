//! An OpenID Connect authorization code flow, as the client the target registered for the audit
//! (`oidc.client`): authorization request with `state`, `nonce` and PKCE (S256); the provider's
//! login form and consent if it shows them (credentials from the environment); the redirect to
//! the client read, never followed; the code exchanged at the token endpoint
//! (`client_secret_basic`); the ID token verified (signature with the published key, issuer,
//! audience, expiry, nonce); and the same code refused a second time (RFC 6749 §4.1.2).

use base64::Engine as _;
use rand::Rng as _;
use serde_json::Value;
use sha2::Digest as _;
use url::Url;

use super::oidc;
use crate::http::Request;
use crate::session::{BackChannel, Session};
use crate::{Context, Finding, ProbeError};
use sdet_core::target::OidcClient;
use sdet_core::text::Text;

/// The provider's endpoints and the flow's one-time values.
struct Flow {
    token: Url,
    jwks_uri: Url,
    issuer: String,
    state: String,
    nonce: String,
    verifier: String,
}

pub async fn run(ctx: &Context<'_>, session: &mut Session<'_>) -> Result<Finding, ProbeError> {
    let client = oidc::target(ctx)?.client.as_ref().ok_or_else(|| {
        unexpected(
            "Aucun client (oidc.client) déclaré",
            "No client (oidc.client) declared",
        )
    })?;
    let secret = ctx
        .secrets
        .get(&client.client_secret_env)
        .ok_or_else(|| ProbeError::Credentials(client.client_secret_env.clone()))?;
    session.redactor.add_secret(&secret);
    let (flow, url) = start(ctx, session, client).await?;
    let callback = oidc::interaction::until_callback(ctx, session, client, url).await?;
    let code = match read_callback(&callback, &flow.state) {
        Ok(code) => code,
        Err(finding) => return Ok(finding),
    };
    session.redactor.add_secret(&code);
    let answer = exchange(&mut session.back_channel(), &flow, client, &secret, &code).await?;
    let Some(id_token) = answer
        .as_ref()
        .ok()
        .and_then(|a| a.get("id_token"))
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        let why = answer.err().unwrap_or_else(|| "no id_token".into());
        if why.contains("invalid_client") {
            // Like a refused test password: the audit's own credentials, not the provider's fault.
            return Err(unexpected(
                &format!(
                    "Identifiants du client refusés par le point d'accès token ({why}) : vérifier oidc.client"
                ),
                &format!(
                    "Client credentials refused by the token endpoint ({why}): check oidc.client"
                ),
            ));
        }
        return Ok(Finding::fail(
            Text::new(
                format!("Échange du code refusé ou sans id_token : {why}"),
                format!("Code exchange refused or without id_token: {why}"),
            ),
            Text::new("200 avec un id_token", "200 with an id_token"),
            Text::same(why),
        ));
    };
    session.redactor.add_secret(&id_token);
    let jwks = oidc::json_object(&mut session.back_channel(), &flow.jwks_uri, "JWKS").await?;
    let expected = oidc::id_token::Expected {
        issuer: &flow.issuer,
        client_id: &client.client_id,
        nonce: &flow.nonce,
        now: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let alg = match oidc::id_token::verify(&id_token, &jwks, &expected) {
        Ok((alg, _)) => alg,
        Err(problems) => {
            let en: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
            let fr: Vec<&str> = problems.iter().map(|p| p.fr.as_str()).collect();
            return Ok(Finding::fail(
                Text::new(
                    format!("Jeton d'identité non conforme — {}", fr.join(" ; ")),
                    format!("Non-conforming ID token — {}", en.join("; ")),
                ),
                Text::new(
                    "signature valide avec la clé publiée ; iss, aud, exp, iat, nonce",
                    "signature valid with the published key; iss, aud, exp, iat, nonce",
                ),
                Text::new(fr.join(" ; "), en.join("; ")),
            ));
        }
    };
    if exchange(&mut session.back_channel(), &flow, client, &secret, &code)
        .await?
        .is_ok()
    {
        return Ok(Finding::fail(
            Text::new(
                "Le même code d'autorisation est accepté une seconde fois",
                "The same authorization code is accepted a second time",
            ),
            Text::same("invalid_grant"),
            Text::new("jetons émis de nouveau", "tokens issued again"),
        ));
    }
    Ok(Finding::Pass(Text::new(
        format!(
            "Flux code réussi : jeton d'identité {alg} vérifié avec la clé publiée (iss, aud, exp, nonce), code à usage unique"
        ),
        format!(
            "Code flow succeeded: {alg} ID token verified with the published key (iss, aud, exp, nonce), single-use code"
        ),
    )))
}

/// Reads discovery and builds the authorization request (state, nonce, PKCE S256).
async fn start(
    ctx: &Context<'_>,
    session: &mut Session<'_>,
    client: &OidcClient,
) -> Result<(Flow, Url), ProbeError> {
    let (discovery, _) = oidc::discovery(ctx, &mut session.back_channel()).await?;
    let endpoint = |key: &str| {
        discovery
            .get(key)
            .and_then(Value::as_str)
            .and_then(|u| Url::parse(u).ok())
    };
    let (Some(mut url), Some(token), Some(jwks_uri), Some(issuer)) = (
        endpoint("authorization_endpoint"),
        endpoint("token_endpoint"),
        endpoint("jwks_uri"),
        discovery.get("issuer").and_then(Value::as_str),
    ) else {
        return Err(unexpected(
            "Découverte sans authorization_endpoint, token_endpoint, jwks_uri ou issuer",
            "Discovery without authorization_endpoint, token_endpoint, jwks_uri or issuer",
        ));
    };
    let flow = Flow {
        token,
        jwks_uri,
        issuer: issuer.to_string(),
        state: random(32),
        nonce: random(32),
        verifier: random(64),
    };
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(flow.verifier.as_bytes()));
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &client.client_id)
        .append_pair("redirect_uri", client.redirect_uri.as_str())
        .append_pair("scope", "openid")
        .append_pair("state", &flow.state)
        .append_pair("nonce", &flow.nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    Ok((flow, url))
}

/// The code of the redirect to the client, or the finding that stops the flow there.
fn read_callback(callback: &Url, state: &str) -> Result<String, Finding> {
    let pairs: Vec<(String, String)> = callback
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(error) = param("error") {
        return Err(Finding::fail(
            Text::new(
                format!("Le fournisseur refuse l'autorisation : {error}"),
                format!("The provider refuses the authorization: {error}"),
            ),
            Text::new("un code", "a code"),
            Text::same(format!("error={error}")),
        ));
    }
    if param("state").as_deref() != Some(state) {
        return Err(Finding::fail(
            Text::new(
                "Le paramètre state n'est pas renvoyé à l'identique (protection CSRF du client)",
                "The state parameter does not come back unchanged (the client's CSRF protection)",
            ),
            Text::new("state renvoyé à l'identique", "state echoed"),
            Text::new("state absent ou modifié", "state missing or changed"),
        ));
    }
    param("code").ok_or_else(|| {
        Finding::fail(
            Text::new(
                "Retour au client sans code",
                "Back to the client without a code",
            ),
            Text::new("un code", "a code"),
            Text::new("aucun code", "no code"),
        )
    })
}

fn unexpected(fr: &str, en: &str) -> ProbeError {
    ProbeError::Unexpected(Text::new(fr, en))
}

fn random(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Exchanges `code` at the token endpoint: `Ok(answer)` on HTTP 2xx, `Err(why)` when refused.
async fn exchange(
    back: &mut BackChannel<'_, '_>,
    flow: &Flow,
    client: &OidcClient,
    secret: &str,
    code: &str,
) -> Result<Result<serde_json::Map<String, Value>, String>, ProbeError> {
    let fields = vec![
        ("grant_type".to_string(), "authorization_code".to_string()),
        ("code".to_string(), code.to_string()),
        ("redirect_uri".to_string(), client.redirect_uri.to_string()),
        ("code_verifier".to_string(), flow.verifier.clone()),
    ];
    let mut request = Request::post_form(flow.token.clone(), fields);
    // client_secret_basic: both parts form-encoded, then base64 (RFC 6749 §2.3.1).
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        enc(&client.client_id),
        enc(secret)
    ));
    request
        .headers
        .push(("Authorization".into(), format!("Basic {basic}")));
    let response = back.send(request).await?;
    crate::unavailable(&response, "token")?;
    let body: Option<serde_json::Map<String, Value>> = serde_json::from_str(&response.body).ok();
    if response.status.is_success() {
        return body
            .ok_or_else(|| {
                unexpected(
                    "Réponse du point d'accès token illisible",
                    "Unreadable token endpoint answer",
                )
            })
            .map(Ok);
    }
    let error = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    Ok(Err(format!(
        "HTTP {} error={error}",
        response.status.as_u16()
    )))
}
