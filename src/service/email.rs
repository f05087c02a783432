//! Email intake: an `.eml` file (or each message of an mbox file) read with a maintained MIME
//! parser (`mail-parser`) into what the intake form needs — the sender, when it was sent, the
//! subject and body as the request in the person's words, the kinds of request the words name —
//! and logged as a case with the message kept beside it. A message is remembered by its
//! Message-ID, so the same email is never logged twice.

use super::files::{attach_in_tx, NewAttachment};
use super::intake::{create_all_in_tx, intake_rules};
use super::ServiceError;
use crate::domain::details::CaseDetails;
use crate::domain::{CaseNumber, Channel, NewCase, RequestKind, Requester, ValidationErrors};
use crate::store::{emails, CaseFile};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use ts_rs::TS;

/// What an email says about a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EmailIntake {
    pub sender_name: String,
    #[ts(optional = nullable)]
    pub sender_email: Option<String>,
    /// When it was sent (RFC 3339, UTC), from the Date header; `null` when absent.
    #[ts(optional = nullable)]
    pub sent_at: Option<String>,
    pub subject: String,
    /// Subject and plain-text body, as the description of the request.
    pub description: String,
    /// The Message-ID header (without `<>`), when it has one.
    #[ts(optional = nullable)]
    pub message_id: Option<String>,
    /// The kinds of request the subject and body name ("delete", "opt out", …), for staff to
    /// check; empty when none is named.
    pub kinds: Vec<RequestKind>,
}

/// Largest email accepted (bytes).
pub const MAX_EMAIL: usize = 25 * 1024 * 1024;

fn refuse(message: &str) -> ServiceError {
    ServiceError::invalid("email", message)
}

/// Reads an `.eml` file. Refused when it is not an email or too large.
pub fn read_eml(raw: &[u8]) -> Result<EmailIntake, ServiceError> {
    if raw.len() > MAX_EMAIL {
        return Err(refuse("The email is larger than 25 MB."));
    }
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .filter(|m| m.from().is_some() || m.subject().is_some())
        .ok_or_else(|| refuse("This file is not an email (.eml) PrivacyDesk can read."))?;
    let from = message.from().and_then(|a| a.first());
    let sender_email = from.and_then(|a| a.address()).map(str::to_owned);
    let sender_name = from
        .and_then(|a| a.name())
        .map(str::to_owned)
        .or_else(|| sender_email.clone())
        .unwrap_or_default();
    let sent_at = message
        .date()
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0))
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true));
    let subject = message.subject().unwrap_or("").trim().to_owned();
    let body = message
        .body_text(0)
        .map(|b| b.trim().replace("\r\n", "\n"))
        .unwrap_or_default();
    let description = match (subject.is_empty(), body.is_empty()) {
        (false, false) => format!("{subject}\n\n{body}"),
        (false, true) => subject.clone(),
        _ => body,
    };
    Ok(EmailIntake {
        sender_name,
        sender_email,
        sent_at,
        subject,
        kinds: kinds_named(&description),
        description,
        message_id: message
            .message_id()
            .map(|id| id.trim().trim_matches(['<', '>']).to_owned())
            .filter(|id| !id.is_empty()),
    })
}

