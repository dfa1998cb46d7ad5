//! One LDAP session to the ENT's directory: connect (plain `ldap://` or `ldaps://` trusting the
//! target's CA file), bind, paged searches, unbind. Every step has a deadline, so a silent server
//! gives an error, never a hang. The bind password comes from the environment and is never put in
//! an error message: server messages are kept, the password is not part of them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::PagedResults;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, ResultEntry, Scope};

use super::entry::Entry;

/// How to reach and read the directory.
#[derive(Clone)]
pub struct Access {
    /// `ldap://host:port` or `ldaps://host:port`.
    pub url: String,
    /// Search base.
    pub base_dn: String,
    /// Bind DN and password; anonymous when absent.
    pub bind: Option<(String, String)>,
    /// Extra CA to trust for `ldaps://` (PEM).
    pub ca_file: Option<PathBuf>,
    /// Deadline of the connection and of each operation (each page of a search).
    pub timeout: Duration,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("url", &self.url)
            .field("base_dn", &self.base_dn)
            .field("bind_dn", &self.bind.as_ref().map(|(dn, _)| dn))
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Why the directory could not be read. Never a difference: the audit cannot decide.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// The server could not be reached (refused, timed out, TLS failure, bad URL).
    #[error("cannot connect to {url}: {why}")]
    Connect {
        /// The URL.
        url: String,
        /// Why.
        why: String,
    },
    /// The bind was refused (e.g. invalid credentials).
    #[error("bind as {dn} refused: {why}")]
    Bind {
        /// The bind DN.
        dn: String,
        /// The server's answer.
        why: String,
    },
    /// A search failed or did not finish in time.
    #[error("search of {base} failed: {why}")]
    Search {
        /// The base DN.
        base: String,
        /// Why.
        why: String,
    },
}

/// An open, bound session.
pub(super) struct Session {
    ldap: Ldap,
    timeout: Duration,
}

impl Session {
    /// Connects and binds.
    pub(super) async fn open(access: &Access) -> Result<Session, DirectoryError> {
        let connect = |why: String| DirectoryError::Connect {
            url: access.url.clone(),
            why,
        };
        let mut settings = LdapConnSettings::new().set_conn_timeout(access.timeout);
        if let Some(ca) = &access.ca_file {
            settings = settings.set_config(tls_config(ca).map_err(connect)?);
        }
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &access.url)
            .await
            .map_err(|e| connect(e.to_string()))?;
        ldap3::drive!(conn);
        if let Some((dn, password)) = &access.bind {
            let answer = ldap
                .with_timeout(access.timeout)
                .simple_bind(dn, password)
                .await
                .and_then(ldap3::LdapResult::success);
            if let Err(e) = answer {
                return Err(DirectoryError::Bind {
                    dn: dn.clone(),
                    why: e.to_string(),
                });
            }
        }
        Ok(Session {
            ldap,
            timeout: access.timeout,
        })
    }

    /// A paged subtree search under the base; `each` gets every entry, read in place ([`Entry`]).
    /// An entry that is not shaped as RFC 4511 says ends the search with an error.
    pub(super) async fn search(
        &mut self,
        access: &Access,
        filter: &str,
        attrs: &[&str],
        each: &mut dyn FnMut(&Entry<'_>),
    ) -> Result<(), DirectoryError> {
        let fail = |why: String| DirectoryError::Search {
            base: access.base_dn.clone(),
            why,
        };
        let attrs: Vec<String> = attrs.iter().map(|a| (*a).to_owned()).collect();
        let mut stream = self
            .ldap
            .with_timeout(self.timeout)
            .streaming_search_with(pager(), &access.base_dn, SCOPE, filter, attrs)
            .await
            .map_err(|e| fail(e.to_string()))?;
        loop {
            let next = tokio::time::timeout(self.timeout, stream.next())
                .await
                .map_err(|_| fail(format!("no answer within {} s", self.timeout.as_secs())))?;
            match next.map_err(|e| fail(e.to_string()))? {
                Some(entry) => {
                    if !is_entry(&entry) {
                        continue;
                    }
                    each(&Entry::read(&entry).map_err(|e| fail(e.to_string()))?);
                }
                None => break,
            }
        }
        let done = tokio::time::timeout(self.timeout, stream.finish())
            .await
            .map_err(|_| fail(format!("no answer within {} s", self.timeout.as_secs())))?;
        done.success().map_err(|e| fail(e.to_string()))?;
        Ok(())
    }

    /// Unbinds, ignoring a server already gone.
    pub(super) async fn close(mut self) {
        let _ = tokio::time::timeout(self.timeout, self.ldap.unbind()).await;
    }
}

fn is_entry(entry: &ResultEntry) -> bool {
    !entry.is_ref() && !entry.is_intermediate()
}

/// A TLS configuration trusting exactly the CA(s) in `path`.
fn tls_config(path: &std::path::Path) -> Result<Arc<rustls::ClientConfig>, String> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| format!("cannot read CA file {}: {e}", path.display()))?;
    for cert in certs {
        let cert = cert.map_err(|e| format!("bad CA file {}: {e}", path.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("bad CA in {}: {e}", path.display()))?;
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Entries per page: small enough that no production size limit truncates a page.
pub const PAGE_SIZE: i32 = 500;

/// The paging adapter (RFC 2696) every search uses.
fn pager() -> PagedResults<String, Vec<String>> {
    PagedResults::new(PAGE_SIZE)
}

/// The search scope: the whole subtree under the base.
const SCOPE: Scope = Scope::Subtree;
