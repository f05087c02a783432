//! What a letter says: the case, the recipient, the organisation profile, the clocks and the
//! template in force, put into the template's context by the kind's spec, rendered, laid out,
//! and read back for § 7024(d) numbers — everything a letter is made of, nothing archived. The
//! window's preview is this; producing a letter archives it (`produce`).

use super::super::case_view::{clock_record, clocks_of, find_case, CaseClocks};
use super::super::ServiceError;
use crate::domain::clock::{check_extension, ClockFacts, Extension};
use crate::domain::deadline::ClockKind;
use crate::domain::details::{AgentBasis, Language};
use crate::domain::profile::OrganisationProfile;
use crate::domain::time::legal_date;
use crate::domain::verification;
use crate::domain::{Case, CaseNumber, PostalAddress, RequestKind};
use crate::letters::guard::{self, SafeNumbers};
use crate::letters::layout::{self, LetterText, Page};
use crate::letters::spec::{self, Input, LetterSpec, Records};
use crate::letters::templates::{self as tpl, LetterContext, Words};
use crate::letters::{content, pdf, LetterError, LetterKind};
use crate::store::letters as letter_store;
use crate::store::{settings, Conn, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
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
    /// The reason the letter gives: an extension's, or a refusal's.
    #[ts(optional = nullable)]
    pub reason: Option<String>,
    /// Which variant of the kind (its spec lists them); the one the case calls for when absent.
    #[ts(optional = nullable)]
    pub variant: Option<String>,
    /// Short marks in the left margin where the page is folded in three.
    #[serde(default = "yes")]
    pub fold_marks: bool,
}

fn yes() -> bool {
    true
}

impl LetterRequest {
    /// A letter of `kind` with nothing more asked (what a batch prints).
    pub fn of(kind: LetterKind) -> LetterRequest {
        LetterRequest {
            kind,
            language: None,
            body: None,
            reason: None,
            variant: None,
            fold_marks: true,
        }
    }
}

/// The pages of a letter as it would be printed, and the language it is in.
#[derive(Debug, Clone, Serialize, TS)]
pub struct LetterPreview {
    pub pages: Vec<Page>,
    /// Whether the pages place the letterhead logo (its PNG: `letterhead_logo`).
    pub has_logo: bool,
    pub language: Language,
    pub recipient: String,
    /// The variant the letter is written in (empty for kinds without variants).
    pub variant: String,
}

/// What every letter from the case file shares — the organisation profile in force, the time
/// zone, the letterhead logo and its size — read once for a letter or for a whole batch.
pub(crate) struct Sender {
    pub profile: OrganisationProfile,
    pub profile_version: i64,
    pub zone: chrono_tz::Tz,
    pub logo: Option<Vec<u8>>,
    logo_size: Option<(u32, u32)>,
}

impl Sender {
    /// Refuses, with the way to fix it, while the profile lacks what a mailed letter needs (a
    /// signatory, a return address).
    pub(crate) fn ready(&self) -> Result<(), ServiceError> {
        match self.profile.not_ready_for_letters() {
            Some(why) => Err(ServiceError::invalid("profile", why)),
            None => Ok(()),
        }
    }
}

