//! Mutations: partners submit and update entries, admins and commissions review them, admins
//! record prizes, integrations upsert their source's entries.
//!
//! Every mutation validates its whole input first (reporting every problem, each with its
//! field), then writes in one transaction that also appends to the change log: a mutation that
//! fails changes nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{Datelike, NaiveDate};
use entity::enums::{self, ChangeKind};
use entity::{entry, organisation};
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter};

use crate::auth::{Access, Caller};
use crate::catalog::Catalog;
use crate::error::{AppError, GqlResult, GqlResultExt, Problem};
use crate::graphql::changes::ChangeSignal;
use crate::graphql::entry::{ActivityType, Coverage, Entry, EntryStatus, PrizeResult};
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::{self, Loaders};
use crate::graphql::reference::{ActionLineCode, RegionCode, catalog};
use crate::graphql::scalars::Date;
use crate::store::writes::{self, ContactData, EntryData};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest description, in characters: the WSIS Prize form asks for 150–200 words, and an
/// entry may say a little more than a nomination does.
pub const MAX_DESCRIPTION: usize = 5_000;
/// Longest website address.
pub const MAX_URL: usize = 2_048;
/// Longest reviewer's note.
pub const MAX_NOTE: usize = 2_000;
/// At most this many entries per `upsertEntries` call.
pub const MAX_UPSERT: usize = 250;
/// The first year of the WSIS process (and of the stocktaking).
pub const FIRST_YEAR: i32 = 2003;

/// A contact person for an entry: never public.
#[derive(InputObject, Debug, Clone)]
pub struct ContactInput {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    /// Telephone number, in any common notation.
    pub phone: Option<String>,
}

/// A new entry (`createEntry`).
#[derive(InputObject, Debug, Clone)]
pub struct EntryInput {
    /// The submitting organisation's id: a partner's key implies its own (naming another is
    /// refused); admins and integrations must name one.
    pub organisation: Option<ID>,
    /// The activity's name (at most 200 characters).
    pub title: String,
    /// What the activity does, for whom, with what results (at most 5,000 characters).
    pub description: String,
    /// What kind of activity this is.
    pub activity_type: ActivityType,
    /// Where the activity stands.
    pub status: EntryStatus,
    /// Its geographic reach.
    pub coverage: Coverage,
    /// When it started.
    pub start_date: Option<Date>,
    /// When it ended or will end; not before `startDate`.
    pub end_date: Option<Date>,
    /// An `http` or `https` address.
    pub website: Option<String>,
    /// The year of submission, 2003 to next year. Default: this year.
    pub year: Option<i32>,
    /// Countries by ISO alpha-2 or alpha-3 code, in any case.
    pub countries: Vec<String>,
    /// Regional tags, for regional and international activities.
    pub regions: Option<Vec<RegionCode>>,
    /// At least one of the 18 categories (C7's sub-lines, not C7 itself).
    pub action_lines: Vec<ActionLineCode>,
    /// SDG numbers, 1–17.
    pub sdgs: Vec<i32>,
    /// The contact person.
    pub contact: Option<ContactInput>,
    /// Keep the entry as a `DRAFT` instead of submitting it for review.
    pub draft: Option<bool>,
}

/// Changes to an entry (`updateEntry`): only the fields given change; a list given replaces
/// the list; `null` clears an optional field.
#[derive(InputObject, Debug, Clone, Default)]
pub struct EntryPatch {
    /// Move the entry to another organisation (admins only).
    pub organisation: Option<ID>,
    /// The activity's name (at most 200 characters).
    pub title: Option<String>,
    /// What the activity does (at most 5,000 characters).
    pub description: Option<String>,
    /// What kind of activity this is.
    pub activity_type: Option<ActivityType>,
    /// Where the activity stands.
    pub status: Option<EntryStatus>,
    /// Its geographic reach.
    pub coverage: Option<Coverage>,
    /// When it started; `null` clears it.
    pub start_date: MaybeUndefined<Date>,
    /// When it ended or will end (not before the start); `null` clears it.
    pub end_date: MaybeUndefined<Date>,
    /// An `http` or `https` address; `null` clears it.
    pub website: MaybeUndefined<String>,
    /// The year of this update. Default: this year.
    pub year: Option<i32>,
    /// Replaces the countries (ISO alpha-2 or alpha-3 codes).
    pub countries: Option<Vec<String>>,
    /// Replaces the regional tags.
    pub regions: Option<Vec<RegionCode>>,
    /// Replaces the categories (at least one).
    pub action_lines: Option<Vec<ActionLineCode>>,
    /// Replaces the SDGs.
    pub sdgs: Option<Vec<i32>>,
    /// Replaces the contact person; `null` removes it.
    pub contact: MaybeUndefined<ContactInput>,
    /// `true` takes a submitted entry back to `DRAFT`; `false` submits a draft for review.
    pub draft: Option<bool>,
}

