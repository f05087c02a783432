import { afterEach, describe, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC as mockCommands } from "@tauri-apps/api/mocks";
import CaseView from "./CaseView.svelte";
import type { Case } from "../lib/bindings/Case";
import type { CaseClocks } from "../lib/bindings/CaseClocks";
import type { CaseDetail } from "../lib/bindings/CaseDetail";
import type { CaseEvent } from "../lib/bindings/CaseEvent";
import type { NewCase } from "../lib/bindings/NewCase";

const CASE: Case = {
  number: "PR-2026-00001",
  received_at: "2026-03-02T17:05:00Z",
  received_date: "2026-03-02",
  time_zone: "America/Los_Angeles",
  channel: "email",
  kinds: ["delete"],
  requester: { name: "José Núñez", email: "jose@example.com", phone: null, address: null },
  status: "new",
  created_at: "2026-03-02T17:06:00Z",
  profile_version: 1,
  details: { entity: "TPMG", relationship: "employee", language: "en", delivery: "email", description: "Delete my records.", correction: null, agent: null },
  coverage: { state: "covered" },
  version: 1,
  assignee: null,
};

const DETAIL: CaseDetail = { case: CASE, next_statuses: ["acknowledged", "verifying", "in-progress", "denied", "withdrawn", "not-covered"], notes: [], attachments: [] };

const CLOCKS: CaseClocks = {
  number: "PR-2026-00001",
  today: "2026-04-20",
  acknowledgment: null,
  extension: null,
  clocks: [
    { deadline: { clock: "acknowledge", due: "2026-03-16", explanation: "Received Mon 2 Mar 2026 …", section: "§ 7021(a)" }, state: "overdue", days_left: -35, done_on: null },
    { deadline: { clock: "respond", due: "2026-04-15", explanation: "day 1 = Mon 2 Mar 2026; +44 calendar days", section: "§ 7021(b)" }, state: "overdue", days_left: -5, done_on: null },
    { deadline: { clock: "respond_extended", due: "2026-05-30", explanation: "+89 calendar days", section: "§ 7021(b)" }, state: "not_running", days_left: 40, done_on: null },
  ],
};

const HISTORY: CaseEvent[] = [
  { id: 1, at: "2026-03-02T17:06:00Z", actor: "Dana Officer", action: "case.created", before: null, after: { number: "PR-2026-00001" } },
  { id: 2, at: "2026-03-04T18:00:00Z", actor: "Dana Officer", action: "status.changed", before: { status: "new" }, after: { status: "acknowledged" } },
];

afterEach(() => clearMocks());

/** The case view also lists the case's letters; these tests have none. */
const mockIPC = (handler: (cmd: string, args?: unknown) => unknown) =>
  mockCommands((cmd, args) => (cmd === "case_letters" ? [] : handler(cmd, args)));

describe("case view", () => {
  test("shows each clock's due date, state and derivation", async () => {
    mockIPC((cmd) => (cmd === "get_case" ? DETAIL : cmd === "case_clocks" ? CLOCKS : cmd === "case_history" ? HISTORY : undefined));
    render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });
    expect(await screen.findByText("PR-2026-00001 · José Núñez")).toBeTruthy();
    expect(screen.getByText("35 days overdue")).toBeTruthy();
    expect(screen.getByText("Only with an extension")).toBeTruthy();
    expect(screen.getByText("day 1 = Mon 2 Mar 2026; +44 calendar days")).toBeTruthy();
    expect(screen.getByText("Request logged")).toBeTruthy();
    expect(screen.getByText("Status changed: New → Acknowledged")).toBeTruthy();
    expect(screen.getAllByText("Dana Officer")).toHaveLength(2);
  });

  test("shows the core's refusal of a late extension beside the form, and records nothing", async () => {
    const refusal = "Too late: the notice of an extension must be given by the response date, Wed 15 Apr 2026 (§ 7021(b)); a notice given later cannot extend the period.";
    let calls = 0;
    mockIPC((cmd, args) => {
      if (cmd === "get_case") return DETAIL;
      if (cmd === "case_clocks") return CLOCKS;
      if (cmd === "case_history") return HISTORY;
      if (cmd === "record_extension") {
        calls += 1;
        expect(args).toEqual({ number: "PR-2026-00001", extension: { reason: "Volume of records", notice_on: "2026-04-20" } });
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "notice_on", message: refusal }] };
      }
    });
    const user = userEvent.setup();
    render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });
    await user.type(await screen.findByLabelText("Reason given in the notice"), "Volume of records");
    await user.click(screen.getByRole("button", { name: "Record extension" }));
    expect((await screen.findByRole("alert")).textContent).toBe(refusal);
    expect(calls).toBe(1);
    expect(screen.queryByText("Extension recorded.")).toBeNull();
  });
});

