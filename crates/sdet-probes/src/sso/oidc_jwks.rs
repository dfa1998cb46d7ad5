//! The JWK Set (`jwks_uri`) holds the keys relying parties verify ID tokens with. It must be
//! reachable over HTTPS and hold at least one usable signing key — RSA of a sound size or a
//! standard curve — and nothing secret: a published private part (`d`, `p`, `q`…) or a symmetric
//! key (`kty: oct`) lets anyone sign tokens as the provider (RFC 7517, RFC 7518 §6).

use base64::Engine as _;
use serde_json::{Map, Value};
use url::Url;

use super::oidc;
use super::saml::x509::unsigned_bits;
use crate::session::Session;
use crate::{Context, Finding, ProbeError};
use sdet_core::text::Text;

pub use sdet_core::catalog::params::oidc_jwks::Params;

/// Members that hold private key material (RFC 7518 §6.2.2, §6.3.2, §6.4).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/// Curves a relying party can be expected to support.
const CURVES: [&str; 5] = ["P-256", "P-384", "P-521", "Ed25519", "Ed448"];

pub async fn run(
    params: &Params,
    ctx: &Context<'_>,
    session: &mut Session<'_>,
) -> Result<Finding, ProbeError> {
    let (document, discovery) = oidc::discovery(ctx, &mut session.back_channel()).await?;
    let jwks_uri = document
        .get("jwks_uri")
        .and_then(Value::as_str)
        .and_then(|u| discovery.join(u).ok())
        .ok_or_else(|| {
            ProbeError::Unexpected(Text::new(
                format!("Pas de jwks_uri utilisable dans {discovery}"),
                format!("No usable jwks_uri in {discovery}"),
            ))
        })?;
    let jwks = oidc::json_object(&mut session.back_channel(), &jwks_uri, "JWKS").await?;
    let (problems, usable) = judge(&jwks, &jwks_uri, params);
    if problems.is_empty() {
        return Ok(Finding::Pass(Text::new(
            format!(
                "JWKS accessible ({jwks_uri}) : clés de signature {}",
                first(&usable, ", ", "autres")
            ),
            format!(
                "JWKS reachable ({jwks_uri}): signing keys {}",
                first(&usable, ", ", "more")
            ),
        )));
    }
    let fr: Vec<String> = problems.iter().map(|p| p.fr.clone()).collect();
    let en: Vec<String> = problems.iter().map(|p| p.en.clone()).collect();
    let en_list = first(&en, "; ", "more");
    Ok(Finding::fail(
        Text::new(
            format!(
                "JWKS non conforme ({jwks_uri}) — {}",
                first(&fr, " ; ", "autres")
            ),
            format!("Non-conforming JWKS ({jwks_uri}) — {en_list}"),
        ),
        Text::new(
            format!(
                "HTTPS, au moins une clé de signature (RSA d'au moins {} bits ou une courbe standard), ni clé privée ni clé symétrique",
                params.min_rsa_bits
            ),
            format!(
                "HTTPS, >= 1 signing key (RSA >= {} bits or a standard curve), no private or symmetric key",
                params.min_rsa_bits
            ),
        ),
        Text::new(first(&fr, " ; ", "autres"), en_list),
    ))
}

/// Keys or problems listed in a message: at most this many, then a count (a set of 10,000 keys
/// once made a 349 KB message).
const MAX_LISTED: usize = 10;

/// The largest RSA modulus counted as usable.
const MAX_RSA_BITS: usize = 16_384;

/// The first `MAX_LISTED` items joined by `sep`, then "(+N more)".
fn first(items: &[String], sep: &str, more: &str) -> String {
    let mut text = items
        .iter()
        .take(MAX_LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(sep);
    if items.len() > MAX_LISTED {
        text.push_str(&format!(" (+{} {more})", items.len() - MAX_LISTED));
    }
    text
}

/// Problems of a JWK Set fetched from `at`, and a description of each usable signing key.
pub fn judge(jwks: &Map<String, Value>, at: &Url, params: &Params) -> (Vec<Text>, Vec<String>) {
    let mut problems = Vec::new();
    if at.scheme() != "https" {
        problems.push(Text::new(
            format!("JWKS servi hors HTTPS : {at}"),
            format!("JWKS served without HTTPS: {at}"),
        ));
    }
    let keys = jwks.get("keys").and_then(Value::as_array);
    let keys: Vec<&Map<String, Value>> = keys
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    let mut usable = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let field = |k: &str| key.get(k).and_then(Value::as_str);
        let name = field("kid").map_or_else(|| format!("#{i}"), str::to_string);
        let kty = field("kty").unwrap_or("");
        let mut bad = |fr: String, en: String| {
            problems.push(Text::new(
                format!("clé {name} : {fr}"),
                format!("key {name}: {en}"),
            ));
        };
        let private: Vec<&str> = PRIVATE_MEMBERS
            .into_iter()
            .filter(|m| key.contains_key(*m))
            .collect();
        if !private.is_empty() {
            bad(
                format!("partie privée ou secrète publiée ({})", private.join(", ")),
                format!("private or secret part published ({})", private.join(", ")),
            );
            continue;
        }
        if field("alg").is_some_and(|a| a.eq_ignore_ascii_case("none")) {
            bad("alg « none »".into(), "alg \"none\"".into());
            continue;
        }
        let strength = match kty {
            "RSA" => match field("n").map(decode_b64url) {
                Some(Some(n)) if field("e").is_some() => {
                    let bits = unsigned_bits(&n);
                    if bits < params.min_rsa_bits {
                        bad(
                            format!("RSA {bits} bits, trop court"),
                            format!("RSA {bits} bits, too short"),
                        );
                        continue;
                    }
                    // Common libraries refuse moduli past 16384 bits: such a key verifies
                    // nothing for the clients that meet it.
                    if bits > MAX_RSA_BITS {
                        bad(
                            format!(
                                "RSA {bits} bits, au-delà de ce que les clients acceptent ({MAX_RSA_BITS})"
                            ),
                            format!("RSA {bits} bits, beyond what clients accept ({MAX_RSA_BITS})"),
                        );
                        continue;
                    }
                    format!("RSA {bits} bits")
                }
                _ => {
                    bad(
                        "RSA sans n ou e lisibles".into(),
                        "RSA without a readable n or e".into(),
                    );
                    continue;
                }
            },
            "EC" | "OKP" => match field("crv") {
                Some(crv) if CURVES.contains(&crv) => format!("{kty} {crv}"),
                other => {
                    let crv = other.unwrap_or("?");
                    bad(
                        format!("courbe non standard {crv}"),
                        format!("non-standard curve {crv}"),
                    );
                    continue;
                }
            },
            other => {
                bad(
                    format!("type de clé non admis « {other} »"),
                    format!("key type not accepted \"{other}\""),
                );
                continue;
            }
        };
        if field("use").is_none_or(|u| u == "sig") {
            usable.push(format!(
                "{name} ({strength}{})",
                field("alg").map(|a| format!(", {a}")).unwrap_or_default()
            ));
        }
    }
    if keys.len() > 1 && keys.iter().any(|k| !k.contains_key("kid")) {
        problems.push(Text::new(
            "plusieurs clés dont certaines sans kid : un jeton ne peut pas désigner sa clé",
            "several keys, some without kid: a token cannot name its key",
        ));
    }
    if usable.is_empty() && problems.is_empty() {
        problems.push(Text::new(
            "aucune clé de signature utilisable",
            "no usable signing key",
        ));
    }
    (problems, usable)
}

