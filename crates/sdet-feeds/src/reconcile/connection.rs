//! One LDAP session to the ENT's directory: connect (plain `ldap://` or `ldaps://`, trusting the
//! target's CA file or else the system's), bind, paged searches, unbind. The messages are this
//! crate's own ([`super::message`]): the answers are read in place from one buffer, which is what
//! lets a million entries cost little more CPU than `ldapsearch` spends on them. The session is
//! blocking, on a thread of its own ([`super::directory::partition`]): a page streams in as fast
//! as the socket gives it, without an event loop's wake-up for every piece of it.
//!
//! The directory is the audited ENT's, so every step has a deadline (a silent or dripping server
//! gives an error, never a hang), no answer may be larger than [`ber::MAX_LENGTH`], and the bind
//! password only ever goes to the directory: it is never put in an error message.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Instant;

use sdet_core::text::{Text, io_reason};

use super::ber;
use super::entry::Entry;
use super::message::{self, Answer, AnswerError, Asked, Filter, Outcome};

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

/// Why reading the directory failed, in both languages: a system error by its kind, a server's
/// answer or a library's message quoted as it came.
fn io_why(error: &std::io::Error) -> Text {
    let reason = io_reason(error);
    if reason.fr == reason.en {
        quoted(&error.to_string())
    } else {
        reason
    }
}

/// The server's `LDAPResult`, quoted as OpenLDAP's tools show it.
fn answered(outcome: &Outcome) -> Text {
    Text::new(
        format!("le serveur a répondu « {outcome} »"),
        format!("the server answered « {outcome} »"),
    )
}

/// An answer that is not LDAP as RFC 4511 writes it.
fn malformed(error: &AnswerError) -> Text {
    match error {
        AnswerError::Entry(e) => e.text(),
        other => Text::new(
            format!("réponse LDAP non conforme « {other} »"),
            format!("non-conforming LDAP answer « {other} »"),
        ),
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

/// The connection closed before the answer was whole.
fn closed() -> Text {
    Text::new(
        "le serveur a fermé la connexion",
        "the server closed the connection",
    )
}

/// Where the directory is: `ldap://host[:port]` or `ldaps://host[:port]` (389 and 636 by default),
/// the host a name, an IPv4 address or an IPv6 one in brackets. What follows the authority (a DN,
/// RFC 4516's search parts) is not used: the base DN is given apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// `ldaps://`: TLS from the first byte.
    pub tls: bool,
    /// The host, as written (an IPv6 address without its brackets).
    pub host: String,
    /// The port.
    pub port: u16,
}

impl Address {
    /// Reads `url`; `Err` says what is expected.
    pub fn parse(url: &str) -> Result<Address, Text> {
        let bad = || {
            Text::new(
                "adresse invalide : ldap://hôte[:port] ou ldaps://hôte[:port] attendu",
                "invalid address: expected ldap://host[:port] or ldaps://host[:port]",
            )
        };
        let (tls, rest) = match url.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("ldap") => (false, rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("ldaps") => (true, rest),
            _ => return Err(bad()),
        };
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']').ok_or_else(bad)?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        if host.is_empty() || authority.contains('@') {
            return Err(bad());
        }
        let port = match port {
            Some(port) => port.parse().map_err(|_| bad())?,
            None if tls => 636,
            None => 389,
        };
        Ok(Address {
            tls,
            host: host.to_owned(),
            port,
        })
    }
}

/// A byte stream to the directory, plain or TLS.
trait Link: Read + Write + Send {}
impl<T: Read + Write + Send> Link for T {}

/// How much of an answer is read at once; the buffer grows beyond it only for a larger message.
const READ_SIZE: usize = 256 * 1024;

/// An open, bound session.
pub(super) struct Session {
    link: Box<dyn Link>,
    /// The link's socket, whose read and write timeouts carry the deadlines.
    socket: TcpStream,
    /// Bytes received and not yet read: `buffer[start..end]`.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// The ID of the last request sent.
    id: i32,
    timeout: Duration,
}

