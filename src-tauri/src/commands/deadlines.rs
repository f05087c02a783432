//! The queue and the dashboard, the acts that meet a case's clocks, and the clock settings.

use crate::state::AppState;
use privacydesk::domain::calendar::Holiday;
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::deadline::ClockSettings;
use privacydesk::domain::queue::QueueQuery;
use privacydesk::domain::CaseNumber;
use privacydesk::service::case_view::{CaseView, HistoryEntry};
use privacydesk::service::clocks::{self, ActInput};
use privacydesk::service::queue::{self, Dashboard, QueuePage};
use privacydesk::service::{history, AppError};

pub async fn list_queue(state: &AppState, query: QueueQuery) -> Result<QueuePage, AppError> {
    Ok(queue::queue(&state.file()?, &query, state.clock.now()).await?)
}

pub async fn queue_count(state: &AppState, query: QueueQuery) -> Result<u64, AppError> {
    Ok(queue::queue_count(&state.file()?, &query).await?)
}

pub async fn record_acknowledgment(
    state: &AppState,
    number: CaseNumber,
    acknowledgment: Acknowledgment,
) -> Result<CaseView, AppError> {
    Ok(clocks::record_acknowledgment(
        &state.file()?,
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
) -> Result<CaseView, AppError> {
    Ok(clocks::record_extension(&state.file()?, number, &extension, state.clock.now(), &state.actor()).await?)
}

pub async fn record_act(state: &AppState, number: CaseNumber, act: ActInput) -> Result<CaseView, AppError> {
    Ok(clocks::record_act(&state.file()?, number, &act, state.clock.now(), &state.actor()).await?)
}

pub async fn dashboard(state: &AppState) -> Result<Dashboard, AppError> {
    Ok(queue::dashboard(&state.file()?, state.clock.now()).await?)
}

pub async fn clock_settings(state: &AppState) -> Result<ClockSettings, AppError> {
    Ok(clocks::clock_settings(&state.file()?).await?)
}

pub async fn save_clock_settings(state: &AppState, settings: ClockSettings) -> Result<ClockSettings, AppError> {
    Ok(clocks::save_clock_settings(&state.file()?, &settings, state.clock.now(), &state.actor()).await?)
}

pub async fn holidays(state: &AppState, year: i32) -> Result<Vec<Holiday>, AppError> {
    Ok(clocks::holidays(&state.file()?, year).await?)
}

/// The newest changes to the case file itself (settings, profile, templates, logo, staff).
pub async fn file_history(state: &AppState) -> Result<Vec<HistoryEntry>, AppError> {
    Ok(history::file_history(&state.file()?, 200).await?)
}

pub async fn report_metrics(
    state: &AppState,
    year: i32,
    apart: bool,
) -> Result<privacydesk::domain::records::Metrics, AppError> {
    Ok(privacydesk::service::records::metrics(&state.file()?, year, apart, state.clock.now()).await?)
}

pub async fn save_metrics_report(
    state: &AppState,
    year: i32,
    apart: bool,
    format: privacydesk::service::records::ReportFormat,
) -> Result<String, AppError> {
    let folder = crate::state::downloads()?;
    Ok(
        privacydesk::service::records::save_metrics(&state.file()?, year, apart, format, &folder, state.clock.now())
            .await?
            .display()
            .to_string(),
    )
}

pub async fn save_records_log(
    state: &AppState,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    with_names: bool,
    format: privacydesk::service::records::ReportFormat,
) -> Result<String, AppError> {
    let folder = crate::state::downloads()?;
    Ok(privacydesk::service::records::save_records_log(
        &state.file()?,
        from,
        to,
        with_names,
        format,
        &folder,
        state.clock.now(),
    )
    .await?
    .display()
    .to_string())
}

pub async fn dashboard_figures(state: &AppState) -> Result<privacydesk::service::records::DashboardFigures, AppError> {
    Ok(privacydesk::service::records::dashboard_figures(&state.file()?, state.clock.now()).await?)
}

pub async fn plan_retention(state: &AppState) -> Result<privacydesk::service::retention::RetentionReport, AppError> {
    Ok(privacydesk::service::retention::plan(&state.file()?, None, state.clock.now()).await?)
}

pub async fn save_dossier(state: &AppState, number: CaseNumber) -> Result<String, AppError> {
    let file = &state.file()?;
    let pdf = privacydesk::service::dossier::dossier(file, number, state.clock.now()).await?;
    let folder = crate::state::downloads()?;
    Ok(
        privacydesk::service::save_copy(&folder, &format!("{number} dossier.pdf"), &pdf)?
            .display()
            .to_string(),
    )
}

pub async fn save_selection_dossier(state: &AppState, cases: String) -> Result<String, AppError> {
    let numbers = privacydesk::service::dossier::selection(&cases)?;
    let file = &state.file()?;
    let now = state.clock.now();
    let pdf = privacydesk::service::dossier::dossier_of(file, &numbers, now).await?;
    let folder = crate::state::downloads()?;
    let name = format!("Dossier of {} cases {}.pdf", numbers.len(), now.format("%Y-%m-%d %H%M"));
    Ok(privacydesk::service::save_copy(&folder, &name, &pdf)?
        .display()
        .to_string())
}
