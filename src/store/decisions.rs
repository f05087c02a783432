//! Decisions per category (`case_decision`), the rows staff add to a matrix
//! (`case_category`), the response per kind (`case_response`), the service providers told of a
//! deletion (`provider_notice`) and the statements about denied health corrections
//! (`correction_statement`).

use super::{instant_text, parse_date, parse_instant, Conn, StoreError, Tx};
use crate::domain::decision::{DecisionOutcome, Until};
use crate::domain::RequestKind;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub kind: RequestKind,
    pub category: String,
    pub outcome: DecisionOutcome,
    pub basis: Option<String>,
    pub record_type: Option<String>,
    pub until: Option<Until>,
    pub reproductive_health: bool,
    pub note: String,
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
}

/// How one kind of a case was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRecord {
    pub kind: RequestKind,
    /// `complied`, `complied-in-part` or `denied`.
    pub outcome: String,
    /// For a denial: `unverifiable`, `not-covered`, `exempt` or `other`.
    pub denial_reason: Option<String>,
    pub basis: Option<String>,
    pub on: NaiveDate,
    pub letter: Option<i64>,
}

type DecisionRow = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    String,
    String,
    String,
);

pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Vec<DecisionRecord>, StoreError> {
    let rows: Vec<DecisionRow> = sqlx::query_as(
        "SELECT kind, category, outcome, basis, record_type, until_date, until_rule, reproductive_health, note, decided_by, decided_at \
         FROM case_decision WHERE case_id = ?1 ORDER BY kind, category",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(
            |(
                kind,
                category,
                outcome,
                basis,
                record_type,
                until_date,
                until_rule,
                reproductive_health,
                note,
                by,
                at,
            )| {
                Ok(DecisionRecord {
                    kind: kind
                        .parse()
                        .map_err(|_| StoreError::Corrupt(format!("request kind {kind:?}")))?,
                    category,
                    outcome: DecisionOutcome::parse(&outcome)
                        .ok_or_else(|| StoreError::Corrupt(format!("decision outcome {outcome:?}")))?,
                    basis,
                    record_type,
                    until: match (until_date, until_rule) {
                        (Some(d), _) => Some(Until::Date(parse_date(&d)?)),
                        (None, Some(r)) => Some(Until::Rule(r)),
                        (None, None) => None,
                    },
                    reproductive_health,
                    note,
                    decided_by: by,
                    decided_at: parse_instant(&at)?,
                })
            },
        )
        .collect()
}

/// Records (or records again) the decision for one category of one kind.
pub async fn put_in_tx(tx: &mut Tx<'_>, case_id: i64, d: &DecisionRecord) -> Result<(), StoreError> {
    let (date, rule) = match &d.until {
        Some(Until::Date(day)) => (Some(day.to_string()), None),
        Some(Until::Rule(r)) => (None, Some(r.clone())),
        None => (None, None),
    };
    sqlx::query(
        "INSERT INTO case_decision (case_id, kind, category, outcome, basis, record_type, until_date, until_rule, reproductive_health, note, decided_by, decided_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
         ON CONFLICT (case_id, kind, category) DO UPDATE SET outcome = excluded.outcome, basis = excluded.basis, \
         record_type = excluded.record_type, until_date = excluded.until_date, until_rule = excluded.until_rule, \
         reproductive_health = excluded.reproductive_health, note = excluded.note, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(case_id)
    .bind(d.kind.token())
    .bind(&d.category)
    .bind(d.outcome.token())
    .bind(&d.basis)
    .bind(&d.record_type)
    .bind(date)
    .bind(rule)
    .bind(d.reproductive_health)
    .bind(&d.note)
    .bind(&d.decided_by)
    .bind(instant_text(d.decided_at))
    .execute(tx.conn())
    .await?;
    Ok(())
}

type ResponseRow = (String, String, Option<String>, Option<String>, String, Option<i64>);

pub async fn responses(conn: &mut Conn, case_id: i64) -> Result<Vec<ResponseRecord>, StoreError> {
    let rows: Vec<ResponseRow> = sqlx::query_as(
        "SELECT kind, outcome, denial_reason, basis, responded_on, letter_id FROM case_response WHERE case_id = ?1 ORDER BY kind",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(kind, outcome, denial_reason, basis, on, letter)| {
            Ok(ResponseRecord {
                kind: kind
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("request kind {kind:?}")))?,
                outcome,
                denial_reason,
                basis,
                on: parse_date(&on)?,
                letter,
            })
        })
        .collect()
}

