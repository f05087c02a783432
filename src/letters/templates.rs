//! Letter templates and wording: the shipped files (every file of every language folder of
//! `templates/letters/`, embedded at build time), the words each language gives letters
//! (`strings.toml`: closing, "Page N of M", dates, kind subjects, request names…), the fields a
//! template may use ([`LetterContext`]), the check run when a template is saved, and rendering.
//!
//! Rendering keeps data apart from markup. Every value a template prints is wrapped as literal
//! text, so nothing a person typed (a `#`, a `-`, a `|`, a blank line in a name) is ever read as
//! a heading, a list or a table; lists are blocks built from data (`{{ list(case.kinds) }}`),
//! never parsed out of text. Only the template's own text carries markup: a line starting with
//! `# ` is a heading, `- ` a list item; a blank line ends a paragraph.
//!
//! A template runs on fuel (so a loop that never ends stops), may not multiply (a string repeat
//! could ask for gigabytes), and its output is capped; a template that breaks any of this is
//! refused when saved, with the line named.

use super::content::{Block, LITERAL_END, LITERAL_START, PLACEHOLDER_END, PLACEHOLDER_START};
use super::{LetterError, LetterKind};
use crate::domain::details::Language;
use crate::domain::RequestKind;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/shipped_templates.rs"));

/// The words a language gives letters (`templates/letters/<code>/strings.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// The language's own name ("English", "Español").
    pub name: String,
    pub closing: String,
    /// With `{n}` and `{m}`.
    pub page_of: String,
    pub privacy_office: String,
    pub reference: String,
    /// With `{day}`, `{month}`, `{year}`.
    pub date: String,
    pub months: Vec<String>,
    pub and: String,
    pub subjects: BTreeMap<String, String>,
    pub requests: BTreeMap<String, String>,
    pub requests_short: BTreeMap<String, String>,
    pub verification: BTreeMap<String, String>,
    /// The names of the data points the shipped profiles use, in this language (a profile's
    /// own label is used for the others, and always in English).
    #[serde(default)]
    pub data_points: BTreeMap<String, String>,
    /// What response letters' tables are headed with (cells joined by `|`), and their phrases.
    #[serde(default)]
    pub responses: BTreeMap<String, String>,
}

impl Words {
    /// A date written out: "March 2, 2026", "2 de marzo de 2026".
    pub fn long_date(&self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        self.date
            .replace("{day}", &date.day().to_string())
            .replace(
                "{month}",
                self.months.get(date.month0() as usize).map_or("", String::as_str),
            )
            .replace("{year}", &date.year().to_string())
    }

    pub fn page_of(&self, n: usize, m: usize) -> String {
        self.page_of
            .replace("{n}", &n.to_string())
            .replace("{m}", &m.to_string())
    }

    /// "a, b and c" in the language.
    pub fn join(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.and),
        }
    }

    pub fn subject(&self, kind: LetterKind) -> &str {
        self.subjects.get(kind.token()).map_or("", String::as_str)
    }

    pub fn request(&self, kind: RequestKind) -> &str {
        self.requests.get(kind.token()).map_or("", String::as_str)
    }

    /// What a data point is called in a letter in `language`: the profile's label in English,
    /// else this language's name for a known code, else the profile's label.
    pub fn data_point(
        &self,
        code: &str,
        language: &str,
        profile: &crate::domain::profile::OrganisationProfile,
    ) -> String {
        let own = profile.verification.data_point(code).map(|d| d.label.clone());
        match (language, own) {
            ("en", Some(label)) => label,
            (_, own) => self
                .data_points
                .get(code)
                .cloned()
                .or(own)
                .unwrap_or_else(|| code.to_owned()),
        }
    }

    pub fn request_short(&self, kind: RequestKind) -> &str {
        self.requests_short.get(kind.token()).map_or("", String::as_str)
    }
}

/// Every language letters can be written in: the folders with a `strings.toml`, in code order.
pub fn languages() -> Vec<Language> {
    let mut codes: Vec<&str> = SHIPPED
        .iter()
        .filter(|(_, file, _)| *file == "strings.toml")
        .map(|(code, _, _)| *code)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().map(Language::new).collect()
}

