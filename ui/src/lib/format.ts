// How tokens from the Rust side read to a person. `Record<Union, string>` makes the compiler
// insist on a label for every kind, channel and status the bindings define.
import type { AgentBasis } from "./bindings/AgentBasis";
import type { CalendarPreset } from "./bindings/CalendarPreset";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { CaseStatus } from "./bindings/CaseStatus";
import type { Channel } from "./bindings/Channel";
import type { ClockKind } from "./bindings/ClockKind";
import type { ClockState } from "./bindings/ClockState";
import type { RequestKind } from "./bindings/RequestKind";
import type { LetterKind } from "./bindings/LetterKind";
import type { MailMethod } from "./bindings/MailMethod";

export const KIND_LABELS: Record<RequestKind, string> = {
  "know-categories": "Know: categories",
  "know-specific": "Know: specific pieces",
  delete: "Delete",
  correct: "Correct",
  "opt-out": "Opt out of sale/sharing",
  limit: "Limit sensitive PI",
};

export const KIND_HINTS: Record<RequestKind, string> = {
  "know-categories": "§ 1798.110: what categories are collected, from where, why, shared with whom",
  "know-specific": "§ 1798.110(a)(5): a copy of the specific pieces of information",
  delete: "§ 1798.105",
  correct: "§ 1798.106",
  "opt-out": "§ 1798.120: stop selling or sharing",
  limit: "§ 1798.121: limit use of sensitive personal information",
};

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: "Email",
  phone: "Toll-free phone",
  "web-form": "Web form",
  "postal-mail": "Postal mail",
  "in-person": "In person",
};

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: "New",
  acknowledged: "Acknowledged",
  verifying: "Verifying",
  "in-progress": "In progress",
  responded: "Responded",
  closed: "Closed",
  denied: "Denied",
  withdrawn: "Withdrawn",
  "not-covered": "Not covered",
};

export const KINDS = Object.keys(KIND_LABELS) as RequestKind[];
export const CHANNELS = Object.keys(CHANNEL_LABELS) as Channel[];

