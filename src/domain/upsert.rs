//! An integration's upsert: entries keyed by their id in its source, all or nothing, and
//! idempotent (an input identical to what is stored writes nothing, not even a version).

use std::collections::{BTreeSet, HashSet};

use entity::entry;

use crate::domain::access;
use crate::domain::moderation;
use crate::domain::validate::{self, Checker, MAX_EXTERNAL_ID, MAX_UPSERT, NewEntry};
use crate::domain::write::Writer;
use crate::error::{AppError, Problem};
use crate::store::{organisations, writes};

/// One entry of an integration's source.
#[derive(Debug)]
pub struct ExternalEntry {
    /// Its id in the source.
    pub external_id: String,
    /// The organisation it belongs to (decoded by the surface; `Err` is its problem).
    pub organisation: Option<Result<i64, AppError>>,
    pub entry: NewEntry,
}

/// What an upsert did, with the entries in the order of the inputs.
#[derive(Debug, Default)]
pub struct Upserted {
    pub created: i32,
    pub updated: i32,
    pub unchanged: i32,
    pub entries: Vec<entry::Model>,
}

impl Writer<'_> {
    /// Creates or updates the integration's entries by their id in its source.
    pub async fn upsert(&self, inputs: &[ExternalEntry]) -> Result<Upserted, AppError> {
        access::keyed(self.caller)?;
        let source = access::integration_source(self.caller)?;
        if inputs.len() > MAX_UPSERT {
            return Err(AppError::bad_input(
                "inputs",
                format!("at most {MAX_UPSERT} entries per call ({} given)", inputs.len()),
            ));
        }
        // Validate everything before writing anything.
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        let mut orgs = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let field = |f: &str| format!("inputs[{i}].{f}");
            let ext = input.external_id.trim();
            if ext.is_empty() || ext.chars().count() > MAX_EXTERNAL_ID {
                problems.push(Problem {
                    field: field("externalId"),
                    message: format!("`externalId` must have 1 to {MAX_EXTERNAL_ID} characters"),
                });
            } else if !seen.insert(ext.to_owned()) {
                problems.push(Problem {
                    field: field("externalId"),
                    message: format!("`{ext}` appears twice in this call"),
                });
            }
            orgs.push(match &input.organisation {
                None => {
                    problems.push(Problem {
                        field: field("organisation"),
                        message: "name the organisation the entry belongs to".into(),
                    });
                    None
                }
                Some(Ok(org)) => Some(*org),
                Some(Err(e)) => {
                    problems.push(Problem {
                        field: field("organisation"),
                        message: e.to_string(),
                    });
                    None
                }
            });
        }
        let named: BTreeSet<i64> = orgs.iter().flatten().copied().collect();
        let known = organisations::by_ids(self.db, &named.into_iter().collect::<Vec<_>>()).await?;
        let mut data = Vec::with_capacity(inputs.len());
        for (i, (input, org)) in inputs.iter().zip(&orgs).enumerate() {
            if let Some(org) = org
                && !known.contains_key(org)
            {
                problems.push(Problem {
                    field: format!("inputs[{i}].organisation"),
                    message: "there is no such organisation".into(),
                });
            }
            let mut check = Checker::new(self.cat);
            data.push(check.new_entry(&input.entry, org.unwrap_or_default()));
            problems.extend(check.problems(&format!("inputs[{i}]")));
        }
        validate::refuse(problems)?;

        let txn = writes::begin(self.db).await?;
        let mut done = Upserted::default();
        for (input, mut d) in inputs.iter().zip(data) {
            let ext = input.external_id.trim();
            let at = writes::now();
            match writes::find_external(&txn, source, ext).await? {
                None => {
                    let model = writes::insert(&txn, &d, moderation::initial(input.entry.draft), at).await?;
                    writes::add_external(&txn, model.id, source, ext).await?;
                    self.log(&txn, &model, None, at).await?;
                    done.created += 1;
                    done.entries.push(model);
                }
                Some(id) => {
                    let (model, previous) = writes::load(&txn, id)
                        .await?
                        .ok_or_else(|| AppError::Internal(format!("external ref to missing entry {id}")))?;
                    if input.entry.year.is_none() {
                        d.year = previous.year;
                    }
                    if d == previous {
                        done.unchanged += 1;
                        done.entries.push(model);
                        continue;
                    }
                    let model = writes::update(&txn, id, model.version, &d, &previous, model.moderation, at)
                        .await?
                        .map_err(|v| {
                            AppError::Internal(format!("entry {id} moved to version {v} under the write lock"))
                        })?;
                    self.log(&txn, &model, Some(model.moderation), at).await?;
                    done.updated += 1;
                    done.entries.push(model);
                }
            }
        }
        self.commit(txn).await?;
        tracing::info!(done.created, done.updated, done.unchanged, source = %source, "entries upserted");
        Ok(done)
    }
}
