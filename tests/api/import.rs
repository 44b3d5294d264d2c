//! The importer: round trips, bad files, idempotence, keys by source.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::writes::cli;

const EVERY_STATE: &str = "DRAFT,SUBMITTED,PUBLISHED,REJECTED,WITHDRAWN";

fn export(app: &TestApp, format: &str) -> String {
    let (ok, out, err) = cli(app, &["export", "--format", format, "--moderation", EVERY_STATE]);
    assert!(ok, "{err}");
    out
}

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write file");
    path
}

fn import(app: &TestApp, path: &std::path::Path, flags: &[&str]) -> (bool, String, String) {
    let mut args = vec!["import", path.to_str().expect("path")];
    args.extend_from_slice(flags);
    cli(app, &args)
}

#[tokio::test]
async fn export_import_export_is_byte_identical_in_both_formats() {
    let source = TestApp::demo().await;
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["ndjson", "csv"] {
        let first = export(&source, format);
        assert!(first.lines().count() >= 2_000, "every state of the demo");
        assert!(first.contains("GDC3"), "the Compact's objectives travel too");
        let path = file(&dir, &format!("entries.{format}"), &first);
        let target = TestApp::new().await;
        let (ok, out, err) = import(&target, &path, &[]);
        assert!(ok, "{err}");
        assert!(out.contains("2000 created"), "{out}");
        assert_eq!(export(&target, format), first, "{format} round trip");
        // Again: nothing changes, not even the change log.
        let changes = target.rows("changes").await;
        let (ok, out, _) = import(&target, &path, &[]);
        assert!(ok);
        assert!(out.contains("0 created, 0 updated, 2000 unchanged"), "{out}");
        assert_eq!(target.rows("changes").await, changes);
        // The imported register answers queries like the original.
        let q = "{ entries(filter: {regions: [AFRICA], actionLines: [C7]}) { totalCount }
            entryStats { total bySdg { count } byGdcObjective { objective { code } count } } }";
        assert_eq!(target.data(q, json!({})).await, source.data(q, json!({})).await);
    }
}

#[tokio::test]
async fn a_bad_file_reports_every_problem_and_changes_nothing() {
    let source = TestApp::demo().await;
    let text = export(&source, "ndjson");
    let mut lines: Vec<Value> = text
        .lines()
        .take(5)
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    lines[1]["countries"] = json!(["XX"]);
    lines[1]["title"] = json!("");
    lines[3]["endDate"] = json!("1999-01-01");
    lines[3]["sdgs"] = json!([18]);
    let mut body: Vec<String> = lines.iter().map(Value::to_string).collect();
    body.push("{not json".into());
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "bad.ndjson", &(body.join("\n") + "\n"));
    let target = TestApp::new().await;
    let (ok, _, err) = import(&target, &path, &[]);
    assert!(!ok);
    for expected in [
        "line 2: title:",
        "line 2: countries: unknown country code `XX`",
        "line 4: endDate:",
        "line 4: sdgs: there is no SDG 18",
        "line 6: json:",
        "3 of 6 rows are invalid (5 problems); nothing was imported",
    ] {
        assert!(err.contains(expected), "{expected:?} in {err}");
    }
    assert_eq!(target.rows("entries").await, 0);
    assert_eq!(target.rows("organisations").await, 0);

    // A dry run counts, writes nothing.
    let (ok, out, _) = import(&target, &path, &["--skip-invalid", "--dry-run"]);
    assert!(ok);
    assert!(out.contains("dry run") && out.contains("3 created"), "{out}");
    assert_eq!(target.rows("entries").await, 0);
    // --skip-invalid imports the three good rows.
    let (ok, out, _) = import(&target, &path, &["--skip-invalid"]);
    assert!(ok);
    assert!(
        out.contains("3 created") && out.contains("3 skipped as invalid"),
        "{out}"
    );
    assert_eq!(target.rows("entries").await, 3);

    // A CSV with the wrong header is refused outright.
    let csv = file(&dir, "bad.csv", "title,description\nx,y\n");
    let (ok, _, err) = import(&target, &csv, &[]);
    assert!(!ok);
    assert!(err.contains("line 1: the header must be the export's"), "{err}");
}

