//! Anonymous reads shared by the probes of one audit (issue 18). Several probes read the same
//! public documents — the portal's home page, the SAML metadata, the OpenID Connect discovery
//! document, a calendar — and the per-host politeness limit makes every request a production ENT
//! does not need to answer a round of waiting. A read whose request is identical on the wire to
//! one already answered, or in flight, is not sent again: the probe gets that answer
//! (single-flight: a probe asking while the first request is in flight waits for it).
//!
//! Only requests that carry nothing of a session are eligible (a GET with no body, no
//! `Authorization` and no `Cookie`); the session, which knows its cookie jar, decides the rest
//! (see `Session::read`). The answer a probe judges is still one the ENT gave to exactly that
//! request, so a hostile ENT gains nothing from it.
//!
//! What is kept for later probes is bounded: a transport error, or a status that says the server
//! could not answer (408, 429, 5xx), is handed to the probes waiting at that moment but not kept
//! (a later probe tries again, as it would have); and past [`DEFAULT_CAPACITY`] bytes of kept
//! answers, new answers are not kept and later requests are simply sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::Method;
use tokio::sync::watch;

use super::{Request, Response, TransportError};

/// Bytes of answers kept at most per audit (bodies are capped at `max_body` each).
pub const DEFAULT_CAPACITY: usize = 16 * 1024 * 1024;

/// Where a read's answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// This request went to the server.
    Sent,
    /// Another probe's identical request was answered, and this is its answer.
    Shared,
}

type Outcome = Arc<Result<Response, TransportError>>;

/// The answer to one request, as the probes asking for it see it.
#[derive(Debug)]
enum Slot {
    /// Sent, not answered yet: wait on this.
    InFlight(watch::Receiver<Option<Outcome>>),
    /// Answered, and kept (counted in the total).
    Kept(Arc<Response>),
}

/// What identifies a request on the wire, for an eligible one: its URL and its extra headers
/// (names lower-cased, in order).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    url: String,
    headers: Vec<(String, String)>,
}

impl Key {
    /// The key of `request`, or `None` when it may not be shared.
    fn of(request: &Request) -> Option<Key> {
        let private = |name: &str| {
            name.eq_ignore_ascii_case("cookie") || name.eq_ignore_ascii_case("authorization")
        };
        if request.method != Method::GET
            || request.form.is_some()
            || request.body.is_some()
            || request.headers.iter().any(|(name, _)| private(name))
        {
            return None;
        }
        let mut headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.sort();
        Some(Key {
            url: request.url.as_str().to_string(),
            headers,
        })
    }

    fn bytes(&self) -> usize {
        self.url.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.len() + v.len())
                .sum::<usize>()
    }
}

#[derive(Debug, Default)]
struct State {
    slots: HashMap<Key, Slot>,
    /// Bytes of the kept answers and their keys.
    bytes: usize,
}

/// The reads of one audit (one target: never shared across targets).
#[derive(Debug)]
pub struct SharedReads {
    capacity: usize,
    state: Mutex<State>,
}

impl Default for SharedReads {
    fn default() -> Self {
        SharedReads::with_capacity(DEFAULT_CAPACITY)
    }
}

/// What to do for one read, decided under the lock.
enum Turn {
    /// Not eligible, or nothing kept fits any more: send it.
    Send,
    /// Send it, and hand the answer to those who ask meanwhile.
    Lead(Key, watch::Sender<Option<Outcome>>),
    /// Another probe's answer.
    Take(Arc<Response>),
    /// Another probe's request is in flight.
    Wait(watch::Receiver<Option<Outcome>>),
}

impl SharedReads {
    /// Keeps at most `capacity` bytes of answers.
    pub fn with_capacity(capacity: usize) -> SharedReads {
        SharedReads {
            capacity,
            state: Mutex::new(State::default()),
        }
    }

    /// Bytes of answers kept now.
    pub fn kept_bytes(&self) -> usize {
        self.lock().bytes
    }

    /// The answer to `request`: an earlier identical request's, the one in flight's once it
    /// comes, or what `send` gets (then handed to whoever asks meanwhile, and kept for later
    /// when it may be). A request that may not be shared is simply sent.
    pub async fn read<F, Fut>(
        &self,
        request: &Request,
        send: F,
    ) -> (Result<Response, TransportError>, Source)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Response, TransportError>>,
    {
        let Some(key) = Key::of(request) else {
            return (send().await, Source::Sent);
        };
        let lead = loop {
            match self.turn(&key) {
                Turn::Take(response) => return (Ok((*response).clone()), Source::Shared),
                Turn::Wait(mut receiver) => {
                    // `Err`: the leader was dropped (its probe ran out of time) before an answer
                    // came; look again, and lead if nobody else does.
                    let answer = match receiver.wait_for(Option::is_some).await {
                        Ok(answer) => answer.as_ref().map(Arc::clone),
                        Err(_) => None,
                    };
                    if let Some(outcome) = answer {
                        return ((*outcome).clone(), Source::Shared);
                    }
                }
                Turn::Send => break None,
                // Made before sending, so that a probe dropped while it waits frees the slot.
                Turn::Lead(key, sender) => {
                    break Some(Lead {
                        reads: self,
                        key: Some(key),
                        sender,
                    });
                }
            }
        };
        let result = send().await;
        let Some(mut lead) = lead else {
            return (result, Source::Sent);
        };
        let outcome = Arc::new(result);
        lead.finish(&outcome);
        drop(lead);
        let result = Arc::try_unwrap(outcome).unwrap_or_else(|shared| (*shared).clone());
        (result, Source::Sent)
    }

