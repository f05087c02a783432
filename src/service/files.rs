//! Files kept with a case (the email a request came in, a scanned letter, a signed permission):
//! stored inside the encrypted case file and named in the history by their SHA-256, never by
//! their content; a copy can be saved or opened outside.

use super::cases::{case_detail, case_id, find_case, CaseDetail};
use super::ServiceError;
use crate::store::{audit, CaseFile};
use chrono::{DateTime, Utc};

/// A file to keep with a new case (e.g. the email the request came in).
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct NewAttachment {
    pub name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// Largest attachment accepted (bytes).
pub const MAX_ATTACHMENT: usize = 25 * 1024 * 1024;

/// Keeps a file with a case, inside the encrypted case file; the history names it and its
/// SHA-256 (never its content).
pub async fn add_attachment(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    name: &str,
    media_type: &str,
    content: &[u8],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let new = NewAttachment {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        content: content.to_vec(),
    };
    check_attachment(&new.name, &new.content)?;
    find_case(file, number).await?;
    let mut tx = file.begin().await?;
    let case_id = case_id(&mut tx, number).await?;
    attach_in_tx(&mut tx, case_id, number, &new, now, actor).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or("").trim()
}

pub(crate) fn check_attachment(name: &str, content: &[u8]) -> Result<(), ServiceError> {
    let mut errors = crate::domain::ValidationErrors::default();
    if base_name(name).is_empty() {
        errors.add("name", "The file needs a name.");
    }
    if content.is_empty() {
        errors.add("content", "The file is empty.");
    } else if content.len() > MAX_ATTACHMENT {
        errors.add("content", "The file is larger than 25 MB.");
    }
    Ok(errors.into_result(())?)
}

pub(crate) async fn attach_in_tx(
    tx: &mut sqlx::SqliteConnection,
    case_id: i64,
    number: crate::domain::CaseNumber,
    f: &NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let media_type = if f.media_type.trim().is_empty() {
        "application/octet-stream"
    } else {
        f.media_type.trim()
    };
    let added = crate::store::attachments::insert_in_tx(
        &mut *tx,
        case_id,
        base_name(&f.name),
        media_type,
        &f.content,
        now,
        actor,
    )
    .await?;
    audit::append_in_tx(
        &mut *tx,
        case_id,
        number,
        now,
        actor,
        "attachment.added",
        None,
        Some(&super::json(&added)?),
    )
    .await?;
    Ok(())
}

/// Writes a copy of an attachment into `folder` (a new name if one is taken) and returns its path.
pub async fn save_attachment_copy(
    file: &CaseFile,
    id: i64,
    folder: &std::path::Path,
) -> Result<std::path::PathBuf, ServiceError> {
    let (info, content) = attachment_content(file, id).await?;
    super::save_copy(folder, &info.name, &content)
}

/// A file kept with a case, with its content.
pub async fn attachment_content(
    file: &CaseFile,
    id: i64,
) -> Result<(crate::store::attachments::Attachment, Vec<u8>), ServiceError> {
    crate::store::attachments::content(&mut *file.acquire().await?, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Attachment {id}")))
}
