//! The reference ENT: a small, protocol-correct ENT served on 127.0.0.1, with switchable defects.
//!
//! `sdet-audit demo` must show a whole audit without any network access, and the integration tests
//! must exercise the very code path used against a live ENT: TCP, TLS, HTTP, cookies, redirects.
//! So [`start`] serves a portal and a CAS server over HTTPS, plus a plain-HTTP listener, both on
//! loopback ports the OS picks, behind a private CA made at start. Clean, it conforms; each
//! [`Defect`] turns one conforming behaviour into the matching non-conformity, which shows that the
//! probe for it catches what it claims to catch.
//!
//! A tour of the modules, from the outside in: `app` holds the shared state and the routes of both
//! listeners; `http` the security headers, cookies and HTTP→HTTPS redirect; `portal` and `pages`
//! the French portal pages; `cas` the CAS server (login, validation, logout) over the `tickets`
//! store; `saml` the SAML IdP metadata and `oidc` the OpenID Connect discovery and keys;
//! `directory` the accounts and their SDET identity vector; `annuaire` the AAF export written into
//! the ENT's state folder at start; `tls` the certificates; `defect` the catalogue of
//! non-conformities.

mod agenda;
mod annuaire;
mod app;
mod basic_auth;
mod cas;
mod dav;
mod defect;
mod directory;
mod gar;
pub mod gar_generate;
mod http;
mod keys;
mod layout_defects;
mod ldap;
mod network;
mod news;
mod oidc;
mod pages;
mod portal;
mod saml;
mod state;
mod tickets;
mod tls;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use axum_server::Handle;
use axum_server::tls_rustls::RustlsConfig;
use rand::Rng as _;
use rand::distr::Alphanumeric;
use tokio::task::JoinHandle;
use url::Url;

pub use defect::Defect;
pub use network::{BadLatency, ListenerTraffic, MAX_LATENCY, parse_latency};

/// How long in-flight requests may finish when the reference ENT stops.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// How long [`start`] waits for a listener's accept loop to run. It is immediate in practice; the
/// bound only turns an impossible hang into an error.
const LISTEN_TIMEOUT: Duration = Duration::from_secs(10);

/// What the reference ENT should get wrong.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// The non-conformities to inject; empty for a conforming ENT.
    pub defects: BTreeSet<Defect>,
    /// How long every listener waits before answering each request (HTTP) or operation (LDAP):
    /// the round trip of a real network, on loopback. Zero by default.
    pub latency: Duration,
}

/// A test account of the reference ENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// The SDET profile: `eleve`, `enseignant` or `parent`.
    pub profile: String,
    /// The CAS username (`cas:user` after validation).
    pub username: String,
    /// The password, random at every start.
    pub password: String,
}

/// A running reference ENT. Stop it with [`ReferenceEnt::stop`]; dropping it stops the listeners
/// abruptly.
#[derive(Debug)]
pub struct ReferenceEnt {
    /// The portal home over HTTPS, e.g. `https://127.0.0.1:41234/`.
    pub https_base: Url,
    /// The plain-HTTP listener, e.g. `http://127.0.0.1:41235/`.
    pub http_base: Url,
    /// The CAS server's base: `https_base` + `cas/`.
    pub cas_base: Url,
    /// The CAS service registered on the server: `https_base` + `service/`. URLs under it are
    /// registered too; any other service is refused.
    pub service: Url,
    /// The PEM certificate of the private CA that signed the HTTPS certificate (for `127.0.0.1`
    /// and `localhost`). Trust this, and only this, to audit the reference ENT.
    pub ca_pem: String,
    /// The test accounts: one `eleve`, one `enseignant`, one `parent`.
    pub accounts: Vec<DemoAccount>,
    /// The pupil's private timetable (iCalendar, HTTP Basic with the pupil's account).
    pub ical: Url,
    /// The school's news (Atom, public).
    pub news: Url,
    /// A read-only WebDAV folder (HTTP Basic, any account).
    pub webdav: Url,
    /// The GAR export (2D) as the ENT would write it: file names and contents.
    pub gar_export: Vec<(String, String)>,
    /// The SAML IdP metadata: `https_base` + `saml/metadata`.
    pub saml_metadata: Url,
    /// The OpenID Connect issuer: `https_base` + `oidc` (discovery below it).
    pub oidc_issuer: Url,
    /// The folder of the AAF export the ENT imports, inside its state folder.
    pub aaf_export: std::path::PathBuf,
    /// The read-only LDAP directory view: `ldap://127.0.0.1:<port>`.
    pub ldap_url: String,
    /// Its base DN.
    pub ldap_base_dn: String,
    /// The audit account's DN.
    pub ldap_bind_dn: String,
    /// The audit account's password, random at every start.
    pub ldap_password: String,
    servers: Servers,
    meters: Vec<Arc<network::Meter>>,
    // Dropped with the ENT: the directory view stops, the state folder (the export) goes.
    _directory: ldap::DirectoryServer,
    _state: tempfile::TempDir,
}