    fn turn(&self, key: &Key) -> Turn {
        let mut state = self.lock();
        match state.slots.get(key) {
            Some(Slot::Kept(response)) => Turn::Take(Arc::clone(response)),
            Some(Slot::InFlight(receiver)) => Turn::Wait(receiver.clone()),
            None if state.bytes >= self.capacity => Turn::Send,
            None => {
                let (sender, receiver) = watch::channel(None);
                state.slots.insert(key.clone(), Slot::InFlight(receiver));
                Turn::Lead(key.clone(), sender)
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The request a probe sent for the others: if its probe is dropped before the answer (a
/// deadline), the slot is freed — before the waiting probes hear of it, as the sender is dropped
/// after `drop` — so that one of them sends its own.
struct Lead<'a> {
    reads: &'a SharedReads,
    key: Option<Key>,
    sender: watch::Sender<Option<Outcome>>,
}

impl Lead<'_> {
    /// Keeps the answer when it may be kept, then hands it to the waiting probes.
    fn finish(&mut self, outcome: &Outcome) {
        let Some(key) = self.key.take() else {
            return;
        };
        let mut state = self.reads.lock();
        state.slots.remove(&key);
        if let Ok(response) = outcome.as_ref()
            && keepable(response)
        {
            let bytes = key.bytes() + size(response);
            if state.bytes + bytes <= self.reads.capacity {
                state.bytes += bytes;
                let response = Arc::new(response.clone());
                state.slots.insert(key, Slot::Kept(response));
            }
        }
        // Under the lock: whoever looks next finds the answer kept, or no slot and sends.
        self.sender.send_replace(Some(Arc::clone(outcome)));
    }
}

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.reads.lock().slots.remove(&key);
        }
    }
}

/// Whether later probes may take this answer: not when it says the server could not answer
/// (the probes would read it as "could not observe"; asked again later, it may answer).
fn keepable(response: &Response) -> bool {
    let code = response.status.as_u16();
    !(code == 408 || code == 429 || response.status.is_server_error())
}

