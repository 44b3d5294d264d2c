//! The write path: keys and roles, every mutation's allowed and refused callers, validation,
//! atomicity, optimistic concurrency and the change log.

use serde_json::{Value, json};

use crate::helpers::{As, TestApp, error_code};

/// Two organisations (one in Kenya, one in France) and a key for every role.
pub struct World {
    pub app: TestApp,
    pub org_a: String,
    pub org_b: String,
    pub admin: String,
    pub partner_a: String,
    pub partner_b: String,
    /// The ITU-D Africa region's commission (covers Kenya).
    pub africa: String,
    /// The UN Economic Commission for Europe (covers France).
    pub ece: String,
    pub ungis: String,
}

impl World {
    pub async fn new() -> World {
        let app = TestApp::new().await;
        let (a, org_a) = app.organisation("Kenya ICT Authority", "KE").await;
        let (b, org_b) = app.organisation("Fondation Numérique", "FR").await;
        World {
            admin: app.key(As::Admin).await,
            partner_a: app.key(As::Partner(a)).await,
            partner_b: app.key(As::Partner(b)).await,
            africa: app.key(As::Commission("AFRICA")).await,
            ece: app.key(As::Commission("ECE")).await,
            ungis: app.key(As::Integration("ungis")).await,
            app,
            org_a,
            org_b,
        }
    }

    /// Creates an entry as `key`; returns `{id number version moderation}`.
    pub async fn create(&self, key: &str, input: Value) -> Value {
        self.app.data_as(Some(key), CREATE, json!({ "input": input })).await["createEntry"].clone()
    }

    /// Publishes an entry as admin.
    pub async fn publish(&self, id: &Value) -> Value {
        self.app
            .data_as(
                Some(&self.admin),
                "mutation($id: ID!) { reviewEntry(id: $id, decision: PUBLISH) { version moderation } }",
                json!({ "id": id }),
            )
            .await["reviewEntry"]
            .clone()
    }
}

pub const CREATE: &str = "mutation($input: EntryInput!) {
    createEntry(input: $input) { id number version moderation title year organisation { name } } }";

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $patch: EntryPatch!) {
    updateEntry(id: $id, expectedVersion: $v, patch: $patch) {
      version moderation title updatedAt countries { code } actionLines { code } contact { name } } }";

/// A valid entry in `country`.
pub fn input(title: &str, country: &str) -> Value {
    json!({
        "title": title,
        "description": "Community telecentres bringing broadband and digital skills to rural districts.",
        "activityType": "PROJECT",
        "status": "ONGOING",
        "coverage": "NATIONAL",
        "startDate": "2024-03-01",
        "website": "https://example.org/telecentres",
        "countries": [country],
        "actionLines": ["C2", "C7_E_LEARNING"],
        "sdgs": [4, 9],
        "contact": { "name": "Amina Otieno", "email": "amina@example.org", "phone": "+254 20 123 4567" }
    })
}

#[tokio::test]
async fn keys_identify_callers_and_bad_keys_are_refused_alike() {
    let w = World::new().await;
    let q = "{ viewer { role organisation { name } region { code } source label } }";
    let anon = w.app.data_as(None, q, json!({})).await;
    assert_eq!(anon["viewer"]["role"], "ANONYMOUS");
    let p = w.app.data_as(Some(&w.partner_a), q, json!({})).await;
    assert_eq!(p["viewer"]["role"], "PARTNER");
    assert_eq!(p["viewer"]["organisation"]["name"], "Kenya ICT Authority");
    let c = w.app.data_as(Some(&w.ece), q, json!({})).await;
    assert_eq!(c["viewer"]["role"], "COMMISSION");
    assert_eq!(c["viewer"]["region"]["code"], "ECE");
    let i = w.app.data_as(Some(&w.ungis), q, json!({})).await;
    assert_eq!(i["viewer"]["source"], "ungis");
    assert_eq!(
        w.app.data_as(Some(&w.admin), q, json!({})).await["viewer"]["role"],
        "ADMIN"
    );

    // Unknown, malformed and revoked keys get the very same answer.
    let (_, revoked_id) = {
        let rows = stocktaking::store::keys::list(&w.app.db).await.expect("list");
        let last = rows.last().expect("a key").clone();
        (last.clone(), last.id)
    };
    assert!(
        stocktaking::domain::keys::revoke(&w.app.db, revoked_id)
            .await
            .expect("revoke")
    );
    let mut answers = Vec::new();
    for key in ["stk_nope", "", w.ungis.as_str()] {
        let (status, res) = w.app.gql_as(Some(key), q, json!({})).await;
        assert_eq!(status, 401, "{key}: {res}");
        assert_eq!(error_code(&res), "UNAUTHENTICATED");
        answers.push(res);
    }
    assert!(answers.windows(2).all(|p| p[0] == p[1]), "{answers:?}");
}

