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
