//! `aaf.attributes`: the AAF export has only the attribute names allowed for the file's kind and
//! degree, each once, with the required ones present. Judged on the audit's one `feeds check` of
//! the export (see `aaf`), on the codes [`Slice::Attributes`] owns.

use super::aaf::{self, Slice};
use crate::{Context, Finding, ProbeError};

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    aaf::judge(ctx, Slice::Attributes).await
}