/// Records the response to one kind; `false` when that kind was answered already.
pub async fn put_response_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    r: &ResponseRecord,
    actor: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO case_response (case_id, kind, outcome, denial_reason, basis, responded_on, letter_id, recorded_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(r.kind.token())
    .bind(&r.outcome)
    .bind(&r.denial_reason)
    .bind(&r.basis)
    .bind(r.on.to_string())
    .bind(r.letter)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A service provider told of a deletion, or why there was no need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderNotice {
    pub provider: String,
    pub notified_on: Option<NaiveDate>,
    pub not_needed: Option<String>,
    pub recorded_by: String,
}

pub async fn provider_notices(conn: &mut Conn, case_id: i64) -> Result<Vec<ProviderNotice>, StoreError> {
    let rows: Vec<(String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT provider, notified_on, not_needed, recorded_by FROM provider_notice WHERE case_id = ?1 ORDER BY provider",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(provider, on, not_needed, by)| {
            Ok(ProviderNotice {
                provider,
                notified_on: on.as_deref().map(parse_date).transpose()?,
                not_needed,
                recorded_by: by,
            })
        })
        .collect()
}

pub async fn put_provider_notice_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    notice: &ProviderNotice,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO provider_notice (case_id, provider, notified_on, not_needed, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (case_id, provider) DO UPDATE SET notified_on = excluded.notified_on, not_needed = excluded.not_needed, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(case_id)
    .bind(&notice.provider)
    .bind(notice.notified_on.map(|d| d.to_string()))
    .bind(&notice.not_needed)
    .bind(&notice.recorded_by)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A row staff added to a case's matrix (`case_category`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRowRecord {
    pub code: String,
    pub name: String,
    pub source: String,
    pub purpose: String,
    pub disclosed_to: String,
    pub sensitive: bool,
    pub health: bool,
}

type CaseRow = (String, String, String, String, String, bool, bool);

pub async fn case_rows(conn: &mut Conn, case_id: i64) -> Result<Vec<CaseRowRecord>, StoreError> {
    let rows: Vec<CaseRow> = sqlx::query_as(
        "SELECT code, name, source, purpose, disclosed_to, sensitive, health FROM case_category WHERE case_id = ?1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(code, name, source, purpose, disclosed_to, sensitive, health)| CaseRowRecord {
                code,
                name,
                source,
                purpose,
                disclosed_to,
                sensitive,
                health,
            },
        )
        .collect())
}

/// Adds a row; `false` when the case has one with that code already.
pub async fn insert_case_row_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    row: &CaseRowRecord,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO case_category (case_id, code, name, source, purpose, disclosed_to, sensitive, health, added_by, added_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (case_id, code) DO NOTHING",
    )
    .bind(case_id)
    .bind(&row.code)
    .bind(&row.name)
    .bind(&row.source)
    .bind(&row.purpose)
    .bind(&row.disclosed_to)
    .bind(row.sensitive)
    .bind(row.health)
    .bind(actor)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a row; `false` when there was none with that code.
pub async fn delete_case_row_in_tx(tx: &mut Tx<'_>, case_id: i64, code: &str) -> Result<bool, StoreError> {
    let done = sqlx::query("DELETE FROM case_category WHERE case_id = ?1 AND code = ?2")
        .bind(case_id)
        .bind(code)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A statement about denied health information (`correction_statement`, § 7023(f)(3)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRecord {
    pub id: i64,
    pub category: String,
    pub item: String,
    pub body: String,
    pub words: i64,
    pub received_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

type StatementRow = (i64, String, String, String, i64, String, String, String);

pub async fn statements(conn: &mut Conn, case_id: i64) -> Result<Vec<StatementRecord>, StoreError> {
    let rows: Vec<StatementRow> = sqlx::query_as(
        "SELECT id, category, item, body, words, received_on, recorded_by, recorded_at FROM correction_statement \
         WHERE case_id = ?1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, category, item, body, words, on, by, at)| {
            Ok(StatementRecord {
                id,
                category,
                item,
                body,
                words,
                received_on: parse_date(&on)?,
                recorded_by: by,
                recorded_at: parse_instant(&at)?,
            })
        })
        .collect()
}

pub async fn insert_statement_in_tx(tx: &mut Tx<'_>, case_id: i64, s: &StatementRecord) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO correction_statement (case_id, category, item, body, words, received_on, recorded_by, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    )
    .bind(case_id)
    .bind(&s.category)
    .bind(&s.item)
    .bind(&s.body)
    .bind(s.words)
    .bind(s.received_on.to_string())
    .bind(&s.recorded_by)
    .bind(instant_text(s.recorded_at))
    .fetch_one(tx.conn())
    .await?)
}
