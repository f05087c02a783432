// Generated from src-tauri/src/ipc.rs by `make bindings`; do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { Acknowledgment } from "./Acknowledgment";
import type { ActInput } from "./ActInput";
import type { AppError } from "./AppError";
import type { AppStatus } from "./AppStatus";
import type { BatchOutcome } from "./BatchOutcome";
import type { BatchRequest } from "./BatchRequest";
import type { Case } from "./Case";
import type { CaseClocks } from "./CaseClocks";
import type { CaseDetail } from "./CaseDetail";
import type { CaseEvent } from "./CaseEvent";
import type { CaseStatus } from "./CaseStatus";
import type { ClockSettings } from "./ClockSettings";
import type { Dashboard } from "./Dashboard";
import type { EmailIntake } from "./EmailIntake";
import type { Extension } from "./Extension";
import type { Holiday } from "./Holiday";
import type { ImportPlan } from "./ImportPlan";
import type { IntakeWarnings } from "./IntakeWarnings";
import type { Language } from "./Language";
import type { LetterKind } from "./LetterKind";
import type { LetterPreview } from "./LetterPreview";
import type { LetterRequest } from "./LetterRequest";
import type { LetterSummary } from "./LetterSummary";
import type { LetterTemplate } from "./LetterTemplate";
import type { Mailing } from "./Mailing";
import type { NewAttachment } from "./NewAttachment";
import type { NewCase } from "./NewCase";
import type { ProfileView } from "./ProfileView";
import type { QueuePage } from "./QueuePage";
import type { QueueQuery } from "./QueueQuery";
import type { RequestKind } from "./RequestKind";
import type { Requester } from "./Requester";

