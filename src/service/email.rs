//! Email intake: an `.eml` file read with a maintained MIME parser (`mail-parser`) into what the
//! intake form needs — the sender, when it was sent, the subject and body as the request in the
//! person's words. The message itself is then kept with the case as an attachment.

use super::ServiceError;
use crate::domain::ValidationErrors;
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
}

/// Largest email accepted (bytes).
pub const MAX_EMAIL: usize = 25 * 1024 * 1024;

/// Reads an `.eml` file. Refused when it is not an email or too large.
pub fn read_eml(raw: &[u8]) -> Result<EmailIntake, ServiceError> {
    let refuse = |message: &str| {
        let mut errors = ValidationErrors::default();
        errors.add("email", message);
        ServiceError::from(errors)
    };
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
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const EML: &str = "From: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@example.com>\r\nTo: kp-hires@kp.org\r\nSubject: Delete my data\r\nDate: Mon, 2 Mar 2026 09:05:00 -0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease delete everything you hold about me.\r\nThanks\r\n";

    #[test]
    fn an_email_prefills_sender_time_and_request() {
        let e = read_eml(EML.as_bytes()).unwrap();
        assert_eq!(e.sender_name, "José Núñez");
        assert_eq!(e.sender_email.as_deref(), Some("jose@example.com"));
        assert_eq!(e.sent_at.as_deref(), Some("2026-03-02T17:05:00Z"));
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
}
