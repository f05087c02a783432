//! Where a case stands and who handles it: forward-only status moves with a reason, assignment
//! to a staff member and notes, each in the case's history. Every read a change depends on is
//! made inside its write.

use super::case_view::{acknowledge_in_tx, case_id, clock_record, find_case, record, view_in, CaseView};
use super::ServiceError;
use crate::domain::clock::{self, Acknowledgment};
use crate::domain::deadline::ClockKind;
use crate::domain::history::AuditEvent;
use crate::domain::{CaseNumber, CaseStatus};
use crate::store::{cases, clocks, notes, queue, CaseFile};
use chrono::{DateTime, Utc};

/// A status move as asked for.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct StatusMove {
    /// The status the person saw; the move is refused (`conflict`) if the case is no longer
    /// there. `null`: wherever it stands (scripts).
    #[ts(optional = nullable)]
    pub from: Option<CaseStatus>,
    pub to: CaseStatus,
    pub reason: String,
    /// Moving to `acknowledged` records the confirmation of receipt (§ 7021(a)): its date and
    /// channel, required while a case with that clock has none recorded.
    #[ts(optional = nullable)]
    pub acknowledgment: Option<Acknowledgment>,
}

/// Moves a case along its lifecycle, with who and why in its history. Refused when the move is
/// not allowed from where the case stands, without a reason, or (a `conflict`) when the case is
/// no longer at the status the person saw; nothing is changed then. "Acknowledged" is the
/// confirmation of receipt: choosing it records that fact, so the status and the § 7021(a)
/// clock never disagree.
pub async fn change_status(
    file: &CaseFile,
    number: CaseNumber,
    request: &StatusMove,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let to = request.to;
    let mut tx = file.write().await?;
    let current = find_case(&mut tx, number).await?.status;
    if request.from.is_some_and(|seen| seen != current) {
        return Err(ServiceError::Conflict(format!(
            "Case {number} is now {current} (someone moved it after you opened it); reload it and try again."
        )));
    }
    let reason = current.check_move(to, &request.reason)?;
    let facts = clock_record(&mut tx, number).await?.facts;
    if to == CaseStatus::Acknowledged && clock::needs(&facts, ClockKind::Acknowledge) && facts.acknowledgment.is_none()
    {
        let Some(ack) = &request.acknowledgment else {
            return Err(ServiceError::invalid(
                "acknowledgment",
                "Say when and how receipt was confirmed: choosing “Acknowledged” records the confirmation of receipt (§ 7021(a)).",
            ));
        };
        // Records the confirmation and the move to acknowledged together, with their events.
        acknowledge_in_tx(&mut tx, number, ack, Some(&reason), now, actor).await?;
        tx.commit().await?;
        return view_in(&mut *file.read().await?, number, now).await;
    }
    let case_id = cases::set_status_in_tx(&mut tx, number, current, to, now)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))?;
    record(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        AuditEvent::StatusMoved {
            from: current,
            to,
            reason,
        },
    )
    .await?;
    clocks::refresh_next_due_in_tx(&mut tx, &[case_id]).await?;
    // A request processed (closed, denied, withdrawn): what the person gave to verify their
    // identity has served, and goes in the same write (§ 7060(d)).
    if super::verification::closes_verification(to) {
        super::verification::purge_in_tx(&mut tx, case_id, number, now, actor).await?;
    }
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// Assigns a case to a staff member (or to nobody with an empty name); in the history.
pub async fn assign(
    file: &CaseFile,
    number: CaseNumber,
    assignee: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let assignee = assignee.split_whitespace().collect::<Vec<_>>().join(" ");
    if assignee.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "assignee",
            "The name is longer than 100 characters.",
        ));
    }
    let after = (!assignee.is_empty()).then_some(assignee);
    let mut tx = file.write().await?;
    let before = find_case(&mut tx, number).await?.assignee;
    if before != after {
        let case_id = case_id(&mut tx, number).await?;
        cases::assign_in_tx(&mut tx, case_id, after.as_deref(), now).await?;
        record(
            &mut tx,
            case_id,
            number,
            now,
            actor,
            AuditEvent::Assigned {
                from: before,
                to: after,
            },
        )
        .await?;
        tx.commit().await?;
    }
    view_in(&mut *file.read().await?, number, now).await
}

/// Adds a note to a case (and to its search row and history).
pub async fn add_note(
    file: &CaseFile,
    number: CaseNumber,
    body: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let body = body.trim();
    if body.is_empty() {
        return Err(ServiceError::invalid("body", "Write the note first."));
    }
    let mut tx = file.write().await?;
    // The search row is rebuilt from the case as it is inside this write.
    let case = find_case(&mut tx, number).await?;
    let case_id = case_id(&mut tx, number).await?;
    let note = notes::insert_in_tx(&mut tx, case_id, actor, body, now).await?;
    queue::reindex_case_in_tx(&mut tx, case_id, &case).await?;
    record(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        AuditEvent::NoteAdded {
            note: note.id,
            body: note.body,
        },
    )
    .await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// The names of the staff known to this case file (acted on or assigned a case).
pub async fn staff_names(file: &CaseFile) -> Result<Vec<String>, ServiceError> {
    Ok(cases::staff_names(&mut *file.read().await?).await?)
}