impl Session {
    /// Connects and binds.
    pub(super) fn open(access: &Access) -> Result<Session, DirectoryError> {
        let connect = |why: Text| DirectoryError::Connect {
            url: access.url.clone(),
            why,
        };
        let address = Address::parse(&access.url).map_err(connect)?;
        let deadline = Instant::now() + access.timeout;
        let (link, socket) = dial(
            &address,
            access.ca_file.as_deref(),
            deadline,
            access.timeout,
        )
        .map_err(connect)?;
        let mut session = Session {
            link,
            socket,
            buffer: vec![0; READ_SIZE],
            start: 0,
            end: 0,
            id: 0,
            timeout: access.timeout,
        };
        if let Some((dn, password)) = &access.bind {
            let refused = |why: Text| DirectoryError::Bind {
                dn: dn.clone(),
                why,
            };
            session.id += 1;
            let request = message::bind(session.id, dn, password);
            let deadline = Instant::now() + access.timeout;
            session.send(&request, deadline).map_err(refused)?;
            let frame = session.frame(deadline).map_err(refused)?;
            session.start = frame.end;
            let outcome = match message::read(&session.buffer[frame], session.id, Asked::Bind) {
                Ok(Answer::Bound(outcome)) => outcome,
                Ok(Answer::Notice(outcome)) => return Err(refused(answered(&outcome))),
                Ok(other) => {
                    let misplaced = AnswerError::Operation(other.operation());
                    return Err(refused(malformed(&misplaced)));
                }
                Err(e) => return Err(refused(malformed(&e))),
            };
            if !outcome.is_success() {
                return Err(refused(answered(&outcome)));
            }
        }
        Ok(session)
    }

    /// A paged subtree search under the base; `each` gets every entry, read in place ([`Entry`]).
    /// Each page has the session's deadline. An entry that is not shaped as RFC 4511 says ends
    /// the search with an error.
    pub(super) fn search(
        &mut self,
        access: &Access,
        filter: Filter,
        attrs: &[&str],
        each: &mut dyn FnMut(&Entry<'_>),
    ) -> Result<(), DirectoryError> {
        let fail = |why: Text| DirectoryError::Search {
            base: access.base_dn.clone(),
            why,
        };
        let mut cookie = Vec::new();
        let mut empty_pages = 0;
        loop {
            self.id += 1;
            let request =
                message::search(self.id, &access.base_dn, filter, attrs, PAGE_SIZE, &cookie);
            let deadline = Instant::now() + self.timeout;
            self.send(&request, deadline).map_err(fail)?;
            let mut entries = 0usize;
            let next = loop {
                let frame = self.frame(deadline).map_err(fail)?;
                // Read now: its bytes stay in the buffer until the next call to `frame`.
                self.start = frame.end;
                match message::read(&self.buffer[frame], self.id, Asked::Search) {
                    Ok(Answer::Entry(entry)) => {
                        entries += 1;
                        each(&entry);
                    }
                    Ok(Answer::Aside) => {}
                    Ok(Answer::Done { outcome, cookie }) => {
                        if !outcome.is_success() {
                            return Err(fail(answered(&outcome)));
                        }
                        // No cookie (a server without paging answered in one go) or an empty
                        // one: that was the last page.
                        break cookie.filter(|c| !c.is_empty()).map(<[u8]>::to_vec);
                    }
                    Ok(Answer::Notice(outcome)) => return Err(fail(answered(&outcome))),
                    Ok(other) => {
                        let misplaced = AnswerError::Operation(other.operation());
                        return Err(fail(malformed(&misplaced)));
                    }
                    Err(e) => return Err(fail(malformed(&e))),
                }
            };
            match next {
                None => return Ok(()),
                Some(next) => cookie = next,
            }
            // A server that pages on and on without an entry would hold the audit for ever.
            empty_pages = if entries == 0 { empty_pages + 1 } else { 0 };
            if empty_pages > MAX_EMPTY_PAGES {
                return Err(fail(Text::new(
                    format!(
                        "le serveur envoie page vide sur page vide ({MAX_EMPTY_PAGES} de suite)"
                    ),
                    format!(
                        "the server sends empty page after empty page ({MAX_EMPTY_PAGES} in a row)"
                    ),
                )));
            }
        }
    }

    /// Unbinds and closes, ignoring a server already gone.
    pub(super) fn close(mut self) {
        self.id += 1;
        let request = message::unbind(self.id);
        let _ = self.send(&request, Instant::now() + self.timeout);
        let _ = self.socket.shutdown(std::net::Shutdown::Both);
    }

    /// Sends one request whole before `deadline`.
    fn send(&mut self, request: &[u8], deadline: Instant) -> Result<(), Text> {
        let left = left(deadline).ok_or_else(|| no_answer(self.timeout))?;
        self.socket
            .set_write_timeout(Some(left))
            .map_err(|e| io_why(&e))?;
        let sent = self
            .link
            .write_all(request)
            .and_then(|()| self.link.flush());
        sent.map_err(|e| self.io_error(&e))
    }

    /// The next whole message received, as a range of the buffer, reading more before
    /// `deadline` if it is not all there. The caller moves `start` past it.
    fn frame(&mut self, deadline: Instant) -> Result<std::ops::Range<usize>, Text> {
        loop {
            let waiting = &self.buffer[self.start..self.end];
            match ber::header(waiting) {
                Ok(Some((head, length))) if waiting.len() >= head + length => {
                    return Ok(self.start..self.start + head + length);
                }
                Ok(Some((head, length))) => self.make_room(head + length),
                Ok(None) => self.make_room(0),
                Err(e) => return Err(malformed(&AnswerError::Ber(e))),
            }
            // Each read waits at most until the page's deadline, however the server trickles.
            let left = left(deadline).ok_or_else(|| no_answer(self.timeout))?;
            self.socket
                .set_read_timeout(Some(left))
                .map_err(|e| io_why(&e))?;
            match self.link.read(&mut self.buffer[self.end..]) {
                Ok(0) => return Err(closed()),
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.io_error(&e)),
            }
        }
    }

