//! The serving slice: Relay pagination both ways, links, `entry`, `node`/`nodes`.

use std::collections::BTreeSet;

use entity::{entry, enums::Moderation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Public numbers of the published entries, in order, read straight from the database.
async fn published_numbers(app: &TestApp) -> Vec<i64> {
    entry::Entity::find()
        .select_only()
        .column(entry::Column::Number)
        .filter(entry::Column::Moderation.eq(Moderation::Published))
        .order_by_asc(entry::Column::Number)
        .into_tuple()
        .all(&app.db)
        .await
        .expect("numbers")
}

fn numbers(page: &Value) -> Vec<i64> {
    page["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["number"].as_i64())
        .collect()
}

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String) {
  entries(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { number } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

#[tokio::test]
async fn forward_pages_cover_every_published_entry_once_in_order() {
    let app = TestApp::demo().await;
    let expected = published_numbers(&app).await;
    assert!(expected.len() > 1_500, "the demo has mostly published entries");
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut pages = 0;
    loop {
        let d = app.data(PAGE, json!({ "first": 100, "after": after })).await;
        let page = &d["entries"];
        assert_eq!(page["totalCount"].as_u64(), Some(expected.len() as u64));
        assert_eq!(page["pageInfo"]["hasPreviousPage"], json!(pages > 0));
        seen.extend(numbers(page));
        pages += 1;
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, expected);
    assert_eq!(pages, expected.len().div_ceil(100));
}

#[tokio::test]
async fn backward_pages_mirror_forward_pages() {
    let app = TestApp::demo().await;
    let expected = published_numbers(&app).await;
    let d = app.data(PAGE, json!({ "last": 30 })).await;
    let page = &d["entries"];
    assert_eq!(numbers(page), expected[expected.len() - 30..]);
    assert_eq!(page["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
    let before = page["pageInfo"]["startCursor"].clone();
    let d = app.data(PAGE, json!({ "last": 30, "before": before })).await;
    assert_eq!(
        numbers(&d["entries"]),
        expected[expected.len() - 60..expected.len() - 30]
    );
    assert_eq!(d["entries"]["pageInfo"]["hasNextPage"], true);

    // `after` a cursor in the middle continues right after it.
    let d = app.data(PAGE, json!({ "first": 10 })).await;
    let mid = d["entries"]["edges"][4]["cursor"].clone();
    let d = app.data(PAGE, json!({ "first": 3, "after": mid })).await;
    assert_eq!(numbers(&d["entries"]), expected[5..8]);
}

#[tokio::test]
async fn default_page_is_twenty_and_other_orderings_page_without_overlap() {
    let app = TestApp::demo().await;
    let d = app.data("{ entries { nodes { number } } }", json!({})).await;
    assert_eq!(d["entries"]["nodes"].as_array().map(Vec::len), Some(20));

    for field in ["TITLE", "UPDATED_AT"] {
        for direction in ["ASC", "DESC"] {
            let q = format!(
                "query($after: String) {{ entries(first: 100, after: $after, orderBy: {{field: {field}, direction: {direction}}}) {{
                    edges {{ node {{ number title updatedAt }} }} pageInfo {{ endCursor hasNextPage }} }} }}"
            );
            let mut after = Value::Null;
            let mut all: Vec<Value> = Vec::new();
            for _ in 0..4 {
                let d = app.data(&q, json!({ "after": after })).await;
                all.extend(
                    d["entries"]["edges"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|e| e["node"].clone()),
                );
                after = d["entries"]["pageInfo"]["endCursor"].clone();
            }
            let keys: Vec<String> = all
                .iter()
                .map(|n| {
                    if field == "TITLE" {
                        n["title"].as_str()
                    } else {
                        n["updatedAt"].as_str()
                    }
                    .unwrap_or("")
                    .to_owned()
                })
                .collect();
            let mut sorted = keys.clone();
            sorted.sort();
            if direction == "DESC" {
                sorted.reverse();
            }
            assert_eq!(keys, sorted, "{field} {direction} is ordered");
            let distinct: BTreeSet<i64> = all.iter().filter_map(|n| n["number"].as_i64()).collect();
            assert_eq!(distinct.len(), 400, "{field} {direction}: no entry twice across pages");
        }
    }
}

#[tokio::test]
async fn an_entry_with_all_its_links() {
    let app = TestApp::demo().await;
    // A prize-winning entry with a repository: read what to expect from the database.
    let d = app
        .data(
            "{ entries(first: 100, filter: {prizeResults: [WINNER], repository: \"covid-19\"}) {
                 nodes { id number title organisation { id name } countries { code } regions { code } actionLines { code }
                         sdgs { number } prizes { year result category { code } } repositories { slug } externalRefs { source } } } }",
            json!({}),
        )
        .await;
    let nodes = d["entries"]["nodes"].as_array().cloned().unwrap_or_default();
    assert!(!nodes.is_empty(), "the demo has COVID-19 repository winners");
    for n in &nodes {
        assert!(
            n["prizes"]
                .as_array()
                .is_some_and(|p| p.iter().any(|x| x["result"] == "WINNER")),
            "{n}"
        );
        assert!(
            n["repositories"]
                .as_array()
                .is_some_and(|r| r.iter().any(|x| x["slug"] == "covid-19")),
            "{n}"
        );
        assert!(n["actionLines"].as_array().is_some_and(|a| !a.is_empty()), "{n}");
        assert!(n["sdgs"].as_array().is_some_and(|a| !a.is_empty()), "{n}");
        // A winner's category is one of the entry's own categories.
        let cats: Vec<&Value> = n["actionLines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| &a["code"])
            .collect();
        for p in n["prizes"].as_array().into_iter().flatten() {
            assert!(cats.contains(&&p["category"]["code"]), "{n}");
        }
    }
    // `entry(number)` and `node(id)` return the same entry; the organisation is a node too.
    let first = &nodes[0];
    let d = app
        .data(
            "query($n: Int!, $id: ID!, $org: ID!) { entry(number: $n) { id title }
               node(id: $id) { id ... on Entry { number } } org: node(id: $org) { ... on Organisation { name } } }",
            json!({ "n": first["number"], "id": first["id"], "org": first["organisation"]["id"] }),
        )
        .await;
    assert_eq!(d["entry"]["title"], first["title"]);
    assert_eq!(d["node"]["number"], first["number"]);
    assert_eq!(d["org"]["name"], first["organisation"]["name"]);
}

