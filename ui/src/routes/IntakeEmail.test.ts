import { afterEach, expect, test, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Intake from "./Intake.svelte";
import type { EmailIntake } from "../lib/bindings/EmailIntake";

afterEach(() => clearMocks());

test("an .eml file fills in the form and is kept with the new case", async () => {
  let created: { input: unknown; email: number } | undefined;
  let staged: unknown;
  mockIPC((cmd, args) => {
    if (cmd === "stage_file") {
      staged = args;
      return 5;
    }
    if (cmd === "read_email") {
      expect(args).toEqual({ file: 5 });
      return {
        sender_name: "José Núñez",
        sender_email: "jose@example.com",
        sent_at: "2026-03-02T17:05:00Z",
        subject: "Delete my data",
        description: "Delete my data\n\nPlease delete everything.",
        message_id: "abc@example.com",
        kinds: ["delete"],
      } satisfies EmailIntake;
    }
    if (cmd === "create_case_from_email") {
      created = args as typeof created;
      return { number: "PR-2026-00003" };
    }
    if (cmd === "create_case") throw new Error("the email must be kept");
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
    if (cmd === "intake_warnings") return { duplicates: [], know_limit: null };
    if (cmd === "intake_draft") return null;
    if (cmd === "letter_languages") return [{ code: "en", name: "English" }];
    return null;
  });
  const onLogged = vi.fn();
  const user = userEvent.setup();
  const { container } = render(Intake, {
    props: { timeZone: "America/Los_Angeles", onLogged, onCancel: () => {}, now: () => new Date("2026-03-10T17:00:00Z") },
  });
  const input = container.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  await user.upload(input, new File(["From: jose@example.com\r\n\r\nhi"], "request.eml", { type: "message/rfc822" }));
  expect(await screen.findByText(/Filled in from request.eml/)).toBeTruthy();
  expect(staged).toBeInstanceOf(Uint8Array);
  expect((screen.getByLabelText(/Full name/) as HTMLInputElement).value).toBe("José Núñez");
  expect((screen.getByLabelText(/Received/) as HTMLInputElement).value).toBe("2026-03-02 09:05");
  expect((screen.getByLabelText("In the person's words") as HTMLTextAreaElement).value).toContain("Please delete everything.");
  // The kind the email names is ticked, for staff to check.
  expect((screen.getByLabelText("Delete") as HTMLInputElement).checked).toBe(true);
  await user.click(screen.getByRole("button", { name: "Log request" }));
  expect(onLogged).toHaveBeenCalled();
  expect(created?.email).toBe(5);
});
