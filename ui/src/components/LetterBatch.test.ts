import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import LetterBatch from "./LetterBatch.svelte";

afterEach(() => clearMocks());

test("finds the letters due, prints them with a progress bar and cancel, then marks them mailed", async () => {
  const calls: { cmd: string; args: unknown }[] = [];
  let finish: (v: unknown) => void = () => {};
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "letter_batch_cases") return ["PR-2026-00001", "PR-2026-00002", "PR-2026-00003"];
    if (cmd === "letter_batch_progress") return [1, 3];
    if (cmd === "cancel_letter_batch") return true;
    if (cmd === "print_letter_batch") return new Promise((resolve) => (finish = resolve));
    if (cmd === "mark_letters_mailed") return 1;
  });
  const user = userEvent.setup();
  render(LetterBatch, { props: { today: "2026-03-10" } });
  await user.click(screen.getByRole("button", { name: "Find cases" }));
  await user.click(await screen.findByRole("button", { name: "Print 3 letters" }));
  expect(await screen.findByText("1 / 3 letters", {}, { timeout: 2000 })).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(calls.some((c) => c.cmd === "cancel_letter_batch")).toBe(true);
  finish({ letters: 1, letter_ids: [41], pages: 1, skipped: [{ number: "PR-2026-00002", reason: "no postal address" }], cancelled: true, saved_to: "/home/d/Downloads/acknowledgment letters.pdf" });
  expect(await screen.findByText(/Cancelled: 1 letter \(1 pages\) archived and saved for the printer/)).toBeTruthy();
  expect(screen.getByText(/no postal address/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Mark these 1 letters as mailed (first-class)" }));
  expect(await screen.findByText(/confirmations of receipt are recorded/)).toBeTruthy();
  expect(calls.find((c) => c.cmd === "mark_letters_mailed")?.args).toEqual({
    ids: [41],
    mailing: { on: "2026-03-10", method: "first-class", tracking_number: null },
  });
});
