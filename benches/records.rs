//! `make bench` (records part): the § 7102 metrics of one calendar year and the § 7101 log of
//! that year (CSV), on a large encrypted case file of demo cases, with the process's peak
//! memory. The file is built once with the demo generator and kept (`BENCH_RECORDS_DB`,
//! default /var/tmp/privacydesk-bench/records-<N>.db); `BENCH_RECORDS_CASES` sets its size
//! (default 1,000,000). The year measured is the one with the most cases received. Prints
//! figures; never asserts a time.

use chrono::Datelike;
use privacydesk::service::{demo, records};
use privacydesk::store::key::KeySource;
use privacydesk::store::CaseFile;
use std::path::PathBuf;
use std::time::Instant;

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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::var("BENCH_RECORDS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let db = std::env::var_os("BENCH_RECORDS_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("/var/tmp/privacydesk-bench/records-{n}.db")));
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir).expect("bench folder");
    }
    let keys = KeySource::File(db.with_extension("key"));
    let existed = db.exists();
    let file = CaseFile::open(&db, &keys).await.expect("bench case file opens");
    let now = chrono::Utc::now();
    if !existed {
        let start = Instant::now();
        demo::generate(&file, n, 42, now, |_| {}).await.expect("demo cases");
        println!("demo --cases {n}: {:.1} s", start.elapsed().as_secs_f64());
    }
    let (mut best, mut most) = (now.year(), 0usize);
    for year in (now.year() - 3)..=now.year() {
        let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).expect("a year");
        let to = chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("a year");
        let mut conn = file.read().await.expect("snapshot");
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM privacy_case WHERE received_date BETWEEN ?1 AND ?2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&mut *conn)
            .await
            .expect("count");
        if count as usize > most {
            (best, most) = (year, count as usize);
        }
    }
    let mut times = Vec::new();
    let mut received = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let m = records::metrics(&file, best, false, now).await.expect("metrics");
        times.push(start.elapsed().as_secs_f64());
        received = m.months.iter().sum::<u64>();
    }
    times.sort_by(f64::total_cmp);
    println!(
        "report metrics --year {best} over {received} cases received that year ({n} in the file): median {:.2} s (of 3: {:.2}–{:.2} s)",
        times[1], times[0], times[2]
    );
    let from = chrono::NaiveDate::from_ymd_opt(best, 1, 1).expect("a year");
    let to = chrono::NaiveDate::from_ymd_opt(best, 12, 31).expect("a year");
    let start = Instant::now();
    let lines = records::records_log(&file, from, to, false).await.expect("log");
    let csv = records::log_csv(&lines);
    println!(
        "report records {best} as CSV: {} cases, {:.0} MiB, {:.2} s",
        lines.len(),
        csv.len() as f64 / 1048576.0,
        start.elapsed().as_secs_f64()
    );
    println!("peak memory: {:.0} MiB", peak_mib());
}
