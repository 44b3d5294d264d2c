//! `entries`: the filter input, orderings, and the Relay connection over keyset pages.

use std::sync::Arc;

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::entry;
use sea_orm::DatabaseConnection;

use crate::catalog::Catalog;
use crate::domain::filter::FilterSpec;
use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::context;
use crate::graphql::entry::{Coverage, Entry, EntryStatus, Moderation, PrizeResult, StakeholderType};
use crate::graphql::linked::Entries;
use crate::graphql::loaders::{self, Loaders};
use crate::graphql::page::{Connection, Total};
use crate::graphql::pagination::{self};
use crate::graphql::reference::{ActionLineCode, GdcObjectiveCode, RegionCode, catalog};
use crate::store::entries as store;
use crate::store::page::{self, PageQuery, SortKey};

/// Which entries to return. Lists match any of their values; fields combine with AND.
#[derive(InputObject, Debug, Clone, Default)]
pub struct EntryFilter {
    /// Categories; `C7` matches every C7 sub-line too.
    pub action_lines: Option<Vec<ActionLineCode>>,
    /// SDG numbers, 1–17.
    pub sdgs: Option<Vec<i32>>,
    /// Global Digital Compact objectives.
    pub gdc_objectives: Option<Vec<GdcObjectiveCode>>,
    /// Regions of any scheme: matched through the entry's countries and its own regional tags.
    pub regions: Option<Vec<RegionCode>>,
    /// Countries by ISO alpha-2 or alpha-3 code, in any case.
    pub countries: Option<Vec<String>>,
    /// The submitting organisation's stakeholder type.
    pub stakeholder_types: Option<Vec<StakeholderType>>,
    /// Planned, ongoing, completed.
    pub statuses: Option<Vec<EntryStatus>>,
    /// Local, national, regional, international.
    pub coverage: Option<Vec<Coverage>>,
    /// The submitting organisation's id.
    pub organisation: Option<async_graphql::ID>,
    /// Earliest year of submission or update (inclusive).
    pub year_from: Option<i32>,
    /// Latest year of submission or update (inclusive).
    pub year_to: Option<i32>,
    /// Entries with a WSIS Prize record of one of these results.
    pub prize_results: Option<Vec<PrizeResult>>,
    /// A special repository by slug, such as "covid-19".
    pub repository: Option<String>,
    /// Entries changed at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// Moderation states; only what the caller may see. Default: `PUBLISHED`.
    pub moderation: Option<Vec<Moderation>>,
    /// Full-text search over title, description and organisation name, in any language. Every
    /// word must match; the last word also matches as a prefix ("tele" finds "telemedicine").
    /// Punctuation and operators are ignored. Text without any word matches nothing.
    pub search: Option<String>,
}

impl EntryFilter {
    /// Validates the filter and resolves it to database codes.
    pub fn resolve(&self, cat: &Catalog) -> Result<store::EntryFilter, AppError> {
        self.spec().resolve(cat)
    }

    /// The filter in the domain's terms.
    pub fn spec(&self) -> FilterSpec {
        fn list<T: Copy, U: From<T>>(v: &Option<Vec<T>>) -> Vec<U> {
            v.iter().flatten().copied().map(U::from).collect()
        }
        fn codes<T>(v: &Option<Vec<T>>, code: impl Fn(&T) -> &'static str) -> Vec<String> {
            v.iter().flatten().map(|c| code(c).to_owned()).collect()
        }
        FilterSpec {
            action_lines: codes(&self.action_lines, |a| a.code()),
            sdgs: self.sdgs.clone().unwrap_or_default(),
            gdc_objectives: codes(&self.gdc_objectives, |o| o.code()),
            regions: codes(&self.regions, |r| r.code()),
            countries: self.countries.clone().unwrap_or_default(),
            stakeholder_types: list(&self.stakeholder_types),
            statuses: list(&self.statuses),
            coverage: list(&self.coverage),
            organisation: self.organisation.as_ref().map(|id| id.to_string()),
            year_from: self.year_from,
            year_to: self.year_to,
            prize_results: list(&self.prize_results),
            repository: self.repository.clone(),
            updated_since: self.updated_since,
            moderation: list(&self.moderation),
            search: self.search.clone(),
        }
    }
}

/// What entries can be ordered by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryOrderField {
    /// Full-text relevance, most relevant first by default; only with `filter.search` (and the
    /// default ordering when searching).
    Relevance,
    /// The public number (the default without a search).
    Number,
    /// The title, by Unicode code point.
    Title,
    /// The time of the last change.
    UpdatedAt,
    /// The start date; entries without one come last in ascending order.
    StartDate,
}

