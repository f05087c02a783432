//! One case as the window and `case show` see it, read in one snapshot: the case, the moves it
//! can make now, its clocks today, notes, files, letters and history. Every change to a case
//! returns this view, read after the change is committed.
//!
//! Also what every use case on a case shares (and so depends on, instead of on each other):
//! finding a case's row, deriving its clocks, and recording an event in its history.

use super::ServiceError;
use crate::domain::clock::{self, Acknowledgment, ClockFacts, ClockView, Extension};
use crate::domain::deadline::ClockKind;
use crate::domain::history::{AuditEvent, Subject};
use crate::domain::letter::ArchivedLetter;
use crate::domain::time::legal_date;
use crate::domain::{Case, CaseNumber, CaseStatus};
use crate::store::attachments::Attachment;
use crate::store::notes::Note;
use crate::store::settings::DateRules;
use crate::store::{attachments, letters, notes, settings, CaseFile};
use crate::store::{audit, cases, clocks as clock_store, Conn, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A case's clocks on a given day, with the records that meet them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CaseClocks {
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub clocks: Vec<ClockView>,
    pub acknowledgment: Option<Acknowledgment>,
    pub extension: Option<Extension>,
}

/// One entry of a history: who did what when, and the event itself (`null` once its payload
/// was purged; `action` still says what it was).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HistoryEntry {
    #[ts(type = "number")]
    pub seq: i64,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub event: Option<AuditEvent>,
}

impl From<audit::StoredEvent> for HistoryEntry {
    fn from(e: audit::StoredEvent) -> HistoryEntry {
        HistoryEntry {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            event: e.event,
        }
    }
}

/// Everything the case screen shows, from one snapshot.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CaseView {
    pub case: Case,
    /// The statuses it may move to now.
    pub next_statuses: Vec<CaseStatus>,
    pub clocks: CaseClocks,
    pub notes: Vec<Note>,
    pub files: Vec<Attachment>,
    pub letters: Vec<ArchivedLetter>,
    pub history: Vec<HistoryEntry>,
}

/// The case's view, as of now.
pub async fn case_view(file: &CaseFile, number: CaseNumber, now: DateTime<Utc>) -> Result<CaseView, ServiceError> {
    let mut snapshot = file.read().await?;
    view_in(&mut snapshot, number, now).await
}

/// [`case_view`] on a read already open (a snapshot, or the write that just made a change).
pub(crate) async fn view_in(conn: &mut Conn, number: CaseNumber, now: DateTime<Utc>) -> Result<CaseView, ServiceError> {
    let case = cases::find(conn, number)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))?;
    let id = case_id(conn, number).await?;
    let rules = settings::date_rules(conn).await?;
    let record = clock_store::find(conn, number)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))?;
    Ok(CaseView {
        next_statuses: case.status.next().to_vec(),
        clocks: clocks_of(&record.facts, &rules, now),
        notes: notes::for_case(conn, id).await?,
        files: attachments::for_case(conn, id).await?,
        letters: letters::for_case(conn, id).await?,
        history: audit::for_subject(conn, Subject::Case(number))
            .await?
            .into_iter()
            .map(HistoryEntry::from)
            .collect(),
        case,
    })
}

/// A case's clocks on the legal date of `now`.
pub(crate) fn clocks_of(facts: &ClockFacts, rules: &DateRules, now: DateTime<Utc>) -> CaseClocks {
    let today = legal_date(now, rules.time_zone);
    CaseClocks {
        today,
        clocks: clock::evaluate(facts, today, &rules.clocks.business_calendar(), rules.clocks.rules()),
        acknowledgment: facts.acknowledgment.clone(),
        extension: facts.extension.clone(),
    }
}

/// The row id of a case, or `NotFound`.
pub(crate) async fn case_id(conn: &mut Conn, number: CaseNumber) -> Result<i64, ServiceError> {
    cases::id_of(conn, number)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))
}

/// One case as stored, or `NotFound`.
pub(crate) async fn find_case(conn: &mut Conn, number: CaseNumber) -> Result<Case, ServiceError> {
    cases::find(conn, number)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))
}

/// A case's clock facts (with its row id and status), read inside the write that depends on them.
pub(crate) async fn clock_record(
    conn: &mut Conn,
    number: CaseNumber,
) -> Result<clock_store::CaseClockRecord, ServiceError> {
    clock_store::find(conn, number)
        .await?
        .ok_or_else(|| ServiceError::case_not_found(number))
}

