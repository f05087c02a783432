//! Cases: logging requests, the case view and the changes made from it.

use crate::state::AppState;
use privacydesk::domain::decision::DecisionInput;
use privacydesk::domain::verification::{AgentEvidence, PointResult};
use privacydesk::domain::{Case, CaseNumber, NewCase, RequestKind, Requester};
use privacydesk::service::case_view::{self, CaseView};
use privacydesk::service::decisions::{self, DecisionMatrix};
use privacydesk::service::email::{self, EmailIntake};
use privacydesk::service::files;
use privacydesk::service::import::{self, ImportCheck};
use privacydesk::service::lifecycle::{self, StatusMove};
use privacydesk::service::reference::{self, PointMatch, ReferenceExtract};
use privacydesk::service::verification::{self, VerificationView};
use privacydesk::service::warnings::{self, IntakeWarnings};
use privacydesk::service::{intake, AppError};

pub async fn case_view(state: &AppState, number: CaseNumber) -> Result<CaseView, AppError> {
    Ok(case_view::case_view(&state.file()?, number, state.clock.now()).await?)
}

pub async fn change_status(state: &AppState, number: CaseNumber, request: StatusMove) -> Result<CaseView, AppError> {
    Ok(lifecycle::change_status(&state.file()?, number, &request, state.clock.now(), &state.actor()).await?)
}

pub async fn intake_warnings(
    state: &AppState,
    requester: Requester,
    kinds: Vec<RequestKind>,
) -> Result<IntakeWarnings, AppError> {
    Ok(warnings::intake_warnings(&state.file()?, &requester, &kinds, state.clock.now()).await?)
}

