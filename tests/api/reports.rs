//! Regional reports: `GET /reports/regions/{code}` (page and CSV) and `regionalReport` give
//! the numbers of `entryStats` and `entries { totalCount }` for the same filter, escape what
//! entries carry, and show pending submissions to the region's own key only.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{As, TestApp, error_code};
use crate::writes::input;

const REPORT: &str = "query($r: RegionCode!, $from: Int, $to: Int) {
  regionalReport(region: $r, from: $from, to: $to) {
    region { code } from to total
    byYear { year count } byCategory { actionLine { code } count } bySdg { sdg { number } count }
    matrix { category { code } sdg { number } count } topCountries { country { code } count }
    byStakeholderType { stakeholderType count }
    prizes { year category { code } result entry { number title organisation { name } } }
    recentEntries { number title updatedAt organisation { name } countries { code } }
    pending { totalCount entries { number title moderation } }
    htmlUrl csvUrl
  } }";

const STATS: &str = "query($f: EntryFilter) {
  entries(filter: $f, first: 1) { totalCount }
  entryStats(filter: $f) {
    total byYear { year count } byActionLine { actionLine { code } count } bySdg { sdg { number } count }
    matrix { category { code } sdg { number } count } byCountry(first: 15) { country { code } count }
    byStakeholderType { stakeholderType count }
  } }";

/// `[{key…, count}]` as a map from the key's text to the count, zeros left out.
fn counts(list: &Value, key: impl Fn(&Value) -> String) -> BTreeMap<String, i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| (key(v), v["count"].as_i64().expect("count")))
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn vars(region: &str, from: Option<i32>, to: Option<i32>) -> Value {
    json!({ "r": region, "from": from, "to": to })
}

async fn report(app: &TestApp, key: Option<&str>, region: &str, years: (Option<i32>, Option<i32>)) -> Value {
    app.data_as(key, REPORT, vars(region, years.0, years.1)).await["regionalReport"].clone()
}

/// The report's counts against `entryStats` and `totalCount` for the same filter.
async fn assert_same_numbers(app: &TestApp, region: &str, years: (Option<i32>, Option<i32>)) {
    let r = report(app, None, region, years).await;
    let filter = json!({ "regions": [region], "yearFrom": years.0, "yearTo": years.1 });
    let s = app.data(STATS, json!({ "f": filter })).await;
    let stats = &s["entryStats"];
    let what = format!("{region} {years:?}");
    assert!(r["total"].as_i64().expect("total") > 0, "{what}: a report with entries");
    assert_eq!(r["total"], stats["total"], "{what}");
    assert_eq!(r["total"], s["entries"]["totalCount"], "{what}");
    assert_eq!(r["byYear"], stats["byYear"], "{what}");
    let code = |path: &'static [&'static str]| move |v: &Value| path.iter().fold(v, |v, k| &v[*k]).to_string();
    // The report lists the 18 categories (C7's group apart) with zeros; stats the codes with any.
    let mut by_action_line = counts(&stats["byActionLine"], code(&["actionLine", "code"]));
    by_action_line.remove("\"C7\"");
    assert_eq!(r["byCategory"].as_array().map(Vec::len), Some(18), "{what}");
    assert_eq!(
        counts(&r["byCategory"], code(&["actionLine", "code"])),
        by_action_line,
        "{what}"
    );
    assert_eq!(r["bySdg"].as_array().map(Vec::len), Some(17), "{what}");
    assert_eq!(
        counts(&r["bySdg"], code(&["sdg", "number"])),
        counts(&stats["bySdg"], code(&["sdg", "number"])),
        "{what}"
    );
    let cell = |v: &Value| format!("{}|{}", v["category"]["code"], v["sdg"]["number"]);
    let (mine, theirs) = (counts(&r["matrix"], cell), counts(&stats["matrix"], cell));
    let differ: Vec<_> = theirs.iter().filter(|(k, n)| mine.get(*k) != Some(n)).take(5).collect();
    assert_eq!(mine.len(), theirs.len(), "{what}: matrix cells; differing: {differ:?}");
    assert!(differ.is_empty(), "{what}: {differ:?}");
    assert_eq!(r["topCountries"], stats["byCountry"], "{what}");
    assert_eq!(r["byStakeholderType"], stats["byStakeholderType"], "{what}");
}

