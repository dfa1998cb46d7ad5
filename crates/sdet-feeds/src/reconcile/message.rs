//! The LDAP messages of reading a directory (RFC 4511): a simple bind, a paged subtree search
//! (RFC 2696) and an unbind written; the answers to them read in place ([`Answer`]). Nothing else
//! is asked, so nothing else is understood: any other answer is a protocol error.

use std::fmt;

use super::ber::{self, Elements, Malformed};
use super::entry::Entry;

/// RFC 2696's simple paged results control.
const PAGED_RESULTS: &[u8] = b"1.2.840.113556.1.4.319";

/// Protocol operations (RFC 4511 §4.2 – §4.13), as their one-byte tags.
mod op {
    pub const BIND_REQUEST: u8 = 0x60;
    pub const BIND_RESPONSE: u8 = 0x61;
    pub const UNBIND_REQUEST: u8 = 0x42;
    pub const SEARCH_REQUEST: u8 = 0x63;
    pub const SEARCH_ENTRY: u8 = 0x64;
    pub const SEARCH_DONE: u8 = 0x65;
    pub const SEARCH_REFERENCE: u8 = 0x73;
    pub const EXTENDED_RESPONSE: u8 = 0x78;
    pub const INTERMEDIATE_RESPONSE: u8 = 0x79;
    /// `controls [0] Controls` after the operation.
    pub const CONTROLS: u8 = 0xa0;
}

/// The filters the directory is read with: the two searches need no more than these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filter {
    /// `(attribute=value)`.
    Equal(&'static str, &'static str),
    /// `(attribute=*)`.
    Present(&'static str),
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Equal(attribute, value) => write!(f, "({attribute}={value})"),
            Filter::Present(attribute) => write!(f, "({attribute}=*)"),
        }
    }
}

/// `LDAPMessage ::= SEQUENCE { messageID, protocolOp, controls [0] OPTIONAL }`.
fn message(id: i32, fill: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut out = Vec::new();
    ber::nest(&mut out, ber::SEQUENCE, |m| {
        ber::put_integer(m, ber::INTEGER, i64::from(id));
        fill(m);
    });
    out
}

/// A simple bind, LDAPv3.
pub(super) fn bind(id: i32, dn: &str, password: &str) -> Vec<u8> {
    message(id, |m| {
        ber::nest(m, op::BIND_REQUEST, |b| {
            ber::put_integer(b, ber::INTEGER, 3);
            ber::put(b, ber::OCTET_STRING, dn.as_bytes());
            // AuthenticationChoice `simple [0] OCTET STRING`.
            ber::put(b, 0x80, password.as_bytes());
        });
    })
}

/// One page of a subtree search, never following aliases, no size or time limit of its own
/// (the server's apply; paging keeps every page under them).
pub(super) fn search(
    id: i32,
    base: &str,
    filter: Filter,
    attributes: &[&str],
    page_size: i32,
    cookie: &[u8],
) -> Vec<u8> {
    message(id, |m| {
        ber::nest(m, op::SEARCH_REQUEST, |s| {
            ber::put(s, ber::OCTET_STRING, base.as_bytes());
            ber::put_integer(s, ber::ENUMERATED, 2); // wholeSubtree
            ber::put_integer(s, ber::ENUMERATED, 0); // neverDerefAliases
            ber::put_integer(s, ber::INTEGER, 0); // sizeLimit
            ber::put_integer(s, ber::INTEGER, 0); // timeLimit
            ber::put(s, ber::BOOLEAN, &[0]); // typesOnly
            match filter {
                // equalityMatch [3] AttributeValueAssertion
                Filter::Equal(attribute, value) => ber::nest(s, 0xa3, |f| {
                    ber::put(f, ber::OCTET_STRING, attribute.as_bytes());
                    ber::put(f, ber::OCTET_STRING, value.as_bytes());
                }),
                // present [7] AttributeDescription
                Filter::Present(attribute) => ber::put(s, 0x87, attribute.as_bytes()),
            }
            ber::nest(s, ber::SEQUENCE, |a| {
                for attribute in attributes {
                    ber::put(a, ber::OCTET_STRING, attribute.as_bytes());
                }
            });
        });
        ber::nest(m, op::CONTROLS, |c| {
            ber::nest(c, ber::SEQUENCE, |control| {
                ber::put(control, ber::OCTET_STRING, PAGED_RESULTS);
                // Not critical, as `ldapsearch -E pr=…` sends it: a server without paging
                // answers in one go, or says its size limit was exceeded (an error here).
                let mut value = Vec::new();
                ber::nest(&mut value, ber::SEQUENCE, |v| {
                    ber::put_integer(v, ber::INTEGER, i64::from(page_size));
                    ber::put(v, ber::OCTET_STRING, cookie);
                });
                ber::put(control, ber::OCTET_STRING, &value);
            });
        });
    })
}

