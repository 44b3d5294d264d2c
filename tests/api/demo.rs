//! The demo dataset: deterministic, and shaped like the real stocktaking.

use entity::{entry, organisation, prize};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use serde_json::json;
use stocktaking::demo;

use crate::helpers::{DEMO_ENTRIES, TestApp};

/// A readable digest of everything the seed wrote (typed rows, so it is the same on both
/// backends).
async fn digest(db: &DatabaseConnection) -> String {
    use std::hash::{Hash, Hasher};
    let entries = entry::Entity::find()
        .order_by_asc(entry::Column::Id)
        .all(db)
        .await
        .expect("entries");
    let orgs = organisation::Entity::find()
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await
        .expect("orgs");
    let prizes = prize::Entity::find()
        .order_by_asc(prize::Column::Id)
        .all(db)
        .await
        .expect("prizes");
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{entries:?}{orgs:?}{prizes:?}").hash(&mut h);
    let first = entries
        .first()
        .map(|e| format!("{} {} | {}", e.number, e.title, e.created_at))
        .unwrap_or_default();
    format!(
        "entries={} organisations={} prizes={} first=[{first}] hash={:016x}",
        entries.len(),
        orgs.len(),
        prizes.len(),
        h.finish()
    )
}

async fn seeded(entries: u32, seed: u64) -> (TestApp, String) {
    let app = TestApp::new().await;
    let catalog = stocktaking::store::catalog::load(&app.db).await.expect("catalogue");
    demo::seed(&app.db, &catalog, entries, seed, false).await.expect("seed");
    let d = digest(&app.db).await;
    (app, d)
}

#[tokio::test]
async fn same_entries_and_seed_give_identical_data() {
    let (_a, first) = seeded(300, 42).await;
    let (_b, second) = seeded(300, 42).await;
    assert_eq!(first, second);
    let (_c, other) = seeded(300, 43).await;
    assert_ne!(first, other, "another seed gives other data");
    // The same on SQLite and PostgreSQL: one snapshot for both backends.
    insta::assert_snapshot!("demo_300_42", first);
}

#[tokio::test]
async fn seeding_refuses_a_database_that_has_entries() {
    let app = TestApp::demo().await;
    let catalog = stocktaking::store::catalog::load(&app.db).await.expect("catalogue");
    let err = demo::seed(&app.db, &catalog, 10, 1, false).await.expect_err("refused");
    assert!(err.to_string().contains("already has"), "{err}");
}

#[tokio::test]
async fn the_demo_looks_like_the_real_stocktaking() {
    let app = TestApp::demo().await;
    let d = app
        .data(
            r#"{ all: entries(filter: {moderation: [PUBLISHED]}) { totalCount }
                 by2005: entries(filter: {yearTo: 2005}) { totalCount }
                 gov: entries(filter: {stakeholderTypes: [GOVERNMENT]}) { totalCount }
                 national: entries(filter: {coverage: [NATIONAL]}) { totalCount }
                 international: entries(filter: {coverage: [INTERNATIONAL]}) { totalCount }
                 covid: entries(filter: {repository: "covid-19"}) { totalCount }
                 winners: entries(filter: {prizeResults: [WINNER], yearFrom: 2016}) { totalCount }
                 africa: entries(filter: {regions: [AFRICA]}) { totalCount }
                 americas: entries(filter: {regions: [AMERICAS]}) { totalCount }
                 arab: entries(filter: {regions: [ARAB_STATES]}) { totalCount }
                 asia: entries(filter: {regions: [ASIA_PACIFIC]}) { totalCount }
                 cis: entries(filter: {regions: [CIS]}) { totalCount }
                 europe: entries(filter: {regions: [EUROPE]}) { totalCount }
                 french: entries(filter: {countries: ["FRA", "SEN", "CIV", "MLI", "BFA", "CMR", "BEN"]}, first: 100) { nodes { title } } }"#,
            json!({}),
        )
        .await;
    let count = |k: &str| d[k]["totalCount"].as_f64().unwrap_or(0.0);
    let all = count("all");
    assert!(all > f64::from(DEMO_ENTRIES) * 0.9, "{d}");
    let share = |k: &str| count(k) / all;
    assert!((0.40..0.60).contains(&share("gov")), "governments are about half: {d}");
    assert!(share("national") > share("international"), "{d}");
    assert!(share("international") > 0.1, "{d}");
    for region in ["africa", "americas", "arab", "asia", "cis", "europe"] {
        assert!(share(region) > 0.05, "{region} is well represented: {d}");
    }
    assert!(count("covid") > 30.0, "{d}");
    assert!(count("winners") > 10.0, "{d}");
    // The curve: about a fifth of the entries date from 2003–2005 (year counts the last update).
    assert!((0.08..0.25).contains(&share("by2005")), "{d}");
    let titles: Vec<&str> = d["french"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["title"].as_str())
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.contains('é') || t.contains("numérique") || t.starts_with("Réseau")),
        "{titles:?}"
    );
}

