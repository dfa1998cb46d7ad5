//! Directory checks: how faithfully the ENT turned the académie's AAF export into accounts.

pub(crate) mod ldap_reconcile;
