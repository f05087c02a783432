//! Letters for cases: gathers what a letter may print (case, recipient, organisation profile,
//! deadlines, template), lays it out, writes the PDF, archives it with its SHA-256 and versions
//! in the same transaction as its history event; previews without archiving; marks letters as
//! mailed; keeps edited templates; prints batches of letters due.

use super::case_view::{
    acknowledge_in_tx, case_id, clock_record, clocks_of, extend_in_tx, find_case, record, CaseClocks,
};
use super::ServiceError;
use crate::domain::clock::Extension;
use crate::domain::deadline::ClockKind;
use crate::domain::details::{Coverage, Language};
use crate::domain::history::{AuditEvent, Subject};
use crate::domain::profile::OrganisationProfile;
use crate::domain::time::legal_date;
use crate::domain::{Case, CaseNumber, CaseStatus, PostalAddress, RequestKind, ValidationErrors};
use crate::letters::layout::{self, LetterText, Page};
use crate::letters::pdf::{self, PdfInfo};
use crate::letters::template::{self, LetterContext};
use crate::letters::{content, long_date, KindWords, LetterError, LetterKind};
use crate::store::letters::{self as letter_store, ArchivedLetter, MailMethod, NewLetter};
use crate::store::{settings, CaseFile, Conn, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// What letter to write for a case.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LetterRequest {
    pub kind: LetterKind,
    /// The case's preferred language when absent.
    #[ts(optional = nullable)]
    pub language: Option<Language>,
    /// General letters: the text staff wrote.
    #[ts(optional = nullable)]
    pub body: Option<String>,
    /// Extension notices: the reason given to the person.
    #[ts(optional = nullable)]
    pub reason: Option<String>,
    /// Short marks in the left margin where the page is folded in three.
    #[serde(default = "yes")]
    pub fold_marks: bool,
}

fn yes() -> bool {
    true
}

/// The pages of a letter as it would be printed, and the language it is in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterPreview {
    pub pages: Vec<Page>,
    /// The letterhead logo (PNG) the pages place, if any.
    pub logo: Option<Vec<u8>>,
    pub language: Language,
    pub recipient: String,
}

/// A letter laid out, with what its archive row records.
struct Composed {
    pages: Vec<Page>,
    language: Language,
    recipient: String,
    template_version: i64,
    profile_version: Option<i64>,
    title: String,
    author: String,
}

/// What every letter from the case file shares — the organisation profile in force, the time
/// zone, the letterhead logo and its size — read once for a letter or for a whole batch.
struct Sender {
    profile: OrganisationProfile,
    profile_version: i64,
    zone: chrono_tz::Tz,
    logo: Option<Vec<u8>>,
    logo_size: Option<(u32, u32)>,
}

