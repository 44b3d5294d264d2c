//! `viewer`: who the caller is, by its API key.

use async_graphql::{Context, Enum, Object, SimpleObject};

use crate::caller::{Access, Caller};
use crate::error::GqlResult;
use crate::graphql::organisation::Organisation;
use crate::graphql::reference::{Region, catalog};

/// A caller's role.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerRole {
    /// No API key: published entries and public fields only.
    Anonymous,
    /// ITU staff: every entry, every field, every action.
    Admin,
    /// A partner organisation: submits and updates its own entries, and sees them in every state.
    Partner,
    /// A regional commission (or ITU-D region): sees and reviews the entries of its region.
    Commission,
    /// A repository integration: upserts its source's entries by their external ids.
    Integration,
}

/// The caller of this request.
pub struct Viewer(Caller);

/// A caller's rate limit.
#[derive(SimpleObject)]
pub struct RateLimit {
    /// Points per period.
    pub limit: u32,
    /// What this request cost.
    pub cost: u32,
    /// Points left after this request.
    pub remaining: u32,
    /// When the caller's points are all restored.
    pub reset_at: chrono::DateTime<chrono::Utc>,
    /// The period over which points refill, in seconds.
    pub period_seconds: u64,
}

/// The caller of this request.
#[Object]
impl Viewer {
    /// The caller's role.
    async fn role(&self) -> ViewerRole {
        match self.0.access {
            Access::Anonymous => ViewerRole::Anonymous,
            Access::Admin => ViewerRole::Admin,
            Access::Partner(_) => ViewerRole::Partner,
            Access::Commission(_) => ViewerRole::Commission,
            Access::Integration(_) => ViewerRole::Integration,
        }
    }
    /// The API key's number (as `stocktaking api-key list` shows it); null when anonymous.
    async fn key_id(&self) -> Option<i64> {
        self.0.key.as_ref().map(|(id, _)| *id)
    }
    /// The API key's label, if it was given one.
    async fn label(&self) -> Option<&str> {
        self.0.key.as_ref().and_then(|(_, label)| label.as_deref())
    }
    /// A partner's organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> GqlResult<Option<Organisation>> {
        let Access::Partner(org) = self.0.access else {
            return Ok(None);
        };
        crate::graphql::organisation::load(ctx, org).await
    }
    /// A commission's region.
    async fn region(&self, ctx: &Context<'_>) -> Option<Region> {
        let Access::Commission(code) = &self.0.access else {
            return None;
        };
        catalog(ctx).region(code).cloned().map(Region)
    }
    /// The caller's rate limit after this request was charged: points are a query's cost
    /// (its complexity; `extensions.cost.requested`), and refill evenly over the period. Null
    /// when the caller is not limited. The same figures are in the `x-ratelimit-*` headers.
    async fn rate_limit(&self, ctx: &Context<'_>) -> Option<RateLimit> {
        let meter = ctx.data_opt::<std::sync::Arc<crate::ratelimit::Meter>>()?;
        let standing = meter.standing()?;
        Some(RateLimit {
            limit: standing.limit,
            cost: standing.cost,
            remaining: standing.remaining,
            reset_at: chrono::Utc::now() + standing.reset,
            period_seconds: meter.period().as_secs(),
        })
    }
    /// An integration's source name (as in `Entry.externalRefs`).
    async fn source(&self) -> Option<&str> {
        match &self.0.access {
            Access::Integration(source) => Some(source),
            _ => None,
        }
    }
}

/// The `viewer` query.
#[derive(Default)]
pub struct ViewerQuery;

/// The `viewer` query.
#[Object]
impl ViewerQuery {
    /// Who the caller is: the role and binding of the API key sent in `Authorization: Bearer`.
    async fn viewer(&self, ctx: &Context<'_>) -> Viewer {
        Viewer(ctx.data_opt::<Caller>().cloned().unwrap_or_else(Caller::anonymous))
    }
}
