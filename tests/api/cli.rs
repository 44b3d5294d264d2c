//! First run, as a newcomer meets it: `stocktaking` alone reads the serve variables, binds its
//! port before anything else, logs plain lines, and `.env.sample` names only real variables.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_stocktaking");

#[test]
fn bare_stocktaking_reads_the_serve_variables_and_binds_first() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("first.db");
    let started = Instant::now();
    let out = Command::new(BIN)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", db.display()))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("binding 127.0.0.1:{port}")), "{stderr}");
    // At once, before the database is created or the demo loaded.
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(!db.exists(), "nothing written before the port was bound");
}

/// A port free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn post(port: u16, body: &str) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn the_server_honours_no_demo_and_logs_plain_lines() {
    let port = free_port();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(BIN)
        .env("BIND", format!("127.0.0.1:{port}"))
        .env("NO_DEMO", "true")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display()),
        )
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut log = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !log.contains("serving GraphQL") {
        assert!(Instant::now() < deadline, "{log}");
        if stderr.read_line(&mut log).expect("log") == 0 {
            panic!("the server stopped: {log}");
        }
    }
    let answer = post(port, r#"{"query":"{ entries { totalCount } }"}"#);
    assert!(
        answer.contains(r#"{"data":{"entries":{"totalCount":0}}"#),
        "NO_DEMO: {answer}"
    );
    while !log.contains("graphql request") {
        assert!(Instant::now() < deadline, "{log}");
        if stderr.read_line(&mut log).expect("log") == 0 {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(!log.contains('\u{1b}'), "no colours in a file: {log:?}");
    let line = log
        .lines()
        .find(|l| l.contains("graphql request"))
        .expect("a request line");
    assert_eq!(line.matches("sql_ms").count(), 1, "{line}");
    assert_eq!(line.matches("sql_statements").count(), 1, "{line}");
    for part in line.split(|c: char| c.is_whitespace() || c == '{' || c == '}') {
        if let Some((key, value)) = part.split_once('=')
            && key.ends_with("ms")
        {
            let decimals = value.split_once('.').map_or(0, |(_, d)| d.len());
            assert!(decimals <= 2, "{key}={value} in {line}");
        }
    }
}

#[test]
fn every_variable_of_the_env_sample_is_read() {
    let help = Command::new(BIN).args(["serve", "--help"]).output().expect("help");
    let help = String::from_utf8_lossy(&help.stdout);
    let known: Vec<&str> = help
        .split("[env: ")
        .skip(1)
        .filter_map(|s| s.split('=').next())
        .collect();
    let sample = std::fs::read_to_string(".env.sample").expect(".env.sample");
    let mut checked = 0;
    for line in sample.lines() {
        let line = line.trim_start_matches('#').trim();
        let Some((name, _)) = line.split_once('=') else {
            continue;
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        // RUST_LOG is tracing's own.
        if name != "RUST_LOG" {
            assert!(known.contains(&name), "{name} is not a variable of `stocktaking serve`");
        }
        checked += 1;
    }
    assert!(checked > 10, "{checked}");
}
