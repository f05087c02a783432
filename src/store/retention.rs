//! Reducing a closed case to its § 7101 record (`privacy_case.reduced_at`): what a retention
//! run finds and what it empties. The history's payloads go through `audit::purge_in_tx`.

use super::{instant_text, Conn, StoreError, Tx};
use crate::domain::{CaseNumber, CaseStatus};
use chrono::{DateTime, Utc};

/// The statuses a case ends in: its retention period runs from the last change in one.
pub const ENDED: [CaseStatus; 4] = [
    CaseStatus::Closed,
    CaseStatus::Denied,
    CaseStatus::Withdrawn,
    CaseStatus::NotCovered,
];

fn ended_filter() -> String {
    format!(
        "status IN ({}) AND reduced_at IS NULL",
        ENDED.map(|s| format!("'{}'", s.token())).join(", ")
    )
}

/// The ended cases not reduced yet whose last change came before `before`, oldest first.
pub async fn due(conn: &mut Conn, before: DateTime<Utc>) -> Result<Vec<(i64, CaseNumber)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, number FROM privacy_case WHERE {} AND updated_at < ?1 ORDER BY updated_at, id",
        ended_filter()
    ))
    .bind(instant_text(before))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(id, number)| Ok((id, number.parse().map_err(StoreError::Corrupt)?)))
        .collect()
}

/// What reducing one case removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub notes: u64,
    pub files: u64,
    pub emails: u64,
    pub letters: u64,
    pub items: u64,
    pub statements: u64,
}

/// Empties everything personal of one case, keeping what § 7101 needs: the requester's name
/// and contacts (unless another case not reduced still needs them), the agent, the request's
/// text, notes, files, e-mails, letters' bytes and recipients (their SHA-256 stays), specific
/// pieces, statements, decision notes, and the case's search row. `false` when the case was
/// reduced already or is not ended.
pub async fn reduce_in_tx(tx: &mut Tx<'_>, case_id: i64, at: DateTime<Utc>) -> Result<Option<Removed>, StoreError> {
    let marked = sqlx::query(&format!(
        "UPDATE privacy_case SET reduced_at = ?2, description = '', correction_wrong = NULL, correction_right = NULL, \
         coverage_reason = CASE WHEN coverage_reason IS NULL THEN NULL ELSE '' END \
         WHERE id = ?1 AND {}",
        ended_filter()
    ))
    .bind(case_id)
    .bind(instant_text(at))
    .execute(tx.conn())
    .await?;
    if marked.rows_affected() == 0 {
        return Ok(None);
    }
    // The declaration's scan goes with the files (its period has run by now); the record says
    // one was received, and when.
    sqlx::query(
        "UPDATE verification_declaration SET received_on = coalesce(received_on, substr(recorded_at, 1, 10)), \
         attachment_id = NULL WHERE case_id = ?1",
    )
    .bind(case_id)
    .execute(tx.conn())
    .await?;
    let mut removed = Removed::default();
    for (sql, slot) in [
        ("DELETE FROM case_note WHERE case_id = ?1", &mut removed.notes),
        ("DELETE FROM case_attachment WHERE case_id = ?1", &mut removed.files),
        ("DELETE FROM case_email WHERE case_id = ?1", &mut removed.emails),
        (
            "UPDATE letter SET pdf = X'', recipient = '', layout = NULL WHERE case_id = ?1",
            &mut removed.letters,
        ),
        ("DELETE FROM specific_item WHERE case_id = ?1", &mut removed.items),
        (
            "DELETE FROM correction_statement WHERE case_id = ?1",
            &mut removed.statements,
        ),
    ] {
        *slot = sqlx::query(sql).bind(case_id).execute(tx.conn()).await?.rows_affected();
    }
    for sql in [
        "DELETE FROM case_agent WHERE case_id = ?1",
        "UPDATE case_decision SET note = '' WHERE case_id = ?1",
        "UPDATE case_search SET names = '', emails = '', phones = '', address = '', description = '', notes = '' WHERE rowid = ?1",
        // The requester, unless a case not reduced still needs them.
        "UPDATE requester SET name = '(removed)', email = NULL, phone = NULL, address_lines = NULL, city = NULL, \
         state = NULL, postal_code = NULL, country = NULL, email_norm = NULL, phone_digits = NULL, name_norm = NULL \
         WHERE id = (SELECT requester_id FROM privacy_case WHERE id = ?1) \
         AND NOT EXISTS (SELECT 1 FROM privacy_case o WHERE o.requester_id = requester.id AND o.reduced_at IS NULL)",
    ] {
        sqlx::query(sql).bind(case_id).execute(tx.conn()).await?;
    }
    Ok(Some(removed))
}

/// Rewrites the search index so that no segment keeps the words of what was reduced (FTS5
/// keeps an update's old words in its segments until they merge).
pub async fn compact_search(conn: &mut Conn) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO case_search (case_search) VALUES ('optimize')")
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether a case was reduced, and when.
pub async fn reduced_at(conn: &mut Conn, case_id: i64) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT reduced_at FROM privacy_case WHERE id = ?1")
        .bind(case_id)
        .fetch_one(conn)
        .await?)
}
