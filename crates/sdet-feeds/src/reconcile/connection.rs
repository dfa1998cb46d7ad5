//! One LDAP session to the ENT's directory: connect (plain `ldap://` or `ldaps://` trusting the
//! target's CA file), bind, paged searches, unbind. Every step has a deadline, so a silent server
//! gives an error, never a hang. The bind password comes from the environment and is never put in
//! an error message: server messages are kept, the password is not part of them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ldap3::adapters::PagedResults;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError, ResultEntry, Scope};
use sdet_core::text::{Text, io_reason};

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

/// Why the directory could not be read. Never a difference: the audit cannot decide. It reaches
/// the command line (`feeds reconcile`) and reports (the `ldap.reconcile` probe), so each part
/// is worded in both languages ([`DirectoryError::text`]); `Display` is in the language errors
/// are shown in. What the LDAP library or the server said is quoted « as it came ».
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text().shown())]
pub enum DirectoryError {
    /// The server could not be reached (refused, timed out, TLS failure, bad URL).
    Connect {
        /// The URL.
        url: String,
        /// Why.
        why: Text,
    },
    /// The bind was refused (e.g. invalid credentials).
    Bind {
        /// The bind DN.
        dn: String,
        /// The server's answer.
        why: Text,
    },
    /// A search failed or did not finish in time.
    Search {
        /// The base DN.
        base: String,
        /// Why.
        why: Text,
    },
}

impl DirectoryError {
    /// The error in both languages.
    pub fn text(&self) -> Text {
        match self {
            DirectoryError::Connect { url, why } => Text::new(
                format!("connexion impossible à {url} : {}", why.fr),
                format!("cannot connect to {url}: {}", why.en),
            ),
            DirectoryError::Bind { dn, why } => Text::new(
                format!("authentification (bind) refusée pour {dn} : {}", why.fr),
                format!("bind as {dn} refused: {}", why.en),
            ),
            DirectoryError::Search { base, why } => Text::new(
                format!("la recherche sous {base} a échoué : {}", why.fr),
                format!("search of {base} failed: {}", why.en),
            ),
        }
    }
}

/// Why an LDAP operation failed, in both languages: a system error by its kind, a server's
/// answer or anything else the library says quoted as it came.
fn ldap_why(error: &LdapError) -> Text {
    match error {
        LdapError::Io { source } => {
            let reason = io_reason(source);
            if reason.fr == reason.en {
                quoted(&error.to_string())
            } else {
                reason
            }
        }
        LdapError::Timeout { .. } => Text::new("délai dépassé", "timed out"),
        LdapError::LdapResult { result } => Text::new(
            format!("le serveur a répondu « {result} »"),
            format!("the server answered « {result} »"),
        ),
        other => quoted(&other.to_string()),
    }
}

/// Another program's words, the same in both languages.
fn quoted(words: &str) -> Text {
    Text::same(format!("« {words} »"))
}

/// `aucune réponse en N s` / `no answer within N s`.
fn no_answer(timeout: Duration) -> Text {
    let s = timeout.as_secs();
    Text::new(
        format!("aucune réponse en {s} s"),
        format!("no answer within {s} s"),
    )
}

/// An open, bound session.
pub(super) struct Session {
    ldap: Ldap,
    timeout: Duration,
}

impl Session {
    /// Connects and binds.
    pub(super) async fn open(access: &Access) -> Result<Session, DirectoryError> {
        let connect = |why: Text| DirectoryError::Connect {
            url: access.url.clone(),
            why,
        };
        let mut settings = LdapConnSettings::new().set_conn_timeout(access.timeout);
        if let Some(ca) = &access.ca_file {
            settings = settings.set_config(tls_config(ca).map_err(connect)?);
        }
        let (conn, mut ldap) = LdapConnAsync::with_settings(settings, &access.url)
            .await
            .map_err(|e| connect(ldap_why(&e)))?;
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
                    why: ldap_why(&e),
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
        let fail = |why: Text| DirectoryError::Search {
            base: access.base_dn.clone(),
            why,
        };
        let attrs: Vec<String> = attrs.iter().map(|a| (*a).to_owned()).collect();
        let mut stream = self
            .ldap
            .with_timeout(self.timeout)
            .streaming_search_with(pager(), &access.base_dn, SCOPE, filter, attrs)
            .await
            .map_err(|e| fail(ldap_why(&e)))?;
        loop {
            let next = tokio::time::timeout(self.timeout, stream.next())
                .await
                .map_err(|_| fail(no_answer(self.timeout)))?;
            match next.map_err(|e| fail(ldap_why(&e)))? {
                Some(entry) => {
                    if !is_entry(&entry) {
                        continue;
                    }
                    each(&Entry::read(&entry).map_err(|e| fail(e.text()))?);
                }
                None => break,
            }
        }
        let done = tokio::time::timeout(self.timeout, stream.finish())
            .await
            .map_err(|_| fail(no_answer(self.timeout)))?;
        done.success().map_err(|e| fail(ldap_why(&e)))?;
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
fn tls_config(path: &std::path::Path) -> Result<Arc<rustls::ClientConfig>, Text> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let shown = path.display();
    let mut roots = rustls::RootCertStore::empty();
    let certs = CertificateDer::pem_file_iter(path).map_err(|e| {
        Text::new(
            format!("fichier d'AC {shown} illisible « {e} »"),
            format!("cannot read CA file {shown} « {e} »"),
        )
    })?;
    for cert in certs {
        let cert = cert.map_err(|e| {
            Text::new(
                format!("fichier d'AC {shown} invalide « {e} »"),
                format!("bad CA file {shown} « {e} »"),
            )
        })?;
        roots.add(cert).map_err(|e| {
            Text::new(
                format!("AC invalide dans {shown} « {e} »"),
                format!("bad CA in {shown} « {e} »"),
            )
        })?;
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| quoted(&e.to_string()))?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_connection_is_said_in_french_and_a_server_answer_is_quoted() {
        let refused = LdapError::Io {
            source: std::io::ErrorKind::ConnectionRefused.into(),
        };
        let e = DirectoryError::Connect {
            url: "ldap://127.0.0.1:1".into(),
            why: ldap_why(&refused),
        };
        assert_eq!(
            e.text().fr,
            "connexion impossible à ldap://127.0.0.1:1 : connexion refusée"
        );
        assert!(
            e.text()
                .en
                .starts_with("cannot connect to ldap://127.0.0.1:1: ")
        );
        // Unit tests never set the language of errors: English, as a library user sees it.
        assert_eq!(e.to_string(), e.text().en);
        let odd = ldap_why(&LdapError::EndOfStream);
        assert_eq!(odd, Text::same("« premature end of search stream »"));
    }
}
