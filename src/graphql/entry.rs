//! The `Entry` type and its connection.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{entry, enums, external_ref, prize};

use crate::domain::access;
use crate::error::{GqlResult, GqlResultExt};
use crate::graphql::compact::GdcObjective;
use crate::graphql::context::caller;
use crate::graphql::loaders::{
    CategoriesOf, ContactOf, CountriesOf, ExternalRefsOf, GdcOf, Loaders, PrizesOf, RegionsOf, RepositoriesOf, SdgsOf,
};
use crate::graphql::organisation::Organisation;
use crate::graphql::reference::{ActionLine, Country, Region, RegionScheme, Repository, Sdg, catalog, known};
use crate::graphql::scalars::Date;
use crate::ids::{self, Kind};

/// Who submitted an entry.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::StakeholderType")]
pub enum StakeholderType {
    Government,
    PrivateSector,
    CivilSociety,
    Academia,
    InternationalOrganisation,
    Other,
}

/// Where an activity stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::EntryStatus")]
pub enum EntryStatus {
    Planned,
    Ongoing,
    Completed,
}

/// The geographic reach of an activity.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::Coverage")]
pub enum Coverage {
    /// A city, district or community.
    Local,
    /// One country.
    National,
    /// Several countries of one region.
    Regional,
    /// Several regions, or global.
    International,
}

/// What kind of activity an entry describes.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::ActivityType")]
pub enum ActivityType {
    Project,
    Programme,
    Training,
    Conference,
    Publication,
    Website,
    Toolkit,
    Other,
}

/// Where an entry stands in moderation. Anonymous callers only ever see `PUBLISHED`.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::Moderation")]
pub enum Moderation {
    /// Saved by its organisation, not yet submitted.
    Draft,
    /// Submitted, waiting for review.
    Submitted,
    /// Reviewed and public.
    Published,
    /// Refused at review.
    Rejected,
    /// Withdrawn by its organisation.
    Withdrawn,
}

/// A WSIS Prize outcome: nominee, then champion (72 a year), then winner (18 a year).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::PrizeResult")]
pub enum PrizeResult {
    Nominee,
    Champion,
    Winner,
}

/// An activity in the WSIS Stocktaking: a project, programme, training, conference, toolkit…
#[derive(Clone)]
pub struct Entry(pub Arc<entry::Model>);

impl Entry {
    /// Whether the caller may see this entry's private fields: its own organisation's partner,
    /// the commission of its region, admins.
    async fn privileged(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let links = async || -> GqlResult<(Vec<String>, Vec<String>)> {
            let countries: Vec<String> = self.codes(ctx, CountriesOf(self.0.id)).await?;
            let tags: Vec<String> = self.codes(ctx, RegionsOf(self.0.id)).await?;
            Ok((countries, tags))
        };
        access::sees_private(caller(ctx), catalog(ctx), self.0.organisation_id, links).await
    }

