//! The XML documents of CAS 2.0/3.0 ticket validation (`cas:serviceResponse`).
//!
//! The shapes follow the CAS protocol specification and its appendix A schema: a success names
//! `cas:user` and, for CAS 3.0, `cas:attributes` starting with the three attributes the schema
//! requires; a failure is one `cas:authenticationFailure` whose text explains its `code`. Values
//! come from users and requests, so all text is escaped.

use std::fmt::Write as _;

use quick_xml::escape::partial_escape;

/// The CAS namespace.
pub(crate) const NAMESPACE: &str = "http://www.yale.edu/tp/cas";

/// The content type of validation responses, as Apereo CAS sends it.
pub(crate) const CONTENT_TYPE: &str = "application/xml;charset=UTF-8";

/// The validation error codes of CAS protocol §2.5.3 that this server uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureCode {
    /// A required parameter is missing, or a parameter has an unsupported value.
    InvalidRequest,
    /// The ticket does not meet the validation specification (e.g. a proxy ticket on
    /// `/serviceValidate`, or a value that is not a CAS ticket at all).
    InvalidTicketSpec,
    /// The service may not use proxy authentication (a `pgtUrl` was given).
    UnauthorizedServiceProxy,
    /// Unknown, expired or already used ticket, or `renew` not satisfied.
    InvalidTicket,
    /// The ticket was issued for another service.
    InvalidService,
    /// The server failed.
    InternalError,
}

impl FailureCode {
    /// The code as written in the `code` attribute.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FailureCode::InvalidRequest => "INVALID_REQUEST",
            FailureCode::InvalidTicketSpec => "INVALID_TICKET_SPEC",
            FailureCode::UnauthorizedServiceProxy => "UNAUTHORIZED_SERVICE_PROXY",
            FailureCode::InvalidTicket => "INVALID_TICKET",
            FailureCode::InvalidService => "INVALID_SERVICE",
            FailureCode::InternalError => "INTERNAL_ERROR",
        }
    }
}

/// A successful validation for `user`. `attributes` are (name, value) pairs in the CAS namespace,
/// names repeated for multi-valued attributes; with none, `cas:attributes` is left out (CAS 2.0).
pub(crate) fn success(user: &str, attributes: &[(&str, String)]) -> String {
    let attributes = if attributes.is_empty() {
        String::new()
    } else {
        let mut lines = String::new();
        for (name, value) in attributes {
            // Writing to a String cannot fail.
            let _ = writeln!(
                lines,
                "      <cas:{name}>{}</cas:{name}>",
                partial_escape(value)
            );
        }
        format!("    <cas:attributes>\n{lines}    </cas:attributes>\n")
    };
    format!(
        "<cas:serviceResponse xmlns:cas=\"{NAMESPACE}\">\n  <cas:authenticationSuccess>\n    \
         <cas:user>{}</cas:user>\n{attributes}  </cas:authenticationSuccess>\n</cas:serviceResponse>\n",
        partial_escape(user)
    )
}

/// A failed validation with its code and an explanation.
pub(crate) fn failure(code: FailureCode, message: &str) -> String {
    format!(
        "<cas:serviceResponse xmlns:cas=\"{NAMESPACE}\">\n  <cas:authenticationFailure code=\"{}\">{}</cas:authenticationFailure>\n</cas:serviceResponse>\n",
        code.as_str(),
        partial_escape(message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_without_attributes_is_cas2() {
        assert_eq!(
            success("lea.martin", &[]),
            "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  \
             <cas:authenticationSuccess>\n    <cas:user>lea.martin</cas:user>\n  \
             </cas:authenticationSuccess>\n</cas:serviceResponse>\n"
        );
    }

    #[test]
    fn attributes_are_listed_in_order_and_escaped() {
        let xml = success(
            "a&b",
            &[
                ("isFromNewLogin", "true".to_owned()),
                ("x", "<1>".to_owned()),
            ],
        );
        assert!(xml.contains("<cas:user>a&amp;b</cas:user>"));
        assert!(xml.contains(
            "    <cas:attributes>\n      <cas:isFromNewLogin>true</cas:isFromNewLogin>\n      \
             <cas:x>&lt;1&gt;</cas:x>\n    </cas:attributes>\n"
        ));
    }

    #[test]
    fn failure_escapes_its_message() {
        assert_eq!(
            failure(FailureCode::InvalidTicket, "Ticket <ST-1> not recognized"),
            "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n  \
             <cas:authenticationFailure code=\"INVALID_TICKET\">Ticket &lt;ST-1&gt; not recognized\
             </cas:authenticationFailure>\n</cas:serviceResponse>\n"
        );
    }
}