/// The bytes an answer holds.
fn size(response: &Response) -> usize {
    response.url.as_str().len()
        + response.body.len()
        + response
            .headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len())
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use reqwest::StatusCode;
    use reqwest::header::HeaderMap;
    use url::Url;

    use super::*;

    const PAGE: &str = "https://ent.example/";

    fn get(url: &str) -> Request {
        Request::get(Url::parse(url).unwrap())
    }

    fn answer(status: u16, body: &str) -> Response {
        Response {
            url: Url::parse(PAGE).unwrap(),
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: body.to_string(),
            duration: Duration::ZERO,
        }
    }

    /// A server that counts what it is sent and answers `status` after `delay`.
    struct Server {
        sent: AtomicUsize,
        status: u16,
        delay: Duration,
    }

    impl Server {
        fn new(status: u16, delay: Duration) -> Server {
            Server {
                sent: AtomicUsize::new(0),
                status,
                delay,
            }
        }

        async fn answer(&self) -> Result<Response, TransportError> {
            let n = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            Ok(answer(self.status, &format!("answer {n}")))
        }

        fn sent(&self) -> usize {
            self.sent.load(Ordering::SeqCst)
        }
    }

    async fn read(reads: &SharedReads, server: &Server, request: &Request) -> (String, Source) {
        let (result, source) = reads.read(request, || server.answer()).await;
        (result.expect("an answer").body, source)
    }

    #[tokio::test]
    async fn a_read_asked_while_in_flight_waits_for_that_answer() {
        let reads = SharedReads::default();
        let server = Server::new(200, Duration::from_millis(50));
        let request = get(PAGE);
        let (a, b) = tokio::join!(
            read(&reads, &server, &request),
            read(&reads, &server, &request)
        );
        assert_eq!(server.sent(), 1, "one request on the wire");
        assert_eq!(a.0, b.0, "the same answer");
        let mut sources = [a.1, b.1];
        sources.sort_by_key(|s| *s == Source::Shared);
        assert_eq!(sources, [Source::Sent, Source::Shared]);
        // And a later read takes the kept answer.
        assert_eq!(
            read(&reads, &server, &request).await,
            ("answer 1".to_string(), Source::Shared)
        );
        assert_eq!(server.sent(), 1);
    }

    #[tokio::test]
    async fn what_carries_a_session_or_differs_on_the_wire_is_always_sent() {
        let reads = SharedReads::default();
        let server = Server::new(200, Duration::ZERO);
        let plain = get(PAGE);
        assert_eq!(read(&reads, &server, &plain).await.1, Source::Sent);
        let with = |name: &str, value: &str| {
            let mut r = get(PAGE);
            r.headers.push((name.to_string(), value.to_string()));
            r
        };
        let mut head = get(PAGE);
        head.method = Method::HEAD;
        let never = [
            with("Cookie", "sid=1"),
            with("cookie", "sid=1"),
            with("Authorization", "Basic dTpw"),
            with("AUTHORIZATION", "Bearer t"),
            Request::post_form(Url::parse(PAGE).unwrap(), vec![]),
            Request::post_body(Url::parse(PAGE).unwrap(), "text/xml", String::new()),
            {
                let mut r = get(PAGE);
                r.body = Some(String::new());
                r
            },
            head,
        ];
        for request in &never {
            for _ in 0..2 {
                assert_eq!(
                    read(&reads, &server, request).await.1,
                    Source::Sent,
                    "{request:?}"
                );
            }
        }
        assert_eq!(server.sent(), 1 + 2 * never.len());
        // Another header or another URL is another request: sent, then shared in its turn.
        let accept = with("Accept", "text/calendar");
        assert_eq!(read(&reads, &server, &accept).await.1, Source::Sent);
        assert_eq!(read(&reads, &server, &accept).await.1, Source::Shared);
        let other = get("https://ent.example/?x=1");
        assert_eq!(read(&reads, &server, &other).await.1, Source::Sent);
        assert_eq!(read(&reads, &server, &plain).await.1, Source::Shared);
    }

    #[tokio::test]
    async fn an_answer_that_says_the_server_could_not_answer_is_not_kept() {
        for status in [408, 429, 500, 503] {
            let reads = SharedReads::default();
            let server = Server::new(status, Duration::from_millis(30));
            let request = get(PAGE);
            let (a, b) = tokio::join!(
                read(&reads, &server, &request),
                read(&reads, &server, &request)
            );
            assert_eq!(server.sent(), 1, "{status}: those waiting take it");
            assert_eq!(a.0, b.0);
            assert_eq!(read(&reads, &server, &request).await.1, Source::Sent);
            assert_eq!(server.sent(), 2, "{status}: a later read asks again");
            assert_eq!(reads.kept_bytes(), 0);
        }
        // A refusal is an answer like any other.
        let reads = SharedReads::default();
        let server = Server::new(404, Duration::ZERO);
        read(&reads, &server, &get(PAGE)).await;
        assert_eq!(read(&reads, &server, &get(PAGE)).await.1, Source::Shared);
    }

    #[tokio::test]
    async fn a_transport_error_is_not_kept() {
        let reads = SharedReads::default();
        let request = get(PAGE);
        let (result, source) = reads
            .read(&request, || async { Err(TransportError::Timeout(20)) })
            .await;
        assert_eq!(
            (result.unwrap_err(), source),
            (TransportError::Timeout(20), Source::Sent)
        );
        let server = Server::new(200, Duration::ZERO);
        assert_eq!(read(&reads, &server, &request).await.1, Source::Sent);
        assert_eq!(server.sent(), 1);
    }

    #[tokio::test]
    async fn past_the_capacity_answers_are_not_kept_and_reads_are_sent() {
        let page = "x".repeat(1000);
        let reads = SharedReads::with_capacity(2500);
        let sent = AtomicUsize::new(0);
        for path in ["a", "b", "c"] {
            let request = get(&format!("{PAGE}{path}"));
            for _ in 0..2 {
                let (page, sent) = (&page, &sent);
                let _ = reads
                    .read(&request, || async move {
                        sent.fetch_add(1, Ordering::SeqCst);
                        Ok(answer(200, page))
                    })
                    .await;
            }
        }
        // Two answers fit (about 1 kB each with their URLs); the third is sent every time.
        assert_eq!(sent.load(Ordering::SeqCst), 4);
        assert!(reads.kept_bytes() <= 2500, "{}", reads.kept_bytes());
        assert!(reads.kept_bytes() > 2000, "{}", reads.kept_bytes());
    }

    #[tokio::test]
    async fn when_the_first_reader_gives_up_one_waiting_sends_its_own() {
        let reads = SharedReads::default();
        let slow = Server::new(200, Duration::from_secs(30));
        let fast = Server::new(200, Duration::ZERO);
        let request = get(PAGE);
        let first = tokio::time::timeout(Duration::from_millis(50), read(&reads, &slow, &request));
        let second = async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            read(&reads, &fast, &request).await
        };
        let (first, second) = tokio::join!(first, second);
        assert!(first.is_err(), "the first gave up");
        assert_eq!(second, ("answer 1".to_string(), Source::Sent));
        assert_eq!((slow.sent(), fast.sent()), (1, 1));
        assert_eq!(read(&reads, &fast, &request).await.1, Source::Shared);
    }
}
