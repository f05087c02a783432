//! Cases: logging requests, the case view and the changes made from it.

use crate::state::AppState;
use privacydesk::domain::{Case, CaseNumber, NewCase, RequestKind, Requester};
use privacydesk::service::case_view::{self, CaseView};
use privacydesk::service::email::{self, EmailIntake};
use privacydesk::service::files::{self, NewAttachment};
use privacydesk::service::import::{self, ImportPlan};
use privacydesk::service::lifecycle::{self, StatusMove};
use privacydesk::service::warnings::{self, IntakeWarnings};
use privacydesk::service::{intake, AppError};

pub async fn case_view(state: &AppState, number: CaseNumber) -> Result<CaseView, AppError> {
    Ok(case_view::case_view(state.file()?, number, state.clock.now()).await?)
}

pub async fn change_status(state: &AppState, number: CaseNumber, request: StatusMove) -> Result<CaseView, AppError> {
    Ok(lifecycle::change_status(state.file()?, number, &request, state.clock.now(), &state.actor()).await?)
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
) -> Result<CaseView, AppError> {
    Ok(intake::edit_case(
        state.file()?,
        number,
        version,
        &input,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn add_note(state: &AppState, number: CaseNumber, body: String) -> Result<CaseView, AppError> {
    Ok(lifecycle::add_note(state.file()?, number, &body, state.clock.now(), &state.actor()).await?)
}

pub async fn read_email(_state: &AppState, content: Vec<u8>) -> Result<EmailIntake, AppError> {
    Ok(email::read_eml(&content)?)
}

pub async fn create_case(state: &AppState, input: NewCase, files: Vec<NewAttachment>) -> Result<Case, AppError> {
    Ok(intake::log_request_with_files(state.file()?, &input, &files, state.clock.now(), &state.actor()).await?)
}

/// Logs a request read from an email, with the email kept and remembered by its Message-ID.
pub async fn create_case_from_email(state: &AppState, input: NewCase, email: NewAttachment) -> Result<Case, AppError> {
    Ok(email::log_reviewed_email(state.file()?, &input, &email, state.clock.now(), &state.actor()).await?)
}

pub async fn add_attachment(state: &AppState, number: CaseNumber, file: NewAttachment) -> Result<CaseView, AppError> {
    Ok(files::add_attachment(state.file()?, number, &file, state.clock.now(), &state.actor()).await?)
}

/// Saves a copy in the user's Downloads folder (or home folder) and says where.
pub async fn save_attachment_copy(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(
        files::save_attachment_copy(state.file()?, id, &crate::state::downloads()?)
            .await?
            .display()
            .to_string(),
    )
}

/// Opens a file kept with a case in the desktop's application for its type.
pub async fn open_attachment(state: &AppState, id: i64) -> Result<(), AppError> {
    let file = state.file()?;
    let (info, content) = files::attachment_content(file, id).await?;
    crate::viewer::open(file.path(), &info.name, &content)
}

pub async fn assign_case(state: &AppState, number: CaseNumber, assignee: String) -> Result<CaseView, AppError> {
    Ok(lifecycle::assign(state.file()?, number, &assignee, state.clock.now(), &state.actor()).await?)
}

pub async fn staff_names(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(lifecycle::staff_names(state.file()?).await?)
}

pub async fn plan_import(state: &AppState, name: String, content: Vec<u8>) -> Result<ImportPlan, AppError> {
    Ok(import::plan(state.file()?, &name, &content, state.clock.now()).await?)
}

/// Logs the good rows of a plan (each checked again) in one transaction.
pub async fn run_import(state: &AppState, plan: ImportPlan) -> Result<Vec<CaseNumber>, AppError> {
    Ok(import::run(state.file()?, &plan, state.clock.now(), &state.actor()).await?)
}
