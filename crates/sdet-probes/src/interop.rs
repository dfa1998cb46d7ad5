//! Interoperability checks: the calendars (iCalendar), news feeds (RSS/Atom), documents (WebDAV)
//! and GAR export an ENT publishes. Each fetches or reads its document defensively — size-capped,
//! DTDs refused, nesting bounded — and judges it on the standard it claims to follow.

pub mod feed;
pub mod fetch;
pub mod gar;
pub(crate) mod gar_export;
pub(crate) mod gar_export_references;
pub(crate) mod gar_export_schema;
pub mod ical;
pub mod published;
pub(crate) mod webdav;

use super::{Context, ProbeError};
use sdet_core::target::InteropTarget;
use sdet_core::text::Text;

/// The `interop` block, which the plan guarantees is set when an interop check runs.
fn interop<'a>(ctx: &Context<'a>) -> Result<&'a InteropTarget, ProbeError> {
    ctx.target.interop.as_ref().ok_or_else(|| {
        ProbeError::Unexpected(Text::new(
            "Aucun bloc interop dans la cible",
            "No interop block in the target",
        ))
    })
}
