//! `make bench` (verification part): deleting what 10,000 people gave to verify their identity
//! (11 CCR § 7060(d)), one case at a time as each close does (its own write, its history event,
//! `secure_delete` overwriting the freed bytes). Three data points per case. Prints figures;
//! never asserts a time.

use privacydesk::domain::verification::PointResult;
use privacydesk::domain::{CaseStatus, Channel, NewCase, RequestKind, Requester};
use privacydesk::service::intake::log_requests;
use privacydesk::service::verification as verify;
use privacydesk::store::key::KeySource;
use privacydesk::store::{cases, verification, CaseFile};
use std::time::{Duration, Instant};

const CASES: usize = 10_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("verification.db");
    let file = CaseFile::open(&db, &KeySource::File(dir.path().join("verification.key")))
        .await
        .expect("case file");
    let now = chrono::Utc::now();
    let inputs: Vec<NewCase> = (0..CASES)
        .map(|i| NewCase {
            requester: Requester {
                name: format!("Person {i}"),
                email: Some(format!("person{i}@example.org")),
                phone: None,
                address: None,
            },
            channel: Channel::Email,
            kinds: vec![RequestKind::Delete],
            received: (now - chrono::Duration::days(10)).to_rfc3339(),
            details: Default::default(),
        })
        .collect();
    let numbers = log_requests(&file, &inputs.iter().collect::<Vec<_>>(), now, "bench")
        .await
        .expect("cases");
    // Three values per case and every case answered, in one write (the set-up is not measured).
    {
        let mut tx = file.write().await.expect("write");
        for (i, number) in numbers.iter().enumerate() {
            let id = cases::id_of(&mut tx, *number).await.expect("id").expect("case");
            for (field, value) in [
                ("employee-id", format!("E-{i:06}")),
                (
                    "date-of-birth",
                    format!("19{:02}-0{}-1{}", 50 + i % 40, 1 + i % 9, i % 10),
                ),
                ("personal-phone", format!("(415) 555-{:04}", i % 10_000)),
            ] {
                verification::put_point_in_tx(&mut tx, id, field, &value, PointResult::Matched, "bench", now)
                    .await
                    .expect("point");
            }
            cases::set_status_in_tx(&mut tx, *number, CaseStatus::New, CaseStatus::Responded, now)
                .await
                .expect("answered");
        }
        tx.commit().await.expect("commit");
    }
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut times = Vec::with_capacity(CASES);
    for number in &numbers {
        let one = Instant::now();
        verify::purge(&file, *number, now, "bench").await.expect("purged");
        let took = one.elapsed();
        slowest = slowest.max(took);
        times.push(took);
    }
    let total = started.elapsed();
    times.sort();
    println!(
        "purge of {CASES} answered cases' verification data (3 values each, one write per case): {:.2} s in all, median {:.2} ms, 99th percentile {:.2} ms, slowest {:.2} ms",
        total.as_secs_f64(),
        times[CASES / 2].as_secs_f64() * 1e3,
        times[CASES * 99 / 100].as_secs_f64() * 1e3,
        slowest.as_secs_f64() * 1e3
    );
}
