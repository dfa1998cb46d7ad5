//! Redaction: secrets never reach a report or a log. Exchanges are redacted as they are recorded,
//! before anything else sees them: known secret values (passwords, user-declared values), CAS
//! tickets wherever they appear, credential-bearing headers and query parameters.

mod encodings;

/// Replaces secrets in text recorded as evidence.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

/// What a secret becomes.
pub const MASK: &str = "[REDACTED]";

/// Query parameters whose values are credentials or one-time tokens.
const SECRET_PARAMS: [&str; 11] = [
    "ticket",
    "password",
    "pass",
    "pgt",
    "pgtiou",
    "samlresponse",
    "samlart",
    "code",
    "id_token",
    "access_token",
    "execution",
];

/// Headers whose values are credentials.
const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
    "x-csrftoken",
];

/// CAS ticket prefixes (CAS protocol §3): service, proxy, proxy-granting, login and TGC tickets.
const TICKET_PREFIXES: [&str; 6] = ["ST-", "PT-", "PGT-", "PGTIOU-", "TGT-", "TGC-"];

impl Redactor {
    /// Adds a secret value to mask wherever it appears, in every form a server could echo it
    /// in (URL-encoded, HTML-escaped, base64: see `encodings`). Very short values are ignored:
    /// masking every "a" would destroy the evidence without protecting anything.
    pub fn add_secret(&mut self, secret: &str) {
        if secret.len() < 4 || self.secrets.iter().any(|s| s == secret) {
            return;
        }
        for form in encodings::forms(secret) {
            if !self.secrets.contains(&form) {
                self.secrets.push(form);
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Masks secrets, tickets and credential-bearing parameters in free text.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.secrets {
            out = out.replace(s.as_str(), MASK);
        }
        mask_token_members(&mask_saml_fields(&mask_tickets(&out)))
    }

    /// Masks the values of credential-bearing query parameters, then the rest as text.
    pub fn url(&self, url: &str) -> String {
        let Ok(mut parsed) = url::Url::parse(url) else {
            return self.text(url);
        };
        if parsed.query().is_some() {
            let pairs: Vec<(String, String)> = parsed
                .query_pairs()
                .map(|(k, v)| {
                    let secret = SECRET_PARAMS.contains(&k.to_ascii_lowercase().as_str());
                    (
                        k.into_owned(),
                        if secret {
                            MASK.to_string()
                        } else {
                            v.into_owned()
                        },
                    )
                })
                .collect();
            parsed.query_pairs_mut().clear().extend_pairs(pairs);
        }
        self.text(parsed.as_str()).replace("%5BREDACTED%5D", MASK)
    }

    /// A header as it may be recorded: cookie names kept (the flags are evidence), values masked.
    pub fn header(&self, name: &str, value: &str) -> String {
        let lower = name.to_ascii_lowercase();
        if lower == "set-cookie" {
            return mask_cookie_value(value);
        }
        if lower == "location" {
            return self.url(value);
        }
        if SECRET_HEADERS.contains(&lower.as_str()) {
            return MASK.to_string();
        }
        self.text(value)
    }
}

/// `TGC=abc; Secure` becomes `TGC=[REDACTED]; Secure`.
fn mask_cookie_value(value: &str) -> String {
    let (first, rest) = value
        .split_once(';')
        .map_or((value, None), |(a, b)| (a, Some(b)));
    let name = first.split_once('=').map_or(first, |(n, _)| n);
    match rest {
        Some(rest) => format!("{name}={MASK};{rest}"),
        None => format!("{name}={MASK}"),
    }
}

/// Form fields that carry a SAML protocol message: an assertion is a bearer credential.
const SAML_FIELDS: [&str; 3] = ["SAMLResponse", "SAMLRequest", "SAMLart"];

/// Masks the `value` of the HTML inputs named in [`SAML_FIELDS`] (the auto-submit form an IdP
/// answers with), up to the closing quote or, in a cut excerpt, to the end of the text.
fn mask_saml_fields(text: &str) -> String {
    let mut out = text.to_string();
    for field in SAML_FIELDS {
        let mut from = 0;
        while let Some(at) = out[from..].find(field).map(|i| i + from) {
            let after = at + field.len();
            // The value attribute follows the name within the same tag.
            let tag_end = out[after..].find('>').map_or(out.len(), |i| i + after);
            let Some(value) = out[after..tag_end].find("value=").map(|i| i + after + 6) else {
                from = after;
                continue;
            };
            let quote = out[value..]
                .chars()
                .next()
                .filter(|c| *c == '"' || *c == '\'');
            let start = value + quote.map_or(0, char::len_utf8);
            let end = match quote {
                Some(q) => out[start..].find(q).map_or(out.len(), |i| i + start),
                None => out[start..]
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .map_or(out.len(), |i| i + start),
            };
            if end > start && &out[start..end] != MASK {
                out.replace_range(start..end, MASK);
            }
            from = start + MASK.len().min(out.len() - start);
        }
    }
    out
}

/// JSON members that carry OAuth 2.0 / OpenID Connect credentials (a token endpoint's answer).
const TOKEN_MEMBERS: [&str; 4] = ["access_token", "id_token", "refresh_token", "client_secret"];

/// Masks the string value of the JSON members in [`TOKEN_MEMBERS`], up to the closing quote or,
/// in a cut excerpt, to the end of the text.
fn mask_token_members(text: &str) -> String {
    let mut out = text.to_string();
    for member in TOKEN_MEMBERS {
        let key = format!("\"{member}\"");
        let mut from = 0;
        while let Some(at) = out[from..].find(&key).map(|i| i + from) {
            let after = at + key.len();
            let rest = &out[after..];
            let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r', ':']);
            let colon = rest.len() - trimmed.len();
            if !rest[..colon].contains(':') || !trimmed.starts_with('"') {
                from = after;
                continue;
            }
            let start = after + colon + 1;
            let end = out[start..].find('"').map_or(out.len(), |i| i + start);
            if end > start && &out[start..end] != MASK {
                out.replace_range(start..end, MASK);
            }
            from = start + MASK.len().min(out.len() - start);
        }
    }
    out
}

/// Masks anything that looks like a CAS ticket: a known prefix followed by ticket characters.
fn mask_tickets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let hit = TICKET_PREFIXES
            .iter()
            .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
            .filter(|&(i, _)| {
                i == 0 || !is_ticket_char(rest[..i].chars().next_back().unwrap_or(' '))
            })
            .min_by_key(|&(i, _)| i);
        let Some((start, prefix_len)) = hit else {
            out.push_str(rest);
            break;
        };
        let body_len = rest[start + prefix_len..]
            .chars()
            .take_while(|c| is_ticket_char(*c))
            .count();
        out.push_str(&rest[..start + prefix_len]);
        if body_len > 0 {
            out.push_str(MASK);
        }
        rest = &rest[start + prefix_len + body_len..];
    }
    out
}