    /// A read or write error: a timeout is the deadline passing.
    fn io_error(&self, error: &std::io::Error) -> Text {
        use std::io::ErrorKind as K;
        match error.kind() {
            K::WouldBlock | K::TimedOut => no_answer(self.timeout),
            _ => io_why(error),
        }
    }

    /// Room to read more: at least `whole` bytes from `start` (the size of the message waiting,
    /// 0 while its header is not all there) and one byte more than is waiting. What was read is
    /// dropped first, by moving what waits to the front; the buffer grows only for a message
    /// larger than it, and never past [`ber::MAX_LENGTH`] and a header.
    fn make_room(&mut self, whole: usize) {
        let waiting = self.end - self.start;
        let needed = whole.max(waiting + 1);
        if self.start + needed > self.buffer.len() {
            self.buffer.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = waiting;
        }
        if needed > self.buffer.len() {
            self.buffer.resize(needed, 0);
        }
    }
}

/// The time left before `deadline`, if any (a zero timeout would mean "none" to the socket).
fn left(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

/// A TCP connection to the directory before `deadline`, wrapped in TLS for `ldaps://` (the
/// handshake done here, so that a certificate the client refuses is a connection error); with
/// the socket, to set deadlines on.
fn dial(
    address: &Address,
    ca_file: Option<&std::path::Path>,
    deadline: Instant,
    timeout: Duration,
) -> Result<(Box<dyn Link>, TcpStream), Text> {
    let late = || no_answer(timeout);
    let timed_out = |e: &std::io::Error| match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => late(),
        _ => io_why(e),
    };
    let addresses = (address.host.as_str(), address.port)
        .to_socket_addrs()
        .map_err(|e| io_why(&e))?;
    let mut last = None;
    let mut tcp = None;
    for socket_address in addresses {
        let left = left(deadline).ok_or_else(late)?;
        match TcpStream::connect_timeout(&socket_address, left) {
            Ok(stream) => {
                tcp = Some(stream);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(tcp), _) => tcp,
        (None, Some(e)) => return Err(timed_out(&e)),
        (None, None) => {
            return Err(Text::new(
                format!("aucune adresse pour {}", address.host),
                format!("no address for {}", address.host),
            ));
        }
    };
    // Requests are small and each waits for its answer: send them at once.
    tcp.set_nodelay(true).map_err(|e| io_why(&e))?;
    let socket = tcp.try_clone().map_err(|e| io_why(&e))?;
    if !address.tls {
        return Ok((Box::new(tcp), socket));
    }
    let config = tls_config(ca_file)?;
    let name = rustls::pki_types::ServerName::try_from(address.host.clone())
        .map_err(|e| quoted(&e.to_string()))?;
    let connection =
        rustls::ClientConnection::new(config, name).map_err(|e| quoted(&e.to_string()))?;
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    while tls.conn.is_handshaking() {
        let left = left(deadline).ok_or_else(late)?;
        let timeouts = socket
            .set_read_timeout(Some(left))
            .and_then(|()| socket.set_write_timeout(Some(left)));
        timeouts.map_err(|e| io_why(&e))?;
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| timed_out(&e))?;
    }
    Ok((Box::new(tls), socket))
}

