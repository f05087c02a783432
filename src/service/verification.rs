//! Identity verification of a case (11 CCR §§ 7060-7063): what each kind of request needs under
//! the organisation's policy, the data points checked, the declaration, an agent's evidence,
//! the outcome per kind (refused as "verified" while the policy is not met, with what is
//! missing), and the purge of what the person gave once the request has served (§ 7060(d)).
//!
//! The values a person gives live in their own table only: the history records the field and
//! the result, never the value, and the search index never sees them.

use super::case_view::{case_id, clock_record, find_case, record, today};
use super::intake::intake_rules;
use super::ServiceError;
use crate::domain::history::AuditEvent;
use crate::domain::verification::{
    agent_requirement, corrected, failure_path, missing, AgentEvidence, AgentRequirement, Certainty, Checked,
    PointResult, Requirement,
};
use crate::domain::{CaseNumber, CaseStatus, RequestKind};
use crate::letters::spec::VerificationStanding;
use crate::store::verification::{self as store, AnswerRecord, OutcomeRecord};
use crate::store::{attachments, CaseFile, Conn, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

/// One data point on the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PointView {
    pub field: String,
    pub label: String,
    /// Where staff look the organisation's value up.
    pub lookup: String,
    /// What the person gave; `null` once purged (or before it was given).
    pub given: Option<String>,
    pub result: PointResult,
    pub checked_by: String,
    #[ts(type = "string")]
    pub checked_at: DateTime<Utc>,
    /// Kinds it does not count for (a correction's own fields, § 7060(h)).
    pub not_for: Vec<RequestKind>,
    /// What the system-of-record extract says of the value given (none loaded, or purged: `null`).
    pub reference: Option<super::reference::PointMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DeclarationView {
    #[ts(type = "number | null")]
    pub file: Option<i64>,
    #[ts(type = "string | null")]
    pub received_on: Option<NaiveDate>,
    pub recorded_by: String,
}

/// Where one kind stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Verified,
    Failed,
    NotNeeded,
    Pending,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KindVerification {
    pub requirement: Requirement,
    pub outcome: Outcome,
    #[ts(type = "string | null")]
    pub on: Option<NaiveDate>,
    pub reason: String,
    /// What is still missing before it may be marked verified (empty when met).
    pub missing: Vec<String>,
    /// What the law lets the organisation do if it cannot be verified.
    pub failure_path: String,
    /// How a failed kind was answered (the unable-to-verify letter), once it was.
    pub answer: Option<AnswerView>,
}

/// The answer given to a kind that could not be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct AnswerView {
    #[ts(type = "string")]
    pub on: NaiveDate,
    /// The unable-to-verify letter that gave it.
    #[ts(type = "number")]
    pub letter: i64,
    /// Specific pieces denied, and the request handled as one for categories (§ 7024(a)).
    pub as_categories: bool,
}

/// The verification panel of a case, and `verify show --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VerificationView {
    pub number: CaseNumber,
    pub kinds: Vec<KindVerification>,
    /// What an agent must show, when an agent made the request.
    pub agent: Option<AgentRequirement>,
    pub agent_evidence: Vec<AgentEvidence>,
    pub points: Vec<PointView>,
    pub declaration: Option<DeclarationView>,
    /// When what the person gave was purged.
    #[ts(type = "string | null")]
    pub purged_at: Option<DateTime<Utc>>,
}

impl VerificationView {
    /// A view with nothing in it, for a letter that does not depend on verification.
    pub(crate) fn unread(number: CaseNumber) -> VerificationView {
        VerificationView {
            number,
            kinds: Vec::new(),
            agent: None,
            agent_evidence: Vec::new(),
            points: Vec::new(),
            declaration: None,
            purged_at: None,
        }
    }

