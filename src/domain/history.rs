//! What the audit log records: one [`AuditEvent`] per change, about a [`Subject`] (a case, or a
//! file-level record such as the clock settings or the organisation profile).
//!
//! Each event keeps the smallest payload that explains the change — the fields an edit changed
//! with their values before and after, not snapshots of the whole case — because a payload can
//! hold personal data and may be purged (verification data when a case closes, a whole case at
//! the end of its retention period) while the chain of event digests still verifies
//! (`store::audit`). The enum is exported to TypeScript, so the history screen renders from the
//! type.

use super::case::{Case, CaseNumber, CaseStatus};
use super::details::Language;
use super::letter::{LetterKind, MailMethod};
use super::request::{Channel, RequestKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// What an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Case(CaseNumber),
    /// The clock settings: calendar, closure dates, the two readings.
    Settings,
    /// The organisation profile.
    Profile,
    /// The letter templates.
    Templates,
    /// The letterhead logo.
    Logo,
    /// The staff name at this desk.
    Staff,
    /// The case file as a whole (its audit chain, later backups and keys).
    CaseFile,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Case(number) => write!(f, "{number}"),
            other => f.write_str(match other {
                Subject::Settings => "settings",
                Subject::Profile => "profile",
                Subject::Templates => "templates",
                Subject::Logo => "logo",
                Subject::Staff => "staff",
                Subject::CaseFile => "case-file",
                Subject::Case(_) => unreachable!("handled above"),
            }),
        }
    }
}

impl FromStr for Subject {
    type Err = String;
    fn from_str(s: &str) -> Result<Subject, String> {
        Ok(match s {
            "settings" => Subject::Settings,
            "profile" => Subject::Profile,
            "templates" => Subject::Templates,
            "logo" => Subject::Logo,
            "staff" => Subject::Staff,
            "case-file" => Subject::CaseFile,
            other => Subject::Case(other.parse()?),
        })
    }
}