#[tokio::test]
async fn a_partner_submits_for_its_own_organisation() {
    let w = World::new().await;
    let e = w.create(&w.partner_a, input("Rural telecentres", "KE")).await;
    assert_eq!(e["moderation"], "SUBMITTED");
    assert_eq!(e["version"], 1);
    assert_eq!(e["number"], 1_000_000);
    assert_eq!(e["organisation"]["name"], "Kenya ICT Authority");
    let mut idea = input("Draft idea", "KE");
    idea["draft"] = json!(true);
    let draft = w.create(&w.partner_a, idea).await;
    assert_eq!(draft["moderation"], "DRAFT");
    assert_eq!(draft["number"], 1_000_001);

    // The submission is the partner's until it is published.
    let q = "query($n: Int!) { entry(number: $n) { title moderation contact { email } } }";
    let vars = json!({ "n": 1_000_000 });
    assert!(w.app.data_as(None, q, vars.clone()).await["entry"].is_null());
    assert!(w.app.data_as(Some(&w.partner_b), q, vars.clone()).await["entry"].is_null());
    let own = w.app.data_as(Some(&w.partner_a), q, vars.clone()).await;
    assert_eq!(own["entry"]["contact"]["email"], "amina@example.org");

    // Published, everyone sees it, but only the owner, its region's commission and admins see
    // the contact.
    w.publish(&e["id"]).await;
    for (key, contact) in [
        (None, false),
        (Some(&w.partner_b), false),
        (Some(&w.ece), false),
        (Some(&w.ungis), false),
        (Some(&w.partner_a), true),
        (Some(&w.africa), true),
        (Some(&w.admin), true),
    ] {
        let d = w.app.data_as(key.map(String::as_str), q, vars.clone()).await;
        assert_eq!(d["entry"]["title"], "Rural telecentres");
        assert_eq!(!d["entry"]["contact"].is_null(), contact, "{key:?}");
    }

    // Searchable at once, through the full-text index.
    let s = w
        .app
        .data_as(
            None,
            r#"{ entries(filter: {search: "telecen"}) { nodes { number } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(s["entries"]["nodes"], json!([{ "number": 1_000_000 }]));
    assert_eq!(w.app.rows("changes").await, 3, "created, created, published");
}

#[tokio::test]
async fn who_may_create() {
    let w = World::new().await;
    let (status, res) = w.app.gql_as(None, CREATE, json!({ "input": input("x", "KE") })).await;
    assert_eq!((status.as_u16(), error_code(&res)), (200, "UNAUTHENTICATED"));
    for key in [&w.africa, &w.ungis] {
        let (_, res) = w
            .app
            .gql_as(Some(key), CREATE, json!({ "input": input("x", "KE") }))
            .await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{res}");
    }
    let mut other = input("x", "KE");
    other["organisation"] = json!(w.org_b);
    let (_, res) = w
        .app
        .gql_as(Some(&w.partner_a), CREATE, json!({ "input": other }))
        .await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let (_, res) = w
        .app
        .gql_as(Some(&w.admin), CREATE, json!({ "input": input("x", "KE") }))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "input.organisation");
    let mut named = input("By ITU", "FR");
    named["organisation"] = json!(w.org_b);
    let e = w.create(&w.admin, named).await;
    assert_eq!(e["organisation"]["name"], "Fondation Numérique");
    assert_eq!(w.app.rows("entries").await, 1);
}

