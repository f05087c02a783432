// One way for every form to show what the core refused: each problem beside the field it is
// about, the rest as the form's own message, and the focus on the first field to fix.
import { tick } from "svelte";
import type { AppError } from "./ipc";

/** The key under which a form keeps the message that belongs to no one field. */
export const FORM = "form";

/**
 * The form's messages by its own field keys. `paths` maps the core's field paths
 * (`requester.email`, `on`, `reason`) to the form's keys; a problem whose path the form does
 * not show, or an error with no fields, becomes the form's own message, in words only (the
 * core's messages never name paths or formats).
 */
export function fieldErrors(err: unknown, paths: Record<string, string> = {}): Record<string, string> {
  const e = err as AppError;
  const out: Record<string, string> = {};
  const loose: string[] = [];
  for (const f of e.fields ?? []) {
    const key = paths[f.field];
    if (key) out[key] = out[key] ? `${out[key]} ${f.message}` : f.message;
    else loose.push(f.message);
  }
  if ((e.fields ?? []).length === 0) loose.push(e.message ?? String(err));
  if (loose.length > 0) out[FORM] = loose.join(" ");
  return out;
}

/**
 * Moves the focus to the first field with a problem, in `order` (the form's keys in reading
 * order; `idOf` gives each one's element id), once the messages are on screen.
 */
export async function focusFirst(
  errors: Record<string, string>,
  order: string[],
  idOf: (key: string) => string = (key) => key,
): Promise<void> {
  await tick();
  const first = order.find((key) => errors[key]);
  if (first) document.getElementById(idOf(first))?.focus();
}
