//! `regionalReport`: the regional report of `GET /reports/regions/{code}` as data
//! ([`crate::domain::report`]). Only the parts selected are read.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use entity::entry;

use crate::domain::report::{self, Parts, Report, ReportSpec};
use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::context::{self, caller, catalog, db};
use crate::graphql::entry::{Entry, PrizeResult};
use crate::graphql::loaders::prefetch;
use crate::graphql::reference::{ActionLine, Country, Region, RegionCode, Sdg};
use crate::graphql::stats::{ActionLineCount, CountryCount, MatrixCell, SdgCount, StakeholderTypeCount, YearCount};

/// A WSIS Prize won by an entry of the report's region.
#[derive(SimpleObject)]
pub struct ReportPrize {
    /// The year of the prize.
    pub year: i32,
    /// The prize category.
    pub category: ActionLine,
    /// Winner or champion.
    pub result: PrizeResult,
    /// The entry that won it.
    pub entry: Entry,
}

/// The region's submissions waiting for review: for admins and the region's own key only.
#[derive(SimpleObject)]
pub struct PendingSubmissions {
    /// How many there are.
    pub total_count: i64,
    /// The 50 that have waited longest, oldest first.
    pub entries: Vec<Entry>,
}

/// A regional report: what a regional commission publishes about its region, for a range
/// of years. Every count equals `entryStats`' for the filter `{regions: [region], yearFrom:
/// from, yearTo: to}` (published entries).
pub struct RegionalReport {
    report: Report,
    /// The entries of `prizes`, `recentEntries` and `pending`, in that order.
    entries: Vec<Entry>,
}

/// A regional report: what a regional commission publishes about its region, for a range
/// of years. Every count equals `entryStats`' for the filter `{regions: [region], yearFrom:
/// from, yearTo: to}` (published entries).
#[Object]
impl RegionalReport {
    /// The region reported on.
    async fn region(&self) -> Region {
        Region(self.report.region.clone())
    }
    /// The first year covered (by the entries' year of submission or last update), if any.
    async fn from(&self) -> Option<i32> {
        self.report.from
    }
    /// The last year covered, if any.
    async fn to(&self) -> Option<i32> {
        self.report.to
    }
    /// How many published entries the region has in those years.
    async fn total(&self) -> i64 {
        self.report.counts.total
    }
    /// Entries per year, oldest first (years without entries are left out).
    async fn by_year(&self) -> Vec<YearCount> {
        let c = &self.report.counts;
        c.by_year
            .iter()
            .map(|&(year, count)| YearCount { year, count })
            .collect()
    }
    /// Entries per category: the 18, in catalogue order, zeros included.
    async fn by_category(&self) -> Vec<ActionLineCount> {
        let c = &self.report.counts;
        c.by_category
            .iter()
            .map(|(a, count)| ActionLineCount {
                action_line: ActionLine(a.clone()),
                count: *count,
            })
            .collect()
    }
    /// Entries per SDG: the 17, by number, zeros included.
    async fn by_sdg(&self) -> Vec<SdgCount> {
        let c = &self.report.counts;
        c.by_sdg
            .iter()
            .map(|(s, count)| SdgCount {
                sdg: Sdg(s.clone()),
                count: *count,
            })
            .collect()
    }
    /// Category × SDG: entries tagged with both, for every pair that has any (as in
    /// `entryStats`, an entry tagged with the C7 group itself counts under `C7`).
    async fn matrix(&self, ctx: &Context<'_>) -> Vec<MatrixCell> {
        let c = &self.report.counts;
        let mut cells = Vec::new();
        for a in &catalog(ctx).action_lines {
            for (s, _) in &c.by_sdg {
                if let Some(&count) = c.matrix.get(&(a.code.clone(), s.number)) {
                    cells.push(MatrixCell {
                        category: ActionLine(a.clone()),
                        sdg: Sdg(s.clone()),
                        count,
                    });
                }
            }
        }
        cells
    }
    /// The 15 countries with the most entries, most first.
    async fn top_countries(&self) -> Vec<CountryCount> {
        let c = &self.report.counts;
        c.by_country
            .iter()
            .map(|(k, count)| CountryCount {
                country: Country(k.clone()),
                count: *count,
            })
            .collect()
    }
    /// Entries per stakeholder type of the submitting organisation, most first.
    async fn by_stakeholder_type(&self) -> Vec<StakeholderTypeCount> {
        let c = &self.report.counts;
        c.by_stakeholder_type
            .iter()
            .map(|&(t, count)| StakeholderTypeCount {
                stakeholder_type: t.into(),
                count,
            })
            .collect()
    }
    /// The region's WSIS Prize winners and champions whose prize year lies within `from`–`to`,
    /// newest year first.
    async fn prizes(&self, ctx: &Context<'_>) -> Vec<ReportPrize> {
        let cat = catalog(ctx);
        self.report
            .prizes
            .iter()
            .zip(&self.entries)
            .filter_map(|(a, e)| {
                Some(ReportPrize {
                    year: a.prize.year,
                    category: ActionLine(cat.action_line(&a.prize.category)?.clone()),
                    result: a.prize.result.into(),
                    entry: e.clone(),
                })
            })
            .collect()
    }
    /// The 20 most recently updated published entries.
    async fn recent_entries(&self) -> Vec<Entry> {
        let start = self.report.prizes.len();
        self.entries[start..start + self.report.recent.len()].to_vec()
    }
    /// The region's submissions waiting for review, for admins and for the key of this very
    /// region (a commission's or an ITU-D region's); null for every other caller. They count
    /// in none of the figures above.
    async fn pending(&self) -> Option<PendingSubmissions> {
        let p = self.report.pending.as_ref()?;
        let start = self.report.prizes.len() + self.report.recent.len();
        Some(PendingSubmissions {
            total_count: p.total as i64,
            entries: self.entries[start..].to_vec(),
        })
    }
    /// The report as a printable page with charts (a path on this server).
    async fn html_url(&self) -> String {
        let r = &self.report;
        crate::report::path(&r.region.code, r.from, r.to, "")
    }
    /// The report as CSV (a path on this server).
    async fn csv_url(&self) -> String {
        let r = &self.report;
        crate::report::path(&r.region.code, r.from, r.to, ".csv")
    }
}