/// The words of a language, read once.
pub fn words(language: &Language) -> Result<&'static Words, LetterError> {
    static PARSED: OnceLock<HashMap<String, Result<Words, String>>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        SHIPPED
            .iter()
            .filter(|(_, file, _)| *file == "strings.toml")
            .map(|(code, _, text)| {
                (
                    (*code).to_owned(),
                    toml::from_str::<Words>(text).map_err(|e| e.to_string()),
                )
            })
            .collect()
    });
    match all.get(language.code()) {
        Some(Ok(words)) => Ok(words),
        Some(Err(e)) => Err(LetterError::Template(format!(
            "The letter wording for \"{language}\" (strings.toml) cannot be read: {e}"
        ))),
        None => Err(LetterError::Unprintable(format!(
            "There are no letters in \"{language}\": the languages are {}.",
            languages().iter().map(Language::code).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The shipped template of a kind in a language.
pub fn shipped(kind: LetterKind, language: &Language) -> Option<&'static str> {
    let file = format!("{}.txt", kind.token());
    SHIPPED
        .iter()
        .find(|(code, name, _)| *code == language.code() && *name == file)
        .map(|(_, _, text)| *text)
}

/// Everything a template can print.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LetterContext {
    pub letter: LetterFields,
    pub organisation: OrganisationFields,
    pub case: CaseFields,
    pub recipient: RecipientFields,
    /// How identity is checked for the kinds that need it (the acknowledgment).
    pub verification: VerificationFields,
    /// Extension notices only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionFields>,
    /// Opt-out and limit confirmations only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_out: Option<OptOutFields>,
    /// Letters that refuse something: the reason staff gave.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denial: Option<DenialFields>,
    /// General letters only: the text staff wrote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Responses only: what was decided per category, for the kind the letter answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<DecisionFields>,
}

/// What a response letter says was done with each category (the decision matrix of its kind).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecisionFields {
    /// `complied`, `complied-in-part` or `denied`.
    pub outcome: String,
    /// Category names, by what was done.
    pub deleted: Vec<String>,
    pub deidentified: Vec<String>,
    pub none_held: Vec<String>,
    /// What was kept or not disclosed: the header and one row per category (category, the
    /// basis in words, its citation, until when).
    pub kept_header: Vec<String>,
    pub kept_rows: Vec<Vec<String>>,
    /// Know: the categories disclosed, one row each (category, sources, purposes, to whom it is
    /// disclosed for a business purpose).
    pub disclosed_header: Vec<String>,
    pub disclosed_rows: Vec<Vec<String>>,
    /// Know: to whom personal information about the person is disclosed for a business purpose.
    pub disclosed_to: Vec<String>,
    /// Know: the categories sold or shared (empty: none).
    pub sold_or_shared: Vec<String>,
    /// Know: the § 7024(d) types collected, named but never shown.
    pub collected_not_shown: Vec<String>,
    /// The period the answer covers, written out.
    pub period_from: String,
    pub period_to: String,
    /// Specific pieces: how many are in the export, and per category (in words).
    pub items_count: usize,
    pub item_categories: Vec<String>,
    /// Deletion: the service providers and contractors told to delete, with the day.
    pub providers_told: Vec<String>,
    /// Correction: the categories corrected.
    pub corrected: Vec<String>,
    /// Correction: what the person said is wrong, and what is right.
    pub correction_wrong: String,
    pub correction_right: String,
    /// Correction: health information not corrected; the 250-word statement is offered.
    pub health_statement: bool,
    /// Deletion: ask whether the person wants to opt out (§ 7022(g)).
    pub opt_out_question: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LetterFields {
    /// The date of the letter, written out in its language.
    pub date: String,
    /// Which variant of the letter (its spec lists them), or empty.
    pub variant: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OrganisationFields {
    pub name: String,
    /// The legal entity the request is about, or the organisation's name when not known.
    pub entity: String,
    pub email: String,
    pub phone: String,
    pub notice_date: String,
    /// The covered relationships, as the profile names them.
    pub covered_roles: Vec<String>,
    /// The covered legal entities, in a sentence.
    pub covered_entities: String,
    /// Where people outside the notice go instead (the profile's list).
    pub elsewhere: Vec<String>,
    /// What the profile says about medical information (CMIA/HIPAA), or empty.
    pub medical_note: String,
    /// The return address, line by line (where paper goes).
    pub address: Vec<String>,
    /// The web form where requests and documents may be sent, or empty.
    pub web_form: String,
    /// The categories of personal information the notice says are collected (their names).
    pub categories: Vec<String>,
    /// The organisation sells or shares personal information (the notice says so).
    pub sells_or_shares: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseFields {
    pub number: String,
    pub received_on: String,
    /// The kinds of request, each in words.
    pub kinds: Vec<String>,
    /// The opt-out and limit kinds of the case, each in words.
    pub opt_out_kinds: Vec<String>,
    /// The kinds that need identity verification, in a sentence ("to delete and to correct").
    pub to_verify: String,
    /// The opt-out and limit parts, acted on without verification, in a sentence; empty if none.
    pub without_verification: String,
    /// The response due date (§ 7021(b)), written out; empty for opt-out/limit-only cases.
    pub respond_by: String,
    /// The response date in force: the extended one once the extension is recorded.
    pub response_due: String,
    /// The date the opt-out or limit is honoured by (§ 7026(f), § 7027(g)); empty when none.
    pub comply_by: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct RecipientFields {
    /// Who the letter is addressed to: the requester, or the agent acting for them.
    pub name: String,
    pub is_agent: bool,
    /// The agent holds a power of attorney (Probate Code §§ 4121-4130, § 7063(b)).
    pub has_power_of_attorney: bool,
    /// The requester's name (the same as `name` without an agent).
    pub requester_name: String,
    /// The authorised agent's name, or empty.
    pub agent_name: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct VerificationFields {
    /// One sentence per kind that needs verification: how identity is checked for it.
    pub steps: Vec<String>,
    /// Per kind still being verified, what is still needed, in a sentence.
    pub needed: Vec<String>,
    /// The details the organisation can compare, for the person to choose from (their labels).
    pub data_points: Vec<String>,
    /// The details already received and compared (their labels; never the values).
    pub received: Vec<String>,
    /// A signed declaration under penalty of perjury is asked for (§ 7062(c)).
    pub declaration: bool,
    /// The agent must send the person's signed permission (§ 7063(a)).
    pub agent_permission: bool,
    /// The kinds that could not be verified and what follows for each (unable-to-verify).
    pub unverified: Vec<UnverifiedFields>,
}

/// One kind of request whose verification failed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnverifiedFields {
    /// The kind's token (`know-specific`, `delete`…), for the template to choose its words.
    pub code: String,
    /// The kind in words, inside a sentence ("to delete").
    pub request: String,
    /// Why staff could not verify it.
    pub reason: String,
    /// A request for specific pieces is handled as a request for categories (§ 7024(a)).
    pub as_categories: bool,
    /// Ask whether the person wants to opt out of sale or sharing (§ 7022(g)).
    pub opt_out_question: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ExtensionFields {
    pub reason: String,
    pub new_date: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OptOutFields {
    /// The case asks to opt out of sale or sharing.
    pub opt_out: bool,
    /// The case asks to limit the use of sensitive personal information.
    pub limit: bool,
    /// When it was (or will be) honoured, written out.
    pub honoured_on: String,
    /// The letter declines the request to limit, as the notice says (its section on limits).
    pub limit_declined: bool,
    /// What the notice says about requests to limit (the profile's words).
    pub limit_position: String,
    /// What the notice's e-mail opt-out stops ("job alerts and other e-mails…"), or empty.
    pub email_opt_out: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DenialFields {
    pub reason: String,
    /// A denial letter: the parts of the request it denies, each in words.
    pub kinds: Vec<String>,
}

/// A context with every field a letter of `kind` has, for checking templates and for the
/// template editor's sample.
pub fn sample_context(kind: LetterKind) -> LetterContext {
    let spec = super::spec::spec(kind);
    LetterContext {
        letter: LetterFields {
            date: "March 20, 2026".into(),
            variant: spec.variants.first().map(|v| v.code.to_owned()).unwrap_or_default(),
        },
        organisation: OrganisationFields {
            name: "Example Medical Group".into(),
            entity: "Example Medical Group".into(),
            email: "privacy@example.org".into(),
            phone: "800-555-0100".into(),
            notice_date: "January 24, 2023".into(),
            covered_roles: vec!["Job applicant".into(), "Employee".into()],
            covered_entities: "Example Medical Group".into(),
            elsewhere: vec!["Members and patients: Member Services.".into()],
            medical_note: "Medical information is protected by CMIA and HIPAA.".into(),
            address: vec!["Privacy Office".into(), "1 Main St".into(), "Oakland, CA 94612".into()],
            web_form: "https://example.org/privacy-request".into(),
            categories: vec![
                "Identifiers".into(),
                "Professional or employment-related information".into(),
            ],
            sells_or_shares: true,
        },
        case: CaseFields {
            number: "PR-2026-00001".into(),
            received_on: "March 2, 2026".into(),
            kinds: vec!["To delete personal information about you".into()],
            opt_out_kinds: vec!["To opt out of the sale or sharing of your personal information".into()],
            to_verify: "to delete".into(),
            without_verification: "to opt out of sale or sharing".into(),
            respond_by: "April 15, 2026".into(),
            response_due: "April 15, 2026".into(),
            comply_by: "March 23, 2026".into(),
        },
        recipient: RecipientFields {
            name: "Ana Reyes".into(),
            is_agent: false,
            has_power_of_attorney: false,
            requester_name: "Ana Reyes".into(),
            agent_name: String::new(),
        },
        verification: VerificationFields {
            steps: vec!["To delete: we compare 2 details you give us with the records we already hold.".into()],
            needed: vec!["To delete personal information about you: 2 details that match our records.".into()],
            data_points: vec!["Date of birth".into(), "Hire or application date".into()],
            received: vec!["Date of birth".into()],
            declaration: true,
            agent_permission: true,
            unverified: ["know-specific", "know-categories", "delete", "correct"]
                .into_iter()
                .map(|code| UnverifiedFields {
                    code: code.into(),
                    request: "to delete".into(),
                    reason: "The date of birth given does not match our records.".into(),
                    as_categories: code == "know-specific",
                    opt_out_question: code == "delete",
                })
                .collect(),
        },
        extension: spec
            .inputs
            .contains(&super::spec::Input::Reason)
            .then(|| ExtensionFields {
                reason: "The records are held in two systems.".into(),
                new_date: "May 30, 2026".into(),
            }),
        opt_out: (kind == LetterKind::OptOutConfirmation).then(|| OptOutFields {
            opt_out: true,
            limit: true,
            honoured_on: "March 10, 2026".into(),
            limit_declined: true,
            limit_position: "We do not agree to limits beyond the e-mail opt-out our notice describes.".into(),
            email_opt_out: "job alerts and other e-mails about employment opportunities".into(),
        }),
        denial: spec.variants.iter().any(|v| v.needs_reason).then(|| DenialFields {
            reason: "The request came from an address we have seen in other fraudulent requests.".into(),
            kinds: vec!["To delete personal information about you".into()],
        }),
        body: spec
            .inputs
            .contains(&super::spec::Input::Body)
            .then(|| "The text staff wrote.".into()),
        decisions: matches!(spec.records, super::spec::Records::Response(_)).then(|| DecisionFields {
            outcome: "complied-in-part".into(),
            deleted: vec!["Contact information".into()],
            deidentified: vec!["Internet browsing history".into()],
            none_held: vec!["Drug and health screening".into()],
            kept_header: vec!["Information".into(), "Why".into(), "Law".into(), "Kept until".into()],
            kept_rows: vec![vec![
                "Payroll".into(),
                "the law requires us to keep it".into(),
                "Civ. Code § 1798.105(d)(8); Lab. Code § 1174(d)".into(),
                "December 2, 2029".into(),
            ]],
            disclosed_header: vec![
                "Information".into(),
                "Source".into(),
                "Purpose".into(),
                "Disclosed to".into(),
            ],
            disclosed_rows: vec![vec![
                "Name".into(),
                "You".into(),
                "Payroll".into(),
                "Payroll processor".into(),
            ]],
            disclosed_to: vec!["Payroll processor".into()],
            sold_or_shared: vec![],
            collected_not_shown: vec!["Unique personal identifiers".into()],
            period_from: "March 2, 2025".into(),
            period_to: "March 2, 2026".into(),
            items_count: 3,
            item_categories: vec![
                "Name: 1".into(),
                "Education, professional and employment history: 2".into(),
            ],
            providers_told: vec!["Payroll processor (March 9, 2026)".into()],
            corrected: vec!["Contact information".into()],
            correction_wrong: "My address is 12 Elm St".into(),
            correction_right: "My address is 14 Elm St".into(),
            health_statement: true,
            opt_out_question: true,
        }),
    }
}

/// The dotted names of every field in a context (`case.number`, ...).
fn field_names(context: &LetterContext) -> BTreeSet<String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeSet<String>) {
        if let serde_json::Value::Object(map) = value {
            for (key, v) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                out.insert(name.clone());
                walk(&name, v, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(
        "",
        &serde_json::to_value(context).expect("the context is plain data"),
        &mut out,
    );
    out
}

/// The functions a template may call (minijinja's own and `list`).
const FUNCTIONS: &[&str] = &["list", "table", "range", "dict", "namespace", "debug"];

/// Instructions a template may run per letter: far more than any real letter needs, little
/// enough that a loop which never ends stops within a fraction of a second.
const FUEL: u64 = 200_000;
/// The most text one template may produce.
const MAX_OUTPUT: usize = 256 * 1024;

thread_local! {
    /// Blocks built from data by `list()` during the render in progress on this thread.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Removes the characters rendering reserves for its own marks, so no value can fake one.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(*c, LITERAL_START | LITERAL_END | PLACEHOLDER_START | PLACEHOLDER_END))
        .collect()
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A field a letter does not have is an error, never an empty gap in a mailed letter.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    // Block tags on their own line leave no blank line behind.
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_fuel(Some(FUEL));
    env.set_formatter(|out, _state, value| {
        if value.is_safe() {
            // Only `list()` makes safe strings: a placeholder for a block built from data.
            out.write_str(&value.to_string())?;
        } else if !value.is_none() && !value.is_undefined() {
            write!(out, "{LITERAL_START}{}{LITERAL_END}", plain(&value.to_string()))?;
        }
        Ok(())
    });
    env.add_function("list", |items: Vec<Value>| -> Value {
        let items: Vec<String> = items
            .iter()
            .map(|i| plain(&i.to_string()))
            .filter(|i| !i.trim().is_empty())
            .collect();
        let index = BLOCKS.with(|b| {
            let mut b = b.borrow_mut();
            b.push(Block::List { items });
            b.len() - 1
        });
        Value::from_safe_string(format!("\n{PLACEHOLDER_START}{index}{PLACEHOLDER_END}\n"))
    });
    // A table built from data: a header row and rows of cells, each cell literal text.
    env.add_function("table", |header: Vec<Value>, rows: Vec<Vec<Value>>| -> Value {
        let cell = |v: &Value| plain(&v.to_string());
        let header: Vec<String> = header.iter().map(cell).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut cells: Vec<String> = r.iter().map(cell).collect();
                cells.resize(header.len(), String::new());
                cells
            })
            .collect();
        let index = BLOCKS.with(|b| {
            let mut b = b.borrow_mut();
            b.push(Block::Table { header, rows });
            b.len() - 1
        });
        Value::from_safe_string(format!("\n{PLACEHOLDER_START}{index}{PLACEHOLDER_END}\n"))
    });
    env
}

/// A template's text, its data blocks and the context values it printed.
pub struct Rendered {
    pub text: String,
    pub blocks: Vec<Block>,
}

/// Checks a template for a kind before it is saved: it must parse, use only fields letters of
/// that kind have (the first unknown one is named), multiply nothing, and render with sample
/// values within its fuel and output limits.
pub fn check(kind: LetterKind, source: &str) -> Result<(), LetterError> {
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| LetterError::Template(describe(&e)))?;
    refuse_multiplication(source)?;
    let known = field_names(&sample_context(kind));
    if let Some(unknown) = template
        .undeclared_variables(true)
        .into_iter()
        .filter(|name| !known.contains(name) && !FUNCTIONS.contains(&name.as_str()))
        .min()
    {
        return Err(LetterError::Template(format!(
            "The template uses “{unknown}”, which {} letters do not have. Fields: {}.",
            kind.label(),
            known.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let mut sample = sample_context(kind);
    render(source, &sample)?;
    // A template must also hold for an agent and for every variant.
    sample.recipient.is_agent = true;
    sample.recipient.name = "Marta Ruiz".into();
    sample.recipient.agent_name = "Marta Ruiz".into();
    for variant in super::spec::spec(kind).variants {
        sample.letter.variant = variant.code.to_owned();
        render(source, &sample)?;
    }
    Ok(())
}

/// `*` inside a tag: a string repeat can ask for gigabytes before any limit applies.
fn refuse_multiplication(source: &str) -> Result<(), LetterError> {
    let mut rest = source;
    let mut line = 1;
    while let Some(open) = rest.find(['{']) {
        line += rest[..open].matches('\n').count();
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let Some(end) = after.find(close) else { break };
        if after[1..end].contains('*') {
            return Err(LetterError::Template(format!(
                "Line {line}: a template cannot multiply (“*”); write the text out instead."
            )));
        }
        line += after[..end].matches('\n').count();
        rest = &after[end..];
    }
    Ok(())
}

/// Renders a template with a letter's context.
pub fn render(source: &str, context: &LetterContext) -> Result<Rendered, LetterError> {
    refuse_multiplication(source)?;
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| LetterError::Template(describe(&e)))?;
    BLOCKS.with(|b| b.borrow_mut().clear());
    let mut out = LimitedWriter::default();
    let result = template.render_captured_to(context, &mut out).map(|_| ());
    let blocks = BLOCKS.with(|b| std::mem::take(&mut *b.borrow_mut()));
    match result {
        Ok(_) => Ok(Rendered {
            text: String::from_utf8(out.bytes)
                .map_err(|_| LetterError::Template("The template produced text that is not UTF-8.".into()))?,
            blocks,
        }),
        Err(_) if out.overflowed => Err(LetterError::Template(
            "The template produces far more text than a letter holds; check its loops.".into(),
        )),
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => Err(LetterError::Template(
            "The template never finishes (a loop that does not end); check its loops.".into(),
        )),
        Err(e) => Err(LetterError::Template(describe(&e))),
    }
}

/// A writer that refuses more than `MAX_OUTPUT` bytes.
#[derive(Default)]
struct LimitedWriter {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for LimitedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT {
            self.overflowed = true;
            return Err(std::io::Error::other("letter too long"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("Line {line}: {}", e.detail().unwrap_or(&e.kind().to_string())),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_its_words_and_every_kind_its_template() {
        let languages = languages();
        assert!(languages.len() >= 2, "{languages:?}");
        for language in &languages {
            let w = words(language).unwrap_or_else(|e| panic!("{language}: {e}"));
            assert_eq!(w.months.len(), 12, "{language}");
            for kind in LetterKind::ALL {
                assert!(!w.subject(kind).is_empty(), "{language}: subject of {kind:?}");
                let source = shipped(kind, language).unwrap_or_else(|| panic!("{language}: no {kind:?} template"));
                check(kind, source).unwrap_or_else(|e| panic!("{language} {kind:?}: {e}"));
            }
            for kind in RequestKind::ALL {
                assert!(
                    !w.request(kind).is_empty() && !w.request_short(kind).is_empty(),
                    "{language} {kind:?}"
                );
            }
        }
    }

    #[test]
    fn dates_are_written_out_per_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(words(&Language::new("en")).unwrap().long_date(d), "March 2, 2026");
        assert_eq!(words(&Language::new("es")).unwrap().long_date(d), "2 de marzo de 2026");
        assert_eq!(words(&Language::new("en")).unwrap().page_of(2, 3), "Page 2 of 3");
    }

    #[test]
    fn an_unknown_field_is_refused_with_its_name() {
        let err = check(
            LetterKind::Acknowledgment,
            "Dear {{ recipient.name }}, your {{ case.numbr }}",
        )
        .unwrap_err();
        assert!(err.to_string().contains("“case.numbr”"), "{err}");
        let err = check(LetterKind::Acknowledgment, "{{ extension.reason }}").unwrap_err();
        assert!(
            err.to_string().contains("“extension.reason”"),
            "only extension notices have it: {err}"
        );
        assert!(check(LetterKind::Extension, "{{ extension.reason }}").is_ok());
        let err = check(LetterKind::General, "{% if x %}").unwrap_err();
        assert!(err.to_string().starts_with("Line 1"), "{err}");
    }

    #[test]
    fn a_template_that_never_ends_or_explodes_is_refused() {
        let err = check(
            LetterKind::General,
            "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(err.to_string().contains("never finishes"), "{err}");
        let err = check(LetterKind::General, "{{ \"x\" * 11000000000 }}").unwrap_err();
        assert!(err.to_string().contains("multiply"), "{err}");
        let err = check(
            LetterKind::General,
            "{% for c in case.kinds %}{% for c2 in range(20000) %}{{ body }}{% endfor %}{% endfor %}",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("far more text") || err.to_string().contains("never finishes"),
            "{err}"
        );
    }

    #[test]
    fn section_7024_d_values_are_out_of_reach_of_templates() {
        for field in [
            "case.ssn",
            "recipient.ssn",
            "case.requester.account",
            "case.description",
        ] {
            assert!(
                check(LetterKind::General, &format!("{{{{ {field} }}}}")).is_err(),
                "{field}"
            );
        }
    }

    #[test]
    fn printed_values_are_literal_text_and_lists_are_data() {
        let mut context = sample_context(LetterKind::General);
        context.body = Some("# not a heading\n- not an item | not a cell".into());
        let out = render("{{ body }}\n{{ list(case.kinds) }}", &context).unwrap();
        assert!(out.text.contains(LITERAL_START) && out.text.contains("# not a heading"));
        assert_eq!(
            out.blocks,
            vec![Block::List {
                items: context.case.kinds.clone()
            }]
        );
    }
}
