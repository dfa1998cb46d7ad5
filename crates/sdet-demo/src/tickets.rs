//! What the CAS server remembers between requests: service tickets, SSO sessions (TGTs) and the
//! one-time `execution` values of its login forms.
//!
//! The protocol's safety rests on these rules, so they live together in one small store behind one
//! mutex: a service ticket is bound to its service, expires after [`SERVICE_TICKET_TTL`] and is
//! consumed by its first validation attempt, successful or not (CAS protocol §3.1.1). A consumed
//! ticket is remembered until it would have expired, so "already used" stays distinct from "never
//! issued" (the `cas-accept-any-ticket` defect must not also turn into ticket reuse). Every method
//! takes `now` explicitly, so the rules are unit-tested without sleeping.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::random_alphanumeric;

/// How long an unvalidated service ticket lives. The protocol recommends at most five minutes.
pub(crate) const SERVICE_TICKET_TTL: Duration = Duration::from_secs(5 * 60);

/// How long an SSO session lives after the login, like Apereo CAS's default hard timeout.
pub(crate) const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);

/// How long a login form stays usable.
pub(crate) const EXECUTION_TTL: Duration = Duration::from_secs(30 * 60);

/// Random characters after the `ST-` or `TGT-` prefix: well above the 32 the probes require.
const TICKET_RANDOM_LEN: usize = 40;

/// Random characters of a login form's `execution` value.
const EXECUTION_LEN: usize = 64;

/// How service tickets are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TicketStyle {
    /// `ST-` and [`TICKET_RANDOM_LEN`] random characters: unguessable.
    Random,
    /// `ST-` and a 6-digit counter: the `cas-short-ticket` defect.
    Counter,
}

/// Who a ticket speaks for, and how that person authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    /// The user who logged in.
    pub username: String,
    /// When the user typed their credentials.
    pub authenticated_at: OffsetDateTime,
    /// Whether the ticket comes from typed credentials rather than from an SSO session.
    pub from_new_login: bool,
}

/// Why a service ticket does not validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rejection {
    /// Never issued (or so old that it was forgotten).
    Unknown,
    /// Already presented for validation once.
    Consumed,
    /// Issued more than [`SERVICE_TICKET_TTL`] ago.
    Expired,
    /// Issued for another service (named here).
    WrongService(String),
    /// Validation asked for `renew` but the ticket came from an SSO session.
    NotFromNewLogin,
}

#[derive(Debug, Clone)]
struct ServiceTicket {
    service: String,
    grant: Grant,
    expires: Instant,
    consumed: bool,
}

#[derive(Debug)]
struct Session {
    username: String,
    authenticated_at: OffsetDateTime,
    expires: Instant,
}

#[derive(Debug, Default)]
struct Inner {
    tickets: HashMap<String, ServiceTicket>,
    sessions: HashMap<String, Session>,
    executions: HashMap<String, Instant>,
    issued: u64,
}

/// The CAS server's memory.
#[derive(Debug, Default)]
pub(crate) struct TicketStore {
    inner: Mutex<Inner>,
}

