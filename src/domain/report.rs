//! A regional report: for one region (of any scheme) and an optional range of years, what a
//! regional commission publishes — entries per year, category, SDG, category × SDG, country and
//! stakeholder type, the region's WSIS Prize winners and champions, the latest projects, and
//! (for the region's own commission and for admins) the submissions waiting for review.
//!
//! Every count is the one `entryStats` gives for the filter `{regions: [region], yearFrom:
//! from, yearTo: to}` and the same caller: published entries, read from the facet summary
//! (its per-year scopes for a range of years).

use std::collections::HashMap;
use std::sync::Arc;

use entity::enums::{Moderation, PrizeResult, StakeholderType};
use entity::{entry, prize};
use sea_orm::{Condition, DatabaseConnection, DbErr};

use crate::caller::{Access, Caller};
use crate::catalog::{ActionLine, Catalog, Country, Region, Sdg};
use crate::domain::filter::FilterSpec;
use crate::error::AppError;
use crate::store;
use crate::store::facets::{Facet, Span};
use crate::store::report::Updated;
use crate::store::visibility;

/// How many countries the report ranks.
pub const TOP_COUNTRIES: u64 = 15;
/// How many recently updated projects it lists.
pub const RECENT: u64 = 20;
/// How many pending submissions it lists (oldest first; the count covers them all).
pub const PENDING: u64 = 50;
/// The prize outcomes it lists.
pub const PRIZE_RESULTS: [PrizeResult; 2] = [PrizeResult::Winner, PrizeResult::Champion];

/// What to report on: a region code (any scheme, any case, `-` for `_`) and years.
#[derive(Debug, Clone)]
pub struct ReportSpec {
    pub region: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// The parts of a report to compute (GraphQL computes only those selected).
#[derive(Debug, Clone)]
pub struct Parts {
    pub total: bool,
    /// The facets to count ([`Counts`] leaves the others empty).
    pub facets: Vec<Facet>,
    pub prizes: bool,
    pub recent: bool,
    pub pending: bool,
}

/// The facets a report counts.
pub const FACETS: [Facet; 6] = [
    Facet::Year,
    Facet::ActionLine,
    Facet::Sdg,
    Facet::Matrix,
    Facet::Country,
    Facet::StakeholderType,
];

impl Parts {
    /// Everything: what the page and the CSV show.
    pub fn all() -> Parts {
        Parts {
            total: true,
            facets: FACETS.to_vec(),
            prizes: true,
            recent: true,
            pending: true,
        }
    }
}

/// An entry as a report lists it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub entry: Arc<entry::Model>,
    pub organisation: String,
    /// Alpha-2 codes.
    pub countries: Vec<String>,
}

/// A prize won by an entry of the region.
#[derive(Debug, Clone)]
pub struct Award {
    pub prize: prize::Model,
    pub entry: Listed,
}

/// The region's submissions waiting for review.
#[derive(Debug, Clone)]
pub struct Pending {
    /// How many there are.
    pub total: u64,
    /// The [`PENDING`] longest waiting.
    pub entries: Vec<Listed>,
}

/// The counts of a report, each the same as `entryStats`' for its filter.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub total: i64,
    /// Oldest year first; years without entries are absent.
    pub by_year: Vec<(i32, i64)>,
    /// The 18 categories in catalogue order, with zeros.
    pub by_category: Vec<(Arc<ActionLine>, i64)>,
    /// The 17 SDGs, with zeros.
    pub by_sdg: Vec<(Arc<Sdg>, i64)>,
    /// Entries tagged with both, by (category code, SDG number); pairs without are absent.
    pub matrix: HashMap<(String, i32), i64>,
    /// The [`TOP_COUNTRIES`] countries with the most entries, most first.
    pub by_country: Vec<(Arc<Country>, i64)>,
    /// Most first; types without entries are absent.
    pub by_stakeholder_type: Vec<(StakeholderType, i64)>,
}

