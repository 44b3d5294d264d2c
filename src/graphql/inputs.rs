//! The input types of the mutations, and their conversion into the domain's
//! ([`crate::domain::validate`]): codes become strings the validator checks, ids are decoded
//! here, with the field they came from.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};

use crate::domain::upsert::ExternalEntry;
use crate::domain::validate::{Change, EntryChanges, NewEntry};
use crate::error::AppError;
use crate::graphql::entry::{ActivityType, Coverage, EntryStatus};
use crate::graphql::reference::{ActionLineCode, GdcObjectiveCode, RegionCode};
use crate::graphql::scalars::Date;
use crate::ids::{self, Kind};
use crate::store::writes::{ContactData, EntryData};

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
    /// The Global Digital Compact objectives the activity serves. Default: none.
    pub gdc_objectives: Option<Vec<GdcObjectiveCode>>,
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
    /// Replaces the Global Digital Compact objectives (`[]` removes them).
    pub gdc_objectives: Option<Vec<GdcObjectiveCode>>,
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
#[graphql(remote = "crate::domain::moderation::Decision")]
pub enum ReviewDecision {
    /// Publish the entry.
    Publish,
    /// Reject it (a published entry is withdrawn from public view).
    Reject,
}

/// An organisation id argument, decoded (its problem, if any, named by `field`).
pub fn organisation(id: &Option<ID>, field: &str) -> Option<Result<i64, AppError>> {
    id.as_ref().map(|id| ids::decode_int(id, Kind::Organisation, field))
}

fn codes<T>(list: &[T], code: impl Fn(&T) -> &'static str) -> Vec<String> {
    list.iter().map(|c| code(c).to_owned()).collect()
}

fn change<T, U>(value: &MaybeUndefined<T>, f: impl Fn(&T) -> U) -> Change<U> {
    match value {
        MaybeUndefined::Undefined => Change::Keep,
        MaybeUndefined::Null => Change::Clear,
        MaybeUndefined::Value(v) => Change::Set(f(v)),
    }
}

impl From<&ContactInput> for ContactData {
    fn from(c: &ContactInput) -> Self {
        ContactData {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
        }
    }
}

impl From<&EntryInput> for NewEntry {
    fn from(i: &EntryInput) -> Self {
        let fields = EntryData {
            organisation_id: 0,
            title: i.title.clone(),
            description: i.description.clone(),
            activity_type: i.activity_type.into(),
            status: i.status.into(),
            coverage: i.coverage.into(),
            start_date: i.start_date.map(|d| d.0),
            end_date: i.end_date.map(|d| d.0),
            website: i.website.clone(),
            year: 0,
            countries: i.countries.clone(),
            regions: codes(i.regions.as_deref().unwrap_or_default(), |r| r.code()),
            categories: codes(&i.action_lines, |a| a.code()),
            sdgs: i.sdgs.clone(),
            gdc_objectives: codes(i.gdc_objectives.as_deref().unwrap_or_default(), |o| o.code()),
            contact: i.contact.as_ref().map(ContactData::from),
        };
        NewEntry {
            fields,
            year: i.year,
            draft: i.draft,
        }
    }
}

impl From<&EntryPatch> for EntryChanges {
    fn from(p: &EntryPatch) -> Self {
        EntryChanges {
            title: p.title.clone(),
            description: p.description.clone(),
            activity_type: p.activity_type.map(Into::into),
            status: p.status.map(Into::into),
            coverage: p.coverage.map(Into::into),
            start_date: change(&p.start_date, |d| d.0),
            end_date: change(&p.end_date, |d| d.0),
            website: change(&p.website, Clone::clone),
            year: p.year,
            countries: p.countries.clone(),
            regions: p.regions.as_deref().map(|r| codes(r, |r| r.code())),
            action_lines: p.action_lines.as_deref().map(|a| codes(a, |a| a.code())),
            sdgs: p.sdgs.clone(),
            gdc_objectives: p.gdc_objectives.as_deref().map(|o| codes(o, |o| o.code())),
            contact: change(&p.contact, |c| ContactData::from(c)),
            draft: p.draft,
        }
    }
}

impl ExternalEntryInput {
    /// The domain's form of the input at `index` of the call.
    pub fn resolve(&self, index: usize) -> ExternalEntry {
        ExternalEntry {
            external_id: self.external_id.clone(),
            organisation: organisation(&self.entry.organisation, &format!("inputs[{index}].organisation")),
            entry: NewEntry::from(&self.entry),
        }
    }
}
