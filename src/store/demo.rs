//! What the demo generator (`service::demo`) needs beyond the usual intake: setting many cases'
//! status at once (demo cases carry only their creation event) with the answers that status
//! implies, and telling whether a case file holds any case the demo did not make.

use super::{where_id_in, Conn, StoreError, Tx};
use crate::domain::CaseStatus;

/// Sets the status of these cases directly (no event: demo data only); a closed status also
/// clears the next due date.
pub async fn set_status_in_tx(tx: &mut Tx<'_>, status: CaseStatus, ids: &[i64]) -> Result<(), StoreError> {
    for chunk in ids.chunks(10_000) {
        let mut update = where_id_in(
            &format!(
                "UPDATE privacy_case AS c SET status = '{}'{}",
                status.token(),
                if CaseStatus::OPEN.contains(&status) {
                    ""
                } else {
                    ", next_due = NULL, next_clock = NULL"
                }
            ),
            chunk,
        );
        update.build().execute(tx.conn()).await?;
    }
    Ok(())
}

/// Records made-up answers for cases given an answered status (responded and closed:
/// complied with, one in seven in part; denied: denied for one of the § 7102 reasons), each
/// part answered 1 to 44 days after receipt (opt-out and limit: 1 to 20; never after today), with the clock acts
/// they meet, so that the metrics and the records log of a demo file have something to show.
pub async fn answer_in_tx(tx: &mut Tx<'_>, status: CaseStatus, ids: &[i64]) -> Result<(), StoreError> {
    let (outcome, reason) = match status {
        CaseStatus::Responded | CaseStatus::Closed => (
            "CASE WHEN c.id % 7 = 0 THEN 'complied-in-part' ELSE 'complied' END",
            "NULL",
        ),
        CaseStatus::Denied => (
            "'denied'",
            "CASE c.id % 3 WHEN 0 THEN 'unverifiable' WHEN 1 THEN 'exempt' ELSE 'other' END",
        ),
        _ => return Ok(()),
    };
    let days = "CASE WHEN k.kind IN ('opt-out', 'limit') THEN c.id % 20 + 1 ELSE c.id % 44 + 1 END";
    for chunk in ids.chunks(10_000) {
        let mut insert = where_id_in(
            &format!(
                "INSERT INTO case_response (case_id, kind, outcome, denial_reason, basis, responded_on, recorded_by)                  SELECT c.id, k.kind, {outcome}, {reason}, CASE WHEN {reason} = 'exempt' THEN '145a1E-legal-claims' END,                  date(c.received_date, '+' || ({days}) || ' days'), 'demo'                  FROM case_request_kind k JOIN privacy_case c ON c.id = k.case_id"
            ),
            chunk,
        );
        insert.build().execute(tx.conn()).await?;
        for (clock, kinds) in [
            ("respond", "NOT IN ('opt-out', 'limit')"),
            ("comply", "IN ('opt-out', 'limit')"),
        ] {
            let mut acts = where_id_in(
                &format!(
                    "INSERT INTO case_clock_act (case_id, clock, done_on, recorded_at)                      SELECT c.id, '{clock}', max(s.responded_on), c.created_at FROM case_response s                      JOIN privacy_case c ON c.id = s.case_id AND s.kind {kinds}"
                ),
                chunk,
            );
            acts.push(" GROUP BY c.id");
            acts.build().execute(tx.conn()).await?;
        }
    }
    Ok(())
}

/// How many cases were not logged by `actor` (their creation event names someone else).
pub async fn cases_not_created_by(conn: &mut Conn, actor: &str) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM privacy_case c WHERE NOT EXISTS (
             SELECT 1 FROM audit_event e WHERE e.case_id = c.id AND e.action = 'case.created' AND e.actor = ?1)",
    )
    .bind(actor)
    .fetch_one(conn)
    .await?)
}
