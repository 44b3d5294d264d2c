//! The `Organisation` type.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use entity::organisation;

use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::entries::{self, EntryConnection, EntryFilter, EntryOrder};
use crate::graphql::entry::StakeholderType;
use crate::graphql::ids::{self, Kind};
use crate::graphql::reference::{Country, catalog};
use crate::graphql::stats::entry_count;
use crate::store::entries::Scope;
use crate::store::facets::Facet;

/// An organisation by id, through the request's loader.
pub async fn load(ctx: &Context<'_>, id: i64) -> GqlResult<Option<Organisation>> {
    let loaded = ctx
        .data_unchecked::<crate::graphql::loaders::Loaders>()
        .load_one(crate::graphql::loaders::OrgId(id))
        .await;
    Ok(loaded.map_err(crate::error::AppError::from).gql()?.map(Organisation))
}

/// An organisation that submits entries: a government body, company, NGO, university or
/// international organisation.
#[derive(Clone)]
pub struct Organisation(pub Arc<organisation::Model>);

/// An organisation that submits entries: a government body, company, NGO, university or
/// international organisation.
#[Object]
impl Organisation {
    /// Opaque global id, for `node(id:)` and `EntryFilter.organisation`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Organisation, self.0.id)
    }
    /// The organisation's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Government, private sector, civil society, academia, international organisation, other.
    async fn stakeholder_type(&self) -> StakeholderType {
        self.0.stakeholder_type.into()
    }
    /// Where the organisation is based; null for some international organisations.
    async fn country(&self, ctx: &Context<'_>) -> Option<Country> {
        self.0
            .country
            .as_deref()
            .and_then(|c| catalog(ctx).country(c))
            .cloned()
            .map(Country)
    }
    /// The organisation's website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The organisation's entries that match `filter`.
    #[allow(clippy::too_many_arguments)] // the Relay arguments and the filter
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
        let scope = Scope::Organisation(self.0.id);
        entries::connection(ctx, Some(scope), (filter, order_by, first, after, last, before))
            .await
            .gql()
    }
    /// How many of the organisation's entries the caller may see.
    async fn entry_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        entry_count(ctx, Facet::Organisation, self.0.id.to_string()).await
    }
}
