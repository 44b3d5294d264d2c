//! The full backup (`export --full` and its restore): nothing is lost, on either backend and
//! across them.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use stocktaking::store::backup;

use crate::helpers::{As, TestApp};

async fn full_export(db: &DatabaseConnection) -> Vec<u8> {
    let mut out = Vec::new();
    backup::export(db, &mut out).await.expect("full export");
    out
}

async fn restore(db: &DatabaseConnection, file: &[u8]) -> anyhow::Result<u64> {
    backup::restore(db, std::io::BufReader::new(file)).await
}

/// The demo plus what only the write path makes: keys of every role (one revoked), a partner's
/// submission with a contact, a rejection with a moderation note, a withdrawal, an upsert by
/// an integration (an external reference) and a prize.
async fn installation() -> (TestApp, String) {
    let app = TestApp::demo().await;
    let admin = app.key(As::Admin).await;
    let (org, org_id) = app.organisation("Backup Partners", "KE").await;
    let partner = app.key(As::Partner(org)).await;
    app.key(As::Commission("ECA")).await;
    let ungis = app.key(As::Integration("ungis")).await;
    let revoked = app.key(As::Admin).await;
    let create = "mutation($input: EntryInput!) { createEntry(input: $input) { id version } }";
    let mut ids = Vec::new();
    for title in ["Kept with its contact", "Rejected with a note", "Withdrawn later"] {
        let res = app
            .data_as(
                Some(&partner),
                create,
                json!({ "input": crate::writes::input(title, "KE") }),
            )
            .await;
        ids.push(res["createEntry"]["id"].as_str().expect("id").to_owned());
    }
    app.data_as(
        Some(&admin),
        "mutation($id: ID!) { reviewEntry(id: $id, decision: REJECT, note: \"Needs a clearer description\") { moderation } }",
        json!({ "id": ids[1] }),
    )
    .await;
    app.data_as(
        Some(&partner),
        "mutation($id: ID!) { withdrawEntry(id: $id, expectedVersion: 1) { moderation } }",
        json!({ "id": ids[2] }),
    )
    .await;
    app.data_as(
        Some(&admin),
        "mutation($id: ID!) { recordPrize(entryId: $id, year: 2026, category: C7_E_LEARNING, result: CHAMPION) { number } }",
        json!({ "id": ids[0] }),
    )
    .await;
    let mut external = crate::writes::input("Mirrored from UNGIS", "KE");
    external["externalId"] = json!("ungis-42");
    external["organisation"] = json!(org_id);
    let res = app
        .data_as(
            Some(&ungis),
            "mutation($inputs: [ExternalEntryInput!]!) { upsertEntries(inputs: $inputs) { created } }",
            json!({ "inputs": [external] }),
        )
        .await;
    assert_eq!(res["upsertEntries"]["created"], 1, "{res}");
    let id: i64 = revoked_id(&app).await;
    stocktaking::domain::keys::revoke(&app.db, id).await.expect("revoke");
    drop(revoked);
    (app, admin)
}

async fn revoked_id(app: &TestApp) -> i64 {
    let keys = stocktaking::store::keys::list(&app.db).await.expect("keys");
    keys.iter().map(|k| k.id).max().expect("a key")
}

/// Lines of each table in a backup.
fn tables(file: &[u8]) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for line in std::str::from_utf8(file).expect("UTF-8").lines() {
        let v: Value = serde_json::from_str(line).expect("JSON line");
        if let Some(t) = v["table"].as_str() {
            *out.entry(t.to_owned()).or_default() += 1;
        }
    }
    out
}

#[tokio::test]
async fn a_restored_installation_is_the_same_installation() {
    let (source, admin) = installation().await;
    let file = full_export(&source.db).await;
    let text = std::str::from_utf8(&file).expect("UTF-8");
    let header: Value = serde_json::from_str(text.lines().next().expect("header")).expect("JSON");
    assert_eq!(header, json!({ "format": "stocktaking-full", "version": 1 }));
    let counts = tables(&file);
    for table in [
        "organisations",
        "entries",
        "entry_countries",
        "entry_categories",
        "entry_sdgs",
        "contacts",
        "external_refs",
        "prizes",
        "changes",
        "api_keys",
    ] {
        assert!(counts.get(table).copied().unwrap_or(0) > 0, "{table}: {counts:?}");
    }
    assert!(text.contains("Needs a clearer description"), "moderation notes");
    assert!(text.contains("amina@example.org"), "contacts");
    assert!(text.contains("\"revoked_at\":\"20"), "revocations");

    let target = TestApp::new().await;
    let rows = restore(&target.db, &file).await.expect("restore");
    assert_eq!(rows as usize, counts.values().sum::<usize>());
    // Exactly: a full export of the restored database is byte-identical.
    assert_eq!(full_export(&target.db).await, file);
    // What clients see is the same: the public export, and a key made on the source works on
    // the restored server with the same role and sees the same private fields.
    assert_eq!(
        target.get("/export/entries.ndjson").await,
        source.get("/export/entries.ndjson").await
    );
    let private = "{ entries(first: 100, filter: {moderation: [SUBMITTED, REJECTED, WITHDRAWN]}, orderBy: {field: NUMBER, direction: DESC}) {
        totalCount nodes { number title moderation moderationNote contact { name email phone } externalRefs { source externalId } } } }";
    let before = source.data_as(Some(&admin), private, json!({})).await;
    assert_eq!(target.data_as(Some(&admin), private, json!({})).await, before);
    let feed = "{ changes(first: 100) { nodes { sequence kind at entry { number } } } }";
    assert_eq!(
        target.data_as(Some(&admin), feed, json!({})).await,
        source.data_as(Some(&admin), feed, json!({})).await
    );
    let stats = "{ entryStats { total bySdg { count } matrix { count } } }";
    assert_eq!(target.data(stats, json!({})).await, source.data(stats, json!({})).await);
    // The search index is rebuilt from the restored rows.
    let search = "{ entries(filter: {search: \"telecentres\"}) { totalCount nodes { number } } }";
    let found = source.data_as(Some(&admin), search, json!({})).await;
    assert!(found["entries"]["totalCount"].as_i64().unwrap_or(0) > 0, "{found}");
    assert_eq!(target.data_as(Some(&admin), search, json!({})).await, found);
    // Writing goes on where the source stopped: new ids, numbers and sequences.
    let (org, _) = target.organisation("After the move", "FR").await;
    let partner = target.key(As::Partner(org)).await;
    let res = target
        .data_as(
            Some(&partner),
            "mutation($input: EntryInput!) { createEntry(input: $input) { number } }",
            json!({ "input": crate::writes::input("Written after the restore", "FR") }),
        )
        .await;
    assert!(res["createEntry"]["number"].as_i64().is_some(), "{res}");
}