async fn sender(conn: &mut Conn) -> Result<Sender, ServiceError> {
    let stored = crate::store::profile::current(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile: {e}")))?;
    let logo = letter_store::logo(&mut *conn).await?;
    let logo_size = match &logo {
        Some(png) => Some(pdf::png_size(png).map_err(|e| StoreError::Corrupt(format!("letterhead logo: {e}")))?),
        None => None,
    };
    Ok(Sender {
        profile,
        profile_version: stored.version,
        zone: settings::time_zone(&mut *conn).await?,
        logo,
        logo_size,
    })
}

/// Everything a letter is made from, read in one go.
async fn compose(
    conn: &mut Conn,
    sender: &Sender,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
) -> Result<Composed, ServiceError> {
    let case = find_case(conn, number).await?;
    let profile = &sender.profile;
    let today = legal_date(now, sender.zone);
    let rules = settings::date_rules(conn).await?;
    let clock_facts = clock_record(conn, number).await?;
    let clocks = clocks_of(&clock_facts.facts, &rules, now);
    let language = request.language.unwrap_or(case.details.language);
    let due = |clock: ClockKind| {
        clocks
            .clocks
            .iter()
            .find(|c| c.deadline.clock == clock)
            .map(|c| long_date(c.deadline.due, language))
            .unwrap_or_default()
    };

    check_kind_fits(&case, request, &clocks)?;
    let (recipient_name, address) = recipient(&case)?;
    let extension = match request.kind {
        LetterKind::Extension => {
            // The notice is previewed only while the extension could still be recorded
            // (§ 7021(b): once, and by the response date); producing it records it.
            let clock_settings = &rules.clocks;
            crate::domain::clock::check_extension(
                &clock_facts.facts,
                &Extension {
                    reason: request.reason.clone().unwrap_or_default(),
                    notice_on: today,
                },
                today,
                &clock_settings.business_calendar(),
                clock_settings.rules(),
            )?;
            let extended = clocks
                .clocks
                .iter()
                .find(|c| c.deadline.clock == ClockKind::RespondExtended)
                .map(|c| c.deadline.due)
                .ok_or_else(|| LetterError::Template("This case has no response clock to extend.".into()))?;
            Some(template::ExtensionFields {
                reason: request.reason.clone().unwrap_or_default().trim().to_owned(),
                new_date: long_date(extended, language),
            })
        }
        _ => None,
    };
    let body = match request.kind {
        LetterKind::General => {
            let body = request.body.clone().unwrap_or_default();
            if body.trim().is_empty() {
                let mut errors = ValidationErrors::default();
                errors.add("body", "Write the text of the letter.");
                return Err(errors.into());
            }
            Some(body)
        }
        _ => None,
    };
    let entity = case
        .details
        .entity
        .as_deref()
        .and_then(|code| profile.entity(code))
        .map(|e| e.name.clone())
        .unwrap_or_else(|| profile.name.clone());
    let context = LetterContext {
        letter: template::LetterFields {
            date: long_date(today, language),
        },
        organisation: template::OrganisationFields {
            name: profile.name.clone(),
            entity,
            email: profile.contacts.email.clone(),
            phone: profile.contacts.toll_free.clone(),
            notice_date: long_date(profile.notice_version, language),
        },
        case: template::CaseFields {
            number: case.number.to_string(),
            received_on: long_date(case.received_date, language),
            kinds: case.kinds.iter().map(|k| kind_words(*k, language).to_owned()).collect(),
            respond_by: due(ClockKind::Respond),
            comply_by: due(ClockKind::Comply),
        },
        recipient: template::RecipientFields {
            name: recipient_name.clone(),
            is_agent: case.details.agent.is_some(),
            requester_name: case.requester.name.clone(),
        },
        extension,
        body,
    };

    let (template_version, source) =
        match letter_store::template(conn, request.kind.token(), language_token(language)).await? {
            Some((version, body)) => (version, body),
            None => (0, template::default_template(request.kind, language).to_owned()),
        };
    let rendered = template::render(&source, &context)?;
    // § 7024(d): a letter never prints an SSN, account or ID number, wherever it came from.
    if let Some(what) = content::forbidden_number(&rendered) {
        return Err(LetterError::Forbidden(format!(
            "The letter would print what looks like {what}. Letters never show Social Security, \
             government ID, account, health insurance or medical ID numbers (§ 7024(d)); remove it."
        ))
        .into());
    }

    let mut letterhead = vec![profile.name.clone()];
    if profile.return_address.lines.iter().any(|l| !l.trim().is_empty()) {
        letterhead.extend(profile.return_address.lines.iter().cloned());
    } else {
        letterhead.push(format!("{} · {}", profile.contacts.email, profile.contacts.toll_free));
    }
    let signature = if profile.signatory.name.trim().is_empty() {
        vec![privacy_office(language).to_owned(), profile.name.clone()]
    } else {
        vec![
            profile.signatory.name.clone(),
            profile.signatory.title.clone(),
            profile.name.clone(),
        ]
    };
    let text = LetterText {
        letterhead,
        recipient_name: recipient_name.clone(),
        recipient_address: address,
        date: long_date(today, language),
        reference: format!(
            "{} · {} {}",
            request.kind.subject(language),
            match language {
                Language::En => "Reference",
                Language::Es => "Referencia",
            },
            case.number
        ),
        continuation: format!("{} · {}", recipient_name, case.number),
        body: content::parse(&rendered),
        closing: match language {
            Language::En => "Sincerely,".into(),
            Language::Es => "Atentamente,".into(),
        },
        signature,
        page_of: match language {
            Language::En => |n, m| format!("Page {n} of {m}"),
            Language::Es => |n, m| format!("Página {n} de {m}"),
        },
        fold_marks: request.fold_marks,
        logo: sender.logo_size,
    };
    let pages = layout::lay_out(&text)?;
    Ok(Composed {
        pages,
        language,
        recipient: recipient_name,
        template_version,
        profile_version: Some(sender.profile_version),
        title: format!("{} · {}", request.kind.subject(language), case.number),
        author: profile.name.clone(),
    })
}

/// Refuses a kind of letter the case does not call for.
fn check_kind_fits(case: &Case, request: &LetterRequest, clocks: &CaseClocks) -> Result<(), ServiceError> {
    let mut errors = ValidationErrors::default();
    match request.kind {
        LetterKind::Acknowledgment if !clocks.clocks.iter().any(|c| c.deadline.clock == ClockKind::Acknowledge) => {
            errors.add(
                "kind",
                "Opt-out and limit requests have no confirmation of receipt (§ 7021(a) covers know, delete and correct).",
            );
        }
        LetterKind::OptOutConfirmation
            if !case
                .kinds
                .iter()
                .any(|k| matches!(k, RequestKind::OptOut | RequestKind::Limit)) =>
        {
            errors.add("kind", "This case has no opt-out or limit request to confirm.");
        }
        LetterKind::NotCovered
            if !matches!(case.coverage, Coverage::NotCovered { .. }) && case.status != CaseStatus::NotCovered =>
        {
            errors.add(
                "kind",
                "This case is not flagged as not covered; set its entity or relationship to “None of these” first.",
            );
        }
        LetterKind::Extension if request.reason.as_deref().unwrap_or("").trim().is_empty() => {
            errors.add(
                "reason",
                "Give the reason for the extension; the notice must explain it (§ 7021(b)).",
            );
        }
        _ => {}
    }
    Ok(errors.into_result(())?)
}

/// Who a mailed letter goes to: the agent when there is one (the response goes to them), else
/// the requester; refused without a postal address.
fn recipient(case: &Case) -> Result<(String, PostalAddress), LetterError> {
    let (name, address, whom) = match &case.details.agent {
        Some(agent) => (&agent.name, &agent.address, "the authorised agent"),
        None => (&case.requester.name, &case.requester.address, "the requester"),
    };
    match address {
        Some(a) => Ok((name.clone(), a.clone())),
        None => Err(LetterError::NoAddress(format!(
            "Case {} has no postal address for {whom}, so a letter cannot be mailed. Add the address \
             (Edit details) first.",
            case.number
        ))),
    }
}

fn language_token(language: Language) -> &'static str {
    match language {
        Language::En => "en",
        Language::Es => "es",
    }
}