/// The end of the session.
pub(super) fn unbind(id: i32) -> Vec<u8> {
    message(id, |m| ber::put(m, op::UNBIND_REQUEST, &[]))
}

/// A server's `LDAPResult`: its code, matched DN and diagnostic message, kept (owned) for the
/// error that reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub code: i64,
    pub matched: String,
    pub text: String,
}

impl Outcome {
    fn read(content: &[u8]) -> Result<Outcome, Malformed> {
        let mut parts = Elements::of(content);
        let code = ber::integer(parts.expect(ber::ENUMERATED)?)?;
        let matched = String::from_utf8_lossy(parts.expect(ber::OCTET_STRING)?).into_owned();
        let text = String::from_utf8_lossy(parts.expect(ber::OCTET_STRING)?).into_owned();
        Ok(Outcome {
            code,
            matched,
            text,
        })
    }

    /// `success`.
    pub(super) fn is_success(&self) -> bool {
        self.code == 0
    }
}

/// As `ldap3` and OpenLDAP's tools show a result: `rc=49 (invalidCredentials), dn: "", text: ""`.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "rc={} ({}), dn: \"{}\", text: \"{}\"",
            self.code,
            result_name(self.code),
            self.matched,
            self.text
        )
    }
}

/// The names RFC 4511 §4.1.9 (and RFC 4370, 3909, 4528) give result codes.
fn result_name(code: i64) -> &'static str {
    match code {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        3 => "timeLimitExceeded",
        4 => "sizeLimitExceeded",
        5 => "compareFalse",
        6 => "compareTrue",
        7 => "authMethodNotSupported",
        8 => "strongerAuthRequired",
        10 => "referral",
        11 => "adminLimitExceeded",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        14 => "saslBindInProgress",
        16 => "noSuchAttribute",
        17 => "undefinedAttributeType",
        18 => "inappropriateMatching",
        19 => "constraintViolation",
        20 => "attributeOrValueExists",
        21 => "invalidAttributeSyntax",
        32 => "noSuchObject",
        33 => "aliasProblem",
        34 => "invalidDNSyntax",
        36 => "aliasDereferencingProblem",
        48 => "inappropriateAuthentication",
        49 => "invalidCredentials",
        50 => "insufficientAccessRights",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        54 => "loopDetect",
        64 => "namingViolation",
        65 => "objectClassViolation",
        66 => "notAllowedOnNonLeaf",
        67 => "notAllowedOnRDN",
        68 => "entryAlreadyExists",
        69 => "objectClassModsProhibited",
        71 => "affectsMultipleDSAs",
        80 => "other",
        118 => "canceled",
        122 => "assertionFailed",
        123 => "authorizationDenied",
        _ => "unknown",
    }
}

/// One answer of the server, borrowed from its bytes.
#[derive(Debug)]
pub(super) enum Answer<'a> {
    /// `BindResponse`, to a bind only.
    Bound(Outcome),
    /// `SearchResultEntry`.
    Entry(Entry<'a>),
    /// `SearchResultReference` or `IntermediateResponse`: nothing the reading needs. References
    /// point to other servers, which the audit's account is not for; `ldap3` skipped them too.
    Aside,
    /// `SearchResultDone`, with the paged results cookie if the control came back.
    Done {
        outcome: Outcome,
        cookie: Option<&'a [u8]>,
    },
    /// An unsolicited notification (message ID 0, RFC 4511 §4.4), e.g. the server's notice of
    /// disconnection: the session is over.
    Notice(Outcome),
}

impl Answer<'_> {
    /// The operation's tag, to name an answer that came where it should not.
    pub(super) fn operation(&self) -> u8 {
        match self {
            Answer::Bound(_) => op::BIND_RESPONSE,
            Answer::Entry(_) => op::SEARCH_ENTRY,
            Answer::Aside => op::SEARCH_REFERENCE,
            Answer::Done { .. } => op::SEARCH_DONE,
            Answer::Notice(_) => op::EXTENDED_RESPONSE,
        }
    }
}

/// What can be wrong with an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum AnswerError {
    /// Its BER is malformed.
    #[error("malformed LDAP message: {0}")]
    Ber(#[from] Malformed),
    /// It answers another request than the one in flight.
    #[error("an answer to message {found} while message {wanted} was in flight")]
    OtherMessage { found: i64, wanted: i32 },
    /// An operation that was not asked for.
    #[error("an unexpected operation (tag {0:#04x})")]
    Operation(u8),
    /// An entry that is not shaped as RFC 4511 says.
    #[error("{0}")]
    Entry(#[from] super::entry::Malformed),
}

/// What the request in flight was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Asked {
    Bind,
    Search,
}