/// Decodes base64url, with or without padding.
fn decode_b64url(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwks(keys: Value) -> Map<String, Value> {
        Map::from_iter([("keys".to_string(), keys)])
    }

    fn n(bits: usize) -> String {
        let mut bytes = vec![0xff_u8; bits / 8];
        bytes[0] = 0xc1;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    #[test]
    fn real_provider_key_sets_pass() {
        for folder in ["satosa", "node-oidc-provider"] {
            let text = std::fs::read_to_string(format!(
                "{}/../../fixtures/oidc/{folder}/jwks.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let Value::Object(set) = serde_json::from_str(&text).unwrap() else {
                panic!("{folder}: not an object")
            };
            let at = Url::parse("https://127.0.0.1/jwks").unwrap();
            let (problems, usable) = judge(&set, &at, &Params { min_rsa_bits: 2048 });
            assert!(problems.is_empty(), "{folder}: {problems:?}");
            assert_eq!(usable.len(), 1, "{folder}: {usable:?}");
            assert!(usable[0].contains("RSA 2048 bits"), "{usable:?}");
        }
    }

    #[test]
    fn huge_keys_are_refused_and_long_lists_are_cut() {
        let at = Url::parse("https://op.example/jwks").unwrap();
        let params = Params { min_rsa_bits: 2048 };
        let huge = jwks(serde_json::json!([
            {"kty": "RSA", "kid": "huge", "n": n(8_388_608), "e": "AQAB"},
        ]));
        let (problems, usable) = judge(&huge, &at, &params);
        assert!(usable.is_empty());
        assert!(
            problems[0].en.contains("beyond what clients accept"),
            "{problems:?}"
        );
        let many: Vec<String> = (0..10_000).map(|i| format!("key-{i} (EC P-256)")).collect();
        let listed = first(&many, ", ", "more");
        assert!(
            listed.len() < 300 && listed.ends_with("(+9990 more)"),
            "{listed}"
        );
    }

    #[test]
    fn judges_keys() {
        let at = Url::parse("https://op.example/jwks").unwrap();
        let params = Params { min_rsa_bits: 2048 };
        let good = jwks(serde_json::json!([
            {"kty": "RSA", "kid": "r", "n": n(2048), "e": "AQAB", "alg": "RS256", "use": "sig"},
            {"kty": "EC", "kid": "e", "crv": "P-256", "x": "AA", "y": "AA"},
        ]));
        let (problems, usable) = judge(&good, &at, &params);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(usable, vec!["r (RSA 2048 bits, RS256)", "e (EC P-256)"]);
        let bad = jwks(serde_json::json!([
            {"kty": "RSA", "kid": "short", "n": n(1024), "e": "AQAB"},
            {"kty": "RSA", "kid": "leak", "n": n(2048), "e": "AQAB", "d": "secret"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            {"kty": "EC", "crv": "secp256k1"},
        ]));
        let (problems, usable) = judge(
            &bad,
            &Url::parse("http://op.example/jwks").unwrap(),
            &params,
        );
        let text: Vec<&str> = problems.iter().map(|p| p.en.as_str()).collect();
        assert!(usable.is_empty());
        assert_eq!(text.len(), 6, "{text:?}");
        assert!(text[0].contains("without HTTPS"));
        assert!(text[1].contains("RSA 1024 bits"));
        assert!(text[2].contains("private or secret part published (d)"));
        assert!(text[3].contains("(k)"));
        assert!(text[4].contains("secp256k1"));
        assert!(text[5].contains("without kid"));
        let (problems, _) = judge(&jwks(serde_json::json!([])), &at, &params);
        assert_eq!(problems[0].en, "no usable signing key");
    }
}