fn privacy_office(language: Language) -> &'static str {
    match language {
        Language::En => "Privacy Office",
        Language::Es => "Oficina de Privacidad",
    }
}

/// A kind of request in words, in the letter's language.
fn kind_words(kind: RequestKind, language: Language) -> &'static str {
    match (kind, language) {
        (RequestKind::KnowCategories, Language::En) => {
            "To know the categories of personal information we collect about you"
        }
        (RequestKind::KnowCategories, Language::Es) => {
            "Conocer las categorías de información personal que recopilamos sobre usted"
        }
        (RequestKind::KnowSpecific, Language::En) => {
            "To know the specific pieces of personal information we hold about you"
        }
        (RequestKind::KnowSpecific, Language::Es) => "Conocer los datos personales específicos que tenemos sobre usted",
        (RequestKind::Delete, Language::En) => "To delete personal information about you",
        (RequestKind::Delete, Language::Es) => "Eliminar información personal sobre usted",
        (RequestKind::Correct, Language::En) => "To correct inaccurate personal information about you",
        (RequestKind::Correct, Language::Es) => "Corregir información personal inexacta sobre usted",
        (RequestKind::OptOut, Language::En) => "To opt out of the sale or sharing of your personal information",
        (RequestKind::OptOut, Language::Es) => "Excluirse de la venta o el intercambio de su información personal",
        (RequestKind::Limit, Language::En) => "To limit the use of your sensitive personal information",
        (RequestKind::Limit, Language::Es) => "Limitar el uso de su información personal sensible",
    }
}

/// The pages a letter would have, without archiving anything.
pub async fn preview(
    file: &CaseFile,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
) -> Result<LetterPreview, ServiceError> {
    let mut snapshot = file.read().await?;
    let sender = sender(&mut snapshot).await?;
    let composed = compose(&mut snapshot, &sender, number, request, now).await?;
    Ok(LetterPreview {
        pages: composed.pages,
        logo: sender.logo,
        language: composed.language,
        recipient: composed.recipient,
    })
}

/// Produces a letter and archives it with the case, with its history event, in one
/// transaction; an extension notice also records the extension (reason, notice given today).
/// Returns the archived letter and its bytes.
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
    let (letter, bytes, _) = produce_in_tx(&mut tx, &sender, number, request, now, actor).await?;
    deliver(&bytes)?;
    tx.commit().await?;
    Ok((letter, bytes))
}

