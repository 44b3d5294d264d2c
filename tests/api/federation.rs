//! Apollo Federation v2: `_service` and `_entities`, only with the flag.

use serde_json::json;

use crate::helpers::{TestApp, error_code};

#[tokio::test]
async fn the_subgraph_resolves_entities_by_their_keys() {
    let app = TestApp::federated().await;
    let sdl = app.data("{ _service { sdl } }", json!({})).await["_service"]["sdl"]
        .as_str()
        .expect("sdl")
        .to_owned();
    assert!(
        sdl.contains("specs.apollo.dev/federation/v2"),
        "federation v2: {}",
        &sdl[..300.min(sdl.len())]
    );
    for key in [
        r#"type Entry implements Node @key(fields: "number")"#,
        r#"type Organisation implements Node @key(fields: "id")"#,
        r#"type Country implements Node @key(fields: "code")"#,
        r#"type ActionLine implements Node @key(fields: "code")"#,
        r#"type Sdg implements Node @key(fields: "number")"#,
    ] {
        assert!(sdl.contains(key), "{key}");
    }
    let first = app
        .data(
            "{ entries(first: 1) { nodes { number title organisation { id name } } } }",
            json!({}),
        )
        .await;
    let e = &first["entries"]["nodes"][0];
    let d = app
        .data(
            "query($r: [_Any!]!) { _entities(representations: $r) {
                ... on Entry { number title } ... on Organisation { name }
                ... on Country { name } ... on ActionLine { name } ... on Sdg { title } } }",
            json!({ "r": [
                { "__typename": "Entry", "number": e["number"] },
                { "__typename": "Organisation", "id": e["organisation"]["id"] },
                { "__typename": "Country", "code": "ke" },
                { "__typename": "ActionLine", "code": "C7_E_HEALTH" },
                { "__typename": "Sdg", "number": 9 },
                { "__typename": "Entry", "number": 1 }
            ] }),
        )
        .await;
    let found = &d["_entities"];
    assert_eq!(found[0]["title"], e["title"]);
    assert_eq!(found[1]["name"], e["organisation"]["name"]);
    assert_eq!(found[2]["name"], "Kenya");
    assert_eq!(found[3]["name"], "ICT applications: E-health");
    assert_eq!(found[4]["title"], "Industry, Innovation and Infrastructure");
    assert!(found[5].is_null(), "no such entry");
}

#[tokio::test]
async fn without_the_flag_the_schema_has_no_federation_fields() {
    let app = TestApp::demo().await;
    let res = app.gql("{ _service { sdl } }", json!({})).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
}