test("moves the case on with a reason, and shows the core's refusal without one", async () => {
  let sent: unknown;
  mockIPC((cmd, args) => {
    if (cmd === "get_case") return DETAIL;
    if (cmd === "case_clocks") return CLOCKS;
    if (cmd === "case_history") return HISTORY;
    if (cmd === "change_status") {
      sent = args;
      const a = args as { reason: string };
      if (a.reason.trim() === "") {
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "reason", message: "Say why the status changes; the case history keeps it." }] };
      }
      return { case: { ...CASE, status: "verifying" }, next_statuses: ["in-progress", "denied", "withdrawn", "not-covered"], notes: [], attachments: [] };
    }
  });
  const user = userEvent.setup();
  render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });
  await user.selectOptions(await screen.findByLabelText("New status"), "verifying");
  await user.click(screen.getByRole("button", { name: "Change status" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Say why");
  await user.type(screen.getByLabelText("Why"), "Asked for two data points");
  await user.click(screen.getByRole("button", { name: "Change status" }));
  expect(await screen.findByText("Status changed to Verifying.")).toBeTruthy();
  expect(sent).toEqual({ number: "PR-2026-00001", to: "verifying", reason: "Asked for two data points" });
});

test("an edit refused over someone else's save keeps what was typed", async () => {
  mockIPC((cmd, args) => {
    if (cmd === "get_case") return DETAIL;
    if (cmd === "case_clocks") return CLOCKS;
    if (cmd === "case_history") return HISTORY;
    if (cmd === "edit_case") {
      expect((args as { version: number }).version).toBe(1);
      throw { code: "conflict", message: "Case PR-2026-00001 was changed by someone else after you opened it, so your edit was not saved.", fields: [] };
    }
  });
  const user = userEvent.setup();
  render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });
  await user.click(await screen.findByRole("button", { name: "Edit details" }));
  const email = screen.getByRole("textbox", { name: "Email" });
  await user.clear(email);
  await user.type(email, "jose.new@example.com");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect((await screen.findByRole("alert")).textContent).toContain("changed by someone else");
  expect((screen.getByRole("textbox", { name: "Email" }) as HTMLInputElement).value).toBe("jose.new@example.com");
  expect(screen.getByRole("button", { name: /Reload the case/ })).toBeTruthy();
});

test("every intake field can be edited: address, kinds, channel, receipt, agent with address", async () => {
  let sent: { version: number; input: NewCase } | null = null;
  mockIPC((cmd, args) => {
    if (cmd === "get_case") return DETAIL;
    if (cmd === "case_clocks") return CLOCKS;
    if (cmd === "case_history") return HISTORY;
    if (cmd === "current_profile") return { version: 1, profile: null, warnings: [] };
    if (cmd === "edit_case") {
      sent = args as unknown as { version: number; input: NewCase };
      return { ...DETAIL, case: { ...CASE, version: 2 } };
    }
  });
  const user = userEvent.setup();
  render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });
  await user.click(await screen.findByRole("button", { name: "Edit details" }));
  expect((screen.getByRole("textbox", { name: /^Full name/ }) as HTMLInputElement).value).toBe("José Núñez");
  expect((screen.getByLabelText(/^Received/) as HTMLInputElement).value).toBe("2026-03-02 09:05");
  await user.type(screen.getByLabelText("Street address"), "1 Main St");
  await user.type(screen.getByLabelText("City"), "Oakland");
  await user.type(screen.getByLabelText("ZIP / postal code"), "94612");
  await user.click(document.getElementById("f-kind-correct")!);
  await user.click(document.getElementById("f-channel-postal-mail")!);
  await user.click(screen.getByLabelText(/An authorised agent made this request/));
  await user.type(screen.getByLabelText(/^Agent's name/), "Ana Advocate");
  await user.type(screen.getByLabelText("Agent's street address"), "500 Law Way");
  await user.type(screen.getByLabelText("Agent's city"), "Fresno");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect(await screen.findByText("Changes saved.")).toBeTruthy();
  const input = sent!.input;
  expect(sent!.version).toBe(1);
  expect(input.requester.address).toEqual({ lines: ["1 Main St"], city: "Oakland", state: null, postal_code: "94612", country: "US" });
  expect(input.kinds).toEqual(["delete", "correct"]);
  expect(input.channel).toBe("postal-mail");
  expect(input.received).toBe(CASE.received_at);
  expect(input.details.entity).toBe("TPMG");
  expect(input.details.agent?.name).toBe("Ana Advocate");
  expect(input.details.agent?.address).toEqual({ lines: ["500 Law Way"], city: "Fresno", state: null, postal_code: null, country: "US" });
});