impl Serialize for Subject {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Subject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl TS for Subject {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".to_owned()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

/// One field an edit changed, as the person saw it before and after (`null`: empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FieldChange {
    /// The field's path, e.g. `requester.email`, `details.entity`, `calendar`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Which payloads a purge removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "scope", rename_all = "kebab-case")]
pub enum PurgeScope {
    /// These events' payloads (sequence numbers in ascending order).
    Events {
        #[ts(type = "Array<number>")]
        seqs: Vec<i64>,
    },
    /// Every payload of these cases' events recorded before event `before`.
    Cases {
        numbers: Vec<CaseNumber>,
        #[ts(type = "number")]
        before: i64,
    },
}

impl PurgeScope {
    /// Whether the payload of event `seq` about `subject` is one this purge removed.
    pub fn covers(&self, seq: i64, subject: Subject) -> bool {
        match self {
            PurgeScope::Events { seqs } => seqs.binary_search(&seq).is_ok(),
            PurgeScope::Cases { numbers, before } => {
                seq < *before && matches!(subject, Subject::Case(n) if numbers.contains(&n))
            }
        }
    }
}

/// A change, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "action")]
pub enum AuditEvent {
    /// A request was logged; the case as it was created.
    #[serde(rename = "case.created")]
    CaseCreated { case: Box<Case> },
    /// What intake recorded was edited: the fields that changed.
    #[serde(rename = "case.edited")]
    CaseEdited { changes: Vec<FieldChange> },
    #[serde(rename = "status.moved")]
    StatusMoved {
        from: CaseStatus,
        to: CaseStatus,
        reason: String,
    },
    #[serde(rename = "case.assigned")]
    Assigned { from: Option<String>, to: Option<String> },
    /// The confirmation of receipt (§ 7021(a)).
    #[serde(rename = "receipt.confirmed")]
    ReceiptConfirmed {
        #[ts(type = "string")]
        on: NaiveDate,
        channel: Channel,
    },
    /// The one extension of the response period (§ 7021(b)).
    #[serde(rename = "response.extended")]
    ResponseExtended {
        reason: String,
        #[ts(type = "string")]
        notice_on: NaiveDate,
    },
    /// The response was sent (the respond clock is met).
    #[serde(rename = "response.sent")]
    ResponseSent {
        #[ts(type = "string")]
        on: NaiveDate,
    },
    /// The opt-out or limit was honoured (the comply clock is met).
    #[serde(rename = "compliance.recorded")]
    Complied {
        #[ts(type = "string")]
        on: NaiveDate,
    },
    #[serde(rename = "note.added")]
    NoteAdded {
        #[ts(type = "number")]
        note: i64,
        body: String,
    },
    /// A file kept with the case, named by its SHA-256 (never its content).
    #[serde(rename = "file.attached")]
    FileAttached {
        #[ts(type = "number")]
        file: i64,
        name: String,
        media_type: String,
        #[ts(type = "number")]
        size: i64,
        sha256: String,
    },
    /// A data point the person gave was compared with the organisation's records: the field
    /// and the result, never the value (§ 7060(d): the value is purged; the history is not).
    #[serde(rename = "verification.point")]
    VerificationPoint {
        field: String,
        result: super::verification::PointResult,
    },
    /// The signed declaration under penalty of perjury was received (§ 7062(c)).
    #[serde(rename = "verification.declaration")]
    VerificationDeclaration {
        #[ts(type = "number | null")]
        file: Option<i64>,
        #[ts(type = "string | null")]
        received_on: Option<NaiveDate>,
    },
    /// An authorised agent's evidence was seen (§ 7063).
    #[serde(rename = "verification.agent")]
    VerificationAgent {
        evidence: super::verification::AgentEvidence,
    },
    /// A kind of request was found verified, or not verifiable.
    #[serde(rename = "verification.concluded")]
    VerificationConcluded {
        kind: RequestKind,
        verified: bool,
        reason: String,
    },
    /// The kinds that could not be verified were answered by an unable-to-verify letter: denied,
    /// and a request for specific pieces handled as one for categories (§§ 7022-7024).
    #[serde(rename = "verification.answered")]
    VerificationAnswered {
        kinds: Vec<RequestKind>,
        /// The case gained a request to know categories (§ 7024(a)).
        categories_added: bool,
        #[ts(type = "number")]
        letter: i64,
    },
    /// What is done with one category of personal information for one kind, and on which basis.
    #[serde(rename = "decision.recorded")]
    DecisionRecorded {
        kind: RequestKind,
        category: String,
        outcome: super::decision::DecisionOutcome,
        basis: Option<String>,
    },
    /// A service provider or contractor was told of a deletion (or there was no need, and why).
    #[serde(rename = "provider.notified")]
    ProviderNotified {
        provider: String,
        #[ts(type = "string | null")]
        on: Option<NaiveDate>,
        not_needed: Option<String>,
    },
    /// A specific piece was added for a response to know; `shown: false` when its value is of a
    /// § 7024(d) type and was not kept.
    #[serde(rename = "item.added")]
    ItemAdded {
        category: String,
        label: String,
        shown: bool,
    },
    /// Staff added a row to the decision matrix (information beyond the profile's categories).
    #[serde(rename = "row.added")]
    RowAdded { code: String, name: String },
    /// Staff removed a row they had added, before anything was decided for it.
    #[serde(rename = "row.removed")]
    RowRemoved { code: String },
    /// The person's statement about health information whose correction was denied was made
    /// part of the record (§ 7023(f)(3)); its words stay out of the history, its digest in it.
    #[serde(rename = "statement.recorded")]
    StatementRecorded {
        category: String,
        item: String,
        words: u32,
        sha256: String,
        #[ts(type = "string")]
        received_on: NaiveDate,
    },
    /// One kind of the request was answered: complied with in whole or in part, or denied, and
    /// why (the § 7101 record).
    #[serde(rename = "kind.answered")]
    KindAnswered {
        kind: RequestKind,
        outcome: String,
        denial_reason: Option<String>,
        basis: Option<String>,
        #[ts(type = "string")]
        on: NaiveDate,
    },
    /// What the person gave to verify their identity was deleted (§ 7060(d)).
    #[serde(rename = "verification.purged")]
    VerificationPurged {
        #[ts(type = "number")]
        values: u64,
    },
    /// An extract of the organisation's system of record was loaded for matching (only keyed
    /// hashes are kept): how many records and which data points, never a value.
    #[serde(rename = "reference.loaded")]
    ReferenceLoaded {
        #[ts(type = "number")]
        records: u64,
        fields: Vec<String>,
    },
    #[serde(rename = "letter.produced")]
    LetterProduced {
        #[ts(type = "number")]
        letter: i64,
        kind: LetterKind,
        language: Language,
        #[ts(type = "number")]
        pages: i64,
        sha256: String,
        #[ts(type = "number")]
        template_version: i64,
    },
    #[serde(rename = "letter.mailed")]
    LetterMailed {
        #[ts(type = "number")]
        letter: i64,
        #[ts(type = "string")]
        on: NaiveDate,
        method: MailMethod,
        tracking_number: Option<String>,
    },
    /// The clock settings changed (every open case's due dates may move).
    #[serde(rename = "settings.changed")]
    SettingsChanged { changes: Vec<FieldChange> },
    /// A new version of the organisation profile; the sections that changed.
    #[serde(rename = "profile.saved")]
    ProfileSaved {
        #[ts(type = "number")]
        version: i64,
        changed: Vec<String>,
    },
    #[serde(rename = "template.saved")]
    TemplateSaved {
        kind: LetterKind,
        language: Language,
        /// 0: back to the shipped text.
        #[ts(type = "number")]
        version: i64,
    },
    /// The letterhead logo was set (its SHA-256) or removed (`null`).
    #[serde(rename = "logo.changed")]
    LogoChanged { sha256: Option<String> },
    #[serde(rename = "staff.named")]
    StaffNamed { from: Option<String>, to: String },
    /// Payloads of earlier events were removed; their digests stay, so the chain still verifies.
    #[serde(rename = "payload.purged")]
    PayloadPurged { purged: PurgeScope, reason: String },
    /// The audit log was brought to this format; the head of the previous chain, which verified
    /// before the upgrade, is kept here.
    #[serde(rename = "chain.upgraded")]
    ChainUpgraded {
        previous_head: String,
        #[ts(type = "number")]
        previous_events: i64,
    },
    /// An encrypted backup of the case file was written (its key sealed under a passphrase):
    /// the file's name, what it holds and its SHA-256.
    #[serde(rename = "backup.made")]
    BackupMade {
        file_name: String,
        #[ts(type = "number")]
        schema_version: i64,
        /// The audit chain's head the backup holds (this event comes after it).
        #[ts(type = "number")]
        audit_events: i64,
        audit_head: String,
        #[ts(type = "number")]
        cases: i64,
        #[ts(type = "number")]
        bytes: u64,
        sha256: String,
    },
    /// Daily backups were set to go to `folder`, keeping the last `keep` (both `None`: stopped).
    #[serde(rename = "backup.scheduled")]
    BackupScheduled { folder: Option<String>, keep: Option<u32> },
    /// This case file was restored from a backup made at `made_at`, whose chain ended at
    /// `audit_head` (the event before this one).
    #[serde(rename = "file.restored")]
    FileRestored {
        made_at: String,
        audit_head: String,
        #[ts(type = "number")]
        from_schema: i64,
    },
    /// The case file's key was replaced by a new one (SQLCipher's rekey).
    #[serde(rename = "key.rotated")]
    KeyRotated {},
    /// The case file's key was written, sealed under a passphrase, to a key export named
    /// `file_name` (for a second machine, or for when the keyring loses it).
    #[serde(rename = "key.exported")]
    KeyExported { file_name: String },
    /// An event an earlier version recorded in a shape this one does not know, kept as it was.
    #[serde(rename = "legacy")]
    Legacy {
        original_action: String,
        #[ts(type = "unknown")]
        before: Option<serde_json::Value>,
        #[ts(type = "unknown")]
        after: Option<serde_json::Value>,
    },
}

impl AuditEvent {
    /// The action's name, as the chain and the log store it (`case.created`, …).
    pub fn action(&self) -> &'static str {
        match self {
            AuditEvent::CaseCreated { .. } => "case.created",
            AuditEvent::CaseEdited { .. } => "case.edited",
            AuditEvent::StatusMoved { .. } => "status.moved",
            AuditEvent::Assigned { .. } => "case.assigned",
            AuditEvent::ReceiptConfirmed { .. } => "receipt.confirmed",
            AuditEvent::ResponseExtended { .. } => "response.extended",
            AuditEvent::ResponseSent { .. } => "response.sent",
            AuditEvent::Complied { .. } => "compliance.recorded",
            AuditEvent::NoteAdded { .. } => "note.added",
            AuditEvent::FileAttached { .. } => "file.attached",
            AuditEvent::VerificationPoint { .. } => "verification.point",
            AuditEvent::VerificationDeclaration { .. } => "verification.declaration",
            AuditEvent::VerificationAgent { .. } => "verification.agent",
            AuditEvent::VerificationConcluded { .. } => "verification.concluded",
            AuditEvent::VerificationAnswered { .. } => "verification.answered",
            AuditEvent::DecisionRecorded { .. } => "decision.recorded",
            AuditEvent::KindAnswered { .. } => "kind.answered",
            AuditEvent::ProviderNotified { .. } => "provider.notified",
            AuditEvent::ItemAdded { .. } => "item.added",
            AuditEvent::RowAdded { .. } => "row.added",
            AuditEvent::RowRemoved { .. } => "row.removed",
            AuditEvent::StatementRecorded { .. } => "statement.recorded",
            AuditEvent::VerificationPurged { .. } => "verification.purged",
            AuditEvent::ReferenceLoaded { .. } => "reference.loaded",
            AuditEvent::LetterProduced { .. } => "letter.produced",
            AuditEvent::LetterMailed { .. } => "letter.mailed",
            AuditEvent::SettingsChanged { .. } => "settings.changed",
            AuditEvent::ProfileSaved { .. } => "profile.saved",
            AuditEvent::TemplateSaved { .. } => "template.saved",
            AuditEvent::LogoChanged { .. } => "logo.changed",
            AuditEvent::StaffNamed { .. } => "staff.named",
            AuditEvent::PayloadPurged { .. } => "payload.purged",
            AuditEvent::ChainUpgraded { .. } => "chain.upgraded",
            AuditEvent::BackupMade { .. } => "backup.made",
            AuditEvent::BackupScheduled { .. } => "backup.scheduled",
            AuditEvent::FileRestored { .. } => "file.restored",
            AuditEvent::KeyRotated { .. } => "key.rotated",
            AuditEvent::KeyExported { .. } => "key.exported",
            AuditEvent::Legacy { .. } => "legacy",
        }
    }
}

/// The fields that differ between two JSON documents of the same shape, as dotted paths with
/// display text: what an edit event keeps instead of two snapshots.
pub fn changes(before: &serde_json::Value, after: &serde_json::Value) -> Vec<FieldChange> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    flatten("", before, &mut a);
    flatten("", after, &mut b);
    let mut fields: Vec<&String> = a.iter().chain(b.iter()).map(|(k, _)| k).collect();
    fields.sort();
    fields.dedup();
    let find = |list: &[(String, Option<String>)], field: &str| {
        list.iter().find(|(k, _)| k == field).and_then(|(_, v)| v.clone())
    };
    fields
        .into_iter()
        .filter_map(|field| {
            let (x, y) = (find(&a, field), find(&b, field));
            (x != y).then(|| FieldChange {
                field: field.clone(),
                before: x,
                after: y,
            })
        })
        .collect()
}