    /// What the verification letters depend on.
    pub fn standing(&self) -> VerificationStanding {
        let of = |outcome: Outcome| {
            self.kinds
                .iter()
                .filter(|k| k.outcome == outcome && k.answer.is_none())
                .map(|k| k.requirement.kind)
                .collect::<Vec<_>>()
        };
        let pending = of(Outcome::Pending);
        VerificationStanding {
            declaration_missing: self.declaration.is_none()
                && self
                    .kinds
                    .iter()
                    .any(|k| k.outcome == Outcome::Pending && k.requirement.declaration),
            agent_evidence_missing: self
                .agent
                .as_ref()
                .is_some_and(|a| a.evidence.iter().any(|e| !self.agent_evidence.contains(e))),
            failed: of(Outcome::Failed),
            pending,
            purged: self.purged_at.is_some(),
            verified: self
                .kinds
                .iter()
                .filter(|k| matches!(k.outcome, Outcome::Verified | Outcome::NotNeeded))
                .map(|k| k.requirement.kind)
                .collect(),
        }
    }
}

/// The view, read inside `conn`'s transaction.
pub(crate) async fn view_in(conn: &mut Conn, number: CaseNumber) -> Result<VerificationView, ServiceError> {
    let case = find_case(conn, number).await?;
    let id = case_id(conn, number).await?;
    let (_, profile) = intake_rules(conn).await?;
    let records = store::for_case(conn, id).await?;
    let policy = &profile.verification;
    let sensitive = profile.holds_sensitive();
    let correction = case
        .details
        .correction
        .as_ref()
        .map(|c| format!("{} {}", c.wrong, c.right))
        .unwrap_or_default();
    let points: Vec<PointView> = records
        .points
        .iter()
        .map(|p| {
            let known = policy.data_point(&p.field);
            let is_corrected = case.kinds.contains(&RequestKind::Correct)
                && known.is_some_and(|d| corrected(d, p.given.as_deref(), &correction));
            PointView {
                field: p.field.clone(),
                label: known.map_or_else(|| p.field.clone(), |d| d.label.clone()),
                lookup: known.map(|d| d.lookup.clone()).unwrap_or_default(),
                given: p.given.clone(),
                result: p.result,
                checked_by: p.checked_by.clone(),
                checked_at: p.checked_at,
                not_for: if is_corrected {
                    vec![RequestKind::Correct]
                } else {
                    vec![]
                },
                reference: None,
            }
        })
        .collect();
    let mut points = points;
    let given: Vec<(usize, (String, String))> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.given
                .clone()
                .filter(|g| !g.trim().is_empty())
                .map(|g| (i, (p.field.clone(), g)))
        })
        .collect();
    if !given.is_empty() {
        let values: Vec<(String, String)> = given.iter().map(|(_, v)| v.clone()).collect();
        let found = super::reference::compare(conn, &values).await?;
        for ((i, _), m) in given.iter().zip(found) {
            points[*i].reference = m;
        }
    }
    let checked: Vec<Checked> = points
        .iter()
        .map(|p| Checked {
            field: p.field.clone(),
            result: p.result,
        })
        .collect();
    let agent = case.details.agent.as_ref().map(|a| agent_requirement(a.basis, policy));
    let kinds = case
        .kinds
        .iter()
        .map(|&kind| {
            let requirement = policy.requirement(kind, sensitive);
            let excluded: Vec<String> = points
                .iter()
                .filter(|p| p.not_for.contains(&kind))
                .map(|p| p.field.clone())
                .collect();
            let gaps = missing(
                &requirement,
                &checked,
                &excluded,
                records.declaration.is_some(),
                agent.as_ref().map(|a| (a, records.agent.as_slice())),
            );
            let recorded = records.outcomes.iter().find(|o| o.kind == kind);
            let outcome = match recorded {
                Some(o) if o.verified => Outcome::Verified,
                Some(_) => Outcome::Failed,
                None if requirement.certainty == Certainty::None => Outcome::NotNeeded,
                None => Outcome::Pending,
            };
            KindVerification {
                failure_path: failure_path(kind, profile.policy.sells_or_shares).to_owned(),
                requirement,
                outcome,
                on: recorded.map(|o| o.on),
                reason: recorded.map(|o| o.reason.clone()).unwrap_or_default(),
                missing: gaps,
                answer: records.answers.iter().find(|a| a.kind == kind).map(|a| AnswerView {
                    on: a.on,
                    letter: a.letter,
                    as_categories: a.as_categories,
                }),
            }
        })
        .collect();
    Ok(VerificationView {
        number,
        kinds,
        agent,
        agent_evidence: records.agent.clone(),
        points,
        declaration: records.declaration.map(|d| DeclarationView {
            file: d.attachment,
            received_on: d.received_on,
            recorded_by: d.recorded_by,
        }),
        purged_at: records.purged_at,
    })
}

