//! Producing a letter: composed, written as a PDF, archived with the case (bytes, SHA-256,
//! template and profile versions) with its history event and whatever its spec records (an
//! extension notice records the extension), in one write. Reading archived letters back.

use super::super::case_view::{case_id, extend_in_tx, record};
use super::super::ServiceError;
use super::compose::{compose, sender, LetterRequest, Sender};
use crate::domain::history::AuditEvent;
use crate::domain::letter::ArchivedLetter;
use crate::domain::CaseNumber;
use crate::letters::pdf::{PdfInfo, Press, Pressed};
use crate::store::letters::{self as letter_store, NewLetter};
use crate::store::{CaseFile, StoreError, Tx};
use chrono::{DateTime, Utc};

/// Produces a letter and archives it with the case, with its history event, in one write; an
/// extension notice also records the extension (reason, notice given today); an opt-out
/// confirmation records the answer to the opt-out and limit parts (honoured, declined or
/// refused), which meets their clock; a response letter records its outcome; an unable-to-verify
/// letter answers the kinds that could not be verified (see `verification::answer_unverified_in_tx`). Returns the archived letter and its bytes.
pub async fn produce(
    file: &CaseFile,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(ArchivedLetter, Vec<u8>), ServiceError> {
    produce_with(file, number, request, now, actor, |_| Ok(())).await
}

/// [`produce`], handing the PDF to `deliver` before anything is committed (the CLI writes
/// `--out` there): when it fails, nothing is archived or recorded.
pub async fn produce_with(
    file: &CaseFile,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
    actor: &str,
    deliver: impl FnOnce(&[u8]) -> Result<(), ServiceError>,
) -> Result<(ArchivedLetter, Vec<u8>), ServiceError> {
    let mut tx = file.write().await?;
    let sender = sender(&mut tx).await?;
    let mut press = Press::new(sender.logo.as_deref());
    let (letter, bytes, _) = produce_in_tx(&mut tx, &sender, &mut press, number, request, now, actor).await?;
    deliver(&bytes)?;
    tx.commit().await?;
    Ok((letter, bytes))
}

/// [`produce`] inside a write (a batch makes one per letter, all with one `press`).
pub(crate) async fn produce_in_tx(
    tx: &mut Tx<'_>,
    sender: &Sender,
    press: &mut Press,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(ArchivedLetter, Vec<u8>, Pressed), ServiceError> {
    sender.ready()?;
    let composed = compose(tx, sender, number, request, now).await?;
    if let Some(extension) = &composed.extension {
        extend_in_tx(tx, number, extension, now, actor).await?;
    }
    let pressed = press.press(&composed.pages);
    let bytes = pressed.pdf(&PdfInfo {
        title: &composed.title,
        author: &composed.author,
        created: now,
    });
    let case_id = case_id(tx, number).await?;
    let layout = serde_json::to_string(&composed.pages).expect("plain data");
    let letter = letter_store::insert_in_tx(
        tx,
        &NewLetter {
            case_id,
            kind: request.kind.token(),
            language: composed.language.code(),
            recipient: &composed.recipient,
            template_version: composed.template_version,
            profile_version: Some(composed.profile_version),
            pages: composed.pages.len() as i64,
            pdf: &bytes,
            layout: Some(&layout),
        },
        now,
        actor,
    )
    .await?;
    let event = AuditEvent::LetterProduced {
        letter: letter.id,
        kind: letter.kind,
        language: letter.language.clone(),
        pages: letter.pages,
        sha256: letter.sha256.clone(),
        template_version: letter.template_version,
    };
    record(tx, case_id, number, now, actor, event).await?;
    if crate::letters::spec::spec(request.kind).records == crate::letters::spec::Records::UnverifiedAnswer {
        super::super::verification::answer_unverified_in_tx(tx, number, letter.id, now, actor).await?;
    }
    // The specific pieces go with their response, as JSON and CSV kept with the case.
    if request.kind == crate::letters::LetterKind::KnowSpecificResponse {
        let items = super::super::specific::items_in(tx, number).await?;
        let (json, csv) = super::super::specific::export(number, &items);
        for (name, media_type, content) in [
            (format!("{number} specific pieces.json"), "application/json", json),
            (format!("{number} specific pieces.csv"), "text/csv", csv),
        ] {
            super::super::files::attach_in_tx(
                tx,
                case_id,
                number,
                &super::super::files::NewAttachment {
                    name,
                    media_type: media_type.into(),
                    content,
                },
                now,
                actor,
            )
            .await?;
        }
    }
    if !composed.responses.is_empty() {
        let answers: Vec<crate::store::decisions::ResponseRecord> = composed
            .responses
            .into_iter()
            .map(|r| crate::store::decisions::ResponseRecord {
                letter: Some(letter.id),
                ..r
            })
            .collect();
        super::super::decisions::record_in_tx(tx, case_id, number, &answers, now, actor).await?;
    }
    Ok((letter, bytes, pressed))
}

/// An archived letter's bytes, exactly as produced (checked against its SHA-256).
pub async fn archived_pdf(file: &CaseFile, id: i64) -> Result<(ArchivedLetter, Vec<u8>), ServiceError> {
    use sha2::{Digest, Sha256};
    let mut snapshot = file.read().await?;
    let summary = letter_store::find(&mut snapshot, id)
        .await?
        .ok_or_else(|| ServiceError::not_found("Letter", id))?;
    let bytes = letter_store::pdf(&mut snapshot, id)
        .await?
        .ok_or_else(|| ServiceError::not_found("Letter", id))?;
    if bytes.is_empty() {
        return Err(ServiceError::Conflict(format!(
            "The pages of letter {id} were removed when its case was reduced at the end of its retention period; its SHA-256 ({}) stays in the history.",
            summary.sha256
        )));
    }
    if hex::encode(Sha256::digest(&bytes)) != summary.sha256 {
        return Err(StoreError::Corrupt(format!("letter {id} does not match its SHA-256")).into());
    }
    Ok((summary, bytes))
}

/// Saves a copy of an archived letter in `folder` ("PR-2026-00042 acknowledgment 3.pdf").
pub async fn save_letter_copy(
    file: &CaseFile,
    id: i64,
    folder: &std::path::Path,
) -> Result<std::path::PathBuf, ServiceError> {
    let (letter, bytes) = archived_pdf(file, id).await?;
    super::super::save_copy(
        folder,
        &format!("{} {} {}.pdf", letter.case_number, letter.kind.token(), letter.id),
        &bytes,
    )
}
