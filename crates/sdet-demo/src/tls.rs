//! The private certificate authority of the reference ENT.
//!
//! The demo is audited over real HTTPS, through the same code path as a live ENT, and an audit must
//! never be told to "accept any certificate". So every start makes a fresh CA and a server
//! certificate for `127.0.0.1` and `localhost` signed by it; the audit trusts that CA and nothing
//! else. Nothing is written to disk: the keys live and die with the process.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// How long the certificates are valid. A demo runs for seconds; a day leaves room for a
/// developer who keeps one open, while a stolen key stays worthless.
const VALIDITY: Duration = Duration::days(1);

/// What the HTTPS listener serves, and the CA the client must trust; all in PEM.
pub(crate) struct ServerIdentity {
    /// The CA certificate, to hand to the auditing client.
    pub ca_certificate: String,
    /// The server certificate (leaf), signed by the CA.
    pub certificate: String,
    /// The server's private key (PKCS#8).
    pub private_key: String,
    /// The SAML IdP's signing certificate (DER), signed by the same CA, for the metadata.
    pub saml_certificate: Vec<u8>,
}

/// The SAML signing certificate's validity: a fixed window, not one counted from the start, so
/// what the audit reports of it ("valid until …") is the same on every day a report is made and
/// committed examples never go stale. Twenty years, as IdPs often give their signing keys.
const SAML_NOT_BEFORE: OffsetDateTime = datetime!(2025-01-01 00:00 UTC);
const SAML_NOT_AFTER: OffsetDateTime = datetime!(2045-01-01 00:00 UTC);
/// With the `saml-expired-certificate` defect: a year that ended on a fixed day in the past.
const SAML_EXPIRED_NOT_BEFORE: OffsetDateTime = datetime!(2024-01-01 00:00 UTC);
const SAML_EXPIRED_NOT_AFTER: OffsetDateTime = datetime!(2025-01-01 00:00 UTC);

/// Generates a new CA, a server certificate for the loopback names and a SAML signing
/// certificate; with `saml_expired` the latter has expired (the `saml-expired-certificate` defect).
pub(crate) fn generate(saml_expired: bool) -> Result<ServerIdentity, rcgen::Error> {
    // Backdate a little so a client whose clock lags by a few minutes still accepts the chain.
    let not_before = OffsetDateTime::now_utc().saturating_sub(Duration::hours(1));
    let not_after = not_before.saturating_add(VALIDITY);

    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "sdet-audit reference ENT CA");
    ca_params
        .distinguished_name
        .push(DnType::OrganizationName, "sdet-audit (demo)");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.not_before = not_before;
    ca_params.not_after = not_after;
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])?;
    params
        .distinguished_name
        .push(DnType::CommonName, "sdet-audit reference ENT");
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = not_before;
    params.not_after = not_after;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;

    let mut saml = CertificateParams::new(Vec::<String>::new())?;
    saml.distinguished_name
        .push(DnType::CommonName, "sdet-audit reference ENT SAML IdP");
    saml.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    (saml.not_before, saml.not_after) = if saml_expired {
        (SAML_EXPIRED_NOT_BEFORE, SAML_EXPIRED_NOT_AFTER)
    } else {
        (SAML_NOT_BEFORE, SAML_NOT_AFTER)
    };
    let saml_certificate = saml.signed_by(&KeyPair::generate()?, &issuer)?;

    Ok(ServerIdentity {
        ca_certificate: ca_cert.pem(),
        certificate: cert.pem(),
        private_key: key.serialize_pem(),
        saml_certificate: saml_certificate.der().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_distinct_pem_material_each_time() {
        let first = generate(false).expect("certificate generation");
        let second = generate(true).expect("certificate generation");
        assert!(
            first
                .ca_certificate
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        assert!(first.certificate.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(first.private_key.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert_ne!(first.ca_certificate, first.certificate);
        assert_ne!(first.ca_certificate, second.ca_certificate);
        assert_ne!(first.private_key, second.private_key);
        assert_ne!(first.saml_certificate, second.saml_certificate);
    }
}