#[tokio::test]
async fn the_report_counts_what_entry_stats_counts() {
    let app = TestApp::demo().await;
    // From the summary (a region alone), and counted live (with years), in each scheme.
    assert_same_numbers(&app, "AFRICA", (None, None)).await;
    assert_same_numbers(&app, "ECE", (Some(2010), Some(2020))).await;
    assert_same_numbers(&app, "REGION_B", (Some(2015), None)).await;
    let r = report(&app, None, "ASIA_PACIFIC", (Some(2012), Some(2022))).await;
    assert_eq!(r["htmlUrl"], "/reports/regions/asia-pacific?from=2012&to=2022");
    assert_eq!(r["csvUrl"], "/reports/regions/asia-pacific.csv?from=2012&to=2022");
    assert!(r["pending"].is_null(), "anonymous callers see no pending submissions");
    // Recent entries: the 20 latest, newest first.
    let recent = r["recentEntries"].as_array().expect("recent");
    assert_eq!(recent.len(), 20);
    let times: Vec<&str> = recent.iter().filter_map(|e| e["updatedAt"].as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
    // Prizes: winners and champions only, within the years, newest first.
    let prizes = app.data(REPORT, vars("AFRICA", Some(2015), None)).await["regionalReport"]["prizes"].clone();
    let prizes = prizes.as_array().expect("prizes");
    assert!(!prizes.is_empty(), "the demo has prize winners in Africa");
    assert!(
        prizes
            .iter()
            .all(|p| p["result"] != "NOMINEE" && p["year"].as_i64() >= Some(2015))
    );
    let years: Vec<i64> = prizes.iter().filter_map(|p| p["year"].as_i64()).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    // The years are the prizes' own: a 2020 prize counts whenever its entry was last updated.
    let q = "{ regionalReport(region: AFRICA, from: 2020, to: 2020) { prizes { year entry { year } } } }";
    let prizes = app.data(q, json!({})).await["regionalReport"]["prizes"].clone();
    let prizes = prizes.as_array().expect("prizes");
    assert!(prizes.iter().all(|p| p["year"] == 2020), "{prizes:?}");
    assert!(
        prizes.iter().any(|p| p["entry"]["year"] != 2020),
        "entries of other years win too"
    );
}

/// Parses the report's CSV into sections: name → rows (each a map from the header's names).
fn sections(body: &[u8]) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let text = std::str::from_utf8(body).expect("UTF-8");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
    let mut header: Vec<String> = Vec::new();
    for record in reader.records() {
        let record = record.expect("RFC 4180");
        if &record[0] == "section" {
            header = record.iter().map(str::to_owned).collect();
            continue;
        }
        assert_eq!(record.len(), header.len(), "{record:?} under {header:?}");
        let row = header.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
        out.entry(record[0].to_owned()).or_default().push(row);
    }
    out
}

#[tokio::test]
async fn the_csv_holds_the_same_report_and_parses_back() {
    let app = TestApp::demo().await;
    let req = Request::get("/reports/regions/Africa.csv?from=2012")
        .body(Body::empty())
        .expect("request");
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv")
    );
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap_or("")
            .contains("wsis-report-africa.csv")
    );
    let s = sections(&body);
    let r = report(&app, None, "AFRICA", (Some(2012), None)).await;
    assert_eq!(s["report"][0]["region"], "AFRICA");
    assert_eq!(s["report"][0]["from"], "2012");
    assert_eq!(s["report"][0]["entries"], r["total"].to_string());
    let column = |section: &str, key: &str| -> BTreeMap<String, String> {
        s[section]
            .iter()
            .map(|row| (row[key].clone(), row["entries"].clone()))
            .collect()
    };
    let from_gql = |list: &Value, key: &dyn Fn(&Value) -> String| -> BTreeMap<String, String> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|v| (key(v), v["count"].to_string()))
            .collect()
    };
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    assert_eq!(
        column("by_year", "year"),
        from_gql(&r["byYear"], &|v| v["year"].to_string())
    );
    assert_eq!(
        column("by_category", "category"),
        from_gql(&r["byCategory"], &|v| text(&v["actionLine"]["code"]))
    );
    assert_eq!(
        column("by_sdg", "sdg"),
        from_gql(&r["bySdg"], &|v| v["sdg"]["number"].to_string())
    );
    assert_eq!(
        column("by_country", "country"),
        from_gql(&r["topCountries"], &|v| text(&v["country"]["code"]))
    );
    assert_eq!(s["matrix"].len(), r["matrix"].as_array().map_or(0, Vec::len));
    assert_eq!(s["recent"].len(), 20);
    let numbers: Vec<String> = s["recent"].iter().map(|row| row["number"].clone()).collect();
    let expected: Vec<String> = r["recentEntries"]
        .as_array()
        .expect("recent")
        .iter()
        .map(|e| e["number"].to_string())
        .collect();
    assert_eq!(numbers, expected);
    assert_eq!(s["prizes"].len(), r["prizes"].as_array().map_or(0, Vec::len));
    assert!(
        !s.contains_key("pending"),
        "no pending submissions for anonymous callers"
    );
}

