//! Geography: regions of every scheme and countries, served from the in-memory catalogue.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use crate::catalog;
use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::entries::{self, EntryConnection, EntryFilter, EntryOrder};
use crate::graphql::reference::{RegionCode, RegionScheme, UnStatus, catalog, known};
use crate::graphql::stats::entry_count;
use crate::ids::{self, Kind};
use crate::store::entries::Scope;
use crate::store::facets::Facet;

/// A region: an ITU-D region, a UN Regional Commission or an ITU administrative region.
#[derive(Clone)]
pub struct Region(pub Arc<catalog::Region>);

/// A region: an ITU-D region, a UN Regional Commission or an ITU administrative region.
#[Object]
impl Region {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Region, &self.0.code)
    }
    /// The region's code.
    async fn code(&self) -> GqlResult<RegionCode> {
        known(RegionCode::from_code(&self.0.code), "region code")
    }
    /// The classification this region belongs to.
    async fn scheme(&self) -> GqlResult<RegionScheme> {
        known(RegionScheme::from_code(&self.0.scheme), "region scheme")
    }
    /// The region's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Member countries and territories, by name.
    async fn countries(&self, ctx: &Context<'_>) -> Vec<Country> {
        let cat = catalog(ctx);
        self.0
            .countries
            .iter()
            .filter_map(|c| cat.country(c))
            .cloned()
            .map(Country)
            .collect()
    }
    /// Entries of this region (through their countries or their own regional tag) that match `filter` (a Relay connection).
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
        let scope = Scope::Region(self.0.code.clone(), self.0.countries.clone());
        entries::connection(ctx, Some(scope), (filter, order_by, first, after, last, before))
            .await
            .gql()
    }
    /// How many entries of this region (through their countries or their own regional tag) the caller may see.
    async fn entry_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        entry_count(ctx, Facet::Region, self.0.code.clone()).await
    }
}

/// A country or territory, with its ISO and UN codes and its region in each scheme.
#[derive(Clone)]
pub struct Country(pub Arc<catalog::Country>);

/// A country or territory, with its ISO and UN codes and its region in each scheme.
#[Object]
impl Country {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Country, &self.0.alpha2)
    }
    /// ISO 3166-1 alpha-2 code (the country's code throughout this API).
    async fn code(&self) -> &str {
        &self.0.alpha2
    }
    /// ISO 3166-1 alpha-2 code.
    async fn alpha2(&self) -> &str {
        &self.0.alpha2
    }
    /// ISO 3166-1 alpha-3 code.
    async fn alpha3(&self) -> &str {
        &self.0.alpha3
    }
    /// UN M49 numeric code as a string with leading zeros ("004"); null where M49 has none.
    async fn m49(&self) -> Option<&str> {
        self.0.m49.as_deref()
    }
    /// ISO 3166-1 English short name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Member state, observer, or neither.
    async fn un_status(&self) -> GqlResult<UnStatus> {
        known(UnStatus::from_code(&self.0.un_status), "UN status")
    }
    /// The ITU-D region (exactly one).
    async fn itu_region(&self, ctx: &Context<'_>) -> GqlResult<Region> {
        known(catalog(ctx).region(&self.0.itu_region).cloned().map(Region), "region")
    }
    /// The UN Regional Commissions the country belongs to (none, one or several).
    async fn commissions(&self, ctx: &Context<'_>) -> Vec<Region> {
        let cat = catalog(ctx);
        self.0
            .commissions
            .iter()
            .filter_map(|c| cat.region(c))
            .cloned()
            .map(Region)
            .collect()
    }
    /// The ITU administrative region A–E (exactly one).
    async fn admin_region(&self, ctx: &Context<'_>) -> GqlResult<Region> {
        known(catalog(ctx).region(&self.0.admin_region).cloned().map(Region), "region")
    }
    /// Entries of this country that match `filter` (a Relay connection).
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
        let scope = Scope::Country(self.0.alpha2.clone());
        entries::connection(ctx, Some(scope), (filter, order_by, first, after, last, before))
            .await
            .gql()
    }
    /// How many entries of this country the caller may see.
    async fn entry_count(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        entry_count(ctx, Facet::Country, self.0.alpha2.clone()).await
    }
}
