//! The change feed and the `entryChanged` subscription.

use std::collections::BTreeSet;

use futures::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{TestApp, Ws, error_code, ws_connect as connect, ws_next as next};
use crate::writes::{World, input};

const FEED: &str = "query($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    nodes { sequence kind entryNumber entryId entry { number title } }
    pageInfo { endCursor hasNextPage } } }";

/// A mirror: the entry numbers it holds and where it stands in the feed.
#[derive(Default)]
struct Mirror {
    held: BTreeSet<i64>,
    cursor: Option<String>,
    last_seq: i64,
}

impl Mirror {
    /// Reads the feed from its cursor to the end, `first` at a time.
    async fn sync(&mut self, app: &TestApp, key: Option<&str>, first: i32) {
        loop {
            let d = app
                .data_as(key, FEED, json!({ "after": self.cursor, "first": first }))
                .await;
            for n in d["changes"]["nodes"].as_array().expect("nodes") {
                let seq = n["sequence"].as_i64().expect("sequence");
                assert!(seq > self.last_seq, "in order, no repeats");
                self.last_seq = seq;
                let number = n["entryNumber"].as_i64().expect("number");
                match n["kind"].as_str().expect("kind") {
                    "REMOVED" => {
                        assert!(n["entry"].is_null());
                        self.held.remove(&number);
                    }
                    _ => {
                        self.held.insert(number);
                    }
                }
            }
            if let Some(c) = d["changes"]["pageInfo"]["endCursor"].as_str() {
                self.cursor = Some(c.to_owned());
            }
            if d["changes"]["pageInfo"]["hasNextPage"] != true {
                return;
            }
        }
    }
}

/// Every entry `entries` returns to the caller, by number.
async fn listed(app: &TestApp, key: Option<&str>) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    let mut after: Option<String> = None;
    loop {
        let d = app
            .data_as(
                key,
                "query($after: String) { entries(first: 100, after: $after) { nodes { number } pageInfo { endCursor hasNextPage } } }",
                json!({ "after": after }),
            )
            .await;
        for n in d["entries"]["nodes"].as_array().expect("nodes") {
            out.insert(n["number"].as_i64().expect("number"));
        }
        if d["entries"]["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = d["entries"]["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

async fn mutate(w: &World, key: &str, query: &str, vars: Value) -> Value {
    w.app.data_as(Some(key), query, vars).await
}

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $patch: EntryPatch!) {
    updateEntry(id: $id, expectedVersion: $v, patch: $patch) { version } }";
const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!) { reviewEntry(id: $id, decision: $d) { version } }";
const WITHDRAW: &str = "mutation($id: ID!, $v: Int!) { withdrawEntry(id: $id, expectedVersion: $v) { version } }";
const UPSERT: &str = "mutation($i: [ExternalEntryInput!]!) { upsertEntries(inputs: $i) { entries { id version } } }";

#[tokio::test]
async fn a_mirror_that_replays_and_resumes_holds_what_entries_returns() {
    let w = World::new().await;
    let (mut eager, mut partner, mut late) = (Mirror::default(), Mirror::default(), Mirror::default());
    let sync_all = async |eager: &mut Mirror, partner: &mut Mirror| {
        eager.sync(&w.app, None, 2).await;
        partner.sync(&w.app, Some(&w.partner_a), 3).await;
    };

    let a = w.create(&w.partner_a, input("Alpha", "KE")).await;
    sync_all(&mut eager, &mut partner).await;
    w.publish(&a["id"]).await;
    let b = w.create(&w.partner_b, input("Bravo", "FR")).await;
    sync_all(&mut eager, &mut partner).await;
    mutate(
        &w,
        &w.partner_a,
        UPDATE,
        json!({ "id": a["id"], "v": 2, "patch": { "title": "Alpha 2" } }),
    )
    .await;
    w.publish(&b["id"]).await;
    sync_all(&mut eager, &mut partner).await;
    mutate(&w, &w.partner_b, WITHDRAW, json!({ "id": b["id"], "v": 2 })).await;
    let mut draft = input("Charlie", "KE");
    draft["draft"] = json!(true);
    let c = w.create(&w.partner_a, draft).await;
    mutate(
        &w,
        &w.partner_a,
        UPDATE,
        json!({ "id": c["id"], "v": 1, "patch": { "draft": false } }),
    )
    .await;
    w.publish(&c["id"]).await;
    eager.sync(&w.app, None, 2).await;
    mutate(&w, &w.admin, REVIEW, json!({ "id": a["id"], "d": "REJECT" })).await;
    sync_all(&mut eager, &mut partner).await;
    mutate(
        &w,
        &w.partner_a,
        UPDATE,
        json!({ "id": a["id"], "v": 4, "patch": { "title": "Alpha 3" } }),
    )
    .await;
    w.publish(&a["id"]).await;
    let mut u = input("Delta from UNGIS", "UG");
    u["organisation"] = json!(w.org_a);
    u["externalId"] = json!("dtr-1");
    let up = mutate(&w, &w.ungis, UPSERT, json!({ "i": [u.clone()] })).await;
    w.publish(&up["upsertEntries"]["entries"][0]["id"]).await;
    partner.sync(&w.app, Some(&w.partner_a), 1).await;
    u["title"] = json!("Delta from UNGIS, phase 2");
    mutate(&w, &w.ungis, UPSERT, json!({ "i": [u] })).await;
    // Something that never reaches the register is not in the feed at all.
    w.create(&w.partner_b, input("Echo, never published", "FR")).await;

    sync_all(&mut eager, &mut partner).await;
    late.sync(&w.app, None, 100).await;
    let public = listed(&w.app, None).await;
    assert_eq!(public.len(), 3, "Alpha, Charlie, Delta");
    assert_eq!(eager.held, public);
    assert_eq!(late.held, public);
    assert_eq!(partner.held, listed(&w.app, Some(&w.partner_a)).await);
    // Caught up: an empty page, with no cursor to move to.
    let d = w
        .app
        .data_as(None, FEED, json!({ "after": eager.cursor, "first": 5 }))
        .await;
    assert_eq!(d["changes"]["nodes"], json!([]));
    assert!(d["changes"]["pageInfo"]["endCursor"].is_null());
}