#[tokio::test]
async fn every_problem_is_reported_with_its_field_and_nothing_is_written() {
    let w = World::new().await;
    let next = chrono::Datelike::year(&chrono::Utc::now()) + 1;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("title", json!("   "), "input.title"),
        ("title", json!("x".repeat(201)), "input.title"),
        ("description", json!(""), "input.description"),
        ("description", json!("word ".repeat(1100)), "input.description"),
        ("endDate", json!("2020-01-01"), "input.endDate"),
        ("countries", json!(["KE", "XX"]), "input.countries"),
        ("actionLines", json!([]), "input.actionLines"),
        ("actionLines", json!(["C7"]), "input.actionLines"),
        ("sdgs", json!([4, 18]), "input.sdgs"),
        ("website", json!("not a url"), "input.website"),
        ("website", json!("ftp://example.org"), "input.website"),
        ("year", json!(2002), "input.year"),
        ("year", json!(next + 1), "input.year"),
        (
            "contact",
            json!({ "name": "A", "email": "no-at-sign" }),
            "input.contact.email",
        ),
    ];
    for (key, value, field) in cases {
        let mut i = input("Valid title", "KE");
        i[key] = value.clone();
        let (_, res) = w.app.gql_as(Some(&w.partner_a), CREATE, json!({ "input": i })).await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT", "{key}={value}: {res}");
        assert_eq!(res["errors"][0]["extensions"]["field"], field, "{key}={value}: {res}");
    }
    // Several problems at once: all of them, each with its field.
    let mut bad = input("", "ZZ");
    bad["sdgs"] = json!([0]);
    bad["endDate"] = json!("2000-01-01");
    let (_, res) = w.app.gql_as(Some(&w.partner_a), CREATE, json!({ "input": bad })).await;
    let fields: Vec<&str> = res["errors"][0]["extensions"]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| p["field"].as_str().expect("field"))
        .collect();
    assert_eq!(
        fields,
        ["input.title", "input.countries", "input.sdgs", "input.endDate"]
    );
    // An unknown enum value is refused by the schema, with a code too.
    let mut i = input("x", "KE");
    i["activityType"] = json!("PARTY");
    let (_, res) = w.app.gql_as(Some(&w.partner_a), CREATE, json!({ "input": i })).await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    for table in ["entries", "entry_countries", "entry_categories", "contacts", "changes"] {
        assert_eq!(w.app.rows(table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn updates_check_the_version_and_replace_what_they_name() {
    let w = World::new().await;
    let e = w.create(&w.partner_a, input("Telecentres", "KE")).await;
    let id = e["id"].clone();
    let patch = json!({ "title": "Rural telecentres", "countries": ["ken", "UG"], "actionLines": ["C3"] });
    let u = w
        .app
        .data_as(Some(&w.partner_a), UPDATE, json!({ "id": id, "v": 1, "patch": patch }))
        .await["updateEntry"]
        .clone();
    assert_eq!(u["version"], 2);
    assert_eq!(u["title"], "Rural telecentres");
    assert_eq!(u["countries"], json!([{ "code": "KE" }, { "code": "UG" }]));
    assert_eq!(u["actionLines"], json!([{ "code": "C3" }]));
    assert_eq!(u["contact"]["name"], "Amina Otieno", "untouched");
    assert_ne!(u["updatedAt"], json!(null));
    // The full-text index follows the new title at once.
    let found = w
        .app
        .data_as(
            Some(&w.partner_a),
            r#"{ entries(filter: {search: "rural", moderation: [SUBMITTED]}) { nodes { title updatedAt } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(found["entries"]["nodes"][0]["title"], "Rural telecentres");
    assert_eq!(found["entries"]["nodes"][0]["updatedAt"], u["updatedAt"]);

    // A stale version is a conflict naming the current one, and changes nothing.
    let (_, res) = w
        .app
        .gql_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": id, "v": 1, "patch": { "title": "Lost" } }),
        )
        .await;
    assert_eq!(error_code(&res), "CONFLICT");
    assert_eq!(res["errors"][0]["extensions"]["currentVersion"], 2);

    // A patch that changes nothing writes nothing.
    let same = w
        .app
        .data_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": id, "v": 2, "patch": { "title": "Rural telecentres" } }),
        )
        .await;
    assert_eq!(same["updateEntry"]["version"], 2);
    // `null` clears an optional field.
    let cleared = w
        .app
        .data_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": id, "v": 2, "patch": { "contact": null } }),
        )
        .await;
    assert!(cleared["updateEntry"]["contact"].is_null());
    assert_eq!(w.app.rows("contacts").await, 0);

    // Someone else's submission is not there at all; someone else's published entry is refused.
    let (_, res) = w
        .app
        .gql_as(
            Some(&w.partner_b),
            UPDATE,
            json!({ "id": id, "v": 3, "patch": { "title": "Mine" } }),
        )
        .await;
    assert_eq!(error_code(&res), "NOT_FOUND");
    w.publish(&id).await;
    for key in [&w.partner_b, &w.africa, &w.ungis] {
        let (_, res) = w
            .app
            .gql_as(
                Some(key),
                UPDATE,
                json!({ "id": id, "v": 4, "patch": { "title": "Mine" } }),
            )
            .await;
        assert_eq!(error_code(&res), "FORBIDDEN", "{res}");
    }
    let (_, res) = w
        .app
        .gql_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": id, "v": 4, "patch": { "endDate": "2020-01-01" } }),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "patch.endDate");
    // The change log holds one row per write, in order.
    let kinds = change_kinds(&w.app).await;
    assert_eq!(kinds, ["CREATED", "UPDATED", "UPDATED", "PUBLISHED"]);
}

async fn change_kinds(app: &TestApp) -> Vec<String> {
    use sea_orm::{EntityTrait, QueryOrder};
    entity::change::Entity::find()
        .order_by_asc(entity::change::Column::Seq)
        .all(&app.db)
        .await
        .expect("changes")
        .into_iter()
        .map(|c| c.kind.as_str().to_owned())
        .collect()
}

#[tokio::test]
async fn moderation_by_admins_and_the_regions_commissions() {
    let w = World::new().await;
    let kenya = w.create(&w.partner_a, input("Kenyan project", "KE")).await;
    let france = w.create(&w.partner_b, input("French project", "FR")).await;
    let review = "mutation($id: ID!, $d: ReviewDecision!, $note: String) {
        reviewEntry(id: $id, decision: $d, note: $note) { moderation version moderationNote } }";
    // The Africa commission cannot see France's submission; it may not review a published
    // entry outside its region either.
    let (_, res) = w
        .app
        .gql_as(Some(&w.africa), review, json!({ "id": france["id"], "d": "PUBLISH" }))
        .await;
    assert_eq!(error_code(&res), "NOT_FOUND");
    // The owner may not review its own entry; an integration cannot even see it.
    for (key, code) in [(&w.partner_a, "FORBIDDEN"), (&w.ungis, "NOT_FOUND")] {
        let (_, res) = w
            .app
            .gql_as(Some(key), review, json!({ "id": kenya["id"], "d": "PUBLISH" }))
            .await;
        assert_eq!(error_code(&res), code, "{res}");
    }
    let r = w
        .app
        .data_as(
            Some(&w.africa),
            review,
            json!({ "id": kenya["id"], "d": "REJECT", "note": "Please describe the results." }),
        )
        .await;
    assert_eq!(r["reviewEntry"]["moderation"], "REJECTED");
    assert_eq!(r["reviewEntry"]["moderationNote"], "Please describe the results.");
    // The owner reads the note, and its next update submits the entry again.
    let u = w
        .app
        .data_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": kenya["id"], "v": 2, "patch": { "description": "Now with results: 40 centres." } }),
        )
        .await;
    assert_eq!(u["updateEntry"]["moderation"], "SUBMITTED");
    let p = w
        .app
        .data_as(Some(&w.africa), review, json!({ "id": kenya["id"], "d": "PUBLISH" }))
        .await;
    assert_eq!(p["reviewEntry"]["moderation"], "PUBLISHED");
    // A published entry outside the commission's region: visible, but not its to review.
    w.publish(&france["id"]).await;
    let (_, res) = w
        .app
        .gql_as(Some(&w.africa), review, json!({ "id": france["id"], "d": "REJECT" }))
        .await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let (_, res) = w
        .app
        .gql_as(Some(&w.ece), review, json!({ "id": france["id"], "d": "PUBLISH" }))
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT", "already published: {res}");
    let r = w
        .app
        .data_as(Some(&w.ece), review, json!({ "id": france["id"], "d": "REJECT" }))
        .await;
    assert_eq!(r["reviewEntry"]["moderation"], "REJECTED");
    let anon = w.app.data_as(None, "{ entries { totalCount } }", json!({})).await;
    assert_eq!(anon["entries"]["totalCount"], 1);
    assert_eq!(
        change_kinds(&w.app).await,
        [
            "CREATED",
            "CREATED",
            "UPDATED",
            "UPDATED",
            "PUBLISHED",
            "PUBLISHED",
            "REMOVED"
        ]
    );
}

