//! Logging requests and reading the queue.

use crate::state::AppState;
use privacydesk::domain::{Case, CaseNumber, NewCase};
use privacydesk::service::{cases, AppError};
use privacydesk::store::audit::CaseEvent;

pub async fn create_case(state: &AppState, input: NewCase) -> Result<Case, AppError> {
    Ok(cases::log_request(state.file()?, &input, state.clock.now(), &state.actor).await?)
}

pub async fn get_case(state: &AppState, number: CaseNumber) -> Result<Case, AppError> {
    Ok(cases::find_case(state.file()?, number).await?)
}

pub async fn case_history(state: &AppState, number: CaseNumber) -> Result<Vec<CaseEvent>, AppError> {
    Ok(cases::history(state.file()?, number).await?)
}
