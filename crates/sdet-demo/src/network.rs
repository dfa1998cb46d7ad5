//! The network between the auditor and the reference ENT, as the ENT sees it: an injectable
//! latency per request, and a count of the requests each listener serves at once and of the
//! connections open to it at once.
//!
//! On loopback every round trip is free, so an audit that chains its requests badly or queues them
//! behind the politeness limits looks as fast as one that does not; a delay before each answer
//! makes the schedule show (`bench/network.sh`). The count is the server's own observation of the
//! auditor's politeness: a request is in flight from the moment its handler stack starts until its
//! response leaves it, latency included. Every response of the reference ENT is a whole body built
//! by then, so what is left to send is bytes already written, not work the client waits on.
//!
//! Over HTTP/2 one connection carries several requests at once, so both counts matter: the
//! auditor's politeness bounds the requests in flight per host and the connections it opens.
//! A connection is open from its acceptance (before TLS) until the server lets its socket go.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The longest latency accepted: enough to model an ENT across an ocean, short of a hang.
pub const MAX_LATENCY: Duration = Duration::from_secs(10);

/// What one listener has served so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerTraffic {
    /// `https`, `http` or `ldap`.
    pub listener: &'static str,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// Requests received (LDAP: operations that get an answer).
    pub requests: u64,
    /// The most requests in flight at once.
    pub max_in_flight: u64,
    /// Connections accepted (LDAP: one per client).
    pub connections: u64,
    /// The most connections open at once.
    pub max_connections: u64,
}

/// One listener's counters, shared by its connections.
#[derive(Debug)]
pub(crate) struct Meter {
    listener: &'static str,
    address: String,
    latency: Duration,
    requests: Gauge,
    connections: Gauge,
}

/// How many of something came, how many are here now, and the most that were here at once.
#[derive(Debug, Default)]
struct Gauge {
    total: AtomicU64,
    now: AtomicU64,
    most: AtomicU64,
}

impl Gauge {
    fn enter(&self) {
        self.total.fetch_add(1, Ordering::Relaxed);
        let now = self.now.fetch_add(1, Ordering::AcqRel) + 1;
        self.most.fetch_max(now, Ordering::AcqRel);
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Meter {
    pub(crate) fn new(listener: &'static str, address: String, latency: Duration) -> Arc<Self> {
        Arc::new(Self {
            listener,
            address,
            latency,
            requests: Gauge::default(),
            connections: Gauge::default(),
        })
    }

    /// Counts a request in until the guard drops, and returns after the latency.
    pub(crate) async fn enter(self: &Arc<Self>) -> InFlight {
        self.requests.enter();
        let guard = InFlight(Arc::clone(self));
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        guard
    }

    /// Counts a connection in until the guard drops.
    pub(crate) fn connect(self: &Arc<Self>) -> Open {
        self.connections.enter();
        Open(Arc::clone(self))
    }

    pub(crate) fn traffic(&self) -> ListenerTraffic {
        ListenerTraffic {
            listener: self.listener,
            address: self.address.clone(),
            requests: self.requests.total.load(Ordering::Acquire),
            max_in_flight: self.requests.most.load(Ordering::Acquire),
            connections: self.connections.total.load(Ordering::Acquire),
            max_connections: self.connections.most.load(Ordering::Acquire),
        }
    }
}

/// A request in flight; dropping it (the response has left, or the connection is gone) counts it
/// out.
pub(crate) struct InFlight(Arc<Meter>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.requests.leave();
    }
}

/// A connection open; dropping it (its socket is let go) counts it out.
pub(crate) struct Open(Arc<Meter>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.connections.leave();
    }
}

/// The innermost acceptor of an HTTP listener: counts each accepted connection in, and out when
/// the server drops its socket.
#[derive(Clone)]
pub(crate) struct Counting(pub(crate) Arc<Meter>);