async fn produce_in_tx(
    tx: &mut Tx<'_>,
    sender: &Sender,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(ArchivedLetter, Vec<u8>, Vec<Page>), ServiceError> {
    let composed = compose(tx, sender, number, request, now).await?;
    if request.kind == LetterKind::Extension {
        let extension = Extension {
            reason: request.reason.clone().unwrap_or_default(),
            notice_on: legal_date(now, sender.zone),
        };
        extend_in_tx(tx, number, &extension, now, actor).await?;
    }
    let bytes = pdf::write(
        &composed.pages,
        &PdfInfo {
            title: &composed.title,
            author: &composed.author,
            created: now,
            logo: sender.logo.as_deref(),
        },
    );
    let case_id = case_id(tx, number).await?;
    let letter = letter_store::insert_in_tx(
        tx,
        &NewLetter {
            case_id,
            kind: request.kind.token(),
            language: language_token(composed.language),
            recipient: &composed.recipient,
            template_version: composed.template_version,
            profile_version: composed.profile_version,
            pages: composed.pages.len() as i64,
            pdf: &bytes,
        },
        now,
        actor,
    )
    .await?;
    let event = AuditEvent::LetterProduced {
        letter: letter.id,
        kind: letter.kind,
        language: letter.language,
        pages: letter.pages,
        sha256: letter.sha256.clone(),
        template_version: letter.template_version,
    };
    record(tx, case_id, number, now, actor, event).await?;
    Ok((letter, bytes, composed.pages))
}

/// A case's archived letters, oldest first.
pub async fn letters_for_case(file: &CaseFile, number: CaseNumber) -> Result<Vec<ArchivedLetter>, ServiceError> {
    let mut snapshot = file.read().await?;
    let case_id = case_id(&mut snapshot, number).await?;
    Ok(letter_store::for_case(&mut snapshot, case_id).await?)
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
    super::save_copy(
        folder,
        &format!("{} {} {}.pdf", letter.case_number, letter.kind.token(), letter.id),
        &bytes,
    )
}

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

/// A letter template as Settings shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterTemplate {
    pub kind: LetterKind,
    pub language: Language,
    /// 0 for the template shipped with PrivacyDesk.
    #[ts(type = "number")]
    pub version: i64,
    pub body: String,
}

/// The template in force for every kind and language.
pub async fn templates(file: &CaseFile) -> Result<Vec<LetterTemplate>, ServiceError> {
    let mut conn = file.read().await?;
    let mut out = Vec::new();
    for kind in LetterKind::ALL {
        for language in [Language::En, Language::Es] {
            let (version, body) = letter_store::template(&mut conn, kind.token(), language_token(language))
                .await?
                .unwrap_or_else(|| (0, template::default_template(kind, language).to_owned()));
            out.push(LetterTemplate {
                kind,
                language,
                version,
                body,
            });
        }
    }
    Ok(out)
}

