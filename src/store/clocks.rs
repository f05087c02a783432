//! What a case's clocks depend on, and the acts that meet them: `case_acknowledgment`,
//! `case_extension`, `case_clock_act`. Due dates are never stored.

use super::{instant_text, parse_date, StoreError};
use crate::domain::clock::{Acknowledgment, ClockFacts, Extension};
use crate::domain::deadline::ClockKind;
use crate::domain::{CaseNumber, CaseStatus, Channel, RequestKind};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

const SELECT_FACTS: &str = "
    SELECT c.id, c.number, r.name, c.status, c.received_date, c.time_zone,
           (SELECT group_concat(k.kind, ',') FROM case_request_kind k WHERE k.case_id = c.id) AS kinds,
           a.acknowledged_on, a.channel AS ack_channel, e.reason, e.notice_on,
           (SELECT done_on FROM case_clock_act x WHERE x.case_id = c.id AND x.clock = 'respond') AS responded_on,
           (SELECT done_on FROM case_clock_act x WHERE x.case_id = c.id AND x.clock = 'comply') AS complied_on
    FROM privacy_case c
    JOIN requester r ON r.id = c.requester_id
    LEFT JOIN case_acknowledgment a ON a.case_id = c.id
    LEFT JOIN case_extension e ON e.case_id = c.id";

/// A case's clock facts with what the dashboard shows beside them.
#[derive(Debug, Clone)]
pub struct CaseClockRecord {
    pub id: i64,
    pub number: CaseNumber,
    pub requester: String,
    pub status: CaseStatus,
    pub facts: ClockFacts,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    number: String,
    name: String,
    status: String,
    received_date: String,
    time_zone: String,
    kinds: Option<String>,
    acknowledged_on: Option<String>,
    ack_channel: Option<String>,
    reason: Option<String>,
    notice_on: Option<String>,
    responded_on: Option<String>,
    complied_on: Option<String>,
}

fn opt_date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.as_deref().map(parse_date).transpose()
}

impl TryFrom<FactsRow> for CaseClockRecord {
    type Error = StoreError;
    fn try_from(row: FactsRow) -> Result<Self, StoreError> {
        let corrupt = |e: String| StoreError::Corrupt(e);
        let acknowledgment = match (opt_date(row.acknowledged_on)?, row.ack_channel) {
            (Some(on), Some(channel)) => Some(Acknowledgment {
                on,
                channel: channel.parse::<Channel>().map_err(|e| corrupt(e.to_string()))?,
            }),
            _ => None,
        };
        let extension = match (row.reason, opt_date(row.notice_on)?) {
            (Some(reason), Some(notice_on)) => Some(Extension { reason, notice_on }),
            _ => None,
        };
        Ok(CaseClockRecord {
            id: row.id,
            number: row.number.parse().map_err(corrupt)?,
            requester: row.name,
            status: row
                .status
                .parse()
                .map_err(|e: crate::domain::request::UnknownToken| corrupt(e.to_string()))?,
            facts: ClockFacts {
                received_date: parse_date(&row.received_date)?,
                time_zone: row.time_zone,
                kinds: RequestKind::parse_list(row.kinds.as_deref().unwrap_or(""))
                    .map_err(|e| corrupt(e.to_string()))?,
                acknowledgment,
                extension,
                responded_on: opt_date(row.responded_on)?,
                complied_on: opt_date(row.complied_on)?,
            },
        })
    }
}