pub async fn verification(file: &CaseFile, number: CaseNumber) -> Result<VerificationView, ServiceError> {
    view_in(&mut *file.read().await?, number).await
}

/// Refuses changes to a case whose verification values were purged: what was given has served.
async fn still_open(tx: &mut Tx<'_>, case_id: i64, number: CaseNumber) -> Result<(), ServiceError> {
    if store::purged(tx.conn(), case_id).await? {
        return Err(ServiceError::Conflict(format!(
            "The verification of {number} is over: what the person gave was deleted once the request was processed (§ 7060(d))."
        )));
    }
    Ok(())
}

/// Records what the person gave for one data point and how it compared (again: replaces).
pub async fn check_point(
    file: &CaseFile,
    number: CaseNumber,
    field: &str,
    given: &str,
    result: PointResult,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    let given = given.trim();
    let mut tx = file.write().await?;
    let (_, profile) = intake_rules(tx.conn()).await?;
    if profile.verification.data_point(field).is_none() {
        let codes: Vec<&str> = profile
            .verification
            .data_points
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        return Err(ServiceError::invalid(
            "field",
            format!(
                "“{field}” is not a data point the organisation can check; the profile lists: {}.",
                codes.join(", ")
            ),
        ));
    }
    if given.is_empty() && result != PointResult::NotHeld {
        return Err(ServiceError::invalid(
            "given",
            "Enter what the person gave for this data point.",
        ));
    }
    let id = case_id(&mut tx, number).await?;
    still_open(&mut tx, id, number).await?;
    store::put_point_in_tx(&mut tx, id, field, given, result, actor, now).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::VerificationPoint {
            field: field.to_owned(),
            result,
        },
    )
    .await?;
    tx.commit().await?;
    verification(file, number).await
}

/// The declaration received: a file already kept with the case, or a paper one on a date.
pub async fn record_declaration(
    file: &CaseFile,
    number: CaseNumber,
    attachment: Option<i64>,
    received_on: Option<NaiveDate>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    if attachment.is_none() && received_on.is_none() {
        return Err(ServiceError::invalid(
            "declaration",
            "Give the signed declaration as a file, or the date a paper one was received.",
        ));
    }
    let mut tx = file.write().await?;
    let id = case_id(&mut tx, number).await?;
    if let Some(on) = received_on {
        if on > today(tx.conn(), now).await? {
            return Err(ServiceError::invalid("received_on", "That date is in the future."));
        }
        let received = find_case(&mut tx, number).await?.received_date;
        if on < received {
            return Err(ServiceError::invalid(
                "received_on",
                format!("That date is before the request was received ({received})."),
            ));
        }
    }
    if let Some(a) = attachment {
        let kept = attachments::for_case(tx.conn(), id).await?;
        if !kept.iter().any(|k| k.id == a) {
            return Err(ServiceError::invalid(
                "file",
                format!("File {a} is not kept with case {number}."),
            ));
        }
    }
    store::put_declaration_in_tx(&mut tx, id, attachment, received_on, actor, now).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::VerificationDeclaration {
            file: attachment,
            received_on,
        },
    )
    .await?;
    tx.commit().await?;
    verification(file, number).await
}

/// The declaration received as a file (a scan of the signed form): kept with the case and
/// recorded as the declaration in one write.
pub async fn record_declaration_file(
    file: &CaseFile,
    number: CaseNumber,
    new: &super::files::NewAttachment,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    super::files::check_attachment(&new.name, &new.content)?;
    let mut tx = file.write().await?;
    let id = case_id(&mut tx, number).await?;
    let kept = super::files::attach_in_tx(&mut tx, id, number, new, now, actor).await?;
    store::put_declaration_in_tx(&mut tx, id, Some(kept.id), None, actor, now).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::VerificationDeclaration {
            file: Some(kept.id),
            received_on: None,
        },
    )
    .await?;
    tx.commit().await?;
    verification(file, number).await
}

