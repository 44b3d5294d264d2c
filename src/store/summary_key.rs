//! Which rows of the facet summary (`store::facets`) answer a filter, when it is one the
//! summary keeps: the part of [`EntryFilter`] that decides between reading the summary and
//! counting live.

use entity::enums::Moderation;

use crate::store::filter::EntryFilter;

impl EntryFilter {
    /// The summary row (`store::facets`: scope, facet, key) that holds the number of entries
    /// this filter matches, when it is one the summary can answer: published entries, of at
    /// most one region, and at most one more condition naming a single category (C7 with its
    /// sub-lines counts as one), SDG, Compact objective, country, stakeholder type or status.
    /// `None`: count live.
    pub fn summary_count(&self) -> Option<(&str, &'static str, String)> {
        use sea_orm::ActiveEnum;
        // Every field is named, so that a new one cannot be forgotten here.
        let EntryFilter {
            action_lines,
            sdgs,
            gdc_objectives,
            countries,
            regions,
            region_countries: _,
            stakeholder_types,
            statuses,
            coverage,
            organisation,
            year_from,
            year_to,
            prize_results,
            repository,
            updated_since,
            moderation,
            search,
            nothing,
            scope,
        } = self;
        let plain = coverage.is_empty()
            && organisation.is_none()
            && year_from.is_none()
            && year_to.is_none()
            && prize_results.is_empty()
            && repository.is_none()
            && updated_since.is_none()
            && search.is_none()
            && !nothing
            && scope.is_none()
            && moderation.as_slice() == [Moderation::Published];
        if !plain {
            return None;
        }
        let region = match regions.as_slice() {
            [] => "",
            [one] => one.as_str(),
            _ => return None,
        };
        let mut conditions: Vec<(&'static str, String)> = Vec::new();
        if !action_lines.is_empty() {
            // A single category; C7 arrives with all its sub-lines, which its key covers.
            let key = match action_lines.as_slice() {
                [one] => one.clone(),
                all if all.iter().any(|c| c == "C7") && all.iter().all(|c| c == "C7" || c.starts_with("C7_")) => {
                    "C7".to_owned()
                }
                _ => return None,
            };
            conditions.push(("action_line", key));
        }
        match sdgs.as_slice() {
            [] => {}
            [n] => conditions.push(("sdg", n.to_string())),
            _ => return None,
        }
        match gdc_objectives.as_slice() {
            [] => {}
            [o] => conditions.push(("gdc_objective", o.clone())),
            _ => return None,
        }
        match countries.as_slice() {
            [] => {}
            [c] => conditions.push(("country", c.clone())),
            _ => return None,
        }
        match stakeholder_types.as_slice() {
            [] => {}
            [t] => conditions.push(("stakeholder_type", t.to_value())),
            _ => return None,
        }
        match statuses.as_slice() {
            [] => {}
            [s] => conditions.push(("status", s.to_value())),
            _ => return None,
        }
        match conditions.pop() {
            None => Some((region, "total", String::new())),
            Some((facet, key)) if conditions.is_empty() => Some((region, facet, key)),
            Some(_) => None,
        }
    }

    /// The summary scope that answers this filter's facets: `Some("")` for published entries
    /// unfiltered, `Some(region)` for published entries of one region; `None` for any other
    /// filter, whose facets are counted live.
    pub fn summary_scope(&self) -> Option<&str> {
        match self.summary_count()? {
            (scope, "total", _) => Some(scope),
            _ => None,
        }
    }

    /// The part of the summary that answers this filter's facets: [`EntryFilter::summary_scope`],
    /// also for a range of years (`yearFrom`, `yearTo`) on top of it.
    pub fn summary_span(&self) -> Option<crate::store::facets::Span> {
        let years = (self.year_from.is_some() || self.year_to.is_some()).then_some((self.year_from, self.year_to));
        let without = EntryFilter {
            year_from: None,
            year_to: None,
            ..self.clone()
        };
        without.summary_scope().map(|scope| crate::store::facets::Span {
            scope: scope.to_owned(),
            years,
        })
    }
}