/// One case's clock facts.
pub async fn find(conn: &mut SqliteConnection, number: CaseNumber) -> Result<Option<CaseClockRecord>, StoreError> {
    let row: Option<FactsRow> = sqlx::query_as(&format!("{SELECT_FACTS} WHERE c.number = ?1"))
        .bind(number.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(CaseClockRecord::try_from).transpose()
}

/// The clock facts of every case whose clocks still run.
pub async fn open_cases(conn: &mut SqliteConnection) -> Result<Vec<CaseClockRecord>, StoreError> {
    let statuses = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let rows: Vec<FactsRow> = sqlx::query_as(&format!("{SELECT_FACTS} WHERE c.status IN ({statuses})"))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(CaseClockRecord::try_from).collect()
}

/// The clock facts of the cases with these row ids (any status), in no particular order.
pub async fn by_ids(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<CaseClockRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = super::where_id_in(SELECT_FACTS, ids);
    let rows: Vec<FactsRow> = b.build_query_as().fetch_all(conn).await?;
    rows.into_iter().map(CaseClockRecord::try_from).collect()
}

/// Records the acknowledgment and moves a `new` case to `acknowledged`; says whether the status
/// changed.
pub async fn insert_acknowledgment_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    ack: &Acknowledgment,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    sqlx::query(
        "INSERT INTO case_acknowledgment (case_id, acknowledged_on, channel, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(case_id)
    .bind(ack.on.to_string())
    .bind(ack.channel.token())
    .bind(instant_text(now))
    .execute(&mut *conn)
    .await?;
    let moved = sqlx::query(
        "UPDATE privacy_case SET status = 'acknowledged', updated_at = ?2, version = version + 1 WHERE id = ?1 AND status = 'new'",
    )
    .bind(case_id)
    .bind(instant_text(now))
    .execute(&mut *conn)
    .await?;
    Ok(moved.rows_affected() == 1)
}

pub async fn insert_extension_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    ext: &Extension,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_extension (case_id, reason, notice_on, recorded_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(case_id)
        .bind(&ext.reason)
        .bind(ext.notice_on.to_string())
        .bind(instant_text(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the response (`respond`) or the compliance (`comply`).
pub async fn insert_act_in_tx(
    conn: &mut SqliteConnection,
    case_id: i64,
    clock: ClockKind,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let token = match clock {
        ClockKind::Respond | ClockKind::RespondExtended => "respond",
        ClockKind::Comply => "comply",
        ClockKind::Acknowledge => {
            return Err(StoreError::Corrupt(
                "an acknowledgment is recorded with its channel".into(),
            ))
        }
    };
    sqlx::query("INSERT INTO case_clock_act (case_id, clock, done_on, recorded_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(case_id)
        .bind(token)
        .bind(on.to_string())
        .bind(instant_text(now))
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the next due date of each of these cases (the queue's "next due" sort key): the due
/// date of the pending clock that ends first for an open case, NULL when none runs or the case
/// is closed. Call in the transaction that changes a case's clock facts or status.
pub async fn refresh_next_due_in_tx(conn: &mut SqliteConnection, ids: &[i64]) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        let records = by_ids(&mut *conn, chunk).await?;
        let facts: Vec<(i64, CaseStatus, &ClockFacts)> = records.iter().map(|r| (r.id, r.status, &r.facts)).collect();
        set_next_due_in_tx(&mut *conn, &facts).await?;
    }
    Ok(())
}

/// [`refresh_next_due_in_tx`] from facts already in hand (cases just logged).
pub async fn set_next_due_in_tx(
    conn: &mut SqliteConnection,
    cases: &[(i64, CaseStatus, &ClockFacts)],
) -> Result<(), StoreError> {
    let settings = super::settings::clock_settings(&mut *conn).await?;
    let calendar = settings.business_calendar();
    for chunk in cases.chunks(500) {
        let mut b = sqlx::QueryBuilder::new("UPDATE privacy_case SET next_due = v.column2 FROM (");
        b.push_values(chunk, |mut row, (id, status, facts)| {
            let due = CaseStatus::OPEN
                .contains(status)
                .then(|| crate::domain::clock::next_due_date(facts, &calendar, settings.rules()))
                .flatten();
            row.push_bind(*id).push_bind(due.map(|d| d.to_string()));
        });
        b.push(") AS v WHERE privacy_case.id = v.column1");
        b.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// [`refresh_next_due_in_tx`] for every open case (after the clock settings change).
pub async fn refresh_all_next_due_in_tx(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    let statuses = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM privacy_case WHERE status IN ({statuses})"))
        .fetch_all(&mut *conn)
        .await?;
    refresh_next_due_in_tx(conn, &ids).await
}
