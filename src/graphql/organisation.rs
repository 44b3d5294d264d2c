//! The `Organisation` type.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::{enums, organisation};
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::entries::OrderDirection;
use crate::graphql::entry::StakeholderType;
use crate::graphql::linked::Linked;
use crate::graphql::page::{Connection, Total};
use crate::graphql::pagination::{self, ValueKind};
use crate::graphql::reference::{Country, RegionCode, catalog};
use crate::ids::{self, Kind};
use crate::store::entries::Scope;
use crate::store::facets::Facet;
use crate::store::organisations::{self as store, OrgKey};
use crate::store::search::Search;

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
    /// The entries that belong here (`entries`, `entryCount`).
    #[graphql(flatten)]
    async fn linked(&self) -> Linked {
        Linked::new(
            Scope::Organisation(self.0.id),
            Facet::Organisation,
            self.0.id.to_string(),
        )
    }
}

/// Which organisations `organisations` lists; fields combine with AND, lists match any of
/// their values.
#[derive(InputObject, Default, Debug)]
pub struct OrganisationFilter {
    /// Words of the name, any case; the last one also matches as the beginning of a word
    /// (`"kenya ict auth"` finds "Kenya ICT Authority").
    pub search: Option<String>,
    /// Where the organisation is based: ISO alpha-2 or alpha-3 codes, any case.
    pub countries: Option<Vec<String>>,
    /// Regions of any scheme, through the organisation's country.
    pub regions: Option<Vec<RegionCode>>,
    pub stakeholder_types: Option<Vec<StakeholderType>>,
}

impl OrganisationFilter {
    fn resolve(&self, cat: &Catalog) -> Result<store::OrganisationFilter, AppError> {
        let mut out = store::OrganisationFilter {
            search: self.search.as_deref().and_then(Search::parse),
            ..Default::default()
        };
        let mut countries: Option<BTreeSet<String>> = None;
        if let Some(codes) = &self.countries {
            let mut set = BTreeSet::new();
            for code in codes {
                let c = cat
                    .country(&code.trim().to_ascii_uppercase())
                    .ok_or_else(|| AppError::bad_input("filter.countries", format!("unknown country code `{code}`")))?;
                set.insert(c.alpha2.clone());
            }
            countries = Some(set);
        }
        if let Some(regions) = &self.regions {
            let mut set = BTreeSet::new();
            for r in regions {
                let region = cat
                    .region(r.code())
                    .ok_or_else(|| AppError::bad_input("filter.regions", format!("unknown region `{}`", r.code())))?;
                set.extend(region.countries.iter().cloned());
            }
            // Both given: the countries of those regions that were asked for.
            countries = Some(match countries {
                Some(c) => c.intersection(&set).cloned().collect(),
                None => set,
            });
        }
        out.countries = countries.map(|c| c.into_iter().collect());
        out.stakeholder_types = self
            .stakeholder_types
            .iter()
            .flatten()
            .map(|t| enums::StakeholderType::from(*t).as_str().to_owned())
            .collect();
        Ok(out)
    }
}

/// What to order organisations by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationOrderField {
    /// By name (in byte order: capitals before small letters, as entry titles sort).
    Name,
    /// By how many published entries the organisation has.
    EntryCount,
}

/// An ordering of organisations; ties are broken by the organisation's id.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct OrganisationOrder {
    pub field: OrganisationOrderField,
    /// Default: `ASC` for `NAME`, `DESC` (most entries first) for `ENTRY_COUNT`.
    pub direction: Option<OrderDirection>,
}

/// One organisation of a page, with its cursor.
#[derive(SimpleObject)]
pub struct OrganisationEdge {
    /// Pass as `after` (or `before`) to page from here.
    pub cursor: String,
    /// The organisation.
    pub node: Organisation,
}

/// A page of organisations (Relay connection).
pub type OrganisationConnection = Connection<OrganisationEdge>;

/// The organisations directory.
#[derive(Default)]
pub struct OrganisationQuery;

#[Object]
impl OrganisationQuery {
    /// The organisations that submit entries: partners look themselves up (for their id),
    /// commissions list those of their region. Ordered by name (default) or by entry count;
    /// Relay keyset pages both ways (at most 100; default 20).
    #[graphql(complexity = "crate::graphql::pagination::cost(first, last, child_complexity)")]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        filter: Option<OrganisationFilter>,
        order_by: Option<OrganisationOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> GqlResult<OrganisationConnection> {
        directory(ctx, filter, order_by, (first, after, last, before))
            .await
            .gql()
    }
}

async fn directory(
    ctx: &Context<'_>,
    filter: Option<OrganisationFilter>,
    order_by: Option<OrganisationOrder>,
    (first, after, last, before): (Option<i32>, Option<String>, Option<i32>, Option<String>),
) -> Result<OrganisationConnection, AppError> {
    let resolved = filter.unwrap_or_default().resolve(catalog(ctx))?;
    let order = order_by.unwrap_or(OrganisationOrder {
        field: OrganisationOrderField::Name,
        direction: None,
    });
    let (key, kind, name) = match order.field {
        OrganisationOrderField::Name => (OrgKey::Name, ValueKind::Text, "ORGANISATION NAME"),
        OrganisationOrderField::EntryCount => (OrgKey::EntryCount, ValueKind::Int, "ORGANISATION ENTRY_COUNT"),
    };
    let descending = match order.direction {
        Some(d) => d == OrderDirection::Desc,
        None => order.field == OrganisationOrderField::EntryCount,
    };
    let ordering = if descending {
        format!("{name} DESC")
    } else {
        name.to_owned()
    };
    let window = pagination::window(first, after, last, before)?;
    let field = window.cursor_field();
    let seek = window
        .cursor
        .as_deref()
        .map(|c| pagination::decode_named(c, &ordering, kind, field))
        .transpose()?;
    let had_cursor = seek.is_some();
    let condition = resolved.condition();
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let up = descending == window.backward;
    let permit = crate::graphql::share::held(ctx).await;
    let mut rows = store::page(db, &condition, key, up, seek.as_ref(), window.size + 1).await?;
    drop(permit);
    let more = window.settle(&mut rows);
    let edges: Vec<OrganisationEdge> = rows
        .into_iter()
        .map(|r| OrganisationEdge {
            cursor: pagination::encode_named(&ordering, &r.seek),
            node: Organisation(Arc::new(r.organisation)),
        })
        .collect();
    let total = Total::Organisations(condition);
    Ok(OrganisationConnection::new(edges, &window, more, had_cursor, total))
}
