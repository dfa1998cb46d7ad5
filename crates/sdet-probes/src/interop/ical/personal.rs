//! Personal data in a calendar: properties that name people (ATTENDEE, ORGANIZER, CONTACT), and
//! e-mail addresses or French phone numbers written in free text. Judged conservatively — a
//! public feed must have none — and reported by property and event, never by value.

use icalendar::parser::Component;

use sdet_core::text::Text;

/// Properties that name people, and e-mail addresses or phone numbers in free text.
pub(super) fn personal_data(event: &Component<'_>, at: &str, personal: &mut Vec<Text>) {
    for prop in &event.properties {
        let name = prop.name.as_str().to_ascii_uppercase();
        let value = prop.val.as_str();
        let found = match name.as_str() {
            "ATTENDEE" | "ORGANIZER" | "CONTACT" => Some((name.clone(), name.clone())),
            "SUMMARY" | "DESCRIPTION" | "LOCATION" | "COMMENT" if has_email(value) => Some((
                format!("adresse électronique dans {name}"),
                format!("e-mail address in {name}"),
            )),
            "SUMMARY" | "DESCRIPTION" | "LOCATION" | "COMMENT" if has_phone(value) => Some((
                format!("numéro de téléphone dans {name}"),
                format!("phone number in {name}"),
            )),
            _ => None,
        };
        if let Some((fr, en)) = found {
            personal.push(Text::new(format!("{fr} ({at})"), format!("{en} ({at})")));
        }
    }
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '(' | ')' | '"'))
        .any(|word| {
            let word = word
                .trim_start_matches("mailto:")
                .trim_start_matches("MAILTO:");
            word.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            })
        })
}

/// French numbers: ten digits starting with 0, or +33 and nine digits, spaced or dotted.
fn has_phone(text: &str) -> bool {
    let mut rest = text;
    while let Some(start) = rest.find(['0', '+']) {
        let candidate: String = rest[start..]
            .chars()
            .take(20)
            .take_while(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'))
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        let national =
            candidate.len() == 10 && candidate.starts_with('0') && !candidate.starts_with("00");
        let international = candidate.starts_with("+33") && candidate.len() == 12;
        if national || international {
            return true;
        }
        rest = &rest[start + 1..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::{has_email, has_phone};

    #[test]
    fn spots_addresses_and_numbers_not_lookalikes() {
        assert!(has_email("contact: a.b@ent.fr"));
        assert!(has_email("<mailto:x@college.example.fr>"));
        assert!(!has_email("rendez-vous @ la cantine"));
        assert!(has_phone("Appeler le 06 12 34 56 78"));
        assert!(has_phone("+33 6 12 34 56 78"));
        assert!(!has_phone("Salle 101, 2026"));
    }
}
