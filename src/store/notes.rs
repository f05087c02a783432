//! Notes on a case (`case_note`): appended, never edited.

use super::{instant_text, parse_instant, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Note {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub author: String,
    pub body: String,
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    at: String,
    author: String,
    body: String,
}

impl TryFrom<NoteRow> for Note {
    type Error = StoreError;
    fn try_from(r: NoteRow) -> Result<Note, StoreError> {
        Ok(Note {
            id: r.id,
            at: parse_instant(&r.at)?,
            author: r.author,
            body: r.body,
        })
    }
}

pub async fn insert_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    author: &str,
    body: &str,
    at: DateTime<Utc>,
) -> Result<Note, StoreError> {
    let row: NoteRow = sqlx::query_as(
        "INSERT INTO case_note (case_id, at, author, body) VALUES (?1, ?2, ?3, ?4) RETURNING id, at, author, body",
    )
    .bind(case_id)
    .bind(instant_text(at))
    .bind(author)
    .bind(body)
    .fetch_one(tx.conn())
    .await?;
    row.try_into()
}

/// A case's notes, oldest first.
pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Vec<Note>, StoreError> {
    let rows: Vec<NoteRow> =
        sqlx::query_as("SELECT id, at, author, body FROM case_note WHERE case_id = ?1 ORDER BY id")
            .bind(case_id)
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(Note::try_from).collect()
}
