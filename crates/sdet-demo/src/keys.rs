//! The OpenID Connect provider's signing key, made at start: only its public half is kept
//! (nothing signs with it yet), as the JWK Set publishes it.

use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine as _;
use x509_parser::prelude::FromDer;
use x509_parser::public_key::RSAPublicKey;

/// The public half of the provider's signing key, as JWK members.
#[derive(Debug, Clone)]
pub(crate) struct SigningKey {
    /// `n`, base64url.
    pub n: String,
    /// `e`, base64url.
    pub e: String,
    /// `kid`.
    pub kid: String,
}

/// Makes the provider's RSA 2048 key and keeps only its public half (nothing signs with it yet).
pub(crate) fn generate() -> Option<SigningKey> {
    let pair = KeyPair::generate(KeySize::Rsa2048).ok()?;
    // aws-lc gives the RFC 8017 RSAPublicKey DER: SEQUENCE { n, e }.
    let der = pair.public_key().as_ref().to_vec();
    let (_, key) = RSAPublicKey::from_der(&der).ok()?;
    let b64 = |bytes: &[u8]| {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[start..])
    };
    Some(SigningKey {
        n: b64(key.modulus),
        e: b64(key.exponent),
        kid: format!("ent-{}", super::random_alphanumeric(8)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_rsa_2048_without_sign_padding() {
        let key = generate().expect("key");
        let n = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&key.n)
            .expect("base64url");
        assert_eq!(n.len(), 256);
        assert!(n[0] >= 0x80);
        assert_eq!(key.e, "AQAB");
    }
}
