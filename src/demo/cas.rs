//! The CAS server of the reference ENT, after the Apereo CAS protocol specification 3.0 (which
//! also covers CAS 1.0 and 2.0).

pub(crate) mod tickets;
