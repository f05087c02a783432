//! The system-of-record extract (`reference_extract`, `reference_value`): the key made for it,
//! what it holds (how many records, which data points) and, per record and data point, the
//! keyed hash of the normalised value — never the value. One extract at a time.

use super::{instant_text, parse_instant, Conn, StoreError, Tx};

/// Rows per INSERT (three values each, well under SQLite's variable limit).
const ROWS_PER_INSERT: usize = 500;
use chrono::{DateTime, Utc};

/// What the extract in force holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractRecord {
    pub key: Vec<u8>,
    pub records: u64,
    pub fields: Vec<String>,
    pub loaded_at: DateTime<Utc>,
    pub loaded_by: String,
}

pub async fn current(conn: &mut Conn) -> Result<Option<ExtractRecord>, StoreError> {
    let row: Option<(Vec<u8>, i64, String, String, String)> =
        sqlx::query_as("SELECT hmac_key, records, fields, loaded_at, loaded_by FROM reference_extract WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(key, records, fields, at, by)| {
        Ok(ExtractRecord {
            key,
            records: records as u64,
            fields: fields.split(',').filter(|f| !f.is_empty()).map(str::to_owned).collect(),
            loaded_at: parse_instant(&at)?,
            loaded_by: by,
        })
    })
    .transpose()
}

/// Forgets the extract in force, key and hashes (a new one's values follow with
/// [`insert_values_in_tx`], then its summary with [`insert_extract_in_tx`]).
pub async fn clear_in_tx(tx: &mut Tx<'_>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM reference_value").execute(tx.conn()).await?;
    sqlx::query("DELETE FROM reference_extract").execute(tx.conn()).await?;
    Ok(())
}

/// Records the extract's key and summary.
pub async fn insert_extract_in_tx(tx: &mut Tx<'_>, extract: &ExtractRecord) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO reference_extract (id, hmac_key, records, fields, loaded_at, loaded_by) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
    )
    .bind(&extract.key)
    .bind(extract.records as i64)
    .bind(extract.fields.join(","))
    .bind(instant_text(extract.loaded_at))
    .bind(&extract.loaded_by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// (record, field, digest) rows of the extract being loaded.
pub async fn insert_values_in_tx(tx: &mut Tx<'_>, rows: &[(i64, &str, [u8; 32])]) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut b = sqlx::QueryBuilder::new("INSERT INTO reference_value (record, field, digest) ");
        b.push_values(chunk, |mut row, (record, field, digest)| {
            row.push_bind(*record).push_bind(*field).push_bind(digest.to_vec());
        });
        b.build().execute(tx.conn()).await?;
    }
    Ok(())
}

/// The record matching the most of `points` (field, digest), and how many it matches; `None`
/// when no record matches any. Ties go to the first record in the extract.
pub async fn best_record(conn: &mut Conn, points: &[(String, [u8; 32])]) -> Result<Option<(i64, u32)>, StoreError> {
    if points.is_empty() {
        return Ok(None);
    }
    let mut b = sqlx::QueryBuilder::new("SELECT record, COUNT(*) AS n FROM reference_value WHERE ");
    for (i, (field, digest)) in points.iter().enumerate() {
        if i > 0 {
            b.push(" OR ");
        }
        b.push("(field = ")
            .push_bind(field.clone())
            .push(" AND digest = ")
            .push_bind(digest.to_vec())
            .push(")");
    }
    b.push(" GROUP BY record ORDER BY n DESC, record LIMIT 1");
    let row: Option<(i64, i64)> = b.build_query_as().fetch_optional(conn).await?;
    Ok(row.map(|(record, n)| (record, n as u32)))
}

/// The digests one record holds, by field.
pub async fn record_values(conn: &mut Conn, record: i64) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    Ok(
        sqlx::query_as("SELECT field, digest FROM reference_value WHERE record = ?1")
            .bind(record)
            .fetch_all(conn)
            .await?,
    )
}
