//! Streaming export over HTTP: the filter's semantics, visibility, both formats.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::writes::{World, input};

async fn export(app: &TestApp, path: &str, key: Option<&str>) -> (u16, String, String) {
    let mut req = Request::get(path);
    if let Some(k) = key {
        req = req.header(header::AUTHORIZATION, format!("Bearer {k}"));
    }
    let (status, headers, body) = app.send(req.body(Body::empty()).expect("request")).await;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status.as_u16(), ct, String::from_utf8(body).expect("UTF-8"))
}

async fn numbers_of(app: &TestApp, filter: Value) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let d = app
            .data(
                "query($f: EntryFilter, $a: String) { entries(filter: $f, first: 100, after: $a) {
                   nodes { number } pageInfo { endCursor hasNextPage } } }",
                json!({ "f": filter, "a": after }),
            )
            .await;
        out.extend(
            d["entries"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["number"].as_i64().expect("number")),
        );
        if d["entries"]["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = d["entries"]["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

#[tokio::test]
async fn ndjson_and_csv_follow_the_filter_and_agree() {
    let app = TestApp::demo().await;
    let expected = numbers_of(
        &app,
        json!({ "regions": ["AFRICA"], "actionLines": ["C7"], "yearFrom": 2010 }),
    )
    .await;
    assert!(expected.len() > 20);
    let (status, ct, body) = export(
        &app,
        "/export/entries.ndjson?region=AFRICA&actionLine=C7&yearFrom=2010",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("application/x-ndjson"));
    let records: Vec<Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    let numbers: Vec<i64> = records.iter().map(|r| r["number"].as_i64().expect("number")).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in number order");
    assert_eq!(numbers.iter().copied().collect::<BTreeSet<_>>(), expected);
    let r = &records[0];
    for field in [
        "title",
        "description",
        "organisation",
        "countries",
        "actionLines",
        "sdgs",
        "prizes",
        "updatedAt",
    ] {
        assert!(r.get(field).is_some(), "{field} in {r}");
    }
    assert!(r.get("contact").is_none(), "never the contact");

    let (status, ct, csv) = export(
        &app,
        "/export/entries.csv?region=AFRICA&actionLine=C7&yearFrom=2010",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("text/csv"));
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header").clone();
    assert_eq!(&headers[0], "number");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("RFC 4180 row")).collect();
    assert_eq!(rows.len(), records.len());
    for (row, rec) in rows.iter().zip(&records) {
        assert_eq!(row[0], rec["number"].to_string());
        assert_eq!(&row[1], rec["title"].as_str().expect("title"));
        let countries: Vec<&str> = rec["countries"]
            .as_array()
            .expect("countries")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(&row[18], countries.join(";"));
    }
}

#[tokio::test]
async fn the_export_shows_each_caller_what_it_may_see() {
    let w = World::new().await;
    let a = w.create(&w.partner_a, input("Submitted, Kenya", "KE")).await;
    let b = w.create(&w.partner_b, input("Published, France", "FR")).await;
    w.publish(&b["id"]).await;
    let path = "/export/entries.ndjson?moderation=SUBMITTED,PUBLISHED";
    let numbers = |body: &str| -> Vec<i64> {
        body.lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("JSON")["number"]
                    .as_i64()
                    .expect("number")
            })
            .collect()
    };
    let (_, _, public) = export(&w.app, path, None).await;
    assert_eq!(numbers(&public), [b["number"].as_i64().expect("n")]);
    let (_, _, own) = export(&w.app, path, Some(&w.partner_a)).await;
    assert_eq!(
        numbers(&own),
        [a["number"].as_i64().expect("n"), b["number"].as_i64().expect("n")]
    );
    let (status, _, _) = export(&w.app, path, Some("stk_wrong")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_bad_filter_is_a_400_naming_it() {
    let app = TestApp::new().await;
    for (q, field) in [
        ("region=MARS", "region"),
        ("sdg=99", "filter.sdgs"),
        ("yearFrom=2020&yearTo=2010", "filter.yearTo"),
        ("updatedSince=yesterday", "updatedSince"),
        ("colour=blue", "colour"),
    ] {
        let (status, _, body) = export(&app, &format!("/export/entries.csv?{q}"), None).await;
        assert_eq!(status, 400, "{q}");
        let v: Value = serde_json::from_str(&body).expect("JSON error");
        assert_eq!(v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(v["errors"][0]["extensions"]["field"], field, "{q}");
    }
    // An empty export still has its CSV header.
    let (status, _, body) = export(&app, "/export/entries.csv", None).await;
    assert_eq!(status, 200);
    assert!(body.starts_with("\u{feff}number,title,"));
}
