//! What every client sends to load the schema (graphql-js's introspection query, as GraphiQL,
//! Apollo, GraphQL Code Generator, Postman and Python's `gql` send it) is answered at the
//! default limits; introspection has bounds of its own, and nothing else hides behind it.

use serde_json::{Value, json};

use crate::helpers::{As, TestApp, error_code};

const GRAPHQL_JS: &str = include_str!("../fixtures/introspection-graphql-js-all-options.graphql");
const GRAPHIQL: &str = include_str!("../fixtures/introspection-graphiql.graphql");

fn limit_of(res: &Value) -> &str {
    res["errors"][0]["extensions"]["limit"].as_str().unwrap_or("")
}

#[tokio::test]
async fn the_standard_introspection_queries_are_answered_at_default_limits() {
    let app = TestApp::demo().await;
    let key = app.key(As::Admin).await;
    for (name, query) in [("graphql-js", GRAPHQL_JS), ("GraphiQL", GRAPHIQL)] {
        for caller in [None, Some(key.as_str())] {
            let (status, res) = app.gql_as(caller, query, json!({})).await;
            assert_eq!(status, 200, "{name}: {res}");
            assert!(res.get("errors").is_none(), "{name} ({caller:?}): {res}");
            let schema = &res["data"]["__schema"];
            assert_eq!(schema["queryType"]["name"], "Query", "{name}");
            let types = schema["types"].as_array().expect("types");
            let entry = types.iter().find(|t| t["name"] == "Entry").expect("Entry");
            assert!(entry["fields"].as_array().is_some_and(|f| f.len() > 10), "{name}");
            // Introspection costs nothing against the complexity budget.
            assert_eq!(res["extensions"]["cost"]["requested"], 1, "{name}");
        }
    }
    // The all-options query reads what its options ask for.
    let res = app.gql(GRAPHQL_JS, json!({})).await;
    let types = res["data"]["__schema"]["types"].as_array().expect("types");
    let date = types.iter().find(|t| t["name"] == "Date").expect("the Date scalar");
    assert!(
        date["specifiedByURL"].as_str().is_some_and(|u| u.contains("rfc3339")),
        "{date}"
    );
    assert!(types.iter().any(|t| t.get("isOneOf").is_some()));
}

#[tokio::test]
async fn a_deep_query_dressed_as_introspection_is_still_refused() {
    let app = TestApp::demo().await;
    // Depth 12 (the default limit) runs; one level more is refused, however it is dressed.
    let deep = |leaf: &str| {
        format!(
            "country(code: \"KE\") {{ entries(first: 1) {{ nodes {{ organisation {{ country {{ entries(first: 1) {{ nodes {{ organisation {{ country {{ entries(first: 1) {{ nodes {{ {leaf} }} }} }} }} }} }} }} }} }} }} }}"
        )
    };
    let res = app.gql(&format!("{{ {} }}", deep("number")), json!({})).await;
    assert!(res.get("errors").is_none(), "{res}");
    let too_deep = deep("organisation { name }");
    for doc in [
        // Beside a real introspection field.
        format!("{{ __schema {{ queryType {{ name }} }} {too_deep} }}"),
        // As an operation named like introspection.
        format!("query __schema {{ {too_deep} }}"),
        format!("query IntrospectionQuery {{ {too_deep} }}"),
        // In a fragment named like introspection.
        format!("{{ ...__schema }} fragment __schema on Query {{ {too_deep} }}"),
        // Under an alias named like it.
        format!("{{ __schema: {too_deep} }}"),
        // Inside a real introspection field, where only __Type's own fields are: nothing to
        // hide there, so the deep part stays outside and is counted.
        format!("{{ __type(name: \"Entry\") {{ name }} {too_deep} }}"),
    ] {
        let res = app.gql(&doc, json!({})).await;
        assert_eq!(error_code(&res), "QUERY_TOO_COMPLEX", "{doc}: {res}");
        assert_eq!(limit_of(&res), "depth", "{doc}: {res}");
    }
}

#[tokio::test]
async fn pathological_introspection_is_refused() {
    let app = TestApp::demo().await;
    app.reset_statements();
    for (doc, max) in [
        (
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }".to_owned(),
            2,
        ),
        (
            "{ __schema { types { interfaces { possibleTypes { interfaces { name } } } } } }".to_owned(),
            2,
        ),
        (
            "{ __type(name: \"Entry\") { inputFields { type { inputFields { type { fields { name } } } } } } }".to_owned(),
            2,
        ),
        (
            format!(
                "{{ __type(name: \"Entry\") {{ {}name{} }} }}",
                "ofType { ".repeat(11),
                " }".repeat(11)
            ),
            10,
        ),
        // Hidden in fragments.
        (
            "{ __schema { types { ...A } } } fragment A on __Type { fields { type { ...B } } } fragment B on __Type { possibleTypes { fields { name } } }".to_owned(),
            2,
        ),
    ] {
        let res = app.gql(&doc, json!({})).await;
        assert_eq!(error_code(&res), "QUERY_TOO_COMPLEX", "{doc}: {res}");
        assert_eq!(limit_of(&res), "introspection", "{doc}: {res}");
        assert_eq!(res["errors"][0]["extensions"]["max"], max, "{doc}: {res}");
    }
    assert_eq!(app.statements(), 0);
    // Two lists deep, and the nine `ofType`s graphql-js asks for, are fine.
    let ok = "{ __schema { types { fields { type { fields { name } } } } } }";
    assert!(app.gql(ok, json!({})).await.get("errors").is_none());
}
