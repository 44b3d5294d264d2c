//! N+1-freedom: the SQL statements a page costs depend on the query's shape, not its size.

use serde_json::json;

use crate::helpers::TestApp;

const ALL_LINKS: &str = "query($first: Int!, $filter: EntryFilter) {
  entries(filter: $filter, first: $first) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { number title status year
            organisation { name stakeholderType country { name } }
            countries { code name ituRegion { name } }
            regions { code } actionLines { code name } sdgs { number title }
            prizes { year result category { code } }
            repositories { slug } externalRefs { source externalId } } } }";

async fn statements_for(app: &TestApp, first: usize, filter: serde_json::Value) -> usize {
    app.reset_statements();
    let d = app.data(ALL_LINKS, json!({ "first": first, "filter": filter })).await;
    assert_eq!(
        d["entries"]["nodes"].as_array().map(Vec::len),
        Some(first),
        "the page is full"
    );
    app.statements()
}

#[tokio::test]
async fn a_page_with_all_links_costs_the_same_at_10_and_100_entries() {
    let app = TestApp::demo().await;
    for filter in [json!(null), json!({ "regions": ["AFRICA"], "actionLines": ["C7"] })] {
        let small = statements_for(&app, 10, filter.clone()).await;
        let large = statements_for(&app, 100, filter.clone()).await;
        assert_eq!(small, large, "filter {filter}");
        // Page, count, organisations, countries, regional tags, categories, SDGs, prizes,
        // repositories, external references.
        assert_eq!(large, 10, "filter {filter}");
    }
}

#[tokio::test]
async fn reference_data_costs_no_sql() {
    let app = TestApp::demo().await;
    app.reset_statements();
    app.data(
        "{ actionLines { code subLines { code sdgs { number } } } sdgs { targets { code } }
           regions { countries { code commissions { code } } } countries { ituRegion { name } } wsisSdgMatrix { source } }",
        json!({}),
    )
    .await;
    assert_eq!(app.statements(), 0);
}

#[tokio::test]
async fn keys_and_contacts_cost_one_statement_each_whatever_the_page_size() {
    let app = TestApp::demo().await;
    let admin = app.key(crate::helpers::As::Admin).await;
    let q = "query($first: Int!) { entries(first: $first) { nodes { number contact { email } } } }";
    let mut counts = Vec::new();
    for first in [10, 100] {
        app.reset_statements();
        let d = app.data_as(Some(&admin), q, json!({ "first": first })).await;
        let nodes = d["entries"]["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), first);
        assert!(nodes.iter().any(|n| !n["contact"].is_null()), "admins see contacts");
        counts.push(app.statements());
    }
    // The key, the page, the contacts.
    assert_eq!(counts, [3, 3]);
    // Anonymous callers never see a contact, and their page does not read them.
    app.reset_statements();
    let d = app.data(q, json!({ "first": 100 })).await;
    assert!(
        d["entries"]["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .all(|n| n["contact"].is_null())
    );
    assert_eq!(app.statements(), 1);
}
