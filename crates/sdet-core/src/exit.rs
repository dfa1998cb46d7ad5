//! Exit codes, named in one place. Certifiers gate CI pipelines on them, so they never change.
//! Which one a report calls for is the report's to say (`Report::exit_code`); this module only
//! names them, so that every stage (feeds, reports, errors) can use them.

use std::process::ExitCode;

/// Conforme, or a feed with no error finding.
pub const CONFORME: u8 = 0;
/// An applicable exigence failed, a threshold was missed, or a feed has error findings.
pub const NON_CONFORME: u8 = 1;
/// Bad arguments, or an unreadable or invalid grid, target or declarations file.
pub const USAGE: u8 = 2;
/// Probe errors left an applicable exigence undecided, and nothing failed.
pub const INCOMPLETE: u8 = 3;

/// Converts a code to the process's.
pub fn code(value: u8) -> ExitCode {
    ExitCode::from(value)
}
