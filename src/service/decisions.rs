//! The decision matrix of a case: per category of personal information the profile lists (and
//! per row staff add to the case) and per kind of the case, what is done and on which basis
//! (checked by `domain::decision`), and the substantive response per kind (complied in whole or
//! in part, or denied, and why), stored as data. Recording the response of every kind moves the
//! case to `responded`. The statements people send about denied health corrections are kept
//! here too (§ 7023(f)(3)).

use super::case_view::{act_in_tx, case_id, clock_record, find_case, record, today};
use super::intake::intake_rules;
use super::ServiceError;
use crate::domain::clock;
use crate::domain::deadline::ClockKind;
use crate::domain::decision::{self, catalogue, DecisionInput, DecisionOutcome, RecordType, Until};
use crate::domain::history::AuditEvent;
use crate::domain::{CaseNumber, CaseStatus, RequestKind};
use crate::store::decisions::{self as store, DecisionRecord, ResponseRecord};
use crate::store::{CaseFile, Conn, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CategoryRow {
    pub code: String,
    pub name: String,
    pub sensitive: bool,
    /// Health information: a denied correction offers the 250-word statement (§ 7023(f)(3)).
    pub health: bool,
    /// A row staff added to this case (not one of the profile's categories).
    pub added: bool,
}

/// A statement the person sent about health information whose correction was denied, kept
/// with the record (11 CCR § 7023(f)(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct StatementView {
    #[ts(type = "number")]
    pub id: i64,
    pub category: String,
    /// The piece of information it disputes.
    pub item: String,
    pub text: String,
    pub words: u32,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    pub recorded_by: String,
}

/// A row staff add to a case's matrix.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, TS)]
pub struct RowInput {
    /// Made from the name when empty.
    pub code: String,
    pub name: String,
    pub source: String,
    pub purpose: String,
    pub disclosed_to: String,
    pub sensitive: bool,
    pub health: bool,
}

/// The statement as staff record it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, TS)]
pub struct StatementInput {
    pub category: String,
    pub item: String,
    pub text: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
}

/// The most words a statement may have (11 CCR § 7023(f)(3): "limited to 250 words per
/// alleged inaccurate piece of personal information").
pub const STATEMENT_WORDS: usize = 250;

/// A basis staff may choose for a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BasisOption {
    pub code: String,
    pub citation: String,
    /// The sentence the letter uses (English).
    pub sentence: String,
    /// Kept because the law requires it: a record type goes with it.
    pub retention: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ResponseView {
    pub kind: RequestKind,
    /// `complied`, `complied-in-part` or `denied`.
    pub outcome: String,
    pub denial_reason: Option<String>,
    pub basis: Option<String>,
    #[ts(type = "string")]
    pub on: NaiveDate,
    #[ts(type = "number | null")]
    pub letter: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct KindColumn {
    pub kind: RequestKind,
    /// The outcomes this kind has (none for opt-out and limit, answered as a whole).
    pub outcomes: Vec<DecisionOutcome>,
    pub bases: Vec<BasisOption>,
    /// Categories with no decision yet.
    pub missing: Vec<String>,
    pub response: Option<ResponseView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DecisionView {
    pub kind: RequestKind,
    pub category: String,
    pub outcome: DecisionOutcome,
    pub basis: Option<String>,
    pub citation: Option<String>,
    pub record_type: Option<String>,
    /// The record type as the schedule names it, with its citation.
    pub record: Option<String>,
    pub until: Option<Until>,
    pub reproductive_health: bool,
    pub note: String,
    pub decided_by: String,
    #[ts(type = "string")]
    pub decided_at: DateTime<Utc>,
}

/// A service provider a deletion must reach, and whether it was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderTask {
    pub code: String,
    pub name: String,
    pub role: String,
    #[ts(type = "string | null")]
    pub notified_on: Option<NaiveDate>,
    /// Why there was no need to tell it.
    pub not_needed: Option<String>,
}

/// The matrix of a case (`decisions --case N --json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DecisionMatrix {
    pub number: CaseNumber,
    /// The catalogue's version.
    pub catalogue: String,
    pub categories: Vec<CategoryRow>,
    pub kinds: Vec<KindColumn>,
    pub decisions: Vec<DecisionView>,
    pub record_types: Vec<RecordType>,
    /// For a deletion: the profile's service providers and contractors, each told or not needed
    /// before the deletion is answered (11 CCR § 7022(b)).
    pub providers: Vec<ProviderTask>,
    /// Statements about denied health corrections, kept with the record (§ 7023(f)(3)).
    pub statements: Vec<StatementView>,
    /// The rows as categories (the profile's, then those added), for the letters.
    #[serde(skip)]
    #[ts(skip)]
    pub(crate) rows: Vec<crate::domain::profile::PiCategory>,
}

