//! Rate limits by query cost: each API key, and each anonymous client address, has a bucket of
//! points that refills evenly over the period (GCRA, from the `governor` crate). A request is
//! charged its complexity (at least 1 point) once it has been validated, before it executes.
//!
//! The buckets live in this process: with several replicas each keeps its own (docs/DEPLOY.md).

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextValidation};
use async_graphql::{ServerError, ValidationResult};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::caller::{Access, Caller};
use crate::config::RateLimits;

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// A bucket per client, for one class of client.
struct Buckets {
    limit: u32,
    interval: Duration,
    limiter: Keyed,
}

/// The buckets of every class of client: anonymous addresses, then each key role.
pub struct Limiter {
    classes: [Option<Buckets>; 5],
    period: Duration,
}

/// Who is charged: a key (by its id) or an anonymous client (by its address).
#[derive(Debug, Clone)]
pub struct Client {
    class: usize,
    id: String,
}

impl Client {
    /// The client of a request: the caller's key, or else the client address.
    pub fn of(caller: &Caller, address: &str) -> Client {
        let class = match caller.access {
            Access::Anonymous => 0,
            Access::Admin => 1,
            Access::Partner(_) => 2,
            Access::Commission(_) => 3,
            Access::Integration(_) => 4,
        };
        let id = match &caller.key {
            Some((id, _)) => format!("key:{id}"),
            None => format!("addr:{address}"),
        };
        Client { class, id }
    }
}

/// A client's standing after a request was charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Points per period.
    pub limit: u32,
    /// Points left now.
    pub remaining: u32,
    /// Until the client's points are all restored.
    pub reset: Duration,
    /// What this request cost.
    pub cost: u32,
}

/// The limiter's answer for one request.
#[derive(Debug, Clone, Copy)]
pub enum Verdict {
    Allowed(Standing),
    /// Over the limit: retry after the given time.
    Refused {
        standing: Standing,
        retry_after: Duration,
    },
    /// The request costs more than the whole bucket: it can never run.
    TooCostly {
        limit: u32,
    },
}

impl Limiter {
    pub fn new(cfg: &RateLimits) -> Limiter {
        let period = Duration::from_secs(cfg.period_secs.max(1));
        let make = |points: u32| {
            let limit = NonZeroU32::new(points)?;
            let quota = Quota::with_period(period / points)?.allow_burst(limit);
            Some(Buckets {
                limit: points,
                interval: quota.replenish_interval(),
                limiter: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            })
        };
        let or_key = |role: Option<u32>| make(role.unwrap_or(cfg.key));
        Limiter {
            classes: [
                make(cfg.anonymous),
                or_key(cfg.admin),
                or_key(cfg.partner),
                or_key(cfg.commission),
                or_key(cfg.integration),
            ],
            period,
        }
    }

    /// The period over which points refill.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// Charges `cost` points to `client`; `None` when its class is not limited.
    pub fn charge(&self, client: &Client, cost: u32) -> Option<Verdict> {
        let buckets = self.classes[client.class].as_ref()?;
        let n = NonZeroU32::new(cost.max(1)).unwrap_or(NonZeroU32::MIN);
        let verdict = match buckets.limiter.check_key_n(&client.id, n) {
            Err(_) => Verdict::TooCostly { limit: buckets.limit },
            Ok(Ok(snapshot)) => {
                let remaining = snapshot.remaining_burst_capacity();
                Verdict::Allowed(Standing {
                    limit: buckets.limit,
                    remaining,
                    reset: buckets.interval * (buckets.limit - remaining.min(buckets.limit)),
                    cost: n.get(),
                })
            }
            Ok(Err(not_until)) => {
                let retry_after = not_until.wait_time_from(DefaultClock::default().now());
                Verdict::Refused {
                    standing: Standing {
                        limit: buckets.limit,
                        remaining: 0,
                        reset: retry_after + buckets.interval * (buckets.limit - n.get()),
                        cost: n.get(),
                    },
                    retry_after,
                }
            }
        };
        Some(verdict)
    }

    /// Forgets clients whose buckets are full again (bounds memory); called periodically.
    pub fn forget_idle(&self) {
        for buckets in self.classes.iter().flatten() {
            buckets.limiter.retain_recent();
            buckets.limiter.shrink_to_fit();
        }
    }
}

