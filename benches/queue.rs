//! `make bench` (queue part): first-page queue queries, a full-text search and one intake on a
//! large encrypted case file. The file is built once with the demo generator and kept
//! (`BENCH_QUEUE_DB`, default /var/tmp/privacydesk-bench/queue-<N>.db); `BENCH_QUEUE_CASES`
//! sets its size (default 100,000). Prints figures; never asserts a time.

use privacydesk::domain::{Channel, NewCase, RequestKind, Requester};
use privacydesk::service::cases::log_request;
use privacydesk::service::deadlines::queue;
use privacydesk::service::demo;
use privacydesk::store::key::KeySource;
use privacydesk::store::queue::QueueQuery;
use privacydesk::store::CaseFile;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::var("BENCH_QUEUE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let db = std::env::var_os("BENCH_QUEUE_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("/var/tmp/privacydesk-bench/queue-{n}.db")));
    let keys = KeySource::File(db.with_extension("key"));
    let existed = db.exists();
    let file = CaseFile::open(&db, &keys).await.expect("bench case file opens");
    let now = chrono::Utc::now();
    if !existed {
        let start = Instant::now();
        demo::generate(&file, n, 42, now, |_| {}).await.expect("demo cases");
        println!("demo --cases {n}: {:.1} s", start.elapsed().as_secs_f64());
    }
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(format!("{}-wal", db.display()))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "case file with {n} cases: {:.0} MiB (encrypted)",
        size as f64 / 1048576.0
    );

    let queries = [
        (
            "open cases, newest first",
            QueueQuery {
                open_only: true,
                ..Default::default()
            },
        ),
        ("all cases, newest first", QueueQuery::default()),
        (
            "status + kind",
            QueueQuery {
                status: Some(privacydesk::domain::CaseStatus::Verifying),
                kind: Some(RequestKind::Delete),
                ..Default::default()
            },
        ),
        (
            "open cases, next due first",
            QueueQuery {
                open_only: true,
                sort: privacydesk::store::queue::QueueSort::NextDue,
                ..Default::default()
            },
        ),
        (
            "search: common surname",
            QueueQuery {
                search: Some("Nguyen".into()),
                ..Default::default()
            },
        ),
        (
            "search: name + word",
            QueueQuery {
                search: Some("Żółć payroll".into()),
                ..Default::default()
            },
        ),
        (
            "search: first and last name",
            QueueQuery {
                search: Some("Quiñones Ximena".into()),
                ..Default::default()
            },
        ),
        (
            "search: open cases, common surname",
            QueueQuery {
                open_only: true,
                search: Some("Nguyen".into()),
                ..Default::default()
            },
        ),
        (
            "search: email address",
            QueueQuery {
                search: Some("bench7@example.com".into()),
                ..Default::default()
            },
        ),
        (
            "search: case number",
            QueueQuery {
                search: Some("PR-2026-00042".into()),
                ..Default::default()
            },
        ),
        (
            "search: a word in most requests",
            QueueQuery {
                search: Some("payroll".into()),
                ..Default::default()
            },
        ),
    ];
    for (what, q) in &queries {
        let _ = queue(&file, q, now).await.expect("warm-up");
        let mut measured = Vec::with_capacity(15);
        for _ in 0..15 {
            let start = Instant::now();
            let page = queue(&file, q, now).await.expect("page");
            measured.push(start.elapsed());
            assert!(page.rows.len() <= 50);
        }
        println!("first page, {what}: median {:.2} ms", median(measured));
    }

    let mut intake = Vec::new();
    for i in 0..20 {
        let input = NewCase {
            requester: Requester {
                name: format!("Bench Person {i}"),
                email: Some(format!("bench{i}@example.com")),
                ..Default::default()
            },
            channel: Channel::Email,
            kinds: vec![RequestKind::Delete],
            received: now.to_rfc3339(),
            details: Default::default(),
        };
        let start = Instant::now();
        log_request(&file, &input, now, "bench").await.expect("intake");
        intake.push(start.elapsed());
    }
    println!(
        "intake of one case (case, kinds, search row, audit event): median {:.2} ms",
        median(intake)
    );
}