#[tokio::test]
async fn the_demo_history_replays_to_the_demo_register() {
    let app = TestApp::demo().await;
    let mut m = Mirror::default();
    m.sync(&app, None, 100).await;
    assert_eq!(m.held, listed(&app, None).await);
    assert!(m.held.len() > 1_000);
}

#[tokio::test]
async fn feed_arguments_are_checked() {
    let app = TestApp::new().await;
    for (vars, field) in [
        (json!({ "after": "bm9wZQ" }), "after"),
        (json!({ "after": "not base64!" }), "after"),
        (json!({ "first": 0 }), "first"),
        (json!({ "first": 101 }), "first"),
    ] {
        let res = app.gql(FEED, vars.clone()).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{vars}");
        assert_eq!(res["errors"][0]["extensions"]["field"], field, "{vars}");
    }
}

/// Serves the test's router on a real socket.
async fn serve(app: &TestApp) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

async fn subscribe(ws: &mut Ws, id: &str, filter: Value) {
    let query = "subscription($filter: EntryFilter) { entryChanged(filter: $filter) {
        sequence kind entryNumber entry { title contact { email } } } }";
    ws.send(Message::text(
        json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": { "filter": filter } } })
            .to_string(),
    ))
    .await
    .expect("subscribe");
}

#[tokio::test]
async fn subscriptions_deliver_every_later_change_in_order_to_whoever_may_see_it() {
    let w = World::new().await;
    let addr = serve(&w.app).await;
    w.create(&w.partner_a, input("Before subscribing", "KE")).await;

    let mut public = connect(addr, None).await.expect("anonymous connection");
    subscribe(&mut public, "p", json!(null)).await;
    let mut owner = connect(addr, Some(&w.partner_a)).await.expect("partner connection");
    subscribe(
        &mut owner,
        "o",
        json!({ "moderation": ["SUBMITTED", "PUBLISHED"], "countries": ["KE"] }),
    )
    .await;
    // Give the subscriptions a moment to start before writing.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let a = w.create(&w.partner_a, input("Kenyan submission", "KE")).await;
    w.create(&w.partner_b, input("French submission", "FR")).await;
    w.publish(&a["id"]).await;
    mutate(&w, &w.partner_a, WITHDRAW, json!({ "id": a["id"], "v": 2 })).await;

    // The public sees the entry enter and leave the register, without its contact.
    let e1 = next(&mut public).await;
    assert_eq!(e1["type"], "next", "{e1}");
    let ev = &e1["payload"]["data"]["entryChanged"];
    assert_eq!(ev["kind"], "PUBLISHED");
    assert_eq!(ev["entryNumber"], a["number"]);
    assert!(ev["entry"]["contact"].is_null());
    let e2 = next(&mut public).await;
    assert_eq!(e2["payload"]["data"]["entryChanged"]["kind"], "REMOVED");
    assert!(
        e2["payload"]["data"]["entryChanged"]["sequence"].as_i64() > ev["sequence"].as_i64(),
        "in order"
    );

    // The owner, following its Kenyan submissions too, sees all three steps, with the contact;
    // France's submission and the entry created before subscribing never show.
    let kinds: Vec<Value> = [next(&mut owner).await, next(&mut owner).await, next(&mut owner).await]
        .iter()
        .map(|m| {
            let ev = &m["payload"]["data"]["entryChanged"];
            assert_eq!(ev["entryNumber"], a["number"], "{m}");
            ev["kind"].clone()
        })
        .collect();
    assert_eq!(kinds, [json!("CREATED"), json!("UPDATED"), json!("REMOVED")]);

    // A bad key is refused at connection time.
    let refused = connect(addr, Some("stk_nope")).await;
    assert!(refused.is_err(), "{refused:?}");
}
