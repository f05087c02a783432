//! The command line: every use case the window has, for scripts, imports and batch work. This
//! module declares the commands and their flags (the contract other tools script against) and
//! hands each to its handler; the handlers call the same service functions as the window.

mod audit;
mod backup;
mod cases;
mod clocks;
mod deadlines;
mod decisions;
mod intake;
mod letters;
pub mod output;
mod queue;
mod report;
mod settings;
mod verify;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand};
use privacydesk::domain::calendar::CalendarPreset;
use privacydesk::domain::deadline::{DueDateRoll, ReceiptDay};
use privacydesk::domain::details::{AgentBasis, AgentKind, Delivery, Language};
use privacydesk::domain::letter::{LetterKind, MailMethod};
use privacydesk::domain::queue::QueueSort;
use privacydesk::domain::{CaseNumber, CaseStatus, Channel, RequestKind};
use privacydesk::service::{self, AppError, ErrorCode};
use privacydesk::store::key::KeySource;
use privacydesk::store::{default_data_dir, CaseFile, DATABASE_FILE};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "privacydesk",
    version,
    about = "PrivacyDesk: California privacy requests, from intake to response"
)]
pub struct Cli {
    /// The case file (default: privacydesk.db in the app's data directory).
    #[arg(long, global = true, env = "PRIVACYDESK_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// A file with the case file's key as 64 hex characters, instead of the OS keyring.
    /// Created (mode 0600) with a new random key when neither it nor the case file exists.
    #[arg(long, global = true, env = "PRIVACYDESK_KEY_FILE", value_name = "PATH")]
    key_file: Option<PathBuf>,
    /// Creates the case file at --db when it does not exist although its --key-file does (without
    /// it, that is refused as a mistyped --db).
    #[arg(long, global = true)]
    create: bool,
    /// Who the audit log names for changes made by this command (default: the OS user).
    #[arg(long, global = true, env = "PRIVACYDESK_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Log, show, edit, move, assign and annotate cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Records the confirmation of receipt of a case (§ 7021(a)).
    Ack(AckArgs),
    /// Records the one extension of a case's response period (§ 7021(b)).
    Extend(ExtendArgs),
    /// Records that the response to a case was sent.
    Respond(RespondArgs),
    /// Records that a case's opt-out or limit was honoured.
    Comply(ActArgs),
    /// One page of the queue.
    Queue(QueueArgs),
    /// Clocks overdue, due today and due in the next 7 days.
    Dashboard {
        #[arg(long)]
        json: bool,
    },
    /// Logs requests from outside the window.
    #[command(subcommand)]
    Intake(IntakeCommand),
    /// Imports requests from a web-form export (.csv or .json): checks every row, reports the bad
    /// ones (file:line: field: reason) and logs the good ones in one transaction once confirmed.
    Import {
        file: PathBuf,
        /// Import the good rows without asking.
        #[arg(long)]
        yes: bool,
    },
    /// The legal clocks of a request received at a given time (no case file needed).
    Deadlines(DeadlinesArgs),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Fills a case file of demo cases with more made-up cases, for screenshots and benchmarks.
    Demo {
        /// How many cases to add.
        #[arg(long)]
        cases: usize,
        /// Seed of the generator (the same seed gives the same cases).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// The organisation profile (who the business is), as TOML.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// The clock settings: calendar, closure dates and the two unsettled readings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The weekdays the calendar in force closes in a year.
    Holidays {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        json: bool,
    },
    /// The staff name this desk's changes are recorded under, and the names known.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Produces one letter for a case as a PDF, and archives it with the case.
    Letter(LetterArgs),
    /// Letters in bulk, mailing, copies, templates and the letterhead logo.
    #[command(subcommand)]
    Letters(LettersCommand),
    /// Identity verification of a case (11 CCR §§ 7060-7063).
    #[command(subcommand)]
    Verify(VerifyCommand),
    /// The catalogue of bases on which a part of a request may be refused.
    #[command(subcommand)]
    Exemptions(ExemptionsCommand),
    /// Records what is done with one category of personal information for one kind of a case.
    Decide(DecideArgs),
    /// The specific pieces of personal information a response to know gives.
    #[command(subcommand)]
    Items(ItemsCommand),
    /// Rows staff add to a case's decision matrix, beyond the profile's categories.
    #[command(subcommand)]
    Rows(RowsCommand),
    /// Statements about health information whose correction was denied (11 CCR § 7023(f)(3)).
    #[command(subcommand)]
    Statement(StatementCommand),
    /// The § 7101 records log and the § 7102 metrics.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Reduces ended cases to their § 7101 record once the profile's period has run.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Writes an encrypted backup of the case file while it stays in use: one file holding the
    /// database and its key sealed under a passphrase (Argon2id), with the schema version and
    /// the audit chain's head. Recorded in the audit log.
    Backup {
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// A file whose first line is the passphrase (at least 12 characters).
        #[arg(long = "passphrase-file", value_name = "PATH")]
        passphrase_file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Restores a backup into --db with its key in --key-file, after checking the passphrase,
    /// the copy's integrity, its schema (an older one is migrated forward) and its audit chain.
    /// An existing target is refused unless --replace, which sets it aside (renamed, not
    /// deleted).
    Restore {
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
        #[arg(long = "passphrase-file", value_name = "PATH")]
        passphrase_file: PathBuf,
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// The case file's key: rotate it, export it under a passphrase, import an export.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Records that a service provider or contractor was told of a deletion (or why there was
    /// no need); a deletion is answered once every one of the profile's is.
    Notify {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        /// A service-provider code of the profile.
        #[arg(long, value_name = "CODE")]
        provider: String,
        #[arg(long, value_name = "DATE", conflicts_with = "not_needed")]
        on: Option<NaiveDate>,
        #[arg(long, value_name = "REASON")]
        not_needed: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The decision matrix of a case: per category and kind, what is done and on which basis.
    Decisions {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum VerifyCommand {
    /// The level and requirements per kind, the checklist, the declaration, the agent's
    /// evidence and the outcome per kind (verified, failed, not-needed, pending).
    Show {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
    /// Records what the person gave for a data point and how it compared with the records.
    Point {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        /// A data-point code of the profile (`employee-id`, `date-of-birth`, …).
        #[arg(long, value_name = "CODE")]
        field: String,
        #[arg(long, value_name = "VALUE", default_value = "")]
        given: String,
        /// matched, not-matched or not-held.
        #[arg(long)]
        result: String,
        #[arg(long)]
        json: bool,
    },
    /// Records the signed declaration under penalty of perjury: a file, or a paper one's date.
    Declaration {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_name = "PATH", conflicts_with = "received_on")]
        file: Option<PathBuf>,
        #[arg(long, value_name = "DATE")]
        received_on: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Records an authorised agent's evidence (§ 7063).
    Agent {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        /// signed-permission, direct-confirmation or power-of-attorney.
        #[arg(long)]
        evidence: String,
        #[arg(long)]
        json: bool,
    },
    /// Concludes one kind: verified (refused, exit 2, with what is missing when the policy is
    /// not met) or failed (with --reason).
    Conclude {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        kind: RequestKind,
        /// verified or failed.
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Deletes what the person gave to verify their identity (refused before the case has a
    /// response or is closed).
    Purge {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
    /// The system-of-record extract data points are matched against (only keyed hashes of its
    /// values are kept).
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReferenceCommand {
    /// Loads an extract (CSV: an identifier column, then one column per data-point code of the
    /// profile), replacing the one in force.
    Load {
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// What the extract in force holds (how many records, which data points, when loaded).
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CaseCommand {
    /// Log a new request; prints its case number (or the case as JSON with --json).
    Add(Box<AddCase>),
    /// Lists every case, newest received first (for a page of the queue, use `queue`).
    List {
        /// Print a JSON array of cases.
        #[arg(long)]
        json: bool,
    },
    /// One case: its details, the moves it can make, clocks, notes, files, letters and history.
    Show {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
    /// Moves a case along its lifecycle, with the reason.
    Move {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_parser = parse_token::<CaseStatus>)]
        to: CaseStatus,
        #[arg(long)]
        reason: String,
        /// Moving to acknowledged records the confirmation of receipt: the day it was given.
        #[arg(long, value_name = "DATE")]
        on: Option<NaiveDate>,
        /// ... and how.
        #[arg(long, value_parser = parse_token::<Channel>)]
        channel: Option<Channel>,
        #[arg(long)]
        json: bool,
    },
    /// Assigns a case to a staff member (an empty name: to nobody).
    Assign {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_name = "NAME")]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Adds a note to a case.
    Note {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        text: String,
        #[arg(long)]
        json: bool,
    },
    /// Keeps a file with a case (inside the encrypted case file).
    Attach {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        /// Its media type (default: guessed from the file name).
        #[arg(long = "media-type")]
        media_type: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Saves a copy of a file kept with a case.
    Copy {
        /// The file's id (from `case show`).
        #[arg(long = "file-id", value_name = "ID")]
        file_id: i64,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
    },
    /// Edits what intake recorded; flags not given keep their value.
    Edit(Box<EditCase>),
}

/// The flags of `case add`, also those of `case edit` (where each is optional).
#[derive(Args, Clone, Default)]
struct CaseFields {
    /// A street line of the postal address; repeat for more lines.
    #[arg(long = "address-line", value_name = "LINE")]
    address_lines: Vec<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    state: Option<String>,
    #[arg(long = "postal-code", value_name = "ZIP")]
    postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code of the postal address (US when not given).
    #[arg(long, value_name = "ISO2")]
    country: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// Code of the legal entity (from the organisation profile), or `not-listed`.
    #[arg(long)]
    entity: Option<String>,
    /// Code of the requester's relationship to it (from the profile), or `not-listed`.
    #[arg(long)]
    relationship: Option<String>,
    /// Preferred language of letters: en or es.
    #[arg(long, value_parser = parse_token::<Language>)]
    language: Option<Language>,
    /// How the response should be delivered: postal-mail or email.
    #[arg(long, value_parser = parse_token::<Delivery>)]
    delivery: Option<Delivery>,
    /// The request as the person wrote it.
    #[arg(long)]
    description: Option<String>,
    /// For a request to correct: what the person says is wrong.
    #[arg(long = "correction-wrong", value_name = "TEXT")]
    correction_wrong: Option<String>,
    /// For a request to correct: what it should be.
    #[arg(long = "correction-right", value_name = "TEXT")]
    correction_right: Option<String>,
    /// An authorised agent's name (with --agent-basis).
    #[arg(long = "agent-name", value_name = "NAME")]
    agent_name: Option<String>,
    /// person or business.
    #[arg(long = "agent-kind", value_parser = parse_token::<AgentKind>)]
    agent_kind: Option<AgentKind>,
    /// signed-permission, power-of-attorney, parent-of-minor or conservator.
    #[arg(long = "agent-basis", value_parser = parse_token::<AgentBasis>)]
    agent_basis: Option<AgentBasis>,
    #[arg(long = "agent-email", value_name = "EMAIL")]
    agent_email: Option<String>,
    #[arg(long = "agent-phone", value_name = "PHONE")]
    agent_phone: Option<String>,
}

#[derive(Args)]
struct AddCase {
    /// The requester's full name.
    #[arg(long)]
    name: String,
    /// Comma list of: know-categories, know-specific, delete, correct, opt-out, limit.
    #[arg(long, value_parser = parse_kinds)]
    kinds: KindList,
    /// One of: email, phone, web-form, postal-mail, in-person.
    #[arg(long, value_parser = parse_token::<Channel>)]
    channel: Channel,
    /// When it was received: a date (2026-03-02), a time in the organisation's zone
    /// (2026-03-02T09:05) or an instant with its offset (2026-03-02T17:05:00Z).
    #[arg(long)]
    received: String,
    #[command(flatten)]
    fields: CaseFields,
    /// Print the new case as JSON instead of its number.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct EditCase {
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    #[arg(long)]
    name: Option<String>,
    #[arg(long, value_parser = parse_kinds)]
    kinds: Option<KindList>,
    #[arg(long, value_parser = parse_token::<Channel>)]
    channel: Option<Channel>,
    #[arg(long)]
    received: Option<String>,
    #[command(flatten)]
    fields: CaseFields,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct AckArgs {
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    /// The day receipt was confirmed.
    #[arg(long, value_name = "DATE")]
    on: NaiveDate,
    /// How (default: the channel the request came by).
    #[arg(long, value_parser = parse_token::<Channel>)]
    channel: Option<Channel>,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ExtendArgs {
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    /// The day the notice (with the reason) was given.
    #[arg(long, value_name = "DATE")]
    on: NaiveDate,
    /// The reason given in the notice.
    #[arg(long)]
    reason: String,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ActArgs {
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    #[arg(long, value_name = "DATE")]
    on: NaiveDate,
    #[arg(long)]
    json: bool,
}

/// `respond`: without `--kind`, the response sent for every kind of the case; with it, the
/// substantive response to that kind and its outcome.
#[derive(Args)]
pub(crate) struct RespondArgs {
    #[arg(long = "case", value_name = "NUMBER")]
    pub case: CaseNumber,
    #[arg(long, value_name = "DATE")]
    pub on: NaiveDate,
    #[arg(long)]
    pub kind: Option<RequestKind>,
    /// complied, complied-in-part or denied (with --kind).
    #[arg(long, requires = "kind")]
    pub outcome: Option<String>,
    /// unverifiable, not-covered, exempt or other (with --outcome denied).
    #[arg(long, requires = "outcome")]
    pub denial_reason: Option<String>,
    /// A basis code of the catalogue (`exemptions list`).
    #[arg(long, requires = "kind")]
    pub basis: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub(crate) enum ItemsCommand {
    /// Adds one piece for a category (a value of a § 7024(d) type is not kept: the export says it
    /// was collected, without it).
    Add {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_name = "CODE")]
        category: String,
        #[arg(long)]
        label: String,
        #[arg(long, default_value = "")]
        value: String,
        #[arg(long)]
        json: bool,
    },
    /// The pieces of a case.
    List {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum KeyCommand {
    /// Replaces the case file's key with a new random one (SQLCipher's rekey); the new key is
    /// stored first and the key file replaced only once the database is rekeyed, so a crash
    /// at any step leaves a file that opens.
    Rotate,
    /// Writes the key sealed under a passphrase, for a second machine.
    Export {
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        #[arg(long = "passphrase-file", value_name = "PATH")]
        passphrase_file: PathBuf,
    },
    /// Writes the key of an export (or of a backup) to --key-file (a new file, never one that
    /// exists).
    Import {
        #[arg(value_name = "EXPORT")]
        export: PathBuf,
        #[arg(long = "passphrase-file", value_name = "PATH")]
        passphrase_file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum RetentionCommand {
    /// Reduces every case that ended (closed, denied, withdrawn, not covered) before the day:
    /// names, contacts, the request's text, notes, files, letters' bytes and the history's
    /// payloads go; dates, kinds, channel, outcomes and denial bases stay.
    Run {
        /// Lists what would be reduced, touching nothing.
        #[arg(long = "dry-run")]
        dry_run: bool,
        /// Cases ended before this day (default: today minus the profile's period, 24 months).
        #[arg(long, value_name = "DATE")]
        before: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReportCommand {
    /// One case as a PDF for offline review: the request, the clocks, the verification outcome
    /// (never the values), the decisions with their bases, the responses, the letters as pages
    /// with their SHA-256 and the history with the chain's hashes, ending with the chain's head.
    /// `--case` repeated prints a selection of cases as one PDF.
    Dossier {
        #[arg(long = "case", value_name = "NUMBER", required = true)]
        case: Vec<CaseNumber>,
        #[arg(long, value_name = "PATH")]
        out: std::path::PathBuf,
    },
    /// The § 7101 log of the requests received in a date range: date, nature, manner, and per
    /// kind the date and nature of the response with the basis of any denial (no names unless
    /// asked).
    Records {
        #[arg(long, value_name = "DATE")]
        from: NaiveDate,
        #[arg(long, value_name = "DATE")]
        to: NaiveDate,
        #[arg(long, value_enum)]
        format: report::Format,
        /// Adds the requester's name column.
        #[arg(long = "with-names")]
        with_names: bool,
        #[arg(long, value_name = "PATH")]
        out: std::path::PathBuf,
    },
    /// The § 7102 figures of a calendar year per kind: received, complied with in whole or in
    /// part, denied (by reason), median and mean days to respond.
    Metrics {
        #[arg(long, value_name = "YYYY")]
        year: i32,
        #[arg(long, value_enum, default_value = "json")]
        format: report::Format,
        /// Counts requests from people outside the notice on their own.
        #[arg(long = "outside-notice-apart")]
        apart: bool,
        /// Where to write it (required for PDF; JSON and CSV go to stdout without it).
        #[arg(long, value_name = "PATH")]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
pub(crate) enum RowsCommand {
    /// Adds a row (information the request covers that no category of the profile names); it
    /// is decided like the others, and the letters list it by its name.
    Add {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        name: String,
        /// Made from the name when not given.
        #[arg(long, value_name = "CODE", default_value = "")]
        code: String,
        /// Where it came from (a response to know lists it).
        #[arg(long, default_value = "")]
        source: String,
        /// Why it is held.
        #[arg(long, default_value = "")]
        purpose: String,
        /// To whom it is disclosed.
        #[arg(long = "disclosed-to", default_value = "")]
        disclosed_to: String,
        /// Sensitive personal information (Civ. Code § 1798.140(ae)).
        #[arg(long)]
        sensitive: bool,
        /// Health information (a denied correction offers the statement of § 7023(f)(3)).
        #[arg(long)]
        health: bool,
        #[arg(long)]
        json: bool,
    },
    /// Removes a row staff added, while nothing is decided for it.
    Remove {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long, value_name = "CODE")]
        code: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum StatementCommand {
    /// Makes the person's statement (at most 250 words, a UTF-8 text file) part of the record.
    Add {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        /// The row whose correction was denied.
        #[arg(long, value_name = "CODE")]
        category: String,
        /// The piece of information it disputes.
        #[arg(long)]
        item: String,
        /// The day it arrived.
        #[arg(long, value_name = "DATE")]
        on: NaiveDate,
        #[arg(long, value_name = "PATH")]
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The statements kept with a case.
    List {
        #[arg(long = "case", value_name = "NUMBER")]
        case: CaseNumber,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum ExemptionsCommand {
    /// Every basis with its code, citation, the kinds it applies to and the letter's sentence.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub(crate) struct DecideArgs {
    #[arg(long = "case", value_name = "NUMBER")]
    pub case: CaseNumber,
    #[arg(long)]
    pub kind: RequestKind,
    /// A category code of the profile.
    #[arg(long, value_name = "CODE")]
    pub category: String,
    /// disclosed, specific-provided, withheld, none-held, deleted, deidentified, retained,
    /// corrected or denied.
    #[arg(long)]
    pub outcome: String,
    #[arg(long, value_name = "CODE")]
    pub basis: Option<String>,
    /// A record type of the profile's retention schedule (with basis 105d8-legal-obligation).
    #[arg(long, value_name = "CODE")]
    pub record_type: Option<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    /// The category holds information about contraception, pregnancy or perinatal care
    /// (§ 1798.145(a)(2)(A)).
    #[arg(long)]
    pub reproductive_health: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
struct QueueArgs {
    /// Only cases whose clocks still run.
    #[arg(long)]
    open: bool,
    #[arg(long, value_parser = parse_token::<CaseStatus>)]
    status: Option<CaseStatus>,
    #[arg(long, value_parser = parse_token::<RequestKind>)]
    kind: Option<RequestKind>,
    #[arg(long)]
    entity: Option<String>,
    #[arg(long)]
    assignee: Option<String>,
    /// Received on or after this date.
    #[arg(long = "received-from", value_name = "DATE")]
    received_from: Option<NaiveDate>,
    /// Received on or before this date.
    #[arg(long = "received-to", value_name = "DATE")]
    received_to: Option<NaiveDate>,
    /// Words (names, emails, phones, addresses, request text, notes) or a case number.
    #[arg(long)]
    search: Option<String>,
    /// newest-first, oldest-first, number, requester, status, kinds, channel or next-due.
    #[arg(long, value_parser = parse_token::<QueueSort>, default_value = "newest-first")]
    sort: QueueSort,
    /// Rows per page (1 to 200).
    #[arg(long, default_value_t = 50)]
    limit: u32,
    /// Rows to skip.
    #[arg(long, default_value_t = 0)]
    offset: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum IntakeCommand {
    /// Logs one case per email (.eml, or each message of an mbox file), exactly as the window's
    /// "Read an email" does, with the email kept with the case. A message already logged (by
    /// its Message-ID) is skipped and named.
    Email {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The kinds of request (default: those each email's words name; an email naming none
        /// is refused).
        #[arg(long, value_parser = parse_kinds)]
        kinds: Option<KindList>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct DeadlinesArgs {
    /// When the request was received: a date (2026-03-02) or an RFC 3339 instant.
    #[arg(long)]
    received: String,
    /// Comma list of: know-categories, know-specific, delete, correct, opt-out, limit.
    #[arg(long, value_parser = parse_kinds)]
    kinds: KindList,
    /// Business-day calendar: weekends, us-federal or ca-state.
    #[arg(long, default_value = "weekends", value_parser = parse_token::<CalendarPreset>)]
    calendar: CalendarPreset,
    /// The organisation's time zone (IANA name); the legal date of an instant is its date there.
    #[arg(long = "time-zone", default_value = "America/Los_Angeles", value_name = "TZ")]
    time_zone: String,
    /// A closure date of the organisation (not a business day); repeat for more.
    #[arg(long = "closure", value_name = "DATE")]
    closures: Vec<NaiveDate>,
    /// Exclude the day of receipt from the 45/90-day clocks (Gov. Code § 6800 reading).
    #[arg(long)]
    exclude_receipt_day: bool,
    /// Move a 45/90-day due date on a weekend or holiday to the next business day (CCP § 12a reading).
    #[arg(long)]
    roll_forward: bool,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Checks the hash chain of every event; names the first broken link (exit 1) if any.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// The newest changes to the case file itself (settings, profile, templates, logo, staff).
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Prints the profile in force as TOML (or writes it to --out).
    Export {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Saves a new version of the profile from a TOML file, after checking it.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum SettingsCommand {
    /// The clock settings in force.
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Changes the clock settings; flags not given keep their value.
    Set {
        /// weekends, us-federal or ca-state.
        #[arg(long, value_parser = parse_token::<CalendarPreset>)]
        calendar: Option<CalendarPreset>,
        /// counts-as-day-one or excluded.
        #[arg(long = "receipt-day", value_parser = parse_token::<ReceiptDay>)]
        receipt_day: Option<ReceiptDay>,
        /// no-roll-forward or roll-forward.
        #[arg(long = "due-date-roll", value_parser = parse_token::<DueDateRoll>)]
        due_date_roll: Option<DueDateRoll>,
        /// Adds a closure date; repeat for more.
        #[arg(long = "add-closure", value_name = "DATE")]
        add_closures: Vec<NaiveDate>,
        /// Removes a closure date; repeat for more.
        #[arg(long = "remove-closure", value_name = "DATE")]
        remove_closures: Vec<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Sets the staff name kept for this desk (the window's changes are recorded under it).
    Name { name: String },
    /// The staff names known to the case file.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct LetterArgs {
    /// The case number, such as PR-2026-00042.
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    /// The kind of letter (see the README's list: acknowledgment, extension, …, general).
    #[arg(long, value_parser = parse_token::<LetterKind>)]
    kind: LetterKind,
    /// The letter's language, en or es (default: the case's preferred language).
    #[arg(long = "lang", value_parser = parse_token::<Language>)]
    lang: Option<Language>,
    /// General letters: a file with the text of the letter.
    #[arg(long = "body-file", value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// The reason the letter gives: an extension notice's (the extension is recorded), or a
    /// refusal's.
    #[arg(long)]
    reason: Option<String>,
    /// The variant of the letter: opt-out-confirmation has honoured, not-sold and denied-fraud
    /// (default: what the case calls for).
    #[arg(long)]
    variant: Option<String>,
    /// Leave out the fold marks in the left margin.
    #[arg(long = "no-fold-marks")]
    no_fold_marks: bool,
    /// Where to write the PDF (written before the letter is archived).
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    /// know-specific-response: where to write the machine-readable export too (`.csv` for
    /// CSV, anything else JSON); both are kept with the case either way.
    #[arg(long = "export-out", value_name = "PATH")]
    export_out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum LettersCommand {
    /// Sets the letterhead logo from a PNG file (or removes it with --remove).
    Logo {
        #[arg(required_unless_present = "remove")]
        file: Option<PathBuf>,
        #[arg(long, conflicts_with = "file")]
        remove: bool,
    },
    /// Produces (and archives) the letter of every case whose clock for it is due on or before
    /// a date, into one PDF for the printer.
    Batch {
        /// acknowledgment or opt-out-confirmation.
        #[arg(long, value_parser = parse_token::<LetterKind>)]
        kind: LetterKind,
        /// Include cases whose clock is due on or before this date (YYYY-MM-DD).
        #[arg(long = "due-before", value_name = "DATE")]
        due_before: NaiveDate,
        #[arg(long = "no-fold-marks")]
        no_fold_marks: bool,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Records how archived letters were mailed (all of them, or none on any refusal).
    Mail {
        /// Letter ids, comma-separated (from `case show` or a batch).
        #[arg(long = "letter", value_name = "ID,ID", value_delimiter = ',', required = true)]
        letters: Vec<i64>,
        #[arg(long, value_name = "DATE")]
        on: NaiveDate,
        /// first-class or certified.
        #[arg(long, value_parser = parse_token::<MailMethod>, default_value = "first-class")]
        method: MailMethod,
        #[arg(long)]
        tracking: Option<String>,
    },
    /// Writes the archived PDF of a letter (exactly as produced).
    Copy {
        #[arg(long = "letter", value_name = "ID")]
        letter: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
    /// Prints a letter template in force, or saves a new version from a file, or goes back to
    /// the shipped text.
    Template {
        #[arg(long, value_parser = parse_token::<LetterKind>)]
        kind: LetterKind,
        #[arg(long = "lang", value_parser = parse_token::<Language>)]
        lang: Language,
        #[arg(long, value_name = "FILE", conflicts_with = "reset")]
        set: Option<PathBuf>,
        #[arg(long)]
        reset: bool,
    },
}

/// Parses a kebab-case token the way the JSON and the database spell it.
fn parse_token<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| format!("unknown value \"{text}\""))
}

/// The `--kinds` comma list, parsed as one value.
#[derive(Clone)]
struct KindList(Vec<RequestKind>);

fn parse_kinds(text: &str) -> Result<KindList, String> {
    RequestKind::parse_list(text).map(KindList).map_err(|e| e.to_string())
}

/// What every handler that works on a case file gets.
struct Context {
    file: CaseFile,
    /// Where the file's key is kept (a backup and a key export read it again).
    keys: KeySource,
    actor: String,
    now: DateTime<Utc>,
}

/// Parses the command line, runs the command and returns the process exit code.
pub async fn main() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayVersion
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) =>
        {
            let _ = e.print();
            return 0;
        }
        Err(e) => {
            // Scripts read one line: what clap says is wrong, up to its usage and "try --help"
            // (a missing argument is named on the lines after the first).
            let text = e.to_string();
            let said: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
                .collect();
            output::note(if said.is_empty() {
                "error: bad arguments".to_owned()
            } else {
                said.join(" ")
            });
            return 2;
        }
    };
    match run(cli).await {
        Ok(()) => 0,
        Err(e) => {
            let (line, code) = output::refusal(&e);
            output::note(line);
            code
        }
    }
}

async fn run(cli: Cli) -> Result<(), AppError> {
    let actor = cli.actor.clone().unwrap_or_else(service::os_user);
    if let Command::Deadlines(args) = &cli.command {
        return deadlines::run(args);
    }
    if let Command::Exemptions(ExemptionsCommand::List { json }) = &cli.command {
        return decisions::exemptions(*json);
    }
    let given_db = cli.db.is_some();
    let db = match cli.db {
        Some(db) => db,
        None => default_data_dir()
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::Storage,
                    "No data directory is known for this user; give --db PATH.",
                )
            })?
            .join(DATABASE_FILE),
    };
    // What happens before (or instead of) opening the case file.
    match &cli.command {
        Command::Restore {
            backup,
            passphrase_file,
            replace,
            json,
        } => {
            let key_file = cli.key_file.as_deref().ok_or_else(|| {
                AppError::new(
                    ErrorCode::Validation,
                    "restore needs --key-file NEW_KEY: where the restored file's key is kept",
                )
            })?;
            return backup::restore(backup, passphrase_file, &db, key_file, *replace, *json).await;
        }
        Command::Key(KeyCommand::Import {
            export,
            passphrase_file,
        }) => {
            let key_file = cli.key_file.as_deref().ok_or_else(|| {
                AppError::new(
                    ErrorCode::Validation,
                    "key import needs --key-file PATH: where to write the key",
                )
            })?;
            return backup::import_key(export, passphrase_file, given_db.then_some(db.as_path()), key_file).await;
        }
        _ => {}
    }
    let keys = match cli.key_file {
        Some(path) => KeySource::File(path),
        None => KeySource::keyring_for(&db),
    };
    if let Command::Key(KeyCommand::Rotate) = &cli.command {
        return backup::rotate(&db, &keys, &actor).await;
    }
    if let KeySource::File(key_file) = &keys {
        let db_exists = std::fs::metadata(&db).map(|m| m.len() > 0).unwrap_or(false);
        if !db_exists && !cli.create && std::fs::symlink_metadata(key_file).is_ok() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "there is no case file at {} although its key file {} exists; check --db (a mistyped path would start a new, empty case file), or give --create to start one",
                    output::safe(&db.display().to_string()),
                    output::safe(&key_file.display().to_string())
                ),
            ));
        }
    }
    for warning in keys.warnings() {
        output::note(warning);
    }
    let ctx = Context {
        file: CaseFile::open(&db, &keys).await?,
        keys,
        actor,
        now: Utc::now(),
    };
    for notice in ctx.file.notices() {
        output::note(format!("warning: {notice}"));
    }
    let result = dispatch(&ctx, cli.command).await;
    ctx.file.close().await;
    result
}

async fn dispatch(ctx: &Context, command: Command) -> Result<(), AppError> {
    match command {
        Command::Deadlines(_) => unreachable!("answered before the case file is opened"),
        Command::Case(c) => cases::run(ctx, c).await,
        Command::Ack(a) => clocks::ack(ctx, a).await,
        Command::Extend(a) => clocks::extend(ctx, a).await,
        Command::Respond(a) => decisions::respond(ctx, a).await,
        Command::Comply(a) => clocks::act(ctx, a, privacydesk::domain::deadline::ClockKind::Comply).await,
        Command::Queue(q) => queue::queue(ctx, q).await,
        Command::Dashboard { json } => queue::dashboard(ctx, json).await,
        Command::Intake(IntakeCommand::Email { files, kinds, json }) => intake::email(ctx, files, kinds, json).await,
        Command::Import { file, yes } => intake::import(ctx, file, yes).await,
        Command::Audit(a) => audit::run(ctx, a).await,
        Command::Demo { cases, seed } => intake::demo(ctx, cases, seed).await,
        Command::Profile(p) => settings::profile(ctx, p).await,
        Command::Settings(s) => settings::clocks(ctx, s).await,
        Command::Holidays { year, json } => settings::holidays(ctx, year, json).await,
        Command::Staff(s) => settings::staff(ctx, s).await,
        Command::Letter(l) => letters::produce(ctx, l).await,
        Command::Letters(l) => letters::run(ctx, l).await,
        Command::Verify(v) => verify::run(ctx, v).await,
        Command::Exemptions(_) => unreachable!("answered before the case file is opened"),
        Command::Decide(d) => decisions::decide(ctx, d).await,
        Command::Decisions { case, json } => decisions::show(ctx, case, json).await,
        Command::Items(i) => decisions::items(ctx, i).await,
        Command::Rows(r) => decisions::rows(ctx, r).await,
        Command::Statement(st) => decisions::statement(ctx, st).await,
        Command::Retention(RetentionCommand::Run { dry_run, before, json }) => {
            report::retention(ctx, dry_run, before, json).await
        }
        Command::Backup {
            out,
            passphrase_file,
            json,
        } => backup::backup(ctx, &out, &passphrase_file, json).await,
        Command::Restore { .. } | Command::Key(KeyCommand::Import { .. } | KeyCommand::Rotate) => {
            unreachable!("answered before the case file is opened")
        }
        Command::Key(KeyCommand::Export { out, passphrase_file }) => {
            backup::export_key(ctx, &out, &passphrase_file).await
        }
        Command::Report(ReportCommand::Dossier { case, out }) => report::dossier(ctx, &case, &out).await,
        Command::Report(ReportCommand::Records {
            from,
            to,
            format,
            with_names,
            out,
        }) => report::records_log(ctx, from, to, format, with_names, &out).await,
        Command::Report(ReportCommand::Metrics {
            year,
            format,
            apart,
            out,
        }) => report::metrics(ctx, year, format, apart, out.as_deref()).await,
        Command::Notify {
            case,
            provider,
            on,
            not_needed,
            json,
        } => decisions::notify(ctx, case, &provider, on, not_needed.as_deref(), json).await,
    }
}
