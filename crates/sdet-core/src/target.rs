//! The target: the ENT under audit, as described in `target.yaml`. Every block is optional — a
//! missing block makes its probes `not_tested`, never `error`. Secrets are never in the file: it
//! names environment variables, and `Secrets` resolves them at the last moment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::fr_en;
use crate::grid::Degree;
use crate::text::Text;
use crate::yaml;

/// The ENT under audit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Display name of the ENT.
    pub name: String,
    /// The SDET version to audit against (default: the newest grid).
    #[serde(default)]
    pub sdet_version: Option<String>,
    /// The degrees the ENT serves (default: both).
    #[serde(default = "both_degrees")]
    pub degrees: Vec<Degree>,
    /// The public portal's home page (HTTPS).
    #[serde(default)]
    pub portal: Option<Url>,
    /// Where plain HTTP answers, when not on port 80 of the portal's host (pre-production, tests).
    #[serde(default)]
    pub portal_http: Option<Url>,
    /// TLS trust settings.
    #[serde(default)]
    pub tls: TlsOptions,
    /// The CAS server.
    #[serde(default)]
    pub cas: Option<CasTarget>,
    /// SAML 2.0 metadata.
    #[serde(default)]
    pub saml: Option<SamlTarget>,
    /// OpenID Connect provider.
    #[serde(default)]
    pub oidc: Option<OidcTarget>,
    /// Directory: AAF feeds and LDAP.
    #[serde(default)]
    pub annuaire: Option<AnnuaireTarget>,
    /// Interoperability endpoints.
    #[serde(default)]
    pub interop: Option<InteropTarget>,
    /// The vendor's declarations file.
    #[serde(default)]
    pub declarations: Option<PathBuf>,
    /// Other origins of the ENT that redirects may lead to (a separate login host, say): by
    /// default redirects are followed only to the origins of the URLs above.
    #[serde(default)]
    pub allowed_origins: Vec<Url>,
    /// Where the target was read from: filled by [`Target::load`], never by the file itself.
    #[serde(skip)]
    pub source: TargetSource,
}

/// Where a target file is and where its blocks start, so findings can point at the
/// configuration they are about (SARIF, code-scanning annotations).
#[derive(Debug, Clone, Default)]
pub struct TargetSource {
    /// The file, relative to the working directory when it lies under it, `/`-separated.
    pub file: Option<String>,
    /// The folder relative paths inside the file resolve against.
    pub folder: PathBuf,
    /// The 1-based line of each block key: `cas`, `interop`, `interop.ical`…
    pub lines: std::collections::BTreeMap<String, u64>,
}

impl TargetSource {
    fn of(path: &Path, text: &str) -> Self {
        let shown = std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf());
        Self {
            file: Some(slashed(&shown)),
            folder: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            lines: block_lines(text),
        }
    }

    /// `path` relative to the target's folder when it lies under it, `/`-separated: how
    /// findings name the feed and export files they are in.
    pub fn place(&self, path: &Path) -> String {
        slashed(path.strip_prefix(&self.folder).unwrap_or(path))
    }
}

/// A path with `/` separators and no leading `./`, as SARIF URIs and CI annotations want.
fn slashed(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map_or(text.clone(), str::to_string)
}

/// The line of each top-level key and of each key one level below it (block style; a flow
/// mapping `cas: { … }` gives its top-level line only, which is still the right block).
fn block_lines(text: &str) -> std::collections::BTreeMap<String, u64> {
    let mut lines = std::collections::BTreeMap::new();
    let mut parent: Option<String> = None;
    for (n, line) in (1u64..).zip(text.lines()) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with('-') {
            continue;
        }
        let Some((key, _)) = trimmed.split_once(':') else {
            continue;
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let name = if line.len() == trimmed.len() {
            parent = Some(key.to_string());
            key.to_string()
        } else if let Some(p) = &parent {
            format!("{p}.{key}")
        } else {
            continue;
        };
        lines.entry(name).or_insert(n);
    }
    lines
}

