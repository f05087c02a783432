//! The deadline engine: clocks, the acts that meet them, the dashboard and the clock settings.

use crate::state::AppState;
use privacydesk::domain::calendar::Holiday;
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::deadline::ClockSettings;
use privacydesk::domain::CaseNumber;
use privacydesk::service::deadlines::{self, ActInput, CaseClocks, Dashboard, QueuePage};
use privacydesk::service::AppError;
use privacydesk::store::queue::QueueQuery;

pub async fn list_queue(state: &AppState, query: QueueQuery) -> Result<QueuePage, AppError> {
    Ok(deadlines::queue(state.file()?, &query, state.clock.now()).await?)
}

pub async fn case_clocks(state: &AppState, number: CaseNumber) -> Result<CaseClocks, AppError> {
    Ok(deadlines::case_clocks(state.file()?, number, state.clock.now()).await?)
}

pub async fn record_acknowledgment(
    state: &AppState,
    number: CaseNumber,
    acknowledgment: Acknowledgment,
) -> Result<CaseClocks, AppError> {
    Ok(deadlines::record_acknowledgment(
        state.file()?,
        number,
        &acknowledgment,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn record_extension(
    state: &AppState,
    number: CaseNumber,
    extension: Extension,
) -> Result<CaseClocks, AppError> {
    Ok(deadlines::record_extension(state.file()?, number, &extension, state.clock.now(), &state.actor()).await?)
}

pub async fn record_act(state: &AppState, number: CaseNumber, act: ActInput) -> Result<CaseClocks, AppError> {
    Ok(deadlines::record_act(state.file()?, number, &act, state.clock.now(), &state.actor()).await?)
}

pub async fn dashboard(state: &AppState) -> Result<Dashboard, AppError> {
    Ok(deadlines::dashboard(state.file()?, state.clock.now()).await?)
}

pub async fn clock_settings(state: &AppState) -> Result<ClockSettings, AppError> {
    Ok(deadlines::clock_settings(state.file()?).await?)
}

pub async fn save_clock_settings(state: &AppState, settings: ClockSettings) -> Result<ClockSettings, AppError> {
    Ok(deadlines::save_clock_settings(state.file()?, &settings).await?)
}

pub async fn holidays(state: &AppState, year: i32) -> Result<Vec<Holiday>, AppError> {
    Ok(deadlines::holidays(state.file()?, year).await?)
}
