//! The emails cases were logged from (`case_email`), by Message-ID.

use super::{Conn, StoreError, Tx};
use crate::domain::CaseNumber;

/// The case an email with this Message-ID was logged as, if any.
pub async fn logged_as(conn: &mut Conn, message_id: &str) -> Result<Option<CaseNumber>, StoreError> {
    let number: Option<String> = sqlx::query_scalar(
        "SELECT c.number FROM case_email m JOIN privacy_case c ON c.id = m.case_id WHERE m.message_id = ?1",
    )
    .bind(message_id)
    .fetch_optional(conn)
    .await?;
    number.map(|n| n.parse().map_err(StoreError::Corrupt)).transpose()
}

/// Remembers that a case was logged from this email.
pub async fn insert_in_tx(tx: &mut Tx<'_>, message_id: &str, case_id: i64) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_email (message_id, case_id) VALUES (?1, ?2)")
        .bind(message_id)
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}