pub async fn edit_case(
    state: &AppState,
    number: CaseNumber,
    version: i64,
    input: NewCase,
) -> Result<CaseView, AppError> {
    Ok(intake::edit_case(
        &state.file()?,
        number,
        version,
        &input,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn add_note(state: &AppState, number: CaseNumber, body: String) -> Result<CaseView, AppError> {
    Ok(lifecycle::add_note(&state.file()?, number, &body, state.clock.now(), &state.actor()).await?)
}

/// Reads a staged `.eml` into the intake form (the file stays staged for the case it becomes).
pub async fn read_email(state: &AppState, file: u64) -> Result<EmailIntake, AppError> {
    Ok(email::read_eml(&state.uploads.get(file)?.content)?)
}

pub async fn create_case(state: &AppState, input: NewCase, files: Vec<u64>) -> Result<Case, AppError> {
    let staged = files
        .iter()
        .map(|id| state.uploads.get(*id))
        .collect::<Result<Vec<_>, _>>()?;
    let case =
        intake::log_request_with_files(&state.file()?, &input, &staged, state.clock.now(), &state.actor()).await?;
    state.uploads.release(&files);
    Ok(case)
}

/// Logs a request read from a staged email, with the email kept and remembered by its
/// Message-ID.
pub async fn create_case_from_email(state: &AppState, input: NewCase, email: u64) -> Result<Case, AppError> {
    let staged = state.uploads.get(email)?;
    let case = email::log_reviewed_email(&state.file()?, &input, &staged, state.clock.now(), &state.actor()).await?;
    state.uploads.release(&[email]);
    Ok(case)
}

pub async fn add_attachment(state: &AppState, number: CaseNumber, file: u64) -> Result<CaseView, AppError> {
    let staged = state.uploads.get(file)?;
    let view = files::add_attachment(&state.file()?, number, &staged, state.clock.now(), &state.actor()).await?;
    state.uploads.release(&[file]);
    Ok(view)
}

/// Forgets staged files the person took off a form.
pub async fn discard_files(state: &AppState, files: Vec<u64>) -> Result<(), AppError> {
    state.uploads.release(&files);
    Ok(())
}

/// Saves a copy in the user's Downloads folder (or home folder) and says where.
pub async fn save_attachment_copy(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(
        files::save_attachment_copy(&state.file()?, id, &crate::state::downloads()?)
            .await?
            .display()
            .to_string(),
    )
}

/// Opens a file kept with a case in the desktop's application for its type.
pub async fn open_attachment(state: &AppState, id: i64) -> Result<(), AppError> {
    let file = &state.file()?;
    let (info, content) = files::attachment_content(file, id).await?;
    crate::viewer::open(file.path(), &info.name, &content)
}

pub async fn assign_case(state: &AppState, number: CaseNumber, assignee: String) -> Result<CaseView, AppError> {
    Ok(lifecycle::assign(&state.file()?, number, &assignee, state.clock.now(), &state.actor()).await?)
}

pub async fn staff_names(state: &AppState) -> Result<Vec<String>, AppError> {
    Ok(lifecycle::staff_names(&state.file()?).await?)
}

/// Checks every row of a staged web-form export (it stays staged for the import). Only counts
/// and the first problems come back, so a large export never travels to the window as rows.
pub async fn check_import(state: &AppState, file: u64) -> Result<ImportCheck, AppError> {
    let staged = state.uploads.shared(file)?;
    Ok(import::check(
        &state.file()?,
        &staged.name,
        staged.content.as_slice(),
        state.clock.now(),
        |_| {},
    )
    .await?)
}

/// The verification of a case: requirements per kind, checklist, declaration, agent, outcomes.
pub async fn case_verification(state: &AppState, number: CaseNumber) -> Result<VerificationView, AppError> {
    Ok(verification::verification(&state.file()?, number).await?)
}

pub async fn check_point(
    state: &AppState,
    number: CaseNumber,
    field: String,
    given: String,
    result: PointResult,
) -> Result<VerificationView, AppError> {
    Ok(verification::check_point(
        &state.file()?,
        number,
        &field,
        &given,
        result,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

/// The declaration received: a staged file (kept with the case), or a paper one's date.
pub async fn record_declaration(
    state: &AppState,
    number: CaseNumber,
    file: Option<u64>,
    received_on: Option<chrono::NaiveDate>,
) -> Result<VerificationView, AppError> {
    let view = match file {
        Some(id) => {
            let staged = state.uploads.get(id)?;
            let view = verification::record_declaration_file(
                &state.file()?,
                number,
                &staged,
                state.clock.now(),
                &state.actor(),
            )
            .await?;
            state.uploads.release(&[id]);
            view
        }
        None => {
            verification::record_declaration(
                &state.file()?,
                number,
                None,
                received_on,
                state.clock.now(),
                &state.actor(),
            )
            .await?
        }
    };
    Ok(view)
}

pub async fn record_agent_evidence(
    state: &AppState,
    number: CaseNumber,
    evidence: AgentEvidence,
) -> Result<VerificationView, AppError> {
    Ok(
        verification::record_agent_evidence(&state.file()?, number, evidence, state.clock.now(), &state.actor())
            .await?,
    )
}

pub async fn conclude_verification(
    state: &AppState,
    number: CaseNumber,
    kind: RequestKind,
    verified: bool,
    reason: String,
) -> Result<VerificationView, AppError> {
    Ok(verification::conclude(
        &state.file()?,
        number,
        kind,
        verified,
        &reason,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn purge_verification(state: &AppState, number: CaseNumber) -> Result<VerificationView, AppError> {
    Ok(verification::purge(&state.file()?, number, state.clock.now(), &state.actor()).await?)
}

pub async fn suggest_point(
    state: &AppState,
    number: CaseNumber,
    field: String,
    given: String,
) -> Result<Option<PointMatch>, AppError> {
    Ok(reference::suggest(&state.file()?, number, &field, &given).await?)
}

pub async fn reference_extract(state: &AppState) -> Result<Option<ReferenceExtract>, AppError> {
    Ok(reference::extract(&state.file()?).await?)
}

/// Loads a staged extract; the staged copy is released whatever the outcome (it holds the
/// system of record's values in the clear).
pub async fn load_reference_extract(state: &AppState, file: u64) -> Result<ReferenceExtract, AppError> {
    let staged = state.uploads.get(file)?;
    state.uploads.release(&[file]);
    Ok(reference::load(
        &state.file()?,
        staged.content.as_slice(),
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn case_decisions(state: &AppState, number: CaseNumber) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::decisions(&state.file()?, number).await?)
}

pub async fn decide(state: &AppState, number: CaseNumber, input: DecisionInput) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::decide(&state.file()?, number, &input, state.clock.now(), &state.actor()).await?)
}

pub async fn add_row(
    state: &AppState,
    number: CaseNumber,
    input: decisions::RowInput,
) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::add_row(&state.file()?, number, &input, state.clock.now(), &state.actor()).await?)
}

pub async fn remove_row(state: &AppState, number: CaseNumber, code: String) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::remove_row(&state.file()?, number, &code, state.clock.now(), &state.actor()).await?)
}

pub async fn record_statement(
    state: &AppState,
    number: CaseNumber,
    input: decisions::StatementInput,
) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::record_statement(&state.file()?, number, &input, state.clock.now(), &state.actor()).await?)
}

pub async fn notify_provider(
    state: &AppState,
    number: CaseNumber,
    provider: String,
    on: Option<chrono::NaiveDate>,
    not_needed: Option<String>,
) -> Result<DecisionMatrix, AppError> {
    Ok(decisions::provider_notice(
        &state.file()?,
        number,
        &provider,
        on,
        not_needed.as_deref(),
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}

pub async fn case_items(
    state: &AppState,
    number: CaseNumber,
) -> Result<Vec<privacydesk::service::specific::SpecificItem>, AppError> {
    Ok(privacydesk::service::specific::items(&state.file()?, number).await?)
}

pub async fn add_item(
    state: &AppState,
    number: CaseNumber,
    category: String,
    label: String,
    value: String,
) -> Result<Vec<privacydesk::service::specific::SpecificItem>, AppError> {
    Ok(privacydesk::service::specific::add_item(
        &state.file()?,
        number,
        &category,
        &label,
        &value,
        state.clock.now(),
        &state.actor(),
    )
    .await?)
}