/// Ascending or descending.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// An ordering of entries; ties are broken by the entry's internal id, so pages never overlap.
#[derive(InputObject, Debug, Clone, Copy)]
pub struct EntryOrder {
    /// What to order by.
    pub field: EntryOrderField,
    /// Default: `DESC` for `RELEVANCE` (most relevant first), `ASC` for the others.
    pub direction: Option<OrderDirection>,
}

impl EntryOrder {
    fn key(self) -> SortKey {
        match self.field {
            EntryOrderField::Relevance => SortKey::Relevance,
            EntryOrderField::Number => SortKey::Number,
            EntryOrderField::Title => SortKey::Title,
            EntryOrderField::UpdatedAt => SortKey::UpdatedAt,
            EntryOrderField::StartDate => SortKey::StartDate,
        }
    }

    fn descending(self) -> bool {
        match self.direction {
            Some(d) => d == OrderDirection::Desc,
            None => self.field == EntryOrderField::Relevance,
        }
    }
}

/// The arguments of every `entries` connection.
pub type ConnectionArgs = (
    Option<EntryFilter>,
    Option<EntryOrder>,
    Option<i32>,
    Option<String>,
    Option<i32>,
    Option<String>,
);

/// An entry with its cursor.
#[derive(SimpleObject)]
pub struct EntryEdge {
    /// Opaque position of this entry in the connection's ordering.
    pub cursor: String,
    /// The entry.
    pub node: Entry,
}

/// A page of entries (Relay connection).
pub type EntryConnection = Connection<EntryEdge>;

/// Resolves an `entries` connection: `base` restricts it further (a nested connection's owner).
pub async fn connection(
    ctx: &Context<'_>,
    scope: Option<store::Scope>,
    (filter, order, first, after, last, before): ConnectionArgs,
) -> Result<EntryConnection, AppError> {
    let mut resolved = filter.unwrap_or_default().resolve(catalog(ctx))?;
    resolved.scope = scope;
    let default_field = if resolved.search.is_some() {
        EntryOrderField::Relevance
    } else {
        EntryOrderField::Number
    };
    let order = order.unwrap_or(EntryOrder {
        field: default_field,
        direction: None,
    });
    if order.field == EntryOrderField::Relevance && resolved.search.is_none() && !resolved.nothing {
        return Err(AppError::bad_input(
            "orderBy.field",
            "`RELEVANCE` ordering needs `filter.search`",
        ));
    }
    let key = order.key();
    let descending = order.descending();
    let window = pagination::window(first, after, last, before)?;
    let field = window.cursor_field();
    let seek = window
        .cursor
        .as_deref()
        .map(|c| pagination::decode_cursor(c, key, descending, field))
        .transpose()?;
    let had_cursor = seek.is_some();
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let backend = db.get_database_backend();
    let condition = resolved.visible_condition(backend, context::visible(ctx));
    let page_condition = resolved.visible_page_condition(backend, context::visible(ctx));
    let query = PageQuery {
        key,
        descending,
        backward: window.backward,
        seek,
        limit: window.size + 1,
    };
    let permit = crate::graphql::share::held(ctx).await;
    let mut rows = page::page(db, &page_condition, resolved.search.as_ref(), &query).await?;
    drop(permit);
    let more = window.settle(&mut rows);
    let look = ctx.look_ahead();
    let selections = [look.field("nodes"), look.field("edges").field("node")];
    let models: Vec<entry::Model> = rows.iter().map(|r| r.entry.clone()).collect();
    let private = crate::domain::access::may_see_private(context::caller(ctx));
    loaders::prefetch(ctx.data_unchecked::<Loaders>(), db, &selections, &models, private).await?;
    let edges: Vec<EntryEdge> = models
        .into_iter()
        .zip(rows)
        .map(|(e, r)| EntryEdge {
            cursor: pagination::encode_cursor(key, descending, &r.seek),
            node: Entry(Arc::new(e)),
        })
        .collect();
    let summary = resolved
        .summary_count()
        .map(|(scope, facet, key)| (scope.to_owned(), facet, key));
    let total = Total::Entries { condition, summary };
    Ok(EntryConnection::new(edges, &window, more, had_cursor, total))
}

/// Queries over entries.
#[derive(Default)]
pub struct EntryQuery;

/// Queries over entries.
#[Object]
impl EntryQuery {
    /// The `entries` connection over the whole register.
    #[graphql(flatten)]
    async fn all(&self) -> Entries {
        Entries(None)
    }

    /// One entry by its public number; null if there is none the caller may see.
    async fn entry(&self, ctx: &Context<'_>, number: i32) -> GqlResult<Option<Entry>> {
        // `Int` is 32 bits (the spec): a larger number is refused by the parser as
        // `BAD_USER_INPUT`, not answered with null.
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = store::by_numbers(db, &[i64::from(number)], &context::visible(ctx))
            .await
            .gql()?;
        Ok(rows.into_iter().next().map(|e| Entry(Arc::new(e))))
    }
}
