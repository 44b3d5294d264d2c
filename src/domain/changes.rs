//! The change signal: a write that commits pokes it, and every subscription (and, with the
//! poller in `app.rs`, every write another process made) wakes to read the change log from
//! the last sequence it saw.

use std::sync::Arc;

use tokio::sync::watch;

/// Wakes the subscriptions when the change log may have grown.
#[derive(Clone)]
pub struct ChangeSignal(Arc<watch::Sender<i64>>);

impl Default for ChangeSignal {
    fn default() -> Self {
        ChangeSignal(Arc::new(watch::channel(0).0))
    }
}

impl ChangeSignal {
    /// Wakes every subscription.
    pub fn poke(&self) {
        self.0.send_modify(|n| *n += 1);
    }

    /// A receiver that sees every later poke.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.0.subscribe()
    }
}
