//! The forms a secret takes when a server sends it back encoded. An ENT is not a friend: echoing
//! the test password URL-encoded in a redirect, HTML-escaped in a form, or base64-encoded in a
//! token must not get it into a report, so the redactor masks every one of these forms, not only
//! the literal.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

/// Base64 fragments shorter than this are not masked: they would match by chance.
const MIN_BASE64_CORE: usize = 6;

/// Every form of `secret` to mask: the literal, its URL encodings (percent-encoding with upper and
/// lower case hex, and form encoding with `+` for a space), its HTML escapes, and its base64
/// encodings (standard and URL-safe) at each of the three byte alignments it can have inside a
/// longer encoded text. Longest first, so a longer form is masked before a form it contains.
pub(super) fn forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_string()];
    let form_encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let percent = form_encoded.replace('+', "%20");
    forms.push(lower_hex(&percent));
    forms.push(percent);
    forms.push(lower_hex(&form_encoded));
    forms.push(form_encoded);
    forms.extend(html_escapes(secret));
    forms.extend(base64_cores(secret.as_bytes()));
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms.dedup();
    forms.retain(|f| !f.is_empty());
    forms
}

/// `%2F` → `%2f`: some servers write percent-encoding in lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        out.push_str(&escape.to_ascii_lowercase());
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

/// The secret with HTML's special characters escaped, in the named and numeric forms templates
/// commonly use.
fn html_escapes(secret: &str) -> Vec<String> {
    let named = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut forms = Vec::new();
    for (quote, apostrophe) in [("&quot;", "&#39;"), ("&#34;", "&#x27;"), ("\"", "'")] {
        forms.push(named.replace('"', quote).replace('\'', apostrophe));
    }
    // Some templates escape `/` too (`&#x2F;`, as the reports' own HTML does).
    forms.extend(
        forms
            .clone()
            .into_iter()
            .flat_map(|f| [f.replace('/', "&#x2F;"), f.replace('/', "&#x2f;")]),
    );
    forms
}

/// The part of the base64 encoding of `secret` that depends on the secret alone, for each of
/// the three positions (modulo 3 bytes) it can start at inside longer data, in both alphabets.
/// A secret echoed inside a base64 blob (a Basic header, a token, a SAML message) contains one
/// of them whatever surrounds it.
fn base64_cores(secret: &[u8]) -> Vec<String> {
    let mut cores = Vec::new();
    for offset in 0..3usize {
        let mut data = vec![0u8; offset];
        data.extend_from_slice(secret);
        // Base64 character i carries bits 6i..6i+6: it depends on the secret alone when those
        // bits lie between bit 8·offset and bit 8·(offset + len).
        let first = (8 * offset).div_ceil(6);
        let end = 8 * (offset + secret.len()) / 6;
        if end <= first || end - first < MIN_BASE64_CORE {
            continue;
        }
        for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&data);
            if let Some(core) = encoded.get(first..end) {
                cores.push(core.to_string());
            }
        }
    }
    cores
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    fn masked_by(text: &str, secret: &str) -> bool {
        forms(secret).iter().any(|f| text.contains(f.as_str()))
    }

    #[test]
    fn every_encoding_of_a_secret_is_one_of_its_forms() {
        let secret = "p@ss w/rd+&<\"é'>";
        let url_form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        assert!(masked_by(&url_form, secret));
        assert!(masked_by(
            &url_form.replace('+', "%20").to_lowercase(),
            secret
        ));
        assert!(masked_by("p@ss w/rd+&amp;&lt;&quot;é&#39;&gt;", secret));
        assert!(masked_by(
            "p@ss w&#x2F;rd+&amp;&lt;&#34;é&#x27;&gt;",
            secret
        ));
        for prefix in ["", "a", "ab", "abc", "user:"] {
            let blob = format!("{prefix}{secret} and more");
            assert!(masked_by(&STANDARD.encode(&blob), secret), "{prefix:?}");
            assert!(
                masked_by(&URL_SAFE_NO_PAD.encode(&blob), secret),
                "{prefix:?}"
            );
        }
    }

    #[test]
    fn a_short_secret_has_no_base64_core_that_would_match_by_chance() {
        assert!(base64_cores(b"abcd").is_empty());
        assert!(!base64_cores(b"abcdefghij").is_empty());
    }
}