fn is_ticket_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_tickets_params_cookies_and_secrets() {
        let mut r = Redactor::default();
        r.add_secret("hunter2-password");
        assert_eq!(
            r.url("https://ent.fr/?ticket=ST-abc123&x=1"),
            "https://ent.fr/?ticket=[REDACTED]&x=1"
        );
        assert_eq!(
            r.text("<cas:user>ST-12-abcd</cas:user>"),
            "<cas:user>ST-[REDACTED]</cas:user>"
        );
        assert_eq!(r.text("pw is hunter2-password."), "pw is [REDACTED].");
        assert_eq!(
            r.header("Set-Cookie", "TGC=TGT-1-x; Secure; HttpOnly"),
            "TGC=[REDACTED]; Secure; HttpOnly"
        );
        assert_eq!(r.header("Authorization", "Basic Zm9v"), MASK);
        assert_eq!(r.text("FIRST-CLASS"), "FIRST-CLASS");
        assert_eq!(r.text("no ticket here"), "no ticket here");
    }

    #[test]
    fn masks_a_password_echoed_in_any_encoding() {
        use base64::Engine as _;
        let password = "s3cr&t p@ss/word";
        let mut r = Redactor::default();
        r.add_secret(password);
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("eleve1:{password}"));
        for echoed in [
            "s3cr%26t%20p%40ss%2Fword",
            "s3cr%26t+p%40ss%2fword",
            "value=\"s3cr&amp;t p@ss&#x2F;word\"",
            basic.as_str(),
        ] {
            let masked = r.text(&format!("echo: {echoed} end"));
            assert!(masked.contains(MASK), "{echoed} was not masked: {masked}");
        }
        let url = r.url("https://ent.fr/back?next=s3cr%26t%20p%40ss%2Fword");
        assert!(!url.contains("p%40ss"), "{url}");
    }

    #[test]
    fn masks_tokens_in_json_answers_even_cut_short() {
        let r = Redactor::default();
        assert_eq!(
            r.text(r#"{"access_token": "abc.def", "token_type":"Bearer","id_token":"eyJhbGciOi"#),
            r#"{"access_token": "[REDACTED]", "token_type":"Bearer","id_token":"[REDACTED]"#
        );
        assert_eq!(
            r.text(r#"{"error":"invalid_grant"}"#),
            r#"{"error":"invalid_grant"}"#
        );
        assert_eq!(r.text("no id_token here"), "no id_token here");
    }

    #[test]
    fn masks_saml_messages_in_forms_even_cut_short() {
        let r = Redactor::default();
        assert_eq!(
            r.text(r#"<input type="hidden" name="SAMLResponse" value="PHNhbWxwOlJlc3Bvbn=="/><input name="RelayState" value="x"/>"#),
            r#"<input type="hidden" name="SAMLResponse" value="[REDACTED]"/><input name="RelayState" value="x"/>"#
        );
        assert_eq!(
            r.text(r#"<input name="SAMLResponse" value="PHNhbWxwOlJlc3"#),
            r#"<input name="SAMLResponse" value="[REDACTED]"#
        );
        assert_eq!(r.text("the SAMLResponse field"), "the SAMLResponse field");
    }
}
