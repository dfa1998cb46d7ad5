//! `aaf.structure`: the AAF export has well-formed XML in a known encoding, shaped per the
//! ficAlimMENESR DTD, named and headed as importers expect, hostile constructs refused. Judged on
//! the audit's one `feeds check` of the export (see `aaf`), on the codes [`Slice::Structure`] owns.

use super::aaf::{self, Slice};
use crate::{Context, Finding, ProbeError};

pub async fn run(ctx: &Context<'_>) -> Result<Finding, ProbeError> {
    aaf::judge(ctx, Slice::Structure).await
}
