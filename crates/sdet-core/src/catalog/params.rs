//! The parameters a check kind accepts in `probes/*.yaml`, one module per kind that takes any.
//! They sit in the catalogue, upstream of the probes, so that reading the catalogue (grid
//! validation, the plan) never needs the code that runs a check.

/// The `hsts` check.
pub mod hsts {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `hsts` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// The shortest acceptable max-age, in seconds.
        #[serde(default = "default_min_max_age")]
        pub min_max_age: u64,
    }

    fn default_min_max_age() -> u64 {
        15_552_000
    }
}

/// The `html_lang` check.
pub mod html_lang {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `html_lang` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// The primary language subtag pages must declare.
        #[serde(default = "default_expected")]
        pub expected: String,
    }

    fn default_expected() -> String {
        "fr".into()
    }
}

/// The `cas_login_round_trip` check.
pub mod cas_login_round_trip {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `cas_login_round_trip` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// Fewest characters after `ST-`: a proxy for "adequate random data".
        #[serde(default = "default_min_random_chars")]
        pub min_random_chars: usize,
    }

    fn default_min_random_chars() -> usize {
        20
    }
}

/// The `cas_identity_vector` check.
pub mod cas_identity_vector {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    /// Parameters of the `cas_identity_vector` check (defaults in `probes/sso.yaml`).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// Attributes every account must release, with a non-empty value.
        #[serde(default)]
        pub required: Vec<String>,
        /// More required attributes, by account profile (`eleve`, `enseignant`…).
        #[serde(default)]
        pub required_by_profile: BTreeMap<String, Vec<String>>,
        /// The only values an attribute may take.
        #[serde(default)]
        pub values: BTreeMap<String, Vec<String>>,
        /// The attribute holding the national profile.
        #[serde(default = "default_profile_attribute")]
        pub profile_attribute: String,
        /// The national profile codes accepted for each declared account profile: one code or a
        /// list (the SDET's `National_1` and the annuaire's `National_ELV` both name a pupil).
        #[serde(default)]
        pub profile_codes: BTreeMap<String, Codes>,
    }

    /// One accepted code, or several.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum Codes {
        /// A single code.
        One(String),
        /// Any of these codes.
        Any(Vec<String>),
    }

    impl Codes {
        /// The accepted codes.
        pub fn all(&self) -> Vec<&str> {
            match self {
                Codes::One(code) => vec![code.as_str()],
                Codes::Any(codes) => codes.iter().map(String::as_str).collect(),
            }
        }

        /// Whether `value` is one of them. National codes are compared without regard to case: the
        /// annuaire writes `National_ELV`, the GAR `National_elv`, for the same profile.
        pub fn accepts(&self, value: &str) -> bool {
            self.all()
                .iter()
                .any(|c| c.eq_ignore_ascii_case(value.trim()))
        }
    }

    fn default_profile_attribute() -> String {
        "ENTPersonProfils".into()
    }
}

/// The `saml_certificates` check.
pub mod saml_certificates {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `saml_certificates` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// Days before expiry from which the message warns.
        #[serde(default = "default_warn_days")]
        pub warn_days: i64,
        /// Smallest RSA modulus accepted, in bits.
        #[serde(default = "default_min_rsa_bits")]
        pub min_rsa_bits: usize,
        /// Smallest elliptic-curve key accepted, in bits.
        #[serde(default = "default_min_ec_bits")]
        pub min_ec_bits: usize,
    }

    fn default_warn_days() -> i64 {
        30
    }
    fn default_min_rsa_bits() -> usize {
        2048
    }
    fn default_min_ec_bits() -> usize {
        256
    }
}

/// The `saml_federation` check.
pub mod saml_federation {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `saml_federation` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// Attributes the verified assertion must carry, each with a non-empty value.
        #[serde(default)]
        pub required_attributes: Vec<String>,
    }
}

/// The `oidc_jwks` check.
pub mod oidc_jwks {
    use serde::{Deserialize, Serialize};

    /// Parameters of the `oidc_jwks` check.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Params {
        /// Smallest RSA modulus accepted, in bits.
        #[serde(default = "default_min_rsa_bits")]
        pub min_rsa_bits: usize,
    }

    fn default_min_rsa_bits() -> usize {
        2048
    }
}
