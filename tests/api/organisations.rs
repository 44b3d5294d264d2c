//! The organisations directory: filters, both orderings, Relay keyset pages both ways,
//! `totalCount`, and `entryCount` without N+1.

use serde_json::{Value, json};

use crate::helpers::{As, TestApp, error_code};

const PAGE: &str =
    "query($f: OrganisationFilter, $o: OrganisationOrder, $first: Int, $after: String, $last: Int, $before: String) {
  organisations(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id name stakeholderType country { code } entryCount } } }";

/// Every organisation the filter and ordering give, paging forward `size` at a time.
async fn all(app: &TestApp, filter: Value, order: Value, size: i64) -> (Vec<Value>, i64) {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let d = app
            .data(PAGE, json!({ "f": filter, "o": order, "first": size, "after": after }))
            .await;
        let c = &d["organisations"];
        out.extend(c["nodes"].as_array().expect("nodes").iter().cloned());
        if c["pageInfo"]["hasNextPage"] != true {
            return (out, c["totalCount"].as_i64().expect("totalCount"));
        }
        after = c["pageInfo"]["endCursor"].clone();
    }
}

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[tokio::test]
async fn the_directory_pages_by_name_both_ways() {
    let app = TestApp::demo().await;
    let (forward, total) = all(&app, Value::Null, Value::Null, 37).await;
    assert_eq!(forward.len() as i64, total);
    assert_eq!(total, app.rows("organisations").await);
    let names: Vec<&str> = forward.iter().map(|o| o["name"].as_str().expect("name")).collect();
    assert!(
        names.windows(2).all(|w| w[0].as_bytes() <= w[1].as_bytes()),
        "byte order"
    );
    // Backwards from the end: the same organisations, the other way round.
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let d = app.data(PAGE, json!({ "last": 50, "before": before })).await;
        let c = &d["organisations"];
        let mut page = c["nodes"].as_array().expect("nodes").clone();
        page.reverse();
        backward.extend(page);
        if c["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = c["pageInfo"]["startCursor"].clone();
    }
    backward.reverse();
    assert_eq!(backward, forward);
    // Descending by name is the reverse order.
    let (desc, _) = all(&app, Value::Null, json!({ "field": "NAME", "direction": "DESC" }), 100).await;
    let mut reversed = forward.clone();
    reversed.reverse();
    assert_eq!(desc, reversed);
}

#[tokio::test]
async fn ordered_by_entry_count_without_n_plus_one() {
    let app = TestApp::demo().await;
    let (orgs, _) = all(&app, Value::Null, json!({ "field": "ENTRY_COUNT" }), 100).await;
    let counts: Vec<i64> = orgs.iter().map(|o| o["entryCount"].as_i64().expect("count")).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most entries first");
    assert!(counts[0] > 1);
    // The count is the organisation's published entries, as its `entries` connection says.
    let id = orgs[0]["id"].clone();
    let d = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Organisation { entries { totalCount } } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(d["node"]["entries"]["totalCount"].as_i64(), Some(counts[0]));
    // A page costs the same statements whatever its size: the page, its counts in one batch.
    let q = "query($n: Int) { organisations(orderBy: {field: ENTRY_COUNT}, first: $n) { nodes { name entryCount country { name } } } }";
    app.reset_statements();
    app.data(q, json!({ "n": 5 })).await;
    let small = app.statements();
    app.reset_statements();
    app.data(q, json!({ "n": 100 })).await;
    assert_eq!(app.statements(), small, "no N+1");
    assert!(small <= 2, "{small}");
    // Unpublished entries change nobody's count: a partner's submission is not counted.
    let org_id = id.as_str().expect("id").to_owned();
    let raw = stocktaking::ids::decode_int(&org_id, stocktaking::ids::Kind::Organisation, "id").expect("id");
    let key = app.key(As::Partner(raw)).await;
    app.data_as(
        Some(&key),
        "mutation($input: EntryInput!) { createEntry(input: $input) { number } }",
        json!({ "input": crate::writes::input("Not yet published", "KE") }),
    )
    .await;
    let (again, _) = all(&app, Value::Null, json!({ "field": "ENTRY_COUNT" }), 100).await;
    assert_eq!(again, orgs);
}

