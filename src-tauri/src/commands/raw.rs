//! Commands whose payload is not JSON: files cross the IPC as raw bytes (a 25 MiB attachment is
//! not sent as a JSON array of 25 million numbers), and a batch reports its progress through a
//! channel as it goes instead of being polled. Their TypeScript clients are written beside
//! their entries in [`crate::ipc`].

use crate::state::AppState;
use privacydesk::service::files::NewAttachment;
use privacydesk::service::letters::{self, BatchOutcome, BatchRequest};
use privacydesk::service::{AppError, ErrorCode};
use serde::Serialize;
use tauri::ipc::{Channel, InvokeBody, Request, Response};
use tauri::State;
use ts_rs::TS;

/// Keeps a file chosen in the window (the body: its bytes; headers `x-file-name` and
/// `x-media-type`, percent-encoded) until a command uses it; returns the id that command takes.
#[tauri::command]
pub async fn stage_file(state: State<'_, AppState>, request: Request<'_>) -> Result<u64, AppError> {
    let InvokeBody::Raw(content) = request.body() else {
        return Err(AppError::new(
            ErrorCode::Validation,
            "The file did not arrive as bytes; choose it again.",
        ));
    };
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(percent_decoded)
            .unwrap_or_default()
    };
    state.uploads.stage(NewAttachment {
        name: header("x-file-name"),
        media_type: header("x-media-type"),
        content: content.clone(),
    })
}

/// The letterhead logo's PNG bytes (none: an empty body).
#[tauri::command]
pub async fn letterhead_logo(state: State<'_, AppState>) -> Result<Response, AppError> {
    let png = letters::letterhead_logo(&state.file()?).await?.unwrap_or_default();
    Ok(Response::new(png))
}

/// How far a batch has come.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchProgress {
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
}

/// Prints a batch into one PDF in the Downloads folder, archiving each letter, and sends its
/// progress on `progress` after each letter. One batch at a time.
#[tauri::command]
pub async fn print_letter_batch(
    state: State<'_, AppState>,
    request: BatchRequest,
    progress: Channel<BatchProgress>,
) -> Result<BatchOutcome, AppError> {
    crate::commands::letters::print_letter_batch(&state, request, |done, total| {
        // A window that went away stops listening; the batch goes on and is archived.
        let _ = progress.send(BatchProgress { done, total });
    })
    .await
}

/// Reduces the ended cases due before `before` (the plan the person confirmed), sending the
/// progress after each batch; `cancel_retention` stops it between cases. One long run (a
/// letters batch or this) at a time.
#[tauri::command]
pub async fn run_retention(
    state: State<'_, AppState>,
    before: chrono::NaiveDate,
    progress: Channel<BatchProgress>,
) -> Result<privacydesk::service::retention::RetentionReport, AppError> {
    let running = state.start_batch()?;
    Ok(privacydesk::service::retention::run(
        &state.file()?,
        Some(before),
        state.clock.now(),
        &state.actor(),
        &running.cancel,
        |done, total| {
            let _ = progress.send(BatchProgress { done, total });
        },
    )
    .await?)
}

/// Logs the good rows of a staged export (checked again, row by row, as they are read) in one
/// transaction, telling the window after each batch how many of the `expected` are logged;
/// the staged file is forgotten once they are.
#[tauri::command]
pub async fn run_import(
    state: State<'_, AppState>,
    file: u64,
    expected: u64,
    progress: Channel<BatchProgress>,
) -> Result<privacydesk::service::import::ImportDone, AppError> {
    let staged = state.uploads.shared(file)?;
    let done = privacydesk::service::import::import(
        &state.file()?,
        &staged.name,
        staged.content.as_slice(),
        state.clock.now(),
        &state.actor(),
        |logged| {
            let _ = progress.send(BatchProgress {
                done: logged as usize,
                total: expected.max(logged) as usize,
            });
        },
    )
    .await?;
    state.uploads.release(&[file]);
    Ok(done)
}

/// `%XX` sequences decoded (the window percent-encodes header values, which must be ASCII);
/// anything malformed is kept as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_values_are_percent_decoded() {
        assert_eq!(
            super::percent_decoded("Jos%C3%A9%20N%C3%BA%C3%B1ez.eml"),
            "José Núñez.eml"
        );
        assert_eq!(super::percent_decoded("100%"), "100%");
        assert_eq!(super::percent_decoded("a%zzb"), "a%zzb");
    }
}
