//! `sdet-audit doctor`: what would make an audit fail for the wrong reason, checked before it
//! runs — the external programs the probes call, the target file, every credential variable it
//! names, every endpoint it lists, the CA file — one line each. `preflight` is the short form an
//! `audit` runs first, so an unreachable ENT or unset credentials are said once, up front,
//! rather than as a column of identical probe errors.

use std::path::Path;
use std::time::Duration;

use url::Url;

use crate::probe::http::{Http, HttpOptions, Request};
use crate::target::{Secrets, Target};
use crate::text::{Text, io_reason};

/// How one check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Ready.
    Ok,
    /// Would make some probes not run, or run badly.
    Problem,
}

/// One line of the doctor's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Ready or not.
    pub status: Status,
    /// What was checked (a program, a variable, a URL, a file).
    pub subject: String,
    /// What was found.
    pub message: Text,
}

impl Check {
    fn ok(subject: impl Into<String>, message: Text) -> Self {
        Self {
            status: Status::Ok,
            subject: subject.into(),
            message,
        }
    }
    fn problem(subject: impl Into<String>, message: Text) -> Self {
        Self {
            status: Status::Problem,
            subject: subject.into(),
            message,
        }
    }
}

/// Every check, in order: programs, target, CA, variables, endpoints.
pub async fn run(target_path: &Path, secrets: &Secrets, http: HttpOptions) -> Vec<Check> {
    let mut checks = tools().await;
    let target = match Target::load(target_path) {
        Ok(t) => {
            checks.push(Check::ok(
                target_path.display().to_string(),
                Text::new("fichier cible valide", "valid target file"),
            ));
            t
        }
        Err(diagnostics) => {
            // The first problem in each language: a diagnostic without a French wording yet
            // keeps its English one.
            let (first_fr, first_en) = diagnostics.first().map_or(("", ""), |d| {
                let en = d.message.as_str();
                (d.french.message.as_deref().unwrap_or(en), en)
            });
            checks.push(Check::problem(
                target_path.display().to_string(),
                Text::new(
                    format!(
                        "fichier cible invalide ({} problème(s)) : {first_fr}",
                        diagnostics.len()
                    ),
                    format!(
                        "invalid target file ({} problem(s)): {first_en}",
                        diagnostics.len()
                    ),
                ),
            ));
            return checks;
        }
    };
    let mut http = http;
    http.retries = 0;
    http.reach = crate::probe::http::Reach::around(&target.reach_urls()).await;
    if let Some(ca) = &target.tls.ca_file {
        match crate::input::read(ca, crate::input::MAX_CONFIG_BYTES) {
            Ok(pem) => {
                http.extra_ca_pem = Some(pem);
                checks.push(Check::ok(
                    ca.display().to_string(),
                    Text::new("fichier d'AC lisible", "CA file readable"),
                ));
            }
            Err(e) => {
                let why = e.wording();
                checks.push(Check::problem(
                    ca.display().to_string(),
                    Text::new(
                        format!("fichier d'AC illisible ({})", why.fr),
                        format!("CA file unreadable ({})", why.en),
                    ),
                ));
            }
        }
    }
    checks.extend(variables(&target, secrets));
    match Http::new(http) {
        Ok(client) => checks.extend(endpoints(&target, &client).await),
        Err(e) => checks.push(Check::problem("tls", e.text())),
    }
    checks
}