    async fn codes<K, V>(&self, ctx: &Context<'_>, key: K) -> GqlResult<Vec<V>>
    where
        K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
        crate::graphql::loaders::Batch:
            async_graphql::dataloader::Loader<K, Value = Vec<V>, Error = Arc<sea_orm::DbErr>>,
        V: Send + Sync + Clone + 'static,
    {
        let loaded = ctx.data_unchecked::<Loaders>().load_one(key).await;
        Ok(loaded.map_err(crate::error::AppError::from).gql()?.unwrap_or_default())
    }
}

/// An activity in the WSIS Stocktaking: a project, programme, training, conference, toolkit…
#[Object]
impl Entry {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        ids::encode(Kind::Entry, self.0.number)
    }
    /// The stable public number of the entry.
    async fn number(&self) -> i64 {
        self.0.number
    }
    /// The title, in the language the organisation wrote it in.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the activity does, for whom, and with what results.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// Project, programme, training, conference…
    async fn activity_type(&self) -> ActivityType {
        self.0.activity_type.into()
    }
    /// Planned, ongoing or completed.
    async fn status(&self) -> EntryStatus {
        self.0.status.into()
    }
    /// Local, national, regional or international.
    async fn coverage(&self) -> Coverage {
        self.0.coverage.into()
    }
    /// When the activity started, if known.
    async fn start_date(&self) -> Option<Date> {
        self.0.start_date.map(Date)
    }
    /// When the activity ended or is planned to end, if known.
    async fn end_date(&self) -> Option<Date> {
        self.0.end_date.map(Date)
    }
    /// The activity's website.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The year of submission or of the last update.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// When the entry was first submitted.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the entry last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Incremented on every change; pass it as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where the entry stands in moderation.
    async fn moderation(&self) -> Moderation {
        self.0.moderation.into()
    }
    /// The organisation that submitted the entry.
    async fn organisation(&self, ctx: &Context<'_>) -> GqlResult<Organisation> {
        crate::graphql::organisation::load(ctx, self.0.organisation_id)
            .await?
            .ok_or_else(|| crate::error::AppError::Internal("entry without organisation".into()))
            .gql()
    }
    /// Countries where the activity takes place (none for some international activities).
    async fn countries(&self, ctx: &Context<'_>) -> GqlResult<Vec<Country>> {
        let codes: Vec<String> = self.codes(ctx, CountriesOf(self.0.id)).await?;
        let cat = catalog(ctx);
        let mut out: Vec<Country> = codes
            .iter()
            .filter_map(|c| cat.country(c))
            .cloned()
            .map(Country)
            .collect();
        out.sort_by_key(|c| c.0.idx);
        Ok(out)
    }
    /// Regions of the activity in one scheme: the regions of its countries, and the regions it
    /// is tagged with directly (regional and international activities).
    async fn regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "RegionScheme::ItuD")] scheme: RegionScheme,
    ) -> GqlResult<Vec<Region>> {
        let countries: Vec<String> = self.codes(ctx, CountriesOf(self.0.id)).await?;
        let tags: Vec<String> = self.codes(ctx, RegionsOf(self.0.id)).await?;
        let cat = catalog(ctx);
        let mut out: Vec<Region> = countries
            .iter()
            .filter_map(|c| cat.country(c))
            .flat_map(|c| cat.country_regions(c, scheme.code()).cloned().collect::<Vec<_>>())
            .chain(
                tags.iter()
                    .filter_map(|t| cat.region(t))
                    .filter(|r| r.scheme == scheme.code())
                    .cloned(),
            )
            .map(Region)
            .collect();
        out.sort_by_key(|r| r.0.idx);
        out.dedup_by_key(|r| r.0.idx);
        Ok(out)
    }
    /// The categories (Action Lines and C7 sub-lines) the entry is tagged with.
    async fn action_lines(&self, ctx: &Context<'_>) -> GqlResult<Vec<ActionLine>> {
        let codes: Vec<String> = self.codes(ctx, CategoriesOf(self.0.id)).await?;
        let cat = catalog(ctx);
        let mut out: Vec<ActionLine> = codes
            .iter()
            .filter_map(|c| cat.action_line(c))
            .cloned()
            .map(ActionLine)
            .collect();
        out.sort_by_key(|a| a.0.idx);
        Ok(out)
    }
    /// The Sustainable Development Goals the entry contributes to.
    async fn sdgs(&self, ctx: &Context<'_>) -> GqlResult<Vec<Sdg>> {
        let numbers: Vec<i32> = self.codes(ctx, SdgsOf(self.0.id)).await?;
        let cat = catalog(ctx);
        Ok(numbers.iter().filter_map(|&n| cat.sdg(n)).cloned().map(Sdg).collect())
    }
    /// The Global Digital Compact objectives the entry serves (links are new: most entries
    /// before 2024 have none).
    async fn gdc_objectives(&self, ctx: &Context<'_>) -> GqlResult<Vec<GdcObjective>> {
        let codes: Vec<String> = self.codes(ctx, GdcOf(self.0.id)).await?;
        let cat = catalog(ctx);
        Ok(codes
            .iter()
            .filter_map(|c| cat.gdc_objective(c))
            .cloned()
            .map(GdcObjective)
            .collect())
    }
    /// WSIS Prize records, most recent first.
    async fn prizes(&self, ctx: &Context<'_>) -> GqlResult<Vec<PrizeRecord>> {
        let rows: Vec<prize::Model> = self.codes(ctx, PrizesOf(self.0.id)).await?;
        Ok(rows.into_iter().map(PrizeRecord::from).collect())
    }
    /// Special repositories the entry belongs to (such as the COVID-19 ICT Case Repository).
    async fn repositories(&self, ctx: &Context<'_>) -> GqlResult<Vec<Repository>> {
        let ids: Vec<i32> = self.codes(ctx, RepositoriesOf(self.0.id)).await?;
        let cat = catalog(ctx);
        Ok(ids
            .iter()
            .filter_map(|&id| cat.repository(id))
            .cloned()
            .map(Repository)
            .collect())
    }
    /// The contact person: shown to the entry's own organisation, the commission of its region
    /// and admins; null for everyone else.
    async fn contact(&self, ctx: &Context<'_>) -> GqlResult<Option<Contact>> {
        if !self.privileged(ctx).await? {
            return Ok(None);
        }
        let loaded = ctx.data_unchecked::<Loaders>().load_one(ContactOf(self.0.id)).await;
        let c = loaded.map_err(crate::error::AppError::from).gql()?;
        Ok(c.flatten().map(|c| Contact {
            name: c.name,
            email: c.email,
            phone: c.phone,
        }))
    }
    /// The reviewer's note on the last moderation decision: shown to the entry's own
    /// organisation, the commission of its region and admins; null for everyone else.
    async fn moderation_note(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.privileged(ctx).await? {
            return Ok(None);
        }
        Ok(self.0.moderation_note.clone())
    }
    /// Identifiers of this entry in other systems (such as the UNGIS repository).
    async fn external_refs(&self, ctx: &Context<'_>) -> GqlResult<Vec<ExternalRef>> {
        let rows: Vec<external_ref::Model> = self.codes(ctx, ExternalRefsOf(self.0.id)).await?;
        Ok(rows
            .into_iter()
            .map(|r| ExternalRef {
                source: r.source,
                external_id: r.external_id,
            })
            .collect())
    }
}

/// One WSIS Prize outcome of an entry.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct PrizeRecord {
    /// The prize year.
    pub year: i32,
    /// Nominee, champion or winner.
    pub result: PrizeResult,
    #[graphql(skip)]
    pub category_code: String,
}

#[ComplexObject]
impl PrizeRecord {
    /// The prize category (one of the 18).
    async fn category(&self, ctx: &Context<'_>) -> GqlResult<ActionLine> {
        known(
            catalog(ctx).action_line(&self.category_code).cloned().map(ActionLine),
            "category",
        )
    }
}

impl From<prize::Model> for PrizeRecord {
    fn from(p: prize::Model) -> Self {
        PrizeRecord {
            year: p.year,
            result: p.result.into(),
            category_code: p.category,
        }
    }
}

/// An entry's contact person.
#[derive(SimpleObject)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Telephone number.
    pub phone: Option<String>,
}

/// An identifier of an entry in another system.
#[derive(SimpleObject)]
pub struct ExternalRef {
    /// The system, such as "ungis".
    pub source: String,
    /// The entry's id there.
    pub external_id: String,
}
