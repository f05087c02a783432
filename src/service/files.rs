//! Files kept with a case (the email a request came in, a scanned letter, a signed permission):
//! stored inside the encrypted case file and named in the history by their SHA-256, never by
//! their content; a copy can be saved or opened outside.

use super::case_view::{case_id, record, view_in, CaseView};
use super::ServiceError;
use crate::domain::history::AuditEvent;
use crate::domain::CaseNumber;
use crate::store::attachments::{self, Attachment};
use crate::store::{CaseFile, Tx};
use chrono::{DateTime, Utc};

/// A file to keep with a case (e.g. the email the request came in).
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
    number: CaseNumber,
    new: &NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    check_attachment(&new.name, &new.content)?;
    let mut tx = file.write().await?;
    let case_id = case_id(&mut tx, number).await?;
    attach_in_tx(&mut tx, case_id, number, new, now, actor).await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
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
    tx: &mut Tx<'_>,
    case_id: i64,
    number: CaseNumber,
    f: &NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Attachment, ServiceError> {
    let media_type = if f.media_type.trim().is_empty() {
        "application/octet-stream"
    } else {
        f.media_type.trim()
    };
    let added = attachments::insert_in_tx(tx, case_id, base_name(&f.name), media_type, &f.content, now, actor).await?;
    record(
        tx,
        case_id,
        number,
        now,
        actor,
        AuditEvent::FileAttached {
            file: added.id,
            name: added.name.clone(),
            media_type: added.media_type.clone(),
            size: added.size,
            sha256: added.sha256.clone(),
        },
    )
    .await?;
    Ok(added)
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
pub async fn attachment_content(file: &CaseFile, id: i64) -> Result<(Attachment, Vec<u8>), ServiceError> {
    attachments::content(&mut *file.read().await?, id)
        .await?
        .ok_or_else(|| ServiceError::not_found("File", id))
}