fn both_degrees() -> Vec<Degree> {
    Degree::ALL.to_vec()
}

/// TLS trust settings. There is deliberately no "accept any certificate".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsOptions {
    /// An extra CA (PEM) to trust, for pre-production ENTs and tests.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Lets test accounts' passwords go over plain HTTP to the declared login origin: for test
    /// peers on 127.0.0.1 only, never for a real ENT.
    #[serde(default)]
    pub allow_http_login: bool,
}

/// The CAS server and its test accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasTarget {
    /// Base URL, ending in `/` (e.g. `https://ent.example.fr/cas/`).
    pub base_url: Url,
    /// A service URL the CAS accepts, used for the round trips.
    pub service: Url,
    /// Test accounts; credentials come from environment variables.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The server offers `/proxyValidate` (CAS 2.0): the `cas.proxy_validate` probe may run.
    #[serde(default)]
    pub proxy_validate: bool,
    /// The server offers `/samlValidate` (CAS 3.0 §4.2, SAML 1.1): `cas.saml_validate` may run.
    #[serde(default)]
    pub saml_validate: bool,
}

/// A test account, by the names of the environment variables holding its credentials.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The ENT profile (eleve, enseignant, parent, …).
    pub profile: String,
    /// Variable holding the user name.
    pub username_env: String,
    /// Variable holding the password.
    pub password_env: String,
}

/// SAML 2.0 metadata location: served (`metadata_url`) or handed over as a file
/// (`metadata_file`, e.g. what the vendor registered with the federation). Exactly one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlTarget {
    /// Where the IdP/SP metadata is served.
    #[serde(default)]
    pub metadata_url: Option<Url>,
    /// A metadata file (relative to the target file's folder).
    #[serde(default)]
    pub metadata_file: Option<PathBuf>,
    /// The federation's metadata signing certificate(s), PEM (relative to the target file's
    /// folder): without it, the metadata's origin cannot be verified and the federation criteria
    /// stay not tested.
    #[serde(default)]
    pub metadata_signing_cert: Option<PathBuf>,
    /// The entityID the metadata must describe, when the vendor declared it.
    #[serde(default)]
    pub entity_id: Option<String>,
    /// A service provider registered at the IdP for the audit: enables the web SSO round trip.
    #[serde(default)]
    pub sp: Option<SamlSp>,
}

/// A SAML service provider the IdP knows, for the audit's round trip. The audit never serves the
/// ACS: it reads the IdP's answer addressed to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamlSp {
    /// The SP's entityID, as registered at the IdP.
    pub entity_id: String,
    /// Its assertion consumer service URL (HTTP-POST binding).
    pub acs_url: Url,
    /// Variable holding the user name, for an IdP that shows a login form.
    #[serde(default)]
    pub username_env: Option<String>,
    /// Variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
}

/// OpenID Connect provider.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcTarget {
    /// The issuer URL.
    pub issuer: Url,
    /// A client registered at the provider for the audit: enables the code flow round trip.
    #[serde(default)]
    pub client: Option<OidcClient>,
}

/// An OpenID Connect client the provider knows. The audit never serves the redirect URI: it reads
/// the provider's redirect to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcClient {
    /// The client id.
    pub client_id: String,
    /// Variable holding the client secret (`client_secret_basic`).
    pub client_secret_env: String,
    /// The registered redirect URI.
    pub redirect_uri: Url,
    /// Variable holding the user name, for a provider that shows a login form.
    #[serde(default)]
    pub username_env: Option<String>,
    /// Variable holding the password.
    #[serde(default)]
    pub password_env: Option<String>,
}

/// The directory side.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnuaireTarget {
    /// Folder of AAF feed files the ENT imports.
    #[serde(default)]
    pub feeds: Option<PathBuf>,
    /// The ENT's LDAP directory.
    #[serde(default)]
    pub ldap: Option<LdapTarget>,
}

