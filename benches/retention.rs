//! `make bench` (retention part): a retention run over the ended cases of a fresh file of
//! demo cases (`BENCH_RETENTION_CASES`, default 100,000; about half end closed, denied,
//! withdrawn or not covered), as of a day past their 24 months, with `audit verify` after it.
//! The file is made anew each time in /var/tmp (a run reduces it). Prints figures; never
//! asserts a time.

use privacydesk::service::{demo, history, retention};
use privacydesk::store::key::KeySource;
use privacydesk::store::CaseFile;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::var("BENCH_RETENTION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = std::path::PathBuf::from("/var/tmp/privacydesk-bench");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let db = dir.join(format!("retention-{n}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let keys = KeySource::File(db.with_extension("key"));
    let file = CaseFile::open(&db, &keys).await.expect("bench case file opens");
    let now = chrono::Utc::now();
    let start = Instant::now();
    demo::generate(&file, n, 42, now, |_| {}).await.expect("demo cases");
    println!("demo --cases {n}: {:.1} s", start.elapsed().as_secs_f64());
    let later = now + chrono::Duration::days(3 * 366);
    let start = Instant::now();
    let plan = retention::plan(&file, None, later).await.expect("plan");
    println!(
        "retention run --dry-run: {} cases due, {:.2} s",
        plan.cases.len(),
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let report = retention::run(&file, None, later, "bench", &AtomicBool::new(false), |_, _| {})
        .await
        .expect("run");
    println!(
        "retention run: {} cases reduced in {} batches, {} history payloads purged, {:.1} s",
        report.cases.len(),
        report.cases.len().div_ceil(retention::BATCH),
        report.history_payloads,
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let verdict = history::verify_audit(&file).await.expect("verify");
    println!(
        "audit verify after it: {verdict:?}, {:.1} s",
        start.elapsed().as_secs_f64()
    );
}
