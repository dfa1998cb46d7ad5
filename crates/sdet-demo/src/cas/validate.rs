//! Service ticket validation: `/validate` (CAS 1.0), `/serviceValidate` and `/proxyValidate`
//! (CAS 2.0), `/p3/serviceValidate` and `/p3/proxyValidate` (CAS 3.0).
//!
//! One function, [`check`], decides every outcome; the endpoints differ only in the tickets they
//! accept and in how they write the answer. This server issues no proxy-granting tickets, so a
//! `pgtUrl` is refused and the proxy endpoints only ever meet service tickets. Only CAS 3.0
//! endpoints release attributes: the SDET identity vector after the three the schema requires.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::{OffsetDateTime, UtcOffset};

use super::xml::{self, FailureCode};
use crate::defect::Defect;
use crate::directory::Person;
use crate::state::Ent;
use crate::tickets::{Grant, Rejection};

/// The parameters of every validation endpoint (CAS protocol §2.4.1, §2.5.1).
#[derive(Debug, Deserialize)]
pub(crate) struct ValidationQuery {
    service: Option<String>,
    ticket: Option<String>,
    renew: Option<String>,
    #[serde(rename = "pgtUrl")]
    pgt_url: Option<String>,
    format: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Validate,
    ServiceValidate,
    ProxyValidate,
    P3ServiceValidate,
    P3ProxyValidate,
}

impl Endpoint {
    fn accepts_proxy_tickets(self) -> bool {
        matches!(self, Endpoint::ProxyValidate | Endpoint::P3ProxyValidate)
    }

    fn releases_attributes(self) -> bool {
        matches!(
            self,
            Endpoint::P3ServiceValidate | Endpoint::P3ProxyValidate
        )
    }
}

/// A validation failure: its protocol code and the explanation the protocol recommends.
#[derive(Debug)]
struct Failure {
    code: FailureCode,
    message: String,
}

fn failure(code: FailureCode, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
    }
}

/// `GET /cas/validate`: `yes\n<user>\n` or `no\n`, in plain text.
pub(crate) async fn validate(
    State(ent): State<Arc<Ent>>,
    Query(query): Query<ValidationQuery>,
) -> Response {
    // CAS 1.0 has neither proxying nor formats: ignore those parameters if a client sends them.
    let query = ValidationQuery {
        pgt_url: None,
        format: None,
        ..query
    };
    let outcome = check(&ent, Endpoint::Validate, &query, Instant::now())
        .and_then(|grant| subject(&ent, &grant));
    let body = match outcome {
        Ok(person) => format!("yes\n{}\n", person.username),
        Err(_) => "no\n".to_owned(),
    };
    ([(CONTENT_TYPE, "text/plain;charset=UTF-8")], body).into_response()
}

/// `GET /cas/serviceValidate`.
pub(crate) async fn service_validate(
    state: State<Arc<Ent>>,
    query: Query<ValidationQuery>,
) -> Response {
    respond(&state, Endpoint::ServiceValidate, &query)
}

/// `GET /cas/proxyValidate`.
pub(crate) async fn proxy_validate(
    state: State<Arc<Ent>>,
    query: Query<ValidationQuery>,
) -> Response {
    respond(&state, Endpoint::ProxyValidate, &query)
}

/// `GET /cas/p3/serviceValidate`.
pub(crate) async fn p3_service_validate(
    state: State<Arc<Ent>>,
    query: Query<ValidationQuery>,
) -> Response {
    respond(&state, Endpoint::P3ServiceValidate, &query)
}

/// `GET /cas/p3/proxyValidate`.
pub(crate) async fn p3_proxy_validate(
    state: State<Arc<Ent>>,
    query: Query<ValidationQuery>,
) -> Response {
    respond(&state, Endpoint::P3ProxyValidate, &query)
}

/// The XML answer of a CAS 2.0 or 3.0 endpoint. Failures are HTTP 200 too, as on real servers:
/// the protocol outcome is in the document.
fn respond(ent: &Ent, endpoint: Endpoint, query: &ValidationQuery) -> Response {
    let outcome = check(ent, endpoint, query, Instant::now()).and_then(|grant| {
        let person = subject(ent, &grant)?;
        let released = endpoint.releases_attributes() && !ent.has(Defect::CasNoAttributes);
        let attributes = if released {
            attributes(ent, person, &grant)
        } else {
            Vec::new()
        };
        Ok(xml::success(person.username, &attributes))
    });
    let body = outcome.unwrap_or_else(|f| xml::failure(f.code, &f.message));
    ([(CONTENT_TYPE, xml::CONTENT_TYPE)], body).into_response()
}

/// Decides a validation request. Consumes the ticket (unless `cas-ticket-reuse`) whatever the
/// outcome once the request is well-formed.
fn check(
    ent: &Ent,
    endpoint: Endpoint,
    query: &ValidationQuery,
    now: Instant,
) -> Result<Grant, Failure> {
    let non_empty = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let (Some(service), Some(ticket)) = (non_empty(&query.service), non_empty(&query.ticket))
    else {
        return Err(failure(
            FailureCode::InvalidRequest,
            "'service' and 'ticket' parameters are both required",
        ));
    };
    if let Some(format) = non_empty(&query.format)
        && !format.eq_ignore_ascii_case("XML")
    {
        let message = format!("Format '{format}' is not supported: this server answers in XML");
        return Err(failure(FailureCode::InvalidRequest, message));
    }
    check_ticket_spec(&ticket, endpoint)?;

    // The defect: the service the client names is replaced by the one the ticket was issued for.
    let service = match ent.tickets.issued_for(&ticket) {
        Some(issued) if ent.has(Defect::CasTicketAnyService) => issued,
        _ => service,
    };
    let renew = super::is_set(query.renew.as_deref());
    let consume = !ent.has(Defect::CasTicketReuse);
    let grant = match ent.tickets.validate(&ticket, &service, renew, consume, now) {
        Ok(grant) => grant,
        // The defect: a ticket this server never issued passes, for the pupil.
        Err(Rejection::Unknown)
            if ent.has(Defect::CasAcceptAnyTicket) && ticket.starts_with("ST-") =>
        {
            pupil_grant(ent)
        }
        Err(rejection) => return Err(rejected(&ticket, &service, &rejection)),
    };
    if query.pgt_url.is_some() {
        // The ticket is spent, and the whole validation fails (protocol §2.5.4, step 1).
        let message =
            format!("Service '{service}' is not authorized to use CAS proxy authentication");
        return Err(failure(FailureCode::UnauthorizedServiceProxy, message));
    }
    Ok(grant)
}

