//! The specific pieces staff type for a response to know (`specific_item`).

use super::{instant_text, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRecord {
    pub id: i64,
    pub category: String,
    pub label: String,
    /// `None`: a § 7024(d) value, collected but never kept here.
    pub value: Option<String>,
}

pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Vec<ItemRecord>, StoreError> {
    let rows: Vec<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, category, label, value FROM specific_item WHERE case_id = ?1 ORDER BY id")
            .bind(case_id)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, category, label, value)| ItemRecord {
            id,
            category,
            label,
            value,
        })
        .collect())
}

pub async fn insert_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    category: &str,
    label: &str,
    value: Option<&str>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO specific_item (case_id, category, label, value, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
    )
    .bind(case_id)
    .bind(category)
    .bind(label)
    .bind(value)
    .bind(actor)
    .bind(instant_text(at))
    .fetch_one(tx.conn())
    .await?)
}
