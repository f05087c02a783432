//! What the § 7101 log and the § 7102 metrics read: the cases received in a date range with
//! their clock facts and their stored responses, in two queries (no per-case round trip).

use super::clocks::{facts, FactColumns, FACT_COLUMNS, FACT_JOINS};
use super::{parse_date, Conn, StoreError};
use crate::domain::records::{CaseRecord, StoredResponse};
use crate::domain::{CaseNumber, CaseStatus, RequestKind};
use chrono::NaiveDate;
use std::collections::HashMap;

/// case id, kind, outcome, denial reason, basis, day.
type ResponseRow = (i64, String, String, Option<String>, Option<String>, String);

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: i64,
    number: String,
    name: String,
    status: String,
    channel: String,
    coverage: String,
    received_date: String,
    time_zone: String,
    kinds: String,
    #[sqlx(flatten)]
    acts: FactColumns,
}

/// The cases received from `from` to `to` (both included), in order of receipt; the
/// requester's name only `with_names`.
pub async fn received_between(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
    with_names: bool,
) -> Result<Vec<CaseRecord>, StoreError> {
    read(
        conn,
        "c.received_date BETWEEN ?1 AND ?2",
        &from.to_string(),
        &to.to_string(),
        with_names,
    )
    .await
}

/// One case's record (the dossier's), with the requester's name.
pub async fn of_case(conn: &mut Conn, case_id: i64) -> Result<Option<CaseRecord>, StoreError> {
    let id = case_id.to_string();
    Ok(read(conn, "c.id BETWEEN ?1 AND ?2", &id, &id, true).await?.pop())
}

/// The records of the cases `filter` (over `privacy_case c`, binding ?1 and ?2) selects.
async fn read(
    conn: &mut Conn,
    filter: &str,
    from: &str,
    to: &str,
    with_names: bool,
) -> Result<Vec<CaseRecord>, StoreError> {
    let mut responses: HashMap<i64, Vec<StoredResponse>> = HashMap::new();
    let rows: Vec<ResponseRow> = sqlx::query_as(&format!(
        "SELECT s.case_id, s.kind, s.outcome, s.denial_reason, s.basis, s.responded_on FROM case_response s \
         JOIN privacy_case c ON c.id = s.case_id WHERE {filter}"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (id, kind, outcome, denial_reason, basis, on) in rows {
        responses.entry(id).or_default().push(StoredResponse {
            kind: kind
                .parse::<RequestKind>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            outcome,
            denial_reason,
            basis,
            on: parse_date(&on)?,
        });
    }
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT c.id, c.number, r.name, c.status, c.channel, c.coverage, c.received_date, c.time_zone, c.kinds, \
         {FACT_COLUMNS} FROM privacy_case c JOIN requester r ON r.id = c.requester_id{FACT_JOINS} \
         WHERE {filter} ORDER BY c.received_at, c.id"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|row| {
            let corrupt = |e: String| StoreError::Corrupt(e);
            let kinds = RequestKind::parse_list(&row.kinds).map_err(|e| corrupt(e.to_string()))?;
            Ok(CaseRecord {
                number: row.number.parse().map_err(corrupt)?,
                name: with_names.then_some(row.name),
                channel: row
                    .channel
                    .parse()
                    .map_err(|e: crate::domain::request::UnknownToken| corrupt(e.to_string()))?,
                status: row
                    .status
                    .parse()
                    .map_err(|e: crate::domain::request::UnknownToken| corrupt(e.to_string()))?,
                outside_notice: row.coverage == "not-covered",
                facts: facts(parse_date(&row.received_date)?, row.time_zone, kinds, row.acts)?,
                responses: responses.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// How many cases each open status has (statuses with none left out).
pub async fn open_by_status(conn: &mut Conn) -> Result<Vec<(CaseStatus, u64)>, StoreError> {
    let open = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT status, count(*) FROM privacy_case WHERE status IN ({open}) GROUP BY status"
    ))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(status, n)| {
            Ok((
                status
                    .parse()
                    .map_err(|e: crate::domain::request::UnknownToken| StoreError::Corrupt(e.to_string()))?,
                n as u64,
            ))
        })
        .collect()
}

/// The open case received first, with the day it was.
pub async fn oldest_open(conn: &mut Conn) -> Result<Option<(CaseNumber, NaiveDate)>, StoreError> {
    let open = CaseStatus::OPEN.map(|s| format!("'{}'", s.token())).join(", ");
    let row: Option<(String, String)> = sqlx::query_as(&format!(
        "SELECT number, received_date FROM privacy_case WHERE status IN ({open}) ORDER BY received_date, id LIMIT 1"
    ))
    .fetch_optional(conn)
    .await?;
    row.map(|(number, on)| Ok((number.parse().map_err(StoreError::Corrupt)?, parse_date(&on)?)))
        .transpose()
}