/// An agent's evidence seen; refused for a case no agent made.
pub async fn record_agent_evidence(
    file: &CaseFile,
    number: CaseNumber,
    evidence: AgentEvidence,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    if case.details.agent.is_none() {
        return Err(ServiceError::invalid(
            "evidence",
            format!("Case {number} was not made by an authorised agent."),
        ));
    }
    let id = case_id(&mut tx, number).await?;
    if store::add_agent_evidence_in_tx(&mut tx, id, evidence, actor, now).await? {
        record(
            &mut tx,
            id,
            number,
            now,
            actor,
            AuditEvent::VerificationAgent { evidence },
        )
        .await?;
        tx.commit().await?;
    }
    verification(file, number).await
}

/// Concludes the verification of one kind of the case: `verified` only when the policy is met
/// (refused with what is missing otherwise), `failed` with the reason.
pub async fn conclude(
    file: &CaseFile,
    number: CaseNumber,
    kind: RequestKind,
    verified: bool,
    reason: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    let reason = reason.trim();
    let mut tx = file.write().await?;
    // The requirement and what was checked are read inside this write.
    let current = view_in(tx.conn(), number).await?;
    let Some(k) = current.kinds.iter().find(|k| k.requirement.kind == kind) else {
        return Err(ServiceError::invalid(
            "kind",
            format!("Case {number} does not ask for {kind}."),
        ));
    };
    if k.requirement.certainty == Certainty::None {
        return Err(ServiceError::invalid(
            "kind",
            format!("{kind} needs no verification (11 CCR § 7060(b)); nothing to conclude."),
        ));
    }
    if let Some(answer) = k.answer {
        return Err(ServiceError::Conflict(format!(
            "{kind} of {number} was answered on {} as not verified (letter {}); make a new request if the person writes again.",
            answer.on, answer.letter
        )));
    }
    if verified && !k.missing.is_empty() {
        return Err(ServiceError::invalid(
            "outcome",
            format!(
                "{kind} cannot be marked verified yet: {} still missing. {}",
                k.missing.join("; "),
                k.requirement.why
            ),
        ));
    }
    if !verified && reason.is_empty() {
        return Err(ServiceError::invalid(
            "reason",
            "Say why the person could not be verified; the case history keeps it.",
        ));
    }
    let id = case_id(&mut tx, number).await?;
    let on = today(tx.conn(), now).await?;
    store::put_outcome_in_tx(
        &mut tx,
        id,
        &OutcomeRecord {
            kind,
            verified,
            reason: reason.to_owned(),
            on,
            recorded_by: actor.to_owned(),
        },
    )
    .await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::VerificationConcluded {
            kind,
            verified,
            reason: reason.to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    verification(file, number).await
}

/// Answers, inside the write that archives the unable-to-verify letter `letter`, every kind whose
/// verification failed and is not answered yet: each is denied (§§ 7022(a), 7023(a), 7024(b)),
/// and a request for specific pieces is also handled as one for categories, which the case
/// gains if it did not ask for them (§ 7024(a)). Once no know, delete or correct part is left
/// to answer, the response is recorded on the letter's date; once no part at all is left, the
/// case is denied, and what the person gave is purged with it (§ 7060(d)).
pub(crate) async fn answer_unverified_in_tx(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    letter: i64,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    use crate::domain::clock;
    use crate::domain::deadline::ClockKind;
    let view = view_in(tx.conn(), number).await?;
    let failed = view.standing().failed;
    if failed.is_empty() {
        return Err(ServiceError::invalid(
            "kind",
            "No part of this request is concluded as not verified and still unanswered.",
        ));
    }
    let id = case_id(tx, number).await?;
    let on = today(tx.conn(), now).await?;
    let mut case = find_case(tx, number).await?;
    for &kind in &failed {
        store::put_answer_in_tx(
            tx,
            id,
            &AnswerRecord {
                kind,
                as_categories: kind == RequestKind::KnowSpecific,
                letter,
                on,
            },
            actor,
        )
        .await?;
    }
    // Each is a response, denied as unverifiable (the § 7101 record and the § 7102 figures).
    for &kind in &failed {
        let response = crate::store::decisions::ResponseRecord {
            kind,
            outcome: "denied".into(),
            denial_reason: Some("unverifiable".into()),
            basis: None,
            on,
            letter: Some(letter),
        };
        if crate::store::decisions::put_response_in_tx(tx, id, &response, actor).await? {
            record(
                tx,
                id,
                number,
                now,
                actor,
                AuditEvent::KindAnswered {
                    kind,
                    outcome: response.outcome.clone(),
                    denial_reason: response.denial_reason.clone(),
                    basis: None,
                    on,
                },
            )
            .await?;
        }
    }
    let categories_added =
        failed.contains(&RequestKind::KnowSpecific) && !case.kinds.contains(&RequestKind::KnowCategories);
    if categories_added {
        case.kinds.push(RequestKind::KnowCategories);
        case.kinds.sort();
        crate::store::cases::set_kinds_in_tx(tx, id, &case.kinds, now).await?;
    }
    record(
        tx,
        id,
        number,
        now,
        actor,
        AuditEvent::VerificationAnswered {
            kinds: failed.clone(),
            categories_added,
            letter,
        },
    )
    .await?;
    let answered: Vec<RequestKind> = view
        .kinds
        .iter()
        .filter(|k| k.answer.is_some())
        .map(|k| k.requirement.kind)
        .chain(failed.iter().copied())
        .collect();
    let left: Vec<RequestKind> = case.kinds.iter().copied().filter(|k| !answered.contains(k)).collect();
    let facts = clock_record(tx, number).await?.facts;
    let respond_left = left
        .iter()
        .any(|k| !matches!(k, RequestKind::OptOut | RequestKind::Limit));
    if !respond_left && facts.responded_on.is_none() && clock::needs(&facts, ClockKind::Respond) {
        super::case_view::act_in_tx(tx, number, ClockKind::Respond, on, on, now, actor).await?;
    }
    if left.is_empty() && case.status.next().contains(&CaseStatus::Denied) {
        crate::store::cases::set_status_in_tx(tx, number, case.status, CaseStatus::Denied, now).await?;
        record(
            tx,
            id,
            number,
            now,
            actor,
            AuditEvent::StatusMoved {
                from: case.status,
                to: CaseStatus::Denied,
                reason: format!("Identity could not be verified; answered by letter {letter}."),
            },
        )
        .await?;
        crate::store::clocks::refresh_next_due_in_tx(tx, &[id]).await?;
        purge_in_tx(tx, id, number, now, actor).await?;
    }
    Ok(())
}

/// Statuses at which a case's request has been processed: its verification values go.
pub fn closes_verification(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Closed | CaseStatus::Denied | CaseStatus::Withdrawn)
}