/// A TLS configuration trusting exactly the CA(s) in `path`, or else the system's.
fn tls_config(path: Option<&std::path::Path>) -> Result<Arc<rustls::ClientConfig>, Text> {
    let roots = match path {
        Some(path) => roots_of(path)?,
        None => system_roots(),
    };
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| quoted(&e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The certificates of the system's trust store; those it cannot read are left out, so a
/// directory they would have vouched for is refused (unknown issuer), never trusted blindly.
fn system_roots() -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    roots
}

/// The CA(s) of a PEM file.
fn roots_of(path: &std::path::Path) -> Result<rustls::RootCertStore, Text> {
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
    Ok(roots)
}

/// Entries per page: small enough that no production size limit truncates a page.
pub const PAGE_SIZE: i32 = 500;

/// Pages in a row without an entry before the search is given up.
const MAX_EMPTY_PAGES: u32 = 100;

#[cfg(test)]
mod tests {
    use super::super::entry::raw;
    use super::super::message::tests::{answer, paged, result};
    use super::*;
    use std::net::TcpListener;

    /// What the scripted directory does with a request.
    enum Reply {
        /// Sends these bytes.
        Bytes(Vec<u8>),
        /// Sends these bytes one at a time, a little apart, for ever.
        Drip(Vec<u8>),
        /// Says nothing, keeping the connection open.
        Silence,
    }

    /// A directory on 127.0.0.1 that answers the requests of one connection as `script` says,
    /// given each request's number (from 0), message ID and bytes.
    fn directory(script: impl Fn(usize, i32, &[u8]) -> Reply + Send + 'static) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
        let url = format!("ldap://{}", listener.local_addr().expect("an address"));
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().expect("a connection");
            let mut received = Vec::new();
            for number in 0.. {
                let request = loop {
                    if let Ok(Some((head, length))) = ber::header(&received)
                        && received.len() >= head + length
                    {
                        break received.drain(..head + length).collect::<Vec<u8>>();
                    }
                    let mut chunk = [0; 4096];
                    match socket.read(&mut chunk) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => received.extend_from_slice(&chunk[..n]),
                    }
                };
                let mut message = ber::Elements::of(&request);
                let mut message = ber::Elements::of(message.expect(ber::SEQUENCE).unwrap());
                let id = ber::integer(message.expect(ber::INTEGER).unwrap()).unwrap();
                let id = i32::try_from(id).unwrap();
                match script(number, id, &request) {
                    Reply::Bytes(bytes) => {
                        if socket.write_all(&bytes).is_err() {
                            return;
                        }
                    }
                    Reply::Drip(bytes) => {
                        for byte in bytes.iter().cycle() {
                            std::thread::sleep(Duration::from_millis(100));
                            if socket.write_all(&[*byte]).is_err() {
                                return;
                            }
                        }
                    }
                    Reply::Silence => {
                        std::thread::sleep(Duration::from_secs(60));
                        return;
                    }
                }
            }
        });
        url
    }

    fn access(url: &str, bind: bool) -> Access {
        Access {
            url: url.to_owned(),
            base_dn: "dc=x".into(),
            bind: bind.then(|| ("cn=audit,dc=x".to_owned(), "s3cret".to_owned())),
            ca_file: None,
            timeout: Duration::from_secs(1),
        }
    }

    const BIND_RESPONSE: u8 = 0x61;
    const ENTRY: u8 = 0x64;
    const DONE: u8 = 0x65;

    /// Reads every entry of a people search, or the error.
    fn read_all(access: &Access) -> Result<Vec<String>, DirectoryError> {
        let mut session = Session::open(access)?;
        let mut dns = Vec::new();
        session.search(access, Filter::Present("cn"), &["cn"], &mut |e| {
            dns.push(e.dn.to_owned());
        })?;
        session.close();
        Ok(dns)
    }

    fn entry(id: i32, dn: &str) -> Vec<u8> {
        answer(id, ENTRY, &raw(dn, &[("cn", &["x"])]), &[])
    }

    #[test]
    fn pages_are_followed_with_the_servers_cookie_until_it_is_empty() {
        let url = directory(|number, id, request| match number {
            0 => Reply::Bytes(answer(id, BIND_RESPONSE, &result(0, ""), &[])),
            1 => {
                let mut page = entry(id, "cn=a,dc=x");
                page.extend(entry(id, "cn=b,dc=x"));
                page.extend(answer(id, DONE, &result(0, ""), &paged(b"page-2")));
                Reply::Bytes(page)
            }
            2 => {
                // The second page asks with the first page's cookie.
                assert!(request.windows(6).any(|w| w == b"page-2"));
                let mut page = entry(id, "cn=c,dc=x");
                page.extend(answer(id, DONE, &result(0, ""), &paged(b"")));
                Reply::Bytes(page)
            }
            _ => Reply::Silence,
        });
        let dns = read_all(&access(&url, true)).expect("entries");
        assert_eq!(dns, ["cn=a,dc=x", "cn=b,dc=x", "cn=c,dc=x"]);
    }

    #[test]
    fn a_refused_bind_quotes_the_server_and_never_the_password() {
        let url = directory(|_, id, _| {
            Reply::Bytes(answer(id, BIND_RESPONSE, &result(49, "bad password"), &[]))
        });
        let e = read_all(&access(&url, true)).unwrap_err();
        assert!(matches!(e, DirectoryError::Bind { .. }), "{e:?}");
        assert_eq!(
            e.text().fr,
            "authentification (bind) refusée pour cn=audit,dc=x : le serveur a répondu \
             « rc=49 (invalidCredentials), dn: \"\", text: \"bad password\" »"
        );
        assert!(!format!("{e:?}{}", e.text().en).contains("s3cret"));
    }

    #[test]
    fn a_refused_connection_is_said_in_french() {
        let e = read_all(&access("ldap://127.0.0.1:1", false)).unwrap_err();
        assert_eq!(
            e.text().fr,
            "connexion impossible à ldap://127.0.0.1:1 : connexion refusée"
        );
        // Unit tests never set the language of errors: English, as a library user sees it.
        assert_eq!(e.to_string(), e.text().en);
    }

    #[test]
    fn a_silent_or_dripping_server_is_given_up_at_the_deadline() {
        let silent = directory(|_, _, _| Reply::Silence);
        let e = read_all(&access(&silent, false)).unwrap_err();
        assert_eq!(
            e.text().fr,
            "la recherche sous dc=x a échoué : aucune réponse en 1 s"
        );
        // An entry that never ends, a byte every 100 ms: each byte is an answer, the page's
        // deadline is not.
        let dripping = directory(|_, id, _| Reply::Drip(entry(id, "cn=a,dc=x")));
        let started = Instant::now();
        let e = read_all(&access(&dripping, false)).unwrap_err();
        assert!(e.text().fr.ends_with("aucune réponse en 1 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn hostile_answers_are_errors_not_allocations_or_loops() {
        // A message that says it is 2 GiB long.
        let huge = directory(|_, _, _| Reply::Bytes(vec![0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]));
        let e = read_all(&access(&huge, false)).unwrap_err();
        assert!(e.text().fr.contains("réponse LDAP non conforme"), "{e}");
        // An answer to another request.
        let other = directory(|_, id, _| Reply::Bytes(entry(id + 1, "cn=a,dc=x")));
        let e = read_all(&access(&other, false)).unwrap_err();
        assert!(e.text().en.contains("an answer to message 2"), "{e}");
        // Cut in the middle of an entry.
        let cut = directory(|_, id, _| {
            let whole = entry(id, "cn=a,dc=x");
            Reply::Bytes(whole[..whole.len() / 2].to_vec())
        });
        let url = cut;
        // The server closes once its script runs dry: the next request finds it gone.
        let e = read_all(&access(&url, false)).unwrap_err();
        assert!(
            e.text().fr.contains("fermé la connexion") || e.text().fr.contains("aucune réponse"),
            "{e}"
        );
        // Empty pages for ever.
        let endless =
            directory(|_, id, _| Reply::Bytes(answer(id, DONE, &result(0, ""), &paged(b"again"))));
        let e = read_all(&access(&endless, false)).unwrap_err();
        assert!(e.text().fr.contains("page vide sur page vide"), "{e}");
        // A notice of disconnection.
        let notice =
            directory(|_, _, _| Reply::Bytes(answer(0, 0x78, &result(52, "shutting down"), &[])));
        let e = read_all(&access(&notice, false)).unwrap_err();
        assert!(e.text().en.contains("rc=52 (unavailable)"), "{e}");
    }

    #[test]
    fn addresses_are_read_with_their_default_ports() {
        let parse = |url: &str| Address::parse(url).map(|a| (a.tls, a.host, a.port));
        assert_eq!(
            parse("ldap://dir.ent.fr"),
            Ok((false, "dir.ent.fr".into(), 389))
        );
        assert_eq!(
            parse("LDAPS://dir.ent.fr"),
            Ok((true, "dir.ent.fr".into(), 636))
        );
        assert_eq!(
            parse("ldaps://127.0.0.1:1636/dc=x??sub"),
            Ok((true, "127.0.0.1".into(), 1636))
        );
        assert_eq!(
            parse("ldap://[::1]:10389"),
            Ok((false, "::1".into(), 10389))
        );
        assert_eq!(parse("ldap://[::1]"), Ok((false, "::1".into(), 389)));
        for bad in [
            "http://dir",
            "dir.ent.fr:389",
            "ldap://",
            "ldap://dir:port",
            "ldap://dir:99999",
            "ldap://user@dir",
            "ldap://[::1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
