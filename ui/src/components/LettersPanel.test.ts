import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import LettersPanel from "./LettersPanel.svelte";
import type { LetterSummary } from "../lib/bindings/LetterSummary";
import type { LetterPreview } from "../lib/bindings/LetterPreview";

afterEach(() => clearMocks());

const LETTER: LetterSummary = {
  id: 7,
  case_number: "PR-2026-00001",
  kind: "acknowledgment",
  language: "en",
  recipient: "José Núñez",
  created_at: "2026-03-10T18:00:00Z",
  created_by: "Dana Officer",
  template_version: 0,
  profile_version: 1,
  pages: 2,
  sha256: "ab".repeat(32),
  mailed_on: null,
  mail_method: null,
  tracking_number: null,
};

const PREVIEW: LetterPreview = {
  pages: [{ items: [{ type: "text", x: 74, y: 162, size: 10, bold: false, text: "José Núñez" }] }],
  logo: null,
  language: "es",
  recipient: "José Núñez",
};

test("previews, produces and archives a letter, then records its mailing", async () => {
  const calls: { cmd: string; args: unknown }[] = [];
  let archived: LetterSummary[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "case_letters") return archived;
    if (cmd === "preview_letter") return PREVIEW;
    if (cmd === "produce_letter") {
      archived = [LETTER];
      return LETTER;
    }
    if (cmd === "mark_letter_mailed") {
      archived = [{ ...LETTER, mailed_on: "2026-03-11", mail_method: "certified", tracking_number: "9400 1" }];
      return archived[0];
    }
  });
  let changed = 0;
  const user = userEvent.setup();
  render(LettersPanel, { props: { number: "PR-2026-00001", timeZone: "America/Los_Angeles", today: "2026-03-11", onChanged: () => changed++ } });
  expect(await screen.findByText("No letters yet.")).toBeTruthy();

  await user.selectOptions(screen.getByLabelText("Language"), "es");
  await user.click(screen.getByRole("button", { name: "Preview" }));
  expect(await screen.findByRole("img", { name: "Page 1 of 1" })).toBeTruthy();
  expect(calls.find((c) => c.cmd === "preview_letter")?.args).toEqual({
    number: "PR-2026-00001",
    request: { kind: "acknowledgment", language: "es", reason: null, body: null, fold_marks: true },
  });

  await user.click(screen.getByRole("button", { name: "Produce and archive" }));
  expect(await screen.findByText(/Letter 7 archived \(2 pages\)/)).toBeTruthy();
  expect(changed).toBe(1);
  expect(screen.getByText("José Núñez")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Mark as mailed…" }));
  await user.selectOptions(screen.getByLabelText("How"), "certified");
  await user.type(screen.getByLabelText("Tracking number"), "9400 1");
  await user.click(screen.getByRole("button", { name: "Record mailing" }));
  expect(await screen.findByText(/Certified mail · 9400 1/)).toBeTruthy();
  expect(calls.find((c) => c.cmd === "mark_letter_mailed")?.args).toEqual({
    id: 7,
    mailing: { on: "2026-03-11", method: "certified", tracking_number: "9400 1" },
  });
});

test("a refusal from the core is shown and nothing is listed as archived", async () => {
  mockIPC((cmd) => {
    if (cmd === "case_letters") return [];
    if (cmd === "produce_letter")
      throw { code: "validation", message: "invalid", fields: [{ field: "recipient", message: "Case PR-2026-00001 has no postal address for the requester, so a letter cannot be mailed." }] };
  });
  const user = userEvent.setup();
  render(LettersPanel, { props: { number: "PR-2026-00001", timeZone: "America/Los_Angeles", today: "2026-03-11" } });
  await user.selectOptions(await screen.findByLabelText("Letter"), "extension");
  expect(screen.getByLabelText(/Reason for the extension/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Produce and archive" }));
  expect((await screen.findByRole("alert")).textContent).toContain("no postal address");
  expect(screen.getByText("No letters yet.")).toBeTruthy();
});
