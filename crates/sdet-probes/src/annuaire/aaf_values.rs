//! `aaf.values`: the AAF export has values in the formats importers accept: dates, UAI, SIRET,
//! postal codes, phones, e-mails, O/N flags, $-separated composites. Judged on the audit's one
//! `feeds check` of the export (see `aaf`), on the codes [`Slice::Values`] owns.

use super::aaf::{self, Slice};
use crate::{Context, Finding, ProbeError};

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    aaf::judge(ctx, Slice::Values).await
}
