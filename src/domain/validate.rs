//! The one validator of what is written about an entry, for mutations and imports alike: the
//! same limits, the same messages. It collects every problem (each with its field) instead of
//! stopping at the first, and resolves codes to what is stored (alpha-2 countries, sorted and
//! deduplicated lists).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use entity::enums::{ActivityType, Coverage, EntryStatus};

use crate::catalog::Catalog;
use crate::error::{AppError, Problem};
use crate::store::writes::{ContactData, EntryData, now};

/// Longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest description, in characters: the WSIS Prize form asks for 150–200 words, and an
/// entry may say a little more than a nomination does.
pub const MAX_DESCRIPTION: usize = 5_000;
/// Longest website address.
pub const MAX_URL: usize = 2_048;
/// Longest reviewer's note.
pub const MAX_NOTE: usize = 2_000;
/// Longest contact name.
pub const MAX_NAME: usize = 200;
/// Longest external id of an integration's source.
pub const MAX_EXTERNAL_ID: usize = 128;
/// At most this many entries per `upsertEntries` call.
pub const MAX_UPSERT: usize = 250;
/// The first year of the WSIS process (and of the stocktaking).
pub const FIRST_YEAR: i32 = 2003;

/// A new entry as a partner, an admin or an integration submits it.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// What is written about it, as given: not yet trimmed, checked or resolved (the
    /// validator sets its organisation and year).
    pub fields: EntryData,
    /// The year of submission. Default: this year.
    pub year: Option<i32>,
    /// Keep it as a draft instead of submitting it for review.
    pub draft: Option<bool>,
}

/// A change to one optional field: keep it, clear it, or set it.
#[derive(Debug, Clone, Default)]
pub enum Change<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Change<T> {
    fn apply(&self, field: &mut Option<T>, set: impl FnOnce(&T) -> Option<T>) {
        match self {
            Change::Keep => {}
            Change::Clear => *field = None,
            Change::Set(v) => *field = set(v),
        }
    }
}

/// Changes to an entry: only what is given changes; a list given replaces the list.
#[derive(Debug, Clone, Default)]
pub struct EntryChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub activity_type: Option<ActivityType>,
    pub status: Option<EntryStatus>,
    pub coverage: Option<Coverage>,
    pub start_date: Change<NaiveDate>,
    pub end_date: Change<NaiveDate>,
    pub website: Change<String>,
    /// The year of this update. Default: this year.
    pub year: Option<i32>,
    pub countries: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub action_lines: Option<Vec<String>>,
    pub sdgs: Option<Vec<i32>>,
    pub gdc_objectives: Option<Vec<String>>,
    pub contact: Change<ContactData>,
    /// `true` takes a submitted entry back to draft; `false` submits a draft.
    pub draft: Option<bool>,
}

/// Whether `value` is an `http(s)` address with a domain name, at most [`MAX_URL`] long.
pub fn valid_website(value: &str) -> bool {
    value.len() <= MAX_URL
        && url::Url::parse(value)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.')))
}

/// The latest year an entry may carry: next year.
pub fn last_year() -> i32 {
    now().year() + 1
}

/// Whether categories may name a group (C7 itself): historical entries, read back by the
/// importer, may; new submissions name a sub-line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Groups {
    Refused,
    Allowed,
}