impl DecisionMatrix {
    /// The name of a row, or its code when it is not one.
    pub(crate) fn row_name(&self, code: &str) -> String {
        self.rows
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_owned(), |c| c.name.clone())
    }
}

/// The rows of a case's matrix: the profile's categories, then the rows staff added, each as a
/// category the letters can describe.
pub(crate) fn case_categories(
    profile: &crate::domain::profile::OrganisationProfile,
    added: &[store::CaseRowRecord],
) -> Vec<crate::domain::profile::PiCategory> {
    let one = |text: &str| {
        let text = text.trim();
        if text.is_empty() {
            Vec::new()
        } else {
            vec![text.to_owned()]
        }
    };
    profile
        .categories
        .iter()
        .cloned()
        .chain(added.iter().map(|r| crate::domain::profile::PiCategory {
            code: r.code.clone(),
            name: r.name.clone(),
            examples: Vec::new(),
            sources: one(&r.source),
            purposes: one(&r.purpose),
            disclosed_to: one(&r.disclosed_to),
            sensitive: r.sensitive,
            health: r.health,
        }))
        .collect()
}

/// The categories of the case a write depends on, read inside it.
pub(crate) async fn categories_in(
    conn: &mut Conn,
    case_id: i64,
) -> Result<Vec<crate::domain::profile::PiCategory>, ServiceError> {
    let (_, profile) = intake_rules(conn).await?;
    let added = store::case_rows(conn, case_id).await?;
    Ok(case_categories(&profile, &added))
}

impl DecisionMatrix {
    /// A matrix with nothing in it, for a letter that does not depend on decisions.
    pub(crate) fn unread(number: CaseNumber) -> DecisionMatrix {
        DecisionMatrix {
            number,
            catalogue: catalogue().version.clone(),
            categories: Vec::new(),
            kinds: Vec::new(),
            decisions: Vec::new(),
            record_types: Vec::new(),
            providers: Vec::new(),
            statements: Vec::new(),
            rows: Vec::new(),
        }
    }
}

