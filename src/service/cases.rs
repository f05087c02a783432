//! Logging requests and reading the queue.

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

/// A file to keep with a new case (e.g. the email the request came in).
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct NewAttachment {
    pub name: String,
    pub media_type: String,
    pub content: Vec<u8>,
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

/// Moves a case along its lifecycle, with who and why in its history. Refused when the move is
/// not allowed, without a reason, or when the case moved meanwhile (then nothing is changed).
pub async fn change_status(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    to: crate::domain::CaseStatus,
    reason: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let from = find_case(file, number).await?.status;
    let reason = from.check_move(to, reason)?;
    let mut tx = file.begin().await?;
    let Some(case_id) = cases::set_status_in_tx(&mut tx, number, from, to, now).await? else {
        return Err(ServiceError::Conflict(format!(
            "Case {number} changed while you were looking at it; reload it and try again."
        )));
    };
    let before = serde_json::json!({ "status": from });
    let after = serde_json::json!({ "status": to, "reason": reason });
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "status.changed",
        Some(&before),
        Some(&after),
    )
    .await?;
    crate::store::clocks::refresh_next_due_in_tx(&mut tx, &[case_id]).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// An open case that looks like it comes from the same person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct DuplicateHint {
    pub number: crate::domain::CaseNumber,
    pub name: String,
    pub status: crate::domain::CaseStatus,
    /// "same email", "same phone", "same name and address".
    pub reasons: Vec<String>,
}

/// What intake should point out before a request is logged.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct IntakeWarnings {
    pub duplicates: Vec<DuplicateHint>,
    /// Set when the person has had two responses to requests to know in the last 12 months:
    /// the business need not provide the information a third time (§ 1798.130(b)).
    #[ts(optional = nullable)]
    pub know_limit: Option<String>,
}

/// Open cases from the same person (same email, phone, or name and postal address), and, for a
/// request to know, whether the twice-in-12-months limit of § 1798.130(b) is reached. Advice
/// only: nothing stops the request from being logged.
pub async fn intake_warnings(
    file: &CaseFile,
    requester: &crate::domain::Requester,
    kinds: &[crate::domain::RequestKind],
    now: DateTime<Utc>,
) -> Result<IntakeWarnings, ServiceError> {
    use crate::domain::{CaseStatus, RequestKind};
    let cleaned = requester.validated(&mut crate::domain::ValidationErrors::default());
    let keys = cleaned.match_keys();
    if keys.email.is_none() && keys.phone.is_none() && keys.postal_code.is_none() {
        return Ok(IntakeWarnings::default());
    }
    let mut conn = file.acquire().await?;
    let today = crate::domain::time::legal_date(now, settings::time_zone(&mut conn).await?);
    let similar = cases::similar(&mut conn, &keys).await?;
    let parse_number = |n: &str| n.parse().map_err(|e: String| crate::store::StoreError::Corrupt(e));

    let mut duplicates = Vec::new();
    for s in similar
        .iter()
        .filter(|s| s.same_email || s.same_phone || s.same_name_and_address)
    {
        let status: CaseStatus = s
            .status
            .parse()
            .map_err(|e: crate::domain::request::UnknownToken| crate::store::StoreError::Corrupt(e.to_string()))?;
        if !CaseStatus::OPEN.contains(&status) {
            continue;
        }
        let reasons = [
            (s.same_email, "same email"),
            (s.same_phone, "same phone"),
            (s.same_name_and_address, "same name and address"),
        ]
        .iter()
        .filter(|(hit, _)| *hit)
        .map(|(_, why)| (*why).to_owned())
        .collect();
        duplicates.push(DuplicateHint {
            number: parse_number(&s.number)?,
            name: s.name.clone(),
            status,
            reasons,
        });
    }

    let asks_to_know = kinds
        .iter()
        .any(|k| matches!(k, RequestKind::KnowCategories | RequestKind::KnowSpecific));
    let year_ago = today - chrono::Months::new(12);
    let answered: Vec<&str> = similar
        .iter()
        .filter(|s| s.knows && (s.same_email || s.same_phone || s.same_name_and_address))
        .filter(|s| {
            s.responded_on
                .as_deref()
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .is_some_and(|d| d > year_ago && d <= today)
        })
        .map(|s| s.number.as_str())
        .collect();
    let know_limit = (asks_to_know && answered.len() >= 2).then(|| {
        format!(
            "This person has had {} responses to requests to know in the last 12 months ({}); the business is not obliged to provide the information more than twice in 12 months (§ 1798.130(b)).",
            answered.len(),
            answered.join(", ")
        )
    });
    Ok(IntakeWarnings { duplicates, know_limit })
}

