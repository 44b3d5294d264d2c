//! The Global Digital Compact: its five objectives as reference data, optional links from
//! entries, the `gdcObjectives` filter, the `byGdcObjective` facet and the category × objective
//! matrix, the write path's validation, the file formats and the demo.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code};
use crate::writes::{CREATE, World, input};

/// The objectives as ../shared/DOMAIN.md gives them.
const OBJECTIVES: [(&str, &str); 5] = [
    (
        "GDC1",
        "Close all digital divides and accelerate progress across the Sustainable Development Goals",
    ),
    (
        "GDC2",
        "Expand inclusion in and benefits from the digital economy for all",
    ),
    (
        "GDC3",
        "Foster an inclusive, open, safe and secure digital space that respects, protects and promotes human rights",
    ),
    (
        "GDC4",
        "Advance responsible, equitable and interoperable data governance approaches",
    ),
    (
        "GDC5",
        "Enhance international governance of artificial intelligence for the benefit of humanity",
    ),
];

#[tokio::test]
async fn the_five_objectives_are_reference_data() {
    let app = TestApp::new().await;
    let d = app
        .data(
            "{ gdcObjectives { id code title source } one: gdcObjective(code: GDC4) { id code } }",
            json!({}),
        )
        .await;
    let got: Vec<(String, String)> = d["gdcObjectives"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            (
                o["code"].as_str().unwrap_or("").to_owned(),
                o["title"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = OBJECTIVES
        .iter()
        .map(|(c, t)| ((*c).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(got, want);
    assert!(
        d["gdcObjectives"][0]["source"]
            .as_str()
            .unwrap_or("")
            .contains("A/RES/79/1")
    );
    assert_eq!(d["one"]["code"], "GDC4");
    // A node like the other reference data.
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { id ... on GdcObjective { code } } }",
            json!({ "id": d["one"]["id"] }),
        )
        .await;
    assert_eq!(node["node"], json!({ "id": d["one"]["id"], "code": "GDC4" }));
}

fn codes(v: &Value) -> Vec<&str> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["code"].as_str())
        .collect()
}

#[tokio::test]
async fn entries_link_filter_count_and_cross_the_objectives() {
    let w = World::new().await;
    let mut made = Vec::new();
    for (title, objectives, lines) in [
        ("Rural broadband", json!(["GDC1"]), json!(["C2"])),
        (
            "Safe schools online",
            json!(["GDC3", "GDC1", "GDC3"]),
            json!(["C5", "C2"]),
        ),
        ("A plain project", Value::Null, json!(["C2"])),
    ] {
        let mut entry = input(title, "KE");
        entry["gdcObjectives"] = objectives;
        entry["actionLines"] = lines;
        let res = w
            .app
            .data_as(
                Some(&w.partner_a),
                "mutation($input: EntryInput!) { createEntry(input: $input) { id gdcObjectives { code } } }",
                json!({ "input": entry }),
            )
            .await;
        w.publish(&res["createEntry"]["id"]).await;
        made.push(res["createEntry"].clone());
    }
    // Stored sorted and once each.
    assert_eq!(codes(&made[1]["gdcObjectives"]), ["GDC1", "GDC3"]);
    assert!(codes(&made[2]["gdcObjectives"]).is_empty());

    let q = "{ one: entries(filter: {gdcObjectives: [GDC1]}) { totalCount }
        three: entries(filter: {gdcObjectives: [GDC3, GDC5]}) { nodes { title } }
        both: entries(filter: {gdcObjectives: [GDC3], actionLines: [C2]}) { totalCount }
        objective: gdcObjective(code: GDC1) { entryCount entries { totalCount } }
        entryStats { byGdcObjective { objective { code } count }
          gdcMatrix { category { code } objective { code } count } }
        africa: entryStats(filter: {regions: [AFRICA], gdcObjectives: [GDC3]}) { total } }";
    let d = w.app.data(q, json!({})).await;
    assert_eq!(d["one"]["totalCount"], 2);
    assert_eq!(d["three"]["nodes"], json!([{ "title": "Safe schools online" }]));
    assert_eq!(d["both"]["totalCount"], 1);
    assert_eq!(
        d["objective"],
        json!({ "entryCount": 2, "entries": { "totalCount": 2 } })
    );
    assert_eq!(
        d["entryStats"]["byGdcObjective"],
        json!([
            { "objective": { "code": "GDC1" }, "count": 2 },
            { "objective": { "code": "GDC3" }, "count": 1 }
        ])
    );
    assert_eq!(
        d["entryStats"]["gdcMatrix"],
        json!([
            { "category": { "code": "C2" }, "objective": { "code": "GDC1" }, "count": 2 },
            { "category": { "code": "C2" }, "objective": { "code": "GDC3" }, "count": 1 },
            { "category": { "code": "C5" }, "objective": { "code": "GDC1" }, "count": 1 },
            { "category": { "code": "C5" }, "objective": { "code": "GDC3" }, "count": 1 }
        ])
    );
    assert_eq!(d["africa"]["total"], 1);

    // An update replaces the list; `[]` removes it.
    let update = "mutation($id: ID!, $v: Int!, $o: [GdcObjectiveCode!]) {
        updateEntry(id: $id, expectedVersion: $v, patch: {gdcObjectives: $o}) { version gdcObjectives { code } } }";
    let r = w
        .app
        .data_as(
            Some(&w.admin),
            update,
            json!({ "id": made[0]["id"], "v": 2, "o": ["GDC5"] }),
        )
        .await;
    assert_eq!(codes(&r["updateEntry"]["gdcObjectives"]), ["GDC5"]);
    let r = w
        .app
        .data_as(Some(&w.admin), update, json!({ "id": made[0]["id"], "v": 3, "o": [] }))
        .await;
    assert!(codes(&r["updateEntry"]["gdcObjectives"]).is_empty());
    let d = w
        .app
        .data("{ entries(filter: {gdcObjectives: [GDC1]}) { totalCount } }", json!({}))
        .await;
    assert_eq!(d["entries"]["totalCount"], 1);
}

