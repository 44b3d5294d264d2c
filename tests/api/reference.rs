//! Reference data: the counts, and that every country has its regions.

use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn reference_counts_match_the_domain() {
    let app = TestApp::new().await;
    let d = app
        .data(
            "{ actionLines { code subLines { code } } categories { code } sdgs { number targets { code } }
               countries { code } regions { code scheme } wsisSdgMatrix { category { code } sdg { number } source } }",
            json!({}),
        )
        .await;
    assert_eq!(d["actionLines"].as_array().map(Vec::len), Some(11));
    let c7 = d["actionLines"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["code"] == "C7"))
        .cloned();
    assert_eq!(
        c7.as_ref().and_then(|c| c["subLines"].as_array()).map(Vec::len),
        Some(8)
    );
    // The 18 categories: C1–C6, C7's eight sub-lines, C8–C11; C7 itself is not one.
    let categories: Vec<&str> = d["categories"]
        .as_array()
        .expect("categories")
        .iter()
        .filter_map(|c| c["code"].as_str())
        .collect();
    assert_eq!(categories.len(), 18, "{categories:?}");
    assert!(!categories.contains(&"C7"));
    assert!(categories.contains(&"C7_E_HEALTH") && categories.contains(&"C11"));
    assert_eq!(d["sdgs"].as_array().map(Vec::len), Some(17));
    let targets: usize = d["sdgs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["targets"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(targets, 169);
    let per_goal: Vec<usize> = d["sdgs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| s["targets"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(per_goal, [7, 8, 13, 10, 9, 8, 5, 12, 8, 10, 10, 11, 5, 10, 12, 12, 19]);
    assert_eq!(d["countries"].as_array().map(Vec::len), Some(249));
    assert_eq!(d["regions"].as_array().map(Vec::len), Some(16));
    let matrix = d["wsisSdgMatrix"].as_array().cloned().unwrap_or_default();
    assert_eq!(matrix.len(), 126, "goal-level links in DOMAIN.md's table");
    assert!(
        matrix
            .iter()
            .all(|l| l["source"].as_str().is_some_and(|s| s.starts_with("unofficial")))
    );
}

#[tokio::test]
async fn every_country_has_its_regions() {
    let app = TestApp::new().await;
    let d = app
        .data(
            "{ countries { code alpha3 m49 unStatus ituRegion { scheme } adminRegion { scheme } commissions { scheme } } }",
            json!({}),
        )
        .await;
    let countries = d["countries"].as_array().cloned().unwrap_or_default();
    let members = countries.iter().filter(|c| c["unStatus"] == "MEMBER").count();
    assert_eq!(members, 193);
    for c in &countries {
        assert_eq!(c["ituRegion"]["scheme"], "ITU_D", "{c}");
        assert_eq!(c["adminRegion"]["scheme"], "ITU_ADMINISTRATIVE", "{c}");
        assert_eq!(c["alpha3"].as_str().map(str::len), Some(3), "{c}");
        if c["unStatus"] == "MEMBER" {
            let commissions = c["commissions"].as_array().cloned().unwrap_or_default();
            assert!(!commissions.is_empty(), "member state without a commission: {c}");
            assert!(commissions.iter().all(|r| r["scheme"] == "UN_REGIONAL_COMMISSION"));
        }
    }
    // Codes keep their leading zeros.
    let af = countries
        .iter()
        .find(|c| c["code"] == "AF")
        .cloned()
        .unwrap_or_default();
    assert_eq!(af["m49"], "004");
}

#[tokio::test]
async fn lookups_by_code() {
    let app = TestApp::new().await;
    let d = app
        .data(
            r#"{ a: country(code: "ken") { name alpha2 alpha3 ituRegion { code } commissions { code } adminRegion { code } }
                 b: country(code: "EGY") { commissions { code } }
                 c: country(code: "ZZ") { name }
                 e: actionLine(code: C7_E_HEALTH) { name parent { code } facilitators sdgs { number } }
                 s: sdg(number: 9) { title color targets { code } actionLines { code } }
                 t: sdg(number: 18) { title }
                 r: region(code: ESCWA) { name scheme countries { code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(d["a"]["alpha2"], "KE");
    assert_eq!(d["a"]["ituRegion"]["code"], "AFRICA");
    assert_eq!(d["a"]["adminRegion"]["code"], "REGION_D");
    assert_eq!(d["b"]["commissions"], json!([{ "code": "ECA" }, { "code": "ESCWA" }]));
    assert!(d["c"].is_null());
    assert_eq!(d["e"]["parent"]["code"], "C7");
    assert_eq!(d["e"]["facilitators"], json!(["WHO"]));
    assert_eq!(
        d["e"]["sdgs"],
        json!([{ "number": 1 }, { "number": 2 }, { "number": 3 }, { "number": 5 }, { "number": 17 }])
    );
    assert_eq!(d["s"]["title"], "Industry, Innovation and Infrastructure");
    assert_eq!(d["s"]["color"], "#FD6925");
    assert!(
        d["s"]["targets"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x["code"] == "9.c"))
    );
    assert!(d["t"].is_null());
    assert_eq!(d["r"]["countries"].as_array().map(Vec::len), Some(21));
}
