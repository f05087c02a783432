//! Logging requests and reading the queue.

use crate::state::AppState;
use privacydesk::domain::{Case, CaseNumber, CaseStatus, NewCase, RequestKind, Requester};
use privacydesk::service::cases::{CaseDetail, IntakeWarnings};
use privacydesk::service::{cases, AppError};
use privacydesk::store::audit::CaseEvent;

pub async fn create_case(state: &AppState, input: NewCase) -> Result<Case, AppError> {
    Ok(cases::log_request(state.file()?, &input, state.clock.now(), &state.actor()).await?)
}

pub async fn get_case(state: &AppState, number: CaseNumber) -> Result<CaseDetail, AppError> {
    Ok(cases::case_detail(state.file()?, number).await?)
}

pub async fn change_status(
    state: &AppState,
    number: CaseNumber,
    to: CaseStatus,
    reason: String,
) -> Result<CaseDetail, AppError> {
    Ok(cases::change_status(state.file()?, number, to, &reason, state.clock.now(), &state.actor()).await?)
}

pub async fn case_history(state: &AppState, number: CaseNumber) -> Result<Vec<CaseEvent>, AppError> {
    Ok(cases::history(state.file()?, number).await?)
}

pub async fn intake_warnings(
    state: &AppState,
    requester: Requester,
    kinds: Vec<RequestKind>,
) -> Result<IntakeWarnings, AppError> {
    Ok(cases::intake_warnings(state.file()?, &requester, &kinds, state.clock.now()).await?)
}

pub async fn edit_case(
    state: &AppState,
    number: CaseNumber,
    version: i64,
    input: NewCase,
) -> Result<CaseDetail, AppError> {
    Ok(cases::edit_case(
        state.file()?,
        number,
        version,
        &input,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn add_note(state: &AppState, number: CaseNumber, body: String) -> Result<CaseDetail, AppError> {
    Ok(cases::add_note(state.file()?, number, &body, state.clock.now(), &state.actor()).await?)
}
