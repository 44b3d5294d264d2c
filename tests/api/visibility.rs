//! Who sees what, on every surface that can reveal an entry: role × surface.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::writes::{World, input};

const ALL: &str = "{moderation: [DRAFT, SUBMITTED, PUBLISHED, REJECTED, WITHDRAWN]}";

/// Six entries in every state: the returned numbers are, in order, Kenya's draft, Kenya's
/// submission, Kenya's withdrawn entry, France's submission, France's published entry, and
/// UNGIS's submission for the Kenyan organisation in Uganda.
async fn entries(w: &World) -> Vec<i64> {
    let mut draft = input("Kenya draft", "KE");
    draft["draft"] = json!(true);
    let a1 = w.create(&w.partner_a, draft).await;
    let a2 = w.create(&w.partner_a, input("Kenya submission", "KE")).await;
    let a3 = w.create(&w.partner_a, input("Kenya withdrawn", "KE")).await;
    w.app
        .data_as(
            Some(&w.partner_a),
            "mutation($id: ID!) { withdrawEntry(id: $id, expectedVersion: 1) { version } }",
            json!({ "id": a3["id"] }),
        )
        .await;
    let b1 = w.create(&w.partner_b, input("France submission", "FR")).await;
    let b2 = w.create(&w.partner_b, input("France published", "FR")).await;
    w.publish(&b2["id"]).await;
    let mut u = input("UNGIS submission", "UG");
    u["organisation"] = json!(w.org_a);
    u["externalId"] = json!("dtr-1");
    let u1 = w
        .app
        .data_as(
            Some(&w.ungis),
            "mutation($i: [ExternalEntryInput!]!) { upsertEntries(inputs: $i) { entries { number } } }",
            json!({ "i": [u] }),
        )
        .await;
    let u1 = u1["upsertEntries"]["entries"][0]["number"].clone();
    [
        &a1["number"],
        &a2["number"],
        &a3["number"],
        &b1["number"],
        &b2["number"],
        &u1,
    ]
    .iter()
    .map(|n| n.as_i64().expect("number"))
    .collect()
}

fn numbers(v: &Value) -> BTreeSet<i64> {
    v["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["number"].as_i64().expect("number"))
        .collect()
}

/// Every surface's view for one caller: each must give exactly `expected`.
async fn check(app: &TestApp, key: Option<&str>, all: &[i64], expected: &BTreeSet<i64>, private: &BTreeSet<i64>) {
    let ids: Vec<String> = all
        .iter()
        .map(|n| stocktaking::ids::encode(stocktaking::ids::Kind::Entry, n).to_string())
        .collect();
    let query = format!(
        r#"query($ids: [ID!]!) {{
          entries(filter: {ALL}, first: 100) {{ totalCount nodes {{ number contact {{ email }} }} }}
          stats: entryStats(filter: {ALL}) {{ total byCountry {{ country {{ code }} count }} }}
          nodes(ids: $ids) {{ ... on Entry {{ number }} }}
          ke: country(code: "KE") {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          fr: country(code: "FR") {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          ug: country(code: "UG") {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          africa: region(code: AFRICA) {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          europe: region(code: EUROPE) {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          c2: actionLine(code: C2) {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          sdg4: sdg(number: 4) {{ entries(filter: {ALL}) {{ nodes {{ number }} }} }}
          search: entries(filter: {{search: "submission", moderation: [SUBMITTED, PUBLISHED]}}) {{ nodes {{ number }} }}
        }}"#
    );
    let d = app.data_as(key, &query, json!({ "ids": ids })).await;
    let who = format!("{key:?}");
    assert_eq!(&numbers(&d["entries"]), expected, "entries for {who}");
    assert_eq!(
        d["entries"]["totalCount"],
        json!(expected.len()),
        "totalCount for {who}"
    );
    assert_eq!(d["stats"]["total"], json!(expected.len()), "entryStats for {who}");
    let by_country: i64 = d["stats"]["byCountry"]
        .as_array()
        .expect("byCountry")
        .iter()
        .map(|c| c["count"].as_i64().expect("count"))
        .sum();
    assert_eq!(by_country, expected.len() as i64, "byCountry for {who}");
    let via_nodes: BTreeSet<i64> = d["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["number"].as_i64())
        .collect();
    assert_eq!(&via_nodes, expected, "nodes for {who}");
    let nested: BTreeSet<i64> = ["ke", "fr", "ug"]
        .iter()
        .flat_map(|c| numbers(&d[*c]["entries"]))
        .collect();
    assert_eq!(&nested, expected, "country.entries for {who}");
    let regions: BTreeSet<i64> = ["africa", "europe"]
        .iter()
        .flat_map(|c| numbers(&d[*c]["entries"]))
        .collect();
    assert_eq!(&regions, expected, "region.entries for {who}");
    assert_eq!(&numbers(&d["c2"]["entries"]), expected, "actionLine.entries for {who}");
    assert_eq!(&numbers(&d["sdg4"]["entries"]), expected, "sdg.entries for {who}");
    let searchable: BTreeSet<i64> = numbers(&d["search"]);
    assert!(searchable.is_subset(expected), "search for {who}");
    let with_contact: BTreeSet<i64> = d["entries"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| !n["contact"].is_null())
        .map(|n| n["number"].as_i64().expect("number"))
        .collect();
    assert_eq!(&with_contact, private, "contact for {who}");
    for n in all {
        let one = app
            .data_as(
                key,
                "query($n: Int!) { entry(number: $n) { number } }",
                json!({ "n": n }),
            )
            .await;
        assert_eq!(!one["entry"].is_null(), expected.contains(n), "entry({n}) for {who}");
    }
    // Organisation pages and counts: published entries by default, for everyone.
    let d = app
        .data_as(key, "{ actionLine(code: C2) { entryCount } }", json!({}))
        .await;
    assert_eq!(d["actionLine"]["entryCount"], 1, "entryCount for {who}");
}

#[tokio::test]
async fn every_role_sees_the_same_entries_on_every_surface() {
    let w = World::new().await;
    let all = entries(&w).await;
    let set = |idx: &[usize]| idx.iter().map(|&i| all[i]).collect::<BTreeSet<i64>>();
    let (kenya, france, ungis) = (set(&[0, 1, 2]), set(&[3, 4]), set(&[5]));
    let published = set(&[4]);
    let union = |sets: &[&BTreeSet<i64>]| sets.iter().flat_map(|s| s.iter().copied()).collect::<BTreeSet<i64>>();
    let cases: Vec<(Option<&str>, BTreeSet<i64>, BTreeSet<i64>)> = vec![
        (None, published.clone(), BTreeSet::new()),
        // The partner sees its organisation's entries, UNGIS's one for it included.
        (
            Some(&w.partner_a),
            union(&[&kenya, &ungis, &published]),
            union(&[&kenya, &ungis]),
        ),
        (Some(&w.partner_b), france.clone(), france.clone()),
        // Kenya and Uganda are in Africa; France in the ECE region.
        (
            Some(&w.africa),
            union(&[&kenya, &ungis, &published]),
            union(&[&kenya, &ungis]),
        ),
        (Some(&w.ece), france.clone(), france.clone()),
        (Some(&w.ungis), union(&[&ungis, &published]), BTreeSet::new()),
        (
            Some(&w.admin),
            all.iter().copied().collect(),
            all.iter().copied().collect(),
        ),
    ];
    for (key, expected, private) in cases {
        check(&w.app, key, &all, &expected, &private).await;
    }
}
