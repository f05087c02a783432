import { afterEach, describe, expect, test, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Intake from "./Intake.svelte";
import type { NewCase } from "../lib/bindings/NewCase";

const FIXED_NOW = () => new Date("2026-03-02T17:05:00Z");

function renderForm() {
  const onLogged = vi.fn();
  const onCancel = vi.fn();
  render(Intake, { props: { timeZone: "America/Los_Angeles", onLogged, onCancel, now: FIXED_NOW } });
  return { onLogged, onCancel, user: userEvent.setup() };
}

afterEach(() => clearMocks());

describe("intake form", () => {
  test("prefills the received time as the wall-clock time in the organisation's zone", () => {
    renderForm();
    expect(screen.getByLabelText(/Received/)).toHaveProperty("value", "2026-03-02 09:05");
  });

  test("shows each validation message beside its field and focuses the first one", async () => {
    mockIPC((cmd) => {
      if (cmd === "create_case") {
        throw {
          code: "validation",
          message: "Some fields need attention.",
          fields: [
            { field: "kinds", message: "Choose at least one kind of request." },
            { field: "requester.name", message: "Enter the requester's name." },
            { field: "requester.address.postal_code", message: "Enter a ZIP code of 5 digits, or ZIP+4 such as 94612-3401." },
          ],
        };
      }
    });
    const { user, onLogged } = renderForm();
    await user.click(screen.getByRole("button", { name: "Log request" }));

    const name = screen.getByLabelText(/Full name/);
    expect(await screen.findByText("3 fields need attention.")).toBeTruthy();
    expect(name.getAttribute("aria-invalid")).toBe("true");
    const nameMessage = document.getElementById(name.getAttribute("aria-describedby") ?? "");
    expect(nameMessage?.textContent).toBe("Enter the requester's name.");
    const zip = screen.getByLabelText("ZIP / postal code");
    expect(document.getElementById(zip.getAttribute("aria-describedby") ?? "")?.textContent).toContain("ZIP+4");
    expect(screen.getAllByText("Choose at least one kind of request.").length).toBeGreaterThan(0);
    expect(document.activeElement).toBe(name);
    expect(onLogged).not.toHaveBeenCalled();
  });

  test("sends what was typed, from the keyboard alone, and reports the new case", async () => {
    let sent: NewCase | undefined;
    mockIPC((cmd, args) => {
      if (cmd === "current_profile") throw { code: "internal", message: "not needed here", fields: [] };
      if (cmd === "create_case") {
        sent = (args as { input: NewCase }).input;
        return { number: "PR-2026-00001" };
      }
    });
    const { user, onLogged } = renderForm();
    // Focus starts in the name field; Tab walks the form in reading order.
    await user.keyboard("Łukasz Żółć");
    await user.tab();
    await user.keyboard("lukasz@example.com");
    await user.tab(); // phone
    await user.tab();
    await user.keyboard("1950 Franklin St");
    await user.tab(); // line 2
    await user.tab();
    await user.keyboard("Oakland");
    await user.tab();
    await user.keyboard("CA");
    await user.tab();
    await user.keyboard("94612");
    await user.tab(); // country
    await user.tab(); // first kind: know categories
    await user.keyboard(" ");
    await user.tab();
    await user.tab(); // delete
    await user.keyboard(" {Enter}");

    expect(onLogged).toHaveBeenCalledWith({ number: "PR-2026-00001" });
    expect(sent).toEqual({
      requester: {
        name: "Łukasz Żółć",
        email: "lukasz@example.com",
        phone: null,
        address: { lines: ["1950 Franklin St"], city: "Oakland", state: "CA", postal_code: "94612", country: "US" },
      },
      channel: "email",
      kinds: ["know-categories", "delete"],
      received: "2026-03-02 09:05",
      details: { entity: null, relationship: null, language: "en", delivery: null, description: "", correction: null, agent: null },
    });
  });

  test("Esc cancels at once when nothing was typed, and asks again when something was", async () => {
    const discarded: string[] = [];
    mockIPC((cmd) => {
      if (cmd === "discard_intake_draft") discarded.push(cmd);
      return null;
    });
    const { user, onCancel } = renderForm();
    await user.keyboard("{Escape}");
    await vi.waitFor(() => expect(onCancel).toHaveBeenCalledTimes(1));

    await user.keyboard("Ana");
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/Press Esc or Discard again to throw this request away/)).toBeTruthy();
    await user.keyboard("{Escape}");
    await vi.waitFor(() => expect(onCancel).toHaveBeenCalledTimes(2));
    // Throwing the request away throws its draft away too.
    expect(discarded.length).toBeGreaterThan(0);
  });

  test("what is typed is kept as a draft, comes back when the form opens again, and goes once logged", async () => {
    let draft: string | null = null;
    const drafts: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "save_intake_draft") {
        draft = (args as { document: string }).document;
        drafts.push(draft);
        return null;
      }
      if (cmd === "intake_draft") return draft ? { document: draft, saved_at: "2026-03-02T17:06:00Z" } : null;
      if (cmd === "discard_intake_draft") {
        draft = null;
        return null;
      }
      if (cmd === "create_case") return { number: "PR-2026-00004" };
      return null;
    });
    const first = renderForm();
    await first.user.keyboard("Ana Reyes");
    await vi.waitFor(() => expect(draft).toContain("Ana Reyes"), { timeout: 2000 });
    // A click elsewhere (the form leaves the screen) and back: the request is still there.
    document.body.innerHTML = "";
    clearMocks();
    mockIPC((cmd, args) => {
      if (cmd === "intake_draft") return draft ? { document: draft, saved_at: "2026-03-02T17:06:00Z" } : null;
      if (cmd === "discard_intake_draft") {
        draft = null;
        return null;
      }
      if (cmd === "save_intake_draft") return null;
      if (cmd === "create_case") {
        expect((args as { input: NewCase }).input.requester.name).toBe("Ana Reyes");
        return { number: "PR-2026-00004" };
      }
      return null;
    });
    const again = renderForm();
    await vi.waitFor(() => expect((screen.getByLabelText(/Full name/) as HTMLInputElement).value).toBe("Ana Reyes"));
    expect(screen.getByText(/kept as a draft/)).toBeTruthy();
    await again.user.click(screen.getByLabelText("Delete"));
    await again.user.click(screen.getByRole("button", { name: "Log request" }));
    await vi.waitFor(() => expect(again.onLogged).toHaveBeenCalled());
    expect(draft).toBeNull();
  });
});

