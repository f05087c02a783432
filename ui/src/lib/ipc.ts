// The one door to the Rust side: the generated, typed commands, with every rejection turned
// into an `AppError` (a code from a closed set, a message for the person, per-field problems).
import { commands } from "./bindings/commands";
import type { AppError } from "./bindings/AppError";
import type { ErrorCode } from "./bindings/ErrorCode";

export type { AppError, ErrorCode };

// A Record, so the compiler insists on every code the bindings define.
const KNOWN: Record<ErrorCode, true> = {
  validation: true,
  not_found: true,
  conflict: true,
  already_recorded: true,
  too_late: true,
  letter_broken: true,
  busy: true,
  key_missing: true,
  wrong_key: true,
  keyring_locked: true,
  keyring_unavailable: true,
  newer_schema: true,
  audit_broken: true,
  storage: true,
  internal: true,
};
const CODES = Object.keys(KNOWN) as ErrorCode[];

function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === "string" && CODES.includes(v.code as ErrorCode) && Array.isArray(v.fields);
}

/** Any rejection as an `AppError`; something unexpected becomes an `internal` error. */
export function toAppError(reason: unknown): AppError {
  if (isAppError(reason)) return reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  return { code: "internal", message: `PrivacyDesk could not complete this: ${message}`, fields: [] };
}

type Commands = typeof commands;

/** The commands, each rejecting only with an `AppError`. */
export const api = Object.fromEntries(
  Object.entries(commands).map(([name, call]) => [
    name,
    async (...args: unknown[]) => {
      try {
        return await (call as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (reason) {
        throw toAppError(reason);
      }
    },
  ]),
) as Commands;
