//! Letters: preview, produce and archive, save a copy, mark as mailed, templates, and batches
//! (planned first, printed with their progress sent as they go, and cancel).

use crate::state::downloads;
use crate::state::AppState;
use privacydesk::domain::details::Language;
use privacydesk::domain::letter::ArchivedLetter;
use privacydesk::domain::CaseNumber;
use privacydesk::letters::LetterKind;
use privacydesk::service::letters::{
    self, BatchOutcome, BatchPlan, BatchRequest, LetterKindInfo, LetterLanguage, LetterPreview, LetterRequest,
    LetterTemplate, Mailing,
};
use privacydesk::service::AppError;
use std::sync::atomic::Ordering;

pub async fn preview_letter(
    state: &AppState,
    number: CaseNumber,
    request: LetterRequest,
) -> Result<LetterPreview, AppError> {
    Ok(letters::preview(&state.file()?, number, &request, state.clock.now()).await?)
}

pub async fn produce_letter(
    state: &AppState,
    number: CaseNumber,
    request: LetterRequest,
) -> Result<ArchivedLetter, AppError> {
    let (letter, _) = letters::produce(&state.file()?, number, &request, state.clock.now(), &state.actor()).await?;
    Ok(letter)
}

/// Saves a copy of an archived letter in the Downloads folder and says where.
pub async fn save_letter_copy(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(letters::save_letter_copy(&state.file()?, id, &downloads()?)
        .await?
        .display()
        .to_string())
}

/// Opens an archived letter in the desktop's PDF viewer.
pub async fn open_letter(state: &AppState, id: i64) -> Result<(), AppError> {
    let file = &state.file()?;
    let (letter, bytes) = letters::archived_pdf(file, id).await?;
    crate::viewer::open(
        file.path(),
        &format!("{} {} {}.pdf", letter.case_number, letter.kind.token(), letter.id),
        &bytes,
    )
}

pub async fn mark_letter_mailed(state: &AppState, id: i64, mailing: Mailing) -> Result<ArchivedLetter, AppError> {
    Ok(letters::mark_mailed(&state.file()?, id, &mailing, state.clock.now(), &state.actor()).await?)
}

pub async fn letter_templates(state: &AppState) -> Result<Vec<LetterTemplate>, AppError> {
    Ok(letters::templates(&state.file()?).await?)
}

/// Puts a template back to the shipped text.
pub async fn reset_letter_template(
    state: &AppState,
    kind: LetterKind,
    language: Language,
) -> Result<LetterTemplate, AppError> {
    Ok(letters::reset_template(&state.file()?, kind, language, state.clock.now(), &state.actor()).await?)
}

pub async fn save_letter_template(
    state: &AppState,
    kind: LetterKind,
    language: Language,
    body: String,
) -> Result<LetterTemplate, AppError> {
    Ok(letters::save_template(&state.file()?, kind, language, &body, state.clock.now(), &state.actor()).await?)
}

/// What a batch would print, and the cases it cannot (each with the reason), before it starts.
pub async fn plan_letter_batch(state: &AppState, request: BatchRequest) -> Result<BatchPlan, AppError> {
    Ok(letters::batch_plan(&state.file()?, &request, state.clock.now()).await?)
}

/// Prints the batch, calling `progress(done, total)` after each letter; cancel with
/// `cancel_letter_batch`. One batch at a time.
pub async fn print_letter_batch(
    state: &AppState,
    request: BatchRequest,
    progress: impl FnMut(usize, usize),
) -> Result<BatchOutcome, AppError> {
    let file = &state.file()?;
    let now = state.clock.now();
    let batch = state.start_batch()?;
    let numbers = letters::batch_cases(file, &request, now).await?;
    // The printer PDF is created before the first letter is archived and written as they are.
    let name = format!("{} letters {}.pdf", request.kind.token(), now.format("%Y-%m-%d"));
    let (path, printer) = privacydesk::service::create_new(&downloads()?, &name)?;
    let outcome = letters::batch(
        file,
        &numbers,
        &request,
        now,
        &state.actor(),
        &batch.cancel,
        std::io::BufWriter::new(printer),
        progress,
    )
    .await;
    drop(batch);
    let mut outcome = outcome.inspect_err(|_| {
        // A batch that failed midway leaves an unfinished PDF: the letters archived before it
        // are printed from their cases.
        let _ = std::fs::remove_file(&path);
    })?;
    if outcome.letters > 0 {
        outcome.saved_to = Some(path.display().to_string());
    } else {
        // Nothing was printed: no empty PDF is left in Downloads.
        let _ = std::fs::remove_file(&path);
    }
    Ok(outcome)
}

/// Asks the running batch to stop after the letter in hand; `false` when none runs.
pub async fn cancel_letter_batch(state: &AppState) -> Result<bool, AppError> {
    state.batch.cancel.store(true, Ordering::Relaxed);
    Ok(state.batch.running())
}

/// Sets the letterhead logo (PNG), or removes it with `null`.
/// Sets the letterhead logo from a staged PNG, or removes it with `null`.
pub async fn set_letterhead_logo(state: &AppState, png: Option<u64>) -> Result<(), AppError> {
    let content = png.map(|id| state.uploads.get(id)).transpose()?.map(|f| f.content);
    letters::set_letterhead_logo(&state.file()?, content.as_deref(), state.clock.now(), &state.actor()).await?;
    state.uploads.release(&png.into_iter().collect::<Vec<_>>());
    Ok(())
}

/// A template as edited (not saved) with a sample case and the profile in force.
pub async fn preview_letter_template(
    state: &AppState,
    kind: LetterKind,
    language: Language,
    body: String,
) -> Result<LetterPreview, AppError> {
    Ok(letters::sample_preview(&state.file()?, kind, &language, &body, state.clock.now()).await?)
}

/// Records the same mailing for every letter of a printed batch; returns how many were marked.
pub async fn mark_letters_mailed(state: &AppState, ids: Vec<i64>, mailing: Mailing) -> Result<usize, AppError> {
    Ok(letters::mark_all_mailed(&state.file()?, &ids, &mailing, state.clock.now(), &state.actor()).await?)
}

/// Every kind of letter, with what it asks for and its variants.
pub async fn letter_kinds(_state: &AppState) -> Result<Vec<LetterKindInfo>, AppError> {
    Ok(letters::kinds())
}

/// Every language letters can be written in.
pub async fn letter_languages(_state: &AppState) -> Result<Vec<LetterLanguage>, AppError> {
    Ok(letters::languages())
}
