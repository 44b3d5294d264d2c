//! Every filter, nested connection and facet, checked against what the database holds, read
//! independently of the API.

use std::collections::{BTreeSet, HashMap};

use entity::enums::Moderation;
use entity::{entry, entry_category, entry_country, entry_region, entry_sdg, organisation, prize, repository_entry};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// The published demo entries with everything a filter looks at.
struct World {
    entries: Vec<entry::Model>,
    orgs: HashMap<i64, organisation::Model>,
    countries: HashMap<i64, Vec<String>>,
    tags: HashMap<i64, Vec<String>>,
    categories: HashMap<i64, Vec<String>>,
    sdgs: HashMap<i64, Vec<i32>>,
    prizes: HashMap<i64, Vec<prize::Model>>,
    repos: HashMap<i64, Vec<i32>>,
    /// Region code → member countries, from the API's own reference data.
    members: HashMap<String, BTreeSet<String>>,
}

fn group<K: std::hash::Hash + Eq, V>(rows: impl IntoIterator<Item = (K, V)>) -> HashMap<K, Vec<V>> {
    let mut m: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        m.entry(k).or_default().push(v);
    }
    m
}

impl World {
    async fn load(app: &TestApp) -> World {
        let db = &app.db;
        let entries = entry::Entity::find().all(db).await.expect("entries");
        let d = app.data("{ regions { code countries { code } } }", json!({})).await;
        let members = d["regions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let cs = r["countries"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c["code"].as_str())
                    .map(str::to_owned);
                (r["code"].as_str().unwrap_or("").to_owned(), cs.collect())
            })
            .collect();
        World {
            entries: entries
                .into_iter()
                .filter(|e| e.moderation == Moderation::Published)
                .collect(),
            orgs: organisation::Entity::find()
                .all(db)
                .await
                .expect("orgs")
                .into_iter()
                .map(|o| (o.id, o))
                .collect(),
            countries: group(
                entry_country::Entity::find()
                    .all(db)
                    .await
                    .expect("c")
                    .into_iter()
                    .map(|r| (r.entry_id, r.country)),
            ),
            tags: group(
                entry_region::Entity::find()
                    .all(db)
                    .await
                    .expect("r")
                    .into_iter()
                    .map(|r| (r.entry_id, r.region)),
            ),
            categories: group(
                entry_category::Entity::find()
                    .all(db)
                    .await
                    .expect("a")
                    .into_iter()
                    .map(|r| (r.entry_id, r.action_line)),
            ),
            sdgs: group(
                entry_sdg::Entity::find()
                    .all(db)
                    .await
                    .expect("s")
                    .into_iter()
                    .map(|r| (r.entry_id, r.sdg)),
            ),
            prizes: group(
                prize::Entity::find()
                    .all(db)
                    .await
                    .expect("p")
                    .into_iter()
                    .map(|p| (p.entry_id, p)),
            ),
            repos: group(
                repository_entry::Entity::find()
                    .all(db)
                    .await
                    .expect("re")
                    .into_iter()
                    .map(|r| (r.entry_id, r.repository_id)),
            ),
            members,
        }
    }

    fn numbers(&self, pred: impl Fn(&World, &entry::Model) -> bool) -> BTreeSet<i64> {
        self.entries
            .iter()
            .filter(|e| pred(self, e))
            .map(|e| e.number)
            .collect()
    }

    fn has<T: PartialEq>(map: &HashMap<i64, Vec<T>>, id: i64, any: &[T]) -> bool {
        map.get(&id).is_some_and(|v| v.iter().any(|x| any.contains(x)))
    }

    fn in_region(&self, e: &entry::Model, region: &str) -> bool {
        let members = &self.members[region];
        self.countries
            .get(&e.id)
            .is_some_and(|cs| cs.iter().any(|c| members.contains(c)))
            || Self::has(&self.tags, e.id, &[region.to_owned()])
    }
}

