//! The deadline engine on a real case file: clocks derived from stored cases, the acts that meet
//! them, the extension refusals of § 7021(b), the dashboard and the clock settings.

use crate::support::{sample_request, TempCaseFile, ACTOR};
use chrono::{DateTime, NaiveDate, Utc};
use privacydesk::domain::calendar::CalendarPreset;
use privacydesk::domain::clock::{Acknowledgment, ClockState, Extension};
use privacydesk::domain::deadline::{ClockKind, ClockSettings, ReceiptDay};
use privacydesk::domain::{Channel, RequestKind};
use privacydesk::service::case_view::CaseClocks;
use privacydesk::service::clocks::{self as deadlines, ActInput};
use privacydesk::service::intake::log_request;
use privacydesk::service::queue;
use privacydesk::service::{AppError, ErrorCode};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn state_of(clocks: &CaseClocks, clock: ClockKind) -> (NaiveDate, ClockState) {
    let v = clocks
        .clocks
        .iter()
        .find(|v| v.deadline.clock == clock)
        .expect("clock present");
    (v.deadline.due, v.state)
}

#[tokio::test]
async fn stored_case_clocks_and_the_acts_that_meet_them_section_7021() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(
        &file,
        &sample_request("Ana", "2026-03-02T17:05:00Z"),
        at("2026-03-02T18:00:00Z"),
        ACTOR,
    )
    .await
    .unwrap();

    let clocks = crate::support::clocks_at(&file, case.number, at("2026-03-10T20:00:00Z")).await;
    assert_eq!(clocks.today, d("2026-03-10"));
    assert_eq!(
        state_of(&clocks, ClockKind::Acknowledge),
        (d("2026-03-16"), ClockState::Open)
    );
    assert_eq!(
        state_of(&clocks, ClockKind::Respond),
        (d("2026-04-15"), ClockState::Open)
    );

    let ack = Acknowledgment {
        on: d("2026-03-09"),
        channel: Channel::Email,
    };
    let clocks = deadlines::record_acknowledgment(&file, case.number, &ack, at("2026-03-10T20:00:00Z"), ACTOR)
        .await
        .unwrap()
        .clocks;
    assert_eq!(state_of(&clocks, ClockKind::Acknowledge).1, ClockState::Met);
    let again = deadlines::record_acknowledgment(&file, case.number, &ack, at("2026-03-10T20:00:00Z"), ACTOR)
        .await
        .unwrap_err();
    assert_eq!(AppError::from(again).code, ErrorCode::AlreadyRecorded);

    let queue = queue::queue(&file, &Default::default(), at("2026-03-10T20:00:00Z"))
        .await
        .unwrap()
        .rows;
    assert_eq!(
        queue[0].status.token(),
        "acknowledged",
        "recording the acknowledgment moves a new case on"
    );
    assert_eq!(
        queue[0].next.as_ref().map(|n| (n.clock, n.due)),
        Some((ClockKind::Respond, d("2026-04-15")))
    );

    let sent = ActInput {
        clock: ClockKind::Respond,
        on: d("2026-04-01"),
    };
    let clocks = deadlines::record_act(&file, case.number, &sent, at("2026-04-02T20:00:00Z"), ACTOR)
        .await
        .unwrap()
        .clocks;
    assert_eq!(state_of(&clocks, ClockKind::Respond).1, ClockState::Met);
}

#[tokio::test]
async fn an_extension_after_day_45_is_refused_and_nothing_is_stored_section_7021b() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let case = log_request(
        &file,
        &sample_request("Ana", "2026-03-02"),
        at("2026-03-02T18:00:00Z"),
        ACTOR,
    )
    .await
    .unwrap();
    let late = Extension {
        reason: "Records in two systems".into(),
        notice_on: d("2026-04-16"),
    };
    let err: AppError = deadlines::record_extension(&file, case.number, &late, at("2026-04-17T18:00:00Z"), ACTOR)
        .await
        .unwrap_err()
        .into();
    assert_eq!(err.code, ErrorCode::TooLate);
    assert_eq!(err.fields[0].field, "notice_on");
    assert!(err.fields[0].message.contains("Too late"), "{err:?}");
    assert!(
        err.message.contains("Wed 15 Apr 2026"),
        "names the date it had to beat: {err:?}"
    );
    let clocks = crate::support::clocks_at(&file, case.number, at("2026-04-17T18:00:00Z")).await;
    assert!(clocks.extension.is_none());
    assert_eq!(state_of(&clocks, ClockKind::Respond).1, ClockState::Overdue);

    let in_time = Extension {
        reason: "Records in two systems".into(),
        notice_on: d("2026-04-15"),
    };
    let clocks = deadlines::record_extension(&file, case.number, &in_time, at("2026-04-17T18:00:00Z"), ACTOR)
        .await
        .unwrap()
        .clocks;
    assert_eq!(state_of(&clocks, ClockKind::Respond).1, ClockState::Extended);
    assert_eq!(
        state_of(&clocks, ClockKind::RespondExtended),
        (d("2026-05-30"), ClockState::Open)
    );
    let second = deadlines::record_extension(&file, case.number, &in_time, at("2026-04-17T18:00:00Z"), ACTOR)
        .await
        .unwrap_err();
    assert!(AppError::from(second).fields[0].message.contains("already"));
}

