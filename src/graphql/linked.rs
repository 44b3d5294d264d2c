//! The `entries` connection that the root query, categories, goals, regions, countries and
//! organisations share, and the `entryCount` beside it: one definition, flattened into each.

use async_graphql::{Context, Object};

use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::entries::{self, EntryConnection, EntryFilter, EntryOrder};
use crate::graphql::stats::entry_count;
use crate::store::entries::Scope;
use crate::store::facets::Facet;

/// The entries that belong to a category (with its sub-lines), a goal, a region (through
/// their countries or their own regional tag), a country or an organisation.
pub struct Linked {
    scope: Scope,
    facet: Facet,
    key: String,
}

impl Linked {
    pub fn new(scope: Scope, facet: Facet, key: impl Into<String>) -> Linked {
        Linked {
            scope,
            facet,
            key: key.into(),
        }
    }
}

/// The entries that belong to a category, goal, region, country or organisation.
#[Object(visible = false)]
impl Linked {
    /// The `entries` connection, within this one's scope.
    #[graphql(flatten)]
    async fn pages(&self) -> Entries {
        Entries(Some(self.scope.clone()))
    }

    /// How many of the entries that belong here the caller may see (as `entries` counts them).
    async fn entry_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        entry_count(ctx, self.facet, self.key.clone()).await
    }
}

/// The `entries` connection, of the whole register or within a scope.
pub struct Entries(pub Option<Scope>);

/// The `entries` connection, of the whole register or within a scope.
#[Object(visible = false)]
impl Entries {
    /// Entries that match `filter` (of this category, goal, region, country or organisation when
    /// asked of one), a page at a time: at most 100, default 20. Pass `first` and `after` to page
    /// forward, `last` and `before` to page backward. A category's entries include its
    /// sub-lines' (C7); a region's are those of its countries and those tagged with it.
    #[graphql(complexity = "crate::graphql::pagination::cost(first, last, child_complexity)")]
    async fn entries(
        &self,
        ctx: &Context<'_>,
        filter: Option<EntryFilter>,
        order_by: Option<EntryOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<EntryConnection> {
        let args = (filter, order_by, first, after, last, before);
        entries::connection(ctx, self.0.clone(), args).await.gql()
    }
}
