// Generated from src-tauri/src/ipc.rs by `make bindings`; do not edit.
import { Channel as IpcChannel, invoke } from "@tauri-apps/api/core";
import type { Acknowledgment } from "./Acknowledgment";
import type { ActInput } from "./ActInput";
import type { AgentEvidence } from "./AgentEvidence";
import type { AppError } from "./AppError";
import type { AppStatus } from "./AppStatus";
import type { ArchivedLetter } from "./ArchivedLetter";
import type { BackupDone } from "./BackupDone";
import type { BackupStatus } from "./BackupStatus";
import type { BatchOutcome } from "./BatchOutcome";
import type { BatchPlan } from "./BatchPlan";
import type { BatchProgress } from "./BatchProgress";
import type { BatchRequest } from "./BatchRequest";
import type { Case } from "./Case";
import type { CaseView } from "./CaseView";
import type { ClockSettings } from "./ClockSettings";
import type { Dashboard } from "./Dashboard";
import type { DashboardFigures } from "./DashboardFigures";
import type { DecisionInput } from "./DecisionInput";
import type { DecisionMatrix } from "./DecisionMatrix";
import type { EmailIntake } from "./EmailIntake";
import type { Extension } from "./Extension";
import type { HistoryEntry } from "./HistoryEntry";
import type { Holiday } from "./Holiday";
import type { ImportCheck } from "./ImportCheck";
import type { ImportDone } from "./ImportDone";
import type { IntakeDraft } from "./IntakeDraft";
import type { IntakeWarnings } from "./IntakeWarnings";
import type { LetterKind } from "./LetterKind";
import type { LetterKindInfo } from "./LetterKindInfo";
import type { LetterLanguage } from "./LetterLanguage";
import type { LetterPreview } from "./LetterPreview";
import type { LetterRequest } from "./LetterRequest";
import type { LetterTemplate } from "./LetterTemplate";
import type { Mailing } from "./Mailing";
import type { Metrics } from "./Metrics";
import type { NewCase } from "./NewCase";
import type { OrganisationProfile } from "./OrganisationProfile";
import type { PointMatch } from "./PointMatch";
import type { PointResult } from "./PointResult";
import type { ProfileView } from "./ProfileView";
import type { QueuePage } from "./QueuePage";
import type { QueueQuery } from "./QueueQuery";
import type { ReferenceExtract } from "./ReferenceExtract";
import type { ReportFormat } from "./ReportFormat";
import type { RequestKind } from "./RequestKind";
import type { Requester } from "./Requester";
import type { RestoreDone } from "./RestoreDone";
import type { RetentionReport } from "./RetentionReport";
import type { RowInput } from "./RowInput";
import type { SpecificItem } from "./SpecificItem";
import type { StatementInput } from "./StatementInput";
import type { StatusMove } from "./StatusMove";
import type { VerificationView } from "./VerificationView";

