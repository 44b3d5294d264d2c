//! The change feed (`changes`) and its live form (`entryChanged`).
//!
//! The change log records every write with the entry's moderation state before and after it.
//! `changes` presents it as the history of the published register: an entry enters it
//! (`CREATED` when it was published as it was created, `PUBLISHED` otherwise), changes while in
//! it (`UPDATED`), and leaves it (`REMOVED`: withdrawn, or rejected after publication). Writes
//! that touch only unpublished entries are not in the feed. A mirror that applies the feed
//! from the start, and resumes from its last cursor after any interruption, holds exactly the
//! entries that `entries` returns.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Subscription};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use entity::enums::{self, Moderation};
use entity::{change, entry};
use futures_util::Stream;
use sea_orm::{Condition, DatabaseConnection};

use crate::caller::Caller;
use crate::domain::changes::ChangeSignal;
use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::context;
use crate::graphql::entries::EntryFilter;
use crate::graphql::entry::Entry;
use crate::graphql::loaders::{self, Loaders};
use crate::graphql::pagination::{MAX_PAGE, PageInfo};
use crate::graphql::reference::catalog;
use crate::ids::{self, Kind};
use crate::store;
use crate::store::visibility;

/// What a change did to the entries the reader follows.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "enums::ChangeKind")]
pub enum ChangeKind {
    /// A new entry, already in the set.
    Created,
    /// An entry changed while in the set.
    Updated,
    /// An entry entered the set (it was published).
    Published,
    /// An entry left the set (withdrawn, rejected after publication, or no longer matching).
    Removed,
}

/// One change.
pub struct ChangeEvent {
    row: change::Model,
    number: i64,
    kind: ChangeKind,
    entry: Option<Entry>,
    /// Delivered by a subscription: the connection's loaders may hold older data.
    live: bool,
}

/// One change.
#[Object]
impl ChangeEvent {
    /// Position in the change log; only ever grows.
    async fn sequence(&self) -> i64 {
        self.row.seq
    }
    /// What the change did.
    async fn kind(&self) -> ChangeKind {
        self.kind
    }
    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.row.at
    }
    /// The entry's global id (also for removed entries, which can no longer be fetched).
    async fn entry_id(&self) -> ID {
        ids::encode(Kind::Entry, self.number)
    }
    /// The entry's public number.
    async fn entry_number(&self) -> i64 {
        self.number
    }
    /// The entry as it is now, if it is still in the set; null for `REMOVED`, and when a later
    /// change has removed it.
    async fn entry(&self, ctx: &Context<'_>) -> Option<&Entry> {
        if self.live
            && let Some(l) = ctx.data_opt::<Loaders>()
        {
            loaders::forget(l);
        }
        self.entry.as_ref()
    }
}

/// A change with its cursor.
#[derive(SimpleObject)]
pub struct ChangeEdge {
    /// Opaque position in the change log: pass it as `changes(after:)` to resume.
    pub cursor: String,
    /// The change.
    pub node: ChangeEvent,
}

/// A page of the change feed.
pub struct ChangeConnection {
    edges: Vec<ChangeEdge>,
    page_info: PageInfo,
}

/// A page of the change feed.
#[Object]
impl ChangeConnection {
    /// The changes of this page, with cursors.
    async fn edges(&self) -> &[ChangeEdge] {
        &self.edges
    }
    /// The changes of this page.
    async fn nodes(&self) -> Vec<&ChangeEvent> {
        self.edges.iter().map(|e| &e.node).collect()
    }
    /// Where this page stands. `endCursor` is null on an empty page: keep the cursor you had.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
}

fn encode_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("change:{seq}"))
}

fn decode_cursor(cursor: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(cursor.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("change:").and_then(|n| n.parse().ok()))
        .filter(|n: &i64| *n >= 0)
        .ok_or_else(|| AppError::bad_input("after", "not a cursor of `changes`"))
}

/// The feed's kind for a change, relative to a set the entry was in (`before`) or not, and is
/// in (`after`) or not; `None` when the change does not concern the set.
fn relative_kind(stored: enums::ChangeKind, before: bool, after: bool) -> Option<ChangeKind> {
    match (before, after) {
        (false, true) if stored == enums::ChangeKind::Created => Some(ChangeKind::Created),
        (false, true) => Some(ChangeKind::Published),
        (true, true) => Some(ChangeKind::Updated),
        (true, false) => Some(ChangeKind::Removed),
        (false, false) => None,
    }
}

fn published(m: Option<Moderation>) -> bool {
    m == Some(Moderation::Published)
}

/// The `changes` query.
#[derive(Default)]
pub struct ChangesQuery;

/// The `changes` query.
#[Object]
impl ChangesQuery {
    /// The change feed: every change to the published register after `after`, oldest first
    /// (at most 100 a page; default 20). Apply `CREATED`, `PUBLISHED` and `UPDATED` as upserts
    /// and `REMOVED` as deletes, then resume from `pageInfo.endCursor`: the copy then holds
    /// exactly what `entries` returns.
    #[graphql(complexity = "crate::graphql::pagination::cost(first, None, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        first: Option<i32>,
    ) -> GqlResult<ChangeConnection> {
        feed(ctx, after, first).await.gql()
    }
}

