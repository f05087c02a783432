//! Notes on a case (`case_note`): appended, never edited.

use super::{instant_text, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqliteConnection;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
pub struct Note {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub author: String,
    pub body: String,
}

pub async fn insert_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    author: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<Note, StoreError> {
    Ok(sqlx::query_as(
        "INSERT INTO case_note (case_id, at, author, body) VALUES (?1, ?2, ?3, ?4) RETURNING id, at, author, body",
    )
    .bind(case_id)
    .bind(instant_text(at))
    .bind(author)
    .bind(body)
    .fetch_one(conn)
    .await?)
}

/// A case's notes, oldest first.
pub async fn for_case(conn: &mut SqliteConnection, case_id: i64) -> Result<Vec<Note>, StoreError> {
    Ok(
        sqlx::query_as("SELECT id, at, author, body FROM case_note WHERE case_id = ?1 ORDER BY id")
            .bind(case_id)
            .fetch_all(conn)
            .await?,
    )
}
