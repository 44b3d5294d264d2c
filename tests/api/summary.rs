//! The facet summary (`facet_counts`): `entryStats` for published entries, unfiltered or of one
//! region, is read from it; it must always equal the live count, through every kind of write.

use serde_json::{Value, json};

use crate::helpers::{As, TestApp};

const FACETS: &str = "total
    byActionLine { actionLine { code } count } bySdg { sdg { number } count }
    byRegion(scheme: ITU_D) { region { code } count } itu: byRegion(scheme: UN_REGIONAL_COMMISSION) { region { code } count }
    byCountry(first: 250) { country { code } count } byStakeholderType { stakeholderType count }
    byStatus { status count } byYear { year count } matrix { category { code } sdg { number } count }
    byGdcObjective { objective { code } count } gdcMatrix { category { code } objective { code } count }";

/// The scopes checked: everything, and regions of each scheme.
const SCOPES: [Option<&str>; 5] = [None, Some("AFRICA"), Some("EUROPE"), Some("ECE"), Some("ESCWA")];

/// The ranges of years checked: all, a closed range (with this year, where the tests' writes
/// land) and an open one.
const YEARS: [(Option<i32>, Option<i32>); 3] = [(None, None), (Some(2019), Some(2026)), (Some(2025), None)];

/// Stats for a scope and years, from the summary (`summary: true`) or counted live: every
/// coverage at once matches every entry but is not a filter the summary keeps.
async fn stats(app: &TestApp, region: Option<&str>, years: (Option<i32>, Option<i32>), summary: bool) -> Value {
    let mut filter = serde_json::Map::new();
    if let Some(r) = region {
        filter.insert("regions".into(), json!([r]));
    }
    filter.insert("yearFrom".into(), json!(years.0));
    filter.insert("yearTo".into(), json!(years.1));
    if !summary {
        filter.insert(
            "coverage".into(),
            json!(["LOCAL", "NATIONAL", "REGIONAL", "INTERNATIONAL"]),
        );
    }
    let q = format!("query($f: EntryFilter) {{ entryStats(filter: $f) {{ {FACETS} }} }}");
    app.data(&q, json!({ "f": Value::Object(filter) })).await["entryStats"].clone()
}

/// Filters whose `totalCount` the summary answers: at most one region, and one more condition.
fn counted_filters() -> Vec<Value> {
    vec![
        json!({}),
        json!({ "regions": ["AFRICA"], "actionLines": ["C7_E_HEALTH"] }),
        json!({ "actionLines": ["C7"] }),
        json!({ "regions": ["ECE"], "actionLines": ["C7", "C7_E_LEARNING"] }),
        json!({ "regions": ["EUROPE"], "sdgs": [3] }),
        json!({ "countries": ["ke"] }),
        json!({ "regions": ["ESCWA"], "countries": ["JOR"] }),
        json!({ "stakeholderTypes": ["GOVERNMENT"] }),
        json!({ "regions": ["AFRICA"], "statuses": ["ONGOING"] }),
    ]
}

async fn assert_totals_match(app: &TestApp, when: &str) {
    let q = "query($f: EntryFilter) { entries(filter: $f, first: 1) { totalCount } }";
    for filter in counted_filters() {
        let summary = app.data(q, json!({ "f": filter })).await["entries"]["totalCount"].clone();
        let mut live_filter = filter.clone();
        live_filter["yearFrom"] = json!(1900);
        let live = app.data(q, json!({ "f": live_filter })).await["entries"]["totalCount"].clone();
        assert_eq!(summary, live, "{when}: totalCount of {filter}");
    }
}

/// `entryCount` of reference types (read from the summary) against live counts.
async fn assert_entry_counts_match(app: &TestApp, when: &str) {
    let counts = app
        .data(
            r#"{ country(code: "KE") { entryCount } actionLine(code: C7) { entryCount } sdg(number: 9) { entryCount }
                 region(code: AFRICA) { entryCount } }"#,
            json!({}),
        )
        .await;
    let live = app
        .data(
            r#"{ ke: entries(filter: {countries: ["KE"], yearFrom: 1900}) { totalCount }
                 c7: entries(filter: {actionLines: [C7], yearFrom: 1900}) { totalCount }
                 s9: entries(filter: {sdgs: [9], yearFrom: 1900}) { totalCount }
                 af: entries(filter: {regions: [AFRICA], yearFrom: 1900}) { totalCount } }"#,
            json!({}),
        )
        .await;
    for (reference, alias) in [("country", "ke"), ("actionLine", "c7"), ("sdg", "s9"), ("region", "af")] {
        assert_eq!(
            counts[reference]["entryCount"], live[alias]["totalCount"],
            "{when}: {reference}.entryCount"
        );
    }
}

async fn assert_summary_matches(app: &TestApp, when: &str) {
    assert_totals_match(app, when).await;
    assert_entry_counts_match(app, when).await;
    for scope in SCOPES {
        for years in YEARS {
            let summary = stats(app, scope, years, true).await;
            let live = stats(app, scope, years, false).await;
            assert_eq!(summary, live, "{when}, scope {scope:?}, years {years:?}");
            assert!(
                summary["total"].as_i64().unwrap_or(0) > 0,
                "{when}, scope {scope:?}, years {years:?}: {summary}"
            );
        }
    }
}

