import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import LettersPanel from "./LettersPanel.svelte";
import type { ArchivedLetter } from "../lib/bindings/ArchivedLetter";
import type { CaseView } from "../lib/bindings/CaseView";
import type { LetterKindInfo } from "../lib/bindings/LetterKindInfo";
import type { LetterPreview } from "../lib/bindings/LetterPreview";

afterEach(() => clearMocks());

const LETTER: ArchivedLetter = {
  id: 7,
  case_number: "PR-2026-00001",
  kind: "acknowledgment",
  language: "es",
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

const VIEW: CaseView = {
  case: {
    number: "PR-2026-00001",
    received_at: "2026-03-02T17:05:00Z",
    received_date: "2026-03-02",
    time_zone: "America/Los_Angeles",
    channel: "postal-mail",
    kinds: ["delete"],
    requester: { name: "José Núñez", email: null, phone: null, address: { lines: ["1 Main St"], city: "Oakland", state: "CA", postal_code: "94612", country: "US" } },
    status: "new",
    created_at: "2026-03-02T17:06:00Z",
    profile_version: 1,
    details: { entity: "TPMG", relationship: "employee", language: "en", delivery: "postal-mail", description: "", correction: null, agent: null },
    coverage: { state: "covered" },
    version: 1,
    assignee: null,
  },
  next_statuses: ["acknowledged"],
  clocks: { today: "2026-03-11", acknowledgment: null, extension: null, clocks: [] },
  notes: [],
  files: [],
  letters: [],
  history: [],
};

const KINDS: LetterKindInfo[] = [
  { kind: "acknowledgment", label: "Acknowledgment of receipt", section: "§ 7021(a)", needs_reason: false, needs_body: false, variants: [], batch: true },
  { kind: "extension", label: "Notice of extension", section: "§ 7021(b)", needs_reason: true, needs_body: false, variants: [], batch: false },
];

const PREVIEW: LetterPreview = {
  pages: [{ items: [{ type: "text", x: 74, y: 162, size: 10, bold: false, text: "José Núñez", unit: 1 }] }],
  has_logo: false,
  language: "es",
  recipient: "José Núñez",
  variant: "",
};

function core(handler: (cmd: string, args: Record<string, unknown>) => unknown) {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const answer = handler(cmd, (args ?? {}) as Record<string, unknown>);
    if (answer !== undefined) return answer;
    if (cmd === "letter_kinds") return KINDS;
    if (cmd === "letter_languages") return [{ code: "en", name: "English" }, { code: "es", name: "Español" }];
    if (cmd === "letterhead_logo") return new ArrayBuffer(0);
    return null;
  });
  return calls;
}

/** The panel as the case screen holds it: each answer replaces the view. */
function mount() {
  const views: CaseView[] = [];
  const panel = render(LettersPanel, {
    props: {
      view: VIEW,
      onView: (v: CaseView) => {
        views.push(v);
        panel.rerender({ view: v });
      },
    },
  });
  return views;
}

test("previews, produces and archives a letter, then records its mailing, and the case moves at once", async () => {
  let current = VIEW;
  const calls = core((cmd) => {
    if (cmd === "preview_letter") return PREVIEW;
    if (cmd === "produce_letter") {
      current = { ...current, letters: [LETTER] };
      return LETTER;
    }
    if (cmd === "mark_letter_mailed") {
      current = {
        ...current,
        case: { ...current.case, status: "acknowledged" },
        letters: [{ ...LETTER, mailed_on: "2026-03-11", mail_method: "certified", tracking_number: "9400 1" }],
      };
      return current.letters[0];
    }
    if (cmd === "case_view") return current;
  });
  const views = mount();
  const user = userEvent.setup();
  expect(await screen.findByText("No letters yet.")).toBeTruthy();
  await screen.findByRole("option", { name: /Acknowledgment of receipt/ });

  await user.selectOptions(screen.getByLabelText("Language"), "es");
  await user.click(screen.getByRole("button", { name: "Preview" }));
  expect(await screen.findByRole("img", { name: "Page 1 of 1" })).toBeTruthy();
  expect(calls.find((c) => c.cmd === "preview_letter")?.args).toEqual({
    number: "PR-2026-00001",
    request: { kind: "acknowledgment", language: "es", variant: null, reason: null, body: null, fold_marks: true },
  });
  // Large enough to proofread: it zooms.
  await user.click(screen.getByRole("button", { name: "Zoom in" }));
  expect(screen.getByText("125%")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Produce and archive" }));
  expect(await screen.findByText(/Letter 7 archived \(2 pages\)/)).toBeTruthy();
  expect(views).toHaveLength(1);
  expect(screen.getByText("José Núñez")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Mark as mailed: letter 7" }));
  await user.selectOptions(screen.getByLabelText("How"), "certified");
  await user.type(screen.getByLabelText(/Tracking number/), "9400 1");
  await user.click(screen.getByRole("button", { name: "Record mailing" }));
  expect(await screen.findByText(/Certified mail · 9400 1/)).toBeTruthy();
  expect(await screen.findByText(/Receipt is confirmed and the case is acknowledged/)).toBeTruthy();
  expect(calls.find((c) => c.cmd === "mark_letter_mailed")?.args).toEqual({
    id: 7,
    mailing: { on: "2026-03-11", method: "certified", tracking_number: "9400 1" },
  });
  expect(views.at(-1)?.case.status).toBe("acknowledged");
});

test("a refusal from the core is shown and nothing is listed as archived", async () => {
  core((cmd) => {
    if (cmd === "produce_letter")
      throw { code: "validation", message: "invalid", fields: [{ field: "recipient", message: "Case PR-2026-00001 has no postal address for the requester, so a letter cannot be mailed." }] };
  });
  mount();
  const user = userEvent.setup();
  await screen.findByRole("option", { name: /Notice of extension/ });
  await user.selectOptions(screen.getByLabelText("Letter"), "extension");
  expect(screen.getByLabelText(/Why more time is reasonably necessary/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Produce and archive" }));
  expect((await screen.findByText(/no postal address/)).getAttribute("role")).toBe("alert");
  expect(screen.getByText("No letters yet.")).toBeTruthy();
});