/// What `cas-accept-any-ticket` makes of an invented ticket: a fresh login by the pupil.
fn pupil_grant(ent: &Ent) -> Grant {
    Grant {
        username: ent.directory.pupil().username.to_owned(),
        authenticated_at: OffsetDateTime::now_utc(),
        from_new_login: true,
    }
}

/// Refuses what is not a ticket this endpoint may validate, before looking it up: CAS tickets use
/// only `A-Z a-z 0-9 -` (§3.7), and `/serviceValidate` must never accept a proxy ticket (§2.5).
fn check_ticket_spec(ticket: &str, endpoint: Endpoint) -> Result<(), Failure> {
    let charset_ok = ticket
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let looks_like = |prefix: &str| charset_ok && ticket.starts_with(prefix);
    if looks_like("ST-") || (endpoint.accepts_proxy_tickets() && looks_like("PT-")) {
        return Ok(());
    }
    let message = if looks_like("PT-") {
        format!("Ticket '{ticket}' is a proxy ticket: validate it at proxyValidate")
    } else {
        format!("'{ticket}' is not a CAS ticket (ST- then only A-Z, a-z, 0-9 and '-')")
    };
    Err(failure(FailureCode::InvalidTicketSpec, message))
}

fn rejected(ticket: &str, service: &str, rejection: &Rejection) -> Failure {
    let (code, message) = match rejection {
        Rejection::Unknown => (
            FailureCode::InvalidTicket,
            format!("Ticket '{ticket}' not recognized"),
        ),
        Rejection::Consumed => (
            FailureCode::InvalidTicket,
            format!("Ticket '{ticket}' has already been used"),
        ),
        Rejection::Expired => (
            FailureCode::InvalidTicket,
            format!("Ticket '{ticket}' has expired"),
        ),
        Rejection::NotFromNewLogin => (
            FailureCode::InvalidTicket,
            format!(
                "Ticket '{ticket}' comes from a single sign-on session but renew asks for a new login"
            ),
        ),
        Rejection::WrongService(_) => (
            FailureCode::InvalidService,
            format!("Ticket '{ticket}' was not issued for service '{service}'"),
        ),
    };
    failure(code, message)
}

/// The account a grant names, or with `cas-wrong-user` someone else's.
fn subject<'a>(ent: &'a Ent, grant: &Grant) -> Result<&'a Person, Failure> {
    if ent.has(Defect::CasWrongUser) {
        return Ok(ent.directory.someone_else(&grant.username));
    }
    ent.directory.person(&grant.username).ok_or_else(|| {
        let message = format!("No account '{}' in the directory", grant.username);
        failure(FailureCode::InternalError, message)
    })
}

/// The CAS 3.0 attributes: the three appendix A requires, then the SDET identity vector.
fn attributes(ent: &Ent, person: &Person, grant: &Grant) -> Vec<(&'static str, String)> {
    let mut attributes = vec![
        ("authenticationDate", xs_date_time(grant.authenticated_at)),
        // This server has no "remember me", so no long-term token is ever used.
        ("longTermAuthenticationRequestTokenUsed", "false".to_owned()),
        ("isFromNewLogin", grant.from_new_login.to_string()),
    ];
    let local_codes = ent.has(Defect::CasLocalProfileCodes);
    attributes.extend(
        ent.directory
            .identity_vector(person)
            .into_iter()
            .map(|(name, value)| match name {
                "ENTPersonProfils" if local_codes => (name, person.profile.local_code().to_owned()),
                _ => (name, value),
            }),
    );
    attributes
}

/// An `xs:dateTime` in UTC to the second, e.g. `2025-09-01T08:30:00Z`. Written by hand because
/// it cannot fail, unlike the general-purpose formatters.
fn xs_date_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_are_utc_xs_date_times() {
        assert_eq!(
            xs_date_time(datetime!(2025-09-01 10:30:05 +02:00)),
            "2025-09-01T08:30:05Z"
        );
    }

    #[test]
    fn ticket_spec_accepts_service_tickets_everywhere_and_proxy_tickets_on_proxy_endpoints() {
        assert!(check_ticket_spec("ST-abc-123", Endpoint::ServiceValidate).is_ok());
        assert!(check_ticket_spec("PT-abc", Endpoint::P3ProxyValidate).is_ok());
        for (ticket, endpoint) in [
            ("PT-abc", Endpoint::ServiceValidate),
            ("PT-abc", Endpoint::Validate),
            ("ST-a_b", Endpoint::ServiceValidate),
            ("TGT-abc", Endpoint::ProxyValidate),
            ("abc", Endpoint::P3ServiceValidate),
        ] {
            let refused = check_ticket_spec(ticket, endpoint).expect_err(ticket);
            assert_eq!(refused.code, FailureCode::InvalidTicketSpec, "{ticket}");
        }
    }
}