/// A regional report.
#[derive(Debug, Clone)]
pub struct Report {
    pub region: Arc<Region>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub counts: Counts,
    /// Winners and champions whose prize year lies in the report's years, newest first.
    pub prizes: Vec<Award>,
    /// The [`RECENT`] most recently updated published entries.
    pub recent: Vec<Listed>,
    /// `Some` only for admins and for the commission (or ITU-D region key) of this region.
    pub pending: Option<Pending>,
}

/// The region a report's path names: its code in any case, with `-` or `_`.
pub fn region<'a>(cat: &'a Catalog, code: &str) -> Result<&'a Arc<Region>, AppError> {
    let normal = code.trim().to_ascii_uppercase().replace('-', "_");
    cat.region(&normal)
        .ok_or_else(|| AppError::NotFound(format!("there is no region `{code}`; see `regions` for the codes")))
}

/// Builds the parts of a report asked for. Bad input (an unknown region, `from` after `to`) is
/// refused before anything is read.
pub async fn build(
    db: &DatabaseConnection,
    cat: &Catalog,
    caller: &Caller,
    spec: &ReportSpec,
    parts: &Parts,
) -> Result<Report, AppError> {
    let region = region(cat, &spec.region)?.clone();
    if let (Some(from), Some(to)) = (spec.from, spec.to)
        && from > to
    {
        return Err(AppError::bad_input(
            "to",
            format!("`to` ({to}) is before `from` ({from})"),
        ));
    }
    let filter = FilterSpec {
        regions: vec![region.code.clone()],
        year_from: spec.from,
        year_to: spec.to,
        ..Default::default()
    };
    let resolved = filter.resolve(cat)?;
    let backend = db.get_database_backend();
    let visible = visibility::visible(caller, cat);
    let published = resolved.visible_condition(backend, visible.clone());
    let counts = counts(db, cat, (resolved.summary_span(), &published), parts).await?;
    let prizes = match parts.prizes {
        true => {
            // The region's published entries, of any year: the years are the prizes'.
            let region_only = FilterSpec {
                regions: filter.regions.clone(),
                ..Default::default()
            };
            let entries = region_only
                .resolve(cat)?
                .visible_page_condition(backend, visible.clone());
            let won = store::report::prizes(db, &entries, &PRIZE_RESULTS, (spec.from, spec.to)).await?;
            let (prizes, entries): (Vec<prize::Model>, Vec<entry::Model>) = won.into_iter().unzip();
            let listed = listed(db, entries).await?;
            prizes
                .into_iter()
                .zip(listed)
                .map(|(prize, entry)| Award { prize, entry })
                .collect()
        }
        false => Vec::new(),
    };
    let recent = match parts.recent {
        true => {
            let page = resolved.visible_page_condition(backend, visible);
            listed(db, store::report::by_update(db, &page, Updated::Latest, RECENT).await?).await?
        }
        false => Vec::new(),
    };
    let pending = match parts.pending && reviews(caller, &region) {
        true => {
            let waiting = FilterSpec {
                moderation: vec![Moderation::Submitted],
                ..filter
            }
            .resolve(cat)?
            .visible_condition(backend, visibility::visible(caller, cat));
            let total = store::entries::count(db, &waiting).await?;
            let entries = store::report::by_update(db, &waiting, Updated::Oldest, PENDING).await?;
            Some(Pending {
                total,
                entries: listed(db, entries).await?,
            })
        }
        false => None,
    };
    Ok(Report {
        region,
        from: spec.from,
        to: spec.to,
        counts,
        prizes,
        recent,
        pending,
    })
}

/// Whether the caller reviews this region's submissions: admins, and the key of the region
/// itself (a commission's, or an ITU-D region's).
pub fn reviews(caller: &Caller, region: &Region) -> bool {
    match &caller.access {
        Access::Admin => true,
        Access::Commission(code) => *code == region.code,
        _ => false,
    }
}

