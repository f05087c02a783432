//! The IPC surface: every command the window may call, declared once.
//!
//! [`app_commands!`] generates from one table the `#[tauri::command]` wrappers, the handler, the
//! list of command names (checked against `command_names.rs`, which grants nothing by itself:
//! `capabilities/main-window.json` does) and the TypeScript client in `ui/src/lib/bindings/`,
//! so the UI never spells a command name or mirrors a Rust type by hand. The committed bindings
//! are compared with freshly generated ones by a test; `make bindings` rewrites them.

use crate::commands::raw::{self, BatchProgress};
use crate::commands::{app, backup, cases, deadlines, letters};
use crate::state::AppState;
use chrono::NaiveDate;
use privacydesk::domain::calendar::Holiday;
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::deadline::ClockSettings;
use privacydesk::domain::decision::DecisionInput;
use privacydesk::domain::details::Language;
use privacydesk::domain::letter::{ArchivedLetter, LetterKind};
use privacydesk::domain::profile::OrganisationProfile;
use privacydesk::domain::queue::QueueQuery;
use privacydesk::domain::records::Metrics;
use privacydesk::domain::verification::{AgentEvidence, PointResult};
use privacydesk::domain::{Case, CaseNumber, NewCase, RequestKind, Requester};
use privacydesk::service::backup::{BackupDone, BackupStatus, RestoreDone};
use privacydesk::service::case_view::{CaseView, HistoryEntry};
use privacydesk::service::clocks::ActInput;
use privacydesk::service::decisions::{DecisionMatrix, RowInput, StatementInput};
use privacydesk::service::drafts::IntakeDraft;
use privacydesk::service::email::EmailIntake;
use privacydesk::service::import::{ImportCheck, ImportDone};
use privacydesk::service::letters::{
    BatchOutcome, BatchPlan, BatchRequest, LetterKindInfo, LetterLanguage, LetterPreview, LetterRequest,
    LetterTemplate, Mailing,
};
use privacydesk::service::lifecycle::StatusMove;
use privacydesk::service::profile::ProfileView;
use privacydesk::service::queue::{Dashboard, QueuePage};
use privacydesk::service::records::{DashboardFigures, ReportFormat};
use privacydesk::service::reference::{PointMatch, ReferenceExtract};
use privacydesk::service::retention::RetentionReport;
use privacydesk::service::specific::SpecificItem;
use privacydesk::service::verification::VerificationView;
use privacydesk::service::warnings::IntakeWarnings;
use privacydesk::service::AppError;
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::{Config, TypeVisitor, TS};

pub use app::AppStatus;

