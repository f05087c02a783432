//! Versions of the organisation profile (`organisation_profile`), each kept as its TOML text.

use super::{instant_text, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};

/// A stored version of the profile, as text (parsing is the domain's job).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredProfile {
    pub version: i64,
    pub saved_at: String,
    pub saved_by: String,
    pub document: String,
}

/// The newest version, if any.
pub async fn current(conn: &mut Conn) -> Result<Option<StoredProfile>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT version, saved_at, saved_by, document FROM organisation_profile ORDER BY version DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?)
}

/// Appends a version and returns its number.
pub async fn insert_in_tx(
    tx: &mut Tx<'_>,
    document: &str,
    saved_by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO organisation_profile (version, saved_at, saved_by, document)
         VALUES ((SELECT coalesce(max(version), 0) + 1 FROM organisation_profile), ?1, ?2, ?3) RETURNING version",
    )
    .bind(instant_text(at))
    .bind(saved_by)
    .bind(document)
    .fetch_one(tx.conn())
    .await?)
}