/// Saves a new version of a template after checking it (an unknown field is named).
pub async fn save_template(
    file: &CaseFile,
    kind: LetterKind,
    language: Language,
    body: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<LetterTemplate, ServiceError> {
    if body.trim().is_empty() {
        return Err(ServiceError::invalid(
            "template",
            "The template is empty; write the letter, or reset it to the shipped text.",
        ));
    }
    template::check(kind, body).map_err(|e| ServiceError::invalid("template", e.to_string()))?;
    let mut tx = file.write().await?;
    let version =
        letter_store::save_template_in_tx(&mut tx, kind.token(), language_token(language), body, now, actor).await?;
    let event = AuditEvent::TemplateSaved {
        kind,
        language,
        version,
    };
    super::case_view::record_file_event(&mut tx, Subject::Templates, now, actor, event).await?;
    tx.commit().await?;
    Ok(LetterTemplate {
        kind,
        language,
        version,
        body: body.to_owned(),
    })
}

/// Puts a template back to the text shipped with PrivacyDesk (a new version that says so: an
/// empty body), keeping the history of edits.
pub async fn reset_template(
    file: &CaseFile,
    kind: LetterKind,
    language: Language,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<LetterTemplate, ServiceError> {
    let mut tx = file.write().await?;
    letter_store::save_template_in_tx(&mut tx, kind.token(), language_token(language), "", now, actor).await?;
    let event = AuditEvent::TemplateSaved {
        kind,
        language,
        version: 0,
    };
    super::case_view::record_file_event(&mut tx, Subject::Templates, now, actor, event).await?;
    tx.commit().await?;
    Ok(LetterTemplate {
        kind,
        language,
        version: 0,
        body: template::default_template(kind, language).to_owned(),
    })
}

/// Letters per part of a batch's printer PDF (see `pdf::join`).
const LETTERS_PER_PART: usize = 250;

/// Which letters a batch prints.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BatchRequest {
    pub kind: LetterKind,
    /// Cases whose clock for this kind is due on or before this date (and still pending).
    #[ts(type = "string")]
    pub due_before: NaiveDate,
    #[serde(default = "yes")]
    pub fold_marks: bool,
}

/// A printed batch: one PDF of every letter, and the cases left out with the reason.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchOutcome {
    #[ts(type = "number")]
    pub letters: usize,
    /// The archived letters, in the order printed.
    #[ts(type = "Array<number>")]
    pub letter_ids: Vec<i64>,
    #[ts(type = "number")]
    pub pages: usize,
    pub skipped: Vec<BatchSkip>,
    /// Cases that no longer needed the letter when their turn came (met or printed meanwhile).
    #[ts(type = "number")]
    pub not_needed: usize,
    /// Why the batch stopped before the end (a broken template); the letters before it are kept.
    pub stopped: Option<String>,
    pub cancelled: bool,
    /// Where the caller saved `pdf` for the printer, once it has.
    pub saved_to: Option<String>,
    #[serde(skip)]
    pub pdf: Vec<u8>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchSkip {
    pub number: CaseNumber,
    pub reason: String,
}

/// The cases a batch of `kind` would print, in due-date order.
pub async fn batch_cases(
    file: &CaseFile,
    request: &BatchRequest,
    now: DateTime<Utc>,
) -> Result<Vec<CaseNumber>, ServiceError> {
    let clock = batch_clock(request.kind)?;
    let mut snapshot = file.read().await?;
    let rules = settings::date_rules(&mut snapshot).await?;
    let today = legal_date(now, rules.time_zone);
    let clock_settings = &rules.clocks;
    let calendar = clock_settings.business_calendar();
    // A case whose letter of this kind is archived already is not printed twice.
    let printed = letter_store::cases_with(&mut snapshot, request.kind.token()).await?;
    let mut due: Vec<(NaiveDate, CaseNumber)> = crate::store::clocks::open_cases(&mut snapshot)
        .await?
        .into_iter()
        .filter(|record| !printed.contains(&record.id))
        .flat_map(|record| {
            crate::domain::clock::pending(&record.facts, today, &calendar, clock_settings.rules())
                .into_iter()
                .filter(|p| p.clock == clock && p.due <= request.due_before)
                .map(move |p| (p.due, record.number))
        })
        .collect();
    due.sort();
    Ok(due.into_iter().map(|(_, n)| n).collect())
}

/// Produces and archives the letter of every case in `numbers` (each in its own write, so a
/// cancelled batch keeps what it printed, and other writers get their turn between letters),
/// calling `progress(done, total)` after each, and returns one PDF of all of them for the
/// printer. A case that cannot get the letter (no postal address, a name the fonts cannot
/// print) is listed with the reason; one that no longer needs it (its clock met, or its letter
/// printed meanwhile) is counted. A broken template stops the batch with the reason, keeping
/// what was printed. `cancel` stops after the letter in hand.
pub async fn batch(
    file: &CaseFile,
    numbers: &[CaseNumber],
    request: &BatchRequest,
    now: DateTime<Utc>,
    actor: &str,
    cancel: &AtomicBool,
    mut progress: impl FnMut(usize, usize),
) -> Result<BatchOutcome, ServiceError> {
    // Pages waiting to go into the next part of the printer PDF, and the parts written so far.
    let mut pages = Vec::new();
    let mut parts: Vec<Vec<u8>> = Vec::new();
    let mut page_count = 0;
    let mut letter_ids = Vec::new();
    let mut skipped = Vec::new();
    let mut not_needed = 0;
    let mut stopped = None;
    let sender = sender(&mut *file.read().await?).await?;
    let clock = batch_clock(request.kind)?;
    let title = format!("{} letters, {}", request.kind.label(), now.format("%Y-%m-%d"));
    let info = PdfInfo {
        title: &title,
        author: "PrivacyDesk",
        created: now,
        logo: sender.logo.as_deref(),
    };
    let mut letters = 0;
    let letter_request = LetterRequest {
        kind: request.kind,
        language: None,
        body: None,
        reason: None,
        fold_marks: request.fold_marks,
    };
    for (i, number) in numbers.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let mut tx = file.write().await?;
        if !still_needed(&mut tx, *number, request.kind, clock, now).await? {
            not_needed += 1;
            progress(i + 1, numbers.len());
            continue;
        }
        match produce_in_tx(&mut tx, &sender, *number, &letter_request, now, actor).await {
            Ok((letter, _, letter_pages)) => {
                tx.commit().await?;
                letter_ids.push(letter.id);
                // The batch PDF holds the same pages as the archived letters.
                page_count += letter_pages.len();
                pages.extend(letter_pages);
                letters += 1;
                if letters % LETTERS_PER_PART == 0 {
                    parts.push(pdf::write(&std::mem::take(&mut pages), &info));
                }
            }
            Err(ServiceError::Invalid(e)) => {
                drop(tx);
                skipped.push(BatchSkip {
                    number: *number,
                    reason: e.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
                });
            }
            Err(ServiceError::LetterBroken(reason)) => {
                stopped = Some(format!(
                    "The batch stopped at {number}: {reason} Fix the template in Settings › Letter templates; the letters printed before it are kept."
                ));
                break;
            }
            Err(e) => return Err(e),
        }
        progress(i + 1, numbers.len());
    }
    let cancelled = cancel.load(Ordering::Relaxed);
    if !pages.is_empty() {
        parts.push(pdf::write(&pages, &info));
    }
    let pdf = match parts.len() {
        0 => Vec::new(),
        1 => parts.pop().expect("one part"),
        _ => pdf::join(&parts, &info).map_err(|e| StoreError::Corrupt(format!("joining the batch PDF: {e}")))?,
    };
    Ok(BatchOutcome {
        letters,
        letter_ids,
        pages: page_count,
        skipped,
        not_needed,
        stopped,
        cancelled,
        saved_to: None,
        pdf,
    })
}

