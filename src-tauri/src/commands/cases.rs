//! Logging requests and reading the queue.

use crate::state::AppState;
use privacydesk::domain::{Case, CaseNumber, CaseStatus, NewCase, RequestKind, Requester};
use privacydesk::service::cases::CaseDetail;
use privacydesk::service::email::{self, EmailIntake};
use privacydesk::service::files::{self, NewAttachment};
use privacydesk::service::import::{self, ImportPlan};
use privacydesk::service::warnings::{self, IntakeWarnings};
use privacydesk::service::{cases, lifecycle, AppError};
use privacydesk::store::audit::CaseEvent;

pub async fn get_case(state: &AppState, number: CaseNumber) -> Result<CaseDetail, AppError> {
    Ok(cases::case_detail(state.file()?, number).await?)
}

pub async fn change_status(
    state: &AppState,
    number: CaseNumber,
    to: CaseStatus,
    reason: String,
) -> Result<CaseDetail, AppError> {
    Ok(lifecycle::change_status(state.file()?, number, to, &reason, state.clock.now(), &state.actor()).await?)
}

pub async fn case_history(state: &AppState, number: CaseNumber) -> Result<Vec<CaseEvent>, AppError> {
    Ok(cases::history(state.file()?, number).await?)
}

pub async fn intake_warnings(
    state: &AppState,
    requester: Requester,
    kinds: Vec<RequestKind>,
) -> Result<IntakeWarnings, AppError> {
    Ok(warnings::intake_warnings(state.file()?, &requester, &kinds, state.clock.now()).await?)
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

pub async fn read_email(_state: &AppState, content: Vec<u8>) -> Result<EmailIntake, AppError> {
    Ok(email::read_eml(&content)?)
}

pub async fn create_case(state: &AppState, input: NewCase, files: Vec<NewAttachment>) -> Result<Case, AppError> {
    Ok(cases::log_request_with_files(state.file()?, &input, &files, state.clock.now(), &state.actor()).await?)
}

pub async fn add_attachment(
    state: &AppState,
    number: CaseNumber,
    name: String,
    media_type: String,
    content: Vec<u8>,
) -> Result<CaseDetail, AppError> {
    Ok(files::add_attachment(
        state.file()?,
        number,
        &name,
        &media_type,
        &content,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

/// Saves a copy in the user's Downloads folder (or home folder) and says where.
pub async fn save_attachment_copy(state: &AppState, id: i64) -> Result<String, AppError> {
    let folder = std::env::var_os("PRIVACYDESK_DOWNLOADS")
        .map(std::path::PathBuf::from)
        .or_else(privacydesk::store::downloads_dir)
        .ok_or_else(|| {
            AppError::new(
                privacydesk::service::ErrorCode::Storage,
                "No folder is known to save the copy in.",
            )
        })?;
    Ok(files::save_attachment_copy(state.file()?, id, &folder)
        .await?
        .display()
        .to_string())
}

/// Opens a file kept with a case in the desktop's application for its type.
pub async fn open_attachment(state: &AppState, id: i64) -> Result<(), AppError> {
    let file = state.file()?;
    let (info, content) = files::attachment_content(file, id).await?;
    crate::viewer::open(file.path(), &info.name, &content)
}

pub async fn assign_case(state: &AppState, number: CaseNumber, assignee: String) -> Result<CaseDetail, AppError> {
    Ok(lifecycle::assign(state.file()?, number, &assignee, state.clock.now(), &state.actor()).await?)
}

pub async fn staff_names(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(lifecycle::staff_names(state.file()?).await?)
}

pub async fn plan_import(state: &AppState, name: String, content: Vec<u8>) -> Result<ImportPlan, AppError> {
    Ok(import::plan(state.file()?, &name, &content, state.clock.now()).await?)
}

/// Logs the good rows of a plan (each checked again) in one transaction.
pub async fn run_import(state: &AppState, plan: ImportPlan) -> Result<Vec<String>, AppError> {
    Ok(import::run(state.file()?, &plan, state.clock.now(), &state.actor()).await?)
}