/// An organisation in Kenya, its partner key, and an admin key.
async fn kenya(app: &TestApp) -> (String, String, String) {
    let (org, gid) = app.organisation("Nairobi Digital Trust", "KE").await;
    (app.key(As::Partner(org)).await, app.key(As::Admin).await, gid)
}

const HOSTILE: &str = "<script>alert(\"pwned\")</script> \"Quoted\" & 'single' \u{202e}txet desrever\u{202c} end";

#[tokio::test]
async fn entry_text_is_escaped_and_the_page_loads_nothing() {
    let app = TestApp::demo().await;
    let (partner, admin, _) = kenya(&app).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { id } }";
    let made = app
        .data_as(Some(&partner), create, json!({ "input": input(HOSTILE, "KE") }))
        .await;
    let id = made["createEntry"]["id"].as_str().expect("id").to_owned();
    let review = "mutation($id: ID!) { reviewEntry(id: $id, decision: PUBLISH) { moderation } }";
    app.data_as(Some(&admin), review, json!({ "id": id })).await;

    let req = Request::get("/reports/regions/africa")
        .body(Body::empty())
        .expect("request");
    let (status, headers, body) = app.send(req).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).expect("UTF-8");
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .starts_with("text/html")
    );
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap_or("");
    assert!(
        policy.contains("default-src 'none'") && !policy.contains("script-src"),
        "{policy}"
    );
    assert!(!page.contains("<script"), "no script element at all");
    assert!(
        page.contains("<bdi>&lt;script&gt;alert(&quot;pwned&quot;)&lt;&#x2f;script&gt; &quot;Quoted&quot; &amp; &#x27;single&#x27;"),
        "the title escaped, in its own bidi isolate"
    );
    assert!(
        !page.contains("src=\"http") && !page.contains("href=\"http"),
        "nothing from another host"
    );
    // Every chart is drawn, the SDGs in their own colours.
    for chart in ["years", "categories", "sdgs", "matrix", "countries", "stakeholders"] {
        assert!(page.contains(&format!("data-chart=\"{chart}\"")), "{chart}");
    }
    assert!(page.to_ascii_uppercase().contains("FILL=\"#E5243B\""), "SDG 1's red");
    // The CSV carries the title as it is, quoted by RFC 4180.
    let req = Request::get("/reports/regions/africa.csv")
        .body(Body::empty())
        .expect("request");
    let (_, _, csv) = app.send(req).await;
    let s = sections(&csv);
    assert_eq!(s["recent"][0]["title"], HOSTILE);
}

#[tokio::test]
async fn pending_submissions_show_for_the_regions_key_alone() {
    let app = TestApp::demo().await;
    let (partner, admin, _) = kenya(&app).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { number } }";
    let made = app
        .data_as(
            Some(&partner),
            create,
            json!({ "input": input("Waiting for review", "KE") }),
        )
        .await;
    let number = made["createEntry"]["number"].clone();
    let africa = app.key(As::Commission("AFRICA")).await;
    let eca = app.key(As::Commission("ECA")).await;
    let anonymous = report(&app, None, "AFRICA", (None, None)).await;
    for (key, sees) in [
        (None, false),
        (Some(&partner), false),
        (Some(&eca), false),
        (Some(&africa), true),
        (Some(&admin), true),
    ] {
        let r = report(&app, key.map(String::as_str), "AFRICA", (None, None)).await;
        assert_eq!(
            r["total"], anonymous["total"],
            "the figures are the published register's"
        );
        assert_eq!(r["byYear"], anonymous["byYear"]);
        assert_eq!(!r["pending"].is_null(), sees, "{key:?}");
        if sees {
            let pending = &r["pending"];
            assert!(pending["totalCount"].as_i64() >= Some(1));
            let entries = pending["entries"].as_array().expect("entries");
            assert!(entries.iter().any(|e| e["number"] == number), "{pending}");
            assert!(entries.iter().all(|e| e["moderation"] == "SUBMITTED"));
        }
    }
    // The page and the CSV mark them apart, for the region's key only.
    let get = |key: Option<String>, path: &'static str| {
        let mut req = Request::get(path);
        if let Some(k) = key {
            req = req.header(header::AUTHORIZATION, format!("Bearer {k}"));
        }
        app.send(req.body(Body::empty()).expect("request"))
    };
    let (_, headers, page) = get(Some(africa.clone()), "/reports/regions/africa").await;
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(page.contains("id=\"pending\"") && page.contains("Not public") && page.contains("Waiting for review"));
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or("")
            .contains("private")
    );
    let (_, headers, page) = get(None, "/reports/regions/africa").await;
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(!page.contains("id=\"pending\"") && !page.contains("Waiting for review"));
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap_or("").contains("public"));
    let (_, _, csv) = get(Some(africa), "/reports/regions/africa.csv").await;
    let s = sections(&csv);
    assert!(s["pending"].iter().any(|row| row["title"] == "Waiting for review"));
}

