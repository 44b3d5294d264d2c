//! The report as an HTML page (`report.html`, rendered by minijinja with HTML auto-escaping:
//! every value from an entry is escaped, and titles sit in `<bdi>` so that a bidirectional
//! mark in one cannot reorder the rest of its row). The charts are inline SVG from
//! [`super::charts`]; the page loads nothing else and runs no script.

use std::sync::{Arc, LazyLock};

use minijinja::Environment;
use serde::Serialize;

use crate::catalog::{ActionLine, Catalog};
use crate::domain::report::{Listed, Report};
use crate::report::{self as doc, charts};

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // `.html` names get HTML auto-escaping (minijinja's default callback).
    env.add_template("report.html", include_str!("report.html"))
        .expect("the report template parses");
    env
});

/// One chart with its data as a table beneath (for screen readers, and to copy numbers from).
#[derive(Serialize)]
struct Chart {
    id: &'static str,
    title: &'static str,
    note: String,
    svg: Option<String>,
    head: [&'static str; 2],
    rows: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Row {
    number: i64,
    title: String,
    organisation: String,
    countries: String,
    updated: String,
    id: String,
    link: String,
}

#[derive(Serialize)]
struct Award {
    #[serde(skip)]
    order: (bool, usize),
    result: &'static str,
    category: String,
    entry: Row,
}

#[derive(Serialize)]
struct Year {
    year: i32,
    awards: Vec<Award>,
}

#[derive(Serialize)]
struct Pending {
    total: String,
    shown: usize,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Nav {
    name: String,
    link: String,
    current: bool,
}

#[derive(Serialize)]
struct Page {
    region: String,
    scheme: &'static str,
    period: String,
    total: String,
    winners: usize,
    champions: usize,
    countries: String,
    charts: Vec<Chart>,
    prizes: Vec<Year>,
    recent: Vec<Row>,
    pending: Option<Pending>,
    csv: String,
    graphql: String,
    regions: Vec<Nav>,
    generated: String,
}

fn row(cat: &Catalog, e: &Listed) -> Row {
    let (id, link) = doc::graphql_link(e);
    let countries: Vec<&str> = e
        .countries
        .iter()
        .map(|c| cat.country(c).map_or(c.as_str(), |c| c.name.as_str()))
        .collect();
    Row {
        number: e.entry.number,
        title: e.entry.title.clone(),
        organisation: e.organisation.clone(),
        countries: countries.join(", "),
        updated: e.entry.updated_at.format("%Y-%m-%d").to_string(),
        id,
        link,
    }
}

fn table(pairs: impl Iterator<Item = (String, i64)>) -> Vec<(String, String)> {
    pairs.map(|(k, n)| (k, doc::number(n))).collect()
}

fn charts(cat: &Catalog, r: &Report) -> Vec<Chart> {
    let c = &r.counts;
    let categories: Vec<(String, i64)> = c.by_category.iter().map(|(a, n)| (doc::category(a), *n)).collect();
    let sdgs: Vec<(String, i64, _)> = c
        .by_sdg
        .iter()
        .map(|(s, n)| (s.number.to_string(), *n, charts::colour(&s.color)))
        .collect();
    let countries: Vec<(String, i64)> = c.by_country.iter().map(|(k, n)| (k.name.clone(), *n)).collect();
    let stakeholders: Vec<(String, i64)> = c
        .by_stakeholder_type
        .iter()
        .map(|(t, n)| (doc::stakeholder(*t).to_owned(), *n))
        .collect();
    let total = c.total;
    // The 18 categories, and the C7 group where entries are tagged with it alone.
    let lines: Vec<&Arc<ActionLine>> = cat
        .action_lines
        .iter()
        .filter(|a| a.sub_lines.is_empty() || c.matrix.keys().any(|k| k.0 == a.code))
        .collect();
    let rows: Vec<String> = lines
        .iter()
        .map(|a| match a.sub_lines.is_empty() {
            true => doc::category(a),
            false => format!("{} (no application named)", a.code),
        })
        .collect();
    let columns: Vec<String> = c.by_sdg.iter().map(|(s, _)| s.number.to_string()).collect();
    let cell = |row: usize, col: usize| {
        let (a, s) = (lines[row], &c.by_sdg[col].0);
        c.matrix.get(&(a.code.clone(), s.number)).copied().unwrap_or(0)
    };
    let matrix_rows = c
        .matrix
        .iter()
        .filter_map(|((a, s), n)| Some((cat.action_line(a)?, *s, *n)))
        .map(|(a, s, n)| (a.idx, s, format!("{} × SDG {s}", doc::category(a)), n));
    let mut matrix_rows: Vec<_> = matrix_rows.collect();
    matrix_rows.sort_by_key(|m| (m.0, m.1));
    vec![
        Chart {
            id: "years",
            title: "Entries per year",
            note: "By year of submission or last update.".into(),
            svg: charts::per_year(&c.by_year),
            head: ["Year", "Entries"],
            rows: table(c.by_year.iter().map(|(y, n)| (y.to_string(), *n))),
        },
        Chart {
            id: "categories",
            title: "Entries by category",
            note: "The 18 categories of the WSIS Action Lines (C7's eight applications apart). An entry counts under each of its categories.".into(),
            svg: charts::rows(&categories, &doc::number),
            head: ["Category", "Entries"],
            rows: table(categories.iter().cloned()),
        },
        Chart {
            id: "sdgs",
            title: "Entries by Sustainable Development Goal",
            note: "In the SDGs' own colours. An entry counts under each goal it is linked to.".into(),
            svg: charts::columns(&sdgs),
            head: ["SDG", "Entries"],
            rows: table(c.by_sdg.iter().map(|(s, n)| (format!("{} {}", s.number, s.short_title), *n))),
        },
        Chart {
            id: "matrix",
            title: "Categories × SDGs",
            note: "Entries tagged with both the category (row) and the SDG (column).".into(),
            svg: charts::heat_map(&rows, &columns, &cell),
            head: ["Category × SDG", "Entries"],
            rows: matrix_rows.into_iter().map(|m| (m.2, doc::number(m.3))).collect(),
        },
        Chart {
            id: "countries",
            title: "Top countries",
            note: format!("The {} countries with the most entries.", c.by_country.len()),
            svg: charts::rows(&countries, &doc::number),
            head: ["Country", "Entries"],
            rows: table(countries.iter().cloned()),
        },
        Chart {
            id: "stakeholders",
            title: "Stakeholder types",
            note: "The share of entries by the type of the submitting organisation.".into(),
            svg: charts::rows(&stakeholders, &|n| doc::share(n, total)),
            head: ["Stakeholder type", "Entries"],
            rows: stakeholders
                .iter()
                .map(|(k, n)| (k.clone(), format!("{} ({})", doc::number(*n), doc::share(*n, total))))
                .collect(),
        },
    ]
}

fn prizes(cat: &Catalog, r: &Report) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for a in &r.prizes {
        let idx = cat.action_line(&a.prize.category).map_or(usize::MAX, |al| al.idx);
        let award = Award {
            order: (a.prize.result != entity::enums::PrizeResult::Winner, idx),
            result: match a.prize.result {
                entity::enums::PrizeResult::Winner => "Winner",
                entity::enums::PrizeResult::Champion => "Champion",
                entity::enums::PrizeResult::Nominee => "Nominee",
            },
            category: cat
                .action_line(&a.prize.category)
                .map_or_else(|| a.prize.category.clone(), |al| doc::category(al)),
            entry: row(cat, &a.entry),
        };
        match years.last_mut() {
            Some(y) if y.year == a.prize.year => y.awards.push(award),
            _ => years.push(Year {
                year: a.prize.year,
                awards: vec![award],
            }),
        }
    }
    for y in &mut years {
        // Winners before champions, then in catalogue order.
        y.awards.sort_by_key(|a| a.order);
    }
    years
}

/// The page for `report`.
pub fn render(cat: &Catalog, report: &Report) -> Result<String, minijinja::Error> {
    let r = report;
    let count = |result| r.prizes.iter().filter(|a| a.prize.result == result).count();
    let page = Page {
        region: r.region.name.clone(),
        scheme: doc::scheme(&r.region.scheme),
        period: doc::period(r.from, r.to),
        total: doc::number(r.counts.total),
        winners: count(entity::enums::PrizeResult::Winner),
        champions: count(entity::enums::PrizeResult::Champion),
        countries: doc::number(r.region.countries.len() as i64),
        charts: charts(cat, r),
        prizes: prizes(cat, r),
        recent: r.recent.iter().map(|e| row(cat, e)).collect(),
        pending: r.pending.as_ref().map(|p| Pending {
            total: doc::number(p.total as i64),
            shown: p.entries.len(),
            rows: p.entries.iter().map(|e| row(cat, e)).collect(),
        }),
        csv: doc::path(&r.region.code, r.from, r.to, ".csv"),
        graphql: doc::report_query_link(&r.region.code, r.from, r.to),
        regions: cat
            .regions
            .iter()
            .filter(|g| g.scheme == "ITU_D")
            .map(|g| Nav {
                name: g.name.clone(),
                link: doc::path(&g.code, r.from, r.to, ""),
                current: g.code == r.region.code,
            })
            .collect(),
        generated: chrono::Utc::now().format("%Y-%m-%d").to_string(),
    };
    TEMPLATES.get_template("report.html")?.render(page)
}