#[tokio::test]
async fn the_summary_equals_the_live_counts_through_every_write() {
    let app = TestApp::demo().await;
    assert_summary_matches(&app, "after the seed").await;

    let (org, _) = app.organisation("Summary Writers", "KE").await;
    let partner = app.key(As::Partner(org)).await;
    let admin = app.key(As::Admin).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { id version } }";
    let review = "mutation($id: ID!, $d: ReviewDecision!) { reviewEntry(id: $id, decision: $d) { version } }";
    let update = "mutation($id: ID!, $v: Int!, $patch: EntryPatch!) { updateEntry(id: $id, expectedVersion: $v, patch: $patch) { version } }";
    let withdraw = "mutation($id: ID!, $v: Int!) { withdrawEntry(id: $id, expectedVersion: $v) { version } }";

    // Submitted: not published, so nothing changes.
    let a = app
        .data_as(
            Some(&partner),
            create,
            json!({ "input": crate::writes::input("Summary one", "KE") }),
        )
        .await["createEntry"]
        .clone();
    let b = app
        .data_as(
            Some(&partner),
            create,
            json!({ "input": crate::writes::input("Summary two", "EG") }),
        )
        .await["createEntry"]
        .clone();
    assert_summary_matches(&app, "after two submissions").await;
    // Published.
    let mut va = app
        .data_as(Some(&admin), review, json!({ "id": a["id"], "d": "PUBLISH" }))
        .await["reviewEntry"]["version"]
        .clone();
    let vb = app
        .data_as(Some(&admin), review, json!({ "id": b["id"], "d": "PUBLISH" }))
        .await["reviewEntry"]["version"]
        .clone();
    assert_summary_matches(&app, "after publishing").await;
    // A published entry moves from Kenya to France and Jordan, changes its categories and SDGs.
    let patch = json!({ "countries": ["FR", "JO"], "actionLines": ["C7_E_HEALTH", "C5"], "sdgs": [3, 16], "status": "COMPLETED" });
    va = app
        .data_as(
            Some(&partner),
            update,
            json!({ "id": a["id"], "v": va, "patch": patch }),
        )
        .await["updateEntry"]["version"]
        .clone();
    assert_summary_matches(&app, "after moving an entry").await;
    // A conflicting update changes nothing.
    let (_, res) = app
        .gql_as(
            Some(&partner),
            update,
            json!({ "id": a["id"], "v": 1, "patch": { "sdgs": [1] } }),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&res), "CONFLICT");
    assert_summary_matches(&app, "after a conflict").await;
    // Rejected after publication, and withdrawn.
    app.data_as(Some(&admin), review, json!({ "id": a["id"], "d": "REJECT" }))
        .await;
    app.data_as(Some(&partner), withdraw, json!({ "id": b["id"], "v": vb }))
        .await;
    assert_summary_matches(&app, "after a rejection and a withdrawal").await;
    let _ = va;
}

#[tokio::test]
async fn summary_answered_counts_are_one_statement() {
    let app = TestApp::demo().await;
    let q = "{ entries(filter: {regions: [AFRICA], actionLines: [C7_E_HEALTH]}, first: 5) { totalCount nodes { number } } }";
    app.reset_statements();
    let res = app.data(q, json!({})).await;
    assert!(res["entries"]["totalCount"].as_i64().unwrap_or(0) > 5, "{res}");
    assert_eq!(app.statements(), 2, "the page and the count");
}

#[tokio::test]
async fn summary_scoped_stats_cost_one_statement_per_facet() {
    let app = TestApp::demo().await;
    app.reset_statements();
    let res = app
        .data(
            "{ entryStats(filter: {regions: [AFRICA]}) { total bySdg { count } byCountry(first: 5) { count } } }",
            json!({}),
        )
        .await;
    assert!(res["entryStats"]["total"].as_i64().unwrap_or(0) > 0);
    assert_eq!(app.statements(), 3);
}

#[tokio::test]
async fn stats_over_a_range_of_years_add_up_the_summary() {
    let app = TestApp::demo().await;
    app.reset_statements();
    let res = app
        .data(
            "{ entryStats(filter: {regions: [AFRICA], yearFrom: 2015, yearTo: 2020}) { total bySdg { count } byCountry(first: 5) { count } } }",
            json!({}),
        )
        .await;
    assert!(res["entryStats"]["total"].as_i64().unwrap_or(0) > 0);
    assert_eq!(app.statements(), 4, "the years present, then one statement per facet");
    // A range without entries counts none, from the summary alone.
    app.reset_statements();
    let res = app
        .data(
            "{ entryStats(filter: {yearFrom: 1990, yearTo: 1995}) { total bySdg { count } } }",
            json!({}),
        )
        .await;
    assert_eq!(res["entryStats"], json!({ "total": 0, "bySdg": [] }));
    assert_eq!(app.statements(), 1, "the years present");
}
