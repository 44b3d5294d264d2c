//! `entryStats`: facets and the category × SDG matrix over any filter, and the `entryCount` of
//! every reference type. Each facet is one SQL statement (`store::facets`).

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use sea_orm::{Condition, DatabaseConnection};

use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::compact;
use crate::graphql::entries::EntryFilter;
use crate::graphql::entry::{EntryStatus, StakeholderType};
use crate::graphql::loaders::{CountOf, Loaders};
use crate::graphql::reference::{ActionLine, Country, Region, RegionScheme, Sdg, catalog};
use crate::graphql::share;
use crate::ratelimit::Meter;
use crate::store;
use crate::store::facets::{Facet, Span};

/// The number of visible entries under one key of a facet (through the request's loader, so a
/// list of 249 countries with their counts costs one statement).
pub async fn entry_count(ctx: &Context<'_>, facet: Facet, key: String) -> GqlResult<i64> {
    let n = ctx.data_unchecked::<Loaders>().load_one(CountOf(facet, key)).await;
    Ok(n.map_err(AppError::from).gql()?.unwrap_or(0))
}

/// Entries per category.
#[derive(SimpleObject)]
pub struct ActionLineCount {
    pub action_line: ActionLine,
    pub count: i64,
}

/// Entries per SDG.
#[derive(SimpleObject)]
pub struct SdgCount {
    pub sdg: Sdg,
    pub count: i64,
}

/// Entries per region.
#[derive(SimpleObject)]
pub struct RegionCount {
    pub region: Region,
    pub count: i64,
}

/// Entries per country.
#[derive(SimpleObject)]
pub struct CountryCount {
    pub country: Country,
    pub count: i64,
}

/// Entries per stakeholder type of the submitting organisation.
#[derive(SimpleObject)]
pub struct StakeholderTypeCount {
    pub stakeholder_type: StakeholderType,
    pub count: i64,
}

/// Entries per status.
#[derive(SimpleObject)]
pub struct StatusCount {
    pub status: EntryStatus,
    pub count: i64,
}

/// Entries per year of submission or last update.
#[derive(SimpleObject)]
pub struct YearCount {
    pub year: i32,
    pub count: i64,
}

/// Entries tagged with both a category and an SDG.
#[derive(SimpleObject)]
pub struct MatrixCell {
    pub category: ActionLine,
    pub sdg: Sdg,
    pub count: i64,
}

/// Counts over the entries matching a filter. Every facet honours the filter and the caller's
/// visibility, so `total` equals `entries(filter) { totalCount }`; an entry counts once under
/// each key it has (an entry in three countries counts for each of them).
pub struct EntryStats {
    condition: Condition,
    /// The part of the summary that answers these counts, when the filter is one it keeps
    /// (published entries, unfiltered or of one region, in a range of years or all).
    summary: Option<Span>,
    /// Its scopes (read once, for the first facet).
    scopes: tokio::sync::OnceCell<Vec<String>>,
    /// About how many entries match (estimated once, for the first facet counted live).
    matching: tokio::sync::OnceCell<u64>,
}

/// A facet counted over the matching entries (not read from the summary) costs a point per
/// this many of them, on top of the query's complexity: its cost follows what it scans.
pub const ENTRIES_PER_POINT: u64 = 100;

/// The points a live facet over `matching` entries costs.
pub fn scan_points(matching: u64) -> usize {
    usize::try_from(matching.div_ceil(ENTRIES_PER_POINT).max(1)).unwrap_or(usize::MAX)
}

impl EntryStats {
    /// The summary scopes that answer these counts, if any.
    async fn scopes(&self, ctx: &Context<'_>) -> GqlResult<Option<&[String]>> {
        let Some(span) = &self.summary else {
            return Ok(None);
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let scopes = self
            .scopes
            .get_or_try_init(|| async {
                let _permit = share::held(ctx).await;
                store::facets::span_scopes(db, span).await
            })
            .await
            .gql()?;
        Ok(Some(scopes.as_slice()))
    }

    async fn counts(&self, ctx: &Context<'_>, facet: Facet, limit: Option<u64>) -> GqlResult<Vec<(String, i64)>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        if let Some(scopes) = self.scopes(ctx).await? {
            let _permit = share::held(ctx).await;
            if let Some(counts) = store::facets::span_counts(db, facet, scopes, limit).await.gql()? {
                return Ok(counts);
            }
        }
        self.charge_scan(ctx).await?;
        let _permit = share::held(ctx).await;
        store::facets::counts(db, facet, &self.condition, limit).await.gql()
    }