describe("intake details", () => {
  const PROFILE = {
    version: 1,
    saved_at: "2026-11-27T18:00:00Z",
    saved_by: "PrivacyDesk (demo profile)",
    document: "",
    warnings: [],
    profile: {
      name: "Kaiser Permanente",
      notice_version: "2023-01-24",
      entities: [{ code: "TPMG", name: "The Permanente Medical Group" }],
      relationships: [{ code: "employee", label: "Employee" }],
      categories: [],
      contacts: { email: "kp-hires@kp.org", toll_free: "833-945-2456", web_form: null },
      signatory: { name: "", title: "" },
      return_address: { lines: [] },
    },
  };

  test("flags a person outside the covered relationships and sends the agent and preferences", async () => {
    let sent: NewCase | undefined;
    mockIPC((cmd, args) => {
      if (cmd === "current_profile") return PROFILE;
      if (cmd === "create_case") {
        sent = (args as { input: NewCase }).input;
        return { number: "PR-2026-00002" };
      }
    });
    const { user } = renderForm();
    await user.keyboard("Bo Chen");
    await user.click(screen.getByLabelText(/Correct/));
    await user.selectOptions(await screen.findByLabelText("Legal entity"), "TPMG");
    await user.selectOptions(screen.getByLabelText("Relationship"), "not-listed");
    expect(screen.getByText(/Not covered: the notice covers only/)).toBeTruthy();
    await user.type(screen.getByLabelText("What they say is wrong"), "Title: Nurse");
    await user.type(screen.getByLabelText("What it should be"), "Title: Physician");
    await user.click(screen.getByLabelText("Español"));
    await user.click(within(screen.getByRole("group", { name: "Response by" })).getByLabelText("Email"));
    await user.click(screen.getByLabelText(/An authorised agent made this request/));
    await user.type(screen.getByLabelText(/Agent's name/), "Rights LLC");
    await user.type(screen.getByLabelText("Agent's email"), "cases@rights.example");
    await user.click(screen.getByRole("button", { name: "Log request" }));
    expect(sent?.details).toEqual({
      entity: "TPMG",
      relationship: "not-listed",
      language: "es",
      delivery: "email",
      description: "",
      correction: { wrong: "Title: Nurse", right: "Title: Physician" },
      agent: { kind: "person", name: "Rights LLC", email: "cases@rights.example", phone: null, address: null, basis: "signed-permission" },
    });
  });
});

test("points out an open case from the same person and opens it (the request is kept as a draft)", async () => {
  mockIPC((cmd, args) => {
    if (cmd === "intake_warnings") {
      const email = (args as { requester: { email: string | null } }).requester.email;
      return email === "ana@example.com"
        ? { duplicates: [{ number: "PR-2026-00007", name: "Ana Reyes", status: "new", reasons: ["same email"] }], know_limit: null }
        : { duplicates: [], know_limit: null };
    }
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
  });
  const onOpen = vi.fn();
  const user = userEvent.setup();
  render(Intake, { props: { timeZone: "America/Los_Angeles", onLogged: () => {}, onCancel: () => {}, onOpen, now: FIXED_NOW } });
  await user.keyboard("Ana");
  await user.tab();
  await user.keyboard("ana@example.com");
  const link = await screen.findByRole("button", { name: "PR-2026-00007" }, { timeout: 2000 });
  expect(screen.getByText(/same email/)).toBeTruthy();
  await user.click(link);
  expect(onOpen).toHaveBeenCalledWith("PR-2026-00007");
});