macro_rules! app_commands {
    (
        $( $(#[doc = $doc:literal])* fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty = $body:path; )*
        // Commands written by hand (raw bytes, channels), each with its TypeScript client and
        // the types that client names.
        raw {
            $( $(#[doc = $rdoc:literal])* fn $rname:ident = $rpath:path, uses ($($rty:ty),*), client $client:literal; )*
        }
    ) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(state: tauri::State<'_, AppState>, $($arg: $ty),*) -> Result<$ret, AppError> {
                $body(&state, $($arg),*).await
            }
        )*

        /// The names of every registered command.
        pub const REGISTERED: &[&str] = &[$(stringify!($name),)* $(stringify!($rname)),*];

        /// The invoke handler for every command above.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)* $($rpath),*]
        }

        /// Writes every type the commands use, and `commands.ts`, into `dir`.
        pub fn export_bindings(dir: &Path) -> Result<(), String> {
            let cfg = Config::new().with_out_dir(dir).with_large_int("number");
            let mut exporter = Exporter { cfg: &cfg, error: None, imports: BTreeMap::new() };
            $( $( exporter.visit::<$ty>(); )* exporter.visit::<$ret>(); )*
            $( $( exporter.visit::<$rty>(); )* )*
            exporter.visit::<AppError>();
            if let Some(e) = exporter.error { return Err(e); }
            let mut body = String::from("\n/** Every command of the app, typed from the Rust signatures. Errors reject with an `AppError`. */\nexport const commands = {\n");
            $(
                let docs: &[&str] = &[$($doc),*];
                if !docs.is_empty() {
                    body.push_str(&format!("  /**{} */\n", docs.join("\n   *")));
                }
                let params: Vec<String> = vec![$(format!("{}: {}", camel(stringify!($arg)), <$ty as TS>::name(&cfg))),*];
                let args: Vec<String> = vec![$(camel(stringify!($arg))),*];
                let ret = <$ret as TS>::name(&cfg);
                let payload = if args.is_empty() { String::new() } else { format!(", {{ {} }}", args.join(", ")) };
                body.push_str(&format!(
                    "  {}: ({}): Promise<{}> => invoke<{}>(\"{}\"{}),\n",
                    camel(stringify!($name)), params.join(", "), ret, ret, stringify!($name), payload
                ));
            )*
            $(
                let docs: &[&str] = &[$($rdoc),*];
                if !docs.is_empty() {
                    body.push_str(&format!("  /**{} */\n", docs.join("\n   *")));
                }
                body.push_str(&format!("  {}: {},\n", camel(stringify!($rname)), $client));
            )*
            body.push_str("};\n");
            // Import only the types the signatures name (the rest are reached through them).
            let words: std::collections::BTreeSet<&str> = body.split(|c: char| !c.is_alphanumeric() && c != '_').collect();
            let mut ts = String::from("// Generated from src-tauri/src/ipc.rs by `make bindings`; do not edit.\n");
            ts.push_str("import { Channel as IpcChannel, invoke } from \"@tauri-apps/api/core\";\n");
            for name in exporter.imports.keys().filter(|n| words.contains(n.as_str())) {
                ts.push_str(&format!("import type {{ {name} }} from \"./{name}\";\n"));
            }
            ts.push_str(&body);
            std::fs::write(dir.join("commands.ts"), ts).map_err(|e| e.to_string())
        }
    };
}

app_commands! {
    /// Whether the case file is open (or why not), and the organisation's time zone.
    fn app_status() -> AppStatus = app::app_status;
    /// Logs a new request, with any files to keep with it, in one transaction; rejects with a
    /// `validation` error naming each bad field.
    fn create_case(input: NewCase, files: Vec<FileId>) -> Case = cases::create_case;
    /// Logs a request read from an email (checked in the form), keeping the email; refused when
    /// the same message was logged before.
    fn create_case_from_email(input: NewCase, email: FileId) -> Case = cases::create_case_from_email;
    /// The organisation profile in force, with its version and what letters still need.
    fn current_profile() -> ProfileView = app::current_profile;
    /// Saves a new version of the profile from TOML; refused, with line and column, when invalid.
    fn save_profile(document: String) -> ProfileView = app::save_profile;
    /// Saves the profile form (the profile and the time zone); every problem names its field.
    fn save_profile_form(profile_form: OrganisationProfile, time_zone: String) -> ProfileView = app::save_profile_form;
    /// The time zones the profile form offers (IANA names).
    fn time_zones() -> Vec<String> = app::time_zones;
    /// Keeps the name of the person at this desk, for the case history.
    fn set_staff_name(name: String) -> String = app::set_staff_name;
    /// The new request left half-typed at this desk, if any.
    fn intake_draft() -> Option<IntakeDraft> = app::intake_draft;
    /// Keeps the new request as typed so far (in the encrypted case file).
    fn save_intake_draft(document: String) -> () = app::save_intake_draft;
    /// Throws the intake draft away.
    fn discard_intake_draft() -> () = app::discard_intake_draft;
    /// Reads a staged `.eml` file into what the intake form needs.
    fn read_email(file: FileId) -> EmailIntake = cases::read_email;
    /// Keeps a staged file with a case, inside the encrypted case file.
    fn add_attachment(number: CaseNumber, file: FileId) -> CaseView = cases::add_attachment;
    /// Forgets staged files that were taken off a form.
    fn discard_files(files: Vec<FileId>) -> () = cases::discard_files;
    /// Saves a copy of an attachment in the Downloads folder; returns its path.
    fn save_attachment_copy(id: i64) -> String = cases::save_attachment_copy;
    /// Opens a file kept with a case in the desktop's application for its type.
    fn open_attachment(id: i64) -> () = cases::open_attachment;
    /// Checks every row of a staged web-form export (.csv or .json); stores nothing. The file
    /// stays staged for `run_import` (or until `discard_files`).
    fn check_import(file: FileId) -> ImportCheck = cases::check_import;
    /// Open cases from the same person, and the § 1798.130(b) limit for requests to know.
    fn intake_warnings(requester: Requester, kinds: Vec<RequestKind>) -> IntakeWarnings = cases::intake_warnings;
    /// One case as its screen shows it: details, moves, clocks, notes, files, letters, history.
    fn case_view(number: CaseNumber) -> CaseView = cases::case_view;
    /// Replaces what intake recorded, if nobody saved the case since `version` (else `conflict`).
    fn edit_case(number: CaseNumber, version: i64, input: NewCase) -> CaseView = cases::edit_case;
    /// Assigns a case to a staff member (an empty name: to nobody).
    fn assign_case(number: CaseNumber, assignee: String) -> CaseView = cases::assign_case;
    /// Staff names known to the case file, for the assignee picker and filter.
    fn staff_names() -> Vec<String> = cases::staff_names;
    /// Adds a note to a case.
    fn add_note(number: CaseNumber, body: String) -> CaseView = cases::add_note;
    /// The identity verification of a case (11 CCR §§ 7060-7063).
    fn case_verification(number: CaseNumber) -> VerificationView = cases::case_verification;
    /// Records what the person gave for a data point and how it compared (the value stays out
    /// of the history and the search, and is purged once the request has served).
    fn check_point(number: CaseNumber, field: String, given: String, result: PointResult) -> VerificationView = cases::check_point;
    /// The signed declaration: a staged file, or the date a paper one was received.
    fn record_declaration(number: CaseNumber, file: Option<FileId>, received_on: Option<NaiveDate>) -> VerificationView = cases::record_declaration;
    /// An authorised agent's evidence (§ 7063).
    fn record_agent_evidence(number: CaseNumber, evidence: AgentEvidence) -> VerificationView = cases::record_agent_evidence;
    /// Concludes one kind: verified (refused with what is missing) or failed (with the reason).
    fn conclude_verification(number: CaseNumber, kind: RequestKind, verified: bool, reason: String) -> VerificationView = cases::conclude_verification;
    /// Deletes what the person gave to verify their identity, once the request was answered.
    fn purge_verification(number: CaseNumber) -> VerificationView = cases::purge_verification;
    /// The decision matrix of a case: per category and kind, what is done and on which basis.
    fn case_decisions(number: CaseNumber) -> DecisionMatrix = cases::case_decisions;
    /// Records what is done with one category for one kind (refused with the reason).
    fn decide(number: CaseNumber, input: DecisionInput) -> DecisionMatrix = cases::decide;
    /// The specific pieces a response to know gives, per category.
    fn case_items(number: CaseNumber) -> Vec<SpecificItem> = cases::case_items;
    /// Adds one specific piece (a § 7024(d) value is not kept).
    fn add_item(number: CaseNumber, category: String, label: String, value: String) -> Vec<SpecificItem> = cases::add_item;
    /// Adds a row to the case's matrix (information beyond the profile's categories).
    fn add_row(number: CaseNumber, input: RowInput) -> DecisionMatrix = cases::add_row;
    /// Removes a row staff added, while nothing is decided for it.
    fn remove_row(number: CaseNumber, code: String) -> DecisionMatrix = cases::remove_row;
    /// Makes the person's statement about denied health information part of the record.
    fn record_statement(number: CaseNumber, input: StatementInput) -> DecisionMatrix = cases::record_statement;
    /// Records that a service provider was told of a deletion on a day, or why there was no need.
    fn notify_provider(number: CaseNumber, provider: String, on: Option<NaiveDate>, not_needed: Option<String>) -> DecisionMatrix = cases::notify_provider;
    /// What the system-of-record extract says of a value the person gave (before staff record it).
    fn suggest_point(number: CaseNumber, field: String, given: String) -> Option<PointMatch> = cases::suggest_point;
    /// The system-of-record extract in force (how many records, which data points), if any.
    fn reference_extract() -> Option<ReferenceExtract> = cases::reference_extract;
    /// Loads a staged system-of-record extract (CSV), replacing the one in force.
    fn load_reference_extract(file: FileId) -> ReferenceExtract = cases::load_reference_extract;
    /// Moves a case along its lifecycle; a reason is required; "acknowledged" records the
    /// confirmation of receipt.
    fn change_status(number: CaseNumber, request: StatusMove) -> CaseView = cases::change_status;
    /// One page of cases matching the filters and search, each with its next pending clock.
    fn list_queue(query: QueueQuery) -> QueuePage = deadlines::list_queue;
    /// How many cases match the filters and search (all pages).
    fn queue_count(query: QueueQuery) -> u64 = deadlines::queue_count;
    /// Records the confirmation of receipt (§ 7021(a)).
    fn record_acknowledgment(number: CaseNumber, acknowledgment: Acknowledgment) -> CaseView = deadlines::record_acknowledgment;
    /// Records the one extension; refused after the response date, twice, or without a reason.
    fn record_extension(number: CaseNumber, extension: Extension) -> CaseView = deadlines::record_extension;
    /// Records the response sent, or the opt-out/limit honoured.
    fn record_act(number: CaseNumber, act: ActInput) -> CaseView = deadlines::record_act;
    /// Pending clocks overdue, due today and due in the next 7 days.
    fn dashboard() -> Dashboard = deadlines::dashboard;
    /// Open cases by status, each clock's on-time share over the last 12 months, the oldest open case.
    fn dashboard_figures() -> DashboardFigures = deadlines::dashboard_figures;
    /// The § 7102 figures of a calendar year (the same as `report metrics`).
    fn report_metrics(year: i32, apart: bool) -> Metrics = deadlines::report_metrics;
    /// Saves the metrics of a year in the Downloads folder (PDF with the charts, CSV or JSON).
    fn save_metrics_report(year: i32, apart: bool, format: ReportFormat) -> String = deadlines::save_metrics_report;
    /// Saves the § 7101 log of a date range in the Downloads folder.
    fn save_records_log(from: NaiveDate, to: NaiveDate, with_names: bool, format: ReportFormat) -> String = deadlines::save_records_log;
    /// The calendar, closure dates and the two readings in force.
    fn clock_settings() -> ClockSettings = deadlines::clock_settings;
    /// Replaces the clock settings (in the case file's history).
    fn save_clock_settings(settings: ClockSettings) -> ClockSettings = deadlines::save_clock_settings;
    /// The weekdays the calendar in force closes in a year.
    fn holidays(year: i32) -> Vec<Holiday> = deadlines::holidays;
    /// The newest changes to the case file itself (settings, profile, templates, logo, staff).
    fn file_history() -> Vec<HistoryEntry> = deadlines::file_history;
    /// The pages a letter would have, without archiving it.
    fn preview_letter(number: CaseNumber, request: LetterRequest) -> LetterPreview = letters::preview_letter;
    /// Produces a letter and archives it with the case (an extension notice records the extension).
    fn produce_letter(number: CaseNumber, request: LetterRequest) -> ArchivedLetter = letters::produce_letter;
    /// Saves a copy of an archived letter in the Downloads folder; returns the path.
    fn save_letter_copy(id: i64) -> String = letters::save_letter_copy;
    /// Opens an archived letter in the desktop's PDF viewer.
    fn open_letter(id: i64) -> () = letters::open_letter;
    /// Records how a letter was mailed (once).
    fn mark_letter_mailed(id: i64, mailing: Mailing) -> ArchivedLetter = letters::mark_letter_mailed;
    /// Every kind of letter, with what it asks for and its variants.
    fn letter_kinds() -> Vec<LetterKindInfo> = letters::letter_kinds;
    /// Every language letters can be written in, with its own name.
    fn letter_languages() -> Vec<LetterLanguage> = letters::letter_languages;
    /// The template in force for every kind and language.
    fn letter_templates() -> Vec<LetterTemplate> = letters::letter_templates;
    /// Saves a new version of a template after checking it.
    fn save_letter_template(kind: LetterKind, language: Language, body: String) -> LetterTemplate = letters::save_letter_template;
    /// Puts a template back to the text shipped with PrivacyDesk.
    fn reset_letter_template(kind: LetterKind, language: Language) -> LetterTemplate = letters::reset_letter_template;
    /// Records the same mailing for every letter of a printed batch (all, or none).
    fn mark_letters_mailed(ids: Vec<i64>, mailing: Mailing) -> usize = letters::mark_letters_mailed;
    /// Sets the letterhead logo from a staged PNG, or removes it with null.
    fn set_letterhead_logo(png: Option<FileId>) -> () = letters::set_letterhead_logo;
    /// A template as edited, not saved, with a sample case and the profile in force.
    fn preview_letter_template(kind: LetterKind, language: Language, body: String) -> LetterPreview = letters::preview_letter_template;
    /// What a batch would print and the cases it cannot, each with the reason.
    fn plan_letter_batch(request: BatchRequest) -> BatchPlan = letters::plan_letter_batch;
    /// Stops the running batch after the letter in hand.
    fn cancel_letter_batch() -> bool = letters::cancel_letter_batch;
    /// Saves a case's dossier (PDF for offline review) in the Downloads folder and says where.
    fn save_dossier(number: CaseNumber) -> String = deadlines::save_dossier;
    /// Saves one dossier of the cases named in `cases` (numbers separated by commas, spaces or
    /// lines) in the Downloads folder and says where.
    fn save_selection_dossier(cases: String) -> String = deadlines::save_selection_dossier;
    /// The last backup of the case file (from its history) and the folder a new one goes to.
    fn backup_status() -> BackupStatus = backup::backup_status;
    /// Writes an encrypted backup into `folder`, its key sealed under `passphrase` (typed twice).
    fn back_up_now(folder: String, passphrase: String, again: String) -> BackupDone = backup::back_up_now;
    /// Restores the backup at `path` over the case file (which is set aside, not deleted) and
    /// opens the restored file in its place.
    fn restore_backup(path: String, passphrase: String) -> RestoreDone = backup::restore_backup;
    /// Makes a backup into `folder` every day, keeping the last `keep` there; the passphrase
    /// (typed twice) is kept where the key is, for them to run unattended. One is made at once
    /// unless the folder has one less than a day old.
    fn set_backup_schedule(folder: String, keep: u32, passphrase: String, again: String) -> BackupStatus = backup::set_backup_schedule;
    /// Stops the daily backups (those made stay) and forgets their passphrase.
    fn stop_backup_schedule() -> BackupStatus = backup::stop_backup_schedule;
    /// Writes the case file's key, sealed under `passphrase` (typed twice), into `folder`: a
    /// key export for a second machine or for the day the keyring loses it; returns its path.
    fn export_key(folder: String, passphrase: String, again: String) -> String = backup::export_key;
    /// Replaces the case file's key with a new one and reopens the file with it.
    fn rotate_key() -> () = backup::rotate_key;
    /// With the key lost (start-up screen): takes the key from a key export or a backup,
    /// checked to open the case file, and opens it; returns where the key kept before went.
    fn use_key_export(path: String, passphrase: String) -> Option<String> = backup::use_key_export;
    /// The ended cases a retention run would reduce now (a dry run: nothing changes).
    fn plan_retention() -> RetentionReport = deadlines::plan_retention;
    /// Stops the running retention run after the case in hand.
    fn cancel_retention() -> bool = letters::cancel_letter_batch;

    raw {
        /// Hands a file chosen in the window to the app (its bytes as they are); returns the id
        /// the command that keeps, reads or imports it takes.
        fn stage_file = raw::stage_file, uses (), client "(bytes: Uint8Array, name: string, mediaType: string): Promise<number> => invoke<number>(\"stage_file\", bytes, { headers: { \"x-file-name\": encodeURIComponent(name), \"x-media-type\": encodeURIComponent(mediaType) } })";
        /// The letterhead logo's PNG bytes (empty when none is set).
        fn letterhead_logo = raw::letterhead_logo, uses (), client "(): Promise<ArrayBuffer> => invoke<ArrayBuffer>(\"letterhead_logo\")";
        /// Reduces the ended cases due before `before` (the day the person confirmed from the
        /// plan); calls `onProgress` after each batch.
        fn run_retention = raw::run_retention, uses (RetentionReport, BatchProgress), client "(before: string, onProgress: (progress: BatchProgress) => void): Promise<RetentionReport> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<RetentionReport>(\"run_retention\", { before, progress }); }";
        /// Logs the good rows of a checked export, all in one transaction; calls `onProgress`
        /// after each batch of rows.
        fn run_import = raw::run_import, uses (ImportDone, BatchProgress), client "(file: number, expected: number, onProgress: (progress: BatchProgress) => void): Promise<ImportDone> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<ImportDone>(\"run_import\", { file, expected, progress }); }";
        /// Prints a batch into one PDF in the Downloads folder, archiving each letter; calls
        /// `onProgress` after each.
        fn print_letter_batch = raw::print_letter_batch, uses (BatchRequest, BatchOutcome, BatchProgress), client "(request: BatchRequest, onProgress: (progress: BatchProgress) => void): Promise<BatchOutcome> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<BatchOutcome>(\"print_letter_batch\", { request, progress }); }";
    }
}

/// A file staged with `stage_file`, as the commands that use it name it.
type FileId = u64;

/// Exports each exportable type reached from the command signatures, and remembers which
/// names `commands.ts` must import.
struct Exporter<'a> {
    cfg: &'a Config,
    error: Option<String>,
    imports: BTreeMap<String, ()>,
}

