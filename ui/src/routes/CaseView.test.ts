import { afterEach, describe, expect, test } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import CaseView from "./CaseView.svelte";
import type { Case } from "../lib/bindings/Case";
import type { CaseClocks } from "../lib/bindings/CaseClocks";
import type { CaseView as View } from "../lib/bindings/CaseView";
import type { HistoryEntry } from "../lib/bindings/HistoryEntry";
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

const CLOCKS: CaseClocks = {
  today: "2026-04-20",
  acknowledgment: null,
  extension: null,
  clocks: [
    { deadline: { clock: "acknowledge", due: "2026-03-16", explanation: "Received Mon 2 Mar 2026 …", section: "§ 7021(a)" }, state: "overdue", days_left: -35, done_on: null },
    { deadline: { clock: "respond", due: "2026-04-15", explanation: "day 1 = Mon 2 Mar 2026; +44 calendar days", section: "§ 7021(b)" }, state: "overdue", days_left: -5, done_on: null },
    { deadline: { clock: "respond_extended", due: "2026-05-30", explanation: "+89 calendar days", section: "§ 7021(b)" }, state: "not_running", days_left: 40, done_on: null },
  ],
};

const HISTORY: HistoryEntry[] = [
  { seq: 1, at: "2026-03-02T17:06:00Z", actor: "Dana Officer", action: "case.created", event: { action: "case.created", case: CASE } },
  { seq: 2, at: "2026-03-04T18:00:00Z", actor: "Dana Officer", action: "status.moved", event: { action: "status.moved", from: "new", to: "verifying", reason: "Asked for two data points" } },
];

const VIEW: View = {
  case: CASE,
  next_statuses: ["acknowledged", "verifying", "in-progress", "denied", "withdrawn", "not-covered"],
  clocks: CLOCKS,
  notes: [],
  files: [],
  letters: [],
  history: HISTORY,
};

afterEach(() => clearMocks());

/** The core as the case screen meets it: `case_view` answers from one snapshot; `handler` may answer the rest. */
function core(handler: (cmd: string, args: Record<string, unknown>) => unknown = () => undefined) {
  mockIPC((cmd, args) => {
    const answer = handler(cmd, (args ?? {}) as Record<string, unknown>);
    if (answer !== undefined) return answer;
    if (cmd === "case_view") return VIEW;
    if (cmd === "staff_names") return ["Dana Officer"];
    if (cmd === "letter_kinds") return [];
    if (cmd === "letter_languages") return [{ code: "en", name: "English" }];
    if (cmd === "letterhead_logo") return new ArrayBuffer(0);
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
    return null;
  });
}

const open = () => render(CaseView, { props: { number: "PR-2026-00001", onBack: () => {} } });

describe("case view", () => {
  test("shows each clock's due date, state and derivation, and the history, from one read", async () => {
    const calls: string[] = [];
    core((cmd) => void calls.push(cmd));
    open();
    const heading = await screen.findByRole("heading", { level: 1, name: "PR-2026-00001 · José Núñez" });
    // The screen opens with its heading focused, not the page body.
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText("35 days overdue")).toBeTruthy();
    expect(screen.getByText("Only with an extension")).toBeTruthy();
    expect(screen.getByText("day 1 = Mon 2 Mar 2026; +44 calendar days")).toBeTruthy();
    expect(screen.getByText("Request logged")).toBeTruthy();
    expect(screen.getByText("Status changed: New → Verifying — “Asked for two data points”")).toBeTruthy();
    expect(calls.filter((c) => c === "case_view")).toHaveLength(1);
  });

  test("a confirmation of receipt moves the status at once and closes its form", async () => {
    let sent: unknown;
    core((cmd, args) => {
      if (cmd === "record_acknowledgment") {
        sent = args;
        return {
          ...VIEW,
          case: { ...CASE, status: "acknowledged", version: 2 },
          next_statuses: ["verifying", "in-progress", "denied", "withdrawn", "not-covered"],
          clocks: {
            ...CLOCKS,
            acknowledgment: { on: "2026-04-20", channel: "email" },
            clocks: CLOCKS.clocks.map((c) => (c.deadline.clock === "acknowledge" ? { ...c, state: "met_late", done_on: "2026-04-20" } : c)),
          },
        } satisfies View;
      }
    });
    const user = userEvent.setup();
    open();
    const date = await screen.findByLabelText(/^Confirmed on/);
    await user.clear(date);
    await user.type(date, "04/20/2026");
    await user.click(screen.getByRole("button", { name: "Record the confirmation" }));
    expect(await screen.findByText("Receipt confirmed; the case is acknowledged.")).toBeTruthy();
    expect(sent).toEqual({ number: "PR-2026-00001", acknowledgment: { on: "2026-04-20", channel: "email" } });
    const facts = screen.getByText("Status").closest("div")!;
    expect(within(facts).getByText("Acknowledged")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Record the confirmation" })).toBeNull();
    // "Acknowledged" is no longer offered as a move: it is where the case is.
    const options = [...(screen.getByLabelText("New status") as HTMLSelectElement).options].map((o) => o.value);
    expect(options).not.toContain("acknowledged");
  });

  test("a date that cannot be read is said beside its field, in words, and nothing is sent", async () => {
    let calls = 0;
    core((cmd) => {
      if (cmd === "record_acknowledgment") calls += 1;
    });
    const user = userEvent.setup();
    open();
    const date = await screen.findByLabelText(/^Confirmed on/);
    await user.clear(date);
    await user.type(date, "2026-13-45");
    await user.click(screen.getByRole("button", { name: "Record the confirmation" }));
    expect(document.activeElement).toBe(date);
    expect(date.getAttribute("aria-invalid")).toBe("true");
    const described = (date.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent ?? "");
    expect(described.join(" ")).toMatch(/no month 13/);
    expect(described.join(" ")).not.toMatch(/invalid args|RFC 3339/);
    expect(calls).toBe(0);
  });

  test("shows the core's refusal of a late extension beside its field, and records nothing", async () => {
    const refusal = "Too late: the notice of an extension must be given by the response date, Wed 15 Apr 2026 (§ 7021(b)); a notice given later cannot extend the period.";
    let calls = 0;
    core((cmd, args) => {
      if (cmd === "record_extension") {
        calls += 1;
        expect(args).toEqual({ number: "PR-2026-00001", extension: { reason: "Volume of records", notice_on: "2026-04-20" } });
        throw { code: "too_late", message: "Some fields need attention.", fields: [{ field: "notice_on", message: refusal }] };
      }
    });
    const user = userEvent.setup();
    open();
    await user.type(await screen.findByLabelText(/^Why more time/), "Volume of records");
    await user.click(screen.getByRole("button", { name: "Record the extension" }));
    const field = screen.getByLabelText(/^Notice given on/);
    await screen.findByText(refusal);
    expect(document.getElementById(`${field.id}-error`)?.textContent).toBe(refusal);
    expect(document.activeElement).toBe(field);
    expect(calls).toBe(1);
    expect(screen.queryByText("Extension recorded.")).toBeNull();
  });
});