/// Reads one whole message (`bytes` hold exactly one `LDAPMessage`) answering request `wanted`,
/// which `asked` for a bind or a search: any other answer is an error.
pub(super) fn read(bytes: &[u8], wanted: i32, asked: Asked) -> Result<Answer<'_>, AnswerError> {
    let mut outer = Elements::of(bytes);
    let mut message = Elements::of(outer.expect(ber::SEQUENCE)?);
    let id = ber::integer(message.expect(ber::INTEGER)?)?;
    let operation = message.next()?.ok_or(Malformed::Truncated)?;
    if id == 0 && operation.tag == op::EXTENDED_RESPONSE {
        return Ok(Answer::Notice(Outcome::read(operation.content)?));
    }
    if id != i64::from(wanted) {
        return Err(AnswerError::OtherMessage { found: id, wanted });
    }
    Ok(match (asked, operation.tag) {
        (Asked::Bind, op::BIND_RESPONSE) => Answer::Bound(Outcome::read(operation.content)?),
        (Asked::Search, op::SEARCH_ENTRY) => Answer::Entry(Entry::read(operation.content)?),
        (Asked::Search, op::SEARCH_REFERENCE | op::INTERMEDIATE_RESPONSE) => Answer::Aside,
        (Asked::Search, op::SEARCH_DONE) => Answer::Done {
            outcome: Outcome::read(operation.content)?,
            cookie: match message.optional(op::CONTROLS)? {
                Some(controls) => paged_cookie(controls)?,
                None => None,
            },
        },
        (_, other) => return Err(AnswerError::Operation(other)),
    })
}

