//! Cases, their requesters and request kinds in `privacy_case`, `requester` and
//! `case_request_kind`.

use super::{instant_text, parse_date, parse_instant, StoreError};
use crate::domain::{Case, CaseNumber, CaseStatus, Channel, PostalAddress, RequestKind, Requester, ValidNewCase};
use chrono::{DateTime, Datelike, Utc};
use sqlx::SqliteConnection;

/// Hands out the next case number for the year of receipt. Call inside the transaction that
/// inserts the case, so a rolled-back intake does not consume a number.
pub async fn next_number_in_tx(conn: &mut SqliteConnection, year: i32) -> Result<CaseNumber, StoreError> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO case_number_sequence (year, last_number) VALUES (?1, 1)
         ON CONFLICT (year) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number",
    )
    .bind(year)
    .fetch_one(conn)
    .await?;
    let sequence = u32::try_from(last).map_err(|_| StoreError::Corrupt(format!("case sequence {last}")))?;
    Ok(CaseNumber { year, sequence })
}

/// Inserts a validated case with status `new`; returns its row id and the case as stored.
pub async fn insert_in_tx(
    conn: &mut SqliteConnection,
    case: &ValidNewCase,
    now: DateTime<Utc>,
) -> Result<(i64, Case), StoreError> {
    let number = next_number_in_tx(&mut *conn, case.received_date.year()).await?;
    let r = &case.requester;
    let a = r.address.as_ref();
    let requester_id: i64 = sqlx::query_scalar(
        "INSERT INTO requester (name, email, phone, address_lines, city, state, postal_code, country)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    )
    .bind(&r.name)
    .bind(&r.email)
    .bind(&r.phone)
    .bind(a.map(|a| a.lines.join("\n")))
    .bind(a.map(|a| a.city.as_str()))
    .bind(a.and_then(|a| a.state.as_deref()))
    .bind(a.and_then(|a| a.postal_code.as_deref()))
    .bind(a.map(|a| a.country.as_str()))
    .fetch_one(&mut *conn)
    .await?;

    let now_text = instant_text(now);
    let (case_id, profile_version): (i64, Option<i64>) = sqlx::query_as(
        "INSERT INTO privacy_case (number, received_at, received_date, time_zone, channel, requester_id, status, created_at, updated_at, profile_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'new', ?7, ?7, (SELECT max(version) FROM organisation_profile)) RETURNING id, profile_version",
    )
    .bind(number.to_string())
    .bind(instant_text(case.received_at))
    .bind(case.received_date.to_string())
    .bind(case.time_zone.name())
    .bind(case.channel.token())
    .bind(requester_id)
    .bind(&now_text)
    .fetch_one(&mut *conn)
    .await?;

    for kind in &case.kinds {
        sqlx::query("INSERT INTO case_request_kind (case_id, kind) VALUES (?1, ?2)")
            .bind(case_id)
            .bind(kind.token())
            .execute(&mut *conn)
            .await?;
    }

    Ok((
        case_id,
        Case {
            number,
            received_at: case.received_at,
            received_date: case.received_date,
            time_zone: case.time_zone.name().to_owned(),
            channel: case.channel,
            kinds: case.kinds.clone(),
            requester: case.requester.clone(),
            status: CaseStatus::New,
            created_at: parse_instant(&now_text)?,
            profile_version,
        },
    ))
}

const SELECT_CASE: &str = "
    SELECT c.number, c.received_at, c.received_date, c.time_zone, c.channel, c.status, c.created_at, c.profile_version,
           r.name, r.email, r.phone, r.address_lines, r.city, r.state, r.postal_code, r.country,
           (SELECT group_concat(k.kind, ',') FROM case_request_kind k WHERE k.case_id = c.id) AS kinds
    FROM privacy_case c JOIN requester r ON r.id = c.requester_id";

/// Every case, newest received first.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<Case>, StoreError> {
    let rows: Vec<CaseRow> = sqlx::query_as(&format!("{SELECT_CASE} ORDER BY c.received_at DESC, c.id DESC"))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(Case::try_from).collect()
}

/// One case by its number.
pub async fn find(conn: &mut SqliteConnection, number: CaseNumber) -> Result<Option<Case>, StoreError> {
    let row: Option<CaseRow> = sqlx::query_as(&format!("{SELECT_CASE} WHERE c.number = ?1"))
        .bind(number.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(Case::try_from).transpose()
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    number: String,
    received_at: String,
    received_date: String,
    time_zone: String,
    channel: String,
    status: String,
    created_at: String,
    profile_version: Option<i64>,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    address_lines: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    kinds: Option<String>,
}

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;

    fn try_from(row: CaseRow) -> Result<Case, StoreError> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let mut kinds =
            RequestKind::parse_list(row.kinds.as_deref().unwrap_or("")).map_err(|e| corrupt(e.to_string()))?;
        kinds.sort();
        let address = match (row.address_lines, row.country) {
            (Some(lines), Some(country)) => Some(PostalAddress {
                lines: lines.split('\n').map(str::to_owned).collect(),
                city: row.city.unwrap_or_default(),
                state: row.state,
                postal_code: row.postal_code,
                country,
            }),
            _ => None,
        };
        Ok(Case {
            number: row.number.parse().map_err(corrupt)?,
            received_at: parse_instant(&row.received_at)?,
            received_date: parse_date(&row.received_date)?,
            time_zone: row.time_zone,
            channel: row.channel.parse::<Channel>().map_err(|e| corrupt(e.to_string()))?,
            kinds,
            requester: Requester {
                name: row.name,
                email: row.email,
                phone: row.phone,
                address,
            },
            status: row.status.parse::<CaseStatus>().map_err(|e| corrupt(e.to_string()))?,
            created_at: parse_instant(&row.created_at)?,
            profile_version: row.profile_version,
        })
    }
}

/// Moves a case from `from` to `to`, only if it is still at `from` (another window may have
/// moved it meanwhile); returns the case's row id, or `None` when it was not at `from`.
pub async fn set_status_in_tx(
    conn: &mut SqliteConnection,
    number: CaseNumber,
    from: CaseStatus,
    to: CaseStatus,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE privacy_case SET status = ?3, updated_at = ?4, version = version + 1
         WHERE number = ?1 AND status = ?2 RETURNING id",
    )
    .bind(number.to_string())
    .bind(from.token())
    .bind(to.token())
    .bind(instant_text(now))
    .fetch_optional(conn)
    .await?)
}