/// The kinds of request a text names, by the words people use for them. A suggestion for staff
/// (and for scripts that log a mailbox): it never decides more than the words say.
pub fn kinds_named(text: &str) -> Vec<RequestKind> {
    let t = text.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| t.contains(w));
    let mut kinds = Vec::new();
    if any(&[
        "delete",
        "deletion",
        "erase",
        "remove my",
        "borrar",
        "eliminar",
        "suprimir",
    ]) {
        kinds.push(RequestKind::Delete);
    }
    if any(&["correct", "rectif", "inaccurate", "corregir", "corrección"]) {
        kinds.push(RequestKind::Correct);
    }
    if any(&["specific pieces", "copy of my", "copy of the", "copia de"]) {
        kinds.push(RequestKind::KnowSpecific);
    } else if any(&[
        "right to know",
        "what personal information",
        "what information",
        "access my",
        "categories",
        "saber qué",
        "acceso a",
    ]) {
        kinds.push(RequestKind::KnowCategories);
    }
    if any(&[
        "opt out",
        "opt-out",
        "do not sell",
        "don't sell",
        "do not share",
        "no vender",
        "excluir",
    ]) {
        kinds.push(RequestKind::OptOut);
    }
    if any(&[
        "limit the use",
        "limit use",
        "sensitive personal information",
        "limitar",
    ]) {
        kinds.push(RequestKind::Limit);
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The messages of an mbox file (`From ` separator lines), or the file itself when it is one
/// message.
pub fn messages(raw: &[u8]) -> Vec<Vec<u8>> {
    if !raw.starts_with(b"From ") {
        return vec![raw.to_vec()];
    }
    mail_parser::mailbox::mbox::MessageIterator::new(std::io::Cursor::new(raw))
        .filter_map(Result::ok)
        .map(|m| m.unwrap_contents())
        .collect()
}

/// What happened to one email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum EmailOutcome {
    Logged {
        number: CaseNumber,
    },
    /// The same message (by its Message-ID) was logged before, as this case.
    AlreadyLogged {
        message_id: String,
        number: CaseNumber,
    },
    /// Not logged; why, in words.
    Refused {
        reason: String,
    },
}

/// How cases logged from emails are filed where the email does not say.
#[derive(Debug, Clone, Default)]
pub struct EmailDefaults {
    /// The kinds of request; `None`: those the words name (refused when none).
    pub kinds: Option<Vec<RequestKind>>,
}