/// Why the reference ENT could not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// No loopback port could be bound or served.
    #[error("cannot listen on 127.0.0.1")]
    Bind(#[source] std::io::Error),
    /// The private CA or the server certificate could not be generated.
    #[error("cannot generate the reference ENT's certificates")]
    Certificate(#[from] rcgen::Error),
    /// The generated certificate could not configure TLS.
    #[error("cannot configure TLS with the reference ENT's certificate")]
    Tls(#[source] std::io::Error),
    /// A listener's accept loop did not start.
    #[error("the reference ENT's {listener} listener did not start")]
    NotListening {
        /// `HTTPS` or `HTTP`.
        listener: &'static str,
    },
    /// The AAF export or the directory view could not be set up.
    #[error("cannot set up the reference ENT's directory: {0}")]
    Directory(String),
    /// The OpenID Connect provider's RSA key could not be generated.
    #[error("cannot generate the reference ENT's OpenID Connect key")]
    OidcKey,
    /// A base URL could not be built from the bound port.
    #[error("cannot build the reference ENT's URLs")]
    Url(#[from] url::ParseError),
    /// The state folder or the AAF export in it could not be written.
    #[error("cannot write the reference ENT's AAF export")]
    State(#[source] std::io::Error),
}

impl DemoError {
    /// The error in French and English, `(fr, en)`, with what the system or a library said
    /// quoted « as it came »: the command line shows the one in its language (this crate does not
    /// use sdet-core's `Text`; `Display` stays English).
    pub fn wording(&self) -> (String, String) {
        let quoted = |e: &dyn std::fmt::Display| format!("« {e} »");
        match self {
            DemoError::Bind(e) => (
                format!("impossible d'écouter sur 127.0.0.1 {}", quoted(e)),
                format!("cannot listen on 127.0.0.1 {}", quoted(e)),
            ),
            DemoError::Certificate(e) => (
                format!(
                    "impossible de générer les certificats de l'ENT de référence {}",
                    quoted(e)
                ),
                format!(
                    "cannot generate the reference ENT's certificates {}",
                    quoted(e)
                ),
            ),
            DemoError::Tls(e) => (
                format!(
                    "impossible de configurer TLS avec le certificat de l'ENT de référence {}",
                    quoted(e)
                ),
                format!(
                    "cannot configure TLS with the reference ENT's certificate {}",
                    quoted(e)
                ),
            ),
            DemoError::NotListening { listener } => (
                format!("l'écoute {listener} de l'ENT de référence n'a pas démarré"),
                format!("the reference ENT's {listener} listener did not start"),
            ),
            DemoError::Directory(why) => (
                format!(
                    "impossible de mettre en place l'annuaire de l'ENT de référence {}",
                    quoted(why)
                ),
                format!(
                    "cannot set up the reference ENT's directory {}",
                    quoted(why)
                ),
            ),
            DemoError::OidcKey => (
                "impossible de générer la clé OpenID Connect de l'ENT de référence".into(),
                "cannot generate the reference ENT's OpenID Connect key".into(),
            ),
            DemoError::Url(e) => (
                format!(
                    "impossible de construire les URL de l'ENT de référence {}",
                    quoted(e)
                ),
                format!("cannot build the reference ENT's URLs {}", quoted(e)),
            ),
            DemoError::State(e) => (
                format!(
                    "impossible d'écrire l'export AAF de l'ENT de référence {}",
                    quoted(e)
                ),
                format!("cannot write the reference ENT's AAF export {}", quoted(e)),
            ),
        }
    }
}

/// Starts the reference ENT on two fresh loopback ports (HTTPS, then plain HTTP) and returns once
/// both accept connections.
#[expect(
    clippy::similar_names,
    reason = "https_* and http_* name the two listeners"
)]
pub async fn start(options: &DemoOptions) -> Result<ReferenceEnt, DemoError> {
    let https_listener = bind_loopback()?;
    let http_listener = bind_loopback()?;
    let https_base = base_url("https", &https_listener)?;
    let http_base = base_url("http", &http_listener)?;

    let identity = tls::generate(options.defects.contains(&Defect::SamlExpiredCertificate))?;
    let keys = state::FederationKeys {
        saml_certificate: identity.saml_certificate.clone(),
        oidc_key: keys::generate().ok_or(DemoError::OidcKey)?,
    };
    let certificate = identity.certificate.into_bytes();
    let tls_config = RustlsConfig::from_pem(certificate, identity.private_key.into_bytes())
        .await
        .map_err(DemoError::Tls)?;

    // A few hundred records, written in milliseconds: not worth a blocking thread.
    let state = tempfile::tempdir().map_err(DemoError::State)?;
    let aaf_export =
        annuaire::write_export(state.path(), &options.defects).map_err(DemoError::State)?;

    let ent = Arc::new(state::Ent::new(
        options.defects.clone(),
        https_base,
        http_base,
        keys,
    )?);
    let accounts = ent
        .directory
        .people
        .iter()
        .map(|person| DemoAccount {
            profile: person.profile.name().to_owned(),
            username: person.username.to_owned(),
            password: person.password.clone(),
        })
        .collect();

    let meter = |name, base: &Url| {
        let address = format!("127.0.0.1:{}", base.port().unwrap_or(0));
        network::Meter::new(name, address, options.latency)
    };
    let https_meter = meter("https", &ent.https_base);
    let http_meter = meter("http", &ent.http_base);
    // Outermost, so the latency and the count cover every answer, redirects and errors included.
    let metered = |router: axum::Router, meter: &Arc<network::Meter>| {
        router.layer(axum::middleware::from_fn_with_state(
            Arc::clone(meter),
            network::delay,
        ))
    };

    let https_handle = Handle::new();
    let https_server = axum_server::from_tcp_rustls(https_listener, tls_config)
        .map_err(DemoError::Bind)?
        .map(|tls| tls.acceptor(network::Counting(Arc::clone(&https_meter))))
        .handle(https_handle.clone());
    let https_app = metered(app::https_router(Arc::clone(&ent)), &https_meter).into_make_service();
    let https_task = tokio::spawn(https_server.serve(https_app));

    let http_handle = Handle::new();
    let http_server = axum_server::from_tcp(http_listener)
        .map_err(DemoError::Bind)?
        .acceptor(network::Counting(Arc::clone(&http_meter)))
        .handle(http_handle.clone());
    let http_app = metered(app::http_router(Arc::clone(&ent)), &http_meter).into_make_service();
    let http_task = tokio::spawn(http_server.serve(http_app));

    // From here on, dropping `servers` (on an early return too) stops both listeners.
    let servers = Servers {
        handles: vec![https_handle, http_handle],
        tasks: vec![https_task, http_task],
    };
    for (handle, listener) in servers.handles.iter().zip(["HTTPS", "HTTP"]) {
        match tokio::time::timeout(LISTEN_TIMEOUT, handle.listening()).await {
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return Err(DemoError::NotListening { listener }),
        }
    }

    let (directory, ldap_password) = start_directory(
        &aaf_export,
        options.defects.contains(&Defect::DirectoryDrift),
        options.latency,
    )
    .await?;

    Ok(ReferenceEnt {
        ldap_url: directory.url.clone(),
        ldap_base_dn: annuaire::BASE_DN.to_owned(),
        ldap_bind_dn: annuaire::BIND_DN.to_owned(),
        ldap_password,
        meters: vec![https_meter, http_meter, Arc::clone(&directory.meter)],
        _directory: directory,
        ical: ent.https_base.join(agenda::PATH)?,
        news: ent.https_base.join(news::PATH)?,
        webdav: ent.https_base.join(dav::PATH)?,
        gar_export: gar::export(&ent.directory, &ent.defects),
        https_base: ent.https_base.clone(),
        http_base: ent.http_base.clone(),
        cas_base: ent.cas_base.clone(),
        service: ent.service.clone(),
        ca_pem: identity.ca_certificate,
        accounts,
        saml_metadata: ent.https_base.join("saml/metadata")?,
        oidc_issuer: Url::parse(&oidc::issuer(&ent))?,
        aaf_export,
        _state: state,
        servers,
    })
}

/// Serves the directory view of the export at `aaf`, as a faithful import makes it (or with the
/// planted drift).
async fn start_directory(
    aaf: &std::path::Path,
    drift: bool,
    latency: Duration,
) -> Result<(ldap::DirectoryServer, String), DemoError> {
    let fail = |e: &dyn std::fmt::Display| DemoError::Directory(e.to_string());
    let entries = annuaire::entries(aaf, drift).map_err(|e| fail(&e))?;
    let password = random_alphanumeric(20);
    let server = ldap::start(entries, password.clone(), latency)
        .await
        .map_err(|e| fail(&e))?;
    Ok((server, password))
}

impl ReferenceEnt {
    /// What each listener (HTTPS, HTTP, LDAP) has served since the start: requests, and the most
    /// in flight at once.
    pub fn traffic(&self) -> Vec<ListenerTraffic> {
        self.meters.iter().map(|m| m.traffic()).collect()
    }

    /// Stops both listeners: requests in flight get a short grace period, then every connection
    /// is closed.
    pub async fn stop(self) {
        self.servers.stop().await;
    }
}

/// The two running listeners.
struct Servers {
    handles: Vec<Handle<SocketAddr>>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl Servers {
    async fn stop(mut self) {
        for handle in &self.handles {
            handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
        }
        for task in self.tasks.drain(..) {
            // A listener that failed while stopping has nothing left to tell: it is gone either way.
            let _ = task.await;
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        // Without this, a dropped ReferenceEnt would keep serving until the runtime ends.
        for handle in &self.handles {
            handle.shutdown();
        }
    }
}

impl std::fmt::Debug for Servers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Servers")
            .field("listeners", &self.handles.len())
            .finish_non_exhaustive()
    }
}

/// Binds a fresh port on 127.0.0.1, never on another interface: the reference ENT has test
/// passwords and deliberate flaws, so nothing off this machine may reach it.
fn bind_loopback() -> Result<TcpListener, DemoError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(DemoError::Bind)?;
    // Tokio adopts a std listener only in non-blocking mode.
    listener.set_nonblocking(true).map_err(DemoError::Bind)?;
    Ok(listener)
}

fn base_url(scheme: &str, listener: &TcpListener) -> Result<Url, DemoError> {
    let port = listener.local_addr().map_err(DemoError::Bind)?.port();
    Ok(Url::parse(&format!("{scheme}://127.0.0.1:{port}/"))?)
}

/// `len` random ASCII letters and digits from the thread-local CSPRNG: the stuff of tickets,
/// session ids and passwords, and within the CAS ticket character set.
pub(crate) fn random_alphanumeric(len: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