/// The external programs: xmllint (GAR schemas) and xmlsec1 (SAML signatures), with versions.
pub async fn tools() -> Vec<Check> {
    let mut checks = Vec::new();
    for (program, package, used_for) in [
        (
            "xmllint",
            "libxml2-utils",
            Text::new("schémas GAR", "GAR schemas"),
        ),
        (
            "xmlsec1",
            "xmlsec1",
            Text::new("signatures SAML", "SAML signatures"),
        ),
    ] {
        let run = tokio::process::Command::new(program)
            .env_clear()
            .envs(sdet_core::child::environment())
            .arg("--version")
            .kill_on_drop(true)
            .output();
        match tokio::time::timeout(Duration::from_secs(10), run).await {
            Ok(Ok(out)) => {
                let text = String::from_utf8_lossy(if out.stdout.is_empty() {
                    &out.stderr
                } else {
                    &out.stdout
                })
                .into_owned();
                let version = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .chars()
                    .take(80)
                    .collect::<String>();
                // The program's own words, quoted: they are English whatever the language.
                checks.push(Check::ok(
                    program,
                    Text::new(
                        format!("« {version} » ({})", used_for.fr),
                        format!("« {version} » ({})", used_for.en),
                    ),
                ));
            }
            _ => checks.push(Check::problem(
                program,
                Text::new(
                    format!(
                        "introuvable : les {} ne pourront être vérifiés (paquet Debian {package})",
                        used_for.fr
                    ),
                    format!(
                        "not found: {} cannot be checked (Debian package {package})",
                        used_for.en
                    ),
                ),
            )),
        }
    }
    checks
}

/// The environment variables the target names, by where it names them.
pub fn variable_names(target: &Target) -> Vec<(String, String)> {
    let mut names = Vec::new();
    let mut add = |place: &str, var: &str| names.push((place.to_string(), var.to_string()));
    if let Some(cas) = &target.cas {
        for a in &cas.accounts {
            add(&format!("cas.accounts[{}]", a.profile), &a.username_env);
            add(&format!("cas.accounts[{}]", a.profile), &a.password_env);
        }
    }
    if let Some(sp) = target.saml.as_ref().and_then(|s| s.sp.as_ref()) {
        for var in [&sp.username_env, &sp.password_env].into_iter().flatten() {
            add("saml.sp", var);
        }
    }
    if let Some(client) = target.oidc.as_ref().and_then(|o| o.client.as_ref()) {
        add("oidc.client", &client.client_secret_env);
        for var in [&client.username_env, &client.password_env]
            .into_iter()
            .flatten()
        {
            add("oidc.client", var);
        }
    }
    if let Some(ldap) = target.annuaire.as_ref().and_then(|a| a.ldap.as_ref()) {
        add("annuaire.ldap", &ldap.password_env);
    }
    if let Some(interop) = &target.interop {
        for (place, creds) in [
            ("interop.ical_account", &interop.ical_account),
            ("interop.webdav_account", &interop.webdav_account),
        ] {
            if let Some(c) = creds {
                add(place, &c.username_env);
                add(place, &c.password_env);
            }
        }
    }
    names
}

/// One line per variable the target names: set or not (never its value).
pub fn variables(target: &Target, secrets: &Secrets) -> Vec<Check> {
    variable_names(target)
        .into_iter()
        .map(
            |(place, var)| match secrets.get(&var).filter(|v| !v.is_empty()) {
                Some(_) => Check::ok(
                    var,
                    Text::new(format!("définie ({place})"), format!("set ({place})")),
                ),
                None => Check::problem(
                    var,
                    Text::new(
                        format!("non définie : les sondes de {place} seront en erreur"),
                        format!("not set: the {place} probes will be errors"),
                    ),
                ),
            },
        )
        .collect()
}

/// The HTTP(S) endpoints the target lists, by name.
pub fn endpoint_urls(target: &Target) -> Vec<(&'static str, Url)> {
    let mut urls = Vec::new();
    urls.extend(target.portal.clone().map(|u| ("portal", u)));
    urls.extend(target.portal_http.clone().map(|u| ("portal_http", u)));
    if let Some(cas) = &target.cas {
        urls.extend(cas.base_url.join("login").ok().map(|u| ("cas", u)));
    }
    urls.extend(
        target
            .saml
            .as_ref()
            .and_then(|s| s.metadata_url.clone())
            .map(|u| ("saml", u)),
    );
    if let Some(oidc) = &target.oidc {
        let discovery = format!(
            "{}/.well-known/openid-configuration",
            oidc.issuer.as_str().trim_end_matches('/')
        );
        urls.extend(Url::parse(&discovery).ok().map(|u| ("oidc", u)));
    }
    if let Some(interop) = &target.interop {
        urls.extend(interop.ical.clone().map(|u| ("ical", u)));
        urls.extend(interop.rss.clone().map(|u| ("rss", u)));
        urls.extend(interop.webdav.clone().map(|u| ("webdav", u)));
    }
    urls
}