/// Records that a case was responded to or its opt-out/limit honoured `on` a day, inside the
/// write that depends on it: once, only for a clock the case has, on a day between receipt and
/// today.
pub(crate) async fn act_in_tx(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    kind: ClockKind,
    on: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let record_ = clock_record(tx, number).await?;
    let (done, what) = match kind {
        ClockKind::Respond | ClockKind::RespondExtended => (record_.facts.responded_on, "The response"),
        ClockKind::Comply => (record_.facts.complied_on, "Compliance"),
        ClockKind::Acknowledge => {
            return Err(ServiceError::invalid(
                "clock",
                "Record an acknowledgment with its channel.",
            ))
        }
    };
    if !clock::needs(&record_.facts, kind) {
        return Err(ServiceError::invalid("clock", "This case has no such clock."));
    }
    if let Some(on) = done {
        return Err(ServiceError::AlreadyRecorded { what, on });
    }
    clock::check_act_date(&record_.facts, on, today, "on")?;
    clock_store::insert_act_in_tx(tx, record_.id, kind, on, now).await?;
    clock_store::refresh_next_due_in_tx(tx, &[record_.id]).await?;
    let event = if kind == ClockKind::Comply {
        AuditEvent::Complied { on }
    } else {
        AuditEvent::ResponseSent { on }
    };
    record(tx, record_.id, number, now, actor, event).await
}

/// Appends an event to a case's history, in the write that makes the change.
pub(crate) async fn record(
    tx: &mut Tx<'_>,
    case_id: i64,
    number: CaseNumber,
    at: DateTime<Utc>,
    actor: &str,
    event: AuditEvent,
) -> Result<(), ServiceError> {
    audit::append_in_tx(tx, Subject::Case(number), Some(case_id), at, actor, event).await?;
    Ok(())
}

/// Appends an event about the case file itself (settings, profile, templates, logo, staff).
pub(crate) async fn record_file_event(
    tx: &mut Tx<'_>,
    subject: Subject,
    at: DateTime<Utc>,
    actor: &str,
    event: AuditEvent,
) -> Result<(), ServiceError> {
    audit::append_in_tx(tx, subject, None, at, actor, event).await?;
    Ok(())
}

/// The legal date of `now` in the organisation's time zone, read in the same transaction.
pub(crate) async fn today(conn: &mut Conn, now: DateTime<Utc>) -> Result<NaiveDate, ServiceError> {
    Ok(legal_date(now, settings::time_zone(conn).await?))
}

/// Records the confirmation of receipt (§ 7021(a)) inside a write, and moves a `new` case to
/// `acknowledged` with it: one fact, whichever way it was recorded (the clock's form, a mailed
/// acknowledgment letter, or choosing "Acknowledged").
pub(crate) async fn acknowledge_in_tx(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    ack: &Acknowledgment,
    reason: Option<&str>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let today = today(tx, now).await?;
    let record_ = clock_record(tx, number).await?;
    if !clock::needs(&record_.facts, crate::domain::deadline::ClockKind::Acknowledge) {
        return Err(ServiceError::invalid(
            "acknowledgment",
            "Opt-out and limit requests have no confirmation-of-receipt clock.",
        ));
    }
    if let Some(existing) = &record_.facts.acknowledgment {
        return Err(ServiceError::AlreadyAcknowledged {
            number,
            on: existing.on,
        });
    }
    clock::check_act_date(&record_.facts, ack.on, today, "on")?;
    let moved = clock_store::insert_acknowledgment_in_tx(tx, record_.id, ack, now).await?;
    clock_store::refresh_next_due_in_tx(tx, &[record_.id]).await?;
    record(
        tx,
        record_.id,
        number,
        now,
        actor,
        AuditEvent::ReceiptConfirmed {
            on: ack.on,
            channel: ack.channel,
        },
    )
    .await?;
    if moved {
        record(
            tx,
            record_.id,
            number,
            now,
            actor,
            AuditEvent::StatusMoved {
                from: CaseStatus::New,
                to: CaseStatus::Acknowledged,
                reason: reason
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("Receipt confirmed on {}", ack.on)),
            },
        )
        .await?;
    }
    Ok(())
}

/// Records the one extension (§ 7021(b)) inside a write: refused without a reason, after the
/// response date (with the date it had to beat), or when the case has one.
pub(crate) async fn extend_in_tx(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    ext: &Extension,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Extension, ServiceError> {
    let rules = settings::date_rules(tx).await?;
    let today = legal_date(now, rules.time_zone);
    let record_ = clock_record(tx, number).await?;
    let valid = clock::check_extension(
        &record_.facts,
        ext,
        today,
        &rules.clocks.business_calendar(),
        rules.clocks.rules(),
    )?;
    clock_store::insert_extension_in_tx(tx, record_.id, &valid, now).await?;
    clock_store::refresh_next_due_in_tx(tx, &[record_.id]).await?;
    record(
        tx,
        record_.id,
        number,
        now,
        actor,
        AuditEvent::ResponseExtended {
            reason: valid.reason.clone(),
            notice_on: valid.notice_on,
        },
    )
    .await?;
    Ok(valid)
}