/// An entry from an integration's source, keyed by its id there.
#[derive(InputObject, Debug, Clone)]
pub struct ExternalEntryInput {
    /// The entry's id in the integration's source (at most 128 characters).
    pub external_id: String,
    #[graphql(flatten)]
    pub entry: EntryInput,
}

/// A moderation decision.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewDecision {
    /// Publish the entry.
    Publish,
    /// Reject it (a published entry is withdrawn from public view).
    Reject,
}

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

/// Whether `value` is an `http(s)` address with a domain name, at most [`MAX_URL`] long.
pub fn valid_website(value: &str) -> bool {
    value.len() <= MAX_URL
        && url::Url::parse(value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.')))
}

/// Collects the problems of one input.
struct Checker<'a> {
    cat: &'a Catalog,
    problems: Vec<Problem>,
    prefix: String,
}

impl<'a> Checker<'a> {
    fn new(cat: &'a Catalog, prefix: impl Into<String>) -> Self {
        Checker {
            cat,
            problems: Vec::new(),
            prefix: prefix.into(),
        }
    }

    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            field: format!("{}.{field}", self.prefix),
            message: message.into(),
        });
    }

    fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.problem(field, format!("`{field}` must not be empty"));
        } else if value.chars().count() > max {
            self.problem(field, format!("`{field}` is longer than {max} characters"));
        }
        value.to_owned()
    }

    fn website(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if !valid_website(value) {
            self.problem(
                field,
                format!("`{value}` is not a web address (expected http:// or https://, at most {MAX_URL} characters)"),
            );
        }
        Some(value.to_owned())
    }

    fn year(&mut self, field: &str, year: i32) -> i32 {
        let next = writes::now().year() + 1;
        if !(FIRST_YEAR..=next).contains(&year) {
            self.problem(field, format!("the year must be between {FIRST_YEAR} and {next}"));
        }
        year
    }

    fn countries(&mut self, field: &str, codes: &[String]) -> Vec<String> {
        let mut out = BTreeSet::new();
        for code in codes {
            match self.cat.country(code) {
                Some(c) => {
                    out.insert(c.alpha2.clone());
                }
                None => self.problem(field, format!("unknown country code `{code}`")),
            }
        }
        out.into_iter().collect()
    }

    fn regions(codes: &[RegionCode]) -> Vec<String> {
        let set: BTreeSet<String> = codes.iter().map(|r| r.code().to_owned()).collect();
        set.into_iter().collect()
    }

    fn categories(&mut self, field: &str, codes: &[ActionLineCode]) -> Vec<String> {
        let mut out = BTreeSet::new();
        for code in codes {
            match self.cat.action_line(code.code()) {
                Some(al) if al.sub_lines.is_empty() => {
                    out.insert(al.code.clone());
                }
                _ => self.problem(
                    field,
                    format!(
                        "`{}` groups several categories: name its sub-lines instead",
                        code.code()
                    ),
                ),
            }
        }
        if codes.is_empty() {
            self.problem(field, "an entry needs at least one category");
        }
        out.into_iter().collect()
    }

    fn sdgs(&mut self, field: &str, numbers: &[i32]) -> Vec<i32> {
        let mut out = BTreeSet::new();
        for &n in numbers {
            if self.cat.sdg(n).is_some() {
                out.insert(n);
            } else {
                self.problem(field, format!("there is no SDG {n}; goals are numbered 1 to 17"));
            }
        }
        out.into_iter().collect()
    }

    fn contact(&mut self, field: &str, c: &ContactInput) -> ContactData {
        let name = self.text(&format!("{field}.name"), &c.name, 200);
        let email = c.email.trim().to_owned();
        let valid_email = email.len() <= 254
            && !email.chars().any(char::is_whitespace)
            && email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.starts_with('.'));
        if !valid_email {
            self.problem(&format!("{field}.email"), format!("`{email}` is not an e-mail address"));
        }
        let phone = c
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if let Some(p) = &phone
            && (p.len() > 40 || !p.chars().all(|ch| ch.is_ascii_digit() || " +-().".contains(ch)))
        {
            self.problem(&format!("{field}.phone"), format!("`{p}` is not a telephone number"));
        }
        ContactData { name, email, phone }
    }

    fn dates(&mut self, start: Option<NaiveDate>, end: Option<NaiveDate>) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.problem("endDate", format!("the end date {e} is before the start date {s}"));
        }
    }

    /// A new entry's data; `organisation` is resolved by the caller.
    fn input(&mut self, input: &EntryInput, organisation_id: i64) -> EntryData {
        let year = input.year.unwrap_or_else(|| writes::now().year());
        let data = EntryData {
            organisation_id,
            title: self.text("title", &input.title, MAX_TITLE),
            description: self.text("description", &input.description, MAX_DESCRIPTION),
            activity_type: input.activity_type.into(),
            status: input.status.into(),
            coverage: input.coverage.into(),
            start_date: input.start_date.map(|d| d.0),
            end_date: input.end_date.map(|d| d.0),
            website: self.website("website", input.website.as_deref()),
            year: self.year("year", year),
            countries: self.countries("countries", &input.countries),
            regions: Self::regions(input.regions.as_deref().unwrap_or_default()),
            categories: self.categories("actionLines", &input.action_lines),
            sdgs: self.sdgs("sdgs", &input.sdgs),
            contact: input.contact.as_ref().map(|c| self.contact("contact", c)),
        };
        self.dates(data.start_date, data.end_date);
        data
    }

    /// An entry's data with a patch applied.
    fn patch(&mut self, mut data: EntryData, patch: &EntryPatch) -> EntryData {
        if let Some(t) = &patch.title {
            data.title = self.text("title", t, MAX_TITLE);
        }
        if let Some(d) = &patch.description {
            data.description = self.text("description", d, MAX_DESCRIPTION);
        }
        if let Some(v) = patch.activity_type {
            data.activity_type = v.into();
        }
        if let Some(v) = patch.status {
            data.status = v.into();
        }
        if let Some(v) = patch.coverage {
            data.coverage = v.into();
        }
        match &patch.start_date {
            MaybeUndefined::Value(d) => data.start_date = Some(d.0),
            MaybeUndefined::Null => data.start_date = None,
            MaybeUndefined::Undefined => {}
        }
        match &patch.end_date {
            MaybeUndefined::Value(d) => data.end_date = Some(d.0),
            MaybeUndefined::Null => data.end_date = None,
            MaybeUndefined::Undefined => {}
        }
        match &patch.website {
            MaybeUndefined::Value(w) => data.website = self.website("website", Some(w)),
            MaybeUndefined::Null => data.website = None,
            MaybeUndefined::Undefined => {}
        }
        data.year = self.year("year", patch.year.unwrap_or_else(|| writes::now().year()));
        if let Some(c) = &patch.countries {
            data.countries = self.countries("countries", c);
        }
        if let Some(r) = &patch.regions {
            data.regions = Self::regions(r);
        }
        if let Some(a) = &patch.action_lines {
            data.categories = self.categories("actionLines", a);
        }
        if let Some(s) = &patch.sdgs {
            data.sdgs = self.sdgs("sdgs", s);
        }
        match &patch.contact {
            MaybeUndefined::Value(c) => data.contact = Some(self.contact("contact", c)),
            MaybeUndefined::Null => data.contact = None,
            MaybeUndefined::Undefined => {}
        }
        self.dates(data.start_date, data.end_date);
        data
    }
}

