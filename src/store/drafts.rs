//! The intake draft (`intake_draft`): the new request being typed, as the window left it.

use super::{instant_text, parse_instant, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};

/// Keeps `document` as the draft, replacing the one before.
pub async fn save_in_tx(tx: &mut Tx<'_>, document: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO intake_draft (id, document, saved_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, saved_at = excluded.saved_at",
    )
    .bind(document)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The draft and when it was saved, if there is one.
pub async fn current(conn: &mut Conn) -> Result<Option<(String, DateTime<Utc>)>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT document, saved_at FROM intake_draft WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    row.map(|(document, at)| Ok((document, parse_instant(&at)?)))
        .transpose()
}

pub async fn delete_in_tx(tx: &mut Tx<'_>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM intake_draft").execute(tx.conn()).await?;
    Ok(())
}