/// Refuses, with the way to fix it, while the profile in force lacks what a mailed letter
/// needs (a signatory, a return address).
pub(crate) async fn profile_ready(conn: &mut Conn) -> Result<(), ServiceError> {
    let stored = crate::store::profile::current(conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile: {e}")))?;
    match profile.not_ready_for_letters() {
        Some(why) => Err(ServiceError::invalid("profile", why)),
        None => Ok(()),
    }
}

pub(crate) async fn sender(conn: &mut Conn) -> Result<Sender, ServiceError> {
    let stored = crate::store::profile::current(conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("the case file has no organisation profile".into()))?;
    let profile = OrganisationProfile::from_toml(&stored.document)
        .map_err(|e| StoreError::Corrupt(format!("stored profile: {e}")))?;
    let logo = letter_store::logo(conn).await?;
    let logo_size = match &logo {
        Some(png) => Some(pdf::png_size(png).map_err(|e| StoreError::Corrupt(format!("letterhead logo: {e}")))?),
        None => None,
    };
    Ok(Sender {
        profile,
        profile_version: stored.version,
        zone: settings::time_zone(conn).await?,
        logo,
        logo_size,
    })
}

/// A letter laid out, with what its archive row records.
pub(crate) struct Composed {
    pub pages: Vec<Page>,
    pub language: Language,
    pub recipient: String,
    pub template_version: i64,
    pub profile_version: i64,
    pub title: String,
    pub author: String,
    pub variant: String,
    /// What producing it records (the extension a notice gives).
    pub extension: Option<Extension>,
    /// What a response letter records: per kind, its outcome, a denial's reason and basis (an
    /// opt-out confirmation's: the opt-out and limit parts it answers).
    pub responses: Vec<crate::store::decisions::ResponseRecord>,
}

/// The pages a letter would have, without archiving anything (one snapshot).
pub async fn preview(
    file: &crate::store::CaseFile,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
) -> Result<LetterPreview, ServiceError> {
    let mut snapshot = file.read().await?;
    let sender = sender(&mut snapshot).await?;
    let composed = compose(&mut snapshot, &sender, number, request, now).await?;
    Ok(LetterPreview {
        pages: composed.pages,
        has_logo: sender.logo.is_some(),
        language: composed.language,
        recipient: composed.recipient,
        variant: composed.variant,
    })
}

/// Everything a letter is made from, read in one go, and the letter laid out and checked.
pub(crate) async fn compose(
    conn: &mut Conn,
    sender: &Sender,
    number: CaseNumber,
    request: &LetterRequest,
    now: DateTime<Utc>,
) -> Result<Composed, ServiceError> {
    let case = find_case(conn, number).await?;
    let rules = settings::date_rules(conn).await?;
    let facts = clock_record(conn, number).await?.facts;
    let clocks = clocks_of(&facts, &rules, now);
    let today = legal_date(now, sender.zone);
    let spec = spec::spec(request.kind);
    // Read only by the letters that depend on them: a batch of acknowledgments reads neither.
    let verification = if spec.reads_verification() {
        super::super::verification::view_in(conn, number).await?
    } else {
        super::super::verification::VerificationView::unread(number)
    };
    let standing = verification.standing();
    let matrix = if spec.reads_decisions() {
        super::super::decisions::matrix_in(conn, number).await?
    } else {
        super::super::decisions::DecisionMatrix::unread(number)
    };
    let answered: Vec<RequestKind> = matrix
        .kinds
        .iter()
        .filter(|k| k.response.is_some())
        .map(|k| k.kind)
        .collect();
    (spec.fits)(&spec::Standing {
        case: &case,
        facts: &facts,
        verification: &standing,
        answered: &answered,
    })
    .map_err(|why| ServiceError::invalid("kind", why))?;
    // A deletion is answered once every service provider was told, or there was no need
    // (11 CCR § 7022(b)): the letter says so only when it is true.
    if spec.records == Records::Response(RequestKind::Delete) {
        let open: Vec<&str> = matrix
            .providers
            .iter()
            .filter(|p| p.notified_on.is_none() && p.not_needed.is_none())
            .map(|p| p.name.as_str())
            .collect();
        if !open.is_empty() {
            return Err(ServiceError::invalid(
                "providers",
                format!(
                    "Tell these service providers and contractors to delete first, or record why there is no need (11 CCR § 7022(b)): {}.",
                    open.join("; ")
                ),
            ));
        }
    }
    // Specific pieces: a category said to be provided has its pieces.
    let items = if spec.records == Records::Response(RequestKind::KnowSpecific) {
        let items = super::super::specific::items_in(conn, number).await?;
        let empty: Vec<String> = matrix
            .decisions
            .iter()
            .filter(|d| {
                d.kind == RequestKind::KnowSpecific
                    && d.outcome == crate::domain::decision::DecisionOutcome::SpecificProvided
            })
            .filter(|d| !items.iter().any(|i| i.category == d.category))
            .map(|d| d.category.clone())
            .collect();
        if !empty.is_empty() {
            return Err(ServiceError::invalid(
                "items",
                format!(
                    "Add the specific pieces for {} first: the decision says they are provided.",
                    empty.join(", ")
                ),
            ));
        }
        items
    } else {
        Vec::new()
    };
    // A response is written only once every category of its kind is decided, and says what.
    if let Records::Response(kind) = spec.records {
        let column = matrix.kinds.iter().find(|k| k.kind == kind);
        if let Some(missing) = column.map(|c| &c.missing).filter(|m| !m.is_empty()) {
            let names: Vec<String> = missing.iter().map(|code| matrix.row_name(code)).collect();
            return Err(ServiceError::invalid(
                "decisions",
                format!(
                    "Decide every category first: nothing is decided yet for {} (Decisions panel).",
                    names.join("; ")
                ),
            ));
        }
    }

    let language = request
        .language
        .clone()
        .unwrap_or_else(|| case.details.language.clone());
    let words = tpl::words(&language)?;
    let variant = variant(spec, request, &case, &facts, &sender.profile)?;
    if spec.kind == LetterKind::OptOutConfirmation {
        check_opt_out_variant(&variant, &case, &sender.profile)?;
    }
    let reason = request.reason.as_deref().map(str::trim).unwrap_or("").to_owned();
    let needs_reason =
        spec.inputs.contains(&Input::Reason) || spec.variants.iter().any(|v| v.code == variant && v.needs_reason);
    if needs_reason && reason.is_empty() {
        let why = match spec.records {
            Records::Extension => "Give the reason for the extension; the notice must explain it (§ 7021(b)).",
            Records::Nothing
            | Records::UnverifiedAnswer
            | Records::Response(_)
            | Records::Denial
            | Records::OptOutAnswer => {
                "Give the reason in full; the letter must explain it (Civ. Code § 1798.145(h)(2))."
            }
        };
        return Err(ServiceError::invalid("reason", why));
    }
    let body = request.body.as_deref().map(str::trim).unwrap_or("").to_owned();
    if spec.inputs.contains(&Input::Body) && body.is_empty() {
        return Err(ServiceError::invalid("body", "Write the text of the letter."));
    }
    // An extension notice is composed only while the extension could still be recorded
    // (§ 7021(b): once, and by the response date); producing it records it.
    let extension = match spec.records {
        Records::Extension => Some(check_extension(
            &facts,
            &Extension {
                reason: reason.clone(),
                notice_on: today,
            },
            today,
            &rules.clocks.business_calendar(),
            rules.clocks.rules(),
        )?),
        Records::Nothing
        | Records::UnverifiedAnswer
        | Records::Response(_)
        | Records::Denial
        | Records::OptOutAnswer => None,
    };

    let to_requester = spec.variants.iter().any(|v| v.code == variant && v.to_requester);
    let decided = match spec.records {
        Records::Response(kind) => Some(decision_fields(&matrix, kind, &case, &sender.profile, words, &language)),
        _ => None,
    };
    let (recipient_name, address) = recipient(&case, to_requester)?;
    let context = context(ContextInput {
        verification: &verification,
        standing: &standing,
        case: &case,
        facts: &facts,
        clocks: &clocks,
        profile: &sender.profile,
        words,
        language: &language,
        today,
        variant: &variant,
        reason: needs_reason.then_some(reason.as_str()),
        body: spec.inputs.contains(&Input::Body).then_some(body.as_str()),
        recipient: &recipient_name,
        spec,
    });
    let mut context = context;
    let mut responses: Vec<crate::store::decisions::ResponseRecord> = decided
        .map(|(mut fields, record)| {
            fields.items_count = items.len();
            let mut per: Vec<(String, usize)> = Vec::new();
            for i in &items {
                match per.iter_mut().find(|(name, _)| name == &i.category_name) {
                    Some((_, n)) => *n += 1,
                    None => per.push((i.category_name.clone(), 1)),
                }
            }
            fields.item_categories = per.into_iter().map(|(name, n)| format!("{name}: {n}")).collect();
            context.decisions = Some(fields);
            crate::store::decisions::ResponseRecord { on: today, ..record }
        })
        .into_iter()
        .collect();
    if spec.records == Records::Denial {
        // Every know, delete and correct part still open is denied by this letter.
        let open: Vec<RequestKind> = case
            .kinds
            .iter()
            .copied()
            .filter(|k| !matches!(k, RequestKind::OptOut | RequestKind::Limit) && !answered.contains(k))
            .collect();
        context.denial = Some(tpl::DenialFields {
            reason: reason.clone(),
            kinds: open.iter().map(|k| words.request(*k).to_owned()).collect(),
        });
        responses = open
            .into_iter()
            .map(|kind| crate::store::decisions::ResponseRecord {
                kind,
                outcome: "denied".into(),
                denial_reason: Some("other".into()),
                basis: None,
                on: today,
                letter: None,
            })
            .collect();
    }
    if spec.records == Records::OptOutAnswer {
        responses = opt_out_answers(&case, &answered, &variant, &sender.profile, facts.complied_on, today);
    }
    let safe = safe_numbers(&case, &sender.profile);
    // § 7024(d): each value the letter prints, checked where it comes from (so the refusal
    // names the field)…
    check_fields(&context, &safe)?;

    let (template_version, source) = match letter_store::template(conn, request.kind.token(), language.code()).await? {
        Some((version, body)) => (version, body),
        None => (
            0,
            tpl::shipped(request.kind, &language)
                .ok_or_else(|| {
                    LetterError::Unprintable(format!(
                        "There is no {} template in “{language}”; write one in Settings › Letter templates.",
                        spec.label
                    ))
                })?
                .to_owned(),
        ),
    };
    let rendered = tpl::render(&source, &context)?;
    let text = letter_text(
        sender,
        words,
        request,
        &case,
        &recipient_name,
        address,
        &context.letter.date,
        content::parse(&rendered.text, &rendered.blocks),
    );
    let laid = layout::lay_out(&text)?;
    // … and everything printed, read back from the laid-out pages as one text per paragraph
    // or line, wherever it came from (the template, the profile, the letterhead).
    guard::check_laid(&laid, &safe).map_err(|(region, what)| {
        LetterError::Forbidden(format!(
            "The letter would print what looks like {} in {}. Letters never show Social Security, government ID, account, card, health insurance or medical ID numbers, passwords or security answers (§ 7024(d)); remove it.",
            what.describe(),
            region.describe()
        ))
    })?;
    Ok(Composed {
        pages: laid.pages,
        language,
        recipient: recipient_name,
        template_version,
        profile_version: sender.profile_version,
        title: format!("{} · {}", words.subject(request.kind), case.number),
        author: sender.profile.name.clone(),
        variant,
        extension,
        responses,
    })
}

/// The variant a letter is written in: the one asked for (if the kind has it), else the one
/// the case calls for.
fn variant(
    spec: &LetterSpec,
    request: &LetterRequest,
    case: &Case,
    facts: &ClockFacts,
    profile: &OrganisationProfile,
) -> Result<String, ServiceError> {
    if spec.variants.is_empty() {
        return Ok(String::new());
    }
    match request.variant.as_deref().filter(|v| !v.is_empty()) {
        Some(asked) if spec.variants.iter().any(|v| v.code == asked) => Ok(asked.to_owned()),
        Some(asked) => Err(ServiceError::invalid(
            "variant",
            format!(
                "“{asked}” is not a variant of the {} letter (variants: {}).",
                spec.label,
                spec.variants.iter().map(|v| v.code).collect::<Vec<_>>().join(", ")
            ),
        )),
        None if spec.kind == LetterKind::OptOutConfirmation => {
            // A request to limit the notice declines is answered so; a business that neither
            // sells nor shares says so, unless the opt-out was recorded as honoured.
            Ok(
                if case.kinds.contains(&RequestKind::Limit) && profile.policy.declines_limits {
                    "limit-declined"
                } else if facts.complied_on.is_none() && !profile.policy.sells_or_shares {
                    "not-sold"
                } else {
                    "honoured"
                }
                .to_owned(),
            )
        }
        None => Ok(spec.variants[0].code.to_owned()),
    }
}

/// Whether the case and the profile allow the opt-out variant asked for: declining a limit
/// needs a request to limit and the notice's position; stopping e-mails needs the notice's
/// e-mail opt-out.
fn check_opt_out_variant(variant: &str, case: &Case, profile: &OrganisationProfile) -> Result<(), ServiceError> {
    let why = match variant {
        "limit-declined" if !case.kinds.contains(&RequestKind::Limit) => {
            "This case does not ask to limit the use of personal information, so there is nothing to decline."
        }
        "limit-declined" if !profile.policy.declines_limits => {
            "The organisation profile does not decline requests to limit (Settings › Organisation, policy): honour the request."
        }
        "email-stopped" if profile.policy.email_opt_out.is_empty() => {
            "The organisation profile names no e-mail opt-out (policy.email_opt_out), so the letter cannot say what was stopped."
        }
        _ => return Ok(()),
    };
    Err(ServiceError::invalid("variant", why))
}

/// What an opt-out confirmation records for the opt-out and limit parts not answered yet
/// (11 CCR §§ 7026, 7027; the § 7101 record): honoured, "not sold" and the e-mails stopped
/// comply; a limit the notice declines is denied (other), or complied with in part when the
/// e-mails it asked to stop were stopped; a fraud refusal denies both. Dated the day compliance
/// is recorded, else the letter's.
fn opt_out_answers(
    case: &Case,
    answered: &[RequestKind],
    variant: &str,
    profile: &OrganisationProfile,
    complied_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<crate::store::decisions::ResponseRecord> {
    case.kinds
        .iter()
        .copied()
        .filter(|k| matches!(k, RequestKind::OptOut | RequestKind::Limit) && !answered.contains(k))
        .map(|kind| {
            let declined = kind == RequestKind::Limit && profile.policy.declines_limits;
            let outcome = match variant {
                "denied-fraud" => "denied",
                "limit-declined" if kind == RequestKind::Limit => "denied",
                "email-stopped" if declined => "complied-in-part",
                _ => "complied",
            };
            crate::store::decisions::ResponseRecord {
                kind,
                outcome: outcome.into(),
                denial_reason: (outcome == "denied").then(|| "other".into()),
                basis: None,
                on: if variant == "honoured" {
                    complied_on.unwrap_or(today)
                } else {
                    today
                },
                letter: None,
            }
        })
        .collect()
}

/// Who a mailed letter goes to: the agent when there is one (the response goes to them), else
/// the requester; refused without a postal address.
/// Whether a letter for the case could be mailed: someone to send it to, at an address, with a
/// name and address the envelope window can show (what a batch checks before it prints).
pub(crate) fn mailable(case: &Case) -> Result<(), LetterError> {
    let (name, address) = recipient(case, false)?;
    layout::recipient_block(&name, &address).map(|_| ())
}

/// `to_requester`: the person the request is about, even when an agent made it.
fn recipient(case: &Case, to_requester: bool) -> Result<(String, PostalAddress), LetterError> {
    let (name, address, whom) = match &case.details.agent {
        Some(agent) if !to_requester => (&agent.name, &agent.address, "the authorised agent"),
        _ => (&case.requester.name, &case.requester.address, "the requester"),
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

/// The numbers a letter may print though they look like identifiers: its case number and the
/// organisation's phone numbers.
fn safe_numbers(case: &Case, profile: &OrganisationProfile) -> SafeNumbers {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let phone = digits(&profile.contacts.toll_free);
    let mut safe = vec![digits(&case.number.to_string()), phone.clone()];
    if phone.len() == 11 {
        safe.push(phone[1..].to_owned());
    } else if phone.len() == 10 {
        safe.push(format!("1{phone}"));
    }
    SafeNumbers { digits: safe }
}

/// Every string the context holds, checked with the field it is in.
fn check_fields(context: &LetterContext, safe: &SafeNumbers) -> Result<(), LetterError> {
    fn walk(path: &str, value: &serde_json::Value, safe: &SafeNumbers) -> Result<(), LetterError> {
        match value {
            serde_json::Value::String(text) => match guard::forbidden(text, safe) {
                Some(what) => Err(LetterError::Forbidden(format!(
                    "The letter would print what looks like {} in {}. Letters never show Social Security, government ID, account, card, health insurance or medical ID numbers, passwords or security answers (§ 7024(d)); remove it.",
                    what.describe(),
                    field_label(path)
                ))),
                None => Ok(()),
            },
            serde_json::Value::Array(items) => items.iter().try_for_each(|v| walk(path, v, safe)),
            serde_json::Value::Object(map) => map.iter().try_for_each(|(k, v)| {
                walk(&if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, v, safe)
            }),
            _ => Ok(()),
        }
    }
    walk(
        "",
        &serde_json::to_value(context).expect("the context is plain data"),
        safe,
    )
}

/// A context field as staff know it.
fn field_label(path: &str) -> String {
    match path {
        "body" => "the letter's text".into(),
        "recipient.name" => "the recipient's name".into(),
        "recipient.requester_name" => "the requester's name".into(),
        "extension.reason" => "the reason for the extension".into(),
        "denial.reason" => "the reason given".into(),
        "organisation.address" => "the letterhead (the profile's return address)".into(),
        "verification.unverified.reason" => "the reason the verification failed".into(),
        p if p.starts_with("organisation.") => "the organisation profile".into(),
        p => format!("the field {p}"),
    }
}

struct ContextInput<'a> {
    verification: &'a super::super::verification::VerificationView,
    standing: &'a spec::VerificationStanding,
    case: &'a Case,
    facts: &'a ClockFacts,
    clocks: &'a CaseClocks,
    profile: &'a OrganisationProfile,
    words: &'a Words,
    language: &'a Language,
    today: NaiveDate,
    variant: &'a str,
    reason: Option<&'a str>,
    body: Option<&'a str>,
    recipient: &'a str,
    spec: &'a LetterSpec,
}

/// The template's context for this case and letter.
fn context(i: ContextInput) -> LetterContext {
    let (case, words) = (i.case, i.words);
    let due = |clock: ClockKind| {
        i.clocks
            .clocks
            .iter()
            .find(|c| c.deadline.clock == clock)
            .map(|c| c.deadline.due)
    };
    let long = |d: NaiveDate| words.long_date(d);
    let is_opt_out = |k: &RequestKind| matches!(k, RequestKind::OptOut | RequestKind::Limit);
    let to_verify: Vec<String> = case
        .kinds
        .iter()
        .filter(|k| !is_opt_out(k))
        .map(|k| words.request_short(*k).to_owned())
        .collect();
    let without: Vec<String> = case
        .kinds
        .iter()
        .filter(|k| is_opt_out(k))
        .map(|k| words.request_short(*k).to_owned())
        .collect();
    let entity = case
        .details
        .entity
        .as_deref()
        .and_then(|code| i.profile.entity(code))
        .map(|e| e.name.clone())
        .unwrap_or_else(|| i.profile.name.clone());
    let roles: Vec<String> = i.profile.relationships.iter().map(|r| r.label.clone()).collect();
    let entities: Vec<String> = i.profile.entities.iter().map(|e| e.name.clone()).collect();
    let agent = case.details.agent.as_ref();
    let steps = case
        .kinds
        .iter()
        .filter_map(|k| {
            let policy = i.profile.verification.requirement(*k, i.profile.holds_sensitive());
            // The wording follows what is asked: data points, and the declaration only when the
            // policy asks for one (a deletion raised by sensitive data asks for more points).
            let key = match policy.certainty {
                verification::Certainty::None => "none",
                _ if policy.declaration => "reasonably-high",
                _ => "reasonable",
            };
            let pattern = words.verification.get(key)?;
            Some(format!(
                "{}: {}.",
                words.request(*k),
                pattern.replace("{points}", &policy.data_points.to_string())
            ))
        })
        .collect();
    let extension_new_date = due(ClockKind::RespondExtended).map(long).unwrap_or_default();
    let verification = verification_fields(&i);
    LetterContext {
        letter: tpl::LetterFields {
            date: long(i.today),
            variant: i.variant.to_owned(),
        },
        organisation: tpl::OrganisationFields {
            name: i.profile.name.clone(),
            entity,
            email: i.profile.contacts.email.clone(),
            phone: i.profile.contacts.toll_free.clone(),
            notice_date: long(i.profile.notice_version),
            covered_roles: roles,
            covered_entities: words.join(&entities),
            elsewhere: i
                .profile
                .not_covered
                .elsewhere
                .iter()
                .map(|l| l.get(i.language.code()).to_owned())
                .filter(|t| !t.trim().is_empty())
                .collect(),
            medical_note: i.profile.not_covered.medical_note.get(i.language.code()).to_owned(),
            address: i
                .profile
                .return_address
                .lines
                .iter()
                .filter(|l| !l.trim().is_empty())
                .cloned()
                .collect(),
            web_form: i.profile.contacts.web_form.clone().unwrap_or_default(),
            categories: i.profile.categories.iter().map(|c| c.name.clone()).collect(),
            sells_or_shares: i.profile.policy.sells_or_shares,
        },
        case: tpl::CaseFields {
            number: case.number.to_string(),
            received_on: long(case.received_date),
            kinds: case.kinds.iter().map(|k| words.request(*k).to_owned()).collect(),
            opt_out_kinds: case
                .kinds
                .iter()
                .filter(|k| is_opt_out(k))
                .map(|k| words.request(*k).to_owned())
                .collect(),
            to_verify: words.join(&to_verify),
            without_verification: words.join(&without),
            respond_by: due(ClockKind::Respond).map(long).unwrap_or_default(),
            response_due: if i.facts.extension.is_some() {
                due(ClockKind::RespondExtended)
            } else {
                due(ClockKind::Respond)
            }
            .map(long)
            .unwrap_or_default(),
            comply_by: due(ClockKind::Comply).map(long).unwrap_or_default(),
        },
        recipient: tpl::RecipientFields {
            name: i.recipient.to_owned(),
            is_agent: agent.is_some(),
            has_power_of_attorney: agent.is_some_and(|a| a.basis == AgentBasis::PowerOfAttorney),
            requester_name: case.requester.name.clone(),
            agent_name: agent.map(|a| a.name.clone()).unwrap_or_default(),
        },
        verification: tpl::VerificationFields { steps, ..verification },
        extension: (i.spec.records == Records::Extension).then(|| tpl::ExtensionFields {
            reason: i.reason.unwrap_or("").to_owned(),
            new_date: extension_new_date,
        }),
        opt_out: (i.spec.kind == LetterKind::OptOutConfirmation).then(|| tpl::OptOutFields {
            opt_out: case.kinds.contains(&RequestKind::OptOut),
            limit: case.kinds.contains(&RequestKind::Limit),
            // Not recorded yet: the letter's date, which producing it records.
            honoured_on: long(match i.variant {
                "honoured" => i.facts.complied_on.unwrap_or(i.today),
                _ => i.today,
            }),
            limit_declined: case.kinds.contains(&RequestKind::Limit)
                && i.profile.policy.declines_limits
                && matches!(i.variant, "limit-declined" | "email-stopped"),
            limit_position: i.profile.policy.limit_position.get(i.language.code()).to_owned(),
            email_opt_out: i.profile.policy.email_opt_out.get(i.language.code()).to_owned(),
        }),
        denial: (i.spec.records != Records::Extension)
            .then_some(i.reason)
            .flatten()
            .map(|r| tpl::DenialFields {
                reason: r.to_owned(),
                kinds: Vec::new(),
            }),
        body: i.body.map(str::to_owned),
        decisions: None,
    }
}

/// What a response letter for `kind` says was done, from the decision matrix, and the outcome
/// it records: complied when nothing was kept or withheld, denied (exempt, on the first basis)
/// when everything held was, complied in part otherwise.
fn decision_fields(
    matrix: &super::super::decisions::DecisionMatrix,
    kind: RequestKind,
    case: &Case,
    profile: &OrganisationProfile,
    words: &Words,
    language: &Language,
) -> (tpl::DecisionFields, crate::store::decisions::ResponseRecord) {
    use crate::domain::decision::{catalogue, DecisionOutcome as O, Until};
    let lang = language.code();
    let name = |code: &str| matrix.row_name(code);
    // In the profile's order of categories, as the notice lists them, then the rows added.
    let rank = |code: &str| matrix.rows.iter().position(|c| c.code == code).unwrap_or(usize::MAX);
    let mut ordered: Vec<&super::super::decisions::DecisionView> =
        matrix.decisions.iter().filter(|d| d.kind == kind).collect();
    ordered.sort_by_key(|d| rank(&d.category));
    let of = |o: O| -> Vec<String> {
        ordered
            .iter()
            .filter(|d| d.outcome == o)
            .map(|d| name(&d.category))
            .collect()
    };
    let refused: Vec<&super::super::decisions::DecisionView> =
        ordered.iter().copied().filter(|d| d.outcome.needs_basis()).collect();
    let kept_rows = refused
        .iter()
        .map(|d| {
            let basis = d.basis.as_deref().and_then(|b| catalogue().basis(b));
            let sentence = basis
                .and_then(|b| b.sentence.get(lang).or_else(|| b.sentence.get("en")))
                .cloned()
                .unwrap_or_default();
            let record = d
                .record_type
                .as_deref()
                .and_then(|code| profile.retention.iter().find(|r| r.code == code));
            let law = match record {
                Some(r) => format!(
                    "{}; {} ({})",
                    d.citation.clone().unwrap_or_default(),
                    r.citation,
                    r.record
                ),
                None => d.citation.clone().unwrap_or_default(),
            };
            let until = match &d.until {
                Some(Until::Date(day)) => words.long_date(*day),
                Some(Until::Rule(rule)) => rule.clone(),
                None => words.responses.get("until-purpose-ends").cloned().unwrap_or_default(),
            };
            let mut chars = sentence.chars();
            let sentence = chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            vec![name(&d.category), sentence, law, until]
        })
        .collect();
    let held = matrix
        .decisions
        .iter()
        .filter(|d| d.kind == kind && d.outcome != O::NoneHeld)
        .count();
    let outcome = if refused.is_empty() {
        "complied"
    } else if refused.len() == held {
        "denied"
    } else {
        "complied-in-part"
    };
    let header = |key: &str| -> Vec<String> {
        words
            .responses
            .get(key)
            .map(|h| h.split('|').map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let disclosed: Vec<&crate::domain::profile::PiCategory> = ordered
        .iter()
        .filter(|d| matches!(d.outcome, O::Disclosed | O::SpecificProvided))
        .filter_map(|d| matrix.rows.iter().find(|c| c.code == d.category))
        .collect();
    let mut disclosed_to: Vec<String> = disclosed.iter().flat_map(|c| c.disclosed_to.iter().cloned()).collect();
    disclosed_to.sort();
    disclosed_to.dedup();
    let period_to = case.received_date;
    let period_from = period_to
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(period_to);
    let fields = tpl::DecisionFields {
        outcome: outcome.to_owned(),
        deleted: of(O::Deleted),
        deidentified: of(O::Deidentified),
        none_held: of(O::NoneHeld),
        kept_header: header(match kind {
            RequestKind::Delete => "kept-header",
            RequestKind::Correct => "corrected-header",
            _ => "withheld-header",
        }),
        kept_rows,
        disclosed_header: header("disclosed-header"),
        disclosed_rows: disclosed
            .iter()
            .map(|c| {
                vec![
                    c.name.clone(),
                    if c.sources.is_empty() {
                        words.responses.get("sources-as-notice").cloned().unwrap_or_default()
                    } else {
                        words.join(&c.sources)
                    },
                    words.join(&c.purposes),
                    words.join(&c.disclosed_to),
                ]
            })
            .collect(),
        disclosed_to,
        // The profile's policy: an organisation that neither sells nor shares lists none.
        sold_or_shared: if profile.policy.sells_or_shares {
            disclosed.iter().map(|c| c.name.clone()).collect()
        } else {
            Vec::new()
        },
        collected_not_shown: disclosed
            .iter()
            .filter(|c| c.sensitive)
            .map(|c| c.name.clone())
            .collect(),
        period_from: words.long_date(period_from),
        period_to: words.long_date(period_to),
        items_count: 0,
        item_categories: Vec::new(),
        providers_told: matrix
            .providers
            .iter()
            .filter_map(|p| p.notified_on.map(|on| format!("{} ({})", p.name, words.long_date(on))))
            .collect(),
        corrected: of(O::Corrected),
        correction_wrong: case
            .details
            .correction
            .as_ref()
            .map(|c| c.wrong.clone())
            .unwrap_or_default(),
        correction_right: case
            .details
            .correction
            .as_ref()
            .map(|c| c.right.clone())
            .unwrap_or_default(),
        // § 7023(f)(3): a correction of health information denied: the person may add a
        // statement of up to 250 words per item to their record.
        health_statement: kind == RequestKind::Correct
            && refused
                .iter()
                .any(|d| matrix.rows.iter().any(|c| c.code == d.category && c.health)),
        opt_out_question: kind == RequestKind::Delete
            && outcome != "complied"
            && profile.policy.sells_or_shares
            && !case.kinds.contains(&RequestKind::OptOut),
    };
    let record = crate::store::decisions::ResponseRecord {
        kind,
        outcome: outcome.to_owned(),
        denial_reason: (outcome == "denied").then(|| "exempt".to_owned()),
        basis: (outcome == "denied")
            .then(|| refused.first().and_then(|d| d.basis.clone()))
            .flatten(),
        on: case.received_date,
        letter: None,
    };
    (fields, record)
}

/// What the verification letters say: per kind still being verified what is still needed, the
/// details the organisation can compare and those already received (their names, never a
/// value), and what follows for each kind that could not be verified.
fn verification_fields(i: &ContextInput) -> tpl::VerificationFields {
    use super::super::verification::Outcome;
    let words = i.words;
    let v = i.verification;
    let label = |code: &str| words.data_point(code, i.language.code(), i.profile);
    let needed = v
        .kinds
        .iter()
        .filter(|k| k.outcome == Outcome::Pending && k.answer.is_none())
        .filter_map(|k| {
            let kind = k.requirement.kind;
            let matched = v
                .points
                .iter()
                .filter(|p| p.result == verification::PointResult::Matched && !p.not_for.contains(&kind))
                .count();
            let more = usize::from(k.requirement.data_points).saturating_sub(matched);
            let declaration = k.requirement.declaration && v.declaration.is_none();
            let key = match (more, declaration) {
                (0, false) => return None,
                (0, true) => "needed-declaration",
                (1, false) => "needed-one",
                (1, true) => "needed-one-declaration",
                (_, false) => "needed-more",
                (_, true) => "needed-more-declaration",
            };
            let pattern = words.verification.get(key)?;
            Some(format!(
                "{}: {}.",
                words.request(kind),
                pattern.replace("{points}", &more.to_string())
            ))
        })
        .collect();
    let received: Vec<String> = v.points.iter().map(|p| label(&p.field)).collect();
    let data_points = i
        .profile
        .verification
        .data_points
        .iter()
        .filter(|d| !v.points.iter().any(|p| p.field == d.code))
        .map(|d| label(&d.code))
        .collect();
    let unverified = i
        .standing
        .failed
        .iter()
        .map(|&kind| tpl::UnverifiedFields {
            code: kind.token().to_owned(),
            request: words.request_short(kind).to_owned(),
            reason: v
                .kinds
                .iter()
                .find(|k| k.requirement.kind == kind)
                .map(|k| k.reason.clone())
                .unwrap_or_default(),
            as_categories: kind == RequestKind::KnowSpecific,
            // § 7022(g): a business that sells or shares asks, on denying a deletion, whether
            // the person wants to opt out (unless they asked already).
            opt_out_question: kind == RequestKind::Delete
                && i.profile.policy.sells_or_shares
                && !i.case.kinds.contains(&RequestKind::OptOut),
        })
        .collect();
    tpl::VerificationFields {
        steps: Vec::new(),
        needed,
        data_points,
        received,
        declaration: i.standing.declaration_missing,
        agent_permission: v.agent.as_ref().is_some_and(|a| {
            a.evidence.contains(&verification::AgentEvidence::SignedPermission)
                && !v
                    .agent_evidence
                    .contains(&verification::AgentEvidence::SignedPermission)
        }),
        unverified,
    }
}

/// Everything the layout places: letterhead, recipient, date, reference, body, signature, in
/// the letter's language.
#[allow(clippy::too_many_arguments)]
fn letter_text(
    sender: &Sender,
    words: &Words,
    request: &LetterRequest,
    case: &Case,
    recipient_name: &str,
    address: PostalAddress,
    date: &str,
    body: Vec<content::Block>,
) -> LetterText {
    let profile = &sender.profile;
    let mut letterhead = vec![profile.name.clone()];
    if profile.return_address.lines.iter().any(|l| !l.trim().is_empty()) {
        letterhead.extend(profile.return_address.lines.iter().cloned());
    } else {
        letterhead.push(format!("{} · {}", profile.contacts.email, profile.contacts.toll_free));
    }
    let signature = if profile.signatory.name.trim().is_empty() {
        vec![words.privacy_office.clone(), profile.name.clone()]
    } else {
        vec![
            profile.signatory.name.clone(),
            profile.signatory.title.clone(),
            profile.name.clone(),
        ]
    };
    LetterText {
        letterhead,
        recipient_name: recipient_name.to_owned(),
        recipient_address: address,
        date: date.to_owned(),
        reference: format!("{} · {} {}", words.subject(request.kind), words.reference, case.number),
        continuation: format!("{} · {}", recipient_name, case.number),
        body,
        closing: words.closing.clone(),
        signature,
        page_of: words.page_of.clone(),
        fold_marks: request.fold_marks,
        logo: sender.logo_size,
    }
}

/// The template editor's preview: a template (as edited, not yet saved) with a sample case and
/// the organisation profile in force.
pub async fn sample_preview(
    file: &crate::store::CaseFile,
    kind: LetterKind,
    language: &Language,
    source: &str,
    now: DateTime<Utc>,
) -> Result<LetterPreview, ServiceError> {
    let sender = sender(&mut *file.read().await?).await?;
    let words = tpl::words(language)?;
    tpl::check(kind, source).map_err(|e| ServiceError::invalid("template", e.to_string()))?;
    let mut context = tpl::sample_context(kind);
    context.organisation.name = sender.profile.name.clone();
    context.organisation.entity = sender.profile.name.clone();
    context.organisation.email = sender.profile.contacts.email.clone();
    context.organisation.phone = sender.profile.contacts.toll_free.clone();
    context.letter.date = words.long_date(legal_date(now, sender.zone));
    let rendered = tpl::render(source, &context)?;
    let sample = crate::domain::PostalAddress {
        lines: vec!["1950 Franklin St".into()],
        city: "Oakland".into(),
        state: Some("CA".into()),
        postal_code: Some("94612".into()),
        country: "US".into(),
    };
    let mut text = LetterText {
        letterhead: vec![
            sender.profile.name.clone(),
            format!(
                "{} · {}",
                sender.profile.contacts.email, sender.profile.contacts.toll_free
            ),
        ],
        recipient_name: context.recipient.name.clone(),
        recipient_address: sample,
        date: context.letter.date.clone(),
        reference: format!("{} · {} {}", words.subject(kind), words.reference, context.case.number),
        continuation: format!("{} · {}", context.recipient.name, context.case.number),
        body: content::parse(&rendered.text, &rendered.blocks),
        closing: words.closing.clone(),
        signature: vec![words.privacy_office.clone(), sender.profile.name.clone()],
        page_of: words.page_of.clone(),
        fold_marks: true,
        logo: sender.logo_size,
    };
    if sender.profile.return_address.lines.iter().any(|l| !l.trim().is_empty()) {
        text.letterhead = std::iter::once(sender.profile.name.clone())
            .chain(sender.profile.return_address.lines.iter().cloned())
            .collect();
    }
    let laid = layout::lay_out(&text)?;
    Ok(LetterPreview {
        pages: laid.pages,
        has_logo: sender.logo.is_some(),
        language: language.clone(),
        recipient: context.recipient.name,
        variant: context.letter.variant,
    })
}