fn caller<'a>(ctx: &Context<'a>) -> &'a Caller {
    static ANONYMOUS: std::sync::LazyLock<Caller> = std::sync::LazyLock::new(Caller::anonymous);
    ctx.data_opt::<Caller>().unwrap_or(&ANONYMOUS)
}

/// Mutations need a key.
fn keyed<'a>(ctx: &Context<'a>) -> Result<&'a Caller, AppError> {
    let c = caller(ctx);
    if c.key.is_none() {
        return Err(AppError::Unauthenticated(
            "mutations need an API key: send `Authorization: Bearer <key>`".into(),
        ));
    }
    Ok(c)
}

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

fn done(problems: Vec<Problem>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// Resolves an organisation id argument, checking that it exists.
async fn organisation(db: &DatabaseConnection, id: &ID, field: &str) -> Result<i64, AppError> {
    let org = ids::decode_int(id, Kind::Organisation, field)?;
    organisation::Entity::find_by_id(org)
        .one(db)
        .await?
        .map(|o| o.id)
        .ok_or_else(|| AppError::bad_input(field, format!("there is no organisation `{}`", id.as_str())))
}

/// The entry behind an `Entry` id, if the caller may see it (inside the write transaction).
async fn visible_entry(
    txn: &DatabaseTransaction,
    caller: &Caller,
    cat: &Catalog,
    id: &ID,
    field: &str,
) -> Result<entry::Model, AppError> {
    let number = ids::decode_int(id, Kind::Entry, field)?;
    entry::Entity::find()
        .filter(entry::Column::Number.eq(number))
        .filter(caller.visibility(cat))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("entry `{}`", id.as_str())))
}