#[tokio::test]
async fn withdrawing_hides_an_entry_for_good() {
    let w = World::new().await;
    let e = w.create(&w.partner_a, input("Short-lived", "KE")).await;
    let v = w.publish(&e["id"]).await["version"].clone();
    let withdraw =
        "mutation($id: ID!, $v: Int!) { withdrawEntry(id: $id, expectedVersion: $v) { moderation version } }";
    let (_, res) = w
        .app
        .gql_as(Some(&w.partner_b), withdraw, json!({ "id": e["id"], "v": v }))
        .await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let (_, res) = w
        .app
        .gql_as(Some(&w.partner_a), withdraw, json!({ "id": e["id"], "v": 1 }))
        .await;
    assert_eq!(error_code(&res), "CONFLICT");
    let d = w
        .app
        .data_as(Some(&w.partner_a), withdraw, json!({ "id": e["id"], "v": v }))
        .await;
    assert_eq!(d["withdrawEntry"]["moderation"], "WITHDRAWN");
    let anon = w.app.data_as(None, "{ entries { totalCount } }", json!({})).await;
    assert_eq!(anon["entries"]["totalCount"], 0);
    let (_, res) = w
        .app
        .gql_as(
            Some(&w.partner_a),
            UPDATE,
            json!({ "id": e["id"], "v": 3, "patch": { "title": "Back" } }),
        )
        .await;
    assert_eq!(error_code(&res), "BAD_USER_INPUT");
    assert_eq!(change_kinds(&w.app).await, ["CREATED", "PUBLISHED", "REMOVED"]);
}

