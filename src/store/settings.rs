//! Organisation settings kept in the case file (`organisation_setting`, `calendar_closure`): the
//! time zone legal dates are taken in, the clock settings, the staff name at this desk.

use super::{Conn, StoreError, Tx};
use crate::domain::deadline::ClockSettings;
use crate::domain::time::{parse_time_zone, DEFAULT_TIME_ZONE};
use chrono_tz::Tz;
use std::collections::HashMap;

/// One setting's value, if set.
pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT value FROM organisation_setting WHERE key = ?1")
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets one setting (call inside the write that depends on it).
pub async fn put_in_tx(tx: &mut Tx<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO organisation_setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Removes one setting (call inside the write that depends on it).
pub async fn remove_in_tx(tx: &mut Tx<'_>, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM organisation_setting WHERE key = ?1")
        .bind(key)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The organisation's time zone (America/Los_Angeles until changed).
pub async fn time_zone(conn: &mut Conn) -> Result<Tz, StoreError> {
    match get(conn, "time_zone").await? {
        None => Ok(DEFAULT_TIME_ZONE),
        Some(name) => parse_time_zone(&name).map_err(StoreError::Corrupt),
    }
}

fn parse_setting<T>(value: Option<&String>) -> Result<T, StoreError>
where
    T: std::str::FromStr + Default,
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(T::default()),
        Some(v) => v.parse().map_err(|e: T::Err| StoreError::Corrupt(e.to_string())),
    }
}

/// Everything legal dates and due dates are derived with: the time zone and the clock
/// settings (calendar, closure dates, the two readings), read in two statements.
#[derive(Debug, Clone)]
pub struct DateRules {
    pub time_zone: Tz,
    pub clocks: ClockSettings,
}

/// The time zone and the clock settings, as every clock on a screen is derived with.
pub async fn date_rules(conn: &mut Conn) -> Result<DateRules, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM organisation_setting WHERE key IN ('time_zone', 'calendar', 'receipt_day', 'due_date_roll')",
    )
    .fetch_all(&mut *conn)
    .await?;
    let values: HashMap<String, String> = rows.into_iter().collect();
    let closures: Vec<String> = sqlx::query_scalar("SELECT closed_on FROM calendar_closure ORDER BY closed_on")
        .fetch_all(&mut *conn)
        .await?;
    let time_zone = match values.get("time_zone") {
        None => DEFAULT_TIME_ZONE,
        Some(name) => parse_time_zone(name).map_err(StoreError::Corrupt)?,
    };
    Ok(DateRules {
        time_zone,
        clocks: ClockSettings {
            calendar: parse_setting(values.get("calendar"))?,
            closures: closures
                .iter()
                .map(|d| super::parse_date(d))
                .collect::<Result<_, _>>()?,
            receipt_day: parse_setting(values.get("receipt_day"))?,
            due_date_roll: parse_setting(values.get("due_date_roll"))?,
        },
    })
}

/// The calendar, closure dates and the two readings the clocks are derived with.
pub async fn clock_settings(conn: &mut Conn) -> Result<ClockSettings, StoreError> {
    Ok(date_rules(conn).await?.clocks)
}

/// Replaces the clock settings.
pub async fn save_clock_settings_in_tx(tx: &mut Tx<'_>, s: &ClockSettings) -> Result<(), StoreError> {
    put_in_tx(tx, "calendar", s.calendar.token()).await?;
    put_in_tx(tx, "receipt_day", s.receipt_day.token()).await?;
    put_in_tx(tx, "due_date_roll", s.due_date_roll.token()).await?;
    sqlx::query("DELETE FROM calendar_closure").execute(tx.conn()).await?;
    for d in &s.closures {
        sqlx::query("INSERT INTO calendar_closure (closed_on) VALUES (?1) ON CONFLICT DO NOTHING")
            .bind(d.to_string())
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The staff name kept for this desk, if one was given.
pub async fn staff_name(conn: &mut Conn) -> Result<Option<String>, StoreError> {
    get(conn, "staff_name").await
}

pub async fn set_staff_name_in_tx(tx: &mut Tx<'_>, name: &str) -> Result<(), StoreError> {
    put_in_tx(tx, "staff_name", name).await
}