    /// Every key's count for `facet`, from the summary or counted live.
    pub(crate) async fn facet(&self, ctx: &Context<'_>, facet: Facet) -> GqlResult<Vec<(String, i64)>> {
        self.counts(ctx, facet, None).await
    }

    /// Charges the request for a facet counted over the matching entries, before it runs;
    /// refused (`RATE_LIMITED`) when the client's points do not cover it.
    async fn charge_scan(&self, ctx: &Context<'_>) -> GqlResult<()> {
        let Some(meter) = ctx.data_opt::<Arc<Meter>>() else {
            return Ok(());
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let matching = *self
            .matching
            .get_or_try_init(|| async {
                let _permit = share::held(ctx).await;
                store::entries::estimate(db, &self.condition).await
            })
            .await
            .gql()?;
        meter
            .charge_more(scan_points(matching))
            .map_err(|e| async_graphql::Error {
                message: e.message,
                source: None,
                extensions: e.extensions,
            })
    }
}

/// Counts over the entries matching a filter. Every facet honours the filter and the caller's
/// visibility, so `total` equals `entries(filter) { totalCount }`; an entry counts once under
/// each key it has (an entry in three countries counts for each of them).
#[Object]
impl EntryStats {
    /// How many entries match.
    async fn total(&self, ctx: &Context<'_>) -> GqlResult<i64> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        if let Some(scopes) = self.scopes(ctx).await? {
            let _permit = share::held(ctx).await;
            return store::facets::span_total(db, scopes).await.gql();
        }
        let _permit = share::held(ctx).await;
        Ok(store::entries::count(db, &self.condition).await.gql()? as i64)
    }
    /// Per category, in catalogue order; C7 counts entries tagged with C7 or any sub-line.
    async fn by_action_line(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionLineCount>> {
        let counts = self.counts(ctx, Facet::ActionLine, None).await?;
        let cat = catalog(ctx);
        let mut out: Vec<ActionLineCount> = counts
            .into_iter()
            .filter_map(|(k, count)| {
                cat.action_line(&k).map(|a| ActionLineCount {
                    action_line: ActionLine(a.clone()),
                    count,
                })
            })
            .collect();
        out.sort_by_key(|c| c.action_line.0.idx);
        Ok(out)
    }
    /// Per SDG, by goal number.
    async fn by_sdg(&self, ctx: &Context<'_>) -> GqlResult<Vec<SdgCount>> {
        let counts = self.counts(ctx, Facet::Sdg, None).await?;
        let cat = catalog(ctx);
        let mut out: Vec<SdgCount> = counts
            .into_iter()
            .filter_map(|(k, count)| {
                k.parse().ok().and_then(|n| cat.sdg(n)).map(|s| SdgCount {
                    sdg: Sdg(s.clone()),
                    count,
                })
            })
            .collect();
        out.sort_by_key(|c| c.sdg.0.number);
        Ok(out)
    }
    /// Per region of one scheme (through the entries' countries and their own regional tags).
    async fn by_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "RegionScheme::ItuD")] scheme: RegionScheme,
    ) -> GqlResult<Vec<RegionCount>> {
        let counts = self.counts(ctx, Facet::Region, None).await?;
        let cat = catalog(ctx);
        let mut out: Vec<RegionCount> = counts
            .into_iter()
            .filter_map(|(k, count)| {
                cat.region(&k)
                    .filter(|r| r.scheme == scheme.code())
                    .map(|r| RegionCount {
                        region: Region(r.clone()),
                        count,
                    })
            })
            .collect();
        out.sort_by_key(|c| c.region.0.idx);
        Ok(out)
    }
    /// The countries with the most entries, most first (1–250; default 20).
    async fn by_country(&self, ctx: &Context<'_>, #[graphql(default = 20)] first: i32) -> GqlResult<Vec<CountryCount>> {
        if !(1..=250).contains(&first) {
            return Err(AppError::bad_input("first", "`first` must be between 1 and 250")).gql();
        }
        let counts = self.counts(ctx, Facet::Country, Some(first as u64)).await?;
        let cat = catalog(ctx);
        Ok(counts
            .into_iter()
            .filter_map(|(k, count)| {
                cat.country(&k).map(|c| CountryCount {
                    country: Country(c.clone()),
                    count,
                })
            })
            .collect())
    }
    /// Per stakeholder type, most first.
    async fn by_stakeholder_type(&self, ctx: &Context<'_>) -> GqlResult<Vec<StakeholderTypeCount>> {
        let counts = self.counts(ctx, Facet::StakeholderType, None).await?;
        Ok(counts
            .into_iter()
            .filter_map(|(k, count)| {
                entity::enums::StakeholderType::parse(&k).map(|t| StakeholderTypeCount {
                    stakeholder_type: t.into(),
                    count,
                })
            })
            .collect())
    }
    /// Per status, most first.
    async fn by_status(&self, ctx: &Context<'_>) -> GqlResult<Vec<StatusCount>> {
        let counts = self.counts(ctx, Facet::Status, None).await?;
        Ok(counts
            .into_iter()
            .filter_map(|(k, count)| {
                entity::enums::EntryStatus::parse(&k).map(|s| StatusCount {
                    status: s.into(),
                    count,
                })
            })
            .collect())
    }
    /// Per year of submission or last update, oldest first.
    async fn by_year(&self, ctx: &Context<'_>) -> GqlResult<Vec<YearCount>> {
        let counts = self.counts(ctx, Facet::Year, None).await?;
        let mut out: Vec<YearCount> = counts
            .into_iter()
            .filter_map(|(k, count)| k.parse().ok().map(|year| YearCount { year, count }))
            .collect();
        out.sort_by_key(|c| c.year);
        Ok(out)
    }
    /// Per Global Digital Compact objective, in the Compact's order.
    async fn by_gdc_objective(&self, ctx: &Context<'_>) -> GqlResult<Vec<compact::GdcObjectiveCount>> {
        compact::by_objective(self, ctx).await
    }
    /// Category × Global Digital Compact objective, for every pair that has entries.
    async fn gdc_matrix(&self, ctx: &Context<'_>) -> GqlResult<Vec<compact::GdcMatrixCell>> {
        compact::matrix(self, ctx).await
    }
    /// Category × SDG: how many entries are tagged with both, for every pair that has any.
    async fn matrix(&self, ctx: &Context<'_>) -> GqlResult<Vec<MatrixCell>> {
        let counts = self.counts(ctx, Facet::Matrix, None).await?;
        let cat = catalog(ctx);
        let mut out: Vec<MatrixCell> = counts
            .into_iter()
            .filter_map(|(k, count)| {
                let (category, sdg) = k.split_once('|')?;
                Some(MatrixCell {
                    category: ActionLine(cat.action_line(category)?.clone()),
                    sdg: Sdg(cat.sdg(sdg.parse().ok()?)?.clone()),
                    count,
                })
            })
            .collect();
        out.sort_by_key(|c| (c.category.0.idx, c.sdg.0.number));
        Ok(out)
    }
}

/// The stats query.
#[derive(Default)]
pub struct StatsQuery;

/// The stats query.
#[Object]
impl StatsQuery {
    /// Counts of the entries matching `filter` by category, SDG, region, country, stakeholder
    /// type, status and year, and the category × SDG matrix: for reports and dashboards. Only
    /// the facets selected are computed (one SQL statement each). Published entries,
    /// unfiltered or of one region, in every year or a range of years, are read from a
    /// summary; any other filter is counted over the matching entries, and each such facet
    /// costs a rate-limit point per 100 entries it scans (on top of the query's complexity;
    /// see `extensions.cost.requested`).
    async fn entry_stats(&self, ctx: &Context<'_>, filter: Option<EntryFilter>) -> GqlResult<EntryStats> {
        let resolved = filter.unwrap_or_default().resolve(catalog(ctx)).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let condition = resolved.visible_condition(db.get_database_backend(), crate::graphql::context::visible(ctx));
        Ok(EntryStats {
            condition,
            summary: resolved.summary_span(),
            scopes: Default::default(),
            matching: Default::default(),
        })
    }
}
