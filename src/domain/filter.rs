//! The filter every surface speaks — GraphQL's `EntryFilter`, the export's query string —
//! converted into one [`FilterSpec`], validated against the catalogue and resolved into the
//! store's [`EntryFilter`] (database codes, C7 expanded to its sub-lines, regions to their
//! countries, the search parsed).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::enums::{Coverage, EntryStatus, Moderation, PrizeResult, StakeholderType};

use crate::catalog::Catalog;
use crate::error::AppError;
use crate::ids::{self, Kind};
use crate::store::entries::EntryFilter;
use crate::store::search::Search;

/// Which entries: lists match any of their values; fields combine with AND.
#[derive(Debug, Clone, Default)]
pub struct FilterSpec {
    /// Category codes; a group (`C7`) matches its sub-lines too.
    pub action_lines: Vec<String>,
    pub sdgs: Vec<i32>,
    /// Global Digital Compact objective codes (`GDC1`…), any case.
    pub gdc_objectives: Vec<String>,
    /// Region codes of any scheme.
    pub regions: Vec<String>,
    /// ISO alpha-2 or alpha-3 codes, any case.
    pub countries: Vec<String>,
    pub stakeholder_types: Vec<StakeholderType>,
    pub statuses: Vec<EntryStatus>,
    pub coverage: Vec<Coverage>,
    /// The organisation's public id.
    pub organisation: Option<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub prize_results: Vec<PrizeResult>,
    /// A repository's slug.
    pub repository: Option<String>,
    pub updated_since: Option<DateTime<Utc>>,
    /// Default: published entries.
    pub moderation: Vec<Moderation>,
    pub search: Option<String>,
}

impl FilterSpec {
    /// Validates the filter and resolves it to database codes.
    pub fn resolve(&self, cat: &Catalog) -> Result<EntryFilter, AppError> {
        let mut action_lines = BTreeSet::new();
        for code in &self.action_lines {
            let al = cat
                .action_line(code)
                .ok_or_else(|| AppError::bad_input("filter.actionLines", format!("unknown Action Line `{code}`")))?;
            action_lines.insert(al.code.clone());
            action_lines.extend(al.sub_lines.iter().cloned());
        }
        for &n in &self.sdgs {
            if cat.sdg(n).is_none() {
                return Err(AppError::bad_input(
                    "filter.sdgs",
                    format!("there is no SDG {n}; goals are numbered 1 to 17"),
                ));
            }
        }
        let mut gdc_objectives = BTreeSet::new();
        for code in &self.gdc_objectives {
            let o = cat.gdc_objective(&code.trim().to_ascii_uppercase()).ok_or_else(|| {
                AppError::bad_input(
                    "filter.gdcObjectives",
                    format!("there is no Global Digital Compact objective `{code}`; they are GDC1 to GDC5"),
                )
            })?;
            gdc_objectives.insert(o.code.clone());
        }
        let mut countries = Vec::new();
        for code in &self.countries {
            let c = cat
                .country(code)
                .ok_or_else(|| AppError::bad_input("filter.countries", format!("unknown country code `{code}`")))?;
            countries.push(c.alpha2.clone());
        }
        let mut region_countries = BTreeSet::new();
        for r in &self.regions {
            let region = cat
                .region(r)
                .ok_or_else(|| AppError::bad_input("filter.regions", format!("unknown region `{r}`")))?;
            region_countries.extend(region.countries.iter().cloned());
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to)
            && from > to
        {
            return Err(AppError::bad_input(
                "filter.yearTo",
                format!("`yearTo` ({to}) is before `yearFrom` ({from})"),
            ));
        }
        let organisation = match &self.organisation {
            Some(id) => Some(ids::decode_int(id, Kind::Organisation, "filter.organisation")?),
            None => None,
        };
        let repository = match &self.repository {
            Some(slug) => Some(
                cat.repositories
                    .iter()
                    .find(|r| r.slug.eq_ignore_ascii_case(slug.trim()))
                    .map(|r| r.id)
                    .ok_or_else(|| AppError::bad_input("filter.repository", format!("unknown repository `{slug}`")))?,
            ),
            None => None,
        };
        let moderation = if self.moderation.is_empty() {
            vec![Moderation::Published]
        } else {
            self.moderation.clone()
        };
        let (search, nothing) = match self.search.as_deref().map(str::trim) {
            None | Some("") => (None, false),
            // Text with no word in it (only punctuation or emoji) matches nothing.
            Some(text) => match Search::parse(text) {
                Some(s) => (Some(s), false),
                None => (None, true),
            },
        };
        Ok(EntryFilter {
            scope: None,
            search,
            nothing,
            action_lines: action_lines.into_iter().collect(),
            sdgs: self.sdgs.clone(),
            gdc_objectives: gdc_objectives.into_iter().collect(),
            countries,
            regions: self.regions.clone(),
            region_countries: region_countries.into_iter().collect(),
            stakeholder_types: self.stakeholder_types.clone(),
            statuses: self.statuses.clone(),
            coverage: self.coverage.clone(),
            organisation,
            year_from: self.year_from,
            year_to: self.year_to,
            prize_results: self.prize_results.clone(),
            repository,
            updated_since: self.updated_since,
            moderation,
        })
    }
}
