//! Letters as the rest of the case file names them: the kinds of letter and how one was mailed.
//! (What a letter says and how it is laid out is `crate::letters`.)

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kinds of letter this version writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    /// Confirmation of receipt (§ 7021(a)).
    Acknowledgment,
    /// Notice of the one extension (§ 1798.130(a)(2)(A), § 7021(b)).
    Extension,
    /// The opt-out or limit request is honoured (§ 7026, § 7027).
    OptOutConfirmation,
    /// The person is not covered by the notice; where to go instead.
    NotCovered,
    /// What the person must still give to verify their identity (§§ 7060, 7062).
    VerificationRequest,
    /// A declaration under penalty of perjury for the person to sign (§ 7062(c); Code Civ.
    /// Proc. § 2015.5).
    DeclarationForm,
    /// An authorised agent's permission: asked of the agent, or confirmed by the person (§ 7063(a)).
    AgentPermission,
    /// The person's identity could not be verified: what follows, per kind (§§ 7022-7024).
    UnableToVerify,
    /// The answer to a request to know the categories (§ 7024).
    KnowResponse,
    /// The answer to a request for specific pieces: a summary, with the pieces in a
    /// machine-readable export (§ 7024).
    KnowSpecificResponse,
    /// The answer to a request to delete, with what was kept and why (§ 7022).
    DeletionResponse,
    /// The answer to a request to correct (§ 7023).
    CorrectionResponse,
    /// A request denied as a whole, with the detailed reason (excessive, repeated…).
    Denial,
    /// Staff write the body.
    General,
}

impl LetterKind {
    pub const ALL: [LetterKind; 14] = [
        LetterKind::Acknowledgment,
        LetterKind::Extension,
        LetterKind::OptOutConfirmation,
        LetterKind::NotCovered,
        LetterKind::VerificationRequest,
        LetterKind::DeclarationForm,
        LetterKind::AgentPermission,
        LetterKind::UnableToVerify,
        LetterKind::KnowResponse,
        LetterKind::KnowSpecificResponse,
        LetterKind::DeletionResponse,
        LetterKind::CorrectionResponse,
        LetterKind::Denial,
        LetterKind::General,
    ];

    pub fn token(self) -> &'static str {
        match self {
            LetterKind::Acknowledgment => "acknowledgment",
            LetterKind::Extension => "extension",
            LetterKind::OptOutConfirmation => "opt-out-confirmation",
            LetterKind::NotCovered => "not-covered",
            LetterKind::VerificationRequest => "verification-request",
            LetterKind::DeclarationForm => "declaration-form",
            LetterKind::AgentPermission => "agent-permission",
            LetterKind::UnableToVerify => "unable-to-verify",
            LetterKind::KnowResponse => "know-response",
            LetterKind::KnowSpecificResponse => "know-specific-response",
            LetterKind::DeletionResponse => "deletion-response",
            LetterKind::CorrectionResponse => "correction-response",
            LetterKind::Denial => "denial",
            LetterKind::General => "general",
        }
    }

    pub fn from_token(token: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.token() == token)
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Acknowledgment => "acknowledgment",
            LetterKind::Extension => "extension notice",
            LetterKind::OptOutConfirmation => "opt-out/limit confirmation",
            LetterKind::NotCovered => "not-covered",
            LetterKind::VerificationRequest => "request for verification information",
            LetterKind::DeclarationForm => "declaration form",
            LetterKind::AgentPermission => "agent permission request",
            LetterKind::UnableToVerify => "unable-to-verify",
            LetterKind::KnowResponse => "response to know",
            LetterKind::KnowSpecificResponse => "response to know (specific pieces)",
            LetterKind::DeletionResponse => "deletion response",
            LetterKind::CorrectionResponse => "correction response",
            LetterKind::Denial => "denial",
            LetterKind::General => "general",
        }
    }
}

/// How a letter went in the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum MailMethod {
    FirstClass,
    Certified,
}

impl MailMethod {
    pub fn token(self) -> &'static str {
        match self {
            MailMethod::FirstClass => "first-class",
            MailMethod::Certified => "certified",
        }
    }
}

/// A letter as archived with its case: what was printed (its SHA-256, pages, the template and
/// profile versions it was made from) and how it was mailed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ArchivedLetter {
    #[ts(type = "number")]
    pub id: i64,
    pub case_number: super::CaseNumber,
    pub kind: LetterKind,
    pub language: super::details::Language,
    /// Who it is addressed to (the requester, or their agent).
    pub recipient: String,
    #[ts(type = "string")]
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    /// 0 for the template shipped with PrivacyDesk.
    #[ts(type = "number")]
    pub template_version: i64,
    #[ts(type = "number | null")]
    pub profile_version: Option<i64>,
    #[ts(type = "number")]
    pub pages: i64,
    pub sha256: String,
    #[ts(type = "string | null")]
    pub mailed_on: Option<chrono::NaiveDate>,
    pub mail_method: Option<MailMethod>,
    pub tracking_number: Option<String>,
}
