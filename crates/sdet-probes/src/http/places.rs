//! A host's places: how many requests may be in flight to it at once, handed out to the most
//! urgent request waiting rather than to the first come.
//!
//! An audit's probes are chains of dependent round trips: a login flow cannot send its ticket
//! validation before the login has answered. With a first-come queue, every step of the longest
//! chain waits behind the one-shot reads that queued meanwhile, and the audit lasts the chain
//! *plus* the queue at every step. Served by priority (a probe's expected length, see
//! `Check::length`), the longest chain goes first at each of its steps and the short reads fill
//! the places it leaves: the audit lasts about as long as its longest chain, or its share of the
//! host's places, whichever is longer. Equals are served in the order they came.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::oneshot;

/// How urgent a request is: a free place goes to the most urgent waiting request. The probes
/// give their check's expected length in round trips; anything else waits its turn at 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Priority(pub usize);

/// The places of one host.
#[derive(Debug)]
pub(crate) struct Places {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    free: usize,
    waiting: BinaryHeap<Waiter>,
    /// Numbers the waiters in order of arrival, so equals are served first come, first served.
    arrivals: u64,
}

/// A request waiting for a place; it is woken by being handed one.
#[derive(Debug)]
struct Waiter {
    priority: Priority,
    arrival: u64,
    wake: oneshot::Sender<()>,
}

impl Ord for Waiter {
    /// The greater is served first: the higher priority, then the earlier arrival.
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .cmp(&other.priority)
            .then_with(|| other.arrival.cmp(&self.arrival))
    }
}

impl PartialOrd for Waiter {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Waiter {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Waiter {}

/// A place held; dropping it hands it to the most urgent waiter, or frees it.
#[derive(Debug)]
pub(crate) struct Place(Arc<Places>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.release();
    }
}

impl Places {
    /// `n` places, all free.
    pub(crate) fn new(n: usize) -> Arc<Places> {
        Arc::new(Places {
            state: Mutex::new(State {
                free: n,
                waiting: BinaryHeap::new(),
                arrivals: 0,
            }),
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a place. A place is taken at once only when it is free and nobody waits: a
    /// request that just came never passes one that was waiting.
    pub(crate) async fn acquire(self: &Arc<Self>, priority: Priority) -> Place {
        let wake = {
            let mut state = self.state();
            if state.free > 0 && state.waiting.is_empty() {
                state.free -= 1;
                return Place(Arc::clone(self));
            }
            let (wake, woken) = oneshot::channel();
            let arrival = state.arrivals;
            state.arrivals += 1;
            state.waiting.push(Waiter {
                priority,
                arrival,
                wake,
            });
            Waiting {
                places: Arc::clone(self),
                woken,
            }
        };
        wake.await
    }

    /// `n` more places (a host that turned out to take several requests on one connection).
    pub(crate) fn add(&self, n: usize) {
        for _ in 0..n {
            self.release();
        }
    }

    /// A place comes back: to the most urgent waiter still waiting, or to the free ones.
    fn release(&self) {
        let mut state = self.state();
        while let Some(waiter) = state.waiting.pop() {
            // A waiter whose request was given up (its probe ran out of time) is skipped.
            if waiter.wake.send(()).is_ok() {
                return;
            }
        }
        state.free += 1;
    }
}

/// The wait for a place. Dropped after it was handed one but before it saw it (its probe ran
/// out of time just then), it gives the place back: none is ever lost.
struct Waiting {
    places: Arc<Places>,
    woken: oneshot::Receiver<()>,
}

impl std::future::Future for Waiting {
    type Output = Place;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Place> {
        match std::pin::Pin::new(&mut self.woken).poll(cx) {
            std::task::Poll::Ready(Ok(())) => {
                // Seen: from here on the place is the `Place`'s to give back, not this wait's.
                self.woken.close();
                std::task::Poll::Ready(Place(Arc::clone(&self.places)))
            }
            // `Err`: the sender is only ever dropped after a send, or with the whole `Places`,
            // which this wait holds, so it cannot come.
            std::task::Poll::Ready(Err(_)) | std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.woken.close();
        if self.woken.try_recv().is_ok() {
            self.places.release();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Places, Priority};

    const NOW: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn a_free_place_goes_to_the_most_urgent_then_the_first_come() {
        let places = Places::new(1);
        let held = places.acquire(Priority(0)).await;
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, priority) in [
            ("short", 1),
            ("long", 9),
            ("short again", 1),
            ("longer", 12),
        ] {
            let (places, order) = (places.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let _place = places.acquire(Priority(priority)).await;
                order.lock().unwrap().push(name);
            }));
            // Let it queue before the next one comes.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        drop(held);
        for task in tasks {
            task.await.expect("task");
        }
        assert_eq!(
            *order.lock().unwrap(),
            ["longer", "long", "short", "short again"]
        );
    }

    #[tokio::test]
    async fn a_wait_given_up_loses_no_place() {
        let places = Places::new(1);
        let held = places.acquire(Priority(0)).await;
        // Given up while waiting: the place it would have had goes to the next one.
        assert!(
            tokio::time::timeout(NOW, places.acquire(Priority(5)))
                .await
                .is_err()
        );
        drop(held);
        let again = tokio::time::timeout(NOW, places.acquire(Priority(0)))
            .await
            .expect("the place came back");
        // Handed a place, then dropped before it looked: the place comes back too.
        let mut waiting = Box::pin(places.acquire(Priority(0)));
        assert!(futures::poll!(&mut waiting).is_pending(), "queued");
        drop(again);
        assert_eq!(places.state().waiting.len(), 0, "handed the place");
        drop(waiting);
        let _last = tokio::time::timeout(NOW, places.acquire(Priority(0)))
            .await
            .expect("the place came back");
        assert_eq!(places.state().free, 0);
    }

    #[tokio::test]
    async fn added_places_serve_the_waiting_first() {
        let places = Places::new(1);
        let _held = places.acquire(Priority(0)).await;
        let waiter = {
            let places = places.clone();
            tokio::spawn(async move { places.acquire(Priority(0)).await })
        };
        tokio::time::sleep(Duration::from_millis(5)).await;
        places.add(2);
        let _woken = tokio::time::timeout(NOW, waiter)
            .await
            .expect("woken")
            .expect("task");
        let _free = tokio::time::timeout(NOW, places.acquire(Priority(0)))
            .await
            .expect("one left");
        assert_eq!(places.state().free, 0);
    }
}