/// Whether the caller owns the entry (its organisation's partner) or is an admin.
fn may_edit(caller: &Caller, e: &entry::Model) -> Result<(), AppError> {
    match &caller.access {
        Access::Admin => Ok(()),
        Access::Partner(org) if *org == e.organisation_id => Ok(()),
        Access::Partner(_) => Err(AppError::Forbidden(
            "only the entry's own organisation may change it".into(),
        )),
        _ => Err(AppError::Forbidden("this key's role cannot change entries".into())),
    }
}

/// Commits, and drops what this request's loaders had cached (a later field of the same
/// request must see the write).
async fn commit(ctx: &Context<'_>, txn: DatabaseTransaction) -> Result<(), AppError> {
    crate::auth::touch_write(&txn, caller(ctx)).await?;
    txn.commit().await?;
    loaders::forget(ctx.data_unchecked::<Loaders>());
    if let Some(signal) = ctx.data_opt::<ChangeSignal>() {
        signal.poke();
    }
    Ok(())
}

fn entry(model: entry::Model) -> Entry {
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
        create(ctx, input).await.gql()
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
        update(ctx, id, expected_version, patch).await.gql()
    }

    /// Withdraws an entry from the stocktaking (its organisation's partner, or an admin).
    async fn withdraw_entry(&self, ctx: &Context<'_>, id: ID, expected_version: i32) -> GqlResult<Entry> {
        withdraw(ctx, id, expected_version).await.gql()
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
        review(ctx, id, decision, note).await.gql()
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
        prize(ctx, entry_id, year, category, result).await.gql()
    }

    /// Creates or updates the integration's entries by their id in its source (integration
    /// keys; at most 250 per call). All or nothing: one invalid input refuses the whole call.
    /// Idempotent: an input identical to what is stored changes nothing, not even the version.
    async fn upsert_entries(&self, ctx: &Context<'_>, inputs: Vec<ExternalEntryInput>) -> GqlResult<UpsertResult> {
        upsert(ctx, inputs).await.gql()
    }
}