/// The cookie of the paged results control among `controls`, if it is there.
fn paged_cookie(controls: &[u8]) -> Result<Option<&[u8]>, Malformed> {
    let mut controls = Elements::of(controls);
    while let Some(control) = controls.next()? {
        if control.tag != ber::SEQUENCE {
            return Err(Malformed::Unexpected {
                found: control.tag,
                wanted: ber::SEQUENCE,
            });
        }
        let mut parts = Elements::of(control.content);
        if parts.expect(ber::OCTET_STRING)? != PAGED_RESULTS {
            continue;
        }
        parts.optional(ber::BOOLEAN)?;
        let value = parts.expect(ber::OCTET_STRING)?;
        let mut value = Elements::of(Elements::of(value).expect(ber::SEQUENCE)?);
        value.expect(ber::INTEGER)?;
        return Ok(Some(value.expect(ber::OCTET_STRING)?));
    }
    Ok(None)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A server's answer, as bytes.
    pub(in super::super) fn answer(id: i32, op: u8, content: &[u8], controls: &[u8]) -> Vec<u8> {
        message(id, |m| {
            ber::put(m, op, content);
            if !controls.is_empty() {
                ber::put(m, 0xa0, controls);
            }
        })
    }

    /// An `LDAPResult` content.
    pub(in super::super) fn result(code: i64, text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        ber::put_integer(&mut out, ber::ENUMERATED, code);
        ber::put(&mut out, ber::OCTET_STRING, b"");
        ber::put(&mut out, ber::OCTET_STRING, text.as_bytes());
        out
    }

    /// The paged results control with `cookie`, as a server sends it.
    pub(in super::super) fn paged(cookie: &[u8]) -> Vec<u8> {
        let mut value = Vec::new();
        ber::nest(&mut value, ber::SEQUENCE, |v| {
            ber::put_integer(v, ber::INTEGER, 0);
            ber::put(v, ber::OCTET_STRING, cookie);
        });
        let mut out = Vec::new();
        ber::nest(&mut out, ber::SEQUENCE, |c| {
            ber::put(c, ber::OCTET_STRING, PAGED_RESULTS);
            ber::put(c, ber::OCTET_STRING, &value);
        });
        out
    }

    #[test]
    fn a_search_request_is_the_bytes_rfc_4511_describes() {
        let bytes = search(
            2,
            "dc=x",
            Filter::Present("ENTPersonJointure"),
            &["cn"],
            500,
            b"",
        );
        // Read back with the reader: message 2, a search of dc=x, subtree, the present filter,
        // one attribute, then the paged control asking for 500.
        let mut outer = Elements::of(&bytes);
        let mut message = Elements::of(outer.expect(ber::SEQUENCE).unwrap());
        assert_eq!(ber::integer(message.expect(ber::INTEGER).unwrap()), Ok(2));
        let mut request = Elements::of(message.expect(op::SEARCH_REQUEST).unwrap());
        assert_eq!(request.expect(ber::OCTET_STRING), Ok(&b"dc=x"[..]));
        assert_eq!(request.expect(ber::ENUMERATED), Ok(&[2u8][..]));
        assert_eq!(request.expect(ber::ENUMERATED), Ok(&[0u8][..]));
        assert_eq!(request.expect(ber::INTEGER), Ok(&[0u8][..]));
        assert_eq!(request.expect(ber::INTEGER), Ok(&[0u8][..]));
        assert_eq!(request.expect(ber::BOOLEAN), Ok(&[0u8][..]));
        assert_eq!(request.expect(0x87), Ok(&b"ENTPersonJointure"[..]));
        let attributes = request.expect(ber::SEQUENCE).unwrap();
        assert_eq!(
            Elements::of(attributes).expect(ber::OCTET_STRING),
            Ok(&b"cn"[..])
        );
        let controls = message.expect(op::CONTROLS).unwrap();
        let mut control = Elements::of(Elements::of(controls).expect(ber::SEQUENCE).unwrap());
        assert_eq!(control.expect(ber::OCTET_STRING), Ok(PAGED_RESULTS));
        let value = control.expect(ber::OCTET_STRING).unwrap();
        let mut value = Elements::of(Elements::of(value).expect(ber::SEQUENCE).unwrap());
        assert_eq!(ber::integer(value.expect(ber::INTEGER).unwrap()), Ok(500));
        assert_eq!(value.expect(ber::OCTET_STRING), Ok(&b""[..]));
    }

    #[test]
    fn filters_are_shown_as_rfc_4515_writes_them() {
        assert_eq!(
            Filter::Equal("objectClass", "ENTStructure").to_string(),
            "(objectClass=ENTStructure)"
        );
        assert_eq!(Filter::Present("uid").to_string(), "(uid=*)");
    }

    #[test]
    fn a_search_done_gives_its_outcome_and_cookie() {
        let bytes = answer(3, op::SEARCH_DONE, &result(0, ""), &paged(b"next"));
        match read(&bytes, 3, Asked::Search) {
            Ok(Answer::Done { outcome, cookie }) => {
                assert!(outcome.is_success());
                assert_eq!(cookie, Some(&b"next"[..]));
            }
            other => panic!("{other:?}"),
        }
        let bytes = answer(3, op::SEARCH_DONE, &result(32, "no such object"), &[]);
        match read(&bytes, 3, Asked::Search) {
            Ok(Answer::Done { outcome, cookie }) => {
                assert_eq!(
                    outcome.to_string(),
                    r#"rc=32 (noSuchObject), dn: "", text: "no such object""#
                );
                assert_eq!(cookie, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn answers_to_other_requests_and_unasked_operations_are_errors() {
        let bytes = answer(4, op::SEARCH_DONE, &result(0, ""), &[]);
        assert_eq!(
            read(&bytes, 3, Asked::Search).unwrap_err(),
            AnswerError::OtherMessage {
                found: 4,
                wanted: 3
            }
        );
        let bytes = answer(3, 0x67, &result(0, ""), &[]); // ModifyResponse
        assert_eq!(
            read(&bytes, 3, Asked::Search).unwrap_err(),
            AnswerError::Operation(0x67)
        );
        let notice = answer(0, op::EXTENDED_RESPONSE, &result(52, "shutting down"), &[]);
        assert!(matches!(read(&notice, 3, Asked::Search), Ok(Answer::Notice(o)) if o.code == 52));
        let bound = answer(3, op::BIND_RESPONSE, &result(0, ""), &[]);
        assert_eq!(
            read(&bound, 3, Asked::Search).unwrap_err(),
            AnswerError::Operation(op::BIND_RESPONSE)
        );
        assert!(matches!(read(&bound, 3, Asked::Bind), Ok(Answer::Bound(o)) if o.is_success()));
        let entry = answer(
            3,
            op::SEARCH_ENTRY,
            &super::super::entry::raw("cn=a", &[]),
            &[],
        );
        assert_eq!(
            read(&entry, 3, Asked::Bind).unwrap_err(),
            AnswerError::Operation(op::SEARCH_ENTRY)
        );
        let reference = answer(3, op::SEARCH_REFERENCE, b"", &[]);
        assert!(matches!(
            read(&reference, 3, Asked::Search),
            Ok(Answer::Aside)
        ));
    }

    #[test]
    fn truncated_or_garbled_answers_are_errors_not_panics() {
        let whole = answer(3, op::SEARCH_DONE, &result(0, ""), &paged(b"c"));
        for cut in 0..whole.len() {
            // A message cut anywhere, its outer length fixed up so only the inside is short.
            let mut bytes = whole[..cut].to_vec();
            if bytes.len() >= 2 {
                bytes[1] = u8::try_from(bytes.len() - 2).expect("a short message");
            }
            let _ = read(&bytes, 3, Asked::Search);
        }
        for flip in 0..whole.len() {
            let mut bytes = whole.clone();
            bytes[flip] ^= 0xff;
            let _ = read(&bytes, 3, Asked::Search);
        }
    }
}