/// One facet: from the summary when the filter is one it keeps (`scopes`), else counted.
async fn facet(
    db: &DatabaseConnection,
    scopes: Option<&[String]>,
    condition: &Condition,
    facet: Facet,
    limit: Option<u64>,
) -> Result<Vec<(String, i64)>, DbErr> {
    if let Some(scopes) = scopes
        && let Some(counts) = store::facets::span_counts(db, facet, scopes, limit).await?
    {
        return Ok(counts);
    }
    store::facets::counts(db, facet, condition, limit).await
}

/// The counts `parts` asks for (a facet not asked for is left empty).
async fn counts(
    db: &DatabaseConnection,
    cat: &Catalog,
    (span, condition): (Option<Span>, &Condition),
    parts: &Parts,
) -> Result<Counts, DbErr> {
    if !parts.total && parts.facets.is_empty() {
        return Ok(Counts::default());
    }
    let scopes = match &span {
        Some(span) => Some(store::facets::span_scopes(db, span).await?),
        None => None,
    };
    let scopes = scopes.as_deref();
    let total = match (parts.total, scopes) {
        (false, _) => 0,
        (true, Some(scopes)) => store::facets::span_total(db, scopes).await?,
        (true, None) => store::entries::count(db, condition).await? as i64,
    };
    let count = async |f: Facet, limit: Option<u64>| match parts.facets.contains(&f) {
        true => facet(db, scopes, condition, f, limit).await,
        false => Ok(Vec::new()),
    };
    let per = |rows: Vec<(String, i64)>| rows.into_iter().collect::<HashMap<String, i64>>();
    let categories = per(count(Facet::ActionLine, None).await?);
    let sdgs = per(count(Facet::Sdg, None).await?);
    let mut by_year: Vec<(i32, i64)> = count(Facet::Year, None)
        .await?
        .into_iter()
        .filter_map(|(k, n)| Some((k.parse().ok()?, n)))
        .collect();
    by_year.sort_unstable();
    let matrix = count(Facet::Matrix, None)
        .await?
        .into_iter()
        .filter_map(|(k, n)| {
            let (category, sdg) = k.split_once('|')?;
            Some(((category.to_owned(), sdg.parse().ok()?), n))
        })
        .collect();
    let by_country = count(Facet::Country, Some(TOP_COUNTRIES))
        .await?
        .into_iter()
        .filter_map(|(k, n)| Some((cat.country(&k)?.clone(), n)))
        .collect();
    let by_stakeholder_type = count(Facet::StakeholderType, None)
        .await?
        .into_iter()
        .filter_map(|(k, n)| Some((StakeholderType::parse(&k)?, n)))
        .collect();
    Ok(Counts {
        total,
        by_year,
        by_category: cat
            .action_lines
            .iter()
            .filter(|a| a.sub_lines.is_empty())
            .map(|a| (a.clone(), categories.get(&a.code).copied().unwrap_or(0)))
            .collect(),
        by_sdg: cat
            .sdgs
            .iter()
            .map(|s| (s.clone(), sdgs.get(&s.number.to_string()).copied().unwrap_or(0)))
            .collect(),
        matrix,
        by_country,
        by_stakeholder_type,
    })
}

/// Entries with their organisations' names and their countries: two statements.
async fn listed(db: &DatabaseConnection, entries: Vec<entry::Model>) -> Result<Vec<Listed>, DbErr> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut orgs: Vec<i64> = entries.iter().map(|e| e.organisation_id).collect();
    orgs.sort_unstable();
    orgs.dedup();
    let names = store::organisations::by_ids(db, &orgs).await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
    let countries = store::links::countries(db, &ids).await?;
    Ok(entries
        .into_iter()
        .map(|e| Listed {
            organisation: names
                .get(&e.organisation_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            countries: countries.get(&e.id).cloned().unwrap_or_default(),
            entry: Arc::new(e),
        })
        .collect())
}
