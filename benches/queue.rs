//! `make bench` (queue part): first-page queue queries and searches on a large encrypted case
//! file, each beside the floor — the same page read by one plain SQL statement on the same
//! connection settings — then one intake, and `audit verify` over the whole file with the
//! process's peak memory. The file is built once with the demo generator and kept
//! (`BENCH_QUEUE_DB`, default /var/tmp/privacydesk-bench/queue-<N>.db); `BENCH_QUEUE_CASES`
//! sets its size (default 100,000). Prints figures; never asserts a time.

use privacydesk::domain::queue::{QueueQuery, QueueSort};
use privacydesk::domain::{Channel, NewCase, RequestKind, Requester};
use privacydesk::service::intake::log_request;
use privacydesk::service::queue::queue;
use privacydesk::service::{demo, history};
use privacydesk::store::key::KeySource;
use privacydesk::store::CaseFile;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e3
}

/// Peak resident memory of this process so far (VmHWM), MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// The columns a queue row shows, as one plain statement reads them.
const ROW: &str = "SELECT c.id, c.number, r.name, c.kinds, c.received_date, c.channel, c.status, c.coverage, \
     c.coverage_reason, c.assignee, c.next_due, c.next_clock FROM privacy_case c";
const OPEN: &str = "c.status IN ('new', 'acknowledged', 'verifying', 'in-progress')";

/// The floor for a page: one statement, its rows read, on a connection of the same pool.
async fn raw_page(file: &CaseFile, sql: &str) -> Duration {
    let mut conn = file.pool().acquire().await.expect("connection");
    let _ = sqlx::query(sql).fetch_all(&mut *conn).await.expect("raw page");
    let mut measured = Vec::with_capacity(15);
    for _ in 0..15 {
        let start = Instant::now();
        let rows = sqlx::query(sql).fetch_all(&mut *conn).await.expect("raw page");
        measured.push(start.elapsed());
        assert!(rows.len() <= 51);
    }
    measured.sort();
    measured[measured.len() / 2]
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

    let join = " LEFT JOIN requester r ON r.id = c.requester_id";
    let newest = "ORDER BY c.received_at DESC, c.id DESC LIMIT 51";
    let queries: Vec<(&str, QueueQuery, String)> = vec![
        (
            "open cases, newest first",
            QueueQuery {
                open_only: true,
                ..Default::default()
            },
            format!("{ROW} INDEXED BY privacy_case_open_by_received{join} WHERE {OPEN} {newest}"),
        ),
        ("all cases, newest first", QueueQuery::default(), format!("{ROW}{join} {newest}")),
        (
            "status + kind",
            QueueQuery {
                status: Some(privacydesk::domain::CaseStatus::Verifying),
                kind: Some(RequestKind::Delete),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.status = 'verifying' AND EXISTS (SELECT 1 FROM case_request_kind k WHERE k.case_id = c.id AND k.kind = 'delete') {newest}"),
        ),
        (
            "open cases, next due first",
            QueueQuery {
                open_only: true,
                sort: QueueSort::NextDue,
                ..Default::default()
            },
            format!("{ROW} INDEXED BY privacy_case_by_next_due{join} WHERE {OPEN} ORDER BY (c.next_due IS NULL), c.next_due, c.id LIMIT 51"),
        ),
        (
            "all cases, number order",
            QueueQuery {
                sort: QueueSort::Number,
                ..Default::default()
            },
            format!("{ROW}{join} ORDER BY c.number_year, c.number_seq LIMIT 51"),
        ),
        (
            "search: case number",
            QueueQuery {
                search: Some("PR-2026-00042".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.number = 'PR-2026-00042' {newest}"),
        ),
        (
            "search: start of a case number",
            QueueQuery {
                search: Some("PR-2026-0004".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.number >= 'PR-2026-0004' AND c.number < 'PR-2026-0005' {newest}"),
        ),
        (
            "search: common surname",
            QueueQuery {
                search: Some("Nguyen".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '\"Nguyen\"*') {newest}"),
        ),
        (
            "search: name + word",
            QueueQuery {
                search: Some("Żółć payroll".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '(\"Żółć\" OR \"Zolc\") AND \"payroll\"*') {newest}"),
        ),
        (
            "search: first and last name",
            QueueQuery {
                search: Some("Quiñones Ximena".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '(\"Quiñones\" OR \"Quinones\") AND \"Ximena\"*') {newest}"),
        ),
        (
            "search: open cases, common surname",
            QueueQuery {
                open_only: true,
                search: Some("Nguyen".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE {OPEN} AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '\"Nguyen\"*') {newest}"),
        ),
        (
            "search: email address",
            QueueQuery {
                search: Some("bench7@example.com".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '\"bench7@example.com\"') {newest}"),
        ),
        (
            "search: a word in most requests",
            QueueQuery {
                search: Some("payroll".into()),
                ..Default::default()
            },
            format!("{ROW}{join} WHERE c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH '\"payroll\"*') {newest}"),
        ),
    ];
    for (what, q, raw) in &queries {
        let _ = queue(&file, q, now).await.expect("warm-up");
        let mut measured = Vec::with_capacity(15);
        for _ in 0..15 {
            let start = Instant::now();
            let page = queue(&file, q, now).await.expect("page");
            measured.push(start.elapsed());
            assert!(page.rows.len() <= 50);
        }
        let core = median(measured);
        let floor = raw_page(&file, raw).await.as_secs_f64() * 1e3;
        println!(
            "first page, {what}: core {core:.2} ms, one plain statement {floor:.2} ms ({:.1}x)",
            core / floor
        );
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

    let before = peak_mib();
    let start = Instant::now();
    let report = history::verify_audit(&file).await.expect("verify");
    println!(
        "audit verify over the whole file: {:.2} s, peak memory {:.0} MiB (was {before:.0} MiB before it): {report:?}",
        start.elapsed().as_secs_f64(),
        peak_mib()
    );
}
