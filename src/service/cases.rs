//! Cases: logging requests (one, many, with their files), editing what intake recorded, notes,
//! and reading a case, its details and its history. Files, status moves and assignment, and
//! intake warnings have their own modules (`files`, `lifecycle`, `warnings`).

use super::files::{attach_in_tx, check_attachment, NewAttachment};
use super::ServiceError;
use crate::domain::{Case, NewCase};
use crate::store::{audit, cases, settings, CaseFile};
use chrono::{DateTime, Utc};

/// Validates a request and stores it as a new case with the next number, with its
/// `case.created` event, in one transaction.
/// Legal dates are taken in the organisation's time zone as stored in the case file.
pub async fn log_request(
    file: &CaseFile,
    input: &NewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Case, ServiceError> {
    log_request_with_files(file, input, &[], now, actor).await
}

/// Logs many requests in one transaction (an import): all or none. Returns the case numbers.
pub async fn log_requests(
    file: &CaseFile,
    inputs: &[&NewCase],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<String>, ServiceError> {
    let mut tx = file.begin().await?;
    // The time zone and profile are read once for the whole import.
    let (zone, profile) = intake_rules_in_tx(&mut tx).await?;
    let valid = inputs
        .iter()
        .map(|input| input.validate(now, zone, &profile))
        .collect::<Result<Vec<_>, _>>()?;
    let created = create_all_in_tx(&mut tx, &valid.iter().collect::<Vec<_>>(), now, actor).await?;
    let numbers = created.into_iter().map(|(_, case)| case.number.to_string()).collect();
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(numbers)
}

/// Stores a validated case with its search row and its `case.created` event.
async fn create_in_tx(
    tx: &mut sqlx::SqliteConnection,
    valid: &crate::domain::ValidNewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(i64, Case), ServiceError> {
    let mut one = create_all_in_tx(tx, &[valid], now, actor).await?;
    one.pop()
        .ok_or_else(|| crate::store::StoreError::Corrupt("a case insert returned nothing".into()).into())
}

/// Stores validated cases, numbered in order, with their search rows and `case.created` events,
/// a few statements per 500 cases.
pub(crate) async fn create_all_in_tx(
    tx: &mut sqlx::SqliteConnection,
    valid: &[&crate::domain::ValidNewCase],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<(i64, Case)>, ServiceError> {
    let created = cases::insert_all_in_tx(&mut *tx, valid, now).await?;
    crate::store::queue::index_new_cases_in_tx(&mut *tx, &created).await?;
    // A new case's clock facts are its receipt and kinds; no need to read them back.
    let facts: Vec<crate::domain::clock::ClockFacts> = created
        .iter()
        .map(|(_, case)| crate::domain::clock::ClockFacts {
            received_date: case.received_date,
            time_zone: case.time_zone.clone(),
            kinds: case.kinds.clone(),
            acknowledgment: None,
            extension: None,
            responded_on: None,
            complied_on: None,
        })
        .collect();
    let new: Vec<_> = created
        .iter()
        .zip(&facts)
        .map(|((id, case), facts)| (*id, case.status, facts))
        .collect();
    crate::store::clocks::set_next_due_in_tx(&mut *tx, &new).await?;
    let events = created
        .iter()
        .map(|(case_id, case)| {
            Ok(audit::NewEvent {
                case_id: *case_id,
                case_number: case.number,
                at: now,
                actor,
                action: "case.created",
                before: None,
                after: Some(super::json(case)?.to_string()),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    audit::append_all_in_tx(&mut *tx, &events).await?;
    Ok(created)
}

/// [`log_request`] with files kept with the case, all in the one transaction: the case is never
/// logged without the email it came in, nor the email kept without its case.
pub async fn log_request_with_files(
    file: &CaseFile,
    input: &NewCase,
    files: &[NewAttachment],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Case, ServiceError> {
    for f in files {
        check_attachment(&f.name, &f.content)?;
    }
    let mut tx = file.begin().await?;
    let valid = validate_in_tx(&mut tx, input, now).await?;
    let (case_id, case) = create_in_tx(&mut tx, &valid, now, actor).await?;
    for f in files {
        attach_in_tx(&mut tx, case_id, case.number, f, now, actor).await?;
    }
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    Ok(case)
}

/// Every case, newest received first.
pub async fn list_cases(file: &CaseFile) -> Result<Vec<Case>, ServiceError> {
    let mut conn = file.acquire().await?;
    Ok(cases::list(&mut conn).await?)
}

/// The time zone and organisation profile the intake rules are checked against.
async fn intake_rules_in_tx(
    conn: &mut sqlx::SqliteConnection,
) -> Result<(chrono_tz::Tz, crate::domain::profile::OrganisationProfile), ServiceError> {
    let zone = settings::time_zone(&mut *conn).await?;
    let stored = crate::store::profile::current(&mut *conn)
        .await?
        .ok_or_else(|| crate::store::StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = crate::domain::profile::OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| crate::store::StoreError::Corrupt(format!("stored profile: {e}")))?;
    Ok((zone, profile))
}

/// Checks an intake (or an edit) against the time zone and the profile in force.
async fn validate_in_tx(
    conn: &mut sqlx::SqliteConnection,
    input: &NewCase,
    now: DateTime<Utc>,
) -> Result<crate::domain::ValidNewCase, ServiceError> {
    let (zone, profile) = intake_rules_in_tx(conn).await?;
    Ok(input.validate(now, zone, &profile)?)
}

/// Replaces what intake recorded about a case, checked like an intake, if nobody saved the case
/// since `version` (otherwise a `conflict`, and nothing changes). The history keeps the case as
/// it was and as it is.
pub async fn edit_case(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    version: i64,
    input: &NewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let before = find_case(file, number).await?;
    let conflict = || {
        ServiceError::Conflict(format!(
            "Case {number} was changed by someone else after you opened it, so your edit was not saved. Reload the case to see the change; what you typed is still in the form."
        ))
    };
    if before.version != version {
        return Err(conflict());
    }
    let mut tx = file.begin().await?;
    let valid = validate_in_tx(&mut tx, input, now).await?;
    let case_id = case_id(&mut tx, number).await?;
    if !cases::update_in_tx(&mut tx, case_id, version, &valid, now).await? {
        return Err(conflict());
    }
    let after = cases::find(&mut tx, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Case {number}")))?;
    crate::store::queue::reindex_case_in_tx(&mut tx, case_id, &after).await?;
    crate::store::clocks::refresh_next_due_in_tx(&mut tx, &[case_id]).await?;
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "case.edited",
        Some(&super::json(&before)?),
        Some(&super::json(&after)?),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// Adds a note to a case (and to its search row and history).
pub async fn add_note(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    body: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let body = body.trim();
    if body.is_empty() {
        let mut errors = crate::domain::ValidationErrors::default();
        errors.add("body", "Write the note first.");
        return Err(errors.into());
    }
    let case = find_case(file, number).await?;
    let mut tx = file.begin().await?;
    let case_id = case_id(&mut tx, number).await?;
    let note = crate::store::notes::insert_in_tx(&mut tx, case_id, actor, body, now).await?;
    crate::store::queue::reindex_case_in_tx(&mut tx, case_id, &case).await?;
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "note.added",
        None,
        Some(&super::json(&note)?),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// The row id of a case, or `NotFound`.
pub(crate) async fn case_id(
    conn: &mut sqlx::SqliteConnection,
    number: crate::domain::CaseNumber,
) -> Result<i64, ServiceError> {
    cases::id_of(conn, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Case {number}")))
}

/// One case by its number.
pub async fn find_case(file: &CaseFile, number: crate::domain::CaseNumber) -> Result<Case, ServiceError> {
    let mut conn = file.acquire().await?;
    cases::find(&mut conn, number)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Case {number}")))
}

/// Everything that happened to a case, oldest first.
pub async fn history(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
) -> Result<Vec<audit::CaseEvent>, ServiceError> {
    let mut conn = file.acquire().await?;
    find_case(file, number).await?;
    Ok(audit::for_case(&mut conn, number).await?)
}

/// Checks the whole audit chain.
pub async fn verify_audit(file: &CaseFile) -> Result<audit::ChainReport, ServiceError> {
    let mut conn = file.acquire().await?;
    Ok(audit::verify(&mut conn).await?)
}

/// A case with the statuses it may move to next and its notes.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct CaseDetail {
    pub case: Case,
    pub next_statuses: Vec<crate::domain::CaseStatus>,
    pub notes: Vec<crate::store::notes::Note>,
    pub attachments: Vec<crate::store::attachments::Attachment>,
}

/// One case, where it may go next, its notes and its attachments (without their content).
pub async fn case_detail(file: &CaseFile, number: crate::domain::CaseNumber) -> Result<CaseDetail, ServiceError> {
    let case = find_case(file, number).await?;
    let mut conn = file.acquire().await?;
    let case_id = case_id(&mut conn, number).await?;
    let notes = crate::store::notes::for_case(&mut conn, case_id).await?;
    let attachments = crate::store::attachments::for_case(&mut conn, case_id).await?;
    Ok(CaseDetail {
        next_statuses: case.status.next().to_vec(),
        case,
        notes,
        attachments,
    })
}
