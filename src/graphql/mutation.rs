//! Mutations: partners submit and update entries, admins and commissions review them, admins
//! record prizes, integrations upsert their source's entries. Each resolver decodes its
//! arguments and calls the write workflow of [`crate::domain::write`], which validates the
//! whole input first (reporting every problem, each with its field) and writes in one
//! transaction with its change-log row: a mutation that fails changes nothing.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::entry;

use crate::domain::access;
use crate::domain::validate::{EntryChanges, NewEntry};
use crate::error::{AppError, GqlResult, GqlResultExt};
use crate::graphql::context::{caller, loaders, writer};
use crate::graphql::entry::{Entry, PrizeResult};
use crate::graphql::inputs::{EntryInput, EntryPatch, ExternalEntryInput, ReviewDecision, organisation};
use crate::graphql::loaders as loader;
use crate::graphql::reference::ActionLineCode;
use crate::ids::{self, Kind};

/// What an `upsertEntries` call did.
#[derive(SimpleObject)]
pub struct UpsertResult {
    /// New entries.
    pub created: i32,
    /// Existing entries that changed (their version went up).
    pub updated: i32,
    /// Existing entries that already said exactly this (nothing was written).
    pub unchanged: i32,
    /// The entries, in the order of the inputs.
    pub entries: Vec<Entry>,
}

/// The entry number behind an `Entry` id argument (a key is checked first: without one the
/// answer is `UNAUTHENTICATED`, whatever the id).
fn entry_number(ctx: &Context<'_>, id: &ID, field: &str) -> Result<i64, AppError> {
    access::keyed(caller(ctx))?;
    ids::decode_int(id, Kind::Entry, field)
}

/// A written entry, after dropping what this request's loaders had cached (a later field of
/// the same request must see the write).
fn written(ctx: &Context<'_>, model: entry::Model) -> Entry {
    loader::forget(loaders(ctx));
    Entry(Arc::new(model))
}

/// The write operations.
#[derive(Default)]
pub struct Mutation;

/// The write operations.
#[Object]
impl Mutation {
    /// Submits a new entry for review (`SUBMITTED`, or `DRAFT` with `draft: true`). Partners
    /// submit for their own organisation; admins name the organisation.
    async fn create_entry(&self, ctx: &Context<'_>, input: EntryInput) -> GqlResult<Entry> {
        let named = organisation(&input.organisation, "input.organisation");
        let model = writer(ctx).create(named, &NewEntry::from(&input)).await.gql()?;
        Ok(written(ctx, model))
    }

    /// Changes an entry (its organisation's partner, or an admin). `expectedVersion` must be the
    /// entry's current `version`, or the update is refused with `CONFLICT` (and
    /// `extensions.currentVersion`). A rejected entry that is changed is submitted again.
    async fn update_entry(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        patch: EntryPatch,
    ) -> GqlResult<Entry> {
        let number = entry_number(ctx, &id, "id").gql()?;
        let named = organisation(&patch.organisation, "patch.organisation");
        let changes = EntryChanges::from(&patch);
        let model = writer(ctx)
            .update(number, expected_version, named, &changes)
            .await
            .gql()?;
        Ok(written(ctx, model))
    }

    /// Withdraws an entry from the stocktaking (its organisation's partner, or an admin).
    async fn withdraw_entry(&self, ctx: &Context<'_>, id: ID, expected_version: i32) -> GqlResult<Entry> {
        let number = entry_number(ctx, &id, "id").gql()?;
        let model = writer(ctx).withdraw(number, expected_version).await.gql()?;
        Ok(written(ctx, model))
    }

    /// Publishes or rejects an entry, with an optional note to its organisation (admins, and
    /// commissions for entries of their region). Submitted entries can be published or
    /// rejected, published ones rejected, rejected ones published after all.
    async fn review_entry(
        &self,
        ctx: &Context<'_>,
        id: ID,
        decision: ReviewDecision,
        note: Option<String>,
    ) -> GqlResult<Entry> {
        let number = entry_number(ctx, &id, "id").gql()?;
        let model = writer(ctx).review(number, decision.into(), note).await.gql()?;
        Ok(written(ctx, model))
    }

    /// Records a WSIS Prize result for an entry (admins); recording the same year and category
    /// again changes the result.
    async fn record_prize(
        &self,
        ctx: &Context<'_>,
        entry_id: ID,
        year: i32,
        category: ActionLineCode,
        result: PrizeResult,
    ) -> GqlResult<Entry> {
        let number = entry_number(ctx, &entry_id, "entryId").gql()?;
        let model = writer(ctx)
            .record_prize(number, year, category.code(), result.into())
            .await
            .gql()?;
        Ok(written(ctx, model))
    }

    /// Creates or updates the integration's entries by their id in its source (integration
    /// keys; at most 250 per call). All or nothing: one invalid input refuses the whole call.
    /// Idempotent: an input identical to what is stored changes nothing, not even the version.
    async fn upsert_entries(&self, ctx: &Context<'_>, inputs: Vec<ExternalEntryInput>) -> GqlResult<UpsertResult> {
        let inputs: Vec<_> = inputs.iter().enumerate().map(|(i, input)| input.resolve(i)).collect();
        let done = writer(ctx).upsert(&inputs).await.gql()?;
        loader::forget(loaders(ctx));
        Ok(UpsertResult {
            created: done.created,
            updated: done.updated,
            unchanged: done.unchanged,
            entries: done.entries.into_iter().map(|m| Entry(Arc::new(m))).collect(),
        })
    }
}