// Building an Intl.DateTimeFormat costs far more than using one (a queue page formats about a
// hundred dates), so each format is built once per time zone.
const formats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** "Mon 2 Mar 2026" for a legal date "2026-03-02" (a calendar date: no time zone applies). */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  const date = new Date(Date.UTC(y, m - 1, d));
  return dateFormat("date", "en-US", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

/** The wall-clock time of `instant` in `timeZone`, as "2026-03-02 09:05" (the form's format). */
export function wallClock(instant: Date, timeZone: string): string {
  const parts = dateFormat(`wall ${timeZone}`, "en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}


export const CLOCK_LABELS: Record<ClockKind, string> = {
  acknowledge: "Confirm receipt",
  respond: "Respond",
  respond_extended: "Respond (extended)",
  comply: "Comply (opt-out/limit)",
};

export const STATE_LABELS: Record<ClockState, string> = {
  met: "Met",
  met_late: "Met late",
  open: "Open",
  overdue: "Overdue",
  extended: "Extended",
  not_running: "Only with an extension",
};

export const CALENDAR_LABELS: Record<CalendarPreset, string> = {
  "us-federal": "US federal holidays (5 U.S.C. § 6103)",
  "ca-state": "California state-office holidays (Gov. Code § 19853)",
  weekends: "Weekends only, no holidays",
};

/** "3 days left", "due today", "2 days overdue". */
export function daysLeft(days: number): string {
  if (days === 0) return "due today";
  if (days > 0) return `${days} ${days === 1 ? "day" : "days"} left`;
  return `${-days} ${days === -1 ? "day" : "days"} overdue`;
}

/** The legal date today in `timeZone`, as "2026-03-02". */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return wallClock(now, timeZone).slice(0, 10);
}

/** "Mon, Mar 2, 2026, 09:05" for an RFC 3339 instant, as the wall-clock time in `timeZone`. */
export function formatInstant(instant: string, timeZone: string): string {
  return dateFormat(`instant ${timeZone}`, "en-US", {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(instant));
}

export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  acknowledgment: "Acknowledgment of receipt (§ 7021(a))",
  extension: "Extension notice (§ 7021(b))",
  "opt-out-confirmation": "Opt-out / limit confirmation (§§ 7026, 7027)",
  "not-covered": "Not covered",
  "verification-request": "Request for verification information (§§ 7060, 7062)",
  "declaration-form": "Declaration form to sign (§ 7062(c))",
  "agent-permission": "Agent permission (§ 7063(a))",
  "unable-to-verify": "Unable to verify (§§ 7022-7024)",
  "know-response": "Response to know: categories (§ 7024)",
  "know-specific-response": "Response to know: specific pieces (§ 7024)",
  "deletion-response": "Response to delete (§ 7022)",
  "correction-response": "Response to correct (§ 7023)",
  denial: "Denial of the request (§ 1798.145(h))",
  general: "General letter",
};

/** What a letter language is called, for the languages a case may ask for. */
export const LANGUAGE_LABELS: Record<string, string> = {
  en: "English",
  es: "Spanish",
};

export const languageLabel = (code: string) => LANGUAGE_LABELS[code] ?? code.toUpperCase();

export const MAIL_METHOD_LABELS: Record<MailMethod, string> = {
  "first-class": "First-class mail",
  certified: "Certified mail",
};

/** What each recorded action is called in a history. */
export const ACTION_LABELS: Record<string, string> = {
  "case.created": "Request logged",
  "case.edited": "Details edited",
  "status.moved": "Status changed",
  "case.assigned": "Assigned",
  "receipt.confirmed": "Receipt confirmed",
  "response.extended": "Extension recorded",
  "response.sent": "Response sent",
  "compliance.recorded": "Opt-out or limit honoured",
  "note.added": "Note added",
  "verification.point": "Data point checked",
  "verification.declaration": "Declaration received",
  "verification.agent": "Agent's evidence seen",
  "verification.concluded": "Verification concluded",
  "verification.answered": "Answered as not verified",
  "decision.recorded": "Decision recorded",
  "kind.answered": "Part of the request answered",
  "provider.notified": "Service provider told",
  "item.added": "Specific piece added",
  "row.added": "Row added to the matrix",
  "row.removed": "Row removed from the matrix",
  "statement.recorded": "Statement made part of the record",
  "verification.purged": "Verification data deleted",
  "reference.loaded": "System-of-record extract loaded",
  "file.attached": "File kept",
  "letter.produced": "Letter produced",
  "letter.mailed": "Letter mailed",
  "settings.changed": "Settings changed",
  "profile.saved": "Profile saved",
  "template.saved": "Letter template saved",
  "logo.changed": "Letterhead logo changed",
  "staff.named": "Staff name set",
  "payload.purged": "Details purged",
  "chain.upgraded": "History upgraded",
  "backup.made": "Backup made",
  "backup.scheduled": "Daily backups set",
  "file.restored": "Restored from a backup",
  "key.rotated": "Key replaced",
  "key.exported": "Key exported",
  legacy: "Earlier event",
};

/** What a field of a change is called, for "Details edited: email, phone". */
const FIELD_LABELS: Record<string, string> = {
  "requester.name": "name",
  "requester.email": "email",
  "requester.phone": "phone",
  "requester.address": "address",
  kinds: "kinds",
  channel: "channel",
  received: "received",
  "details.entity": "entity",
  "details.relationship": "relationship",
  "details.language": "language",
  "details.delivery": "response by",
  "details.description": "request text",
  "details.correction": "correction",
  "details.agent": "agent",
  calendar: "calendar",
  closures: "closure dates",
  receipt_day: "day of receipt",
  due_date_roll: "due date roll",
  time_zone: "time zone",
};

/** One line for a history entry: what happened, with the few facts that matter. */
export function describeEvent(e: HistoryEntry): string {
  const label = ACTION_LABELS[e.action] ?? e.action;
  const ev = e.event;
  if (!ev) return `${label} (its details were purged)`;
  switch (ev.action) {
    case "status.moved":
      return `${label}: ${STATUS_LABELS[ev.from]} → ${STATUS_LABELS[ev.to]}${ev.reason ? ` — “${ev.reason}”` : ""}`;
    case "receipt.confirmed":
      return `${label} on ${formatDate(ev.on)} by ${CHANNEL_LABELS[ev.channel]}`;
    case "response.extended":
      return `${label}: notice ${formatDate(ev.notice_on)} — “${ev.reason}”`;
    case "case.assigned":
      return ev.to ? `${label} to ${ev.to}` : "Unassigned";
    case "case.edited":
      return `${label}: ${ev.changes.map((c) => FIELD_LABELS[c.field] ?? c.field.split(".").pop()).join(", ")}`;
    case "note.added":
      return `${label}: ${ev.body}`;
    case "verification.point":
      return `${label}: ${ev.field}, ${ev.result.replace("-", " ")}`;
    case "verification.declaration":
      return ev.received_on ? `${label} on paper, ${formatDate(ev.received_on)}` : `${label} as a file`;
    case "verification.agent":
      return `${label}: ${ev.evidence.replaceAll("-", " ")}`;
    case "verification.concluded":
      return `${label}: ${KIND_LABELS[ev.kind]} ${ev.verified ? "verified" : `not verified — “${ev.reason}”`}`;
    case "decision.recorded":
      return `${label}: ${KIND_LABELS[ev.kind]}, ${ev.category} ${ev.outcome.replaceAll("-", " ")}${ev.basis ? ` (${ev.basis})` : ""}`;
    case "item.added":
      return `${label}: ${ev.label}${ev.shown ? "" : " (collected — not shown, § 7024(d))"}`;
    case "row.added":
      return `${label}: ${ev.name}`;
    case "row.removed":
      return `${label}: ${ev.code}`;
    case "statement.recorded":
      return `${label}: ${ev.item} (${ev.words} words, received ${formatDate(ev.received_on)}, § 7023(f)(3))`;
    case "provider.notified":
      return ev.on ? `${label}: ${ev.provider}, ${formatDate(ev.on)}` : `${label}: ${ev.provider} — no need (“${ev.not_needed ?? ""}”)`;
    case "kind.answered":
      return `${label}: ${KIND_LABELS[ev.kind]} ${ev.outcome.replaceAll("-", " ")}${ev.denial_reason ? ` — ${ev.denial_reason.replaceAll("-", " ")}` : ""} on ${formatDate(ev.on)}`;
    case "verification.answered":
      return `${label}: ${ev.kinds.map((k) => KIND_LABELS[k]).join(", ")}${ev.categories_added ? " (now also a request to know categories, § 7024(a))" : ""}`;
    case "reference.loaded":
      return `${label}: ${ev.records} ${ev.records === 1 ? "record" : "records"} (${ev.fields.join(", ")}), kept as keyed hashes only`;
    case "verification.purged":
      return `${label} (${ev.values} ${ev.values === 1 ? "value" : "values"}, § 7060(d))`;
    case "file.attached":
      return `${label}: ${ev.name}`;
    case "letter.produced":
      return `${label}: ${LETTER_KIND_LABELS[ev.kind]} (${ev.language.toUpperCase()}, ${ev.pages} p.)`;
    case "letter.mailed":
      return `${label} on ${formatDate(ev.on)} by ${MAIL_METHOD_LABELS[ev.method]}${ev.tracking_number ? `, tracking ${ev.tracking_number}` : ""}`;
    case "response.sent":
    case "compliance.recorded":
      return `${label} on ${formatDate(ev.on)}`;
    case "settings.changed":
      return `${label}: ${ev.changes.map((c) => FIELD_LABELS[c.field] ?? c.field).join(", ")}`;
    case "profile.saved":
      return `${label} as version ${ev.version}${ev.changed.length ? ` (${ev.changed.join(", ")})` : ""}`;
    case "template.saved":
      return `${label}: ${LETTER_KIND_LABELS[ev.kind]} (${ev.language.toUpperCase()}), ${ev.version === 0 ? "back to the shipped text" : `version ${ev.version}`}`;
    case "staff.named":
      return `${label}: ${ev.to}`;
    case "legacy":
      return ACTION_LABELS[ev.original_action] ?? ev.original_action;
    default:
      return label;
  }
}

/** The entity or relationship choice that says "none of the covered ones" (core: `NOT_LISTED`). */
export const NOT_LISTED = "not-listed";

export const AGENT_BASIS_LABELS: Record<AgentBasis, string> = {
  "signed-permission": "Signed permission from the person (§ 7063(a))",
  "power-of-attorney": "Power of attorney, Probate Code §§ 4121-4130 (§ 7063(b))",
  "parent-of-minor": "Parent of a minor",
  conservator: "Conservator",
};
