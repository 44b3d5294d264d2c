//! A typed client from the running server, as the README shows a partner: GraphQL Code
//! Generator (tests/client/) reads the schema by introspection and types the operations, and
//! TypeScript checks a client written against those types. `.ci/run` installs the tools; outside
//! CI the test says it is skipped when they are missing.

use std::path::Path;

use crate::helpers::{Running, TestApp, test_options, tools_ready};

fn run(dir: &Path, program: &str, args: &[&str], url: &str) -> std::process::Output {
    std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("STOCKTAKING_URL", url)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_code_generator_makes_a_typed_client_from_the_running_server() {
    let dir = Path::new("tests/client");
    if !tools_ready(
        dir.join("node_modules/.bin/graphql-codegen").exists(),
        "`npm ci --prefix tests/client`",
    ) {
        return;
    }
    let app = TestApp::demo().await;
    let server = Running::start(&app, test_options()).await;
    let url = format!("http://{}/graphql", server.addr);
    let out = tokio::task::spawn_blocking(move || {
        let generated = run(
            Path::new("tests/client"),
            "npx",
            &["graphql-codegen", "--config", "codegen.ts"],
            &url,
        );
        let checked = run(Path::new("tests/client"), "npx", &["tsc", "-p", "."], &url);
        (generated, checked)
    })
    .await
    .expect("tools");
    let (generated, checked) = out;
    assert!(
        generated.status.success(),
        "codegen: {}{}",
        String::from_utf8_lossy(&generated.stdout),
        String::from_utf8_lossy(&generated.stderr)
    );
    assert!(
        checked.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    let types = std::fs::read_to_string(dir.join("generated/graphql.ts")).expect("generated types");
    assert!(
        types.contains("export type AfricanHealthQuery"),
        "the operation is typed"
    );
    assert!(types.contains("OrganisationConnection"), "the whole schema is typed");
    server.stopped().await.expect("server stops");
}
