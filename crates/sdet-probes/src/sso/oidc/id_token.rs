//! Verifies an ID token the way a relying party must (OpenID Connect Core §3.1.3.7): its
//! signature with the provider's published key (RS256/384/512, ES256/384; never `none`), then its
//! claims — issuer, audience, expiry, issue time and the request's nonce. Cryptography is
//! aws-lc-rs's; this module only picks the key and the algorithm.

use aws_lc_rs::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use base64::Engine as _;
use serde_json::{Map, Value};

use sdet_core::text::Text;

/// Seconds of clock skew tolerated on `exp` and `iat`.
const SKEW: i64 = 120;

/// What the ID token must match.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    /// The issuer from discovery.
    pub issuer: &'a str,
    /// The client id (the audience).
    pub client_id: &'a str,
    /// The nonce sent with the authorization request.
    pub nonce: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
}

/// Verifies `token` against the JWK Set `jwks`; returns its `alg` and `sub`, or every problem.
pub fn verify(
    token: &str,
    jwks: &Map<String, Value>,
    expected: &Expected<'_>,
) -> Result<(String, String), Vec<Text>> {
    let problem = |fr: &str, en: &str| vec![Text::new(fr, en)];
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, sig] = parts.as_slice() else {
        return Err(problem(
            "jeton d'identité qui n'est pas un JWS compact",
            "ID token is not a compact JWS",
        ));
    };
    let (Some(header_json), Some(claims), Some(sig)) = (json(header), json(payload), b64(sig))
    else {
        return Err(problem(
            "jeton d'identité illisible (base64url ou JSON)",
            "unreadable ID token (base64url or JSON)",
        ));
    };
    let alg = header_json.get("alg").and_then(Value::as_str).unwrap_or("");
    let kid = header_json.get("kid").and_then(Value::as_str);
    let message = format!("{header}.{payload}");
    if let Err(why) = check_signature(alg, kid, message.as_bytes(), &sig, jwks) {
        return Err(vec![why]);
    }
    let mut problems = Vec::new();
    let string = |k: &str| claims.get(k).and_then(Value::as_str);
    let number = |k: &str| claims.get(k).and_then(Value::as_i64);
    if string("iss") != Some(expected.issuer) {
        problems.push(Text::new(
            format!("iss {:?} au lieu de {}", string("iss"), expected.issuer),
            format!("iss {:?} instead of {}", string("iss"), expected.issuer),
        ));
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == expected.client_id,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(expected.client_id)),
        _ => false,
    };
    if !audience_ok {
        problems.push(Text::new(
            format!("aud n'inclut pas {}", expected.client_id),
            format!("aud does not include {}", expected.client_id),
        ));
    }
    match number("exp") {
        Some(exp) if exp + SKEW > expected.now => {}
        other => problems.push(Text::new(
            format!("jeton expiré ou sans exp ({other:?})"),
            format!("token expired or without exp ({other:?})"),
        )),
    }
    if number("iat").is_none_or(|iat| iat - SKEW > expected.now) {
        problems.push(Text::new(
            "iat absent ou dans le futur",
            "iat missing or in the future",
        ));
    }
    if string("nonce") != Some(expected.nonce) {
        problems.push(Text::new(
            "nonce absent ou différent de celui de la requête",
            "nonce missing or different from the request's",
        ));
    }
    let sub = string("sub").unwrap_or("").to_string();
    if sub.is_empty() {
        problems.push(Text::new("sub absent", "sub missing"));
    }
    if problems.is_empty() {
        Ok((alg.to_string(), sub))
    } else {
        Err(problems)
    }
}

fn b64(part: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()
}