#[tokio::test]
async fn an_unknown_objective_is_refused_and_nothing_is_written() {
    let w = World::new().await;
    let mut entry = input("Not a goal", "KE");
    entry["gdcObjectives"] = json!(["GDC6"]);
    let (_, res) = w
        .app
        .gql_as(Some(&w.partner_a), CREATE, json!({ "input": entry }))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(w.app.rows("entries").await, 0);
    assert_eq!(w.app.rows("entry_gdc_objectives").await, 0);
    let res = w
        .app
        .gql("{ entries(filter: {gdcObjectives: [GDC9]}) { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
}

#[tokio::test]
async fn the_demo_links_recent_entries_to_the_compact() {
    let app = TestApp::demo().await;
    let all = "[GDC1, GDC2, GDC3, GDC4, GDC5]";
    let d = app
        .data(
            &format!(
                "{{ recent: entries(filter: {{yearFrom: 2024}}) {{ totalCount }}
                   recentLinked: entries(filter: {{yearFrom: 2024, gdcObjectives: {all}}}) {{ totalCount }}
                   old: entries(filter: {{yearTo: 2023}}) {{ totalCount }}
                   oldLinked: entries(filter: {{yearTo: 2023, gdcObjectives: {all}}}) {{ totalCount }}
                   entryStats {{ byGdcObjective {{ objective {{ code }} count }} }} }}"
            ),
            json!({}),
        )
        .await;
    let n = |k: &str| d[k]["totalCount"].as_f64().unwrap_or(0.0);
    assert!(n("recentLinked") > n("recent") * 0.4, "{d}");
    assert!(n("oldLinked") < n("old") * 0.05, "{d}");
    assert_eq!(
        d["entryStats"]["byGdcObjective"].as_array().map(Vec::len),
        Some(5),
        "{d}"
    );
}
