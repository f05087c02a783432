//! The deadline engine's use cases: each case's clocks on today's legal date, the acts that meet
//! them, the dashboard of what is overdue or due soon, and the clock settings. "Today" is the
//! legal date of `now` in the organisation's time zone.

use super::ServiceError;
use crate::domain::calendar::Holiday;
use crate::domain::clock::{self, Acknowledgment, ClockState, ClockView, Extension, PendingClock};
use crate::domain::deadline::{ClockKind, ClockSettings};
use crate::domain::time::legal_date;
use crate::domain::{Case, CaseNumber, CaseStatus, ValidationErrors};
use crate::store::clocks::{self as clock_store, CaseClockRecord};
use crate::store::queue::{self as queue_store, QueueQuery};
use crate::store::{audit, cases, settings, CaseFile, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use std::collections::HashMap;
use ts_rs::TS;

/// A case's clocks on a given day, with the records that meet them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CaseClocks {
    pub number: CaseNumber,
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub clocks: Vec<ClockView>,
    pub acknowledgment: Option<Acknowledgment>,
    pub extension: Option<Extension>,
}

/// One pending clock of one case, as the dashboard and the queue list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DueItem {
    pub number: CaseNumber,
    pub requester: String,
    pub clock: ClockKind,
    #[ts(type = "string")]
    pub due: NaiveDate,
    #[ts(type = "number")]
    pub days_left: i64,
    pub state: ClockState,
}

/// What needs doing: pending clocks that are overdue, due today, or due in the next 7 days.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Dashboard {
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub overdue: Vec<DueItem>,
    pub due_today: Vec<DueItem>,
    pub due_soon: Vec<DueItem>,
}

/// A row of the queue: the case and the pending clock that ends first.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueueRow {
    pub case: Case,
    pub next: Option<DueItem>,
}

/// "Response sent" or "opt-out/limit honoured" on a date.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ActInput {
    pub clock: ClockKind,
    #[ts(type = "string")]
    pub on: NaiveDate,
}

async fn today(conn: &mut SqliteConnection, now: DateTime<Utc>) -> Result<NaiveDate, ServiceError> {
    Ok(legal_date(now, settings::time_zone(conn).await?))
}

fn due_item(record: &CaseClockRecord, p: &PendingClock) -> DueItem {
    DueItem {
        number: record.number,
        requester: record.requester.clone(),
        clock: p.clock,
        due: p.due,
        days_left: p.days_left,
        state: p.state,
    }
}

