//! # sdet-core
//!
//! The data and the pure stages of an SDET audit, upstream of everything that touches a network
//! or renders a report. In data-flow order:
//!
//! - [`grid`]: the SDET's exigences and recommandations as validated data, with [`vocab`] (what
//!   a vendor declares, what an audit verifies) and the scoring formula;
//! - [`catalog`]: the probes, the closed set of check kinds and what each needs from a target;
//! - [`target`] and [`declaration`]: the ENT under audit and what its vendor declares;
//! - [`plan`]: which probes run for this target, and why the others do not;
//! - [`evidence`]: what a probe observed;
//! - [`verdict`], [`waiver`], [`score`]: judging, waiving and scoring.
//!
//! Underneath: [`diagnostic`] (every problem found in an input file, with its place), [`code`]
//! (the `area::name` scheme of every code the tool shows), [`input`]
//! (bounded reads), [`data`] (the embedded grids and probes), [`sheet`] (spreadsheets), [`text`]
//! (bilingual text), [`parse_error`] (the parsers' messages in French), [`xml`], [`artifact`] (files as SARIF names them) and [`exit`] (the exit
//! codes).

pub mod artifact;
pub mod calendar;
pub mod catalog;
pub mod child;
pub mod code;
pub mod data;
pub mod declaration;
pub mod diagnostic;
pub mod evidence;
pub mod exit;
pub mod grid;
pub mod input;
pub mod parse_error;
pub mod plan;
pub mod score;
pub mod sheet;
pub mod target;
pub mod text;
pub mod verdict;
pub mod vocab;
pub mod waiver;
pub mod xml;
pub mod yaml;
