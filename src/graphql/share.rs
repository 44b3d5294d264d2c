//! One request's share of the connection pool: the statements a request runs side by side
//! (the facets of `entryStats`, aliased counts and pages) hold at most
//! `LIMIT_REQUEST_CONNECTIONS` pooled connections at once; the rest of the request queues
//! behind them rather than in front of other callers.

use async_graphql::Context;
use tokio::sync::{Semaphore, SemaphorePermit};

/// The request's permits (in the request's data).
pub struct Share(Semaphore);

impl Share {
    /// A share of `connections` (at least 1).
    pub fn new(connections: usize) -> Share {
        Share(Semaphore::new(connections.max(1)))
    }
}

/// Waits for one of the request's connections; hold the permit across one statement only (a
/// statement that waited for a second permit while holding one could wait for ever). `None`
/// when the request has no share (a schema executed without the HTTP layer).
pub async fn held<'a>(ctx: &Context<'a>) -> Option<SemaphorePermit<'a>> {
    ctx.data_opt::<Share>()?.0.acquire().await.ok()
}