fn json(part: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&b64(part)?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Checks the JWS signature with the JWK the header names (by `kid`, else the only fitting key).
fn check_signature(
    alg: &str,
    kid: Option<&str>,
    message: &[u8],
    sig: &[u8],
    jwks: &Map<String, Value>,
) -> Result<(), Text> {
    let kty = match alg {
        "RS256" | "RS384" | "RS512" => "RSA",
        "ES256" | "ES384" => "EC",
        other => {
            return Err(Text::new(
                format!("algorithme de signature {other:?} non admis (RS256/384/512, ES256/384)"),
                format!("signature algorithm {other:?} not accepted (RS256/384/512, ES256/384)"),
            ));
        }
    };
    let keys: Vec<&Map<String, Value>> = jwks
        .get("keys")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|k| k.get("kty").and_then(Value::as_str) == Some(kty))
        .filter(|k| kid.is_none() || k.get("kid").and_then(Value::as_str) == kid)
        .collect();
    let [key] = keys.as_slice() else {
        return Err(Text::new(
            format!("aucune clé unique du JWKS pour kid {kid:?} ({kty})"),
            format!("no single JWKS key for kid {kid:?} ({kty})"),
        ));
    };
    let member = |m: &str| {
        key.get(m)
            .and_then(Value::as_str)
            .and_then(b64)
            .unwrap_or_default()
    };
    let verified = match alg {
        "RS256" | "RS384" | "RS512" => {
            let params = match alg {
                "RS256" => &signature::RSA_PKCS1_2048_8192_SHA256,
                "RS384" => &signature::RSA_PKCS1_2048_8192_SHA384,
                _ => &signature::RSA_PKCS1_2048_8192_SHA512,
            };
            RsaPublicKeyComponents {
                n: member("n"),
                e: member("e"),
            }
            .verify(params, message, sig)
            .is_ok()
        }
        _ => {
            let algorithm = if alg == "ES256" {
                &signature::ECDSA_P256_SHA256_FIXED
            } else {
                &signature::ECDSA_P384_SHA384_FIXED
            };
            let mut point = vec![4_u8];
            point.extend(member("x"));
            point.extend(member("y"));
            UnparsedPublicKey::new(algorithm, point)
                .verify(message, sig)
                .is_ok()
        }
    };
    if verified {
        Ok(())
    } else {
        Err(Text::new(
            format!("signature {alg} du jeton d'identité invalide avec la clé publiée"),
            format!("the ID token's {alg} signature does not verify with the published key"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};

    fn enc(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// A signed ES256 token and the JWKS holding its key.
    fn token(claims: &Value) -> (String, Map<String, Value>) {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let point = pair.public_key().as_ref();
        let jwks = serde_json::json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1",
            "x": enc(&point[1..33]), "y": enc(&point[33..65])}]});
        let input = format!(
            "{}.{}",
            enc(br#"{"alg":"ES256","kid":"k1"}"#),
            enc(claims.to_string().as_bytes())
        );
        let sig = pair.sign(&rng, input.as_bytes()).unwrap();
        let Value::Object(jwks) = jwks else {
            unreachable!()
        };
        (format!("{input}.{}", enc(sig.as_ref())), jwks)
    }

    #[test]
    fn verifies_signature_and_claims() {
        let expected = Expected {
            issuer: "https://op",
            client_id: "c",
            nonce: "n",
            now: 1_000_000,
        };
        let good = serde_json::json!({"iss": "https://op", "aud": ["c"], "exp": 1_000_300, "iat": 1_000_000, "nonce": "n", "sub": "u"});
        let (t, jwks) = token(&good);
        assert_eq!(
            verify(&t, &jwks, &expected).unwrap(),
            ("ES256".into(), "u".into())
        );
        // One flipped byte in the payload breaks the signature.
        let mut forged: Vec<&str> = t.split('.').collect();
        let other = enc(serde_json::json!({"iss": "https://op", "aud": "c", "exp": 9_999_999, "iat": 1, "nonce": "n", "sub": "admin"}).to_string().as_bytes());
        forged[1] = &other;
        assert!(
            verify(&forged.join("."), &jwks, &expected).unwrap_err()[0]
                .en
                .contains("does not verify")
        );
        let bad =
            serde_json::json!({"iss": "https://evil", "aud": "x", "exp": 1, "iat": 1, "sub": "u"});
        let (t, jwks) = token(&bad);
        assert_eq!(verify(&t, &jwks, &expected).unwrap_err().len(), 4);
        let none = format!(
            "{}.{}.",
            enc(br#"{"alg":"none"}"#),
            enc(good.to_string().as_bytes())
        );
        assert!(
            verify(&none, &jwks, &expected).unwrap_err()[0]
                .en
                .contains("\"none\" not accepted")
        );
    }
}