#[tokio::test]
async fn nodes_of_every_kind_and_unknown_ids() {
    let app = TestApp::demo().await;
    let d = app
        .data(
            "{ countries { id } regions { id } categories { id } sdgs { id } entries(first: 2) { nodes { id } } }",
            json!({}),
        )
        .await;
    let mut ids: Vec<Value> = Vec::new();
    for key in ["countries", "regions", "categories", "sdgs"] {
        ids.push(d[key][0]["id"].clone());
    }
    ids.push(d["entries"]["nodes"][1]["id"].clone());
    ids.push(json!("bm9wZQ"));
    ids.push(json!("RW50cnk6OTk5OTk5OTk5"));
    let res = app
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
            json!({ "ids": ids }),
        )
        .await;
    let types: Vec<Value> = res["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["__typename"].clone())
        .collect();
    assert_eq!(
        types,
        [
            json!("Country"),
            json!("Region"),
            json!("ActionLine"),
            json!("Sdg"),
            json!("Entry"),
            Value::Null,
            Value::Null
        ]
    );
    for (i, id) in ids.iter().take(5).enumerate() {
        assert_eq!(&res["nodes"][i]["id"], id);
    }
}

#[tokio::test]
async fn unpublished_entries_are_not_found_anywhere() {
    let app = TestApp::demo().await;
    let hidden: Vec<i64> = entry::Entity::find()
        .select_only()
        .column(entry::Column::Number)
        .filter(entry::Column::Moderation.ne(Moderation::Published))
        .into_tuple()
        .all(&app.db)
        .await
        .expect("hidden");
    assert!(
        !hidden.is_empty(),
        "the demo has entries in review, rejected and withdrawn"
    );
    let number = hidden[0];
    let id = stocktaking::ids::encode(stocktaking::ids::Kind::Entry, number);
    let d = app
        .data(
            "query($n: Int!, $id: ID!) { entry(number: $n) { title } node(id: $id) { id } nodes(ids: [$id]) { id } }",
            json!({ "n": number, "id": id }),
        )
        .await;
    assert!(
        d["entry"].is_null() && d["node"].is_null() && d["nodes"][0].is_null(),
        "{d}"
    );
    // …and a moderation filter cannot reveal them to an anonymous caller.
    let d = app
        .data(
            "{ entries(filter: {moderation: [REJECTED, WITHDRAWN]}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(d["entries"]["totalCount"], 0);
}

/// Every ordering, both directions, read forward from the start and backward from the end,
/// against the order computed here from the rows.
#[tokio::test]
async fn every_ordering_pages_both_ways() {
    let app = TestApp::demo().await;
    let rows: Vec<entry::Model> = entry::Entity::find()
        .filter(entry::Column::Moderation.eq(Moderation::Published))
        .all(&app.db)
        .await
        .expect("rows");
    let undated = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).expect("date");
    let q = "query($o: EntryOrder, $first: Int, $after: String, $last: Int, $before: String) {
      entries(orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
        nodes { number } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }";
    for field in ["NUMBER", "TITLE", "UPDATED_AT", "START_DATE"] {
        for direction in ["ASC", "DESC"] {
            let mut sorted: Vec<&entry::Model> = rows.iter().collect();
            sorted.sort_by(|a, b| {
                let key = match field {
                    "NUMBER" => a.number.cmp(&b.number),
                    "TITLE" => a.title.cmp(&b.title),
                    "UPDATED_AT" => a.updated_at.cmp(&b.updated_at),
                    _ => a.start_date.unwrap_or(undated).cmp(&b.start_date.unwrap_or(undated)),
                };
                key.then(a.id.cmp(&b.id))
            });
            if direction == "DESC" {
                sorted.reverse();
            }
            let expected: Vec<i64> = sorted.iter().map(|e| e.number).collect();
            let order = json!({ "field": field, "direction": direction });
            let mut after = Value::Null;
            let mut forward = Vec::new();
            for _ in 0..3 {
                let d = app.data(q, json!({ "o": order, "first": 50, "after": after })).await;
                forward.extend(
                    d["entries"]["nodes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|n| n["number"].as_i64()),
                );
                after = d["entries"]["pageInfo"]["endCursor"].clone();
            }
            assert_eq!(forward, expected[..150], "{field} {direction} forward");
            let d = app.data(q, json!({ "o": order, "last": 50 })).await;
            let tail: Vec<i64> = d["entries"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n["number"].as_i64())
                .collect();
            assert_eq!(tail, expected[expected.len() - 50..], "{field} {direction} last page");
            let before = d["entries"]["pageInfo"]["startCursor"].clone();
            let d = app.data(q, json!({ "o": order, "last": 50, "before": before })).await;
            let prev: Vec<i64> = d["entries"]["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|n| n["number"].as_i64())
                .collect();
            assert_eq!(
                prev,
                expected[expected.len() - 100..expected.len() - 50],
                "{field} {direction} backward"
            );
        }
    }
}
