//! The two scales every stage shares: what a vendor declares of a criterion ([`Status`]) and
//! what the audit verified ([`Verdict`]). They sit upstream of the grid, whose scoring formula
//! gives points on each, of the declarations and of the verdicts.

use serde::{Deserialize, Serialize};

/// What the vendor declares of one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Fully met.
    Conforme,
    /// Partly met.
    Partiel,
    /// Not met.
    NonConforme,
    /// Does not apply to this ENT.
    NonApplicable,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 4] = [
        Status::Conforme,
        Status::Partiel,
        Status::NonConforme,
        Status::NonApplicable,
    ];

    /// The status's name in the data files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Conforme => "conforme",
            Status::Partiel => "partiel",
            Status::NonConforme => "non_conforme",
            Status::NonApplicable => "non_applicable",
        }
    }

    /// The status named `s` in a data file.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A criterion's verified state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every probe that ran passed.
    Pass,
    /// A probe failed.
    Fail,
    /// A probe could not decide, and none failed.
    Error,
    /// No probe ran: declarative, planned, or not configured.
    NotTested,
    /// The criterion does not apply to the target's degrees.
    NotApplicable,
    /// Waived, with justification, approver and expiry.
    Waived,
    /// A `mixed` criterion whose probes passed but whose declared half is not proven (no
    /// `conforme` declaration pointing at its proof): not fully assessed, never a pass.
    AutomatedPartVerified,
}

impl Verdict {
    /// Every verdict, in report order.
    pub const ALL: [Verdict; 7] = [
        Verdict::Pass,
        Verdict::Fail,
        Verdict::Error,
        Verdict::AutomatedPartVerified,
        Verdict::NotTested,
        Verdict::NotApplicable,
        Verdict::Waived,
    ];

    /// The verdict's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
            Verdict::NotTested => "not_tested",
            Verdict::NotApplicable => "not_applicable",
            Verdict::Waived => "waived",
            Verdict::AutomatedPartVerified => "automated_part_verified",
        }
    }
}