impl<S> axum_server::accept::Accept<tokio::net::TcpStream, S> for Counting {
    type Stream = Counted<tokio::net::TcpStream>;
    type Service = S;
    type Future = std::future::Ready<io::Result<(Self::Stream, S)>>;

    fn accept(&self, stream: tokio::net::TcpStream, service: S) -> Self::Future {
        let open = self.0.connect();
        std::future::ready(Ok((
            Counted {
                stream,
                _open: open,
            },
            service,
        )))
    }
}

/// A stream counted open for as long as it lives; it reads and writes as its inner stream does.
pub(crate) struct Counted<T> {
    stream: T,
    _open: Open,
}

impl<T: AsyncRead + Unpin> AsyncRead for Counted<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Counted<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// The outermost layer of both HTTP listeners: count the request in, wait the latency, answer,
/// count it out.
pub(crate) async fn delay(
    State(meter): State<Arc<Meter>>,
    request: Request,
    next: Next,
) -> Response {
    let _in_flight = meter.enter().await;
    next.run(request).await
}

/// Why a `--latency` was refused: data, so the command line words it in its own language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLatency {
    /// Not a number of milliseconds or seconds.
    #[error("`{0}` is not a latency: write milliseconds (`50`, `50ms`) or seconds (`0.05s`)")]
    NotANumber(String),
    /// Negative, or not finite.
    #[error("`{0}` is not a latency: it must be 0 or more")]
    Negative(String),
    /// Above [`MAX_LATENCY`].
    #[error("latency `{0}` is above the {max} s the reference ENT accepts", max = MAX_LATENCY.as_secs())]
    TooLong(String),
}

/// Parses a latency: `50ms`, `0.05s`, `1s`, or a bare number of milliseconds (`50`).
pub fn parse_latency(text: &str) -> Result<Duration, BadLatency> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        (text, 1e-3)
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| BadLatency::NotANumber(text.to_owned()))?;
    if !value.is_finite() || value < 0.0 {
        return Err(BadLatency::Negative(text.to_owned()));
    }
    let seconds = value * scale;
    if seconds > MAX_LATENCY.as_secs_f64() {
        return Err(BadLatency::TooLong(text.to_owned()));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_read_in_milliseconds_or_seconds() {
        let ms = Duration::from_millis;
        assert_eq!(parse_latency("50ms"), Ok(ms(50)));
        assert_eq!(parse_latency("50"), Ok(ms(50)));
        assert_eq!(parse_latency(" 0 "), Ok(ms(0)));
        assert_eq!(parse_latency("0.05s"), Ok(ms(50)));
        assert_eq!(parse_latency("2s"), Ok(ms(2000)));
        for bad in ["", "ms", "-1ms", "fast", "NaNms", "11s", "1e9"] {
            assert!(parse_latency(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_latency("-1"), Err(BadLatency::Negative("-1".into())));
        assert_eq!(parse_latency("11s"), Err(BadLatency::TooLong("11s".into())));
    }

    #[tokio::test]
    async fn the_meter_sees_overlapping_requests() {
        let meter = Meter::new("https", "127.0.0.1:1".into(), Duration::from_millis(20));
        let (a, b) = tokio::join!(meter.enter(), meter.enter());
        drop((a, b));
        let _c = meter.enter().await;
        let seen = meter.traffic();
        assert_eq!(seen.requests, 3);
        assert_eq!(seen.max_in_flight, 2);
    }

    #[test]
    fn the_meter_sees_overlapping_connections() {
        let meter = Meter::new("https", "127.0.0.1:1".into(), Duration::ZERO);
        let (a, b) = (meter.connect(), meter.connect());
        drop(a);
        let c = meter.connect();
        drop((b, c));
        let _d = meter.connect();
        let seen = meter.traffic();
        assert_eq!((seen.connections, seen.max_connections), (4, 2));
        assert_eq!((seen.requests, seen.max_in_flight), (0, 0));
    }
}
