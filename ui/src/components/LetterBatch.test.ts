import { afterEach, expect, test, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import LetterBatch from "./LetterBatch.svelte";
import type { BatchOutcome } from "../lib/bindings/BatchOutcome";
import type { BatchPlan } from "../lib/bindings/BatchPlan";
import type { BatchProgress } from "../lib/bindings/BatchProgress";

afterEach(() => clearMocks());

test("plans first (listing each case it cannot print, linked), prints with progress and cancel, then marks them mailed", async () => {
  const calls: { cmd: string; args: unknown }[] = [];
  let finish: (v: BatchOutcome) => void = () => {};
  let progress: Channel<BatchProgress> | undefined;
  const plan: BatchPlan = {
    printable: ["PR-2026-00001", "PR-2026-00003", "PR-2026-00004"],
    cannot: [{ number: "PR-2026-00002", reason: "No postal address for the requester: add one to the case." }],
    blocked: null,
  };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "plan_letter_batch") return plan;
    if (cmd === "cancel_letter_batch") return true;
    if (cmd === "print_letter_batch") {
      progress = (args as { progress: Channel<BatchProgress> }).progress;
      return new Promise((resolve) => (finish = resolve));
    }
    if (cmd === "mark_letters_mailed") return 1;
  });
  const onOpen = vi.fn();
  const onChanged = vi.fn();
  const user = userEvent.setup();
  render(LetterBatch, { props: { today: "2026-03-10", onOpen, onChanged } });
  await user.click(screen.getByRole("button", { name: "Find cases" }));
  expect(calls.find((c) => c.cmd === "plan_letter_batch")?.args).toEqual({
    request: { kind: "acknowledgment", due_before: "2026-03-10", fold_marks: true },
  });
  expect(await screen.findByText(/1 case needs one but cannot have it yet/)).toBeTruthy();
  expect(screen.getByText(/No postal address/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "PR-2026-00002" }));
  expect(onOpen).toHaveBeenCalledWith("PR-2026-00002");

  await user.click(screen.getByRole("button", { name: "Print 3 letters" }));
  progress?.onmessage({ done: 1, total: 3 });
  expect(await screen.findByText("1 of 3 letters")).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(calls.some((c) => c.cmd === "cancel_letter_batch")).toBe(true);
  finish({
    letters: 1,
    letter_ids: [41],
    pages: 1,
    skipped: [],
    not_needed: 0,
    stopped: null,
    cancelled: true,
    saved_to: "/home/d/Downloads/acknowledgment letters.pdf",
  });
  expect(await screen.findByText(/Cancelled: 1 letter \(1 pages\) archived and saved for the printer/)).toBeTruthy();
  expect(onChanged).toHaveBeenCalledTimes(1);
  await user.click(screen.getByRole("button", { name: "Mark this letter as mailed (first-class)" }));
  expect(await screen.findByText(/confirmations of receipt are recorded/)).toBeTruthy();
  expect(calls.find((c) => c.cmd === "mark_letters_mailed")?.args).toEqual({
    ids: [41],
    mailing: { on: "2026-03-10", method: "first-class", tracking_number: null },
  });
  // The deadlines behind the letters moved: the dashboard reads them again.
  expect(onChanged).toHaveBeenCalledTimes(2);
});

test("a profile without signatory or return address blocks the batch and says where to fix it", async () => {
  mockIPC((cmd) => {
    if (cmd === "plan_letter_batch")
      return {
        printable: [],
        cannot: [],
        blocked: "Letters cannot be produced or mailed until the organisation profile has the return address. Add it in Settings › Organisation profile.",
      } satisfies BatchPlan;
  });
  const onProfile = vi.fn();
  const user = userEvent.setup();
  render(LetterBatch, { props: { today: "2026-03-10", onProfile } });
  await user.click(screen.getByRole("button", { name: "Find cases" }));
  expect(await screen.findByText(/until the organisation profile has the return address/)).toBeTruthy();
  expect(screen.queryByRole("button", { name: /^Print/ })).toBeNull();
  await user.click(screen.getByRole("button", { name: "Open Settings › Organisation profile" }));
  expect(onProfile).toHaveBeenCalled();
});

test("a due date that cannot be read is said beside the field and nothing is planned", async () => {
  const calls: string[] = [];
  mockIPC((cmd) => void calls.push(cmd));
  const user = userEvent.setup();
  render(LetterBatch, { props: { today: "2026-03-10" } });
  const due = screen.getByLabelText("Due on or before");
  await user.clear(due);
  await user.type(due, "31/12/2026");
  await user.click(screen.getByRole("button", { name: "Find cases" }));
  expect(document.getElementById("batch-due-error")?.textContent).toMatch(/month/i);
  expect(calls).not.toContain("plan_letter_batch");
});
