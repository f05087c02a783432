//! Mailing: recording how a letter went in the mail (date, first-class or certified with its
//! tracking number; once), one letter or a whole printed batch at once. A mailed
//! acknowledgment is the confirmation of receipt (§ 7021(a)).

use super::super::case_view::{acknowledge_in_tx, case_id, clock_record, record};
use super::super::ServiceError;
use super::compose::profile_ready;
use crate::domain::deadline::ClockKind;
use crate::domain::history::AuditEvent;
use crate::domain::letter::{ArchivedLetter, LetterKind, MailMethod};
use crate::domain::time::legal_date;
use crate::domain::ValidationErrors;
use crate::store::letters as letter_store;
use crate::store::{settings, CaseFile, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use ts_rs::TS;

/// How a letter went in the mail.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Mailing {
    #[ts(type = "string")]
    pub on: NaiveDate,
    pub method: MailMethod,
    #[ts(optional = nullable)]
    pub tracking_number: Option<String>,
}

/// Records that a letter was mailed (once), with its history event; mailing an acknowledgment
/// also records the confirmation of receipt when none is recorded yet.
pub async fn mark_mailed(
    file: &CaseFile,
    id: i64,
    mailing: &Mailing,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ArchivedLetter, ServiceError> {
    let mut tx = file.write().await?;
    profile_ready(&mut tx).await?;
    let letter = mark_mailed_in_tx(&mut tx, id, mailing, now, actor).await?;
    tx.commit().await?;
    Ok(letter)
}

async fn mark_mailed_in_tx(
    tx: &mut Tx<'_>,
    id: i64,
    mailing: &Mailing,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<ArchivedLetter, ServiceError> {
    let letter = letter_store::find(tx, id)
        .await?
        .ok_or_else(|| ServiceError::not_found("Letter", id))?;
    if let Some(on) = letter.mailed_on {
        return Err(ServiceError::LetterAlreadyMailed { letter: id, on });
    }
    let zone = settings::time_zone(tx).await?;
    let today = legal_date(now, zone);
    let produced_on = legal_date(letter.created_at, zone);
    let mut errors = ValidationErrors::default();
    if mailing.on > today {
        errors.add("on", "The mailing date is in the future.");
    }
    if mailing.on < produced_on {
        errors.add(
            "on",
            format!("The mailing date is before the letter was produced ({produced_on})."),
        );
    }
    let tracking = mailing
        .tracking_number
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    if mailing.method == MailMethod::Certified && tracking.is_none() {
        errors.add("tracking_number", "Certified mail has a tracking number; enter it.");
    }
    errors.into_result(())?;
    if !letter_store::mark_mailed_in_tx(tx, id, mailing.on, mailing.method, tracking).await? {
        return Err(ServiceError::LetterAlreadyMailed {
            letter: id,
            on: mailing.on,
        });
    }
    let number = letter.case_number;
    let case_id = case_id(tx, number).await?;
    let event = AuditEvent::LetterMailed {
        letter: id,
        on: mailing.on,
        method: mailing.method,
        tracking_number: tracking.map(str::to_owned),
    };
    record(tx, case_id, number, now, actor, event).await?;
    // A mailed acknowledgment is the confirmation of receipt (§ 7021(a)), given that day by post.
    if letter.kind == LetterKind::Acknowledgment {
        let facts = clock_record(tx, number).await?.facts;
        let pending = facts.acknowledgment.is_none() && crate::domain::clock::needs(&facts, ClockKind::Acknowledge);
        if pending {
            let ack = crate::domain::clock::Acknowledgment {
                on: mailing.on,
                channel: crate::domain::Channel::PostalMail,
            };
            acknowledge_in_tx(tx, number, &ack, Some("Acknowledgment letter mailed"), now, actor).await?;
        }
    }
    letter_store::find(tx, id)
        .await?
        .ok_or_else(|| ServiceError::not_found("Letter", id))
}

/// Records the same mailing for many letters (a printed batch) in one write, each as
/// [`mark_mailed`] does: all of them or, on any refusal, none (the error names the letter).
/// Letters already marked are left as they are and not counted. Returns how many were marked.
pub async fn mark_all_mailed(
    file: &CaseFile,
    ids: &[i64],
    mailing: &Mailing,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<usize, ServiceError> {
    let mut tx = file.write().await?;
    profile_ready(&mut tx).await?;
    let mut marked = 0;
    for id in ids {
        match mark_mailed_in_tx(&mut tx, *id, mailing, now, actor).await {
            Ok(_) => marked += 1,
            Err(ServiceError::LetterAlreadyMailed { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    tx.commit().await?;
    Ok(marked)
}
