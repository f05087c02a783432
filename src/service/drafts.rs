//! The new request being typed at this desk, kept in the encrypted case file as the window left
//! it, so that a restart, a crash or a click elsewhere loses nothing. The window owns its shape
//! (a JSON document); the core only keeps it.

use super::ServiceError;
use crate::store::{drafts, CaseFile};
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// The largest draft kept: a form's text, never files (those are staged until logged).
const MAX_DRAFT: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IntakeDraft {
    pub document: String,
    #[ts(type = "string")]
    pub saved_at: DateTime<Utc>,
}

/// Keeps the draft (replacing the one before).
pub async fn save_draft(file: &CaseFile, document: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if document.len() > MAX_DRAFT {
        return Err(ServiceError::invalid(
            "draft",
            "This request is too long to keep as a draft; log it or shorten the description.",
        ));
    }
    let mut tx = file.write().await?;
    drafts::save_in_tx(&mut tx, document, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The draft left at this desk, if any.
pub async fn draft(file: &CaseFile) -> Result<Option<IntakeDraft>, ServiceError> {
    Ok(drafts::current(&mut *file.read().await?)
        .await?
        .map(|(document, saved_at)| IntakeDraft { document, saved_at }))
}

/// Forgets the draft (the request was logged, or the person threw it away).
pub async fn discard_draft(file: &CaseFile) -> Result<(), ServiceError> {
    let mut tx = file.write().await?;
    drafts::delete_in_tx(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}