/// Leaves of a JSON document as `(path, text)`; a list of plain values is one leaf, joined.
fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, Option<String>)>) {
    use serde_json::Value;
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&join(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            let text: Vec<String> = items.iter().filter_map(leaf).collect();
            out.push((prefix.to_owned(), (!text.is_empty()).then(|| text.join(", "))));
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&join(&(i + 1).to_string()), v, out);
            }
        }
        other => out.push((prefix.to_owned(), leaf(other))),
    }
}

fn leaf(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.is_empty() => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_back_from_their_text() {
        for s in [
            "settings",
            "profile",
            "templates",
            "logo",
            "staff",
            "case-file",
            "PR-2026-00042",
        ] {
            assert_eq!(s.parse::<Subject>().unwrap().to_string(), s);
        }
        assert!("nonsense".parse::<Subject>().is_err());
    }

    #[test]
    fn every_action_name_is_the_serialised_tag() {
        let event = AuditEvent::StatusMoved {
            from: CaseStatus::New,
            to: CaseStatus::Verifying,
            reason: "r".into(),
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["action"], event.action());
        assert_eq!(serde_json::from_value::<AuditEvent>(json).unwrap(), event);
    }

    #[test]
    fn an_edit_keeps_only_the_fields_that_changed() {
        let before = serde_json::json!({"requester": {"name": "Ana", "email": "a@x.org", "address": {"lines": ["1 Main St"]}}, "kinds": ["delete"]});
        let after = serde_json::json!({"requester": {"name": "Ana", "email": "b@x.org", "address": {"lines": ["1 Main St", "Apt 2"]}}, "kinds": ["delete"]});
        assert_eq!(
            changes(&before, &after),
            vec![
                FieldChange {
                    field: "requester.address.lines".into(),
                    before: Some("1 Main St".into()),
                    after: Some("1 Main St, Apt 2".into())
                },
                FieldChange {
                    field: "requester.email".into(),
                    before: Some("a@x.org".into()),
                    after: Some("b@x.org".into())
                },
            ]
        );
    }

    #[test]
    fn a_purge_covers_exactly_what_it_names() {
        let n: CaseNumber = "PR-2026-00001".parse().unwrap();
        let m: CaseNumber = "PR-2026-00002".parse().unwrap();
        let by_case = PurgeScope::Cases {
            numbers: vec![n],
            before: 10,
        };
        assert!(by_case.covers(3, Subject::Case(n)));
        assert!(
            !by_case.covers(10, Subject::Case(n)),
            "events after the purge keep their payload"
        );
        assert!(!by_case.covers(3, Subject::Case(m)));
        assert!(!by_case.covers(3, Subject::Settings));
        let by_event = PurgeScope::Events { seqs: vec![2, 5] };
        assert!(by_event.covers(5, Subject::Settings) && !by_event.covers(4, Subject::Settings));
    }
}
