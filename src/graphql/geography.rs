//! Geography: regions of every scheme and countries, served from the in-memory catalogue.

use std::sync::Arc;

use async_graphql::{Context, ID, Object};

use crate::catalog;
use crate::error::GqlResult;
use crate::graphql::linked::Linked;
use crate::graphql::reference::{RegionCode, RegionScheme, UnStatus, catalog, known};
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
    /// The entries that belong here (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(
            Scope::Region(self.0.code.clone(), self.0.countries.clone()),
            Facet::Region,
            self.0.code.clone(),
        )
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
    /// The entries that belong here (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(
            Scope::Country(self.0.alpha2.clone()),
            Facet::Country,
            self.0.alpha2.clone(),
        )
    }
}