/// Largest attachment accepted (bytes).
pub const MAX_ATTACHMENT: usize = 25 * 1024 * 1024;

/// Keeps a file with a case, inside the encrypted case file; the history names it and its
/// SHA-256 (never its content).
pub async fn add_attachment(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    name: &str,
    media_type: &str,
    content: &[u8],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let new = NewAttachment {
        name: name.to_owned(),
        media_type: media_type.to_owned(),
        content: content.to_vec(),
    };
    check_attachment(&new.name, &new.content)?;
    find_case(file, number).await?;
    let mut tx = file.begin().await?;
    let case_id = case_id(&mut tx, number).await?;
    attach_in_tx(&mut tx, case_id, number, &new, now, actor).await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or("").trim()
}

fn check_attachment(name: &str, content: &[u8]) -> Result<(), ServiceError> {
    let mut errors = crate::domain::ValidationErrors::default();
    if base_name(name).is_empty() {
        errors.add("name", "The file needs a name.");
    }
    if content.is_empty() {
        errors.add("content", "The file is empty.");
    } else if content.len() > MAX_ATTACHMENT {
        errors.add("content", "The file is larger than 25 MB.");
    }
    Ok(errors.into_result(())?)
}

async fn attach_in_tx(
    tx: &mut sqlx::SqliteConnection,
    case_id: i64,
    number: crate::domain::CaseNumber,
    f: &NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let media_type = if f.media_type.trim().is_empty() {
        "application/octet-stream"
    } else {
        f.media_type.trim()
    };
    let added = crate::store::attachments::insert_in_tx(
        &mut *tx,
        case_id,
        base_name(&f.name),
        media_type,
        &f.content,
        now,
        actor,
    )
    .await?;
    audit::append_in_tx(
        &mut *tx,
        case_id,
        number,
        now,
        actor,
        "attachment.added",
        None,
        Some(&super::json(&added)?),
    )
    .await?;
    Ok(())
}

/// Writes a copy of an attachment into `folder` (a new name if one is taken) and returns its path.
pub async fn save_attachment_copy(
    file: &CaseFile,
    id: i64,
    folder: &std::path::Path,
) -> Result<std::path::PathBuf, ServiceError> {
    let (info, content) = attachment_content(file, id).await?;
    super::save_copy(folder, &info.name, &content)
}

/// A file kept with a case, with its content.
pub async fn attachment_content(
    file: &CaseFile,
    id: i64,
) -> Result<(crate::store::attachments::Attachment, Vec<u8>), ServiceError> {
    crate::store::attachments::content(&mut *file.acquire().await?, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Attachment {id}")))
}

/// Assigns a case to a staff member (or to nobody with an empty name); in the history.
pub async fn assign(
    file: &CaseFile,
    number: crate::domain::CaseNumber,
    assignee: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<CaseDetail, ServiceError> {
    let assignee = assignee.split_whitespace().collect::<Vec<_>>().join(" ");
    if assignee.chars().count() > 100 {
        let mut errors = crate::domain::ValidationErrors::default();
        errors.add("assignee", "The name is longer than 100 characters.");
        return Err(errors.into());
    }
    let before = find_case(file, number).await?.assignee;
    let after = (!assignee.is_empty()).then_some(assignee);
    if before == after {
        return case_detail(file, number).await;
    }
    let mut tx = file.begin().await?;
    let case_id = case_id(&mut tx, number).await?;
    cases::assign_in_tx(&mut tx, case_id, after.as_deref(), now).await?;
    let (b, a) = (
        serde_json::json!({ "assignee": before }),
        serde_json::json!({ "assignee": after }),
    );
    audit::append_in_tx(
        &mut tx,
        case_id,
        number,
        now,
        actor,
        "case.assigned",
        Some(&b),
        Some(&a),
    )
    .await?;
    tx.commit().await.map_err(crate::store::StoreError::from)?;
    case_detail(file, number).await
}

/// The names of the staff known to this case file (acted on or assigned a case).
pub async fn staff_names(file: &CaseFile) -> Result<Vec<String>, ServiceError> {
    let mut conn = file.acquire().await?;
    Ok(cases::staff_names(&mut conn).await?)
}
