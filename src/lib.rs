//! # sdet-audit
//!
//! Audits a French school digital workspace (ENT) for conformity with the ministry's SDET
//! (*Schéma directeur des espaces numériques de travail*). The work is split into crates that
//! follow the data flow, each using only those before it:
//!
//! ```text
//! sdet-core    grid ─┬─► plan ──────────────────────────► verdict ─► waiver ─► score
//!              catalogue   target, declarations   evidence ▲
//! sdet-feeds   AAF feeds, reconcile                        │
//! sdet-probes  probe::run_all (the checks, the polite HTTP client) ─┘
//! sdet-report  the report model and its renderers
//! sdet-demo    the reference ENT
//! sdet-audit   audit (the stages in order), the commands on reports, the CLI
//! ```
//!
//! This crate holds what runs the stages and what works on finished reports:
//! - [`audit`]: one audit end to end, live ENT or embedded demo, ending in [`conclude`]
//!   (judge → waive → score → assemble), which `rescore` shares;
//! - [`compare`], [`diff`], [`merge`], [`rescore`], [`bundle`]: commands that read reports;
//! - [`gate`]: CI thresholds; [`doctor`], [`init`]: before an audit;
//! - [`cli`]: the command line, kept apart from the library, and [`error`], its errors.
//!
//! The modules of the crates below are re-exported under their usual names (`grid`, `probe`,
//! `report`…), so `sdet_audit::grid::Grid` names what `sdet_core::grid::Grid` does.

pub mod audit;
pub mod bundle;
pub mod cli;
pub mod compare;
pub mod conclude;
pub mod diff;
pub mod doctor;
pub mod error;
pub mod gate;
pub mod init;
pub mod merge;
pub mod rescore;

pub use sdet_core::{
    catalog, code, data, declaration, diagnostic, evidence, exit, grid, input, plan, score, sheet,
    target, text, verdict, vocab, waiver, xml,
};
pub use sdet_demo as demo;
pub use sdet_feeds as feeds;
pub use sdet_feeds::reconcile;
pub use sdet_probes as probe;
pub use sdet_report as report;