/// One request's meter: who pays, and (once validated) what it cost and what is left. The HTTP
/// layer reads it for the `x-ratelimit-*` headers and `extensions.cost`; `viewer.rateLimit`
/// reads it too.
pub struct Meter {
    limiter: Arc<Limiter>,
    client: Client,
    charged: Mutex<Option<Charge>>,
}

/// What a request was charged.
#[derive(Debug, Clone, Copy)]
pub struct Charge {
    /// The query's complexity (its cost in points).
    pub cost: usize,
    /// The limiter's verdict; `None` when the client is not limited.
    pub verdict: Option<Verdict>,
}

impl Meter {
    pub fn new(limiter: Arc<Limiter>, client: Client) -> Arc<Meter> {
        Arc::new(Meter {
            limiter,
            client,
            charged: Mutex::new(None),
        })
    }

    /// The period over which points refill.
    pub fn period(&self) -> Duration {
        self.limiter.period()
    }

    /// The last charge made through this meter.
    pub fn charged(&self) -> Option<Charge> {
        *self.charged.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn charge(&self, cost: usize) -> Option<Verdict> {
        let points = u32::try_from(cost).unwrap_or(u32::MAX);
        let verdict = self.limiter.charge(&self.client, points);
        *self.charged.lock().unwrap_or_else(|e| e.into_inner()) = Some(Charge { cost, verdict });
        verdict
    }

    /// Charges `points` more to the request, for work its complexity could not foresee (a
    /// facet counted over the entries rather than read from the summary). `Err` carries the
    /// error to answer with when the client's points are spent; the work must then not run.
    pub fn charge_more(&self, points: usize) -> Result<(), ServerError> {
        let mut charged = self.charged.lock().unwrap_or_else(|e| e.into_inner());
        let cost = charged.map_or(0, |c| c.cost).saturating_add(points);
        let verdict = self
            .limiter
            .charge(&self.client, u32::try_from(points).unwrap_or(u32::MAX));
        *charged = Some(Charge { cost, verdict });
        drop(charged);
        match verdict {
            Some(Verdict::Refused { standing, retry_after }) => Err(self.refusal(standing, retry_after)),
            Some(Verdict::TooCostly { limit }) => Err(too_costly(points, limit)),
            _ => Ok(()),
        }
    }

    /// `RATE_LIMITED`, with the seconds to wait.
    fn refusal(&self, standing: Standing, retry_after: Duration) -> ServerError {
        let secs = retry_after.as_secs_f64().ceil() as u64;
        let mut err = ServerError::new(
            format!(
                "rate limit exceeded: {} points per {} s; this request costs {}; retry in {secs} s",
                standing.limit,
                self.limiter.period().as_secs(),
                standing.cost
            ),
            None,
        );
        let mut ext = async_graphql::ErrorExtensionValues::default();
        ext.set("code", "RATE_LIMITED");
        ext.set("retryAfter", secs);
        err.extensions = Some(ext);
        err
    }

    /// The standing this request left its client with.
    pub fn standing(&self) -> Option<Standing> {
        match self.charged()?.verdict? {
            Verdict::Allowed(s) | Verdict::Refused { standing: s, .. } => Some(s),
            Verdict::TooCostly { .. } => None,
        }
    }
}

/// `QUERY_TOO_COMPLEX`: the work costs more than the client's whole bucket, so waiting would
/// not help.
fn too_costly(cost: usize, limit: u32) -> ServerError {
    let mut err = ServerError::new(
        format!("this request costs {cost} points, more than the rate limit of {limit} per period"),
        None,
    );
    let mut ext = async_graphql::ErrorExtensionValues::default();
    ext.set("code", "QUERY_TOO_COMPLEX");
    ext.set("limit", "rateLimit");
    ext.set("max", limit);
    err.extensions = Some(ext);
    err
}

/// The schema extension that charges each validated operation to its request's [`Meter`].
pub struct Metering;

impl ExtensionFactory for Metering {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MeteringExtension)
    }
}

struct MeteringExtension;

#[async_trait::async_trait]
impl Extension for MeteringExtension {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await;
        let Some(meter) = ctx.data_opt::<Arc<Meter>>() else {
            return result;
        };
        // A request refused by validation still costs a point: retrying it is not free.
        let cost = result.as_ref().map_or(1, |r| r.complexity.max(1));
        match meter.charge(cost) {
            Some(Verdict::Refused { standing, retry_after }) => Err(vec![meter.refusal(standing, retry_after)]),
            Some(Verdict::TooCostly { limit }) => Err(vec![too_costly(cost, limit)]),
            _ => result,
        }
    }
}
