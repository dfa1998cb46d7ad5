//! `sdet-audit demo`: starts the embedded reference ENT, writes the target and declarations a
//! user would write for it into a temporary folder, and audits it through `audit::run` — the
//! same path as a live ENT, no shortcut. The test accounts' passwords, random per start, reach
//! the probes through in-memory secrets, never through a file or the environment.
//!
//! `demo --serve` ([`serve`]) writes the same folder for a reference ENT left running, for an
//! `audit --target` run by hand or by a script.

pub mod serve;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{AuditOptions, Progress};
use crate::demo::{self, Defect, DemoOptions, ReferenceEnt};
use crate::error::Error;
use crate::report::Report;
use crate::target::Secrets;
use crate::waiver::WaiverPolicy;

/// The vendor self-assessment shipped for the reference ENT.
const DECLARATIONS: &str = include_str!("../../fixtures/declarations/demo.yaml");

/// Parses `--defects`: names, `all`, or nothing.
pub fn parse_defects(names: &[String]) -> Result<BTreeSet<Defect>, Error> {
    let mut defects = BTreeSet::new();
    for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        if name == "all" {
            defects.extend(Defect::ALL.iter().copied());
        } else {
            let defect = Defect::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Defect::ALL.iter().map(|d| d.name()).collect();
                Error::Usage(sdet_core::fr_en!(
                    "défaut inconnu `{name}` ; défauts connus : {}, ou `all`",
                    "unknown defect `{name}`; known defects: {}, or `all`",
                    known.join(", ")
                ))
            })?;
            defects.insert(defect);
        }
    }
    Ok(defects)
}

/// What a demo audit takes besides the defects.
#[derive(Debug, Clone, Default)]
pub struct DemoAudit {
    /// A waivers file.
    pub waivers: Option<PathBuf>,
    /// Whether exigences may be waived.
    pub waiver_policy: WaiverPolicy,
    /// Declarations to audit with instead of the shipped ones (YAML or a filled spreadsheet).
    pub declarations: Option<PathBuf>,
    /// The language of the problems found in a declarations spreadsheet.
    pub lang: crate::text::Lang,
    /// The reference ENT's latency per request (`--latency`).
    pub latency: Duration,
    /// The client's politeness and timeouts (the CA comes from the reference ENT).
    pub http: crate::probe::http::HttpOptions,
}

/// Starts the reference ENT with `defects`, audits it, stops it.
pub async fn run(defects: &BTreeSet<Defect>, progress: &dyn Progress) -> Result<Report, Error> {
    run_with(defects, &DemoAudit::default(), progress).await
}

/// Starts the reference ENT with `defects`, audits it with `extra`, stops it.
pub async fn run_with(
    defects: &BTreeSet<Defect>,
    extra: &DemoAudit,
    progress: &dyn Progress,
) -> Result<Report, Error> {
    let ent = demo::start(&DemoOptions {
        defects: defects.clone(),
        latency: extra.latency,
    })
    .await?;
    let result = audit_running_with(&ent, extra, progress).await;
    ent.stop().await;
    result
}

/// Audits an already running reference ENT (tests use it to look inside the ENT too).
pub async fn audit_running(ent: &ReferenceEnt, progress: &dyn Progress) -> Result<Report, Error> {
    audit_running_with(ent, &DemoAudit::default(), progress).await
}

/// Audits an already running reference ENT with `extra`.
pub async fn audit_running_with(
    ent: &ReferenceEnt,
    extra: &DemoAudit,
    progress: &dyn Progress,
) -> Result<Report, Error> {
    let dir = tempfile::tempdir().map_err(|source| Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let secrets = write_folder(ent, dir.path(), Naming::DEMO)?;
    let mut options = AuditOptions::new(dir.path().join("target.yaml"), secrets);
    options.http = extra.http.clone();
    options.waivers.clone_from(&extra.waivers);
    options.waiver_policy = extra.waiver_policy;
    options.declarations.clone_from(&extra.declarations);
    options.lang = extra.lang;
    let mut report = super::run(&options, progress).await?;
    // The target lives in a temporary folder that is gone once the demo ends: name it as the
    // file a user would write, so locations read the same on every run and every machine.
    report.target.file = Some("target.yaml".into());
    let aaf = ent.aaf_export.to_string_lossy().replace('\\', "/");
    for place in report
        .probes
        .iter_mut()
        .flat_map(|p| p.locations.iter_mut())
    {
        if let Some(rest) = place.file.strip_prefix(&aaf) {
            place.file = format!("aaf{rest}");
        }
    }
    Ok(report)
}

/// The prefix of the variables the demo's target names.
const ENV_PREFIX: &str = "SDET_DEMO";

/// The demo target's name.
const NAME: &str = "ENT de référence (démo sdet-audit)";

/// How a target file names the reference ENT and its secrets.
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    /// The target's `name`.
    pub name: &'a str,
    /// The prefix of the variables holding its secrets (`<prefix>_ELEVE_USER`…).
    pub env_prefix: &'a str,
}

