import { afterEach, describe, expect, test, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
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
    });
  });

  test("Esc cancels at once when nothing was typed, and asks again when something was", async () => {
    const { user, onCancel } = renderForm();
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);

    await user.keyboard("Ana");
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.getByText(/Press Esc again to discard/)).toBeTruthy();
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(2);
  });
});
