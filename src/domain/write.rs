//! The write workflows: create, update, withdraw, review, record a prize. Each checks who
//! may act ([`super::access`]), validates its whole input ([`super::validate`]), moves the moderation state
//! ([`super::moderation`]) and writes in one transaction that also appends to the change log and
//! stamps the key's last write: a workflow that fails changes nothing. Callable from any
//! surface; GraphQL's mutations are a thin layer over them.

use entity::entry;
use entity::enums::{Moderation, PrizeResult};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use crate::caller::{Access, Caller};
use crate::catalog::Catalog;
use crate::domain::access;
use crate::domain::changes::ChangeSignal;
use crate::domain::moderation::{self, Decision};
use crate::domain::validate::{Checker, EntryChanges, Groups, MAX_NOTE, NewEntry};
use crate::error::AppError;
use crate::store::writes::{self, EntryData};
use crate::store::{entries, keys, organisations, visibility};

/// A caller's write session: the database, the catalogue, who writes, and whom to wake.
pub struct Writer<'a> {
    pub db: &'a DatabaseConnection,
    pub cat: &'a Catalog,
    pub caller: &'a Caller,
    pub signal: Option<&'a ChangeSignal>,
}

impl Writer<'_> {
    /// Submits a new entry for review (or keeps it as a draft), for the caller's own
    /// organisation or, for admins, the one named.
    pub async fn create(
        &self,
        named: Option<Result<i64, AppError>>,
        input: &NewEntry,
    ) -> Result<entry::Model, AppError> {
        access::keyed(self.caller)?;
        let named = match named {
            // An integration is refused whatever it names, before its id is even read.
            Some(id) if !matches!(self.caller.access, Access::Integration(_)) => Some(id?),
            _ => None,
        };
        let mut org = access::submitter(self.caller, named)?;
        if self.caller.is_admin() {
            org = self.organisation(org, "input.organisation").await?;
        }
        let mut check = Checker::new(self.cat);
        let data = check.new_entry(input, org);
        check.done("input")?;
        let at = writes::now();
        let txn = writes::begin(self.db).await?;
        let model = writes::insert(&txn, &data, moderation::initial(input.draft), at).await?;
        self.log(&txn, &model, None, at).await?;
        self.commit(txn).await?;
        tracing::info!(number = model.number, actor = %self.caller.actor(), "entry created");
        Ok(model)
    }

    /// Changes an entry at version `expected`; `named` moves it to another organisation.
    pub async fn update(
        &self,
        number: i64,
        expected: i32,
        named: Option<Result<i64, AppError>>,
        changes: &EntryChanges,
    ) -> Result<entry::Model, AppError> {
        access::keyed(self.caller)?;
        let txn = writes::begin(self.db).await?;
        let current = self.visible(&txn, number).await?;
        access::may_edit(self.caller, current.organisation_id)?;
        moderation::changeable(current.moderation)?;
        if current.version != expected {
            return Err(AppError::Conflict {
                expected,
                current: current.version,
            });
        }
        let previous = self.load(&txn, &current).await?;
        let mut check = Checker::new(self.cat);
        let mut data = check.changes(previous.clone(), changes);
        if let Some(named) = named {
            let named = named?;
            if named != data.organisation_id {
                access::may_move(self.caller)?;
                data.organisation_id = self.organisation(named, "patch.organisation").await?;
            }
        }
        let state = moderation::after_update(current.moderation, changes.draft).unwrap_or_else(|problem| {
            check.problem("draft", problem);
            current.moderation
        });
        check.done("patch")?;
        let same = EntryData {
            year: previous.year,
            ..data.clone()
        } == previous;
        if same && state == current.moderation {
            // Nothing to write: no new version, no change in the log.
            txn.commit().await?;
            return Ok(current);
        }
        let at = writes::now();
        let model = writes::update(&txn, current.id, expected, &data, &previous, state, at)
            .await?
            .map_err(|now| AppError::Conflict { expected, current: now })?;
        self.log(&txn, &model, Some(current.moderation), at).await?;
        self.commit(txn).await?;
        Ok(model)
    }

    /// Withdraws an entry at version `expected` from the stocktaking.
    pub async fn withdraw(&self, number: i64, expected: i32) -> Result<entry::Model, AppError> {
        access::keyed(self.caller)?;
        let txn = writes::begin(self.db).await?;
        let current = self.visible(&txn, number).await?;
        access::may_edit(self.caller, current.organisation_id)?;
        let state = moderation::after_withdrawal(current.moderation)?;
        let at = writes::now();
        let model = writes::set_moderation(&txn, current.id, Some(expected), state, None, at)
            .await?
            .map_err(|now| AppError::Conflict { expected, current: now })?;
        self.log(&txn, &model, Some(current.moderation), at).await?;
        self.commit(txn).await?;
        Ok(model)
    }

    /// Publishes or rejects an entry, with an optional note to its organisation.
    pub async fn review(
        &self,
        number: i64,
        decision: Decision,
        note: Option<String>,
    ) -> Result<entry::Model, AppError> {
        access::keyed(self.caller)?;
        let txn = writes::begin(self.db).await?;
        let current = self.visible(&txn, number).await?;
        // A commission's review depends on where the entry is; nobody else's does.
        if matches!(self.caller.access, Access::Commission(_)) {
            let data = self.load(&txn, &current).await?;
            access::may_review(self.caller, self.cat, &data.countries, &data.regions)?;
        } else {
            access::may_review(self.caller, self.cat, &[], &[])?;
        }
        let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(AppError::bad_input(
                "note",
                format!("the note is longer than {MAX_NOTE} characters"),
            ));
        }
        let state = moderation::after_review(decision, current.moderation)?;
        let at = writes::now();
        let model = writes::set_moderation(&txn, current.id, None, state, Some(note), at)
            .await?
            .map_err(|now| AppError::Conflict {
                expected: current.version,
                current: now,
            })?;
        self.log(&txn, &model, Some(current.moderation), at).await?;
        self.commit(txn).await?;
        Ok(model)
    }

    /// Records (or changes) a WSIS Prize result.
    pub async fn record_prize(
        &self,
        number: i64,
        year: i32,
        category: &str,
        result: PrizeResult,
    ) -> Result<entry::Model, AppError> {
        access::keyed(self.caller)?;
        access::may_record_prizes(self.caller)?;
        let mut check = Checker::new(self.cat);
        check.year("year", year);
        check.categories("category", &[category.to_owned()], Groups::Refused);
        check.done("")?;
        let txn = writes::begin(self.db).await?;
        let current = self.visible(&txn, number).await?;
        let at = writes::now();
        let model = writes::record_prize(&txn, current.id, year, category, result, at).await?;
        self.log(&txn, &model, Some(current.moderation), at).await?;
        self.commit(txn).await?;
        Ok(model)
    }

    /// The entry with this public number, if the caller may see it (inside the transaction).
    pub(super) async fn visible(&self, txn: &DatabaseTransaction, number: i64) -> Result<entry::Model, AppError> {
        let visible = visibility::visible(self.caller, self.cat);
        entries::by_numbers(txn, &[number], &visible)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| AppError::NotFound(format!("entry {number}")))
    }

    /// What is stored about an entry.
    pub(super) async fn load(&self, txn: &DatabaseTransaction, e: &entry::Model) -> Result<EntryData, AppError> {
        let (_, data) = writes::load(txn, e.id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("entry {}", e.number)))?;
        Ok(data)
    }

    /// An organisation the caller names, checked to exist.
    async fn organisation(&self, id: i64, field: &str) -> Result<i64, AppError> {
        if organisations::by_ids(self.db, &[id]).await?.contains_key(&id) {
            Ok(id)
        } else {
            Err(AppError::bad_input(field, format!("there is no organisation {id}")))
        }
    }

    /// Appends the move from `before` to the entry's state to the change log.
    pub(super) async fn log(
        &self,
        txn: &DatabaseTransaction,
        model: &entry::Model,
        before: Option<Moderation>,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        let kind = moderation::change_kind(before, model.moderation);
        let actor = self.caller.actor();
        writes::log(txn, kind, model.id, (before, model.moderation), &actor, at).await?;
        Ok(())
    }

    /// Stamps the key's last write, commits, and wakes the subscriptions.
    pub(super) async fn commit(&self, txn: DatabaseTransaction) -> Result<(), AppError> {
        if let Some((id, _)) = &self.caller.key {
            keys::touch_write(&txn, *id).await?;
        }
        txn.commit().await?;
        if let Some(signal) = self.signal {
            signal.poke();
        }
        Ok(())
    }
}