/// The report query.
#[derive(Default)]
pub struct ReportQuery;

/// The report query.
#[Object]
impl ReportQuery {
    /// The regional report for `region` (any scheme) over the entries whose year of
    /// submission or last update lies in `from`–`to` (either open): counts by year, category,
    /// SDG, category × SDG, country and stakeholder type, prize winners and champions, the
    /// latest projects, and the pending submissions for the region's own key. The same report
    /// is served as a page at `htmlUrl` and as CSV at `csvUrl`.
    #[graphql(complexity = "50 + child_complexity")]
    async fn regional_report(
        &self,
        ctx: &Context<'_>,
        region: RegionCode,
        from: Option<i32>,
        to: Option<i32>,
    ) -> GqlResult<RegionalReport> {
        let look = ctx.look_ahead();
        let fields = [
            "byYear",
            "byCategory",
            "bySdg",
            "matrix",
            "topCountries",
            "byStakeholderType",
        ];
        let parts = Parts {
            total: look.field("total").exists(),
            facets: report::FACETS
                .into_iter()
                .zip(fields)
                .filter(|(_, f)| look.field(f).exists())
                .map(|(facet, _)| facet)
                .collect(),
            prizes: look.field("prizes").exists(),
            recent: look.field("recentEntries").exists(),
            pending: look.field("pending").exists(),
        };
        let spec = ReportSpec {
            region: region.code().to_owned(),
            from,
            to,
        };
        let (db, cat) = (db(ctx), catalog(ctx));
        let report = report::build(db, cat, caller(ctx), &spec, &parts).await.gql()?;
        let models: Vec<entry::Model> = report
            .prizes
            .iter()
            .map(|a| &a.entry)
            .chain(&report.recent)
            .chain(report.pending.iter().flat_map(|p| &p.entries))
            .map(|l| (*l.entry).clone())
            .collect();
        let selections = [
            look.field("prizes").field("entry"),
            look.field("recentEntries"),
            look.field("pending").field("entries"),
        ];
        let private = crate::domain::access::may_see_private(caller(ctx));
        prefetch(context::loaders(ctx), db, &selections, &models, private)
            .await
            .gql()?;
        let entries = models.into_iter().map(|m| Entry(Arc::new(m))).collect();
        Ok(RegionalReport { report, entries })
    }
}
