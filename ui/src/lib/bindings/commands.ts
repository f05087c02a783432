// Generated from src-tauri/src/ipc.rs by `make bindings`; do not edit.
import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "./AppError";
import type { AppStatus } from "./AppStatus";
import type { Case } from "./Case";
import type { NewCase } from "./NewCase";

/** Every command of the app, typed from the Rust signatures. Errors reject with an `AppError`. */
export const commands = {
  /** Whether the case file is open (or why not), and the organisation's time zone. */
  appStatus: (): Promise<AppStatus> => invoke<AppStatus>("app_status"),
  /** Logs a new request; rejects with a `validation` error naming each bad field. */
  createCase: (input: NewCase): Promise<Case> => invoke<Case>("create_case", { input }),
  /** Every case, newest received first. */
  listCases: (): Promise<Array<Case>> => invoke<Array<Case>>("list_cases"),
};
