//! The letterhead logo: one optional PNG, placed at the top right of every letter; setting or
//! removing it is in the case file's history.

use super::super::case_view::record_file_event;
use super::super::ServiceError;
use crate::domain::history::{AuditEvent, Subject};
use crate::domain::ValidationErrors;
use crate::letters::pdf;
use crate::store::letters as letter_store;
use crate::store::CaseFile;
use chrono::{DateTime, Utc};

/// The letterhead logo (PNG), if one is set.
pub async fn letterhead_logo(file: &CaseFile) -> Result<Option<Vec<u8>>, ServiceError> {
    Ok(letter_store::logo(&mut *file.read().await?).await?)
}

/// Sets the letterhead logo (a PNG of at most 2 MiB), or removes it with `None`.
pub async fn set_letterhead_logo(
    file: &CaseFile,
    png: Option<&[u8]>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    if let Some(png) = png {
        let mut errors = ValidationErrors::default();
        if png.len() > 2 * 1024 * 1024 {
            errors.add("logo", "The logo is larger than 2 MiB; use a smaller PNG.");
        } else if !png.starts_with(b"\x89PNG\r\n\x1a\n") || pdf::png_size(png).is_err() {
            errors.add("logo", "The logo must be a PNG image.");
        }
        errors.into_result(())?;
    }
    let mut tx = file.write().await?;
    letter_store::set_logo_in_tx(&mut tx, png, now, actor).await?;
    let sha256 = png.map(|p| {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(p))
    });
    record_file_event(&mut tx, Subject::Logo, now, actor, AuditEvent::LogoChanged { sha256 }).await?;
    tx.commit().await?;
    Ok(())
}
