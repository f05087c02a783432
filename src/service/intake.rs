//! Logging requests — one, many (an import), with the files they came with (an email) — and
//! editing what intake recorded. Every case is checked by the same intake rules against the time
//! zone and the organisation profile read inside the write that stores it.

use super::case_view::{case_id, find_case, record, view_in, CaseView};
use super::files::{attach_in_tx, check_attachment, NewAttachment};
use super::ServiceError;
use crate::domain::clock::ClockFacts;
use crate::domain::history::{changes, AuditEvent, Subject};
use crate::domain::profile::OrganisationProfile;
use crate::domain::{Case, CaseNumber, NewCase, ValidNewCase};
use crate::store::audit::{self, NewEvent};
use crate::store::{cases, clocks, queue, settings, CaseFile, Conn, StoreError, Tx};
use chrono::{DateTime, Utc};

/// Validates a request and stores it as a new case with the next number, with its
/// `case.created` event, in one write. Legal dates are taken in the organisation's time zone as
/// stored in the case file.
pub async fn log_request(
    file: &CaseFile,
    input: &NewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Case, ServiceError> {
    log_request_with_files(file, input, &[], now, actor).await
}

/// [`log_request`] with files kept with the case, all in the one write: the case is never
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
    let mut tx = file.write().await?;
    let (zone, profile) = intake_rules(&mut tx).await?;
    let valid = validate(input, now, zone, &profile)?;
    let mut created = create_all_in_tx(&mut tx, &[&valid], now, actor).await?;
    let (case_id, case) = created
        .pop()
        .ok_or_else(|| StoreError::Corrupt("a case insert returned nothing".into()))?;
    for f in files {
        attach_in_tx(&mut tx, case_id, case.number, f, now, actor).await?;
    }
    tx.commit().await?;
    Ok(case)
}

/// Logs many requests in one write (an import): all or none. Returns the case numbers in order.
pub async fn log_requests(
    file: &CaseFile,
    inputs: &[&NewCase],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<CaseNumber>, ServiceError> {
    let mut tx = file.write().await?;
    // The time zone and profile are read once for the whole import.
    let (zone, profile) = intake_rules(&mut tx).await?;
    let valid = inputs
        .iter()
        .map(|input| validate(input, now, zone, &profile))
        .collect::<Result<Vec<_>, _>>()?;
    let created = create_all_in_tx(&mut tx, &valid.iter().collect::<Vec<_>>(), now, actor).await?;
    tx.commit().await?;
    Ok(created.into_iter().map(|(_, case)| case.number).collect())
}

/// Stores validated cases, numbered in order, with their search rows, next due dates and
/// `case.created` events, a few statements per 500 cases.
pub(crate) async fn create_all_in_tx(
    tx: &mut Tx<'_>,
    valid: &[&ValidNewCase],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<(i64, Case)>, ServiceError> {
    let created = cases::insert_all_in_tx(tx, valid, now).await?;
    queue::index_new_cases_in_tx(tx, &created).await?;
    // A new case's clock facts are its receipt and kinds; no need to read them back.
    let facts: Vec<ClockFacts> = created
        .iter()
        .map(|(_, case)| ClockFacts {
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
    clocks::set_next_due_in_tx(tx, &new).await?;
    let events = created
        .iter()
        .map(|(case_id, case)| NewEvent {
            subject: Subject::Case(case.number),
            case_id: Some(*case_id),
            at: now,
            actor,
            event: AuditEvent::CaseCreated {
                case: Box::new(case.clone()),
            },
        })
        .collect();
    audit::append_all_in_tx(tx, events).await?;
    Ok(created)
}

/// Checks a request against the intake rules (the time zone and profile read in the same
/// write) and that letters can be written in its preferred language; every problem is reported
/// under its field.
pub(crate) fn validate(
    input: &NewCase,
    now: DateTime<Utc>,
    zone: chrono_tz::Tz,
    profile: &OrganisationProfile,
) -> Result<ValidNewCase, crate::domain::ValidationErrors> {
    let result = input.validate(now, zone, profile);
    let language = &input.details.language;
    if language.is_well_formed() && !crate::letters::templates::languages().contains(language) {
        let mut errors = result.err().unwrap_or_default();
        let known: Vec<String> = crate::letters::templates::languages()
            .iter()
            .filter_map(|code| {
                crate::letters::templates::words(code)
                    .ok()
                    .map(|w| format!("{} ({code})", w.name))
            })
            .collect();
        errors.add(
            "details.language",
            format!(
                "Letters cannot be written in \"{language}\" yet; the languages are {}.",
                known.join(", ")
            ),
        );
        return Err(errors);
    }
    result
}

/// Every case, newest received first.
pub async fn list_cases(file: &CaseFile) -> Result<Vec<Case>, ServiceError> {
    Ok(cases::list(&mut *file.read().await?).await?)
}

/// The time zone and organisation profile the intake rules are checked against.
pub(crate) async fn intake_rules(conn: &mut Conn) -> Result<(chrono_tz::Tz, OrganisationProfile), ServiceError> {
    let zone = settings::time_zone(conn).await?;
    let stored = crate::store::profile::current(conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile: {e}")))?;
    Ok((zone, profile))
}

/// Replaces what intake recorded about a case, checked like an intake, if nobody saved the case
/// since `version` (otherwise a `conflict`, and nothing changes). The history keeps the fields
/// that changed, before and after.
pub async fn edit_case(
    file: &CaseFile,
    number: CaseNumber,
    version: i64,
    input: &NewCase,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseView, ServiceError> {
    let conflict = || {
        ServiceError::Conflict(format!(
            "Case {number} was changed by someone else after you opened it, so your edit was not saved. Reload the case to see the change; what you typed is still in the form."
        ))
    };
    let mut tx = file.write().await?;
    let before = find_case(&mut tx, number).await?;
    if before.version != version {
        return Err(conflict());
    }
    let (zone, profile) = intake_rules(&mut tx).await?;
    let valid = validate(input, now, zone, &profile)?;
    let case_id = case_id(&mut tx, number).await?;
    if !cases::update_in_tx(&mut tx, case_id, version, &valid, now).await? {
        return Err(conflict());
    }
    let after = find_case(&mut tx, number).await?;
    queue::reindex_case_in_tx(&mut tx, case_id, &after).await?;
    clocks::refresh_next_due_in_tx(&mut tx, &[case_id]).await?;
    let edited = changes(&intake_fields(&before)?, &intake_fields(&after)?);
    record(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        AuditEvent::CaseEdited { changes: edited },
    )
    .await?;
    tx.commit().await?;
    view_in(&mut *file.read().await?, number, now).await
}

/// What intake recorded about a case, as compared by an edit (not its number, status or
/// bookkeeping).
fn intake_fields(case: &Case) -> Result<serde_json::Value, ServiceError> {
    Ok(serde_json::json!({
        "requester": super::json(&case.requester)?,
        "channel": case.channel,
        "kinds": case.kinds,
        "received_at": case.received_at,
        "details": super::json(&case.details)?,
    }))
}
