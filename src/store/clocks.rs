//! What a case's clocks depend on, and the acts that meet them: `case_acknowledgment`,
//! `case_extension`, `case_clock_act`. Due dates are derived from these facts; the one stored
//! copy is `privacy_case.next_due` with `next_clock` (the queue's sort key and what its rows
//! show), rewritten with every change to them.

use super::{instant_text, parse_date, Conn, StoreError, Tx};
use crate::domain::clock::{Acknowledgment, ClockFacts, Extension};
use crate::domain::deadline::ClockKind;
use crate::domain::{CaseNumber, CaseStatus, Channel, RequestKind};
use chrono::{DateTime, NaiveDate, Utc};

/// The columns a case's clock facts are read from, beside `privacy_case c` (see [`FACT_JOINS`]).
pub(crate) const FACT_COLUMNS: &str =
    "a.acknowledged_on, a.channel AS ack_channel, e.reason AS ext_reason, e.notice_on,
    (SELECT done_on FROM case_clock_act x WHERE x.case_id = c.id AND x.clock = 'respond') AS responded_on,
    (SELECT done_on FROM case_clock_act x WHERE x.case_id = c.id AND x.clock = 'comply') AS complied_on";

pub(crate) const FACT_JOINS: &str =
    " LEFT JOIN case_acknowledgment a ON a.case_id = c.id LEFT JOIN case_extension e ON e.case_id = c.id";

const SELECT_FACTS: &str = "SELECT c.id, c.number, r.name, c.status, c.received_date, c.time_zone, c.kinds, ";

fn select_facts() -> String {
    format!("{SELECT_FACTS}{FACT_COLUMNS} FROM privacy_case c JOIN requester r ON r.id = c.requester_id{FACT_JOINS}")
}

/// A case's clock facts with what the dashboard shows beside them.
#[derive(Debug, Clone)]
pub struct CaseClockRecord {
    pub id: i64,
    pub number: CaseNumber,
    pub requester: String,
    pub status: CaseStatus,
    pub facts: ClockFacts,
}

/// The acts recorded for a case's clocks, as read beside the case.
#[derive(sqlx::FromRow)]
pub(crate) struct FactColumns {
    acknowledged_on: Option<String>,
    ack_channel: Option<String>,
    ext_reason: Option<String>,
    notice_on: Option<String>,
    responded_on: Option<String>,
    complied_on: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    number: String,
    name: String,
    status: String,
    received_date: String,
    time_zone: String,
    kinds: String,
    #[sqlx(flatten)]
    acts: FactColumns,
}

fn opt_date(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.as_deref().map(parse_date).transpose()
}

pub(crate) fn facts(
    received_date: NaiveDate,
    time_zone: String,
    kinds: Vec<RequestKind>,
    acts: FactColumns,
) -> Result<ClockFacts, StoreError> {
    let acknowledgment = match (opt_date(acts.acknowledged_on)?, acts.ack_channel) {
        (Some(on), Some(channel)) => Some(Acknowledgment {
            on,
            channel: channel
                .parse::<Channel>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        }),
        _ => None,
    };
    let extension = match (acts.ext_reason, opt_date(acts.notice_on)?) {
        (Some(reason), Some(notice_on)) => Some(Extension { reason, notice_on }),
        _ => None,
    };
    Ok(ClockFacts {
        received_date,
        time_zone,
        kinds,
        acknowledgment,
        extension,
        responded_on: opt_date(acts.responded_on)?,
        complied_on: opt_date(acts.complied_on)?,
    })
}

impl TryFrom<FactsRow> for CaseClockRecord {
    type Error = StoreError;
    fn try_from(row: FactsRow) -> Result<Self, StoreError> {
        let corrupt = |e: String| StoreError::Corrupt(e);
        let kinds = RequestKind::parse_list(&row.kinds).map_err(|e| corrupt(e.to_string()))?;
        Ok(CaseClockRecord {
            id: row.id,
            number: row.number.parse().map_err(corrupt)?,
            requester: row.name,
            status: row
                .status
                .parse()
                .map_err(|e: crate::domain::request::UnknownToken| corrupt(e.to_string()))?,
            facts: facts(parse_date(&row.received_date)?, row.time_zone, kinds, row.acts)?,
        })
    }
}