pub(crate) async fn matrix_in(conn: &mut Conn, number: CaseNumber) -> Result<DecisionMatrix, ServiceError> {
    let case = find_case(conn, number).await?;
    let id = case_id(conn, number).await?;
    let (_, profile) = intake_rules(conn).await?;
    let recorded = store::for_case(conn, id).await?;
    let notices = store::provider_notices(conn, id).await?;
    let providers = if case.kinds.contains(&RequestKind::Delete) {
        profile
            .service_providers
            .iter()
            .map(|p| {
                let n = notices.iter().find(|n| n.provider == p.code);
                ProviderTask {
                    code: p.code.clone(),
                    name: p.name.clone(),
                    role: p.role.clone(),
                    notified_on: n.and_then(|n| n.notified_on),
                    not_needed: n.and_then(|n| n.not_needed.clone()),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let responses = store::responses(conn, id).await?;
    let added = store::case_rows(conn, id).await?;
    let rows = case_categories(&profile, &added);
    let statements = store::statements(conn, id)
        .await?
        .into_iter()
        .map(|s| StatementView {
            id: s.id,
            category: s.category,
            item: s.item,
            text: s.body,
            words: u32::try_from(s.words).unwrap_or(u32::MAX),
            received_on: s.received_on,
            recorded_by: s.recorded_by,
        })
        .collect();
    let codes: Vec<&str> = rows.iter().map(|c| c.code.as_str()).collect();
    let decided: Vec<(RequestKind, String)> = recorded.iter().map(|d| (d.kind, d.category.clone())).collect();
    let missing = decision::missing(&case.kinds, &codes, &decided);
    let kinds = case
        .kinds
        .iter()
        .map(|&kind| KindColumn {
            kind,
            outcomes: DecisionOutcome::of(kind).to_vec(),
            bases: catalogue()
                .entries
                .iter()
                .filter(|b| b.kinds.contains(&kind) && !profile.hidden_bases.contains(&b.code))
                .map(|b| BasisOption {
                    code: b.code.clone(),
                    citation: b.citation.clone(),
                    sentence: b.sentence.get("en").cloned().unwrap_or_default(),
                    retention: b.retention,
                })
                .collect(),
            missing: missing
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, c)| c.clone())
                .collect(),
            response: responses.iter().find(|r| r.kind == kind).map(response_view),
        })
        .collect();
    let decisions = recorded
        .into_iter()
        .map(|d| {
            let record = d
                .record_type
                .as_deref()
                .and_then(|code| profile.retention.iter().find(|r| r.code == code))
                .map(|r| format!("{} ({})", r.record, r.citation));
            DecisionView {
                citation: d
                    .basis
                    .as_deref()
                    .and_then(|b| catalogue().basis(b))
                    .map(|b| b.citation.clone()),
                kind: d.kind,
                category: d.category,
                outcome: d.outcome,
                basis: d.basis,
                record_type: d.record_type,
                record,
                until: d.until,
                reproductive_health: d.reproductive_health,
                note: d.note,
                decided_by: d.decided_by,
                decided_at: d.decided_at,
            }
        })
        .collect();
    Ok(DecisionMatrix {
        number,
        catalogue: catalogue().version.clone(),
        categories: rows
            .iter()
            .map(|c| CategoryRow {
                code: c.code.clone(),
                name: c.name.clone(),
                sensitive: c.sensitive,
                health: c.health,
                added: added.iter().any(|a| a.code == c.code),
            })
            .collect(),
        kinds,
        decisions,
        record_types: profile.retention.clone(),
        providers,
        statements,
        rows,
    })
}

fn response_view(r: &ResponseRecord) -> ResponseView {
    ResponseView {
        kind: r.kind,
        outcome: r.outcome.clone(),
        denial_reason: r.denial_reason.clone(),
        basis: r.basis.clone(),
        on: r.on,
        letter: r.letter,
    }
}

pub async fn decisions(file: &CaseFile, number: CaseNumber) -> Result<DecisionMatrix, ServiceError> {
    matrix_in(&mut *file.read().await?, number).await
}

/// Records the decision for one category of one kind (again: replaces it), refused with the
/// reason when it does not meet the rules, when the case does not ask for that kind, or once
/// that kind has been answered.
pub async fn decide(
    file: &CaseFile,
    number: CaseNumber,
    input: &DecisionInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DecisionMatrix, ServiceError> {
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    if !case.kinds.contains(&input.kind) {
        return Err(ServiceError::invalid(
            "kind",
            format!("Case {number} does not ask for {}.", input.kind),
        ));
    }
    let id = case_id(&mut tx, number).await?;
    if let Some(done) = store::responses(tx.conn(), id)
        .await?
        .into_iter()
        .find(|r| r.kind == input.kind)
    {
        return Err(ServiceError::Conflict(format!(
            "The {} part of {number} was answered on {}; its decisions stand as the record.",
            input.kind, done.on
        )));
    }
    let (_, profile) = intake_rules(tx.conn()).await?;
    let on = today(tx.conn(), now).await?;
    let rows = categories_in(tx.conn(), id).await?;
    let codes: Vec<&str> = rows.iter().map(|c| c.code.as_str()).collect();
    let until = decision::check(input, &codes, &profile.hidden_bases, &profile.retention, on)
        .map_err(|why| ServiceError::invalid("decision", why))?;
    let basis = input
        .basis
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(str::to_owned);
    store::put_in_tx(
        &mut tx,
        id,
        &DecisionRecord {
            kind: input.kind,
            category: input.category.clone(),
            outcome: input.outcome,
            basis: basis.clone(),
            record_type: input.record_type.clone().filter(|r| !r.trim().is_empty()),
            until,
            reproductive_health: input.reproductive_health,
            note: input.note.trim().to_owned(),
            decided_by: actor.to_owned(),
            decided_at: now,
        },
    )
    .await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::DecisionRecorded {
            kind: input.kind,
            category: input.category.clone(),
            outcome: input.outcome,
            basis,
        },
    )
    .await?;
    tx.commit().await?;
    decisions(file, number).await
}

/// A response as `respond --kind` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInput {
    pub kind: RequestKind,
    pub outcome: String,
    pub denial_reason: Option<String>,
    pub basis: Option<String>,
    pub on: NaiveDate,
}

const OUTCOMES: [&str; 3] = ["complied", "complied-in-part", "denied"];
const DENIAL_REASONS: [&str; 4] = ["unverifiable", "not-covered", "exempt", "other"];

/// Records the substantive response to one kind of a case (made by letter, email or phone),
/// with its outcome; for opt-out and limit it records compliance. Once every kind is
/// answered, the response clock is met and the case moves to `responded`.
pub async fn record_response(
    file: &CaseFile,
    number: CaseNumber,
    input: &ResponseInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    if !OUTCOMES.contains(&input.outcome.as_str()) {
        return Err(ServiceError::invalid(
            "outcome",
            format!(
                "--outcome {:?}: use complied, complied-in-part or denied.",
                input.outcome
            ),
        ));
    }
    let denied = input.outcome == "denied";
    match input.denial_reason.as_deref() {
        None if denied => {
            return Err(ServiceError::invalid(
                "denial_reason",
                "Say why it was denied: unverifiable, not-covered, exempt or other (§ 7101 keeps it).",
            ))
        }
        Some(_) if !denied => {
            return Err(ServiceError::invalid(
                "denial_reason",
                "A denial reason goes with --outcome denied only.",
            ))
        }
        Some(r) if !DENIAL_REASONS.contains(&r) => {
            return Err(ServiceError::invalid(
                "denial_reason",
                format!("--denial-reason {r:?}: use unverifiable, not-covered, exempt or other."),
            ))
        }
        _ => {}
    }
    if let Some(code) = &input.basis {
        let b = catalogue()
            .basis(code)
            .ok_or_else(|| ServiceError::invalid("basis", format!("“{code}” is not a basis in the catalogue.")))?;
        if !b.kinds.contains(&input.kind) {
            return Err(ServiceError::invalid(
                "basis",
                format!("{} does not apply to a {} request.", b.citation, input.kind),
            ));
        }
    }
    if input.denial_reason.as_deref() == Some("exempt") && input.basis.is_none() {
        return Err(ServiceError::invalid(
            "basis",
            "A denial on an exemption names it: --basis CODE (privacydesk exemptions list).",
        ));
    }
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    if !case.kinds.contains(&input.kind) {
        return Err(ServiceError::invalid(
            "kind",
            format!("Case {number} does not ask for {}.", input.kind),
        ));
    }
    let id = case_id(&mut tx, number).await?;
    let today = today(tx.conn(), now).await?;
    let facts = clock_record(&mut tx, number).await?.facts;
    clock::check_act_date(&facts, input.on, today, "on")?;
    let response = ResponseRecord {
        kind: input.kind,
        outcome: input.outcome.clone(),
        denial_reason: input.denial_reason.clone(),
        basis: input.basis.clone(),
        on: input.on,
        letter: None,
    };
    record_in_tx(&mut tx, id, number, &[response], now, actor).await?;
    tx.commit().await?;
    Ok(())
}

/// Records responses inside a write (a response letter's, or `respond --kind`), with their
/// history events: an opt-out or limit answered (complied with or refused) meets the
/// compliance clock; once no know, delete or correct part is left, the response is recorded;
/// once every kind is answered, the case moves to `responded`. Refused for a kind answered
/// already.
pub(crate) async fn record_in_tx(
    tx: &mut Tx<'_>,
    id: i64,
    number: CaseNumber,
    responses: &[ResponseRecord],
    now: DateTime<Utc>,
    actor: &str,
) -> Result<(), ServiceError> {
    let today = today(tx.conn(), now).await?;
    for r in responses {
        if !store::put_response_in_tx(tx, id, r, actor).await? {
            let earlier = store::responses(tx.conn(), id)
                .await?
                .into_iter()
                .find(|e| e.kind == r.kind);
            return Err(ServiceError::AlreadyRecorded {
                what: "The response to this kind",
                on: earlier.map_or(r.on, |e| e.on),
            });
        }
        record(
            tx,
            id,
            number,
            now,
            actor,
            AuditEvent::KindAnswered {
                kind: r.kind,
                outcome: r.outcome.clone(),
                denial_reason: r.denial_reason.clone(),
                basis: r.basis.clone(),
                on: r.on,
            },
        )
        .await?;
        let facts = clock_record(tx, number).await?.facts;
        // The 15 business days run to the business's answer: a refusal (fraud, or a limit the
        // notice declines) meets the clock as compliance does (§§ 7026(e)-(f), 7027(f)-(g)).
        if matches!(r.kind, RequestKind::OptOut | RequestKind::Limit)
            && facts.complied_on.is_none()
            && clock::needs(&facts, ClockKind::Comply)
        {
            act_in_tx(tx, number, ClockKind::Comply, r.on, today, now, actor).await?;
        }
    }
    let case = find_case(tx, number).await?;
    let answered: Vec<RequestKind> = store::responses(tx.conn(), id).await?.iter().map(|r| r.kind).collect();
    let left: Vec<RequestKind> = case.kinds.iter().copied().filter(|k| !answered.contains(k)).collect();
    let facts = clock_record(tx, number).await?.facts;
    let last = responses.iter().map(|r| r.on).max().unwrap_or(today);
    if !left
        .iter()
        .any(|k| !matches!(k, RequestKind::OptOut | RequestKind::Limit))
        && facts.responded_on.is_none()
        && clock::needs(&facts, ClockKind::Respond)
    {
        act_in_tx(tx, number, ClockKind::Respond, last, today, now, actor).await?;
    }
    if left.is_empty()
        && matches!(
            case.status,
            CaseStatus::New | CaseStatus::Acknowledged | CaseStatus::Verifying | CaseStatus::InProgress
        )
    {
        crate::store::cases::set_status_in_tx(tx, number, case.status, CaseStatus::Responded, now).await?;
        record(
            tx,
            id,
            number,
            now,
            actor,
            AuditEvent::StatusMoved {
                from: case.status,
                to: CaseStatus::Responded,
                reason: "Every part of the request is answered.".into(),
            },
        )
        .await?;
        crate::store::clocks::refresh_next_due_in_tx(tx, &[id]).await?;
    }
    Ok(())
}

/// Records that a service provider was told of a deletion on a day, or why there was no need.
pub async fn provider_notice(
    file: &CaseFile,
    number: CaseNumber,
    provider: &str,
    notified_on: Option<NaiveDate>,
    not_needed: Option<&str>,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DecisionMatrix, ServiceError> {
    let not_needed = not_needed.map(str::trim).filter(|r| !r.is_empty());
    if notified_on.is_some() == not_needed.is_some() {
        return Err(ServiceError::invalid(
            "provider",
            "Give the day the provider was told (--on DATE), or why there was no need (--not-needed REASON): one of them.",
        ));
    }
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    if !case.kinds.contains(&RequestKind::Delete) {
        return Err(ServiceError::invalid(
            "provider",
            format!("Case {number} does not ask for deletion; there is nothing to tell providers."),
        ));
    }
    let (_, profile) = intake_rules(tx.conn()).await?;
    let Some(known) = profile.service_providers.iter().find(|p| p.code == provider) else {
        return Err(ServiceError::invalid(
            "provider",
            format!(
                "“{provider}” is not a service provider of the profile; the profile lists: {}.",
                profile
                    .service_providers
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    if let Some(on) = notified_on {
        let today = today(tx.conn(), now).await?;
        if on > today || on < case.received_date {
            return Err(ServiceError::invalid(
                "on",
                format!(
                    "The day must be between the request's receipt ({}) and today.",
                    case.received_date
                ),
            ));
        }
    }
    let id = case_id(&mut tx, number).await?;
    store::put_provider_notice_in_tx(
        &mut tx,
        id,
        &store::ProviderNotice {
            provider: provider.to_owned(),
            notified_on,
            not_needed: not_needed.map(str::to_owned),
            recorded_by: actor.to_owned(),
        },
        now,
    )
    .await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::ProviderNotified {
            provider: known.name.clone(),
            on: notified_on,
            not_needed: not_needed.map(str::to_owned),
        },
    )
    .await?;
    tx.commit().await?;
    decisions(file, number).await
}

/// A code for a row from its name ("Badge photographs" -> "badge-photographs").
fn row_code(name: &str) -> String {
    let mut code = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            code.push(c);
        } else if !code.is_empty() && !code.ends_with('-') {
            code.push('-');
        }
    }
    code.trim_end_matches('-').chars().take(40).collect()
}

/// Adds a row to the case's matrix: information the person's request covers that the profile's
/// categories do not name. Refused once every kind with decisions is answered (the record
/// stands), for a code the profile or the case already has, or a value with a line break.
pub async fn add_row(
    file: &CaseFile,
    number: CaseNumber,
    input: &RowInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DecisionMatrix, ServiceError> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(ServiceError::invalid(
            "name",
            "Name the information (for example “Badge photographs”).",
        ));
    }
    for (field, value) in [
        ("name", name),
        ("source", input.source.as_str()),
        ("purpose", input.purpose.as_str()),
        ("disclosed_to", input.disclosed_to.as_str()),
    ] {
        if value
            .chars()
            .any(|c| c.is_control() || crate::domain::validation::is_invisible(c))
        {
            return Err(ServiceError::invalid(
                field,
                "A line break or an invisible character is in this value; letters print it on one line, so remove it.",
            ));
        }
        if value.chars().count() > 200 {
            return Err(ServiceError::invalid(
                field,
                "Keep this to 200 characters; it is printed in a table.",
            ));
        }
    }
    let code = if input.code.trim().is_empty() {
        row_code(name)
    } else {
        input.code.trim().to_owned()
    };
    if code.is_empty()
        || !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(ServiceError::invalid(
            "code",
            format!("“{code}” cannot be a code: use lower-case letters, digits and hyphens."),
        ));
    }
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    let id = case_id(&mut tx, number).await?;
    let answered = store::responses(tx.conn(), id).await?;
    if case
        .kinds
        .iter()
        .filter(|k| !DecisionOutcome::of(**k).is_empty())
        .all(|k| answered.iter().any(|r| r.kind == *k))
    {
        return Err(ServiceError::Conflict(format!(
            "Every part of {number} with decisions is answered; its matrix stands as the record."
        )));
    }
    if categories_in(tx.conn(), id).await?.iter().any(|c| c.code == code) {
        return Err(ServiceError::invalid(
            "code",
            format!("The matrix of {number} has a row “{code}” already."),
        ));
    }
    let row = store::CaseRowRecord {
        code: code.clone(),
        name: name.to_owned(),
        source: input.source.trim().to_owned(),
        purpose: input.purpose.trim().to_owned(),
        disclosed_to: input.disclosed_to.trim().to_owned(),
        sensitive: input.sensitive,
        health: input.health,
    };
    store::insert_case_row_in_tx(&mut tx, id, &row, actor, now).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::RowAdded {
            code,
            name: name.to_owned(),
        },
    )
    .await?;
    tx.commit().await?;
    decisions(file, number).await
}

