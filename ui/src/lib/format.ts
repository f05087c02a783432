// How tokens from the Rust side read to a person. `Record<Union, string>` makes the compiler
// insist on a label for every kind, channel and status the bindings define.
import type { AgentBasis } from "./bindings/AgentBasis";
import type { CalendarPreset } from "./bindings/CalendarPreset";
import type { CaseEvent } from "./bindings/CaseEvent";
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

const ACTION_LABELS: Record<string, string> = {
  "case.created": "Request logged",
  "acknowledgment.recorded": "Receipt confirmed",
  "status.changed": "Status changed",
  "extension.recorded": "Extension recorded",
  "response.recorded": "Response sent",
  "compliance.recorded": "Opt-out or limit honoured",
  "case.edited": "Details edited",
  "note.added": "Note added",
  "attachment.added": "File kept",
  "case.assigned": "Assigned",
  "letter.produced": "Letter produced",
  "letter.mailed": "Letter mailed",
};

export const LETTER_KIND_LABELS: Record<LetterKind, string> = {
  acknowledgment: "Acknowledgment of receipt (§ 7021(a))",
  extension: "Extension notice (§ 7021(b))",
  "opt-out-confirmation": "Opt-out / limit confirmation (§§ 7026, 7027)",
  "not-covered": "Not covered",
  general: "General letter",
};

export const MAIL_METHOD_LABELS: Record<MailMethod, string> = {
  "first-class": "First-class mail",
  certified: "Certified mail",
};

/** One line for a timeline entry: what happened, with the few facts that matter. */
export function describeEvent(e: CaseEvent): string {
  const after = (e.after ?? {}) as Record<string, unknown>;
  const before = (e.before ?? {}) as Record<string, unknown>;
  const label = ACTION_LABELS[e.action] ?? e.action;
  const date = (v: unknown) => (typeof v === "string" ? formatDate(v) : "");
  switch (e.action) {
    case "status.changed": {
      const move = `${label}: ${STATUS_LABELS[before.status as CaseStatus] ?? String(before.status)} → ${STATUS_LABELS[after.status as CaseStatus] ?? String(after.status)}`;
      return typeof after.reason === "string" ? `${move} — “${after.reason}”` : move;
    }
    case "acknowledgment.recorded":
      return `${label} on ${date(after.on)} by ${CHANNEL_LABELS[after.channel as Channel] ?? String(after.channel)}`;
    case "extension.recorded":
      return `${label}: notice ${date(after.notice_on)} — “${String(after.reason)}”`;
    case "case.assigned":
      return after.assignee ? `${label} to ${String(after.assignee)}` : "Unassigned";
    case "attachment.added":
    case "note.added":
      return `${label}: ${String(after.name ?? after.body ?? "")}`;
    case "letter.produced":
      return `${label}: ${LETTER_KIND_LABELS[after.kind as LetterKind] ?? String(after.kind)} (${String(after.language).toUpperCase()}, ${String(after.pages)} p.)`;
    case "letter.mailed":
      return `${label} on ${date(after.on)} by ${MAIL_METHOD_LABELS[after.method as MailMethod] ?? String(after.method)}${after.tracking_number ? `, tracking ${String(after.tracking_number)}` : ""}`;
    case "response.recorded":
    case "compliance.recorded":
      return `${label} on ${date(after.on)}`;
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
