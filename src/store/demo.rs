//! What the demo generator (`service::demo`) needs beyond the usual intake: setting many cases'
//! status at once (demo cases carry only their creation event), and telling whether a case file
//! holds any case the demo did not make.

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