#[tokio::test]
async fn admins_record_prizes() {
    let w = World::new().await;
    let e = w.create(&w.partner_a, input("Prize-worthy", "KE")).await;
    let q = "mutation($id: ID!, $y: Int!, $c: ActionLineCode!, $r: PrizeResult!) {
        recordPrize(entryId: $id, year: $y, category: $c, result: $r) { version prizes { year result category { code } } } }";
    let (_, res) = w
        .app
        .gql_as(
            Some(&w.partner_a),
            q,
            json!({ "id": e["id"], "y": 2025, "c": "C2", "r": "WINNER" }),
        )
        .await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    for (year, cat, field) in [(2002, "C2", "year"), (2025, "C7", "category")] {
        let (_, res) = w
            .app
            .gql_as(
                Some(&w.admin),
                q,
                json!({ "id": e["id"], "y": year, "c": cat, "r": "WINNER" }),
            )
            .await;
        assert_eq!(error_code(&res), "BAD_USER_INPUT");
        assert_eq!(res["errors"][0]["extensions"]["field"], field);
    }
    w.app
        .data_as(
            Some(&w.admin),
            q,
            json!({ "id": e["id"], "y": 2025, "c": "C2", "r": "CHAMPION" }),
        )
        .await;
    let d = w
        .app
        .data_as(
            Some(&w.admin),
            q,
            json!({ "id": e["id"], "y": 2025, "c": "C2", "r": "WINNER" }),
        )
        .await;
    assert_eq!(
        d["recordPrize"]["prizes"],
        json!([{ "year": 2025, "result": "WINNER", "category": { "code": "C2" } }])
    );
    assert_eq!(d["recordPrize"]["version"], 3);
}