async fn create(ctx: &Context<'_>, input: EntryInput) -> Result<Entry, AppError> {
    let caller = keyed(ctx)?;
    let cat = catalog(ctx);
    let db = db(ctx);
    let org = match (&caller.access, &input.organisation) {
        (Access::Partner(own), None) => *own,
        (Access::Partner(own), Some(id)) => {
            let named = ids::decode_int(id, Kind::Organisation, "input.organisation")?;
            if named != *own {
                return Err(AppError::Forbidden(
                    "a partner key submits entries for its own organisation only".into(),
                ));
            }
            named
        }
        (Access::Admin, Some(id)) => organisation(db, id, "input.organisation").await?,
        (Access::Admin, None) => {
            return Err(AppError::bad_input(
                "input.organisation",
                "name the organisation the entry belongs to",
            ));
        }
        (Access::Integration(_), _) => {
            return Err(AppError::Forbidden(
                "integration keys submit entries with `upsertEntries`".into(),
            ));
        }
        _ => return Err(AppError::Forbidden("this key's role cannot submit entries".into())),
    };
    let mut check = Checker::new(cat, "input");
    let data = check.input(&input, org);
    done(check.problems)?;
    let moderation = if input.draft == Some(true) {
        enums::Moderation::Draft
    } else {
        enums::Moderation::Submitted
    };
    let at = writes::now();
    let txn = writes::begin(db).await?;
    let model = writes::insert(&txn, &data, moderation, at).await?;
    writes::log(
        &txn,
        ChangeKind::Created,
        model.id,
        (None, model.moderation),
        &caller.actor(),
        at,
    )
    .await?;
    commit(ctx, txn).await?;
    tracing::info!(number = model.number, actor = %caller.actor(), "entry created");
    Ok(entry(model))
}

async fn update(ctx: &Context<'_>, id: ID, expected: i32, patch: EntryPatch) -> Result<Entry, AppError> {
    let caller = keyed(ctx)?;
    let cat = catalog(ctx);
    let db = db(ctx);
    let txn = writes::begin(db).await?;
    let current = visible_entry(&txn, caller, cat, &id, "id").await?;
    may_edit(caller, &current)?;
    if current.moderation == enums::Moderation::Withdrawn {
        return Err(AppError::bad_input("id", "a withdrawn entry cannot be changed"));
    }
    if current.version != expected {
        return Err(AppError::Conflict {
            expected,
            current: current.version,
        });
    }
    let (_, previous) = writes::load(&txn, current.id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("entry `{}`", id.as_str())))?;
    let mut check = Checker::new(cat, "patch");
    let mut data = check.patch(previous.clone(), &patch);
    if let Some(org) = &patch.organisation {
        let named = ids::decode_int(org, Kind::Organisation, "patch.organisation")?;
        if named != data.organisation_id {
            if !caller.is_admin() {
                return Err(AppError::Forbidden(
                    "only admins move entries between organisations".into(),
                ));
            }
            data.organisation_id = organisation(db, org, "patch.organisation").await?;
        }
    }
    use enums::Moderation as M;
    let moderation = match (current.moderation, patch.draft) {
        (M::Draft, Some(false)) | (M::Rejected, _) | (M::Submitted, None | Some(false)) => M::Submitted,
        (M::Draft | M::Submitted, Some(true)) | (M::Draft, None) => M::Draft,
        (M::Published, Some(true)) => {
            check.problem(
                "draft",
                "a published entry cannot go back to draft: withdraw it instead",
            );
            M::Published
        }
        (m, _) => m,
    };
    done(check.problems)?;
    let same = EntryData {
        year: previous.year,
        ..data.clone()
    } == previous;
    if same && moderation == current.moderation {
        // Nothing to write: no new version, no change in the log.
        txn.commit().await?;
        return Ok(entry(current));
    }
    let at = writes::now();
    let model = match writes::update(&txn, current.id, expected, &data, &previous, moderation, at).await? {
        Ok(m) => m,
        Err(now) => return Err(AppError::Conflict { expected, current: now }),
    };
    writes::log(
        &txn,
        ChangeKind::Updated,
        model.id,
        (Some(current.moderation), model.moderation),
        &caller.actor(),
        at,
    )
    .await?;
    commit(ctx, txn).await?;
    Ok(entry(model))
}