async fn feed(ctx: &Context<'_>, after: Option<String>, first: Option<i32>) -> Result<ChangeConnection, AppError> {
    let size = first.unwrap_or(20);
    if !(1..=MAX_PAGE).contains(&size) {
        return Err(AppError::bad_input(
            "first",
            format!("`first` must be between 1 and {MAX_PAGE}, got {size}"),
        ));
    }
    let from = after.as_deref().map(decode_cursor).transpose()?;
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let mut rows = store::changes::after(db, from.unwrap_or(0), size as u64 + 1, true).await?;
    let more = rows.len() > size as usize;
    rows.truncate(size as usize);
    // Each entry's public number, and the entry itself where it is in the set now.
    let mut ids: Vec<i64> = rows.iter().map(|r| r.entry_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let all = store::entries::by_ids(db, &ids, &visibility::everything()).await?;
    let numbers: HashMap<i64, i64> = all.iter().map(|e| (e.id, e.number)).collect();
    let visible = visibility::visible_or_published(context::caller(ctx), context::catalog(ctx));
    let current: HashMap<i64, Arc<entry::Model>> = store::entries::by_ids(db, &ids, &visible)
        .await?
        .into_iter()
        .map(|e| (e.id, Arc::new(e)))
        .collect();
    let edges: Vec<ChangeEdge> = rows
        .into_iter()
        .filter_map(|row| {
            let kind = relative_kind(
                row.kind,
                published(row.moderation_before),
                published(row.moderation_after),
            )?;
            let entry = match kind {
                ChangeKind::Removed => None,
                _ => current.get(&row.entry_id).cloned().map(Entry),
            };
            Some(ChangeEdge {
                cursor: encode_cursor(row.seq),
                node: ChangeEvent {
                    number: numbers.get(&row.entry_id).copied().unwrap_or_default(),
                    row,
                    kind,
                    entry,
                    live: false,
                },
            })
        })
        .collect();
    let page_info = PageInfo {
        has_next_page: more,
        has_previous_page: from.is_some_and(|n| n > 0),
        start_cursor: edges.first().map(|e| e.cursor.clone()),
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(ChangeConnection { edges, page_info })
}

/// Live updates.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every change after the subscription starts, in order, to entries that match `filter`
    /// (default: published entries) and that the caller may see. `REMOVED` says an entry no
    /// longer matches (it may also come for an entry that had not matched before).
    async fn entry_changed(
        &self,
        ctx: &Context<'_>,
        filter: Option<EntryFilter>,
    ) -> async_graphql::Result<impl Stream<Item = ChangeEvent> + use<>> {
        let cat = catalog(ctx);
        let resolved = filter.unwrap_or_default().resolve(cat).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>().clone();
        let backend = db.get_database_backend();
        // Whether an entry is in the set after (or before) a change is decided from the
        // change's own moderation state, not the entry's present one, which later changes may
        // have moved on: the filter without its moderation clause on the entry as it is…
        let structural = store::entries::EntryFilter {
            moderation: Vec::new(),
            ..resolved.clone()
        }
        .condition(backend);
        // …and, for unpublished states, whether the caller sees such entries of this one.
        let caller = ctx.data_opt::<Caller>().cloned().unwrap_or_else(Caller::anonymous);
        let owned = visibility::owned_within(&caller, cat, &structural);
        let current = resolved.visible_condition(backend, context::visible(ctx));
        let moderation = resolved.moderation.clone();
        let signal = ctx.data_unchecked::<ChangeSignal>().clone();
        let mut wake = signal.subscribe();
        let mut last = store::changes::latest(&db).await.gql()?;
        Ok(async_stream::stream! {
            loop {
                let rows = match store::changes::after(&db, last, 100, false).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        tracing::error!(error = %e, "reading the change log for a subscription");
                        break;
                    }
                };
                if rows.is_empty() {
                    if wake.changed().await.is_err() {
                        break;
                    }
                    continue;
                }
                for row in rows {
                    last = row.seq;
                    let judged = judge(&db, &row, &moderation, &structural, owned.as_ref(), &current).await;
                    let (kind, number, entry) = match judged {
                        Ok(Some(j)) => j,
                        Ok(None) => continue,
                        Err(e) => {
                            tracing::error!(error = %e, "checking a change for a subscription");
                            return;
                        }
                    };
                    yield ChangeEvent {
                        row,
                        number,
                        kind,
                        entry,
                        live: true,
                    };
                }
            }
        })
    }
}

/// What a change means to one subscription: its kind, the entry's number and the entry as it
/// is now (if the subscriber may see it); `None` when it does not concern the subscription.
async fn judge(
    db: &DatabaseConnection,
    row: &change::Model,
    moderation: &[Moderation],
    structural: &Condition,
    owned: Option<&Condition>,
    current: &Condition,
) -> Result<Option<(ChangeKind, i64, Option<Entry>)>, sea_orm::DbErr> {
    let Some(e) = store::entries::matches(db, row.entry_id, structural).await? else {
        // Not in the filter as the entry is now: it has left (or never entered) the set.
        if row.moderation_before.is_some_and(|m| moderation.contains(&m)) {
            let number = store::entries::by_ids(db, &[row.entry_id], &visibility::everything())
                .await?
                .pop()
                .map_or(0, |e| e.number);
            return Ok(Some((ChangeKind::Removed, number, None)));
        }
        return Ok(None);
    };
    let owns = match owned {
        Some(c) => store::entries::matches(db, row.entry_id, c).await?.is_some(),
        None => false,
    };
    let in_set =
        |m: Option<Moderation>| m.is_some_and(|m| moderation.contains(&m) && (m == Moderation::Published || owns));
    let Some(kind) = relative_kind(row.kind, in_set(row.moderation_before), in_set(row.moderation_after)) else {
        return Ok(None);
    };
    let entry = if kind == ChangeKind::Removed {
        None
    } else {
        store::entries::matches(db, row.entry_id, current)
            .await?
            .map(|m| Entry(Arc::new(m)))
    };
    Ok(Some((kind, e.number, entry)))
}