/** Every command of the app, typed from the Rust signatures. Errors reject with an `AppError`. */
export const commands = {
  /** Whether the case file is open (or why not), and the organisation's time zone. */
  appStatus: (): Promise<AppStatus> => invoke<AppStatus>("app_status"),
  /** Logs a new request, with any files to keep with it, in one transaction; rejects with a
   * `validation` error naming each bad field. */
  createCase: (input: NewCase, files: Array<number>): Promise<Case> => invoke<Case>("create_case", { input, files }),
  /** Logs a request read from an email (checked in the form), keeping the email; refused when
   * the same message was logged before. */
  createCaseFromEmail: (input: NewCase, email: number): Promise<Case> => invoke<Case>("create_case_from_email", { input, email }),
  /** The organisation profile in force, with its version and what letters still need. */
  currentProfile: (): Promise<ProfileView> => invoke<ProfileView>("current_profile"),
  /** Saves a new version of the profile from TOML; refused, with line and column, when invalid. */
  saveProfile: (document: string): Promise<ProfileView> => invoke<ProfileView>("save_profile", { document }),
  /** Saves the profile form (the profile and the time zone); every problem names its field. */
  saveProfileForm: (profileForm: OrganisationProfile, timeZone: string): Promise<ProfileView> => invoke<ProfileView>("save_profile_form", { profileForm, timeZone }),
  /** The time zones the profile form offers (IANA names). */
  timeZones: (): Promise<Array<string>> => invoke<Array<string>>("time_zones"),
  /** Keeps the name of the person at this desk, for the case history. */
  setStaffName: (name: string): Promise<string> => invoke<string>("set_staff_name", { name }),
  /** The new request left half-typed at this desk, if any. */
  intakeDraft: (): Promise<IntakeDraft | null> => invoke<IntakeDraft | null>("intake_draft"),
  /** Keeps the new request as typed so far (in the encrypted case file). */
  saveIntakeDraft: (document: string): Promise<null> => invoke<null>("save_intake_draft", { document }),
  /** Throws the intake draft away. */
  discardIntakeDraft: (): Promise<null> => invoke<null>("discard_intake_draft"),
  /** Reads a staged `.eml` file into what the intake form needs. */
  readEmail: (file: number): Promise<EmailIntake> => invoke<EmailIntake>("read_email", { file }),
  /** Keeps a staged file with a case, inside the encrypted case file. */
  addAttachment: (number: string, file: number): Promise<CaseView> => invoke<CaseView>("add_attachment", { number, file }),
  /** Forgets staged files that were taken off a form. */
  discardFiles: (files: Array<number>): Promise<null> => invoke<null>("discard_files", { files }),
  /** Saves a copy of an attachment in the Downloads folder; returns its path. */
  saveAttachmentCopy: (id: number): Promise<string> => invoke<string>("save_attachment_copy", { id }),
  /** Opens a file kept with a case in the desktop's application for its type. */
  openAttachment: (id: number): Promise<null> => invoke<null>("open_attachment", { id }),
  /** Checks every row of a staged web-form export (.csv or .json); stores nothing. The file
   * stays staged for `run_import` (or until `discard_files`). */
  checkImport: (file: number): Promise<ImportCheck> => invoke<ImportCheck>("check_import", { file }),
  /** Open cases from the same person, and the § 1798.130(b) limit for requests to know. */
  intakeWarnings: (requester: Requester, kinds: Array<RequestKind>): Promise<IntakeWarnings> => invoke<IntakeWarnings>("intake_warnings", { requester, kinds }),
  /** One case as its screen shows it: details, moves, clocks, notes, files, letters, history. */
  caseView: (number: string): Promise<CaseView> => invoke<CaseView>("case_view", { number }),
  /** Replaces what intake recorded, if nobody saved the case since `version` (else `conflict`). */
  editCase: (number: string, version: number, input: NewCase): Promise<CaseView> => invoke<CaseView>("edit_case", { number, version, input }),
  /** Assigns a case to a staff member (an empty name: to nobody). */
  assignCase: (number: string, assignee: string): Promise<CaseView> => invoke<CaseView>("assign_case", { number, assignee }),
  /** Staff names known to the case file, for the assignee picker and filter. */
  staffNames: (): Promise<Array<string>> => invoke<Array<string>>("staff_names"),
  /** Adds a note to a case. */
  addNote: (number: string, body: string): Promise<CaseView> => invoke<CaseView>("add_note", { number, body }),
  /** The identity verification of a case (11 CCR §§ 7060-7063). */
  caseVerification: (number: string): Promise<VerificationView> => invoke<VerificationView>("case_verification", { number }),
  /** Records what the person gave for a data point and how it compared (the value stays out
   * of the history and the search, and is purged once the request has served). */
  checkPoint: (number: string, field: string, given: string, result: PointResult): Promise<VerificationView> => invoke<VerificationView>("check_point", { number, field, given, result }),
  /** The signed declaration: a staged file, or the date a paper one was received. */
  recordDeclaration: (number: string, file: number | null, receivedOn: string | null): Promise<VerificationView> => invoke<VerificationView>("record_declaration", { number, file, receivedOn }),
  /** An authorised agent's evidence (§ 7063). */
  recordAgentEvidence: (number: string, evidence: AgentEvidence): Promise<VerificationView> => invoke<VerificationView>("record_agent_evidence", { number, evidence }),
  /** Concludes one kind: verified (refused with what is missing) or failed (with the reason). */
  concludeVerification: (number: string, kind: RequestKind, verified: boolean, reason: string): Promise<VerificationView> => invoke<VerificationView>("conclude_verification", { number, kind, verified, reason }),
  /** Deletes what the person gave to verify their identity, once the request was answered. */
  purgeVerification: (number: string): Promise<VerificationView> => invoke<VerificationView>("purge_verification", { number }),
  /** The decision matrix of a case: per category and kind, what is done and on which basis. */
  caseDecisions: (number: string): Promise<DecisionMatrix> => invoke<DecisionMatrix>("case_decisions", { number }),
  /** Records what is done with one category for one kind (refused with the reason). */
  decide: (number: string, input: DecisionInput): Promise<DecisionMatrix> => invoke<DecisionMatrix>("decide", { number, input }),
  /** The specific pieces a response to know gives, per category. */
  caseItems: (number: string): Promise<Array<SpecificItem>> => invoke<Array<SpecificItem>>("case_items", { number }),
  /** Adds one specific piece (a § 7024(d) value is not kept). */
  addItem: (number: string, category: string, label: string, value: string): Promise<Array<SpecificItem>> => invoke<Array<SpecificItem>>("add_item", { number, category, label, value }),
  /** Adds a row to the case's matrix (information beyond the profile's categories). */
  addRow: (number: string, input: RowInput): Promise<DecisionMatrix> => invoke<DecisionMatrix>("add_row", { number, input }),
  /** Removes a row staff added, while nothing is decided for it. */
  removeRow: (number: string, code: string): Promise<DecisionMatrix> => invoke<DecisionMatrix>("remove_row", { number, code }),
  /** Makes the person's statement about denied health information part of the record. */
  recordStatement: (number: string, input: StatementInput): Promise<DecisionMatrix> => invoke<DecisionMatrix>("record_statement", { number, input }),
  /** Records that a service provider was told of a deletion on a day, or why there was no need. */
  notifyProvider: (number: string, provider: string, on: string | null, notNeeded: string | null): Promise<DecisionMatrix> => invoke<DecisionMatrix>("notify_provider", { number, provider, on, notNeeded }),
  /** What the system-of-record extract says of a value the person gave (before staff record it). */
  suggestPoint: (number: string, field: string, given: string): Promise<PointMatch | null> => invoke<PointMatch | null>("suggest_point", { number, field, given }),
  /** The system-of-record extract in force (how many records, which data points), if any. */
  referenceExtract: (): Promise<ReferenceExtract | null> => invoke<ReferenceExtract | null>("reference_extract"),
  /** Loads a staged system-of-record extract (CSV), replacing the one in force. */
  loadReferenceExtract: (file: number): Promise<ReferenceExtract> => invoke<ReferenceExtract>("load_reference_extract", { file }),
  /** Moves a case along its lifecycle; a reason is required; "acknowledged" records the
   * confirmation of receipt. */
  changeStatus: (number: string, request: StatusMove): Promise<CaseView> => invoke<CaseView>("change_status", { number, request }),
  /** One page of cases matching the filters and search, each with its next pending clock. */
  listQueue: (query: QueueQuery): Promise<QueuePage> => invoke<QueuePage>("list_queue", { query }),
  /** How many cases match the filters and search (all pages). */
  queueCount: (query: QueueQuery): Promise<number> => invoke<number>("queue_count", { query }),
  /** Records the confirmation of receipt (§ 7021(a)). */
  recordAcknowledgment: (number: string, acknowledgment: Acknowledgment): Promise<CaseView> => invoke<CaseView>("record_acknowledgment", { number, acknowledgment }),
  /** Records the one extension; refused after the response date, twice, or without a reason. */
  recordExtension: (number: string, extension: Extension): Promise<CaseView> => invoke<CaseView>("record_extension", { number, extension }),
  /** Records the response sent, or the opt-out/limit honoured. */
  recordAct: (number: string, act: ActInput): Promise<CaseView> => invoke<CaseView>("record_act", { number, act }),
  /** Pending clocks overdue, due today and due in the next 7 days. */
  dashboard: (): Promise<Dashboard> => invoke<Dashboard>("dashboard"),
  /** Open cases by status, each clock's on-time share over the last 12 months, the oldest open case. */
  dashboardFigures: (): Promise<DashboardFigures> => invoke<DashboardFigures>("dashboard_figures"),
  /** The § 7102 figures of a calendar year (the same as `report metrics`). */
  reportMetrics: (year: number, apart: boolean): Promise<Metrics> => invoke<Metrics>("report_metrics", { year, apart }),
  /** Saves the metrics of a year in the Downloads folder (PDF with the charts, CSV or JSON). */
  saveMetricsReport: (year: number, apart: boolean, format: ReportFormat): Promise<string> => invoke<string>("save_metrics_report", { year, apart, format }),
  /** Saves the § 7101 log of a date range in the Downloads folder. */
  saveRecordsLog: (from: string, to: string, withNames: boolean, format: ReportFormat): Promise<string> => invoke<string>("save_records_log", { from, to, withNames, format }),
  /** The calendar, closure dates and the two readings in force. */
  clockSettings: (): Promise<ClockSettings> => invoke<ClockSettings>("clock_settings"),
  /** Replaces the clock settings (in the case file's history). */
  saveClockSettings: (settings: ClockSettings): Promise<ClockSettings> => invoke<ClockSettings>("save_clock_settings", { settings }),
  /** The weekdays the calendar in force closes in a year. */
  holidays: (year: number): Promise<Array<Holiday>> => invoke<Array<Holiday>>("holidays", { year }),
  /** The newest changes to the case file itself (settings, profile, templates, logo, staff). */
  fileHistory: (): Promise<Array<HistoryEntry>> => invoke<Array<HistoryEntry>>("file_history"),
  /** The pages a letter would have, without archiving it. */
  previewLetter: (number: string, request: LetterRequest): Promise<LetterPreview> => invoke<LetterPreview>("preview_letter", { number, request }),
  /** Produces a letter and archives it with the case (an extension notice records the extension). */
  produceLetter: (number: string, request: LetterRequest): Promise<ArchivedLetter> => invoke<ArchivedLetter>("produce_letter", { number, request }),
  /** Saves a copy of an archived letter in the Downloads folder; returns the path. */
  saveLetterCopy: (id: number): Promise<string> => invoke<string>("save_letter_copy", { id }),
  /** Opens an archived letter in the desktop's PDF viewer. */
  openLetter: (id: number): Promise<null> => invoke<null>("open_letter", { id }),
  /** Records how a letter was mailed (once). */
  markLetterMailed: (id: number, mailing: Mailing): Promise<ArchivedLetter> => invoke<ArchivedLetter>("mark_letter_mailed", { id, mailing }),
  /** Every kind of letter, with what it asks for and its variants. */
  letterKinds: (): Promise<Array<LetterKindInfo>> => invoke<Array<LetterKindInfo>>("letter_kinds"),
  /** Every language letters can be written in, with its own name. */
  letterLanguages: (): Promise<Array<LetterLanguage>> => invoke<Array<LetterLanguage>>("letter_languages"),
  /** The template in force for every kind and language. */
  letterTemplates: (): Promise<Array<LetterTemplate>> => invoke<Array<LetterTemplate>>("letter_templates"),
  /** Saves a new version of a template after checking it. */
  saveLetterTemplate: (kind: LetterKind, language: string, body: string): Promise<LetterTemplate> => invoke<LetterTemplate>("save_letter_template", { kind, language, body }),
  /** Puts a template back to the text shipped with PrivacyDesk. */
  resetLetterTemplate: (kind: LetterKind, language: string): Promise<LetterTemplate> => invoke<LetterTemplate>("reset_letter_template", { kind, language }),
  /** Records the same mailing for every letter of a printed batch (all, or none). */
  markLettersMailed: (ids: Array<number>, mailing: Mailing): Promise<number> => invoke<number>("mark_letters_mailed", { ids, mailing }),
  /** Sets the letterhead logo from a staged PNG, or removes it with null. */
  setLetterheadLogo: (png: number | null): Promise<null> => invoke<null>("set_letterhead_logo", { png }),
  /** A template as edited, not saved, with a sample case and the profile in force. */
  previewLetterTemplate: (kind: LetterKind, language: string, body: string): Promise<LetterPreview> => invoke<LetterPreview>("preview_letter_template", { kind, language, body }),
  /** What a batch would print and the cases it cannot, each with the reason. */
  planLetterBatch: (request: BatchRequest): Promise<BatchPlan> => invoke<BatchPlan>("plan_letter_batch", { request }),
  /** Stops the running batch after the letter in hand. */
  cancelLetterBatch: (): Promise<boolean> => invoke<boolean>("cancel_letter_batch"),
  /** Saves a case's dossier (PDF for offline review) in the Downloads folder and says where. */
  saveDossier: (number: string): Promise<string> => invoke<string>("save_dossier", { number }),
  /** Saves one dossier of the cases named in `cases` (numbers separated by commas, spaces or
   * lines) in the Downloads folder and says where. */
  saveSelectionDossier: (cases: string): Promise<string> => invoke<string>("save_selection_dossier", { cases }),
  /** The last backup of the case file (from its history) and the folder a new one goes to. */
  backupStatus: (): Promise<BackupStatus> => invoke<BackupStatus>("backup_status"),
  /** Writes an encrypted backup into `folder`, its key sealed under `passphrase` (typed twice). */
  backUpNow: (folder: string, passphrase: string, again: string): Promise<BackupDone> => invoke<BackupDone>("back_up_now", { folder, passphrase, again }),
  /** Restores the backup at `path` over the case file (which is set aside, not deleted) and
   * opens the restored file in its place. */
  restoreBackup: (path: string, passphrase: string): Promise<RestoreDone> => invoke<RestoreDone>("restore_backup", { path, passphrase }),
  /** Makes a backup into `folder` every day, keeping the last `keep` there; the passphrase
   * (typed twice) is kept where the key is, for them to run unattended. One is made at once
   * unless the folder has one less than a day old. */
  setBackupSchedule: (folder: string, keep: number, passphrase: string, again: string): Promise<BackupStatus> => invoke<BackupStatus>("set_backup_schedule", { folder, keep, passphrase, again }),
  /** Stops the daily backups (those made stay) and forgets their passphrase. */
  stopBackupSchedule: (): Promise<BackupStatus> => invoke<BackupStatus>("stop_backup_schedule"),
  /** Writes the case file's key, sealed under `passphrase` (typed twice), into `folder`: a
   * key export for a second machine or for the day the keyring loses it; returns its path. */
  exportKey: (folder: string, passphrase: string, again: string): Promise<string> => invoke<string>("export_key", { folder, passphrase, again }),
  /** Replaces the case file's key with a new one and reopens the file with it. */
  rotateKey: (): Promise<null> => invoke<null>("rotate_key"),
  /** With the key lost (start-up screen): takes the key from a key export or a backup,
   * checked to open the case file, and opens it; returns where the key kept before went. */
  useKeyExport: (path: string, passphrase: string): Promise<string | null> => invoke<string | null>("use_key_export", { path, passphrase }),
  /** The ended cases a retention run would reduce now (a dry run: nothing changes). */
  planRetention: (): Promise<RetentionReport> => invoke<RetentionReport>("plan_retention"),
  /** Stops the running retention run after the case in hand. */
  cancelRetention: (): Promise<boolean> => invoke<boolean>("cancel_retention"),
  /** Hands a file chosen in the window to the app (its bytes as they are); returns the id
   * the command that keeps, reads or imports it takes. */
  stageFile: (bytes: Uint8Array, name: string, mediaType: string): Promise<number> => invoke<number>("stage_file", bytes, { headers: { "x-file-name": encodeURIComponent(name), "x-media-type": encodeURIComponent(mediaType) } }),
  /** The letterhead logo's PNG bytes (empty when none is set). */
  letterheadLogo: (): Promise<ArrayBuffer> => invoke<ArrayBuffer>("letterhead_logo"),
  /** Reduces the ended cases due before `before` (the day the person confirmed from the
   * plan); calls `onProgress` after each batch. */
  runRetention: (before: string, onProgress: (progress: BatchProgress) => void): Promise<RetentionReport> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<RetentionReport>("run_retention", { before, progress }); },
  /** Logs the good rows of a checked export, all in one transaction; calls `onProgress`
   * after each batch of rows. */
  runImport: (file: number, expected: number, onProgress: (progress: BatchProgress) => void): Promise<ImportDone> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<ImportDone>("run_import", { file, expected, progress }); },
  /** Prints a batch into one PDF in the Downloads folder, archiving each letter; calls
   * `onProgress` after each. */
  printLetterBatch: (request: BatchRequest, onProgress: (progress: BatchProgress) => void): Promise<BatchOutcome> => { const progress = new IpcChannel<BatchProgress>(); progress.onmessage = onProgress; return invoke<BatchOutcome>("print_letter_batch", { request, progress }); },
};