test("moves the case on with a reason, and shows the core's refusal without one beside the field", async () => {
  let sent: unknown;
  core((cmd, args) => {
    if (cmd === "change_status") {
      sent = args;
      const a = args as { request: { reason: string } };
      if (a.request.reason.trim() === "") {
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "reason", message: "Say why the status changes; the case history keeps it." }] };
      }
      return { ...VIEW, case: { ...CASE, status: "verifying" }, next_statuses: ["in-progress", "denied", "withdrawn", "not-covered"] };
    }
  });
  const user = userEvent.setup();
  open();
  await user.selectOptions(await screen.findByLabelText("New status"), "verifying");
  await user.click(screen.getByRole("button", { name: "Change status" }));
  expect(await screen.findByText("Say why the status changes; the case history keeps it.")).toBeTruthy();
  expect(document.activeElement).toBe(screen.getByLabelText("Why"));
  await user.type(screen.getByLabelText("Why"), "Asked for two data points");
  await user.click(screen.getByRole("button", { name: "Change status" }));
  expect(await screen.findByText("Status changed to Verifying.")).toBeTruthy();
  expect(sent).toEqual({ number: "PR-2026-00001", request: { from: "new", to: "verifying", reason: "Asked for two data points", acknowledgment: null } });
});

test("choosing Acknowledged asks for the confirmation of receipt itself", async () => {
  let sent: unknown;
  core((cmd, args) => {
    if (cmd === "change_status") {
      sent = args;
      return { ...VIEW, case: { ...CASE, status: "acknowledged" }, next_statuses: ["verifying"] };
    }
  });
  const user = userEvent.setup();
  open();
  await user.selectOptions(await screen.findByLabelText("New status"), "acknowledged");
  const on = document.getElementById("move-ack-on") as HTMLInputElement;
  await user.clear(on);
  await user.type(on, "04/18/2026");
  await user.type(screen.getByLabelText("Why"), "Called back");
  await user.click(screen.getByRole("button", { name: "Change status" }));
  expect(await screen.findByText("Status changed to Acknowledged; receipt confirmed.")).toBeTruthy();
  expect(sent).toMatchObject({ request: { to: "acknowledged", acknowledgment: { on: "2026-04-18", channel: "email" } } });
});

test("an edit refused over someone else's save keeps what was typed", async () => {
  core((cmd, args) => {
    if (cmd === "edit_case") {
      expect((args as { version: number }).version).toBe(1);
      throw { code: "conflict", message: "Case PR-2026-00001 was changed by someone else after you opened it, so your edit was not saved.", fields: [] };
    }
  });
  const user = userEvent.setup();
  open();
  await user.click(await screen.findByRole("button", { name: "Edit details" }));
  const email = screen.getByRole("textbox", { name: "Email" });
  await user.clear(email);
  await user.type(email, "jose.new@example.com");
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  expect((await screen.findByText(/changed by someone else/)).textContent).toContain("changed by someone else");
  expect((screen.getByRole("textbox", { name: "Email" }) as HTMLInputElement).value).toBe("jose.new@example.com");
  expect(screen.getByRole("button", { name: /Reload the case/ })).toBeTruthy();
});

test("every intake field can be edited: address, kinds, channel, receipt, agent with address", async () => {
  let sent: { version: number; input: NewCase } | null = null;
  core((cmd, args) => {
    if (cmd === "edit_case") {
      sent = args as unknown as { version: number; input: NewCase };
      return { ...VIEW, case: { ...CASE, version: 2 } };
    }
  });
  const user = userEvent.setup();
  open();
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
  // The confirmation has the focus: it is where the person is, though the form is gone.
  expect(document.activeElement?.textContent).toBe("Changes saved.");
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
