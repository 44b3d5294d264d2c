//! Full-text search: relevance, prefix matching, any user text, kept in sync on writes.

use entity::entry;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code};

const SEARCH: &str = "query($q: String!, $first: Int, $after: String, $order: EntryOrder) {
  entries(filter: {search: $q}, first: $first, after: $after, orderBy: $order) {
    totalCount edges { cursor node { number title description organisation { name } } }
    pageInfo { endCursor hasNextPage } } }";

fn titles(d: &Value) -> Vec<String> {
    d["entries"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["title"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn prefix_of_the_last_word_matches() {
    let app = TestApp::demo().await;
    let d = app.data(SEARCH, json!({ "q": "tele", "first": 100 })).await;
    let t = titles(&d);
    assert!(!t.is_empty());
    assert!(t.iter().any(|t| t.to_lowercase().contains("telemedicine")), "{t:?}");
    // Every result has a word starting with "tele" somewhere in the searched text.
    for e in d["entries"]["edges"].as_array().into_iter().flatten() {
        let n = &e["node"];
        let text = format!("{} {} {}", n["title"], n["description"], n["organisation"]["name"]);
        assert!(
            stocktaking::fold::document(&text)
                .split(' ')
                .any(|w| w.starts_with("tele")),
            "{n}"
        );
    }
    // Whole words before the last must match whole.
    let d = app
        .data(SEARCH, json!({ "q": "telemedicine network", "first": 100 }))
        .await;
    assert!(titles(&d).iter().all(|t| !t.is_empty()));
    assert!(d["entries"]["totalCount"].as_i64().unwrap_or(0) > 0);
}

#[tokio::test]
async fn title_matches_rank_above_description_matches() {
    let app = TestApp::demo().await;
    let d = app.data(SEARCH, json!({ "q": "telemedicine", "first": 100 })).await;
    let t = titles(&d);
    let first_without = t.iter().position(|t| !t.to_lowercase().contains("telemedicine"));
    let last_with = t.iter().rposition(|t| t.to_lowercase().contains("telemedicine"));
    if let (Some(without), Some(with)) = (first_without, last_with) {
        assert!(with < without, "title matches first: {t:?}");
    }
}

/// Relevance pages without the count (asked once, not on every page). Many entries share a
/// score, so page boundaries fall inside ties.
const PAGE: &str = "query($q: String!, $after: String) {
  entries(filter: {search: $q}, first: 45, after: $after) {
    edges { node { number } } pageInfo { endCursor hasNextPage } } }";

#[tokio::test]
async fn relevance_pages_do_not_overlap_and_cover_every_match() {
    let app = TestApp::demo().await;
    let all = app.data(SEARCH, json!({ "q": "digital", "first": 100 })).await;
    let total = all["entries"]["totalCount"].as_i64().unwrap_or(0);
    assert!(total > 30, "{total}");
    let mut seen = std::collections::BTreeSet::new();
    let mut after = Value::Null;
    loop {
        let d = app.data(PAGE, json!({ "q": "digital", "after": after })).await;
        for e in d["entries"]["edges"].as_array().into_iter().flatten() {
            assert!(seen.insert(e["node"]["number"].as_i64().unwrap_or(0)), "no entry twice");
        }
        if d["entries"]["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = d["entries"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len() as i64, total);
}

#[tokio::test]
async fn any_user_text_is_accepted_and_never_injected() {
    let app = TestApp::demo().await;
    for q in [
        r#""quoted" AND OR NOT NEAR(a b) * ^ -x"#,
        "'; DROP TABLE entries; --",
        "title:health {col} (a OR b)",
        "🚀🔥",
        "!!!",
        "صحة",
        "здоровье",
        "远程医疗",
        "e-health",
        &"a".repeat(5_000),
    ] {
        let res = app.gql(SEARCH, json!({ "q": q, "first": 5 })).await;
        assert!(res.get("errors").is_none(), "{q}: {res}");
    }
    // Text without a single word matches nothing.
    let d = app.data(SEARCH, json!({ "q": "🚀 !!!", "first": 5 })).await;
    assert_eq!(d["entries"]["totalCount"], 0);
    // The table is still there.
    let d = app.data("{ entries { totalCount } }", json!({})).await;
    assert!(d["entries"]["totalCount"].as_i64().unwrap_or(0) > 1_000);
}

#[tokio::test]
async fn other_scripts_are_searchable() {
    let app = TestApp::demo().await;
    // Whatever non-Latin title the demo has, searching its first word finds it.
    let d = app
        .data(
            r#"{ entries(first: 100, filter: {countries: ["RU", "KZ", "BY", "KG", "TJ"]}) { nodes { title } } }"#,
            json!({}),
        )
        .await;
    let cyrillic: Vec<String> = d["entries"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["title"].as_str())
        .filter(|t| {
            t.chars()
                .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
        })
        .map(str::to_owned)
        .collect();
    let Some(title) = cyrillic.first() else { return };
    let word = title.split_whitespace().next().unwrap_or_default();
    let d = app.data(SEARCH, json!({ "q": word, "first": 100 })).await;
    assert!(titles(&d).contains(title), "{word} finds {title}");
}

#[tokio::test]
async fn the_index_follows_writes() {
    let w = crate::writes::World::new().await;
    let count = |q: &'static str| {
        let app = &w.app;
        async move { app.data(SEARCH, json!({ "q": q, "first": 5 })).await["entries"]["totalCount"].clone() }
    };
    let created = w
        .create(&w.partner_a, crate::writes::input("Quokkaphone Rural Outreach", "KE"))
        .await;
    w.publish(&created["id"]).await;
    assert_eq!(count("quokkaphone").await, 1);
    assert_eq!(count("quokka").await, 1, "prefix");
    assert_eq!(count("kenya ict").await, 1, "the organisation's name");

    // An update re-indexes: the old title is gone, the new one is found.
    let res = w
        .app
        .data_as(
            Some(&w.admin),
            "mutation($id: ID!, $v: Int!) { updateEntry(id: $id, expectedVersion: $v, patch: {title: \"Wombatcom Télécentres\"}) { version } }",
            json!({ "id": created["id"], "v": 2 }),
        )
        .await;
    assert_eq!(res["updateEntry"]["version"], 3, "{res}");
    assert_eq!(count("quokkaphone").await, 0);
    assert_eq!(count("wombatcom telecentre").await, 1);

    let e = entry::Entity::find()
        .one(&w.app.db)
        .await
        .expect("query")
        .expect("an entry");
    entry::Entity::delete_by_id(e.id).exec(&w.app.db).await.expect("delete");
    assert_eq!(count("wombatcom").await, 0, "a deleted entry leaves the index");
}

#[tokio::test]
async fn relevance_needs_a_search() {
    let app = TestApp::demo().await;
    let res = app
        .gql("{ entries(orderBy: {field: RELEVANCE}) { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "orderBy.field");
    // With a search, other orderings still work.
    let d = app
        .data(
            SEARCH,
            json!({ "q": "health", "first": 20, "order": { "field": "NUMBER" } }),
        )
        .await;
    let numbers: Vec<i64> = d["entries"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["number"].as_i64())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);
}