/// Every entry number a filter returns, over all pages.
async fn all_numbers(app: &TestApp, filter: &Value) -> BTreeSet<i64> {
    let q = "query($f: EntryFilter, $after: String) { entries(filter: $f, first: 100, after: $after) {
               totalCount nodes { number } pageInfo { hasNextPage endCursor } } }";
    let mut out = BTreeSet::new();
    let mut after = Value::Null;
    loop {
        let d = app.data(q, json!({ "f": filter, "after": after })).await;
        let c = &d["entries"];
        out.extend(
            c["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n["number"].as_i64()),
        );
        if c["pageInfo"]["hasNextPage"] != json!(true) {
            assert_eq!(
                c["totalCount"].as_u64(),
                Some(out.len() as u64),
                "totalCount agrees with the pages: {filter}"
            );
            return out;
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn every_filter_returns_exactly_the_matching_entries() {
    let app = TestApp::demo().await;
    let w = World::load(&app).await;
    let c7: Vec<String> = [
        "C7",
        "C7_E_GOVERNMENT",
        "C7_E_BUSINESS",
        "C7_E_LEARNING",
        "C7_E_HEALTH",
        "C7_E_EMPLOYMENT",
        "C7_E_ENVIRONMENT",
        "C7_E_AGRICULTURE",
        "C7_E_SCIENCE",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let org = w.entries[10].organisation_id;
    let org_id = stocktaking::ids::encode(stocktaking::ids::Kind::Organisation, org);
    let since = w.entries[w.entries.len() / 2].updated_at;
    type Pred = Box<dyn Fn(&World, &entry::Model) -> bool>;
    let cases: Vec<(Value, Pred)> = vec![
        (
            json!({ "actionLines": ["C7"] }),
            Box::new(move |w, e| World::has(&w.categories, e.id, &c7)),
        ),
        (
            json!({ "actionLines": ["C2", "C7_E_HEALTH"] }),
            Box::new(|w, e| World::has(&w.categories, e.id, &["C2".into(), "C7_E_HEALTH".into()])),
        ),
        (
            json!({ "sdgs": [3, 4] }),
            Box::new(|w, e| World::has(&w.sdgs, e.id, &[3, 4])),
        ),
        (
            json!({ "regions": ["AFRICA"] }),
            Box::new(|w, e| w.in_region(e, "AFRICA")),
        ),
        (
            json!({ "regions": ["ESCWA", "REGION_B"] }),
            Box::new(|w, e| w.in_region(e, "ESCWA") || w.in_region(e, "REGION_B")),
        ),
        (
            json!({ "countries": ["ken", "FRA"] }),
            Box::new(|w, e| World::has(&w.countries, e.id, &["KE".into(), "FR".into()])),
        ),
        (
            json!({ "stakeholderTypes": ["ACADEMIA"] }),
            Box::new(|w, e| w.orgs[&e.organisation_id].stakeholder_type == entity::enums::StakeholderType::Academia),
        ),
        (
            json!({ "statuses": ["PLANNED", "COMPLETED"] }),
            Box::new(|_, e| {
                matches!(
                    e.status,
                    entity::enums::EntryStatus::Planned | entity::enums::EntryStatus::Completed
                )
            }),
        ),
        (
            json!({ "coverage": ["REGIONAL"] }),
            Box::new(|_, e| e.coverage == entity::enums::Coverage::Regional),
        ),
        (
            json!({ "organisation": org_id }),
            Box::new(move |_, e| e.organisation_id == org),
        ),
        (
            json!({ "yearFrom": 2010, "yearTo": 2012 }),
            Box::new(|_, e| (2010..=2012).contains(&e.year)),
        ),
        (
            json!({ "prizeResults": ["WINNER", "CHAMPION"] }),
            Box::new(|w, e| {
                w.prizes
                    .get(&e.id)
                    .is_some_and(|p| p.iter().any(|p| p.result != entity::enums::PrizeResult::Nominee))
            }),
        ),
        (
            json!({ "repository": "covid-19" }),
            Box::new(|w, e| World::has(&w.repos, e.id, &[1])),
        ),
        (
            json!({ "updatedSince": since.to_rfc3339() }),
            Box::new(move |_, e| e.updated_at >= since),
        ),
        (
            json!({ "regions": ["AFRICA"], "actionLines": ["C4"], "coverage": ["NATIONAL", "LOCAL"] }),
            Box::new(|w, e| {
                w.in_region(e, "AFRICA")
                    && World::has(&w.categories, e.id, &["C4".into()])
                    && matches!(
                        e.coverage,
                        entity::enums::Coverage::National | entity::enums::Coverage::Local
                    )
            }),
        ),
    ];
    for (filter, pred) in cases {
        let expected = w.numbers(pred);
        assert!(!expected.is_empty(), "the demo has entries for {filter}");
        assert_eq!(all_numbers(&app, &filter).await, expected, "{filter}");
    }
}

#[tokio::test]
async fn nested_connections_and_entry_counts_agree_with_the_filter() {
    let app = TestApp::demo().await;
    let d = app
        .data(
            r#"{ country(code: "KE") { entryCount entries { totalCount } narrow: entries(filter: {coverage: [NATIONAL]}) { totalCount } }
                 region(code: ASIA_PACIFIC) { entryCount entries { totalCount } }
                 actionLine(code: C7) { entryCount entries { totalCount } }
                 sdg(number: 4) { entryCount entries(first: 3) { totalCount nodes { sdgs { number } } } }
                 kc: entries(filter: {countries: ["KE"]}) { totalCount nodes { organisation { id entryCount entries { totalCount } } } }
                 kn: entries(filter: {countries: ["KE"], coverage: [NATIONAL]}) { totalCount }
                 ap: entries(filter: {regions: [ASIA_PACIFIC]}) { totalCount }
                 c7: entries(filter: {actionLines: [C7]}) { totalCount }
                 s4: entries(filter: {sdgs: [4]}) { totalCount } }"#,
            json!({}),
        )
        .await;
    let n = |v: &Value| v["totalCount"].as_i64().unwrap_or(-1);
    assert_eq!(d["country"]["entryCount"].as_i64(), Some(n(&d["kc"])));
    assert_eq!(n(&d["country"]["entries"]), n(&d["kc"]));
    assert_eq!(n(&d["country"]["narrow"]), n(&d["kn"]));
    assert_eq!(d["region"]["entryCount"].as_i64(), Some(n(&d["ap"])));
    assert_eq!(n(&d["region"]["entries"]), n(&d["ap"]));
    assert_eq!(d["actionLine"]["entryCount"].as_i64(), Some(n(&d["c7"])));
    assert_eq!(n(&d["actionLine"]["entries"]), n(&d["c7"]));
    assert_eq!(d["sdg"]["entryCount"].as_i64(), Some(n(&d["s4"])));
    for node in d["sdg"]["entries"]["nodes"].as_array().into_iter().flatten() {
        assert!(
            node["sdgs"]
                .as_array()
                .is_some_and(|s| s.contains(&json!({ "number": 4 })))
        );
    }
    let org = &d["kc"]["nodes"][0]["organisation"];
    assert_eq!(org["entryCount"].as_i64(), Some(n(&org["entries"])));
    assert!(n(&d["kc"]) > 0 && n(&d["kn"]) <= n(&d["kc"]));
}

#[tokio::test]
async fn entry_counts_of_a_whole_list_cost_one_statement() {
    let app = TestApp::demo().await;
    app.reset_statements();
    let d = app.data("{ countries { code entryCount } }", json!({})).await;
    assert_eq!(app.statements(), 1);
    let total: i64 = d["countries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["entryCount"].as_i64())
        .sum();
    assert!(total > 0);
    app.reset_statements();
    app.data(
        "{ categories { entryCount } sdgs { entryCount } regions { entryCount } }",
        json!({}),
    )
    .await;
    assert_eq!(app.statements(), 3, "one per facet");
}

#[tokio::test]
async fn facets_agree_with_entries_total_count() {
    let app = TestApp::demo().await;
    let filter = json!({ "regions": ["AFRICA"], "yearFrom": 2008 });
    let d = app
        .data(
            "query($f: EntryFilter) { entryStats(filter: $f) { total
                 byActionLine { actionLine { code } count } bySdg { sdg { number } count }
                 byRegion(scheme: UN_REGIONAL_COMMISSION) { region { code } count }
                 byCountry(first: 5) { country { code } count } byStakeholderType { stakeholderType count }
                 byStatus { status count } byYear { year count } matrix { category { code } sdg { number } count } }
               entries(filter: $f) { totalCount } }",
            json!({ "f": filter }),
        )
        .await;
    let s = &d["entryStats"];
    let total = s["total"].as_i64().unwrap_or(-1);
    assert_eq!(Some(total), d["entries"]["totalCount"].as_i64());
    let sum = |k: &str| {
        s[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["count"].as_i64())
            .sum::<i64>()
    };
    assert_eq!(sum("byStatus"), total, "every entry has one status");
    assert_eq!(sum("byYear"), total, "and one year");
    assert_eq!(sum("byStakeholderType"), total, "and one organisation");
    let countries: Vec<i64> = s["byCountry"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["count"].as_i64())
        .collect();
    assert_eq!(countries.len(), 5);
    assert!(countries.windows(2).all(|w| w[0] >= w[1]), "most first");

    // Each facet's count is what the filter plus that key returns.
    let count_with = |extra: Value| {
        let mut f = filter.clone();
        if let (Some(f), Some(extra)) = (f.as_object_mut(), extra.as_object()) {
            f.extend(extra.clone());
        }
        f
    };
    let q = "query($f: EntryFilter) { entries(filter: $f) { totalCount } }";
    for (facet, key, extra) in [
        (
            "byActionLine",
            json!({ "actionLine": { "code": "C7" } }),
            json!({ "actionLines": ["C7"] }),
        ),
        ("bySdg", json!({ "sdg": { "number": 9 } }), json!({ "sdgs": [9] })),
        (
            "byRegion",
            json!({ "region": { "code": "ESCWA" } }),
            json!({ "regions": ["AFRICA"], "countries": null }),
        ),
        (
            "byCountry",
            s["byCountry"][0].clone(),
            json!({ "countries": [s["byCountry"][0]["country"]["code"]] }),
        ),
    ] {
        let cell = s[facet]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| key.as_object().is_some_and(|k| k.iter().all(|(name, v)| &c[name] == v)));
        let Some(cell) = cell else { panic!("{facet} has {key}") };
        if facet == "byRegion" {
            // Entries of Africa in ESCWA: Arab African countries and regional tags.
            assert!(cell["count"].as_i64().unwrap_or(0) > 0);
            continue;
        }
        let d = app.data(q, json!({ "f": count_with(extra) })).await;
        assert_eq!(cell["count"], d["entries"]["totalCount"], "{facet} {key}");
    }
    let cell = s["matrix"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["category"]["code"] == "C7_E_HEALTH" && c["sdg"]["number"] == 3);
    let cell = cell.cloned().unwrap_or_default();
    let d = app
        .data(
            q,
            json!({ "f": count_with(json!({ "actionLines": ["C7_E_HEALTH"], "sdgs": [3] })) }),
        )
        .await;
    assert_eq!(cell["count"], d["entries"]["totalCount"]);
}