#[tokio::test]
async fn bad_report_requests_get_clear_errors() {
    let app = TestApp::new().await;
    for (path, status, code) in [
        ("/reports/regions/atlantis", StatusCode::NOT_FOUND, "NOT_FOUND"),
        (
            "/reports/regions/africa?from=soon",
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/reports/regions/africa.csv?from=2024&to=2019",
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
        (
            "/reports/regions/africa?to=12",
            StatusCode::BAD_REQUEST,
            "BAD_USER_INPUT",
        ),
    ] {
        let (got, body) = app.get(path).await;
        assert_eq!(got, status, "{path}: {body}");
        let body: Value = serde_json::from_str(&body).expect("a JSON error");
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{path}: {body}");
    }
    let res = app.gql(REPORT, vars("AFRICA", Some(2024), Some(2019))).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "{res}");
    assert_eq!(res["errors"][0]["extensions"]["field"], "to");
    // An empty register reports zeros, and the page says there is nothing to chart.
    let r = report(&app, None, "EUROPE", (None, None)).await;
    assert_eq!(r["total"], 0);
    assert_eq!(r["recentEntries"], json!([]));
    let (status, page) = app.get("/reports/regions/europe").await;
    assert_eq!(status, 200);
    assert!(page.contains("No published entries to count.") && !page.contains("<svg"));
}

#[tokio::test]
async fn a_report_reads_only_what_it_shows() {
    let app = TestApp::demo().await;
    // From the summary: one statement for the total alone.
    app.reset_statements();
    app.data("{ regionalReport(region: AFRICA) { total } }", json!({}))
        .await;
    assert_eq!(app.statements(), 1, "the total alone");
    // The whole report: 7 facets from the summary, 2 for the prizes and 2 for their entries'
    // organisations and countries, 1 + 2 for the recent entries, and the selection's links once.
    app.reset_statements();
    app.data(REPORT, vars("AFRICA", None, None)).await;
    let whole = app.statements();
    app.reset_statements();
    let req = Request::get("/reports/regions/africa")
        .body(Body::empty())
        .expect("request");
    assert_eq!(app.send(req).await.0, StatusCode::OK);
    assert_eq!(app.statements(), 14, "the page: 7 facets, prizes 2 + 2, recent 1 + 2");
    assert!(whole <= 18, "the GraphQL report: {whole} statements");
}

#[tokio::test]
async fn reports_are_charged_to_the_callers_rate_limit() {
    let points = stocktaking::http::report::REPORT_POINTS;
    let app = TestApp::configured(stocktaking::app::Options {
        rate: stocktaking::config::RateLimits {
            anonymous: points + points / 2,
            ..Default::default()
        },
        ..crate::helpers::test_options()
    })
    .await;
    let req = || {
        Request::get("/reports/regions/africa.csv")
            .body(Body::empty())
            .expect("request")
    };
    let (status, headers, _) = app.send(req()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-ratelimit-remaining"], (points / 2).to_string().as_str());
    app.reset_statements();
    let (status, headers, body) = app.send(req()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.statements(), 0, "a refused report reads nothing");
    let body: Value = serde_json::from_slice(&body).expect("a JSON error");
    assert_eq!(body["errors"][0]["extensions"]["code"], "RATE_LIMITED", "{body}");
    let wait = body["errors"][0]["extensions"]["retryAfter"]
        .as_u64()
        .expect("retryAfter");
    assert_eq!(headers[header::RETRY_AFTER], wait.to_string().as_str());
}