/// Deletes what the person gave, inside a write that already changes the case (a close), and
/// records it; nothing when there is nothing to purge or it was purged already.
pub(crate) async fn purge_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    number: CaseNumber,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    if let Some(values) = store::purge_in_tx(tx, case_id, now).await? {
        record(
            tx,
            case_id,
            number,
            now,
            actor,
            AuditEvent::VerificationPurged { values },
        )
        .await?;
    }
    Ok(())
}

/// `verify purge`: deletes what the person gave to verify their identity, once the request has
/// been processed (a response recorded, or the case closed); refused before.
pub async fn purge(
    file: &CaseFile,
    number: CaseNumber,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<VerificationView, ServiceError> {
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    let facts = clock_record(&mut tx, number).await?.facts;
    let processed = closes_verification(case.status)
        || matches!(case.status, CaseStatus::Responded)
        || facts.responded_on.is_some()
        || facts.complied_on.is_some();
    if !processed {
        return Err(ServiceError::invalid(
            "case",
            format!(
                "Case {number} has not been answered yet: what the person gave is deleted once the request is processed (a response recorded, or the case closed) (§ 7060(d))."
            ),
        ));
    }
    let id = case_id(&mut tx, number).await?;
    if store::purged(tx.conn(), id).await? {
        return Err(ServiceError::Conflict(format!(
            "The verification values of {number} were purged already."
        )));
    }
    purge_in_tx(&mut tx, id, number, now, actor).await?;
    tx.commit().await?;
    verification(file, number).await
}
