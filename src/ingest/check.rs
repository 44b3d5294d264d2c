//! Checking one imported record with the domain's validator (the same limits and messages as
//! the mutations), plus what only a file carries: numbers, times, versions, moderation states,
//! the organisation, prizes, repositories and external references.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::enums::{ActivityType, Coverage, EntryStatus, Moderation, PrizeResult, StakeholderType};

use crate::catalog::Catalog;
use crate::domain::validate::{Checker, FIRST_YEAR, Groups, MAX_DESCRIPTION, MAX_TITLE, last_year};
use crate::ingest::record::{Record, RowError, timestamp};
use crate::store::bulk::EntryRow;
use crate::store::writes::EntryData;

/// A row checked and resolved to what is stored.
pub struct Row {
    /// The record as the export would write it back (codes resolved, lists sorted).
    pub record: Record,
    /// The entry to write; its id and organisation are set by the writer.
    pub entry: EntryRow,
    pub stakeholder_type: StakeholderType,
    /// The row's key in `--source`, when importing by source.
    pub key: Option<String>,
}

fn parsed<T>(check: &mut Checker, field: &str, what: &str, value: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let v = parse(value);
    if v.is_none() {
        check.problem(field, format!("unknown {what} `{value}`"));
    }
    v
}

/// Checks one record against the reference data; every problem, not just the first.
pub fn check(cat: &Catalog, line: usize, mut r: Record, source: Option<&str>) -> Result<Row, Vec<RowError>> {
    let mut check = Checker::new(cat);
    if r.number < 1 {
        check.problem("number", format!("`{}` is not a public number", r.number));
    }
    let title = check.text("title", &r.title, MAX_TITLE);
    let description = check.text("description", &r.description, MAX_DESCRIPTION);
    let activity = parsed(
        &mut check,
        "activityType",
        "activity type",
        &r.activity_type,
        ActivityType::parse,
    );
    let status = parsed(&mut check, "status", "status", &r.status, EntryStatus::parse);
    let coverage = parsed(&mut check, "coverage", "coverage", &r.coverage, Coverage::parse);
    let moderation = parsed(
        &mut check,
        "moderation",
        "moderation state",
        &r.moderation,
        Moderation::parse,
    );
    check.dates(r.start_date, r.end_date);
    let website = check.website("website", r.website.as_deref());
    check.year("year", r.year);
    let time = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).ok();
    let created_at = time(&r.created_at);
    if created_at.is_none() {
        check.problem("createdAt", format!("`{}` is not an RFC 3339 time", r.created_at));
    }
    let updated_at = time(&r.updated_at);
    if updated_at.is_none() {
        check.problem("updatedAt", format!("`{}` is not an RFC 3339 time", r.updated_at));
    }
    if r.version < 1 {
        check.problem("version", "must be at least 1");
    }
    let org = &r.organisation;
    if org.name.trim().is_empty() {
        check.problem("organisation.name", "must not be empty");
    }
    let stakeholder_type = parsed(
        &mut check,
        "organisation.stakeholderType",
        "stakeholder type",
        &org.stakeholder_type,
        StakeholderType::parse,
    );
    let org_country = org
        .country
        .as_ref()
        .map(|c| check.countries("organisation.country", std::slice::from_ref(c)));
    let countries = check.countries("countries", &r.countries);
    let regions = check.regions("regions", &r.regions);
    // Historical entries may carry C7 itself (new submissions name a sub-line).
    let categories = check.categories("actionLines", &r.action_lines, Groups::Allowed);
    let sdgs = check.sdgs("sdgs", &r.sdgs);
    let gdc_objectives = check.gdc_objectives("gdcObjectives", &r.gdc_objectives);
    let mut prizes = Vec::new();
    let mut prize_keys = HashSet::new();
    for p in &r.prizes {
        let result = PrizeResult::parse(&p.result);
        let category = cat.action_line(&p.category).is_some_and(|a| a.sub_lines.is_empty());
        match result {
            Some(result) if (FIRST_YEAR..=last_year()).contains(&p.year) && category => {
                if prize_keys.insert((p.year, p.category.clone())) {
                    prizes.push((p.year, p.category.clone(), result));
                } else {
                    check.problem("prizes", format!("two results for {} {}", p.year, p.category));
                }
            }
            _ => check.problem(
                "prizes",
                format!("`{}:{}:{}` is not a prize result", p.year, p.category, p.result),
            ),
        }
    }
    let mut repositories = Vec::new();
    for slug in &r.repositories {
        match cat.repositories.iter().find(|x| x.slug == *slug) {
            Some(x) => repositories.push(x.id),
            None => check.problem("repositories", format!("unknown repository `{slug}`")),
        }
    }
    for x in &r.external_refs {
        if x.source.trim().is_empty()
            || x.source.len() > 64
            || x.external_id.trim().is_empty()
            || x.external_id.len() > 128
        {
            check.problem(
                "externalRefs",
                format!("`{}:{}` is not a valid reference", x.source, x.external_id),
            );
        }
    }
    let key = source.and_then(|s| {
        let k = r
            .external_refs
            .iter()
            .find(|x| x.source == s)
            .map(|x| x.external_id.clone());
        if k.is_none() {
            check.problem(
                "externalRefs",
                format!("no reference in source `{s}`, which keys this import"),
            );
        }
        k
    });
    let problems = check.problems("");
    let (true, Some(activity), Some(status), Some(coverage), Some(moderation), Some(stakeholder_type)) = (
        problems.is_empty(),
        activity,
        status,
        coverage,
        moderation,
        stakeholder_type,
    ) else {
        return Err(problems
            .into_iter()
            .map(|p| RowError {
                line,
                field: p.field,
                message: p.message,
            })
            .collect());
    };
    let (Some(created_at), Some(updated_at)) = (created_at, updated_at) else {
        return Err(Vec::new());
    };
    // Stored as the export writes it, so that a row read back compares equal.
    r.countries = countries;
    r.regions = regions;
    r.action_lines = categories;
    r.sdgs = sdgs;
    r.gdc_objectives = gdc_objectives;
    r.prizes
        .sort_by(|a, b| (a.year, &a.category).cmp(&(b.year, &b.category)));
    r.repositories.sort();
    r.external_refs.sort_by(|a, b| a.source.cmp(&b.source));
    r.title = title;
    r.description = description;
    r.website = website;
    r.created_at = timestamp(created_at);
    r.updated_at = timestamp(updated_at);
    if let Some(c) = org_country {
        r.organisation.country = c.into_iter().next();
    }
    let entry = EntryRow {
        id: 0,
        number: r.number,
        data: EntryData {
            organisation_id: 0,
            title: r.title.clone(),
            description: r.description.clone(),
            activity_type: activity,
            status,
            coverage,
            start_date: r.start_date,
            end_date: r.end_date,
            website: r.website.clone(),
            year: r.year,
            countries: r.countries.clone(),
            regions: r.regions.clone(),
            categories: r.action_lines.clone(),
            sdgs: r.sdgs.clone(),
            gdc_objectives: r.gdc_objectives.clone(),
            contact: None,
        },
        created_at,
        updated_at,
        version: r.version,
        moderation,
        prizes,
        repositories,
        external_refs: r
            .external_refs
            .iter()
            .map(|x| (x.source.clone(), x.external_id.clone()))
            .collect(),
    };
    Ok(Row {
        record: r,
        entry,
        stakeholder_type,
        key,
    })
}