/// LDAP access for reconciliation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LdapTarget {
    /// `ldap://` or `ldaps://` URL.
    pub url: String,
    /// Search base.
    pub base_dn: String,
    /// Bind DN.
    pub bind_dn: String,
    /// Variable holding the bind password.
    pub password_env: String,
}

/// Interoperability endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteropTarget {
    /// Folder of GAR export files.
    #[serde(default)]
    pub gar_export: Option<PathBuf>,
    /// An iCalendar feed.
    #[serde(default)]
    pub ical: Option<Url>,
    /// An RSS or Atom feed.
    #[serde(default)]
    pub rss: Option<Url>,
    /// A WebDAV folder.
    #[serde(default)]
    pub webdav: Option<Url>,
    /// Whether the iCalendar feed is private: anonymous requests must then be refused, and
    /// `ical_account` reads it.
    #[serde(default)]
    pub ical_private: bool,
    /// Credentials (HTTP Basic) that read a private iCalendar feed.
    #[serde(default)]
    pub ical_account: Option<Credentials>,
    /// Credentials (HTTP Basic) of a WebDAV test account.
    #[serde(default)]
    pub webdav_account: Option<Credentials>,
    /// A folder under `webdav`, relative (e.g. `sdet-audit/`), where the audit may write, read
    /// back and delete one file. Without it the WebDAV check never writes.
    #[serde(default)]
    pub webdav_scratch: Option<String>,
}

/// A user name and password, by the names of the environment variables holding them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Variable holding the user name.
    pub username_env: String,
    /// Variable holding the password.
    pub password_env: String,
}

impl Target {
    /// Reads and checks `path`; relative paths inside resolve against its folder.
    pub fn load(path: &Path) -> Result<Target, Vec<Diagnostic>> {
        let text = crate::input::read_text(path, crate::input::MAX_CONFIG_BYTES).map_err(|e| {
            let why = e.wording();
            vec![Diagnostic::worded(
                Code::Io,
                Text::new(
                    format!(
                        "impossible de lire la cible {} : {}",
                        path.display(),
                        why.fr
                    ),
                    format!("cannot read target {}: {}", path.display(), why.en),
                ),
            )]
        })?;
        let source = TargetSource::of(path, &text);
        let file = SourceFile::new(path.display().to_string(), text);
        let mut target: Target = yaml::parse(&file).map_err(|d| vec![d])?;
        target.source = source;
        let base = path.parent().unwrap_or(Path::new("."));
        target.resolve_paths(base);
        target.check(&file)?;
        Ok(target)
    }

