//! Identity verification records (`verification_point`, `verification_declaration`,
//! `verification_agent_evidence`, `verification_outcome`, `verification_purge`): what a person
//! gave for each data point and how it compared, the declaration, an agent's evidence, the
//! outcome per kind, the answer given to a kind that could not be verified
//! (`verification_answer`), and the purge of the values once the request has served.

use super::{instant_text, parse_date, parse_instant, Conn, StoreError, Tx};
use crate::domain::verification::{AgentEvidence, PointResult};
use crate::domain::RequestKind;
use chrono::{DateTime, NaiveDate, Utc};

/// A data point as recorded; `given` is `None` once purged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRecord {
    pub field: String,
    pub given: Option<String>,
    pub result: PointResult,
    pub checked_by: String,
    pub checked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationRecord {
    pub attachment: Option<i64>,
    pub received_on: Option<NaiveDate>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRecord {
    pub kind: RequestKind,
    pub verified: bool,
    pub reason: String,
    pub on: NaiveDate,
    pub recorded_by: String,
}

/// The answer given to a kind that could not be verified (an unable-to-verify letter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    pub kind: RequestKind,
    /// Specific pieces denied and the request handled as one for categories (§ 7024(a)).
    pub as_categories: bool,
    pub letter: i64,
    pub on: NaiveDate,
}

/// Everything recorded for one case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub points: Vec<PointRecord>,
    pub declaration: Option<DeclarationRecord>,
    pub agent: Vec<AgentEvidence>,
    pub outcomes: Vec<OutcomeRecord>,
    pub answers: Vec<AnswerRecord>,
    pub purged_at: Option<DateTime<Utc>>,
}

pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Records, StoreError> {
    let rows: Vec<(String, Option<String>, String, String, String)> = sqlx::query_as(
        "SELECT field, given, result, checked_by, checked_at FROM verification_point WHERE case_id = ?1 ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut points = Vec::with_capacity(rows.len());
    for (field, given, result, checked_by, checked_at) in rows {
        points.push(PointRecord {
            field,
            given,
            result: PointResult::parse(&result)
                .ok_or_else(|| StoreError::Corrupt(format!("verification result {result:?}")))?,
            checked_by,
            checked_at: parse_instant(&checked_at)?,
        });
    }
    let declaration: Option<(Option<i64>, Option<String>, String, String)> = sqlx::query_as(
        "SELECT attachment_id, received_on, recorded_by, recorded_at FROM verification_declaration WHERE case_id = ?1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    let declaration = match declaration {
        Some((attachment, received_on, recorded_by, recorded_at)) => Some(DeclarationRecord {
            attachment,
            received_on: received_on.as_deref().map(parse_date).transpose()?,
            recorded_by,
            recorded_at: parse_instant(&recorded_at)?,
        }),
        None => None,
    };
    let evidence: Vec<(String,)> =
        sqlx::query_as("SELECT evidence FROM verification_agent_evidence WHERE case_id = ?1 ORDER BY evidence")
            .bind(case_id)
            .fetch_all(&mut *conn)
            .await?;
    let agent = evidence
        .into_iter()
        .map(|(e,)| AgentEvidence::parse(&e).ok_or_else(|| StoreError::Corrupt(format!("agent evidence {e:?}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT kind, outcome, reason, on_date, recorded_by FROM verification_outcome WHERE case_id = ?1 ORDER BY kind",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut outcomes = Vec::with_capacity(rows.len());
    for (kind, outcome, reason, on, recorded_by) in rows {
        outcomes.push(OutcomeRecord {
            kind: kind
                .parse::<RequestKind>()
                .map_err(|_| StoreError::Corrupt(format!("request kind {kind:?}")))?,
            verified: outcome == "verified",
            reason,
            on: parse_date(&on)?,
            recorded_by,
        });
    }
    let rows: Vec<(String, bool, i64, String)> = sqlx::query_as(
        "SELECT kind, as_categories, letter_id, answered_on FROM verification_answer WHERE case_id = ?1 ORDER BY kind",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut answers = Vec::with_capacity(rows.len());
    for (kind, as_categories, letter, on) in rows {
        answers.push(AnswerRecord {
            kind: kind
                .parse::<RequestKind>()
                .map_err(|_| StoreError::Corrupt(format!("request kind {kind:?}")))?,
            as_categories,
            letter,
            on: parse_date(&on)?,
        });
    }
    let purged: Option<(String,)> = sqlx::query_as("SELECT at FROM verification_purge WHERE case_id = ?1")
        .bind(case_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(Records {
        points,
        declaration,
        agent,
        outcomes,
        answers,
        purged_at: purged.map(|(at,)| parse_instant(&at)).transpose()?,
    })
}

/// Records (or records again) one data point.
pub async fn put_point_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    field: &str,
    given: &str,
    result: PointResult,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO verification_point (case_id, field, given, result, checked_by, checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (case_id, field) DO UPDATE SET given = excluded.given, result = excluded.result, \
         checked_by = excluded.checked_by, checked_at = excluded.checked_at",
    )
    .bind(case_id)
    .bind(field)
    .bind(given)
    .bind(result.token())
    .bind(actor)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn put_declaration_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    attachment: Option<i64>,
    received_on: Option<NaiveDate>,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO verification_declaration (case_id, attachment_id, received_on, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (case_id) DO UPDATE SET attachment_id = excluded.attachment_id, received_on = excluded.received_on, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(case_id)
    .bind(attachment)
    .bind(received_on.map(|d| d.to_string()))
    .bind(actor)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records an agent's evidence; `false` when it was recorded already.
pub async fn add_agent_evidence_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    evidence: AgentEvidence,
    actor: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO verification_agent_evidence (case_id, evidence, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(evidence.token())
    .bind(actor)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn put_outcome_in_tx(tx: &mut Tx<'_>, case_id: i64, o: &OutcomeRecord) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO verification_outcome (case_id, kind, outcome, reason, on_date, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (case_id, kind) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, \
         on_date = excluded.on_date, recorded_by = excluded.recorded_by",
    )
    .bind(case_id)
    .bind(o.kind.token())
    .bind(if o.verified { "verified" } else { "failed" })
    .bind(&o.reason)
    .bind(o.on.to_string())
    .bind(&o.recorded_by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records the answer to a kind that could not be verified.
pub async fn put_answer_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    answer: &AnswerRecord,
    actor: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO verification_answer (case_id, kind, as_categories, letter_id, answered_on, answered_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .bind(case_id)
    .bind(answer.kind.token())
    .bind(answer.as_categories)
    .bind(answer.letter)
    .bind(answer.on.to_string())
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Whether the values given for `case_id` were purged.
pub async fn purged(conn: &mut Conn, case_id: i64) -> Result<bool, StoreError> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT case_id FROM verification_purge WHERE case_id = ?1")
        .bind(case_id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Forgets every value the person gave for `case_id` (the results stay) and records when;
/// returns how many values went. `None` when the case was purged already, or no data point was
/// ever checked (nothing to purge, nothing to record).
pub async fn purge_in_tx(tx: &mut Tx<'_>, case_id: i64, at: DateTime<Utc>) -> Result<Option<u64>, StoreError> {
    if purged(tx.conn(), case_id).await? {
        return Ok(None);
    }
    let checked: Option<(i64,)> = sqlx::query_as("SELECT id FROM verification_point WHERE case_id = ?1 LIMIT 1")
        .bind(case_id)
        .fetch_optional(tx.conn())
        .await?;
    if checked.is_none() {
        return Ok(None);
    }
    let gone = sqlx::query("UPDATE verification_point SET given = NULL WHERE case_id = ?1 AND given IS NOT NULL")
        .bind(case_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    sqlx::query("INSERT INTO verification_purge (case_id, at, points) VALUES (?1, ?2, ?3)")
        .bind(case_id)
        .bind(instant_text(at))
        .bind(gone as i64)
        .execute(tx.conn())
        .await?;
    Ok(Some(gone))
}
