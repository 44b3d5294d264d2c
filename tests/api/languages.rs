//! Search in the six UN languages, the same on both backends: case and accent folding, Arabic
//! diacritics and article, Chinese runs of two or more characters, English plurals.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::writes::{World, input};

/// The entries written, `(title, description)`, in Arabic, Chinese, English, French, Russian and
/// Spanish.
const ENTRIES: [(&str, &str); 12] = [
    (
        "Schools Connectivity Programme",
        "Broadband for rural schools and their teachers.",
    ),
    ("School of the Air", "Radio lessons for remote pupils."),
    (
        "Réseau national de télémédecine",
        "Santé numérique pour les communautés rurales.",
    ),
    ("Programme ÉCOLE numérique", "Des tablettes pour les écoles primaires."),
    (
        "Red de telemedicina en zonas rurales",
        "Atención médica a distancia para la población.",
    ),
    ("Телемедицинская сеть", "Здравоохранение для отдалённых районов."),
    ("Цифровая Россия", "Национальная программа цифровой экономики."),
    ("الشبكة الوطنية للتطبيب عن بعد", "تحسين الصِّحَّة في المناطق الريفية."),
    ("بوابة الخدمات الحكومية الإلكترونية", "خدمات إلكترونية للمواطنين."),
    ("远程医疗服务网络", "为农村地区提供医疗服务。"),
    ("农村学校远程教育项目", "在线教育平台。"),
    ("Digital Ulaanbaatar", "Mobile services for citizens."),
];

/// `(query, titles it finds)`, per language.
const TABLE: &[(&str, &[&str])] = &[
    // English: singular and plural find each other.
    ("school", &["Schools Connectivity Programme", "School of the Air"]),
    ("schools", &["Schools Connectivity Programme", "School of the Air"]),
    ("rural schools", &["Schools Connectivity Programme"]),
    ("teacher", &["Schools Connectivity Programme"]),
    // French: accents and case fold.
    ("telemedecine", &["Réseau national de télémédecine"]),
    ("TÉLÉMÉDECINE", &["Réseau national de télémédecine"]),
    ("sante", &["Réseau national de télémédecine"]),
    ("ÉCOLE", &["Programme ÉCOLE numérique"]),
    ("école", &["Programme ÉCOLE numérique"]),
    (
        "numerique",
        &["Réseau national de télémédecine", "Programme ÉCOLE numérique"],
    ),
    // Spanish.
    ("atencion medica", &["Red de telemedicina en zonas rurales"]),
    (
        "telemed",
        &[
            "Réseau national de télémédecine",
            "Red de telemedicina en zonas rurales",
        ],
    ),
    ("zona rural", &["Red de telemedicina en zonas rurales"]),
    // Russian: case folds, ё is е.
    ("Россия", &["Цифровая Россия"]),
    ("РОССИЯ", &["Цифровая Россия"]),
    ("отдаленных", &["Телемедицинская сеть"]),
    ("телемедицин", &["Телемедицинская сеть"]),
    // Arabic: with or without diacritics, with or without the article.
    ("صحة", &["الشبكة الوطنية للتطبيب عن بعد"]),
    ("الصحة", &["الشبكة الوطنية للتطبيب عن بعد"]),
    ("الصِّحَّة", &["الشبكة الوطنية للتطبيب عن بعد"]),
    ("تطبيب", &["الشبكة الوطنية للتطبيب عن بعد"]),
    ("إلكترونية", &["بوابة الخدمات الحكومية الإلكترونية"]),
    ("الخدمات", &["بوابة الخدمات الحكومية الإلكترونية"]),
    // Chinese: any run of two or more characters.
    ("远程医疗", &["远程医疗服务网络"]),
    ("医疗服务", &["远程医疗服务网络"]),
    ("远程", &["远程医疗服务网络", "农村学校远程教育项目"]),
    ("农村", &["远程医疗服务网络", "农村学校远程教育项目"]),
    ("教育平台", &["农村学校远程教育项目"]),
    ("医服", &[]),
];

const SEARCH: &str = "query($q: String!) {
  entries(filter: {search: $q}, first: 50) { totalCount nodes { title description organisation { name } } } }";

#[tokio::test]
async fn each_language_finds_its_entries() {
    let w = World::new().await;
    for (title, description) in ENTRIES {
        let mut entry = input(title, "KE");
        entry["description"] = json!(description);
        let created = w.create(&w.partner_a, entry).await;
        assert!(created["id"].is_string(), "{created}");
        w.publish(&created["id"]).await;
    }
    for (q, expected) in TABLE {
        let d = w.app.data(SEARCH, json!({ "q": q })).await;
        let mut found: Vec<&str> = d["entries"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["title"].as_str())
            .collect();
        found.sort_unstable();
        let mut want = expected.to_vec();
        want.sort_unstable();
        assert_eq!(found, want, "{q}");
        assert_eq!(d["entries"]["totalCount"], json!(want.len()), "{q}");
    }
}

/// Every result holds each folded word of the search (the last as a word's beginning).
fn holds(node: &Value, q: &str) -> bool {
    let text = format!(
        "{} {} {}",
        node["title"], node["description"], node["organisation"]["name"]
    );
    let doc = stocktaking::fold::document(&text);
    let tokens: Vec<&str> = doc.split(' ').collect();
    let words = stocktaking::fold::document(q);
    let words: Vec<&str> = words.split(' ').collect();
    words.iter().enumerate().all(|(i, w)| {
        if i + 1 == words.len() {
            tokens.iter().any(|t| t.starts_with(w))
        } else {
            tokens.contains(w)
        }
    })
}

#[tokio::test]
async fn the_demo_is_searchable_in_every_language() {
    let app = TestApp::demo().await;
    for q in [
        "télémédecine",
        "telemedicina",
        "tele",
        "تطبيب",
        "الإلكترونية",
        "цифровой",
        "数字",
        "平台",
    ] {
        let d = app.data(SEARCH, json!({ "q": q })).await;
        let nodes = d["entries"]["nodes"].as_array().cloned().unwrap_or_default();
        assert!(!nodes.is_empty(), "{q} finds demo entries");
        for n in &nodes {
            assert!(holds(n, q), "{q}: {n}");
        }
    }
}

/// After the migration that emptied the index (or a restore), the server refills it at start
/// from the stored rows: the same results as before.
#[tokio::test]
async fn an_emptied_index_is_refilled() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::demo().await;
    let before = app.data(SEARCH, json!({ "q": "digital" })).await;
    assert!(before["entries"]["totalCount"].as_i64().unwrap_or(0) > 0);
    let empty = match app.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "DELETE FROM entry_search",
        _ => "DELETE FROM entries_fts",
    };
    app.db.execute_unprepared(empty).await.expect("empty the index");
    assert_eq!(
        app.data(SEARCH, json!({ "q": "digital" })).await["entries"]["totalCount"],
        0
    );
    let indexed = stocktaking::store::search::ensure_index(&app.db).await.expect("refill");
    assert_eq!(indexed as i64, app.rows("entries").await);
    assert_eq!(app.data(SEARCH, json!({ "q": "digital" })).await, before);
    assert_eq!(
        stocktaking::store::search::ensure_index(&app.db).await.expect("again"),
        0
    );
}