impl TypeVisitor for Exporter<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.imports.insert(T::ident(self.cfg), ());
            if let Err(e) = T::export_all(self.cfg) {
                self.error.get_or_insert(e.to_string());
            }
        } else {
            // A wrapper such as `Vec<T>` names T as a generic, not as a dependency.
            T::visit_generics(self);
            T::visit_dependencies(self);
        }
    }
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    include!("../command_names.rs");

    #[test]
    fn every_command_has_its_permission_and_capability() {
        let sorted = |names: &[&'static str]| names.iter().copied().collect::<std::collections::BTreeSet<_>>();
        assert_eq!(
            sorted(REGISTERED),
            sorted(COMMAND_NAMES),
            "command_names.rs (read by build.rs) must list exactly the registered commands"
        );
        let capability = include_str!("../capabilities/main-window.json");
        for name in REGISTERED {
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "the main window must be granted {permission}"
            );
        }
    }

    /// Fails when `ui/src/lib/bindings` differs from what the Rust types generate. To refresh
    /// them: `make bindings` (runs this test with UPDATE_BINDINGS=1).
    #[test]
    fn typescript_bindings_are_fresh() {
        let committed = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR"))
            .join("../ui/src/lib/bindings");
        let fresh = tempfile::tempdir().unwrap();
        export_bindings(fresh.path()).unwrap();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            let _ = std::fs::remove_dir_all(&committed);
            std::fs::create_dir_all(&committed).unwrap();
            for entry in std::fs::read_dir(fresh.path()).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), committed.join(entry.file_name())).unwrap();
            }
        }
        let read = |dir: &Path| -> BTreeMap<String, String> {
            std::fs::read_dir(dir)
                .map(|rd| {
                    rd.map(|e| {
                        let e = e.unwrap();
                        (
                            e.file_name().to_string_lossy().into_owned(),
                            std::fs::read_to_string(e.path()).unwrap(),
                        )
                    })
                    .collect()
                })
                .unwrap_or_default()
        };
        assert!(
            read(&committed) == read(fresh.path()),
            "ui/src/lib/bindings is stale: run `make bindings` and commit the result"
        );
    }
}