impl Naming<'static> {
    /// What `sdet-audit demo` names its target.
    pub const DEMO: Naming<'static> = Naming {
        name: NAME,
        env_prefix: ENV_PREFIX,
    };
}

/// Writes into `dir` what an audit of `ent` reads: `target.yaml` (naming its secrets by variables
/// as `naming` says), `ca.pem`, `declarations.yaml` and the GAR export `gar/`; returns the
/// secrets by those names.
pub fn write_folder(ent: &ReferenceEnt, dir: &Path, naming: Naming) -> Result<Secrets, Error> {
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })
    };
    write("ca.pem", &ent.ca_pem)?;
    write("declarations.yaml", DECLARATIONS)?;
    let gar = dir.join("gar");
    std::fs::create_dir(&gar).map_err(|source| Error::Io {
        path: gar.clone(),
        source,
    })?;
    for (name, content) in &ent.gar_export {
        write(&format!("gar/{name}"), content)?;
    }
    let (target, secrets) = target_yaml_named(ent, naming);
    write("target.yaml", &target)?;
    Ok(secrets)
}

/// The target file a user would write for the reference ENT, and the secrets it names.
pub fn target_yaml(ent: &ReferenceEnt) -> (String, Secrets) {
    target_yaml_named(ent, Naming::DEMO)
}

/// [`target_yaml`] with another name, and the variables named `<prefix>_ELEVE_USER`…, so that
/// several reference ENTs audited at once neither share them nor read as the same ENT.
pub fn target_yaml_named(ent: &ReferenceEnt, naming: Naming) -> (String, Secrets) {
    let prefix = naming.env_prefix;
    let mut accounts = String::new();
    for account in &ent.accounts {
        let var = format!("{prefix}_{}", account.profile.to_ascii_uppercase());
        let _ = write!(
            accounts,
            "\n    - {{ profile: {}, username_env: {var}_USER, password_env: {var}_PASSWORD }}",
            account.profile
        );
    }
    // Debug quoting is a valid YAML double-quoted scalar for printable paths, as temp folders are.
    let aaf_folder = format!("{:?}", ent.aaf_export.display().to_string());
    let yaml = format!(
        "# Target for the embedded reference ENT, as `sdet-audit demo` writes it.\n\
name: \"{name}\"\n\
degrees: [1d, 2d]\n\
portal: \"{portal}\"\n\
portal_http: \"{http}\"\n\
tls: {{ ca_file: ca.pem }}\n\
cas:\n  base_url: \"{cas}\"\n  service: \"{service}\"\n  accounts:{accounts}\n\
interop:\n  gar_export: gar/\n  ical: \"{ical}\"\n  rss: \"{news}\"\n  webdav: \"{webdav}\"\n  webdav_account: {{ username_env: {prefix}_ENSEIGNANT_USER, password_env: {prefix}_ENSEIGNANT_PASSWORD }}\n  ical_private: true\n  ical_account: {{ username_env: {prefix}_ELEVE_USER, password_env: {prefix}_ELEVE_PASSWORD }}\n\
annuaire:\n  feeds: {aaf}\n  ldap: {{ url: \"{ldap}\", base_dn: \"{base_dn}\", bind_dn: \"{bind_dn}\", password_env: {prefix}_LDAP_PASSWORD }}\n\
saml: {{ metadata_url: \"{saml}\" }}\n\
oidc: {{ issuer: \"{oidc}\" }}\n\
declarations: declarations.yaml\n",
        name = naming.name,
        portal = ent.https_base,
        http = ent.http_base,
        cas = ent.cas_base,
        service = ent.service,
        ical = ent.ical,
        news = ent.news,
        webdav = ent.webdav,
        saml = ent.saml_metadata,
        oidc = ent.oidc_issuer,
        aaf = aaf_folder,
        ldap = ent.ldap_url,
        base_dn = ent.ldap_base_dn,
        bind_dn = ent.ldap_bind_dn,
    );
    let secrets = secret_vars(ent, prefix)
        .into_iter()
        .fold(Secrets::from_env(), |secrets, (name, value)| {
            secrets.with(name, value)
        });
    (yaml, secrets)
}

/// The variables [`target_yaml_named`] names, with their values: the test accounts' usernames
/// and passwords, and the LDAP audit account's password.
pub fn secret_vars(ent: &ReferenceEnt, prefix: &str) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    for account in &ent.accounts {
        let var = format!("{prefix}_{}", account.profile.to_ascii_uppercase());
        vars.push((format!("{var}_USER"), account.username.clone()));
        vars.push((format!("{var}_PASSWORD"), account.password.clone()));
    }
    vars.push((format!("{prefix}_LDAP_PASSWORD"), ent.ldap_password.clone()));
    vars
}
