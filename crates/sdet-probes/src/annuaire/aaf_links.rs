//! `aaf.links`: the AAF export has identifiers unique per kind, and every link between records and
//! files resolves. Judged on the audit's one `feeds check` of the export (see `aaf`), on the codes
//! [`Slice::Links`] owns.

use super::aaf::{self, Slice};
use crate::{Context, Finding, ProbeError};

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    aaf::judge(ctx, Slice::Links).await
}