/// Each category's primary SDG (the generator's table, restated: a test of the shape, not of the
/// table).
const PRIMARY_SDGS: [(&str, i64); 18] = [
    ("C1", 17),
    ("C2", 9),
    ("C3", 16),
    ("C4", 4),
    ("C5", 16),
    ("C6", 17),
    ("C7_E_GOVERNMENT", 16),
    ("C7_E_BUSINESS", 8),
    ("C7_E_LEARNING", 4),
    ("C7_E_HEALTH", 3),
    ("C7_E_EMPLOYMENT", 8),
    ("C7_E_ENVIRONMENT", 13),
    ("C7_E_AGRICULTURE", 2),
    ("C7_E_SCIENCE", 9),
    ("C8", 11),
    ("C9", 16),
    ("C10", 10),
    ("C11", 17),
];

/// The language of a demo title, by its script or, for French and Spanish, its words.
fn language(title: &str) -> &'static str {
    let has = |lo: u32, hi: u32| title.chars().any(|c| (lo..=hi).contains(&(c as u32)));
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if has(0x0600, 0x06FF) {
        "ar"
    } else if has(0x0400, 0x04FF) {
        "ru"
    } else if has(0x4E00, 0x9FFF) {
        "zh"
    } else if any(&[
        "des",
        "du",
        "pour",
        "réseau",
        "numérique",
        "numériques",
        "données",
        "à",
        "aux",
        "les",
    ]) {
        "fr"
    } else if any(&["del", "para", "las", "los", "en", "y", "red", "línea", "digitales"]) && !any(&["in", "for", "the"])
    {
        "es"
    } else {
        "en"
    }
}

/// The default seed (12,500 entries) has the register's shape: each category's SDGs led by its
/// primary goal, titles that rarely repeat, about 2,400 entries dated by 2005, and a tenth of
/// the entries in the other five UN languages (each of them in at least 0.4 %).
async fn assert_the_registers_shape(app: &TestApp) {
    let d = app
        .data(
            "{ entryStats { matrix { category { code } sdg { number } count } }
               by2005: entries(filter: {yearTo: 2005}) { totalCount } }",
            json!({}),
        )
        .await;
    let cells = d["entryStats"]["matrix"].as_array().cloned().unwrap_or_default();
    for (code, primary) in PRIMARY_SDGS {
        let mut row: Vec<(i64, i64)> = cells
            .iter()
            .filter(|c| c["category"]["code"] == code)
            .map(|c| {
                (
                    c["count"].as_i64().unwrap_or(0),
                    c["sdg"]["number"].as_i64().unwrap_or(0),
                )
            })
            .collect();
        row.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(row.first().map(|r| r.1), Some(primary), "{code}: {row:?}");
        let (first, second) = (row[0].0, row.get(1).map_or(0, |r| r.0));
        assert!(
            first * 2 >= second * 3,
            "{code}: the primary leads by half again: {row:?}"
        );
    }
    let by2005 = d["by2005"]["totalCount"].as_i64().unwrap_or(0);
    assert!((2_250..=2_550).contains(&by2005), "about 2,400 dated by 2005: {by2005}");

    let rows = entry::Entity::find().all(&app.db).await.expect("entries");
    let distinct: std::collections::HashSet<&str> = rows.iter().map(|e| e.title.as_str()).collect();
    let share = distinct.len() as f64 / rows.len() as f64;
    assert!(share >= 0.97, "distinct titles: {share:.4}");
    let mut languages = std::collections::BTreeMap::new();
    for e in &rows {
        *languages.entry(language(&e.title)).or_insert(0usize) += 1;
    }
    let other: usize = languages.iter().filter(|(l, _)| **l != "en").map(|(_, n)| n).sum();
    assert!(other * 10 >= rows.len(), "a tenth in other languages: {languages:?}");
    for l in ["ar", "es", "fr", "ru", "zh"] {
        assert!(
            languages.get(l).copied().unwrap_or(0) * 250 >= rows.len(),
            "{l}: {languages:?}"
        );
    }
}

#[tokio::test]
async fn the_default_seed_has_the_registers_shape_and_prize_rounds() {
    let (app, _) = seeded(12_500, demo::DEFAULT_SEED).await;
    assert_the_registers_shape(&app).await;
    let rows = prize::Entity::find().all(&app.db).await.expect("prizes");
    for year in 2016..=2025 {
        let of = |r: entity::enums::PrizeResult| rows.iter().filter(|p| p.year == year && p.result == r).count();
        assert_eq!(of(entity::enums::PrizeResult::Winner), 18, "{year}");
        assert_eq!(of(entity::enums::PrizeResult::Champion), 72, "{year}");
    }
    assert!(
        rows.iter()
            .filter(|p| p.year < 2016)
            .all(|p| p.result == entity::enums::PrizeResult::Nominee)
    );
    let d = app
        .data(
            "{ entries(filter: {repository: \"covid-19\", yearFrom: 2020}) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(
        d["entries"]["totalCount"]
            .as_i64()
            .is_some_and(|n| (250..=300).contains(&n)),
        "{d}"
    );
}