const UPSERT: &str = "mutation($inputs: [ExternalEntryInput!]!) {
    upsertEntries(inputs: $inputs) { created updated unchanged entries { number version externalRefs { source externalId } } } }";

#[tokio::test]
async fn integrations_upsert_idempotently_and_atomically() {
    let w = World::new().await;
    let batch: Vec<Value> = (0..3)
        .map(|i| {
            let mut e = input(&format!("UNGIS project {i}"), "KE");
            e["organisation"] = json!(w.org_a);
            e["externalId"] = json!(format!("dtr-{i}"));
            e
        })
        .collect();
    let first = w.app.data_as(Some(&w.ungis), UPSERT, json!({ "inputs": batch })).await;
    assert_eq!(first["upsertEntries"]["created"], 3);
    assert_eq!(
        first["upsertEntries"]["entries"][2]["externalRefs"],
        json!([{ "source": "ungis", "externalId": "dtr-2" }])
    );
    let changes = w.app.rows("changes").await;
    // Replayed: nothing changes, not even a version.
    let again = w.app.data_as(Some(&w.ungis), UPSERT, json!({ "inputs": batch })).await;
    assert_eq!(
        (&again["upsertEntries"]["created"], &again["upsertEntries"]["unchanged"]),
        (&json!(0), &json!(3))
    );
    assert_eq!(again["upsertEntries"]["entries"], first["upsertEntries"]["entries"]);
    assert_eq!(w.app.rows("changes").await, changes);
    // One changed input updates one entry.
    let mut changed = batch.clone();
    changed[1]["title"] = json!("UNGIS project 1, phase 2");
    let third = w
        .app
        .data_as(Some(&w.ungis), UPSERT, json!({ "inputs": changed }))
        .await;
    assert_eq!(third["upsertEntries"]["updated"], 1);
    assert_eq!(third["upsertEntries"]["entries"][1]["version"], 2);
    // One bad input refuses the whole batch.
    let mut bad = changed.clone();
    bad[0]["title"] = json!("Changed again");
    bad.push(json!({ "externalId": "dtr-9", "organisation": w.org_a, "title": "",
        "description": "d", "activityType": "PROJECT", "status": "PLANNED", "coverage": "LOCAL",
        "countries": [], "actionLines": ["C1"], "sdgs": [] }));
    let (_, res) = w.app.gql_as(Some(&w.ungis), UPSERT, json!({ "inputs": bad })).await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "inputs[3].title");
    let titles = w
        .app
        .data_as(
            Some(&w.ungis),
            "{ entries(filter: {moderation: [SUBMITTED]}) { nodes { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(titles["entries"]["nodes"][0]["title"], "UNGIS project 0");
    assert_eq!(w.app.rows("entries").await, 3);
    // Limits and roles.
    let many: Vec<Value> = (0..251)
        .map(|i| {
            let mut e = batch[0].clone();
            e["externalId"] = json!(format!("x-{i}"));
            e
        })
        .collect();
    let (_, res) = w.app.gql_as(Some(&w.ungis), UPSERT, json!({ "inputs": many })).await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "inputs");
    let (_, res) = w.app.gql_as(Some(&w.admin), UPSERT, json!({ "inputs": batch })).await;
    assert_eq!(error_code(&res), "FORBIDDEN");
    let mut dup = batch.clone();
    dup[1]["externalId"] = json!("dtr-0");
    let (_, res) = w.app.gql_as(Some(&w.ungis), UPSERT, json!({ "inputs": dup })).await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "inputs[1].externalId");
}

