//! The shape of one entry in the export's files (NDJSON and CSV) and the importer's: every
//! public field, links as codes. A record read back compares equal to the record written.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::store::export::FullEntry;

/// One problem with one row of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

/// The organisation of an exported entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationRecord {
    pub name: String,
    pub stakeholder_type: String,
    pub country: Option<String>,
    pub website: Option<String>,
}

/// A prize result of an exported entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrizeRecord {
    pub year: i32,
    pub category: String,
    pub result: String,
}

/// An identifier of an exported entry in another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalRefRecord {
    pub source: String,
    pub external_id: String,
}

/// One exported entry: every public field, links as codes. The import reads the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Record {
    pub number: i64,
    pub title: String,
    pub description: String,
    pub activity_type: String,
    pub status: String,
    pub coverage: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub website: Option<String>,
    pub year: i32,
    pub created_at: String,
    pub updated_at: String,
    pub version: i32,
    pub moderation: String,
    pub organisation: OrganisationRecord,
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub action_lines: Vec<String>,
    pub sdgs: Vec<i32>,
    pub prizes: Vec<PrizeRecord>,
    pub repositories: Vec<String>,
    pub external_refs: Vec<ExternalRefRecord>,
    /// Global Digital Compact objective codes; absent in files written before they existed.
    #[serde(default)]
    pub gdc_objectives: Vec<String>,
}

/// The CSV header line: the columns, in order.
pub const CSV_HEADER: &str = "number,title,description,activity_type,status,coverage,start_date,end_date,website,year,created_at,updated_at,version,moderation,organisation,stakeholder_type,organisation_country,organisation_website,countries,regions,action_lines,sdgs,prizes,repositories,external_refs,gdc_objectives";

/// The CSV columns, in order.
pub fn csv_columns() -> impl Iterator<Item = &'static str> {
    CSV_HEADER.split(',')
}

/// Timestamps as exported: RFC 3339, UTC, microseconds.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

impl Record {
    /// The CSV row: multi-valued fields joined by `;`, prizes as `year:category:result`,
    /// external references as `source:id`.
    pub fn csv_row(&self) -> Vec<String> {
        let join = |v: &[String]| v.join(";");
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        vec![
            self.number.to_string(),
            self.title.clone(),
            self.description.clone(),
            self.activity_type.clone(),
            self.status.clone(),
            self.coverage.clone(),
            self.start_date.map(|d| d.to_string()).unwrap_or_default(),
            self.end_date.map(|d| d.to_string()).unwrap_or_default(),
            opt(&self.website),
            self.year.to_string(),
            self.created_at.clone(),
            self.updated_at.clone(),
            self.version.to_string(),
            self.moderation.clone(),
            self.organisation.name.clone(),
            self.organisation.stakeholder_type.clone(),
            opt(&self.organisation.country),
            opt(&self.organisation.website),
            join(&self.countries),
            join(&self.regions),
            join(&self.action_lines),
            self.sdgs.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(";"),
            self.prizes
                .iter()
                .map(|p| format!("{}:{}:{}", p.year, p.category, p.result))
                .collect::<Vec<_>>()
                .join(";"),
            join(&self.repositories),
            self.external_refs
                .iter()
                .map(|r| format!("{}:{}", r.source, r.external_id))
                .collect::<Vec<_>>()
                .join(";"),
            join(&self.gdc_objectives),
        ]
    }
}

