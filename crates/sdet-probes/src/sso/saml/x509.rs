//! The X.509 certificates of SAML metadata (`ds:X509Certificate`, base64 DER), read with
//! x509-parser: validity dates and public key size are what a federation's trust rests on.

use base64::Engine as _;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

/// What the checks need from one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject distinguished name.
    pub subject: String,
    /// Not valid before (Unix seconds).
    pub not_before: i64,
    /// Not valid after (Unix seconds).
    pub not_after: i64,
    /// The key algorithm and size.
    pub key: Key,
}

/// A certificate's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// RSA, with its modulus size in bits.
    Rsa(usize),
    /// Elliptic curve, with its field size in bits.
    Ec(usize),
    /// Anything else (DSA, GOST…), named.
    Other(&'static str),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Rsa(bits) => write!(f, "RSA {bits} bits"),
            Key::Ec(bits) => write!(f, "EC {bits} bits"),
            Key::Other(kind) => f.write_str(kind),
        }
    }
}

/// Decodes and parses the base64 text of a `ds:X509Certificate`. `Err` says why it is unusable.
pub fn read(base64_text: &str) -> Result<CertificateInfo, String> {
    let compact: String = base64_text.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("not base64: {e}"))?;
    let (_, cert) =
        X509Certificate::from_der(&der).map_err(|e| format!("not an X.509 certificate: {e}"))?;
    let key = match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => Key::Rsa(unsigned_bits(rsa.modulus)),
        Ok(PublicKey::EC(ec)) => Key::Ec(ec.key_size()),
        Ok(PublicKey::DSA(_)) => Key::Other("DSA"),
        Ok(PublicKey::GostR3410(_) | PublicKey::GostR3410_2012(_)) => Key::Other("GOST"),
        Ok(PublicKey::Unknown(_)) | Err(_) => Key::Other("unknown key type"),
    };
    Ok(CertificateInfo {
        subject: cert.subject().to_string(),
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
        key,
    })
}

/// Bits of a big-endian unsigned integer, leading zero bytes (DER sign padding) ignored.
pub fn unsigned_bits(bytes: &[u8]) -> usize {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let significant = &bytes[start..];
    match significant.first() {
        None => 0,
        Some(first) => (significant.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bits_without_sign_padding() {
        assert_eq!(unsigned_bits(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(unsigned_bits(&[0x01, 0xff]), 9);
        assert_eq!(unsigned_bits(&[]), 0);
        assert_eq!(unsigned_bits(&[0, 0]), 0);
    }

    #[test]
    fn reads_a_generated_certificate_and_refuses_garbage() {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["idp.example".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let b64 = base64::engine::general_purpose::STANDARD.encode(cert.der());
        let info = read(&format!("\n  {}\n  {}\n", &b64[..40], &b64[40..])).unwrap();
        assert_eq!(info.key, Key::Ec(256));
        assert!(info.not_after > info.not_before);
        assert!(read("not base64!").is_err());
        assert!(read("aGVsbG8=").unwrap_err().contains("X.509"));
    }
}