/// One case's clock facts.
pub async fn find(conn: &mut Conn, number: CaseNumber) -> Result<Option<CaseClockRecord>, StoreError> {
    let row: Option<FactsRow> = sqlx::query_as(&format!("{} WHERE c.number = ?1", select_facts()))
        .bind(number.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(CaseClockRecord::try_from).transpose()
}

/// The clock facts of every case whose clocks still run.
pub async fn open_cases(conn: &mut Conn) -> Result<Vec<CaseClockRecord>, StoreError> {
    let statuses = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let rows: Vec<FactsRow> = sqlx::query_as(&format!("{} WHERE c.status IN ({statuses})", select_facts()))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(CaseClockRecord::try_from).collect()
}

/// The clock facts of the cases with these row ids (any status), in no particular order.
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<CaseClockRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = super::where_id_in(&select_facts(), ids);
    let rows: Vec<FactsRow> = b.build_query_as().fetch_all(conn).await?;
    rows.into_iter().map(CaseClockRecord::try_from).collect()
}

/// Records the acknowledgment and moves a `new` case to `acknowledged`; says whether the status
/// changed.
pub async fn insert_acknowledgment_in_tx(
    tx: &mut Tx<'_>,
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
    .execute(tx.conn())
    .await?;
    let moved = sqlx::query(
        "UPDATE privacy_case SET status = 'acknowledged', updated_at = ?2, version = version + 1 WHERE id = ?1 AND status = 'new'",
    )
    .bind(case_id)
    .bind(instant_text(now))
    .execute(tx.conn())
    .await?;
    Ok(moved.rows_affected() == 1)
}

pub async fn insert_extension_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    ext: &Extension,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_extension (case_id, reason, notice_on, recorded_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(case_id)
        .bind(&ext.reason)
        .bind(ext.notice_on.to_string())
        .bind(instant_text(now))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Records the response (`respond`) or the compliance (`comply`).
pub async fn insert_act_in_tx(
    tx: &mut Tx<'_>,
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
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Stores the next due date of each of these cases (the queue's "next due" sort key): the due
/// date of the pending clock that ends first for an open case, NULL when none runs or the case
/// is closed. Call in the transaction that changes a case's clock facts or status.
pub async fn refresh_next_due_in_tx(tx: &mut Tx<'_>, ids: &[i64]) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        let records = by_ids(tx, chunk).await?;
        let facts: Vec<(i64, CaseStatus, &ClockFacts)> = records.iter().map(|r| (r.id, r.status, &r.facts)).collect();
        set_next_due_in_tx(tx, &facts).await?;
    }
    Ok(())
}

/// [`refresh_next_due_in_tx`] from facts already in hand (cases just logged).
pub async fn set_next_due_in_tx(tx: &mut Tx<'_>, cases: &[(i64, CaseStatus, &ClockFacts)]) -> Result<(), StoreError> {
    let settings = super::settings::clock_settings(tx).await?;
    let calendar = settings.business_calendar();
    for chunk in cases.chunks(500) {
        let mut b =
            sqlx::QueryBuilder::new("UPDATE privacy_case SET next_due = v.column2, next_clock = v.column3 FROM (");
        b.push_values(chunk, |mut row, (id, status, facts)| {
            let next = CaseStatus::OPEN
                .contains(status)
                .then(|| crate::domain::clock::next_pending(facts, &calendar, settings.rules()))
                .flatten();
            row.push_bind(*id)
                .push_bind(next.map(|(_, due)| due.to_string()))
                .push_bind(next.map(|(clock, _)| clock.token()));
        });
        b.push(") AS v WHERE privacy_case.id = v.column1");
        b.build().execute(tx.conn()).await?;
    }
    Ok(())
}

/// [`refresh_next_due_in_tx`] for every open case (after the clock settings change).
pub async fn refresh_all_next_due_in_tx(tx: &mut Tx<'_>) -> Result<(), StoreError> {
    let statuses = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM privacy_case WHERE status IN ({statuses})"))
        .fetch_all(tx.conn())
        .await?;
    refresh_next_due_in_tx(tx, &ids).await
}