impl Record {
    /// The record of an entry read by the export's cursor.
    pub fn of(full: FullEntry, cat: &Catalog) -> Record {
        let slug = |id: i32| cat.repository(id).map_or_else(|| id.to_string(), |r| r.slug.clone());
        let e = full.entry;
        let org = full.organisation.as_ref();
        let mut prizes: Vec<PrizeRecord> = full
            .prizes
            .into_iter()
            .map(|p| PrizeRecord {
                year: p.year,
                category: p.category,
                result: p.result.as_str().to_owned(),
            })
            .collect();
        prizes.sort_by(|a, b| (a.year, &a.category).cmp(&(b.year, &b.category)));
        let mut repositories: Vec<String> = full.repositories.into_iter().map(slug).collect();
        repositories.sort();
        Record {
            number: e.number,
            title: e.title,
            description: e.description,
            activity_type: e.activity_type.as_str().to_owned(),
            status: e.status.as_str().to_owned(),
            coverage: e.coverage.as_str().to_owned(),
            start_date: e.start_date,
            end_date: e.end_date,
            website: e.website,
            year: e.year,
            created_at: timestamp(e.created_at),
            updated_at: timestamp(e.updated_at),
            version: e.version,
            moderation: e.moderation.as_str().to_owned(),
            organisation: OrganisationRecord {
                name: org.map(|o| o.name.clone()).unwrap_or_default(),
                stakeholder_type: org.map(|o| o.stakeholder_type.as_str().to_owned()).unwrap_or_default(),
                country: org.and_then(|o| o.country.clone()),
                website: org.and_then(|o| o.website.clone()),
            },
            countries: full.countries,
            regions: full.regions,
            action_lines: full.categories,
            sdgs: full.sdgs,
            prizes,
            repositories,
            external_refs: full
                .external_refs
                .into_iter()
                .map(|r| ExternalRefRecord {
                    source: r.source,
                    external_id: r.external_id,
                })
                .collect(),
            gdc_objectives: full.gdc_objectives,
        }
    }
}

/// Reads one CSV row (line `line`) back into a record.
pub fn from_csv(line: usize, row: &csv::StringRecord) -> Result<Record, RowError> {
    let get = |i: usize| row.get(i).unwrap_or("").to_owned();
    let opt = |i: usize| Some(get(i)).filter(|s| !s.is_empty());
    let list = |i: usize| -> Vec<String> {
        get(i)
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let bad = |field: &str, message: String| RowError {
        line,
        field: field.into(),
        message,
    };
    let int = |i: usize, field: &str| -> Result<i64, RowError> {
        get(i)
            .trim()
            .parse()
            .map_err(|_| bad(field, format!("`{}` is not a number", get(i))))
    };
    let date = |i: usize, field: &str| -> Result<Option<chrono::NaiveDate>, RowError> {
        opt(i)
            .map(|s| {
                s.parse()
                    .map_err(|_| bad(field, format!("`{s}` is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    };
    let sdgs = list(21)
        .iter()
        .map(|s| {
            s.parse()
                .map_err(|_| bad("sdgs", format!("`{s}` is not a goal number")))
        })
        .collect::<Result<Vec<i32>, _>>()?;
    let prizes = list(22)
        .iter()
        .map(|p| {
            let parts: Vec<&str> = p.splitn(3, ':').collect();
            match parts[..] {
                [y, c, r] => Ok(PrizeRecord {
                    year: y
                        .parse()
                        .map_err(|_| bad("prizes", format!("`{p}`: `{y}` is not a year")))?,
                    category: c.to_owned(),
                    result: r.to_owned(),
                }),
                _ => Err(bad("prizes", format!("`{p}` is not year:category:result"))),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let external_refs = list(24)
        .iter()
        .map(|r| match r.split_once(':') {
            Some((s, id)) => Ok(ExternalRefRecord {
                source: s.to_owned(),
                external_id: id.to_owned(),
            }),
            None => Err(bad("external_refs", format!("`{r}` is not source:id"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Record {
        number: int(0, "number")?,
        title: get(1),
        description: get(2),
        activity_type: get(3),
        status: get(4),
        coverage: get(5),
        start_date: date(6, "start_date")?,
        end_date: date(7, "end_date")?,
        website: opt(8),
        year: int(9, "year")? as i32,
        created_at: get(10),
        updated_at: get(11),
        version: int(12, "version")? as i32,
        moderation: get(13),
        organisation: OrganisationRecord {
            name: get(14),
            stakeholder_type: get(15),
            country: opt(16),
            website: opt(17),
        },
        countries: list(18),
        regions: list(19),
        action_lines: list(20),
        sdgs,
        prizes,
        repositories: list(23),
        external_refs,
        gdc_objectives: list(25),
    })
}