impl TicketStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere cannot leave these maps half-updated (each change is one insert or
        // remove), so a poisoned lock is safe to keep using.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens an SSO session for `username`, who just typed their credentials. Returns the TGT
    /// id (the `TGC` cookie value) and the grant for the service ticket of this login.
    pub(crate) fn start_session(&self, username: &str, now: Instant) -> (String, Grant) {
        let id = format!("TGT-{}", random_alphanumeric(TICKET_RANDOM_LEN));
        let authenticated_at = OffsetDateTime::now_utc();
        let mut inner = self.lock();
        inner.sessions.retain(|_, s| s.expires > now);
        let session = Session {
            username: username.to_owned(),
            authenticated_at,
            expires: now + SESSION_TTL,
        };
        inner.sessions.insert(id.clone(), session);
        let grant = Grant {
            username: username.to_owned(),
            authenticated_at,
            from_new_login: true,
        };
        (id, grant)
    }

    /// The grant an SSO session gives to a new service ticket, if the session is alive.
    pub(crate) fn session_grant(&self, tgt: &str, now: Instant) -> Option<Grant> {
        let inner = self.lock();
        let session = inner.sessions.get(tgt).filter(|s| s.expires > now)?;
        Some(Grant {
            username: session.username.clone(),
            authenticated_at: session.authenticated_at,
            from_new_login: false,
        })
    }

    /// Ends an SSO session (logout). Unknown ids are ignored.
    pub(crate) fn end_session(&self, tgt: &str) {
        self.lock().sessions.remove(tgt);
    }

    /// Issues a service ticket for `service`, spelled per `style`.
    pub(crate) fn issue_service_ticket(
        &self,
        service: &str,
        grant: Grant,
        style: TicketStyle,
        now: Instant,
    ) -> String {
        let mut inner = self.lock();
        inner.tickets.retain(|_, t| t.expires > now);
        inner.issued += 1;
        let id = match style {
            TicketStyle::Random => format!("ST-{}", random_alphanumeric(TICKET_RANDOM_LEN)),
            TicketStyle::Counter => format!("ST-{:06}", inner.issued),
        };
        let ticket = ServiceTicket {
            service: service.to_owned(),
            grant,
            expires: now + SERVICE_TICKET_TTL,
            consumed: false,
        };
        inner.tickets.insert(id.clone(), ticket);
        id
    }

    /// Validates a service ticket for `service`. With `consume`, the ticket is gone afterwards
    /// whatever the outcome, as the protocol requires; without it (the `cas-ticket-reuse`
    /// defect), a ticket that validated can be presented again — a failed attempt still spends
    /// it, so the defect stays the one flaw of forgetting to delete a used ticket.
    pub(crate) fn validate(
        &self,
        ticket: &str,
        service: &str,
        renew: bool,
        consume: bool,
        now: Instant,
    ) -> Result<Grant, Rejection> {
        let mut inner = self.lock();
        let stored = inner.tickets.get_mut(ticket).ok_or(Rejection::Unknown)?;
        if stored.consumed {
            return Err(Rejection::Consumed);
        }
        let outcome = if now >= stored.expires {
            Err(Rejection::Expired)
        } else if stored.service != service {
            Err(Rejection::WrongService(stored.service.clone()))
        } else if renew && !stored.grant.from_new_login {
            Err(Rejection::NotFromNewLogin)
        } else {
            Ok(stored.grant.clone())
        };
        stored.consumed = consume || outcome.is_err();
        outcome
    }

    /// The service `ticket` was issued for, if it is known. Only the `cas-ticket-any-service`
    /// defect asks, to validate a ticket as if the right service had been presented.
    pub(crate) fn issued_for(&self, ticket: &str) -> Option<String> {
        self.lock().tickets.get(ticket).map(|t| t.service.clone())
    }

    /// Issues the one-time `execution` value of a new login form.
    pub(crate) fn issue_execution(&self, now: Instant) -> String {
        let id = random_alphanumeric(EXECUTION_LEN);
        let mut inner = self.lock();
        inner.executions.retain(|_, expires| *expires > now);
        inner.executions.insert(id.clone(), now + EXECUTION_TTL);
        id
    }

    /// Spends an `execution` value: true once if it was issued and is still fresh.
    pub(crate) fn redeem_execution(&self, execution: &str, now: Instant) -> bool {
        self.lock()
            .executions
            .remove(execution)
            .is_some_and(|expires| expires > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICE: &str = "https://127.0.0.1:8443/service/";

    fn grant(from_new_login: bool) -> Grant {
        Grant {
            username: "lea.martin".to_owned(),
            authenticated_at: OffsetDateTime::UNIX_EPOCH,
            from_new_login,
        }
    }

    #[test]
    fn random_tickets_are_long_and_use_the_protocol_charset() {
        let store = TicketStore::default();
        let ticket =
            store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, Instant::now());
        let random = ticket.strip_prefix("ST-").expect("ST- prefix");
        assert_eq!(random.len(), TICKET_RANDOM_LEN);
        assert!(
            random
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        );
    }

    #[test]
    fn counter_tickets_are_six_digits() {
        let store = TicketStore::default();
        let now = Instant::now();
        assert_eq!(
            store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Counter, now),
            "ST-000001"
        );
        assert_eq!(
            store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Counter, now),
            "ST-000002"
        );
    }

    #[test]
    fn a_ticket_validates_once() {
        let store = TicketStore::default();
        let now = Instant::now();
        let ticket = store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, now);
        assert_eq!(
            store.validate(&ticket, SERVICE, false, true, now),
            Ok(grant(true))
        );
        assert_eq!(
            store.validate(&ticket, SERVICE, false, true, now),
            Err(Rejection::Consumed)
        );
        assert_eq!(
            store.validate("ST-never-issued", SERVICE, false, true, now),
            Err(Rejection::Unknown)
        );
    }

    #[test]
    fn without_consume_a_ticket_validates_again() {
        let store = TicketStore::default();
        let now = Instant::now();
        let ticket = store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, now);
        assert!(store.validate(&ticket, SERVICE, false, false, now).is_ok());
        assert!(store.validate(&ticket, SERVICE, false, false, now).is_ok());
        assert!(
            store
                .validate(&ticket, "https://other/", false, false, now)
                .is_err()
        );
        assert_eq!(
            store.validate(&ticket, SERVICE, false, false, now),
            Err(Rejection::Consumed)
        );
    }

    #[test]
    fn a_ticket_expires_after_its_ttl() {
        let store = TicketStore::default();
        let now = Instant::now();
        let ticket = store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, now);
        let later = now + SERVICE_TICKET_TTL;
        assert_eq!(
            store.validate(&ticket, SERVICE, false, true, later),
            Err(Rejection::Expired)
        );
    }

    #[test]
    fn a_ticket_for_another_service_is_refused_and_consumed() {
        let store = TicketStore::default();
        let now = Instant::now();
        let ticket = store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, now);
        let other = "https://127.0.0.1:8443/autre/";
        assert_eq!(
            store.validate(&ticket, other, false, true, now),
            Err(Rejection::WrongService(SERVICE.to_owned()))
        );
        assert_eq!(
            store.validate(&ticket, SERVICE, false, true, now),
            Err(Rejection::Consumed)
        );
    }

    #[test]
    fn renew_refuses_tickets_from_sso() {
        let store = TicketStore::default();
        let now = Instant::now();
        let sso = store.issue_service_ticket(SERVICE, grant(false), TicketStyle::Random, now);
        assert_eq!(
            store.validate(&sso, SERVICE, true, true, now),
            Err(Rejection::NotFromNewLogin)
        );
        let typed = store.issue_service_ticket(SERVICE, grant(true), TicketStyle::Random, now);
        assert!(store.validate(&typed, SERVICE, true, true, now).is_ok());
    }

    #[test]
    fn sessions_give_sso_grants_until_ended_or_expired() {
        let store = TicketStore::default();
        let now = Instant::now();
        let (tgt, typed) = store.start_session("lea.martin", now);
        assert!(tgt.starts_with("TGT-"));
        assert!(typed.from_new_login);
        let sso = store.session_grant(&tgt, now).expect("live session");
        assert_eq!(
            (sso.username.as_str(), sso.from_new_login),
            ("lea.martin", false)
        );
        assert!(store.session_grant(&tgt, now + SESSION_TTL).is_none());
        store.end_session(&tgt);
        assert!(store.session_grant(&tgt, now).is_none());
    }

    #[test]
    fn executions_are_single_use_and_expire() {
        let store = TicketStore::default();
        let now = Instant::now();
        let first = store.issue_execution(now);
        assert!(store.redeem_execution(&first, now));
        assert!(!store.redeem_execution(&first, now));
        let second = store.issue_execution(now);
        assert!(!store.redeem_execution(&second, now + EXECUTION_TTL));
        assert!(!store.redeem_execution("forged", now));
    }
}
