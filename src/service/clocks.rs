//! The acts that meet a case's clocks — the confirmation of receipt, the one extension, the
//! response sent, the opt-out or limit honoured — and the clock settings (calendar, closure
//! dates, the two unsettled readings), whose every change is in the case file's history.
//! "Today" is the legal date of `now` in the organisation's time zone.

use super::case_view::{acknowledge_in_tx, act_in_tx, extend_in_tx, record_file_event, today, view_in, CaseView};
use super::ServiceError;
use crate::domain::calendar::Holiday;
use crate::domain::clock::{Acknowledgment, Extension};
use crate::domain::deadline::{ClockKind, ClockSettings};
use crate::domain::history::{changes, AuditEvent, Subject};
use crate::domain::CaseNumber;
use crate::store::{clocks as clock_store, settings, CaseFile};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// "Response sent" or "opt-out/limit honoured" on a date.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ActInput {
    pub clock: ClockKind,
    #[ts(type = "string")]
    pub on: NaiveDate,
}

/// Records the confirmation of receipt (§ 7021(a)); once per case.
pub async fn record_acknowledgment(
    file: &CaseFile,
    number: CaseNumber,
    ack: &Acknowledgment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let mut tx = file.write().await?;
    acknowledge_in_tx(&mut tx, number, ack, None, now, actor).await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// Records the one extension (§ 7021(b)): refused without a reason, after the `respond` date,
/// or when the case already has one.
pub async fn record_extension(
    file: &CaseFile,
    number: CaseNumber,
    ext: &Extension,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let mut tx = file.write().await?;
    extend_in_tx(&mut tx, number, ext, now, actor).await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// Records that the response was sent (`respond`) or the opt-out/limit honoured (`comply`).
pub async fn record_act(
    file: &CaseFile,
    number: CaseNumber,
    act: &ActInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let mut tx = file.write().await?;
    let today = today(&mut tx, now).await?;
    act_in_tx(&mut tx, number, act.clock, act.on, today, now, actor).await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// The clock settings in force.
pub async fn clock_settings(file: &CaseFile) -> Result<ClockSettings, ServiceError> {
    Ok(settings::clock_settings(&mut *file.read().await?).await?)
}

/// Replaces the clock settings (closure dates kept sorted, once each); every open case's next
/// due date is recomputed in the same write, and the change is in the history.
pub async fn save_clock_settings(
    file: &CaseFile,
    new: &ClockSettings,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ClockSettings, ServiceError> {
    let mut clean = new.clone();
    clean.closures.sort();
    clean.closures.dedup();
    let mut tx = file.write().await?;
    let before = settings::clock_settings(&mut tx).await?;
    if before != clean {
        settings::save_clock_settings_in_tx(&mut tx, &clean).await?;
        clock_store::refresh_all_next_due_in_tx(&mut tx).await?;
        let changed = changes(&super::json(&before)?, &super::json(&clean)?);
        record_file_event(
            &mut tx,
            Subject::Settings,
            now,
            actor,
            AuditEvent::SettingsChanged { changes: changed },
        )
        .await?;
        tx.commit().await?;
    }
    clock_settings(file).await
}

/// The weekdays the calendar in force closes in `year`.
pub async fn holidays(file: &CaseFile, year: i32) -> Result<Vec<Holiday>, ServiceError> {
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "Choose a year between 2000 and 2100."));
    }
    Ok(clock_settings(file).await?.business_calendar().holidays_in(year))
}