#[tokio::test]
async fn a_restore_is_all_or_nothing_and_only_into_an_empty_database() {
    let (source, _) = installation().await;
    let file = full_export(&source.db).await;
    let text = String::from_utf8(file.clone()).expect("UTF-8");
    // Into a database that holds entries: refused, nothing changes.
    let before = source.rows("entries").await;
    let err = restore(&source.db, &file).await.expect_err("not empty");
    assert!(err.to_string().contains("empty database"), "{err}");
    assert_eq!(source.rows("entries").await, before);

    let target = TestApp::new().await;
    let lines: Vec<&str> = text.lines().collect();
    // Truncated (a copy cut short): no end line.
    let cut = lines[..lines.len() / 2].join("\n");
    let err = restore(&target.db, cut.as_bytes()).await.expect_err("truncated");
    assert!(format!("{err:#}").contains("truncated"), "{err:#}");
    // A row that is not a row of its table, late in the file.
    let mut bad = lines.clone();
    let at = bad.len() - 3;
    bad[at] = r#"{"table":"api_keys","row":{"id":"not a number"}}"#;
    let err = restore(&target.db, bad.join("\n").as_bytes())
        .await
        .expect_err("bad row");
    assert!(format!("{err:#}").contains(&format!("line {}", at + 1)), "{err:#}");
    // Another format version.
    let mut other = lines.clone();
    other[0] = r#"{"format":"stocktaking-full","version":2}"#;
    let err = restore(&target.db, other.join("\n").as_bytes())
        .await
        .expect_err("version");
    assert!(err.to_string().contains("version 2"), "{err}");
    // Nothing of the failed attempts remains, and the real file still restores.
    for table in ["organisations", "entries", "contacts", "changes", "api_keys"] {
        assert_eq!(target.rows(table).await, 0, "{table}");
    }
    restore(&target.db, &file).await.expect("restore");
    assert_eq!(full_export(&target.db).await, file);
}

#[tokio::test]
async fn the_command_line_exports_and_restores_across_backends() {
    let (source, _) = installation().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("backup.ndjson");
    let run = |url: &str, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_stocktaking"))
            .args(args)
            .env("DATABASE_URL", url)
            .output()
            .expect("run stocktaking");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let file = run(&source.url, &["export", "--full"]);
    assert_eq!(
        file,
        full_export(&source.db).await,
        "the command writes the library's export"
    );
    std::fs::write(&path, &file).expect("write the backup");
    // Into the other backend when both are at hand (the PostgreSQL run), else into another
    // database of the same one; then back again into a new database of the source's backend.
    let other = tempfile::tempdir().expect("tempdir");
    let same = TestApp::new().await;
    let target_url = if source.url.starts_with("postgres") {
        format!("sqlite://{}?mode=rwc", other.path().join("moved.db").display())
    } else {
        same.url.clone()
    };
    let out = run(&target_url, &["import", path.to_str().expect("path")]);
    assert!(
        String::from_utf8_lossy(&out).contains("restored"),
        "{}",
        String::from_utf8_lossy(&out)
    );
    let moved = run(&target_url, &["export", "--full"]);
    assert_eq!(moved, file, "byte-identical after the move");
    // And back: from the moved copy into a fresh database of the source's backend.
    let back = TestApp::new().await;
    std::fs::write(&path, &moved).expect("write");
    run(&back.url, &["import", path.to_str().expect("path")]);
    assert_eq!(full_export(&back.db).await, file, "byte-identical after the way back");
    // Refused with a message, changing nothing, when the target is not empty.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stocktaking"))
        .args(["import", path.to_str().expect("path")])
        .env("DATABASE_URL", &back.url)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty database"));
    let n = back
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            back.db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM entries",
        ))
        .await
        .expect("count")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("n");
    assert_eq!(n as usize, tables(&file)["entries"]);
}