/// Collects the problems of one input, fields relative to it (`title`, `contact.email`).
pub struct Checker<'a> {
    cat: &'a Catalog,
    problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    pub fn new(cat: &'a Catalog) -> Self {
        Checker {
            cat,
            problems: Vec::new(),
        }
    }

    pub fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The problems found, each field under `prefix` (`input` gives `input.title`).
    pub fn problems(self, prefix: &str) -> Vec<Problem> {
        self.problems
            .into_iter()
            .map(|p| Problem {
                field: if prefix.is_empty() {
                    p.field
                } else {
                    format!("{prefix}.{}", p.field)
                },
                ..p
            })
            .collect()
    }

    /// `Ok` when nothing was found; else every problem as one `BAD_USER_INPUT`.
    pub fn done(self, prefix: &str) -> Result<(), AppError> {
        refuse(self.problems(prefix))
    }

    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let value = value.trim();
        if value.is_empty() {
            self.problem(field, format!("`{field}` must not be empty"));
        } else if value.chars().count() > max {
            self.problem(field, format!("`{field}` is longer than {max} characters"));
        }
        value.to_owned()
    }

    pub fn website(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        if !valid_website(value) {
            self.problem(
                field,
                format!("`{value}` is not a web address (expected http:// or https://, at most {MAX_URL} characters)"),
            );
        }
        Some(value.to_owned())
    }

    pub fn year(&mut self, field: &str, year: i32) -> i32 {
        let last = last_year();
        if !(FIRST_YEAR..=last).contains(&year) {
            self.problem(field, format!("the year must be between {FIRST_YEAR} and {last}"));
        }
        year
    }

    pub fn countries(&mut self, field: &str, codes: &[String]) -> Vec<String> {
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

    pub fn regions(&mut self, field: &str, codes: &[String]) -> Vec<String> {
        let mut out = BTreeSet::new();
        for code in codes {
            match self.cat.region(code) {
                Some(r) => {
                    out.insert(r.code.clone());
                }
                None => self.problem(field, format!("unknown region `{code}`")),
            }
        }
        out.into_iter().collect()
    }

    pub fn categories(&mut self, field: &str, codes: &[String], groups: Groups) -> Vec<String> {
        let mut out = BTreeSet::new();
        for code in codes {
            match self.cat.action_line(code) {
                Some(al) if al.sub_lines.is_empty() || groups == Groups::Allowed => {
                    out.insert(al.code.clone());
                }
                Some(_) => self.problem(
                    field,
                    format!("`{code}` groups several categories: name its sub-lines instead"),
                ),
                None => self.problem(field, format!("unknown Action Line `{code}`")),
            }
        }
        if codes.is_empty() {
            self.problem(field, "an entry needs at least one category");
        }
        out.into_iter().collect()
    }

    pub fn sdgs(&mut self, field: &str, numbers: &[i32]) -> Vec<i32> {
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

    /// Global Digital Compact objective codes (`GDC1`…`GDC5`, any case), sorted and deduplicated.
    pub fn gdc_objectives(&mut self, field: &str, codes: &[String]) -> Vec<String> {
        let mut out = BTreeSet::new();
        for code in codes {
            match self.cat.gdc_objective(&code.trim().to_ascii_uppercase()) {
                Some(o) => {
                    out.insert(o.code.clone());
                }
                None => self.problem(
                    field,
                    format!("there is no Global Digital Compact objective `{code}`; they are GDC1 to GDC5"),
                ),
            }
        }
        out.into_iter().collect()
    }

    pub fn contact(&mut self, field: &str, c: &ContactData) -> ContactData {
        let name = self.text(&format!("{field}.name"), &c.name, MAX_NAME);
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

    pub fn dates(&mut self, start: Option<NaiveDate>, end: Option<NaiveDate>) {
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            self.problem("endDate", format!("the end date {e} is before the start date {s}"));
        }
    }

    /// A new entry's data, for `organisation_id`.
    pub fn new_entry(&mut self, input: &NewEntry, organisation_id: i64) -> EntryData {
        let f = &input.fields;
        let data = EntryData {
            organisation_id,
            title: self.text("title", &f.title, MAX_TITLE),
            description: self.text("description", &f.description, MAX_DESCRIPTION),
            website: self.website("website", f.website.as_deref()),
            year: self.year("year", input.year.unwrap_or_else(|| now().year())),
            countries: self.countries("countries", &f.countries),
            regions: self.regions("regions", &f.regions),
            categories: self.categories("actionLines", &f.categories, Groups::Refused),
            sdgs: self.sdgs("sdgs", &f.sdgs),
            gdc_objectives: self.gdc_objectives("gdcObjectives", &f.gdc_objectives),
            contact: f.contact.as_ref().map(|c| self.contact("contact", c)),
            ..f.clone()
        };
        self.dates(data.start_date, data.end_date);
        data
    }

    /// An entry's data with changes applied.
    pub fn changes(&mut self, mut data: EntryData, changes: &EntryChanges) -> EntryData {
        if let Some(t) = &changes.title {
            data.title = self.text("title", t, MAX_TITLE);
        }
        if let Some(d) = &changes.description {
            data.description = self.text("description", d, MAX_DESCRIPTION);
        }
        data.activity_type = changes.activity_type.unwrap_or(data.activity_type);
        data.status = changes.status.unwrap_or(data.status);
        data.coverage = changes.coverage.unwrap_or(data.coverage);
        changes.start_date.apply(&mut data.start_date, |d| Some(*d));
        changes.end_date.apply(&mut data.end_date, |d| Some(*d));
        changes
            .website
            .apply(&mut data.website, |w| self.website("website", Some(w)));
        data.year = self.year("year", changes.year.unwrap_or_else(|| now().year()));
        if let Some(c) = &changes.countries {
            data.countries = self.countries("countries", c);
        }
        if let Some(r) = &changes.regions {
            data.regions = self.regions("regions", r);
        }
        if let Some(a) = &changes.action_lines {
            data.categories = self.categories("actionLines", a, Groups::Refused);
        }
        if let Some(s) = &changes.sdgs {
            data.sdgs = self.sdgs("sdgs", s);
        }
        if let Some(g) = &changes.gdc_objectives {
            data.gdc_objectives = self.gdc_objectives("gdcObjectives", g);
        }
        changes
            .contact
            .apply(&mut data.contact, |c| Some(self.contact("contact", c)));
        self.dates(data.start_date, data.end_date);
        data
    }
}

/// `Ok` for no problems, else one `BAD_USER_INPUT` carrying all of them.
pub fn refuse(problems: Vec<Problem>) -> Result<(), AppError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}