#[tokio::test]
async fn concurrent_updates_of_one_version_one_wins() {
    let w = World::new().await;
    let e = w.create(&w.partner_a, input("Contended", "KE")).await;
    let id = e["id"].clone();
    let updates = (0..20).map(|i| {
        let app = &w.app;
        let key = w.partner_a.clone();
        let id = id.clone();
        async move {
            app.gql_as(
                Some(&key),
                UPDATE,
                json!({ "id": id, "v": 1, "patch": { "title": format!("Title {i}") } }),
            )
            .await
        }
    });
    let results = futures::future::join_all(updates).await;
    let codes: Vec<&str> = results.iter().map(|(_, r)| error_code(r)).collect();
    assert_eq!(codes.iter().filter(|c| c.is_empty()).count(), 1, "{results:?}");
    assert_eq!(codes.iter().filter(|c| **c == "CONFLICT").count(), 19, "{results:?}");
    let winner = results
        .iter()
        .find(|(_, r)| r.get("errors").is_none())
        .map(|(_, r)| r["data"]["updateEntry"]["title"].clone())
        .expect("a winner");
    let now = w
        .app
        .data_as(
            Some(&w.partner_a),
            "query { entry(number: 1000000) { title version } }",
            json!({}),
        )
        .await;
    assert_eq!(now["entry"]["title"], winner);
    assert_eq!(now["entry"]["version"], 2);

    let creates = (0..20).map(|i| {
        let app = &w.app;
        let key = w.partner_b.clone();
        async move {
            app.gql_as(
                Some(&key),
                CREATE,
                json!({ "input": input(&format!("Parallel {i}"), "FR") }),
            )
            .await
        }
    });
    let results = futures::future::join_all(creates).await;
    assert!(results.iter().all(|(_, r)| r.get("errors").is_none()), "{results:?}");
    let mut numbers: Vec<i64> = results
        .iter()
        .map(|(_, r)| r["data"]["createEntry"]["number"].as_i64().expect("number"))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 20);
    assert_eq!(w.app.rows("entries").await, 21);
    assert_eq!(w.app.rows("changes").await, 22);
}

/// Runs the `stocktaking` binary against the test's database.
pub fn cli(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stocktaking"))
        .args(args)
        .env("DATABASE_URL", &app.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run stocktaking");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_api_key_command_creates_lists_and_revokes() {
    let app = TestApp::new().await;
    let (_, org) = app.organisation("Kenya ICT Authority", "KE").await;
    let (ok, out, err) = cli(
        &app,
        &[
            "api-key",
            "create",
            "--role",
            "partner",
            "--organisation",
            &org,
            "--label",
            "Kenya ICT",
        ],
    );
    assert!(ok, "{err}");
    let key = out.lines().last().expect("the key").to_owned();
    assert!(key.starts_with("stk_") && key.len() >= 40, "{out}");
    let q = "{ viewer { role keyId label organisation { name } } }";
    let v = app.data_as(Some(&key), q, json!({})).await;
    assert_eq!(v["viewer"]["role"], "PARTNER");
    assert_eq!(v["viewer"]["label"], "Kenya ICT");
    assert_eq!(v["viewer"]["organisation"]["name"], "Kenya ICT Authority");
    let id = v["viewer"]["keyId"].as_i64().expect("key id");

    let (ok, list, _) = cli(&app, &["api-key", "list"]);
    assert!(ok);
    assert!(
        list.contains("partner of organisation") && list.contains("Kenya ICT"),
        "{list}"
    );
    assert!(!list.contains(&key), "the key itself is never shown again");

    for args in [
        &["api-key", "create", "--role", "partner"][..],
        &["api-key", "create", "--role", "commission", "--region", "REGION_A"],
        &["api-key", "create", "--role", "admin", "--source", "ungis"],
        &["api-key", "create", "--role", "integration", "--source", "Bad Name"],
        &[
            "api-key",
            "create",
            "--role",
            "partner",
            "--organisation",
            "T3JnYW5pc2F0aW9uOjk5OQ",
        ],
        &["api-key", "create", "--role", "root"],
        &["api-key", "revoke", "999"],
    ] {
        let (ok, _, err) = cli(&app, args);
        assert!(!ok, "{args:?} should fail");
        assert!(!err.trim().is_empty(), "{args:?} explains itself");
    }
    let (ok, out, _) = cli(&app, &["api-key", "create", "--role", "commission", "--region", "eca"]);
    assert!(ok, "{out}");

    let (ok, out, err) = cli(&app, &["api-key", "revoke", &id.to_string()]);
    assert!(ok, "{out}{err}");
    let (status, res) = app.gql_as(Some(&key), q, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&res), "UNAUTHENTICATED");
}
