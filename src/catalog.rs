//! Reference data held in memory: loaded once at start-up from the reference tables
//! ([`crate::store::catalog::load`]), then served without SQL. Immutable; shared as `Arc<Catalog>`.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{
    action_line, country, country_commission, gdc_objective, matrix_link, region, repository, sdg, sdg_target,
};

/// The reference tables' rows, each in its order.
#[derive(Debug, Default)]
pub struct Rows {
    pub action_lines: Vec<action_line::Model>,
    pub sdgs: Vec<sdg::Model>,
    pub targets: Vec<sdg_target::Model>,
    pub regions: Vec<region::Model>,
    pub countries: Vec<country::Model>,
    pub commissions: Vec<country_commission::Model>,
    pub matrix: Vec<matrix_link::Model>,
    pub repositories: Vec<repository::Model>,
    pub gdc_objectives: Vec<gdc_objective::Model>,
}

#[derive(Debug)]
pub struct ActionLine {
    pub idx: usize,
    pub code: String,
    pub parent: Option<String>,
    pub name: String,
    pub short_name: String,
    pub facilitators: Vec<String>,
    /// Codes of the sub-lines (C7 only).
    pub sub_lines: Vec<String>,
    /// SDG numbers linked by the WSIS–SDG matrix.
    pub sdgs: Vec<i32>,
}

#[derive(Debug)]
pub struct Sdg {
    pub number: i32,
    pub short_title: String,
    pub title: String,
    pub color: String,
    /// Indexes into [`Catalog::targets`].
    pub targets: Vec<usize>,
    /// Category codes linked by the WSIS–SDG matrix.
    pub action_lines: Vec<String>,
}

#[derive(Debug)]
pub struct SdgTarget {
    pub code: String,
    pub sdg: i32,
    pub title: String,
}

#[derive(Debug)]
pub struct Region {
    pub idx: usize,
    pub code: String,
    pub scheme: String,
    pub name: String,
    /// Alpha-2 codes of the member countries.
    pub countries: Vec<String>,
}

/// A country: its row (codes, name, regions, UN status; read through `Deref`), its position
/// and the regional commissions it belongs to.
#[derive(Debug)]
pub struct Country {
    pub idx: usize,
    pub commissions: Vec<String>,
    row: country::Model,
}

impl std::ops::Deref for Country {
    type Target = country::Model;

    fn deref(&self) -> &country::Model {
        &self.row
    }
}

#[derive(Debug)]
pub struct MatrixLink {
    pub category: String,
    pub sdg: i32,
    pub source: String,
}

#[derive(Debug)]
pub struct Repository {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub description: String,
}

/// All reference data, with lookup maps.
#[derive(Debug, Default)]
pub struct Catalog {
    pub action_lines: Vec<Arc<ActionLine>>,
    pub sdgs: Vec<Arc<Sdg>>,
    pub targets: Vec<SdgTarget>,
    pub regions: Vec<Arc<Region>>,
    pub countries: Vec<Arc<Country>>,
    pub matrix: Vec<MatrixLink>,
    pub repositories: Vec<Arc<Repository>>,
    /// The Global Digital Compact's five objectives, in order.
    pub gdc_objectives: Vec<Arc<gdc_objective::Model>>,
    action_line_by_code: HashMap<String, usize>,
    region_by_code: HashMap<String, usize>,
    /// Upper-case alpha-2 and alpha-3 → index.
    country_by_code: HashMap<String, usize>,
}