#[tokio::test]
async fn changed_rows_update_and_sources_key_by_external_id() {
    let target = TestApp::new().await;
    let record = |title: &str, number: i64| {
        json!({
            "number": number, "title": title, "description": "Telecentres.",
            "activityType": "PROJECT", "status": "ONGOING", "coverage": "NATIONAL",
            "startDate": null, "endDate": null, "website": null, "year": 2024,
            "createdAt": "2024-01-02T03:04:05.000000Z", "updatedAt": "2024-01-02T03:04:05.000000Z",
            "version": 1, "moderation": "PUBLISHED",
            "organisation": { "name": "Kenya ICT Authority", "stakeholderType": "GOVERNMENT", "country": "KE", "website": null },
            "countries": ["ke"], "regions": [], "actionLines": ["C2"], "sdgs": [9], "prizes": [],
            "repositories": [], "externalRefs": [{ "source": "dtr", "externalId": "p-1" }]
        })
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let first = file(&dir, "a.ndjson", &format!("{}\n", record("Telecentres", 5)));
    assert!(import(&target, &first, &[]).0);
    let second = file(&dir, "b.ndjson", &format!("{}\n", record("Rural telecentres", 5)));
    let (ok, out, _) = import(&target, &second, &[]);
    assert!(ok);
    assert!(out.contains("1 updated"), "{out}");
    let d = target
        .data(
            "{ entry(number: 5) { title countries { code } } changes { nodes { kind } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["entry"]["title"], "Rural telecentres");
    assert_eq!(d["entry"]["countries"], json!([{ "code": "KE" }]));
    // The search index follows the rewritten title.
    let found = |q: &str| {
        let q = q.to_owned();
        let target = &target;
        async move {
            target
                .data(
                    "query($q: String!) { entries(filter: {search: $q}) { nodes { number } } }",
                    json!({ "q": q }),
                )
                .await["entries"]["nodes"]
                .clone()
        }
    };
    assert_eq!(found("rural telecentre").await, json!([{ "number": 5 }]));
    assert_eq!(
        d["changes"]["nodes"],
        json!([{ "kind": "CREATED" }, { "kind": "UPDATED" }])
    );
    // Keyed by source: the same external id updates the entry, whatever number the file says;
    // a new one gets the next number.
    let mut moved = record("Rural telecentres, phase 2", 99);
    let mut other = record("Another project", 5);
    other["externalRefs"] = json!([{ "source": "dtr", "externalId": "p-2" }]);
    moved["version"] = json!(2);
    let third = file(&dir, "c.ndjson", &format!("{moved}\n{other}\n"));
    let (ok, out, err) = import(&target, &third, &["--source", "dtr"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 created, 1 updated"), "{out}");
    let d = target
        .data(
            "{ a: entry(number: 5) { title } b: entry(number: 6) { title } c: entry(number: 99) { title } }",
            json!({}),
        )
        .await;
    assert_eq!(d["a"]["title"], "Rural telecentres, phase 2");
    assert_eq!(d["b"]["title"], "Another project");
    assert!(d["c"].is_null());
    assert_eq!(found("phase").await, json!([{ "number": 5 }]));
    assert_eq!(found("another").await, json!([{ "number": 6 }]));
    let (ok, _, err) = import(&target, &first, &["--source", "nowhere"]);
    assert!(!ok);
    assert!(err.contains("no reference in source `nowhere`"), "{err}");
}

#[tokio::test]
async fn a_killed_import_leaves_the_database_as_it_was() {
    let source = TestApp::demo().await;
    let text = export(&source, "ndjson");
    // 30,000 rows: the demo fifteen times over, renumbered.
    let mut big = String::new();
    for copy in 0..15 {
        for line in text.lines() {
            let mut v: Value = serde_json::from_str(line).expect("JSON");
            let n = v["number"].as_i64().expect("number");
            v["number"] = json!(n + copy * 100_000);
            v["externalRefs"] = json!([]);
            big.push_str(&v.to_string());
            big.push('\n');
        }
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "big.ndjson", &big);
    let target = TestApp::new().await;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_stocktaking"))
        .args(["import", path.to_str().expect("path")])
        .env("DATABASE_URL", &target.url)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn import");
    // Past the checking pass, into the writing one.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let finished = child.try_wait().expect("status").is_some();
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(!finished, "the import must still be running when killed");
    assert_eq!(target.rows("entries").await, 0);
    assert_eq!(target.rows("organisations").await, 0);
    assert_eq!(target.rows("changes").await, 0);
}

/// The importer and the mutations check an entry with one validator: the same problem gets
/// the same message from either (they once disagreed).
#[tokio::test]
async fn import_and_mutations_report_a_problem_in_the_same_words() {
    use crate::writes::{CREATE, World, input};
    let w = World::new().await;
    let good = w.create(&w.partner_a, input("Rural telecentres", "KE")).await;
    assert!(good["number"].is_i64(), "{good}");
    let long = "x".repeat(201);
    let mut bad = input(&long, "KE");
    bad["website"] = json!("ftp://example.org");
    bad["sdgs"] = json!([4, 18]);
    let (_, res) = w.app.gql_as(Some(&w.partner_a), CREATE, json!({ "input": bad })).await;
    let problems = res["errors"][0]["extensions"]["problems"]
        .as_array()
        .expect("problems")
        .clone();
    let said = |field: &str| -> String {
        problems
            .iter()
            .find(|p| p["field"] == json!(format!("input.{field}")))
            .and_then(|p| p["message"].as_str())
            .unwrap_or_else(|| panic!("no problem with {field}: {res}"))
            .to_owned()
    };

    let line = export(&w.app, "ndjson");
    let mut row: Value = serde_json::from_str(line.lines().next().expect("a row")).expect("JSON");
    row["title"] = json!(long);
    row["website"] = json!("ftp://example.org");
    row["sdgs"] = json!([4, 18]);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = file(&dir, "bad.ndjson", &format!("{row}\n"));
    let target = TestApp::new().await;
    let (ok, _, err) = import(&target, &path, &[]);
    assert!(!ok);
    for field in ["title", "website", "sdgs"] {
        let expected = format!("line 1: {field}: {}", said(field));
        assert!(err.contains(&expected), "{expected:?} in {err}");
    }
    assert_eq!(target.rows("entries").await, 0);
}

/// A CSV file written before the Compact's column existed still imports; with the column, the
/// objectives are read (any case) and stored in order.
#[tokio::test]
async fn csv_files_with_and_without_the_compacts_column_import() {
    let target = TestApp::new().await;
    let old_header = stocktaking::ingest::record::CSV_HEADER
        .strip_suffix(",gdc_objectives")
        .expect("the Compact's column is the last");
    let row = "2024,2024-01-02T03:04:05.000000Z,2024-01-02T03:04:05.000000Z,1,PUBLISHED,Kenya ICT Authority,GOVERNMENT,KE,,KE,,C2,9,,,";
    let dir = tempfile::tempdir().expect("tempdir");
    let old = file(
        &dir,
        "old.csv",
        &format!("{old_header}\r\n7,Old file,Telecentres.,PROJECT,ONGOING,NATIONAL,,,,{row}\r\n"),
    );
    let (ok, out, err) = import(&target, &old, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("1 created"), "{out}");
    let new = file(
        &dir,
        "new.csv",
        &format!(
            "{}\r\n8,New file,Telecentres.,PROJECT,ONGOING,NATIONAL,,,,{row},gdc2;GDC1\r\n",
            stocktaking::ingest::record::CSV_HEADER
        ),
    );
    let (ok, _, err) = import(&target, &new, &[]);
    assert!(ok, "{err}");
    let d = target
        .data(
            "{ a: entry(number: 7) { title gdcObjectives { code } } b: entry(number: 8) { gdcObjectives { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(d["a"], json!({ "title": "Old file", "gdcObjectives": [] }));
    assert_eq!(d["b"]["gdcObjectives"], json!([{ "code": "GDC1" }, { "code": "GDC2" }]));
    let bad = file(
        &dir,
        "bad.csv",
        &format!(
            "{}\r\n9,Bad file,Telecentres.,PROJECT,ONGOING,NATIONAL,,,,{row},GDC7\r\n",
            stocktaking::ingest::record::CSV_HEADER
        ),
    );
    let (ok, _, err) = import(&target, &bad, &[]);
    assert!(!ok);
    assert!(err.contains("GDC7"), "{err}");
    assert_eq!(target.rows("entries").await, 2);
}
