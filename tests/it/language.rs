//! One language per report: a French report (the default) holds no English word of the tool's
//! own, an English one no French word. Scanned on the reference ENT with every defect, whose
//! report has the most messages, in the human formats (terminal, Markdown, CSV, HTML, JUnit),
//! down to the probes' expected and observed values. Words inside URLs and criterion or probe
//! identifiers are not the tool's prose and are left out, and so is what a message quotes
//! between « and » (a validator's or a library's own words).

use sdet_audit::demo::Defect;
use sdet_audit::report::{Report, csv, html, junit, markdown, terminal};
use sdet_audit::text::Lang;

use crate::examples::{demo_report, stable};

/// Words that only the other language would use, in the tool's own prose.
const ENGLISH: &[&str] = &[
    "the",
    "and",
    "with",
    "pass",
    "fail",
    "failed",
    "error",
    "skipped",
    "not",
    "answers",
    "missing",
    "withheld",
    "found",
    "requirement",
    "requirements",
    "because",
    "supporting",
    "none",
    "expected",
    "without",
    "redirect",
    "least",
    "every",
    "valid",
    "signed",
    "links",
    "form",
    "or",
    "no",
    "connection",
    "within",
    "until",
    "signing",
    "encryption",
    "certificate",
    "key",
    "should",
    "cannot",
];
const FRENCH: &[&str] = &[
    "les",
    "des",
    "une",
    "avec",
    "réussie",
    "réussies",
    "échouée",
    "échouées",
    "erreur",
    "conformes",
    "absente",
    "sonde",
    "sondes",
    "critères",
    "exigences",
    "déclarée",
    "appui",
    "aucun",
    "aucune",
    "attendu",
    "sans",
    "ou",
    "manquants",
    "redirection",
    "formulaire",
    "liens",
    "moins",
    "chaque",
    "connexion",
];

fn rendered(report: &Report, lang: Lang) -> Vec<(&'static str, String)> {
    vec![
        (
            "terminal",
            terminal::render(report, terminal::RenderOptions { lang, color: false }),
        ),
        ("markdown", markdown::render(report, lang)),
        ("csv", csv::render(report, lang)),
        (
            "html",
            html_text(&html::render(report, lang).expect("the HTML report renders")),
        ),
        ("junit", xml_text(&junit::render(report, lang))),
    ]
}

/// What a reader of the HTML page reads: its text, without tags, the page's own stylesheet and
/// script (code, not prose) and with the few entities the renderer writes decoded. A tag ends a
/// line, so each cell is scanned on its own line.
fn html_text(page: &str) -> String {
    let mut text = String::new();
    let mut rest = page;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<style") {
            rest.find("</style>").map(|i| i + "</style>".len())
        } else if lower.starts_with("<script") {
            rest.find("</script>").map(|i| i + "</script>".len())
        } else {
            rest.find('>').map(|i| i + 1)
        };
        let Some(end) = skip_to else { break };
        rest = &rest[end..];
        text.push('\n');
    }
    text.push_str(rest);
    decode(&text)
}

