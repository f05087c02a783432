//! The case file's history as a whole: checking the audit chain, and the changes made to the
//! case file itself (clock settings, profile, templates, logo, staff name, purges).

use super::case_view::HistoryEntry;
use super::ServiceError;
use crate::store::audit::{self, ChainReport};
use crate::store::CaseFile;

/// Checks the whole audit chain, on one snapshot (bounded memory whatever its length).
pub async fn verify_audit(file: &CaseFile) -> Result<ChainReport, ServiceError> {
    Ok(audit::verify(&mut *file.read().await?).await?)
}

/// The newest changes to the case file itself, newest first.
pub async fn file_history(file: &CaseFile, limit: u32) -> Result<Vec<HistoryEntry>, ServiceError> {
    Ok(audit::file_level(&mut *file.read().await?, limit.clamp(1, 1000))
        .await?
        .into_iter()
        .map(HistoryEntry::from)
        .collect())
}

/// The head of the whole chain: the last event's number and hash.
pub async fn head(file: &CaseFile) -> Result<(i64, String), ServiceError> {
    Ok(audit::head(&mut *file.read().await?).await?)
}