async fn record_for(conn: &mut SqliteConnection, number: CaseNumber) -> Result<CaseClockRecord, ServiceError> {
    clock_store::find(conn, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Case {number}")))
}

/// The clocks of one case today.
pub async fn case_clocks(file: &CaseFile, number: CaseNumber, now: DateTime<Utc>) -> Result<CaseClocks, ServiceError> {
    case_clocks_in(&mut *file.acquire().await?, number, now).await
}

/// [`case_clocks`] on a connection (inside a transaction that reads or changes them).
pub(crate) async fn case_clocks_in(
    c: &mut SqliteConnection,
    number: CaseNumber,
    now: DateTime<Utc>,
) -> Result<CaseClocks, ServiceError> {
    let today = today(&mut *c, now).await?;
    let settings = settings::clock_settings(&mut *c).await?;
    let record = record_for(&mut *c, number).await?;
    Ok(CaseClocks {
        number,
        today,
        clocks: clock::evaluate(&record.facts, today, &settings.business_calendar(), settings.rules()),
        acknowledgment: record.facts.acknowledgment.clone(),
        extension: record.facts.extension.clone(),
    })
}

/// Records the confirmation of receipt (§ 7021(a)); once per case.
pub async fn record_acknowledgment(
    file: &CaseFile,
    number: CaseNumber,
    ack: &Acknowledgment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseClocks, ServiceError> {
    let mut tx = file.begin().await?;
    record_acknowledgment_in_tx(&mut tx, number, ack, now, actor).await?;
    tx.commit().await.map_err(StoreError::from)?;
    case_clocks(file, number, now).await
}

/// [`record_acknowledgment`] inside a transaction (mailing an acknowledgment letter records it).
pub(crate) async fn record_acknowledgment_in_tx(
    tx: &mut SqliteConnection,
    number: CaseNumber,
    ack: &Acknowledgment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let today = today(&mut *tx, now).await?;
    let record = record_for(&mut *tx, number).await?;
    let mut errors = ValidationErrors::default();
    if !clock::needs(&record.facts, ClockKind::Acknowledge) {
        errors.add(
            "acknowledgment",
            "Opt-out and limit requests have no confirmation-of-receipt clock.",
        );
    } else if let Some(existing) = &record.facts.acknowledgment {
        errors.add(
            "acknowledgment",
            format!("Receipt was already confirmed on {}.", existing.on),
        );
    }
    errors.into_result(())?;
    clock::check_act_date(&record.facts, ack.on, today, "on")?;
    let moved = clock_store::insert_acknowledgment_in_tx(&mut *tx, record.id, ack, now).await?;
    clock_store::refresh_next_due_in_tx(&mut *tx, &[record.id]).await?;
    audit::append_in_tx(
        &mut *tx,
        record.id,
        number,
        now,
        actor,
        "acknowledgment.recorded",
        None,
        Some(&super::json(ack)?),
    )
    .await?;
    if moved {
        let (before, after) = (
            serde_json::json!({ "status": "new" }),
            serde_json::json!({ "status": "acknowledged" }),
        );
        audit::append_in_tx(
            &mut *tx,
            record.id,
            number,
            now,
            actor,
            "status.changed",
            Some(&before),
            Some(&after),
        )
        .await?;
    }
    Ok(())
}

/// Records the one extension (§ 7021(b)): refused without a reason, after the `respond` date,
/// or when the case already has one.
pub async fn record_extension(
    file: &CaseFile,
    number: CaseNumber,
    ext: &Extension,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseClocks, ServiceError> {
    let mut tx = file.begin().await?;
    record_extension_in_tx(&mut tx, number, ext, now, actor).await?;
    tx.commit().await.map_err(StoreError::from)?;
    case_clocks(file, number, now).await
}

/// [`record_extension`] inside a transaction (an extension notice records it as it is produced).
pub(crate) async fn record_extension_in_tx(
    tx: &mut SqliteConnection,
    number: CaseNumber,
    ext: &Extension,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let today = today(&mut *tx, now).await?;
    let settings = settings::clock_settings(&mut *tx).await?;
    let record = record_for(&mut *tx, number).await?;
    let valid = clock::check_extension(
        &record.facts,
        ext,
        today,
        &settings.business_calendar(),
        settings.rules(),
    )?;
    clock_store::insert_extension_in_tx(&mut *tx, record.id, &valid, now).await?;
    clock_store::refresh_next_due_in_tx(&mut *tx, &[record.id]).await?;
    audit::append_in_tx(
        tx,
        record.id,
        number,
        now,
        actor,
        "extension.recorded",
        None,
        Some(&super::json(&valid)?),
    )
    .await?;
    Ok(())
}

/// Records that the response was sent (`respond`) or the opt-out/limit honoured (`comply`).
pub async fn record_act(
    file: &CaseFile,
    number: CaseNumber,
    act: &ActInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseClocks, ServiceError> {
    let mut tx = file.begin().await?;
    let today = today(&mut tx, now).await?;
    let record = record_for(&mut tx, number).await?;
    let mut errors = ValidationErrors::default();
    let (done, what) = match act.clock {
        ClockKind::Respond | ClockKind::RespondExtended => (record.facts.responded_on, "The response"),
        ClockKind::Comply => (record.facts.complied_on, "Compliance"),
        ClockKind::Acknowledge => (None, ""),
    };
    if act.clock == ClockKind::Acknowledge {
        errors.add("clock", "Record an acknowledgment with its channel.");
    } else if !clock::needs(&record.facts, act.clock) {
        errors.add("clock", "This case has no such clock.");
    } else if let Some(on) = done {
        errors.add("clock", format!("{what} was already recorded on {on}."));
    }
    errors.into_result(())?;
    clock::check_act_date(&record.facts, act.on, today, "on")?;
    clock_store::insert_act_in_tx(&mut tx, record.id, act.clock, act.on, now).await?;
    clock_store::refresh_next_due_in_tx(&mut tx, &[record.id]).await?;
    let action = if act.clock == ClockKind::Comply {
        "compliance.recorded"
    } else {
        "response.recorded"
    };
    audit::append_in_tx(
        &mut tx,
        record.id,
        number,
        now,
        actor,
        action,
        None,
        Some(&super::json(act)?),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    case_clocks(file, number, now).await
}

/// Every pending clock of every open case that is overdue, due today or due in the next 7 days,
/// each list soonest first.
pub async fn dashboard(file: &CaseFile, now: DateTime<Utc>) -> Result<Dashboard, ServiceError> {
    let mut c = file.acquire().await?;
    let today = today(&mut c, now).await?;
    let settings = settings::clock_settings(&mut c).await?;
    let records = clock_store::open_cases(&mut c).await?;
    Ok(dashboard_of(&records, today, &settings))
}

/// The dashboard of already-loaded cases (also what the benchmark measures).
pub fn dashboard_of(records: &[CaseClockRecord], today: NaiveDate, settings: &ClockSettings) -> Dashboard {
    let calendar = settings.business_calendar();
    let week = today + Duration::days(7);
    let (mut overdue, mut due_today, mut due_soon) = (Vec::new(), Vec::new(), Vec::new());
    for record in records {
        for p in clock::pending(&record.facts, today, &calendar, settings.rules()) {
            let due = p.due;
            let list = if due < today {
                &mut overdue
            } else if due == today {
                &mut due_today
            } else if due <= week {
                &mut due_soon
            } else {
                continue;
            };
            list.push(due_item(record, &p));
        }
    }
    for list in [&mut overdue, &mut due_today, &mut due_soon] {
        list.sort_by_key(|a| (a.due, a.number));
    }
    Dashboard {
        today,
        overdue,
        due_today,
        due_soon,
    }
}

/// One page of the queue, and whether more follow.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub has_more: bool,
}

/// One page of cases matching the query, each with its next pending clock. Reads one page of
/// ids through the indexes, then only those cases and their clock facts.
pub async fn queue(file: &CaseFile, query: &QueueQuery, now: DateTime<Utc>) -> Result<QueuePage, ServiceError> {
    let mut c = file.acquire().await?;
    let today = today(&mut c, now).await?;
    let settings = settings::clock_settings(&mut c).await?;
    let calendar = settings.business_calendar();
    let size = query.page_size() as usize;
    let mut probe = query.clone();
    probe.limit = query.page_size() + 1;
    let mut ids = queue_store::page_ids(&mut c, &probe).await?;
    let has_more = ids.len() > size;
    ids.truncate(size);
    let next: HashMap<CaseNumber, DueItem> = clock_store::by_ids(&mut c, &ids)
        .await?
        .iter()
        .filter(|r| CaseStatus::OPEN.contains(&r.status))
        .filter_map(|r| {
            let pending = clock::pending(&r.facts, today, &calendar, settings.rules());
            clock::next_due(&pending).map(|p| (r.number, due_item(r, p)))
        })
        .collect();
    let rows = cases::by_ids(&mut c, &ids)
        .await?
        .into_iter()
        .map(|case| QueueRow {
            next: next.get(&case.number).cloned(),
            case,
        })
        .collect();
    Ok(QueuePage { rows, has_more })
}

/// The clock settings in force.
pub async fn clock_settings(file: &CaseFile) -> Result<ClockSettings, ServiceError> {
    Ok(settings::clock_settings(&mut *file.acquire().await?).await?)
}

/// Replaces the clock settings; closure dates are kept sorted, once each.
pub async fn save_clock_settings(file: &CaseFile, new: &ClockSettings) -> Result<ClockSettings, ServiceError> {
    let mut clean = new.clone();
    clean.closures.sort();
    clean.closures.dedup();
    let mut tx = file.begin().await?;
    settings::save_clock_settings_in_tx(&mut tx, &clean).await?;
    // The calendar and the readings move due dates: every open case's next due is recomputed.
    clock_store::refresh_all_next_due_in_tx(&mut tx).await?;
    tx.commit().await.map_err(StoreError::from)?;
    clock_settings(file).await
}

/// The weekdays the calendar in force closes in `year`.
pub async fn holidays(file: &CaseFile, year: i32) -> Result<Vec<Holiday>, ServiceError> {
    if !(2000..=2100).contains(&year) {
        let mut errors = ValidationErrors::default();
        errors.add("year", "Choose a year between 2000 and 2100.");
        return Err(errors.into());
    }
    Ok(clock_settings(file).await?.business_calendar().holidays_in(year))
}