impl Catalog {
    /// The catalogue of the reference tables' rows.
    pub fn build(rows: Rows) -> Catalog {
        let Rows {
            action_lines: als,
            sdgs,
            targets,
            regions,
            countries,
            commissions,
            matrix,
            repositories,
            gdc_objectives,
        } = rows;
        let mut commissions_of: HashMap<String, Vec<String>> = HashMap::new();
        for c in commissions {
            commissions_of.entry(c.country).or_default().push(c.commission);
        }
        let region_pos: HashMap<&str, usize> = regions.iter().enumerate().map(|(i, r)| (r.code.as_str(), i)).collect();
        let al_pos: HashMap<&str, usize> = als.iter().enumerate().map(|(i, a)| (a.code.as_str(), i)).collect();

        let mut members: Vec<Vec<String>> = vec![Vec::new(); regions.len()];
        let countries: Vec<Arc<Country>> = countries
            .into_iter()
            .enumerate()
            .map(|(idx, c)| {
                let mut comms = commissions_of.remove(&c.alpha2).unwrap_or_default();
                comms.sort_by_key(|code| region_pos.get(code.as_str()).copied());
                for code in [&c.itu_region, &c.admin_region].into_iter().chain(comms.iter()) {
                    if let Some(&i) = region_pos.get(code.as_str()) {
                        members[i].push(c.alpha2.clone());
                    }
                }
                Arc::new(Country {
                    idx,
                    commissions: comms,
                    row: c,
                })
            })
            .collect();

        let mut sdg_links: HashMap<i32, Vec<String>> = HashMap::new();
        let mut al_links: HashMap<String, Vec<i32>> = HashMap::new();
        for m in &matrix {
            sdg_links.entry(m.sdg).or_default().push(m.action_line.clone());
            al_links.entry(m.action_line.clone()).or_default().push(m.sdg);
        }
        for links in sdg_links.values_mut() {
            links.sort_by_key(|code| al_pos.get(code.as_str()).copied());
        }
        let mut sub_lines: HashMap<String, Vec<String>> = HashMap::new();
        for a in &als {
            if let Some(p) = &a.parent {
                sub_lines.entry(p.clone()).or_default().push(a.code.clone());
            }
        }
        let action_lines: Vec<Arc<ActionLine>> = als
            .into_iter()
            .enumerate()
            .map(|(idx, a)| {
                Arc::new(ActionLine {
                    idx,
                    sub_lines: sub_lines.remove(&a.code).unwrap_or_default(),
                    sdgs: al_links.remove(&a.code).unwrap_or_default(),
                    facilitators: a
                        .facilitators
                        .split(';')
                        .map(|s| s.trim().to_owned())
                        .filter(|s| !s.is_empty())
                        .collect(),
                    code: a.code,
                    parent: a.parent,
                    name: a.name,
                    short_name: a.short_name,
                })
            })
            .collect();

        let targets: Vec<SdgTarget> = targets
            .into_iter()
            .map(|t| SdgTarget {
                code: t.code,
                sdg: t.sdg,
                title: t.title,
            })
            .collect();
        let sdgs = sdgs
            .into_iter()
            .map(|s| {
                Arc::new(Sdg {
                    targets: (0..targets.len()).filter(|&i| targets[i].sdg == s.number).collect(),
                    action_lines: sdg_links.remove(&s.number).unwrap_or_default(),
                    number: s.number,
                    short_title: s.short_title,
                    title: s.title,
                    color: s.color,
                })
            })
            .collect();
        let regions: Vec<Arc<Region>> = regions
            .into_iter()
            .zip(members)
            .enumerate()
            .map(|(idx, (r, countries))| {
                Arc::new(Region {
                    idx,
                    code: r.code,
                    scheme: r.scheme,
                    name: r.name,
                    countries,
                })
            })
            .collect();

        let mut country_by_code = HashMap::new();
        for c in &countries {
            country_by_code.insert(c.alpha2.clone(), c.idx);
            country_by_code.insert(c.alpha3.clone(), c.idx);
        }
        Catalog {
            action_line_by_code: action_lines.iter().map(|a| (a.code.clone(), a.idx)).collect(),
            region_by_code: regions.iter().map(|r| (r.code.clone(), r.idx)).collect(),
            country_by_code,
            gdc_objectives: gdc_objectives.into_iter().map(Arc::new).collect(),
            action_lines,
            sdgs,
            targets,
            regions,
            countries,
            matrix: matrix
                .into_iter()
                .map(|m| MatrixLink {
                    category: m.action_line,
                    sdg: m.sdg,
                    source: m.source,
                })
                .collect(),
            repositories: repositories
                .into_iter()
                .map(|r| {
                    Arc::new(Repository {
                        id: r.id,
                        slug: r.slug,
                        name: r.name,
                        description: r.description,
                    })
                })
                .collect(),
        }
    }

    pub fn action_line(&self, code: &str) -> Option<&Arc<ActionLine>> {
        self.action_line_by_code.get(code).map(|&i| &self.action_lines[i])
    }

    pub fn region(&self, code: &str) -> Option<&Arc<Region>> {
        self.region_by_code.get(code).map(|&i| &self.regions[i])
    }

    /// A country by ISO alpha-2 or alpha-3 code, in any case.
    pub fn country(&self, code: &str) -> Option<&Arc<Country>> {
        self.country_by_code
            .get(&code.trim().to_ascii_uppercase())
            .map(|&i| &self.countries[i])
    }

    pub fn sdg(&self, number: i32) -> Option<&Arc<Sdg>> {
        usize::try_from(number - 1)
            .ok()
            .and_then(|i| self.sdgs.get(i))
            .filter(|s| s.number == number)
    }

    /// A Global Digital Compact objective by its code (`GDC1`…`GDC5`).
    pub fn gdc_objective(&self, code: &str) -> Option<&Arc<gdc_objective::Model>> {
        self.gdc_objectives.iter().find(|o| o.code == code)
    }

    pub fn repository(&self, id: i32) -> Option<&Arc<Repository>> {
        self.repositories.iter().find(|r| r.id == id)
    }

    /// The 11 Action Lines (C7 without its sub-lines).
    pub fn top_action_lines(&self) -> impl Iterator<Item = &Arc<ActionLine>> {
        self.action_lines.iter().filter(|a| a.parent.is_none())
    }

    /// The region of `country` in `scheme` (the ITU-D or administrative region), or its
    /// commissions for the commission scheme.
    pub fn country_regions<'a>(
        &'a self,
        country: &'a Country,
        scheme: &'a str,
    ) -> impl Iterator<Item = &'a Arc<Region>> + 'a {
        [&country.itu_region, &country.admin_region]
            .into_iter()
            .chain(country.commissions.iter())
            .filter_map(|code| self.region(code))
            .filter(move |r| r.scheme == scheme)
    }
}