/// Removes a row staff added, while nothing is decided for it.
pub async fn remove_row(
    file: &CaseFile,
    number: CaseNumber,
    code: &str,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DecisionMatrix, ServiceError> {
    let mut tx = file.write().await?;
    let id = case_id(&mut tx, number).await?;
    if store::for_case(tx.conn(), id).await?.iter().any(|d| d.category == code) {
        return Err(ServiceError::Conflict(format!(
            "The row “{code}” of {number} has decisions; they stay as the record."
        )));
    }
    if !store::delete_case_row_in_tx(&mut tx, id, code).await? {
        return Err(ServiceError::invalid(
            "code",
            format!("{number} has no row “{code}” added by staff (the profile's categories stay)."),
        ));
    }
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::RowRemoved { code: code.to_owned() },
    )
    .await?;
    tx.commit().await?;
    decisions(file, number).await
}

/// Makes the person's statement about health information whose correction was denied part of
/// the record (11 CCR § 7023(f)(3)): refused unless the correction of that category was denied
/// and it holds health information, when it is over 250 words, or when it is dated before the
/// request or after today. Kept whether or not the case was answered since.
pub async fn record_statement(
    file: &CaseFile,
    number: CaseNumber,
    input: &StatementInput,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<DecisionMatrix, ServiceError> {
    use sha2::{Digest, Sha256};
    let text = input.text.trim();
    let item = input.item.trim();
    let words = text.split_whitespace().count();
    if words == 0 {
        return Err(ServiceError::invalid(
            "text",
            "Type or paste the statement the person sent.",
        ));
    }
    if words > STATEMENT_WORDS {
        return Err(ServiceError::invalid(
            "text",
            format!(
                "The statement has {words} words; the law limits it to {STATEMENT_WORDS} per piece of information (§ 7023(f)(3)). Ask the person to shorten it, or record one statement per piece."
            ),
        ));
    }
    if item.is_empty() {
        return Err(ServiceError::invalid(
            "item",
            "Say which piece of information the statement is about (for example “Fitness-for-duty report, April 2025”).",
        ));
    }
    let mut tx = file.write().await?;
    let case = find_case(&mut tx, number).await?;
    let id = case_id(&mut tx, number).await?;
    let rows = categories_in(tx.conn(), id).await?;
    let Some(row) = rows.iter().find(|c| c.code == input.category) else {
        return Err(ServiceError::invalid(
            "category",
            format!("“{}” is not a row of the matrix of {number}.", input.category),
        ));
    };
    if !row.health {
        return Err(ServiceError::invalid(
            "category",
            format!(
                "{} is not health information; the statement of § 7023(f)(3) is for health information only.",
                row.name
            ),
        ));
    }
    let denied = store::for_case(tx.conn(), id).await?.iter().any(|d| {
        d.kind == RequestKind::Correct && d.category == input.category && d.outcome == DecisionOutcome::Denied
    });
    if !denied {
        return Err(ServiceError::invalid(
            "category",
            format!("The correction of {} was not denied in {number}: a statement goes with a denied correction (§ 7023(f)(3)).", row.name),
        ));
    }
    let today = today(tx.conn(), now).await?;
    if input.received_on < case.received_date || input.received_on > today {
        return Err(ServiceError::invalid(
            "received_on",
            format!(
                "The statement arrived between the request ({}) and today ({today}).",
                case.received_date
            ),
        ));
    }
    let record_ = store::StatementRecord {
        id: 0,
        category: input.category.clone(),
        item: item.to_owned(),
        body: text.to_owned(),
        words: words as i64,
        received_on: input.received_on,
        recorded_by: actor.to_owned(),
        recorded_at: now,
    };
    store::insert_statement_in_tx(&mut tx, id, &record_).await?;
    record(
        &mut tx,
        id,
        number,
        now,
        actor,
        AuditEvent::StatementRecorded {
            category: input.category.clone(),
            item: item.to_owned(),
            words: words as u32,
            sha256: hex::encode(Sha256::digest(text.as_bytes())),
            received_on: input.received_on,
        },
    )
    .await?;
    tx.commit().await?;
    decisions(file, number).await
}