#[tokio::test]
async fn filters_narrow_the_directory() {
    let app = TestApp::demo().await;
    let (everyone, total) = all(&app, Value::Null, Value::Null, 100).await;
    // Search: words of the name, any case, the last one as a beginning.
    let sample = everyone
        .iter()
        .map(|o| o["name"].as_str().expect("name"))
        .find(|n| words(n).len() >= 3)
        .expect("a name of three words");
    let w = words(sample);
    let last = &w[w.len() - 1];
    let text = format!("{} {}", w[0].to_uppercase(), &last[..last.len().min(3)]);
    let (found, n) = all(&app, json!({ "search": text }), Value::Null, 100).await;
    assert!(found.iter().any(|o| o["name"] == sample), "{text} finds {sample}");
    assert!((n as usize) < everyone.len());
    for o in &found {
        let ws = words(o["name"].as_str().expect("name"));
        assert!(ws.contains(&w[0]), "{o}");
        assert!(ws.iter().any(|x| x.starts_with(&last[..last.len().min(3)])), "{o}");
    }
    // Countries (alpha-2 or alpha-3, any case), regions through the country, stakeholder types.
    let (kenya, _) = all(&app, json!({ "countries": ["ken", "KE"] }), Value::Null, 100).await;
    assert!(!kenya.is_empty() && kenya.iter().all(|o| o["country"]["code"] == "KE"));
    let (africa, _) = all(&app, json!({ "regions": ["AFRICA"] }), Value::Null, 100).await;
    assert!(africa.len() > kenya.len() && africa.len() < everyone.len());
    let african: std::collections::HashSet<String> = app
        .data("{ region(code: AFRICA) { countries { code } } }", json!({}))
        .await["region"]["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .filter_map(|c| c["code"].as_str().map(str::to_owned))
        .collect();
    assert!(
        africa
            .iter()
            .all(|o| african.contains(o["country"]["code"].as_str().unwrap_or("")))
    );
    let (academia, _) = all(&app, json!({ "stakeholderTypes": ["ACADEMIA"] }), Value::Null, 100).await;
    assert!(!academia.is_empty() && academia.iter().all(|o| o["stakeholderType"] == "ACADEMIA"));
    let (both, n) = all(
        &app,
        json!({ "regions": ["AFRICA"], "stakeholderTypes": ["ACADEMIA"] }),
        Value::Null,
        100,
    )
    .await;
    assert_eq!(both.len() as i64, n);
    assert!(both.iter().all(|o| o["stakeholderType"] == "ACADEMIA"));
    assert!(n < total);
    // Bad input names its field; a cursor of one ordering is refused on another.
    let res = app.gql(PAGE, json!({ "f": { "countries": ["XX"] } })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "filter.countries");
    let d = app.data(PAGE, json!({ "first": 2 })).await;
    let cursor = d["organisations"]["pageInfo"]["endCursor"].clone();
    let res = app
        .gql(PAGE, json!({ "o": { "field": "ENTRY_COUNT" }, "after": cursor }))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
}

/// The directory's search folds names as the entries' search does: case, accents, Arabic marks
/// and article, runs of ideographs; names are folded when written and, for any left without,
/// at start.
#[tokio::test]
async fn the_directory_search_folds_names_in_every_language() {
    let app = TestApp::new().await;
    for (name, country) in [
        ("Ministère de la Santé", "SN"),
        ("وزارة الصحة", "JO"),
        ("国家网络安全中心", "CN"),
        ("Агентство «Цифровая Россия»", "RU"),
        ("Kenya ICT Authority", "KE"),
    ] {
        app.organisation(name, country).await;
    }
    assert_eq!(
        stocktaking::store::organisations::ensure_folded_names(&app.db)
            .await
            .expect("fold"),
        5
    );
    let names = |filter: Value| {
        let app = &app;
        async move {
            let (nodes, _) = all(app, filter, json!({ "field": "NAME", "direction": "ASC" }), 50).await;
            nodes
                .iter()
                .filter_map(|n| n["name"].as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    for (q, want) in [
        ("sante", vec!["Ministère de la Santé"]),
        ("MINISTERE de la", vec!["Ministère de la Santé"]),
        ("صحة", vec!["وزارة الصحة"]),
        ("الصِّحَّة", vec!["وزارة الصحة"]),
        ("网络安全", vec!["国家网络安全中心"]),
        ("россия", vec!["Агентство «Цифровая Россия»"]),
        ("kenya ict auth", vec!["Kenya ICT Authority"]),
        ("authorities", vec!["Kenya ICT Authority"]),
        ("health", vec![]),
    ] {
        assert_eq!(names(json!({ "search": q })).await, want, "{q}");
    }
    assert_eq!(
        stocktaking::store::organisations::ensure_folded_names(&app.db)
            .await
            .expect("again"),
        0
    );
}
