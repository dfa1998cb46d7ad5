//! sdet-audit
