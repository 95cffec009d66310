//! The connection cap of one listener (README "Live mode", limits): at most
//! [`MAX_CONNECTIONS`] open at once. When a new one arrives at the cap, the oldest
//! connection that is not in the middle of a request is closed to make room — idle
//! and slow clients cannot lock others out — and only when every connection is busy
//! does the newcomer get a 503.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

use super::limits::MAX_CONNECTIONS;

/// What one connection shares with the table.
#[derive(Debug, Default)]
pub struct ConnState {
    /// Requests being handled on the connection now.
    busy: AtomicUsize,
    /// Notified when the table closes the connection to make room.
    pub evicted: Notify,
}

/// The open connections of one listener, oldest first.
#[derive(Debug)]
pub struct ConnTable {
    cap: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next: u64,
    open: BTreeMap<u64, Arc<ConnState>>,
}

/// A connection's place in the table; leaving drops it.
#[derive(Debug)]
pub struct ConnSlot {
    table: Arc<ConnTable>,
    key: u64,
    pub state: Arc<ConnState>,
}

/// Marks a connection busy while a request is handled.
pub struct Busy(Arc<ConnState>);

impl ConnState {
    pub fn busy(self: &Arc<Self>) -> Busy {
        self.busy.fetch_add(1, Ordering::SeqCst);
        Busy(Arc::clone(self))
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Default for ConnTable {
    fn default() -> Self {
        ConnTable::with_cap(MAX_CONNECTIONS)
    }
}

impl ConnTable {
    pub fn with_cap(cap: usize) -> Self {
        ConnTable {
            cap,
            inner: Mutex::new(Inner::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot for a new connection, closing the oldest idle one if the table is full;
    /// `None` when every open connection is busy.
    pub fn admit(self: &Arc<Self>) -> Option<ConnSlot> {
        let mut inner = self.lock();
        if inner.open.len() >= self.cap {
            let idle = inner
                .open
                .iter()
                .find(|(_, s)| s.busy.load(Ordering::SeqCst) == 0)
                .map(|(&k, _)| k)?;
            if let Some(state) = inner.open.remove(&idle) {
                // The permit is stored if the connection is not waiting yet.
                state.evicted.notify_one();
            }
        }
        inner.next += 1;
        let key = inner.next;
        let state = Arc::new(ConnState::default());
        inner.open.insert(key, Arc::clone(&state));
        Some(ConnSlot {
            table: Arc::clone(self),
            key,
            state,
        })
    }

    /// Connections open now.
    pub fn len(&self) -> usize {
        self.lock().open.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for ConnSlot {
    fn drop(&mut self) {
        self.table.lock().open.remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_table_closes_its_oldest_idle_connection_or_refuses() {
        let table = Arc::new(ConnTable::with_cap(2));
        let a = table.admit().expect("room");
        let b = table.admit().expect("room");
        let _a_busy = a.state.busy();
        // b is the oldest idle one: it makes room for c.
        let c = table.admit().expect("b is idle");
        assert_eq!(table.len(), 2);
        assert!(
            std::sync::Arc::strong_count(&b.state) == 1,
            "b left the table"
        );
        let _c_busy = c.state.busy();
        assert!(table.admit().is_none(), "a and c are both busy");
        drop(c);
        assert_eq!(table.len(), 1);
        assert!(table.admit().is_some());
    }
}