async fn withdraw(ctx: &Context<'_>, id: ID, expected: i32) -> Result<Entry, AppError> {
    let caller = keyed(ctx)?;
    let cat = catalog(ctx);
    let txn = writes::begin(db(ctx)).await?;
    let current = visible_entry(&txn, caller, cat, &id, "id").await?;
    may_edit(caller, &current)?;
    if current.moderation == enums::Moderation::Withdrawn {
        return Err(AppError::bad_input("id", "the entry is already withdrawn"));
    }
    let at = writes::now();
    let model =
        match writes::set_moderation(&txn, current.id, Some(expected), enums::Moderation::Withdrawn, None, at).await? {
            Ok(m) => m,
            Err(now) => return Err(AppError::Conflict { expected, current: now }),
        };
    let kind = if current.moderation == enums::Moderation::Published {
        ChangeKind::Removed
    } else {
        ChangeKind::Updated
    };
    writes::log(
        &txn,
        kind,
        model.id,
        (Some(current.moderation), model.moderation),
        &caller.actor(),
        at,
    )
    .await?;
    commit(ctx, txn).await?;
    Ok(entry(model))
}

async fn review(ctx: &Context<'_>, id: ID, decision: ReviewDecision, note: Option<String>) -> Result<Entry, AppError> {
    let caller = keyed(ctx)?;
    let cat = catalog(ctx);
    let txn = writes::begin(db(ctx)).await?;
    let current = visible_entry(&txn, caller, cat, &id, "id").await?;
    match &caller.access {
        Access::Admin => {}
        Access::Commission(_) => {
            let (_, data) = writes::load(&txn, current.id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("entry `{}`", id.as_str())))?;
            if !caller.region_covers(cat, &data.countries, &data.regions) {
                return Err(AppError::Forbidden(
                    "a commission reviews the entries of its own region only".into(),
                ));
            }
        }
        _ => return Err(AppError::Forbidden("only admins and commissions review entries".into())),
    }
    let note = note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE) {
        return Err(AppError::bad_input(
            "note",
            format!("the note is longer than {MAX_NOTE} characters"),
        ));
    }
    use enums::Moderation as M;
    let target = match (decision, current.moderation) {
        (ReviewDecision::Publish, M::Submitted | M::Rejected) => M::Published,
        (ReviewDecision::Reject, M::Submitted | M::Published) => M::Rejected,
        (_, m) => {
            let state = format!("{m:?}").to_uppercase();
            return Err(AppError::bad_input(
                "decision",
                format!(
                    "a {state} entry cannot be {}",
                    match decision {
                        ReviewDecision::Publish => "published",
                        ReviewDecision::Reject => "rejected",
                    }
                ),
            ));
        }
    };
    let at = writes::now();
    let model = match writes::set_moderation(&txn, current.id, None, target, Some(note), at).await? {
        Ok(m) => m,
        Err(now) => {
            return Err(AppError::Conflict {
                expected: current.version,
                current: now,
            });
        }
    };
    let kind = match (target, current.moderation) {
        (M::Published, _) => ChangeKind::Published,
        (_, M::Published) => ChangeKind::Removed,
        _ => ChangeKind::Updated,
    };
    writes::log(
        &txn,
        kind,
        model.id,
        (Some(current.moderation), model.moderation),
        &caller.actor(),
        at,
    )
    .await?;
    commit(ctx, txn).await?;
    Ok(entry(model))
}

async fn prize(
    ctx: &Context<'_>,
    entry_id: ID,
    year: i32,
    category: ActionLineCode,
    result: PrizeResult,
) -> Result<Entry, AppError> {
    let caller = keyed(ctx)?;
    if !caller.is_admin() {
        return Err(AppError::Forbidden("only admins record prizes".into()));
    }
    let cat = catalog(ctx);
    let mut check = Checker::new(cat, "");
    check.year("year", year);
    check.categories("category", &[category]);
    let problems = check
        .problems
        .into_iter()
        .map(|p| Problem {
            field: p.field.trim_start_matches('.').to_owned(),
            ..p
        })
        .collect();
    done(problems)?;
    let txn = writes::begin(db(ctx)).await?;
    let current = visible_entry(&txn, caller, cat, &entry_id, "entryId").await?;
    let at = writes::now();
    let model = writes::record_prize(&txn, current.id, year, category.code(), result.into(), at).await?;
    writes::log(
        &txn,
        ChangeKind::Updated,
        model.id,
        (Some(current.moderation), model.moderation),
        &caller.actor(),
        at,
    )
    .await?;
    commit(ctx, txn).await?;
    Ok(entry(model))
}