/// The clock a batch of this kind of letter answers.
fn batch_clock(kind: LetterKind) -> Result<ClockKind, ServiceError> {
    match kind {
        LetterKind::Acknowledgment => Ok(ClockKind::Acknowledge),
        LetterKind::OptOutConfirmation => Ok(ClockKind::Comply),
        other => Err(ServiceError::invalid(
            "kind",
            format!(
                "A batch prints letters that a clock calls for (acknowledgments, opt-out confirmations); \
                 {} letters are written one case at a time.",
                other.label()
            ),
        )),
    }
}

/// Whether a case still needs the batch's letter, read inside the write that would print it:
/// its clock still pending and no letter of the kind archived.
async fn still_needed(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    kind: LetterKind,
    clock: ClockKind,
    now: DateTime<Utc>,
) -> Result<bool, ServiceError> {
    let record_ = clock_record(tx, number).await?;
    if !crate::domain::CaseStatus::OPEN.contains(&record_.status) {
        return Ok(false);
    }
    let rules = settings::date_rules(tx).await?;
    let today = legal_date(now, rules.time_zone);
    let pending = crate::domain::clock::pending(
        &record_.facts,
        today,
        &rules.clocks.business_calendar(),
        rules.clocks.rules(),
    )
    .iter()
    .any(|p| p.clock == clock);
    Ok(pending
        && !letter_store::for_case(tx, record_.id)
            .await?
            .iter()
            .any(|l| l.kind == kind))
}

/// The letterhead logo (PNG), if one is set.
pub async fn letterhead_logo(file: &CaseFile) -> Result<Option<Vec<u8>>, ServiceError> {
    Ok(letter_store::logo(&mut *file.read().await?).await?)
}

/// Sets the letterhead logo (a PNG of at most 2 MiB), or removes it with `None`.
pub async fn set_letterhead_logo(
    file: &CaseFile,
    png: Option<&[u8]>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    if let Some(png) = png {
        let mut errors = ValidationErrors::default();
        if png.len() > 2 * 1024 * 1024 {
            errors.add("logo", "The logo is larger than 2 MiB; use a smaller PNG.");
        } else if !png.starts_with(b"\x89PNG\r\n\x1a\n") || pdf::png_size(png).is_err() {
            errors.add("logo", "The logo must be a PNG image.");
        }
        errors.into_result(())?;
    }
    let mut tx = file.write().await?;
    letter_store::set_logo_in_tx(&mut tx, png, now, actor).await?;
    let sha256 = png.map(|p| {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(p))
    });
    super::case_view::record_file_event(&mut tx, Subject::Logo, now, actor, AuditEvent::LogoChanged { sha256 }).await?;
    tx.commit().await?;
    Ok(())
}