/// Logs one case per email, each in its own write (so one bad email stops nothing else), with
/// the message kept beside it: the sender as the requester, the time sent as the receipt (now,
/// when it has no date), the subject and body as the request, channel email.
pub async fn log_emails(
    file: &CaseFile,
    raw_messages: &[(String, Vec<u8>)],
    defaults: &EmailDefaults,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<Vec<(String, EmailOutcome)>, ServiceError> {
    let mut outcomes = Vec::new();
    for (name, raw) in raw_messages {
        let outcome = match log_one(file, name, raw, defaults, now, actor).await {
            Ok(outcome) => outcome,
            Err(ServiceError::Invalid(errors)) => EmailOutcome::Refused {
                reason: describe(&errors),
            },
            Err(e) => return Err(e),
        };
        outcomes.push((name.clone(), outcome));
    }
    Ok(outcomes)
}

fn describe(errors: &ValidationErrors) -> String {
    errors.0.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ")
}

async fn log_one(
    file: &CaseFile,
    name: &str,
    raw: &[u8],
    defaults: &EmailDefaults,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<EmailOutcome, ServiceError> {
    let email = read_eml(raw)?;
    let kinds = match &defaults.kinds {
        Some(kinds) => kinds.clone(),
        None if email.kinds.is_empty() => {
            return Err(ServiceError::invalid(
                "kinds",
                "The email names no kind of request (delete, know, correct, opt out, limit); give --kinds.",
            ))
        }
        None => email.kinds.clone(),
    };
    let input = NewCase {
        requester: Requester {
            name: email.sender_name.clone(),
            email: email.sender_email.clone(),
            phone: None,
            address: None,
        },
        channel: Channel::Email,
        kinds,
        received: email
            .sent_at
            .clone()
            .unwrap_or_else(|| now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        details: CaseDetails {
            description: email.description.clone(),
            ..Default::default()
        },
    };
    let attachment = NewAttachment {
        name: if name.to_lowercase().ends_with(".eml") {
            name.to_owned()
        } else {
            format!("{}.eml", email.message_id.as_deref().unwrap_or("email"))
        },
        media_type: "message/rfc822".to_owned(),
        content: raw.to_vec(),
    };
    store(file, &input, &attachment, email.message_id.as_deref(), now, actor).await
}

/// Stores a case logged from an email, the email with it and its Message-ID, in one write;
/// a message logged before is not stored again.
async fn store(
    file: &CaseFile,
    input: &NewCase,
    email: &NewAttachment,
    message_id: Option<&str>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<EmailOutcome, ServiceError> {
    let mut tx = file.write().await?;
    if let Some(id) = message_id {
        if let Some(number) = emails::logged_as(&mut tx, id).await? {
            return Ok(EmailOutcome::AlreadyLogged {
                message_id: id.to_owned(),
                number,
            });
        }
    }
    let (zone, profile) = intake_rules(&mut tx).await?;
    let valid = super::intake::validate(input, now, zone, &profile)?;
    let (case_id, case) = create_all_in_tx(&mut tx, &[&valid], now, actor)
        .await?
        .pop()
        .ok_or_else(|| crate::store::StoreError::Corrupt("a case insert returned nothing".into()))?;
    attach_in_tx(&mut tx, case_id, case.number, email, now, actor).await?;
    if let Some(id) = message_id {
        emails::insert_in_tx(&mut tx, id, case_id).await?;
    }
    tx.commit().await?;
    Ok(EmailOutcome::Logged { number: case.number })
}

/// Logs a request read from an email and checked by staff in the intake form (the window's
/// "Read an email"), with the email kept beside it and remembered by its Message-ID: refused
/// when that message was logged before.
pub async fn log_reviewed_email(
    file: &CaseFile,
    input: &NewCase,
    email: &NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<crate::domain::Case, ServiceError> {
    super::files::check_attachment(&email.name, &email.content)?;
    let message_id = read_eml(&email.content)?.message_id;
    match store(file, input, email, message_id.as_deref(), now, actor).await? {
        EmailOutcome::Logged { number } => Ok(super::case_view::find_case(&mut *file.read().await?, number).await?),
        EmailOutcome::AlreadyLogged { number, .. } => Err(ServiceError::invalid(
            "email",
            format!("This email was logged already, as {number}."),
        )),
        EmailOutcome::Refused { reason } => Err(ServiceError::invalid("email", reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EML: &str = "From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@example.com>\r\nTo: kp-hires@kp.org\r\nSubject: Delete my data\r\nMessage-ID: <abc.123@example.com>\r\nDate: Mon, 2 Mar 2026 09:05:00 -0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease delete everything you hold about me.\r\nThanks\r\n";

    #[test]
    fn an_email_prefills_sender_time_request_and_kinds() {
        let e = read_eml(EML.as_bytes()).unwrap();
        assert_eq!(e.sender_name, "José Núñez");
        assert_eq!(e.sender_email.as_deref(), Some("jose@example.com"));
        assert_eq!(e.sent_at.as_deref(), Some("2026-03-02T17:05:00Z"));
        assert_eq!(e.message_id.as_deref(), Some("abc.123@example.com"));
        assert_eq!(e.kinds, vec![RequestKind::Delete]);
        assert_eq!(
            e.description,
            "Delete my data\n\nPlease delete everything you hold about me.\nThanks"
        );
    }

    #[test]
    fn a_file_that_is_not_an_email_is_refused() {
        assert!(read_eml(b"%PDF-1.7 binary").is_err());
        assert!(read_eml(b"").is_err());
    }

    #[test]
    fn an_mbox_is_split_into_its_messages() {
        let mbox = format!(
            "From jose@example.com Mon Mar  2 09:05:00 2026\n{}\nFrom ana@example.com Mon Mar  2 10:00:00 2026\nFrom: Ana <ana@example.com>\nSubject: Opt out\n\nDo not sell my data.\n",
            EML.replace("\r\n", "\n")
        );
        let parts = messages(mbox.as_bytes());
        assert_eq!(parts.len(), 2);
        assert_eq!(read_eml(&parts[1]).unwrap().kinds, vec![RequestKind::OptOut]);
        assert_eq!(messages(EML.as_bytes()).len(), 1, "an .eml is one message");
    }

    #[test]
    fn kinds_are_only_what_the_words_name() {
        assert_eq!(kinds_named("Hello, I have a question about my payslip"), vec![]);
        assert_eq!(
            kinds_named("Please send me a copy of my personal information and then delete it"),
            vec![RequestKind::KnowSpecific, RequestKind::Delete]
        );
        assert_eq!(kinds_named("Quiero eliminar mis datos"), vec![RequestKind::Delete]);
    }
}