/** Every command of the app, typed from the Rust signatures. Errors reject with an `AppError`. */
export const commands = {
  /** Whether the case file is open (or why not), and the organisation's time zone. */
  appStatus: (): Promise<AppStatus> => invoke<AppStatus>("app_status"),
  /** Logs a new request, with any files to keep with it (the email it came in), in one
   * transaction; rejects with a `validation` error naming each bad field. */
  createCase: (input: NewCase, files: Array<NewAttachment>): Promise<Case> => invoke<Case>("create_case", { input, files }),
  /** The organisation profile in force, with its version and what letters still need. */
  currentProfile: (): Promise<ProfileView> => invoke<ProfileView>("current_profile"),
  /** Saves a new version of the profile from TOML; refused, with line and column, when invalid. */
  saveProfile: (document: string): Promise<ProfileView> => invoke<ProfileView>("save_profile", { document }),
  /** Keeps the name of the person at this desk, for the case history. */
  setStaffName: (name: string): Promise<string> => invoke<string>("set_staff_name", { name }),
  /** Reads an `.eml` file into what the intake form needs. */
  readEmail: (content: Array<number>): Promise<EmailIntake> => invoke<EmailIntake>("read_email", { content }),
  /** Keeps a file with a case, inside the encrypted case file. */
  addAttachment: (number: string, name: string, mediaType: string, content: Array<number>): Promise<CaseDetail> => invoke<CaseDetail>("add_attachment", { number, name, mediaType, content }),
  /** Saves a copy of an attachment in the Downloads folder; returns its path. */
  saveAttachmentCopy: (id: number): Promise<string> => invoke<string>("save_attachment_copy", { id }),
  /** Opens a file kept with a case in the desktop's application for its type. */
  openAttachment: (id: number): Promise<null> => invoke<null>("open_attachment", { id }),
  /** Checks every row of a web-form export (.csv or .json); stores nothing. */
  planImport: (name: string, content: Array<number>): Promise<ImportPlan> => invoke<ImportPlan>("plan_import", { name, content }),
  /** Logs the good rows of a checked export, all in one transaction; returns the new numbers. */
  runImport: (plan: ImportPlan): Promise<Array<string>> => invoke<Array<string>>("run_import", { plan }),
  /** Open cases from the same person, and the § 1798.130(b) limit for requests to know. */
  intakeWarnings: (requester: Requester, kinds: Array<RequestKind>): Promise<IntakeWarnings> => invoke<IntakeWarnings>("intake_warnings", { requester, kinds }),
  /** One case by its number, with the statuses it may move to. */
  getCase: (number: string): Promise<CaseDetail> => invoke<CaseDetail>("get_case", { number }),
  /** Replaces what intake recorded, if nobody saved the case since `version` (else `conflict`). */
  editCase: (number: string, version: number, input: NewCase): Promise<CaseDetail> => invoke<CaseDetail>("edit_case", { number, version, input }),
  /** Assigns a case to a staff member (an empty name: to nobody). */
  assignCase: (number: string, assignee: string): Promise<CaseDetail> => invoke<CaseDetail>("assign_case", { number, assignee }),
  /** Staff names known to the case file, for the assignee picker and filter. */
  staffNames: (): Promise<Array<string>> => invoke<Array<string>>("staff_names"),
  /** Adds a note to a case. */
  addNote: (number: string, body: string): Promise<CaseDetail> => invoke<CaseDetail>("add_note", { number, body }),
  /** Moves a case along its lifecycle; a reason is required. */
  changeStatus: (number: string, to: CaseStatus, reason: string): Promise<CaseDetail> => invoke<CaseDetail>("change_status", { number, to, reason }),
  /** Everything that happened to a case, oldest first (the audit log). */
  caseHistory: (number: string): Promise<Array<CaseEvent>> => invoke<Array<CaseEvent>>("case_history", { number }),
  /** One page of cases matching the filters and search, each with its next pending clock. */
  listQueue: (query: QueueQuery): Promise<QueuePage> => invoke<QueuePage>("list_queue", { query }),
  /** A case's clocks today: due dates, states, derivations, and the records that meet them. */
  caseClocks: (number: string): Promise<CaseClocks> => invoke<CaseClocks>("case_clocks", { number }),
  /** Records the confirmation of receipt (§ 7021(a)). */
  recordAcknowledgment: (number: string, acknowledgment: Acknowledgment): Promise<CaseClocks> => invoke<CaseClocks>("record_acknowledgment", { number, acknowledgment }),
  /** Records the one extension; refused after the response date, twice, or without a reason. */
  recordExtension: (number: string, extension: Extension): Promise<CaseClocks> => invoke<CaseClocks>("record_extension", { number, extension }),
  /** Records the response sent, or the opt-out/limit honoured. */
  recordAct: (number: string, act: ActInput): Promise<CaseClocks> => invoke<CaseClocks>("record_act", { number, act }),
  /** Pending clocks overdue, due today and due in the next 7 days. */
  dashboard: (): Promise<Dashboard> => invoke<Dashboard>("dashboard"),
  /** The calendar, closure dates and the two readings in force. */
  clockSettings: (): Promise<ClockSettings> => invoke<ClockSettings>("clock_settings"),
  /** Replaces the clock settings. */
  saveClockSettings: (settings: ClockSettings): Promise<ClockSettings> => invoke<ClockSettings>("save_clock_settings", { settings }),
  /** The weekdays the calendar in force closes in a year. */
  holidays: (year: number): Promise<Array<Holiday>> => invoke<Array<Holiday>>("holidays", { year }),
  /** The pages a letter would have, without archiving it. */
  previewLetter: (number: string, request: LetterRequest): Promise<LetterPreview> => invoke<LetterPreview>("preview_letter", { number, request }),
  /** Produces a letter and archives it with the case (an extension notice records the extension). */
  produceLetter: (number: string, request: LetterRequest): Promise<LetterSummary> => invoke<LetterSummary>("produce_letter", { number, request }),
  /** A case's archived letters, oldest first. */
  caseLetters: (number: string): Promise<Array<LetterSummary>> => invoke<Array<LetterSummary>>("case_letters", { number }),
  /** Saves a copy of an archived letter in the Downloads folder; returns the path. */
  saveLetterCopy: (id: number): Promise<string> => invoke<string>("save_letter_copy", { id }),
  /** Opens an archived letter in the desktop's PDF viewer. */
  openLetter: (id: number): Promise<null> => invoke<null>("open_letter", { id }),
  /** Records how a letter was mailed (once). */
  markLetterMailed: (id: number, mailing: Mailing): Promise<LetterSummary> => invoke<LetterSummary>("mark_letter_mailed", { id, mailing }),
  /** The template in force for every kind and language. */
  letterTemplates: (): Promise<Array<LetterTemplate>> => invoke<Array<LetterTemplate>>("letter_templates"),
  /** Saves a new version of a template after checking it. */
  saveLetterTemplate: (kind: LetterKind, language: Language, body: string): Promise<LetterTemplate> => invoke<LetterTemplate>("save_letter_template", { kind, language, body }),
  /** Records the same mailing for every letter of a printed batch. */
  markLettersMailed: (ids: Array<number>, mailing: Mailing): Promise<number> => invoke<number>("mark_letters_mailed", { ids, mailing }),
  /** The letterhead logo (PNG bytes), if one is set. */
  letterheadLogo: (): Promise<Array<number> | null> => invoke<Array<number> | null>("letterhead_logo"),
  /** Sets the letterhead logo (PNG), or removes it with null. */
  setLetterheadLogo: (png: Array<number> | null): Promise<null> => invoke<null>("set_letterhead_logo", { png }),
  /** The cases a batch would print. */
  letterBatchCases: (request: BatchRequest): Promise<Array<string>> => invoke<Array<string>>("letter_batch_cases", { request }),
  /** Prints a batch into one PDF in the Downloads folder, archiving each letter. */
  printLetterBatch: (request: BatchRequest): Promise<BatchOutcome> => invoke<BatchOutcome>("print_letter_batch", { request }),
  /** Letters done and in all in the running batch. */
  letterBatchProgress: (): Promise<Array<number>> => invoke<Array<number>>("letter_batch_progress"),
  /** Stops the running batch after the letter in hand. */
  cancelLetterBatch: (): Promise<boolean> => invoke<boolean>("cancel_letter_batch"),
};
