//! Directory checks: the AAF export the ENT imports its accounts from, and how faithfully the ENT
//! turned it into accounts. The four `aaf.*` probes share one `feeds check` of the export folder
//! (it may be gigabytes, so it runs once per audit, off the async threads) and each judges its own
//! slice of the finding codes (see [`aaf::Slice`]); `ldap.reconcile` compares the export with the
//! ENT's LDAP directory.

pub mod aaf;
pub(crate) mod aaf_attributes;
pub(crate) mod aaf_links;
pub(crate) mod aaf_structure;
pub(crate) mod aaf_values;
pub(crate) mod ldap_reconcile;