#[tokio::test]
async fn dashboard_lists_overdue_due_today_and_due_this_week_per_clock() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let now = at("2026-03-16T20:00:00Z"); // Monday 16 March 2026 in Los Angeles
    let overdue = log_request(&file, &sample_request("Overdue", "2026-02-27"), now, ACTOR)
        .await
        .unwrap(); // ack due Fri 13 Mar
    let today = log_request(&file, &sample_request("Today", "2026-03-02"), now, ACTOR)
        .await
        .unwrap(); // ack due Mon 16 Mar
    let mut opt_out = sample_request("Soon", "2026-03-02");
    opt_out.kinds = vec![RequestKind::OptOut];
    let soon = log_request(&file, &opt_out, now, ACTOR).await.unwrap(); // comply due Mon 23 Mar
    log_request(&file, &sample_request("Later", "2026-03-16"), now, ACTOR)
        .await
        .unwrap(); // ack due 30 Mar

    let board = queue::dashboard(&file, now).await.unwrap();
    let numbers = |items: &[queue::DueItem]| items.iter().map(|i| (i.number, i.clock)).collect::<Vec<_>>();
    assert_eq!(numbers(&board.overdue), vec![(overdue.number, ClockKind::Acknowledge)]);
    assert_eq!(numbers(&board.due_today), vec![(today.number, ClockKind::Acknowledge)]);
    assert_eq!(numbers(&board.due_soon), vec![(soon.number, ClockKind::Comply)]);
    assert_eq!(board.overdue[0].days_left, -3);
}

#[tokio::test]
async fn clock_settings_round_trip_and_change_the_derived_dates() {
    let t = TempCaseFile::new();
    let file = t.open().await;
    let defaults = deadlines::clock_settings(&file).await.unwrap();
    assert_eq!(
        defaults,
        ClockSettings::default(),
        "conservative readings and the weekends-only calendar by default (reference §10)"
    );
    let case = log_request(
        &file,
        &sample_request("Ana", "2026-03-02"),
        at("2026-03-02T18:00:00Z"),
        ACTOR,
    )
    .await
    .unwrap();

    let new = ClockSettings {
        calendar: CalendarPreset::CaState,
        closures: vec![d("2026-03-13"), d("2026-03-05"), d("2026-03-13")],
        receipt_day: ReceiptDay::Excluded,
        ..ClockSettings::default()
    };
    let saved = deadlines::save_clock_settings(&file, &new, crate::support::now(), ACTOR)
        .await
        .unwrap();
    assert_eq!(saved.closures, vec![d("2026-03-05"), d("2026-03-13")]);
    file.close().await;

    let file = t.open().await;
    assert_eq!(
        deadlines::clock_settings(&file).await.unwrap(),
        saved,
        "settings survive reopening"
    );
    let clocks = crate::support::clocks_at(&file, case.number, at("2026-03-03T18:00:00Z")).await;
    assert_eq!(
        state_of(&clocks, ClockKind::Respond).0,
        d("2026-04-16"),
        "day of receipt excluded"
    );
    assert_eq!(
        state_of(&clocks, ClockKind::Acknowledge).0,
        d("2026-03-18"),
        "two closure days skipped"
    );
    let year = deadlines::holidays(&file, 2026).await.unwrap();
    assert!(year
        .iter()
        .any(|h| h.date == d("2026-03-31") && h.name == "Cesar Chavez Day"));
    assert!(year
        .iter()
        .any(|h| h.date == d("2026-03-05") && h.name == "Organisation closure"));
}
