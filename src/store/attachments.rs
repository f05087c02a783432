//! Files kept with a case (`case_attachment`), inside the encrypted case file.

use super::{instant_text, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use ts_rs::TS;

/// An attachment without its content (what lists show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size: i64,
    pub sha256: String,
    pub added_at: String,
    pub added_by: String,
}

pub async fn insert_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    name: &str,
    media_type: &str,
    content: &[u8],
    at: DateTime<Utc>,
    by: &str,
) -> Result<Attachment, StoreError> {
    let sha256 = hex::encode(Sha256::digest(content));
    Ok(sqlx::query_as(
        "INSERT INTO case_attachment (case_id, name, media_type, size, sha256, content, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         RETURNING id, name, media_type, size, sha256, added_at, added_by",
    )
    .bind(case_id)
    .bind(name)
    .bind(media_type)
    .bind(content.len() as i64)
    .bind(sha256)
    .bind(content)
    .bind(instant_text(at))
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// A case's attachments, oldest first, without content.
pub async fn for_case(conn: &mut SqliteConnection, case_id: i64) -> Result<Vec<Attachment>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id, name, media_type, size, sha256, added_at, added_by FROM case_attachment WHERE case_id = ?1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?)
}

#[derive(sqlx::FromRow)]
struct WithContent {
    #[sqlx(flatten)]
    info: Attachment,
    content: Vec<u8>,
}

/// One attachment with its content.
pub async fn content(conn: &mut SqliteConnection, id: i64) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
    let row: Option<WithContent> = sqlx::query_as(
        "SELECT id, name, media_type, size, sha256, added_at, added_by, content FROM case_attachment WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.info, r.content)))
}
