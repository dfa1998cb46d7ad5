//! # sdet-audit
//!
//! Audits a French school digital workspace (ENT) for conformity with the ministry's SDET
//! (*Schéma directeur des espaces numériques de travail*). The modules follow the data flow:
//!
//! ```text
//! grid ─┐
//! probe catalogue ─┼─► plan ─► probe::run_all ─► evidence ─► verdict ─► score ─► report ─► renderers
//! target, declarations ─┘
//! ```
//!
//! - [`grid`]: the SDET's exigences and recommandations as validated data;
//! - [`probe`]: the check kinds and the one concurrency function, with the polite HTTP client;
//! - [`plan`], [`evidence`], [`verdict`], [`score`], [`report`]: one stage each, plain data in and out;
//! - [`audit`]: one audit end to end; [`demo`]: the embedded reference ENT;
//! - [`feeds`]: AAF directory feeds checked as one set, streaming (`feeds check`);
//! - [`reconcile`]: an AAF export compared with the ENT's LDAP directory (`feeds reconcile`);
//! - [`cli`]: the command line, kept apart from the library.

pub mod audit;
pub mod catalog;
pub mod cli;
pub mod data;
pub mod declaration;
pub mod demo;
pub mod diagnostic;
pub mod doctor;
pub mod error;
pub mod evidence;
pub mod exit;
pub mod feeds;
pub mod gate;
pub mod grid;
pub mod init;
pub mod input;
pub mod plan;
pub mod probe;
pub mod reconcile;
pub mod report;
pub mod score;
pub mod sheet;
pub mod target;
pub mod text;
pub mod verdict;
pub mod vocab;
pub mod waiver;
pub mod xml;
mod yaml;