/// One GET per endpoint: any HTTP answer means reachable (a 401 on a private feed is expected).
pub async fn endpoints(target: &Target, http: &Http) -> Vec<Check> {
    let mut checks = Vec::new();
    for (name, url) in endpoint_urls(target) {
        let subject = format!("{name} {url}");
        checks.push(match http.send(&Request::get(url)).await {
            Ok(r) => Check::ok(
                subject,
                Text::new(
                    format!("joignable (HTTP {})", r.status.as_u16()),
                    format!("reachable (HTTP {})", r.status.as_u16()),
                ),
            ),
            Err(e) => Check::problem(subject, unreachable(&e.text())),
        });
    }
    if let Some(ldap) = target.annuaire.as_ref().and_then(|a| a.ldap.as_ref()) {
        checks.push(ldap_reachable(&ldap.url, http.timeout()).await);
    }
    checks
}

async fn ldap_reachable(url: &str, timeout: Duration) -> Check {
    let subject = format!("ldap {url}");
    let Some(address) = Url::parse(url).ok().and_then(|u| {
        let port = u
            .port()
            .unwrap_or(if u.scheme() == "ldaps" { 636 } else { 389 });
        u.host_str().map(|h| format!("{h}:{port}"))
    }) else {
        return Check::problem(
            subject,
            Text::new("adresse LDAP illisible", "unreadable LDAP address"),
        );
    };
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(&address)).await {
        Ok(Ok(_)) => Check::ok(subject, Text::new("port ouvert", "port open")),
        Ok(Err(e)) => Check::problem(subject, unreachable(&io_reason(&e))),
        Err(_) => Check::problem(
            subject,
            Text::new("injoignable : délai dépassé", "unreachable: timed out"),
        ),
    }
}

/// `injoignable : …` / `unreachable: …`, with why in each language.
fn unreachable(why: &Text) -> Text {
    Text::new(
        format!("injoignable : {}", why.fr),
        format!("unreachable: {}", why.en),
    )
}

/// What an audit says before it starts: the unset variables in one line, and the portal (or the
/// first endpoint) when it does not answer. Empty when all is ready. `http` is the audit's own
/// client, so the read of the portal is one its probes share (with its retries: what a probe
/// takes from it is what the probe would have got).
pub async fn preflight(target: &Target, secrets: &Secrets, http: &Http) -> Vec<Text> {
    let mut lines = Vec::new();
    let unset: Vec<String> = variables(target, secrets)
        .into_iter()
        .filter(|c| c.status == Status::Problem)
        .map(|c| c.subject)
        .collect();
    if !unset.is_empty() {
        let list = unset.join(", ");
        lines.push(Text::new(
            format!("variables non définies : {list} — les sondes qui s'en servent seront en erreur (sdet-audit doctor)"),
            format!("variables not set: {list} — the probes using them will be errors (sdet-audit doctor)"),
        ));
    }
    // A read the probes may share: the first to read the same URL takes this answer.
    if let Some((name, url)) = endpoint_urls(target).into_iter().next()
        && let (Err(e), _) = http.read(&Request::get(url.clone())).await
    {
        let why = e.text();
        lines.push(Text::new(
            format!(
                "cible injoignable ({name} {url}) : {} — les sondes réseau seront en erreur",
                why.fr
            ),
            format!(
                "target unreachable ({name} {url}): {} — the network probes will be errors",
                why.en
            ),
        ));
    }
    lines
}
