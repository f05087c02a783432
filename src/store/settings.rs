//! Organisation settings kept in the case file (`organisation_setting`), such as the time zone
//! legal dates are taken in.

use super::StoreError;
use crate::domain::time::{parse_time_zone, DEFAULT_TIME_ZONE};
use chrono_tz::Tz;
use sqlx::SqliteConnection;

/// The organisation's time zone (America/Los_Angeles until changed).
pub async fn time_zone(conn: &mut SqliteConnection) -> Result<Tz, StoreError> {
    let name: Option<String> = sqlx::query_scalar("SELECT value FROM organisation_setting WHERE key = 'time_zone'")
        .fetch_optional(conn)
        .await?;
    match name {
        None => Ok(DEFAULT_TIME_ZONE),
        Some(name) => parse_time_zone(&name).map_err(StoreError::Corrupt),
    }
}