async fn upsert(ctx: &Context<'_>, inputs: Vec<ExternalEntryInput>) -> Result<UpsertResult, AppError> {
    let caller = keyed(ctx)?;
    let Access::Integration(source) = &caller.access else {
        return Err(AppError::Forbidden("only integration keys upsert entries".into()));
    };
    if inputs.len() > MAX_UPSERT {
        return Err(AppError::bad_input(
            "inputs",
            format!("at most {MAX_UPSERT} entries per call ({} given)", inputs.len()),
        ));
    }
    let cat = catalog(ctx);
    let db = db(ctx);
    // Validate everything before writing anything.
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    let mut orgs: HashMap<usize, i64> = HashMap::new();
    let mut org_ids = BTreeSet::new();
    for (i, input) in inputs.iter().enumerate() {
        let field = |f: &str| format!("inputs[{i}].{f}");
        let ext = input.external_id.trim();
        if ext.is_empty() || ext.chars().count() > 128 {
            problems.push(Problem {
                field: field("externalId"),
                message: "`externalId` must have 1 to 128 characters".into(),
            });
        } else if !seen.insert(ext.to_owned()) {
            problems.push(Problem {
                field: field("externalId"),
                message: format!("`{ext}` appears twice in this call"),
            });
        }
        match &input.entry.organisation {
            None => problems.push(Problem {
                field: field("organisation"),
                message: "name the organisation the entry belongs to".into(),
            }),
            Some(id) => match ids::decode_int(id, Kind::Organisation, &field("organisation")) {
                Ok(org) => {
                    orgs.insert(i, org);
                    org_ids.insert(org);
                }
                Err(_) => problems.push(Problem {
                    field: field("organisation"),
                    message: format!("`{}` is not an organisation id", id.as_str()),
                }),
            },
        }
    }
    let known: HashSet<i64> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut data = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let org = orgs.get(&i).copied().unwrap_or_default();
        if orgs.contains_key(&i) && !known.contains(&org) {
            problems.push(Problem {
                field: format!("inputs[{i}].organisation"),
                message: "there is no such organisation".into(),
            });
        }
        let mut check = Checker::new(cat, format!("inputs[{i}]"));
        data.push(check.input(&input.entry, org));
        problems.extend(check.problems);
    }
    done(problems)?;

    let txn = writes::begin(db).await?;
    let actor = caller.actor();
    let (mut created, mut updated, mut unchanged) = (0, 0, 0);
    let mut out = Vec::with_capacity(inputs.len());
    for (input, mut d) in inputs.iter().zip(data) {
        let ext = input.external_id.trim();
        let at = writes::now();
        match writes::find_external(&txn, source, ext).await? {
            None => {
                let moderation = if input.entry.draft == Some(true) {
                    enums::Moderation::Draft
                } else {
                    enums::Moderation::Submitted
                };
                let model = writes::insert(&txn, &d, moderation, at).await?;
                writes::add_external(&txn, model.id, source, ext).await?;
                writes::log(
                    &txn,
                    ChangeKind::Created,
                    model.id,
                    (None, model.moderation),
                    &actor,
                    at,
                )
                .await?;
                created += 1;
                out.push(entry(model));
            }
            Some(id) => {
                let (model, previous) = writes::load(&txn, id)
                    .await?
                    .ok_or_else(|| AppError::Internal(format!("external ref to missing entry {id}")))?;
                if input.entry.year.is_none() {
                    d.year = previous.year;
                }
                if d == previous {
                    unchanged += 1;
                    out.push(entry(model));
                    continue;
                }
                let model = writes::update(&txn, id, model.version, &d, &previous, model.moderation, at)
                    .await?
                    .map_err(|v| AppError::Internal(format!("entry {id} moved to version {v} under the write lock")))?;
                writes::log(
                    &txn,
                    ChangeKind::Updated,
                    id,
                    (Some(model.moderation), model.moderation),
                    &actor,
                    at,
                )
                .await?;
                updated += 1;
                out.push(entry(model));
            }
        }
    }
    commit(ctx, txn).await?;
    tracing::info!(created, updated, unchanged, source = %source, "entries upserted");
    Ok(UpsertResult {
        created,
        updated,
        unchanged,
        entries: out,
    })
}
