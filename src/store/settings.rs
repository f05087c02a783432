//! Organisation settings kept in the case file (`organisation_setting`), such as the time zone
//! legal dates are taken in.

use super::StoreError;
use crate::domain::deadline::ClockSettings;
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

async fn setting(conn: &mut SqliteConnection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM organisation_setting WHERE key = ?1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

async fn put_setting(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO organisation_setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await?;
    Ok(())
}

fn parse_setting<T>(value: Option<String>) -> Result<T, StoreError>
where
    T: std::str::FromStr + Default,
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(T::default()),
        Some(v) => v.parse().map_err(|e: T::Err| StoreError::Corrupt(e.to_string())),
    }
}

/// The calendar, closure dates and the two readings the clocks are derived with.
pub async fn clock_settings(conn: &mut SqliteConnection) -> Result<ClockSettings, StoreError> {
    let calendar = parse_setting(setting(&mut *conn, "calendar").await?)?;
    let receipt_day = parse_setting(setting(&mut *conn, "receipt_day").await?)?;
    let due_date_roll = parse_setting(setting(&mut *conn, "due_date_roll").await?)?;
    let closures: Vec<String> = sqlx::query_scalar("SELECT closed_on FROM calendar_closure ORDER BY closed_on")
        .fetch_all(&mut *conn)
        .await?;
    let closures = closures
        .iter()
        .map(|d| super::parse_date(d))
        .collect::<Result<_, _>>()?;
    Ok(ClockSettings {
        calendar,
        closures,
        receipt_day,
        due_date_roll,
    })
}

/// Replaces the clock settings (call inside a transaction).
pub async fn save_clock_settings_in_tx(conn: &mut SqliteConnection, s: &ClockSettings) -> Result<(), StoreError> {
    put_setting(&mut *conn, "calendar", s.calendar.token()).await?;
    put_setting(&mut *conn, "receipt_day", s.receipt_day.token()).await?;
    put_setting(&mut *conn, "due_date_roll", s.due_date_roll.token()).await?;
    sqlx::query("DELETE FROM calendar_closure").execute(&mut *conn).await?;
    for d in &s.closures {
        sqlx::query("INSERT INTO calendar_closure (closed_on) VALUES (?1) ON CONFLICT DO NOTHING")
            .bind(d.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The staff name kept for this desk, if one was given.
pub async fn staff_name(conn: &mut SqliteConnection) -> Result<Option<String>, StoreError> {
    setting(conn, "staff_name").await
}

pub async fn set_staff_name(conn: &mut SqliteConnection, name: &str) -> Result<(), StoreError> {
    put_setting(conn, "staff_name", name).await
}
