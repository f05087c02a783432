//! Files kept with a case (`case_attachment`), inside the encrypted case file.

use super::{instant_text, parse_instant, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// A file kept with a case, without its content (what lists show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: i64,
    pub sha256: String,
    #[ts(type = "string")]
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

#[derive(sqlx::FromRow)]
struct AttachmentRow {
    id: i64,
    name: String,
    media_type: String,
    size: i64,
    sha256: String,
    added_at: String,
    added_by: String,
}

impl TryFrom<AttachmentRow> for Attachment {
    type Error = StoreError;
    fn try_from(r: AttachmentRow) -> Result<Attachment, StoreError> {
        Ok(Attachment {
            id: r.id,
            name: r.name,
            media_type: r.media_type,
            size: r.size,
            sha256: r.sha256,
            added_at: parse_instant(&r.added_at)?,
            added_by: r.added_by,
        })
    }
}

const COLUMNS: &str = "id, name, media_type, size, sha256, added_at, added_by";

pub async fn insert_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    name: &str,
    media_type: &str,
    content: &[u8],
    at: DateTime<Utc>,
    by: &str,
) -> Result<Attachment, StoreError> {
    let sha256 = hex::encode(Sha256::digest(content));
    let row: AttachmentRow = sqlx::query_as(&format!(
        "INSERT INTO case_attachment (case_id, name, media_type, size, sha256, content, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING {COLUMNS}"
    ))
    .bind(case_id)
    .bind(name)
    .bind(media_type)
    .bind(content.len() as i64)
    .bind(sha256)
    .bind(content)
    .bind(instant_text(at))
    .bind(by)
    .fetch_one(tx.conn())
    .await?;
    row.try_into()
}

/// A case's attachments, oldest first, without content.
pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Vec<Attachment>, StoreError> {
    let rows: Vec<AttachmentRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM case_attachment WHERE case_id = ?1 ORDER BY id"
    ))
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(Attachment::try_from).collect()
}

#[derive(sqlx::FromRow)]
struct WithContent {
    #[sqlx(flatten)]
    info: AttachmentRow,
    content: Vec<u8>,
}

/// One attachment with its content.
pub async fn content(conn: &mut Conn, id: i64) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
    let row: Option<WithContent> =
        sqlx::query_as(&format!("SELECT {COLUMNS}, content FROM case_attachment WHERE id = ?1"))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|r| Ok((r.info.try_into()?, r.content))).transpose()
}
