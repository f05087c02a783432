//! `make bench`: how long the deadline dashboard takes to derive every clock of 1,000,000 open
//! cases (issue: under 200 ms on the 2-core reference machine). Not a test: it prints figures.
//!
//! Cases are generated in memory (a fixed-seed generator, so runs compare): receipt dates over
//! the last 120 days, a realistic mix of request kinds, a third already acknowledged and a few
//! extended. What is timed is `service::queue::dashboard_of`, the same function the app's
//! dashboard runs after loading the open cases.

use chrono::{Duration, NaiveDate};
use privacydesk::domain::clock::{self, Acknowledgment, ClockFacts, Extension};
use privacydesk::domain::deadline::ClockSettings;
use privacydesk::domain::{CaseNumber, CaseStatus, Channel, RequestKind};
use privacydesk::service::demo::Rng;
use privacydesk::service::queue::dashboard_of;
use privacydesk::store::clocks::CaseClockRecord;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("BENCH_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid");
    use RequestKind::*;
    let mixes: [&[RequestKind]; 6] = [
        &[Delete],
        &[KnowCategories],
        &[KnowSpecific, Delete],
        &[OptOut],
        &[Limit, OptOut],
        &[Correct],
    ];
    let mut rng = Rng::new(42);
    let records: Vec<CaseClockRecord> = (0..n)
        .map(|i| {
            let received = today - Duration::days((rng.next_u64() % 120) as i64);
            let roll = rng.next_u64() % 100;
            CaseClockRecord {
                id: i as i64,
                number: CaseNumber {
                    year: 2026,
                    sequence: i as u32 + 1,
                },
                requester: format!("Requester {i}"),
                status: CaseStatus::New,
                facts: ClockFacts {
                    received_date: received,
                    time_zone: "America/Los_Angeles".to_owned(),
                    kinds: mixes[(rng.next_u64() % mixes.len() as u64) as usize].to_vec(),
                    acknowledgment: (roll < 33).then(|| Acknowledgment {
                        on: received + Duration::days(3),
                        channel: Channel::Email,
                    }),
                    extension: (roll >= 95).then(|| Extension {
                        reason: "Volume".to_owned(),
                        notice_on: received + Duration::days(40),
                    }),
                    responded_on: None,
                    complied_on: None,
                },
            }
        })
        .collect();
    let settings = ClockSettings::default();

    // 1. Every clock of every case: due date and state, as the dashboard derives them.
    let calendar = settings.business_calendar();
    let mut times = Vec::new();
    let mut pending_count = 0;
    for _ in 0..7 {
        let start = Instant::now();
        pending_count = records
            .iter()
            .map(|r| clock::pending(&r.facts, today, &calendar, settings.rules()).len())
            .sum::<usize>();
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "every clock of {n} cases: median {:.1} ms, best {:.1} ms ({pending_count} clocks pending)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
    );

    // 2. The whole dashboard: the same, plus the three lists built and sorted.
    let warm = dashboard_of(&records, today, &settings);
    let mut times = Vec::new();
    for _ in 0..7 {
        let start = Instant::now();
        let board = dashboard_of(&records, today, &settings);
        times.push(start.elapsed());
        assert_eq!(
            board.overdue.len(),
            warm.overdue.len(),
            "the same input gives the same dashboard"
        );
    }
    times.sort();
    println!(
        "dashboard over {n} open cases: median {:.1} ms, best {:.1} ms, worst {:.1} ms ({} overdue, {} due today, {} due within 7 days)",
        times[times.len() / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        warm.overdue.len(),
        warm.due_today.len(),
        warm.due_soon.len(),
    );
}
