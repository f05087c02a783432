//! `privacydesk`: the CLI over the same service functions as the window, for scripts, imports
//! and batch work. Output is one line or JSON; a refusal is one line on stderr with a non-zero
//! exit code (2 for bad input, 1 for anything else).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use privacydesk::domain::calendar::{BusinessCalendar, CalendarPreset};
use privacydesk::domain::deadline::{self, ClockRules, DueDateRoll, ReceiptDay};
use privacydesk::domain::details::{CaseDetails, Correction, Delivery, Language};
use privacydesk::domain::time::{legal_date, parse_time_zone};
use privacydesk::domain::{
    CaseNumber, Channel, FieldError, NewCase, PostalAddress, ReceivedAt, RequestKind, Requester,
};
use privacydesk::letters::LetterKind;
use privacydesk::service::{self, AppError, Clock, ErrorCode, SystemClock};
use privacydesk::store::audit::ChainReport;
use privacydesk::store::key::KeySource;
use privacydesk::store::{default_data_dir, CaseFile, DATABASE_FILE};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "privacydesk",
    version,
    about = "PrivacyDesk: California privacy requests, from intake to response"
)]
struct Cli {
    /// The case file (default: privacydesk.db in the app's data directory).
    #[arg(long, global = true, env = "PRIVACYDESK_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// A file with the case file's key as 64 hex characters, instead of the OS keyring.
    /// Created (mode 0600) with a new random key when neither it nor the case file exists.
    #[arg(long, global = true, env = "PRIVACYDESK_KEY_FILE", value_name = "PATH")]
    key_file: Option<PathBuf>,
    /// Who the audit log names for changes made by this command (default: the OS user).
    #[arg(long, global = true, env = "PRIVACYDESK_ACTOR", value_name = "NAME")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Log and list cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// The legal clocks of a request received at a given time (no case file needed).
    Deadlines(DeadlinesArgs),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Imports requests from a web-form export (.csv or .json): checks every row, reports the bad
    /// ones (file:line: field: reason) and logs the good ones in one transaction once confirmed.
    Import {
        file: PathBuf,
        /// Import the good rows without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Fills the case file with made-up cases, for screenshots and benchmarks.
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
    /// Produces one letter for a case as a PDF, and archives it with the case.
    Letter(LetterArgs),
    /// Letters in bulk.
    #[command(subcommand)]
    Letters(LettersCommand),
}

#[derive(Args)]
struct LetterArgs {
    /// The case number, such as PR-2026-00042.
    #[arg(long = "case", value_name = "NUMBER")]
    case: CaseNumber,
    /// acknowledgment, extension, opt-out-confirmation, not-covered or general.
    #[arg(long, value_parser = parse_letter_kind)]
    kind: LetterKind,
    /// en or es (default: the case's preferred language).
    #[arg(long = "lang", value_parser = parse_language)]
    lang: Option<Language>,
    /// General letters: a file with the text of the letter.
    #[arg(long = "body-file", value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// Extension notices: the reason given to the person (the extension is recorded).
    #[arg(long)]
    reason: Option<String>,
    /// Leave out the fold marks in the left margin.
    #[arg(long = "no-fold-marks")]
    no_fold_marks: bool,
    /// Where to write the PDF.
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
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
        #[arg(long, value_parser = parse_letter_kind)]
        kind: LetterKind,
        /// Include cases whose clock is due on or before this date (YYYY-MM-DD).
        #[arg(long = "due-before", value_name = "DATE")]
        due_before: NaiveDate,
        #[arg(long = "no-fold-marks")]
        no_fold_marks: bool,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

fn parse_letter_kind(text: &str) -> Result<LetterKind, String> {
    LetterKind::from_token(text).ok_or_else(|| {
        format!(
            "unknown letter kind {text:?}; use one of: {}",
            LetterKind::ALL.map(LetterKind::token).join(", ")
        )
    })
}

fn parse_language(text: &str) -> Result<Language, String> {
    match text {
        "en" => Ok(Language::En),
        "es" => Ok(Language::Es),
        _ => Err(format!("unknown language {text:?}; use en or es")),
    }
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), AppError> {
    std::fs::write(path, bytes)
        .map_err(|e| AppError::new(ErrorCode::Storage, format!("{} cannot be written: {e}", path.display())))
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
enum AuditCommand {
    /// Checks the hash chain of every event; names the first broken link (exit 1) if any.
    Verify,
}

#[derive(Args)]
struct DeadlinesArgs {
    /// When the request was received: a date (2026-03-02) or an RFC 3339 instant.
    #[arg(long)]
    received: String,
    /// Comma list of: know-categories, know-specific, delete, correct, opt-out, limit.
    #[arg(long, value_parser = parse_kinds)]
    kinds: KindList,
    /// Business-day calendar: us-federal, ca-state or weekends.
    #[arg(long, default_value = "us-federal")]
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
enum CaseCommand {
    /// Log a new request; prints its case number (or the case as JSON with --json).
    Add(Box<AddCase>),
    /// Lists every case, newest received first.
    List {
        /// Print a JSON array of cases.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct AddCase {
    /// The requester's full name.
    #[arg(long)]
    name: String,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    /// A street line of the postal address; repeat for more lines.
    #[arg(long = "address-line", value_name = "LINE")]
    address_lines: Vec<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    state: Option<String>,
    #[arg(long = "postal-code", value_name = "ZIP")]
    postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 country code of the postal address.
    #[arg(long, default_value = "US", value_name = "ISO2")]
    country: String,
    /// Comma list of: know-categories, know-specific, delete, correct, opt-out, limit.
    #[arg(long, value_parser = parse_kinds)]
    kinds: KindList,
    /// One of: email, phone, web-form, postal-mail, in-person.
    #[arg(long)]
    channel: Channel,
    /// When it was received: a date (2026-03-02) or an RFC 3339 instant (2026-03-02T17:05:00Z).
    #[arg(long)]
    received: String,
    /// Code of the legal entity (from the organisation profile), or `not-listed`.
    #[arg(long)]
    entity: Option<String>,
    /// Code of the requester's relationship to it (from the profile), or `not-listed`.
    #[arg(long)]
    relationship: Option<String>,
    /// Preferred language: en or es.
    #[arg(long, default_value = "en", value_parser = parse_token::<Language>)]
    language: Language,
    /// How the response should be delivered: postal-mail or email.
    #[arg(long, value_parser = parse_token::<Delivery>)]
    delivery: Option<Delivery>,
    /// The request as the person wrote it.
    #[arg(long, default_value = "")]
    description: String,
    /// For a request to correct: what the person says is wrong.
    #[arg(long = "correction-wrong", value_name = "TEXT")]
    correction_wrong: Option<String>,
    /// For a request to correct: what it should be.
    #[arg(long = "correction-right", value_name = "TEXT")]
    correction_right: Option<String>,
    /// Print the new case as JSON instead of its number.
    #[arg(long)]
    json: bool,
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

impl AddCase {
    fn to_new_case(&self) -> NewCase {
        let has_address =
            !self.address_lines.is_empty() || self.city.is_some() || self.state.is_some() || self.postal_code.is_some();
        NewCase {
            requester: Requester {
                name: self.name.clone(),
                email: self.email.clone(),
                phone: self.phone.clone(),
                address: has_address.then(|| PostalAddress {
                    lines: self.address_lines.clone(),
                    city: self.city.clone().unwrap_or_default(),
                    state: self.state.clone(),
                    postal_code: self.postal_code.clone(),
                    country: self.country.clone(),
                }),
            },
            channel: self.channel,
            kinds: self.kinds.0.clone(),
            received: self.received.clone(),
            details: CaseDetails {
                entity: self.entity.clone(),
                relationship: self.relationship.clone(),
                language: self.language,
                delivery: self.delivery,
                description: self.description.clone(),
                correction: (self.correction_wrong.is_some() || self.correction_right.is_some()).then(|| Correction {
                    wrong: self.correction_wrong.clone().unwrap_or_default(),
                    right: self.correction_right.clone().unwrap_or_default(),
                }),
                agent: None,
            },
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
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
            e.exit()
        }
        Err(e) => {
            // Scripts read one line: clap's first line says what is wrong ("try --help" follows).
            let text = e.to_string();
            eprintln!("{}", text.lines().next().unwrap_or("error: bad arguments"));
            return ExitCode::from(2);
        }
    };
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let detail = e
                .fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ");
            if detail.is_empty() {
                eprintln!("error: {}", e.message);
            } else {
                eprintln!("error: {detail}");
            }
            ExitCode::from(if e.code == ErrorCode::Validation { 2 } else { 1 })
        }
    }
}

async fn run(cli: Cli) -> Result<(), AppError> {
    let actor = cli.actor.clone().unwrap_or_else(service::os_user);
    if let Command::Deadlines(args) = &cli.command {
        return deadlines(args);
    }
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
    let keys = match cli.key_file {
        Some(path) => KeySource::File(path),
        None => KeySource::keyring_for(&db),
    };
    let file = CaseFile::open(&db, &keys).await?;
    let result = match cli.command {
        Command::Deadlines(_) => unreachable!("answered above without a case file"),
        Command::Audit(AuditCommand::Verify) => match service::cases::verify_audit(&file).await? {
            ChainReport::Intact { events } => {
                println!("audit log intact: {events} events");
                Ok(())
            }
            ChainReport::Broken { at_event, reason } => Err(AppError::new(
                ErrorCode::Storage,
                format!("audit log broken at event {at_event}: {reason}"),
            )),
        },
        Command::Import { file: path, yes } => {
            let bytes = std::fs::read(&path)
                .map_err(|e| AppError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", path.display())))?;
            let plan = service::import::plan(&file, &path.display().to_string(), &bytes, SystemClock.now()).await?;
            for p in &plan.problems {
                println!("{}:{}: {}: {}", p.file, p.line, p.field, p.reason);
            }
            let bad_lines = service::import::report(&plan).len();
            println!("{} good rows, {bad_lines} rows with problems", plan.good.len());
            if plan.good.is_empty() {
                return Err(AppError::new(ErrorCode::Validation, "Nothing to import."));
            }
            let confirmed = yes || {
                use std::io::{BufRead, IsTerminal, Write};
                std::io::stdin().is_terminal() && {
                    eprint!("Import the {} good rows? [y/N] ", plan.good.len());
                    let _ = std::io::stderr().flush();
                    let mut answer = String::new();
                    let _ = std::io::stdin().lock().read_line(&mut answer);
                    matches!(answer.trim(), "y" | "Y" | "yes")
                }
            };
            if confirmed {
                let numbers = service::import::run(&file, &plan, SystemClock.now(), &actor).await?;
                println!(
                    "imported {} requests: {} … {}",
                    numbers.len(),
                    numbers[0],
                    numbers[numbers.len() - 1]
                );
            } else {
                println!("nothing imported (confirm, or run again with --yes)");
            }
            Ok(())
        }
        Command::Demo { cases, seed } => {
            let started = std::time::Instant::now();
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let added = service::demo::generate(&file, cases, seed, SystemClock.now(), |done| {
                if tty {
                    eprint!("\r{done} / {cases} cases");
                }
            })
            .await?;
            if tty {
                eprintln!();
            }
            println!("added {added} demo cases in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Letter(args) => {
            let body = match &args.body_file {
                Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                    AppError::new(ErrorCode::Storage, format!("{} cannot be read: {e}", path.display()))
                })?),
                None => None,
            };
            let request = service::letters::LetterRequest {
                kind: args.kind,
                language: args.lang,
                body,
                reason: args.reason.clone(),
                fold_marks: !args.no_fold_marks,
            };
            let (letter, bytes) =
                service::letters::produce(&file, args.case, &request, SystemClock.now(), &actor).await?;
            write_file(&args.out, &bytes)?;
            println!(
                "{} letter {} for {} ({} {}, {}) written to {} and archived",
                args.kind.label(),
                letter.id,
                letter.case_number,
                letter.pages,
                if letter.pages == 1 { "page" } else { "pages" },
                letter.language,
                args.out.display()
            );
            Ok(())
        }
        Command::Letters(LettersCommand::Logo { file: path, .. }) => {
            let png =
                match &path {
                    Some(p) => Some(std::fs::read(p).map_err(|e| {
                        AppError::new(ErrorCode::Storage, format!("{} cannot be read: {e}", p.display()))
                    })?),
                    None => None,
                };
            service::letters::set_letterhead_logo(&file, png.as_deref(), SystemClock.now(), &actor).await?;
            println!(
                "{}",
                if png.is_some() {
                    "letterhead logo set"
                } else {
                    "letterhead logo removed"
                }
            );
            Ok(())
        }
        Command::Letters(LettersCommand::Batch {
            kind,
            due_before,
            no_fold_marks,
            out,
        }) => {
            let request = service::letters::BatchRequest {
                kind,
                due_before,
                fold_marks: !no_fold_marks,
            };
            let now = SystemClock.now();
            let numbers = service::letters::batch_cases(&file, &request, now).await?;
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let never = std::sync::atomic::AtomicBool::new(false);
            let outcome = service::letters::batch(&file, &numbers, &request, now, &actor, &never, |done, total| {
                if tty {
                    let filled = done * 30 / total.max(1);
                    eprint!(
                        "\r[{}{}] {done} / {total} letters",
                        "#".repeat(filled),
                        " ".repeat(30 - filled)
                    );
                }
            })
            .await?;
            if tty && !numbers.is_empty() {
                eprintln!();
            }
            for skip in &outcome.skipped {
                eprintln!("{}: skipped: {}", skip.number, skip.reason);
            }
            if outcome.letters == 0 {
                println!("no {} letters due on or before {due_before}", kind.label());
                return Ok(());
            }
            write_file(&out, &outcome.pdf)?;
            println!(
                "{} {} letters ({} pages) written to {} and archived (letters {}); {} skipped",
                outcome.letters,
                kind.label(),
                outcome.pages,
                out.display(),
                outcome
                    .letter_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                outcome.skipped.len()
            );
            Ok(())
        }
        Command::Profile(ProfileCommand::Export { out }) => {
            let view = service::profile::current_profile(&file).await?;
            match out {
                Some(path) => std::fs::write(&path, &view.document).map_err(|e| {
                    AppError::new(ErrorCode::Storage, format!("{} cannot be written: {e}", path.display()))
                })?,
                None => print!("{}", view.document),
            }
            Ok(())
        }
        Command::Profile(ProfileCommand::Import { file: path }) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| AppError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", path.display())))?;
            let view = service::profile::save_profile(&file, &text, SystemClock.now(), &actor).await?;
            println!("profile version {} in force", view.version);
            for w in &view.warnings {
                eprintln!("warning: {w}");
            }
            Ok(())
        }
        Command::Case(CaseCommand::Add(add)) => {
            let case = service::cases::log_request(&file, &add.to_new_case(), SystemClock.now(), &actor).await?;
            if add.json {
                println!("{}", to_json(&case)?);
            } else {
                println!("{}", case.number);
            }
            Ok(())
        }
        Command::Case(CaseCommand::List { json }) => {
            let cases = service::cases::list_cases(&file).await?;
            if json {
                println!("{}", to_json(&cases)?);
            } else {
                for c in &cases {
                    let kinds = c.kinds.iter().map(|k| k.token()).collect::<Vec<_>>().join(",");
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        c.number, c.received_date, c.status, c.channel, kinds, c.requester.name
                    );
                }
            }
            Ok(())
        }
    };
    file.close().await;
    result
}

/// `privacydesk deadlines`: the same derivation the app uses, from the command line.
fn deadlines(args: &DeadlinesArgs) -> Result<(), AppError> {
    let invalid = |field: &str, message: String| AppError {
        code: ErrorCode::Validation,
        message: message.clone(),
        fields: vec![FieldError {
            field: field.to_owned(),
            message,
        }],
    };
    let zone = parse_time_zone(&args.time_zone).map_err(|m| invalid("time_zone", m))?;
    let received = ReceivedAt::parse(&args.received).map_err(|m| invalid("received", m))?;
    let received_date = match received {
        ReceivedAt::Date(date) => date,
        other => legal_date(other.to_instant(zone).map_err(|m| invalid("received", m))?, zone),
    };
    if args.kinds.0.is_empty() {
        return Err(invalid("kinds", "Choose at least one kind of request.".to_owned()));
    }
    let calendar = BusinessCalendar::new(args.calendar, args.closures.iter().copied());
    let rules = ClockRules {
        receipt_day: if args.exclude_receipt_day {
            ReceiptDay::Excluded
        } else {
            ReceiptDay::CountsAsDayOne
        },
        due_date_roll: if args.roll_forward {
            DueDateRoll::RollForward
        } else {
            DueDateRoll::NoRollForward
        },
    };
    let clocks = deadline::derive(received_date, zone.name(), &args.kinds.0, &calendar, rules);
    if args.json {
        let out = serde_json::json!({
            "received_date": received_date,
            "calendar": args.calendar,
            "time_zone": zone.name(),
            "clocks": clocks,
        });
        println!("{}", to_json(&out)?);
    } else {
        for c in &clocks {
            println!("{:<17} {}  {}", c.clock.token(), c.due, c.explanation);
        }
    }
    Ok(())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string_pretty(value).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}
