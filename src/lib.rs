//! sdet-audit

pub mod demo;