    /// Every place the target names on the network: what the audit may reach (see
    /// `probe::http::Reach`). The services' own URLs (CAS service, SAML ACS, OpenID Connect
    /// redirect URI) are not among them: the audit never requests those.
    pub fn reach_urls(&self) -> Vec<Url> {
        let mut urls: Vec<Url> = [&self.portal, &self.portal_http]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        urls.extend(self.cas.as_ref().map(|c| c.base_url.clone()));
        urls.extend(self.saml.as_ref().and_then(|s| s.metadata_url.clone()));
        urls.extend(self.oidc.as_ref().map(|o| o.issuer.clone()));
        if let Some(i) = &self.interop {
            urls.extend([&i.ical, &i.rss, &i.webdav].into_iter().flatten().cloned());
        }
        // The LDAP server's host tells where the ENT is (its address class), as its URLs do.
        let ldap = self.annuaire.as_ref().and_then(|a| a.ldap.as_ref());
        urls.extend(ldap.and_then(|l| Url::parse(&l.url).ok()));
        urls.extend(self.allowed_origins.iter().cloned());
        urls
    }

    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        self.tls.ca_file.as_mut().map(resolve);
        self.declarations.as_mut().map(resolve);
        if let Some(a) = self.annuaire.as_mut() {
            a.feeds.as_mut().map(resolve);
        }
        if let Some(i) = self.interop.as_mut() {
            i.gar_export.as_mut().map(resolve);
        }
        if let Some(s) = self.saml.as_mut() {
            s.metadata_file.as_mut().map(resolve);
            s.metadata_signing_cert.as_mut().map(resolve);
        }
    }

    fn check(&self, file: &SourceFile) -> Result<(), Vec<Diagnostic>> {
        let mut problems = Vec::new();
        if self.degrees.is_empty() {
            problems.push(Text::new(
                "`degrees` est vide : donnez 1d, 2d ou les deux",
                "`degrees` is empty: give 1d, 2d or both",
            ));
        }
        if let Some(cas) = &self.cas
            && !cas.base_url.path().ends_with('/')
        {
            problems.push(fr_en!(
                "cas.base_url `{}` doit finir par `/`",
                "cas.base_url `{}` must end with `/`",
                cas.base_url
            ));
        }
        if let Some(interop) = &self.interop {
            if interop.ical_private && interop.ical_account.is_none() {
                problems.push(Text::new(
                    "interop.ical_private demande interop.ical_account pour lire le flux",
                    "interop.ical_private needs interop.ical_account to read the feed",
                ));
            }
            if let Some(scratch) = &interop.webdav_scratch
                && (scratch.starts_with('/') || scratch.contains("..") || scratch.contains("://"))
            {
                problems.push(fr_en!(
                    "interop.webdav_scratch `{scratch}` doit être un dossier relatif sous interop.webdav",
                    "interop.webdav_scratch `{scratch}` must be a relative folder under interop.webdav"
                ));
            }
        }
        for origin in &self.allowed_origins {
            if !matches!(origin.scheme(), "http" | "https") || origin.host().is_none() {
                problems.push(fr_en!(
                    "allowed_origins : `{origin}` n'est pas une origine http:// ou https://",
                    "allowed_origins: `{origin}` is not an http:// or https:// origin"
                ));
            }
        }
        if let Some(saml) = &self.saml
            && saml.metadata_url.is_some() == saml.metadata_file.is_some()
        {
            problems.push(Text::new(
                "`saml` demande exactement un de `metadata_url` et `metadata_file`",
                "`saml` needs exactly one of `metadata_url` and `metadata_file`",
            ));
        }
        let problems: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| Diagnostic::worded(Code::BadTarget, p.about(&file.name)))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Resolves secrets by environment-variable name. Tests and the demo add values in memory, since
/// changing the process environment of a running multi-threaded program is unsound.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    overrides: HashMap<String, String>,
}

impl Secrets {
    /// Secrets from the process environment only.
    pub fn from_env() -> Self {
        Self::default()
    }

    /// Adds an in-memory value that wins over the environment.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.insert(name.into(), value.into());
        self
    }

    /// The value of variable `name`, if set and not empty.
    pub fn get(&self, name: &str) -> Option<String> {
        self.overrides
            .get(name)
            .cloned()
            .or_else(|| std::env::var(name).ok())
            .filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::Target;

    fn load(yaml: &str) -> Result<Target, Vec<String>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("target.yaml");
        std::fs::write(&path, yaml).expect("write");
        Target::load(&path).map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn interop_paths_resolve_and_inconsistent_blocks_are_refused() {
        let target = load("name: t\ninterop: { gar_export: exports/gar/ }\n").expect("valid");
        let folder = target
            .interop
            .and_then(|i| i.gar_export)
            .expect("gar_export");
        assert!(folder.is_absolute() && folder.ends_with("exports/gar"));
        let errors = load(
            "name: t\ninterop:\n  ical: \"https://e.fr/a.ics\"\n  ical_private: true\n  webdav_scratch: /etc/\n",
        )
        .expect_err("refused");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("interop.ical_private needs interop.ical_account"));
        assert!(errors[1].contains("must be a relative folder"));
    }
}