/// The JUnit XML's text and attribute values (names, messages), without its element and
/// attribute names, which are the format's, not the tool's prose.
fn xml_text(xml: &str) -> String {
    let mut out = String::new();
    for part in xml.split('<') {
        let (tag, after) = part.split_once('>').unwrap_or(("", part));
        // Attribute values only: every other chunk between double quotes.
        for value in tag.split('"').skip(1).step_by(2) {
            out.push_str(value);
            out.push('\n');
        }
        out.push_str(after);
        out.push('\n');
    }
    decode(&out)
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `text` without what it quotes between « and » (a validator's own words, say).
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '«' => depth += 1,
            '»' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The words of `text` outside quotes, URLs and identifiers, lower-cased.
fn prose_words(text: &str) -> Vec<String> {
    unquoted(text)
        .split_whitespace()
        // URLs, file names, identifiers (`FUN-NOT-01`, `aaf::truncated`) and upper-case codes,
        // protocol names (`HTTP-Redirect`, `Content-Security-Policy`) and values a header quotes
        // (CSP's `'none'`).
        .filter(|t| {
            let bare = t.trim_matches(|c: char| ",;:()".contains(c));
            let protocol_name = bare.contains('-')
                && bare
                    .split('-')
                    .all(|part| part.starts_with(|c: char| c.is_ascii_uppercase()));
            let quoted_value = bare.len() > 2 && bare.starts_with('\'') && bare.ends_with('\'');
            !protocol_name
                && !quoted_value
                && !t.contains("://")
                && !t.contains('_')
                && !t.contains('.')
                && !t.contains("::")
                && !t.chars().any(|c| c.is_ascii_digit())
                && t.chars().any(char::is_lowercase)
        })
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn strays(text: &str, other: &[&str]) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .filter(|line| {
            prose_words(line)
                .iter()
                .any(|w| other.contains(&w.as_str()))
        })
        .map(|line| {
            let words: Vec<String> = prose_words(line)
                .into_iter()
                .filter(|w| other.contains(&w.as_str()))
                .collect();
            format!(
                "[{}] {}",
                words.join(","),
                line.chars().take(160).collect::<String>()
            )
        })
        .collect();
    lines.into_iter().take(10).collect()
}

/// The report without what others wrote: the vendor's justifications and proofs, the waivers'
/// reasons and approvers (the demo's are French, as a French vendor's would be) and the titles of
/// the SDET documents cited. What remains is the tool's own prose, the probes' expected and
/// observed values included: they are worded by the tool, so they speak the report's language.
fn tool_prose_only(mut report: Report) -> Report {
    for row in &mut report.criteria {
        row.justification = row.justification.as_ref().map(|_| "J".into());
        row.proof = row.proof.as_ref().map(|_| "P".into());
        row.sdet_refs = vec!["R".into()];
    }
    for waiver in &mut report.waivers {
        // A verdict's reason quotes the waiver it applied: drop those quotes too.
        for row in &mut report.criteria {
            for text in [&mut row.reason.fr, &mut row.reason.en] {
                *text = text
                    .replace(&waiver.waiver.justification, "W")
                    .replace(&waiver.waiver.approver, "A");
            }
        }
        waiver.waiver.justification = "W".into();
        waiver.waiver.approver = "A".into();
    }
    // The ENT's own pages, quoted in the evidence (the demo's are French, as an ENT's would be).
    for probe in &mut report.probes {
        for exchange in &mut probe.evidence {
            exchange.body_excerpt = exchange.body_excerpt.as_ref().map(|_| "B".into());
            for (_, value) in &mut exchange.response_headers {
                *value = "H".into();
            }
        }
    }
    report
}

#[tokio::test]
async fn a_report_speaks_one_language() {
    // With every defect (what fails) and with none (what passes says other things).
    let mut problems = Vec::new();
    for defects in [Defect::ALL, &[]] {
        let report = tool_prose_only(stable(&demo_report(defects).await));
        for (lang, other, name) in [(Lang::Fr, ENGLISH, "fr"), (Lang::En, FRENCH, "en")] {
            for (format, text) in rendered(&report, lang) {
                for line in strays(&text, other) {
                    problems.push(format!("{name} {format}: {line}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} line(s) in the other language:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A network error speaks the report's language too: an ENT whose port refuses every connection
/// gives French messages in a French report, the library's own words only quoted (« … »).
#[tokio::test]
async fn a_network_error_speaks_french_in_a_french_report() {
    use sdet_audit::audit::{self, AuditOptions, Silent};
    use sdet_audit::evidence::Outcome;
    use sdet_audit::target::Secrets;

    // A port just freed: nothing listens there, so every connection is refused at once.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("target.yaml"),
        format!("name: injoignable\nportal: https://127.0.0.1:{port}/\n"),
    )
    .expect("target");
    let options = AuditOptions::new(dir.path().join("target.yaml"), Secrets::default());
    let report = audit::run(&options, &Silent).await.expect("audit runs");
    let errors: Vec<_> = report
        .probes
        .iter()
        .filter(|p| p.outcome == Outcome::Error)
        .collect();
    assert!(!errors.is_empty(), "no probe in error");
    for p in &errors {
        assert!(
            p.message
                .fr
                .starts_with("Erreur réseau : la connexion a échoué : «"),
            "{}: {}",
            p.id,
            p.message.fr
        );
        assert!(
            p.message
                .en
                .starts_with("Network error: connection failed: «"),
            "{}: {}",
            p.id,
            p.message.en
        );
    }
    let mut problems = Vec::new();
    for (format, text) in rendered(&tool_prose_only(report), Lang::Fr) {
        for line in strays(&text, ENGLISH) {
            problems.push(format!("fr {format}: {line}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} line(s) in English:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
