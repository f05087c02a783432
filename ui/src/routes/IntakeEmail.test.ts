import { afterEach, expect, test, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Intake from "./Intake.svelte";

afterEach(() => clearMocks());

test("an .eml file fills in the form and is sent with the new case", async () => {
  let created: { files: { name: string; media_type: string; content: number[] }[] } | undefined;
  mockIPC((cmd, args) => {
    if (cmd === "read_email") {
      return {
        sender_name: "José Núñez",
        sender_email: "jose@example.com",
        sent_at: "2026-03-02T17:05:00Z",
        subject: "Delete my data",
        description: "Delete my data\n\nPlease delete everything.",
      };
    }
    if (cmd === "create_case") {
      created = args as typeof created;
      return { number: "PR-2026-00003" };
    }
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
    if (cmd === "intake_warnings") return { duplicates: [], know_limit: null };
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
  expect((screen.getByLabelText(/Full name/) as HTMLInputElement).value).toBe("José Núñez");
  expect((screen.getByLabelText(/Received/) as HTMLInputElement).value).toBe("2026-03-02 09:05");
  expect((screen.getByLabelText("In the person's words") as HTMLTextAreaElement).value).toContain("Please delete everything.");
  await user.click(screen.getByLabelText("Delete"));
  await user.click(screen.getByRole("button", { name: "Log request" }));
  expect(onLogged).toHaveBeenCalled();
  expect(created?.files.map((f) => [f.name, f.media_type])).toEqual([["request.eml", "message/rfc822"]]);
  expect(created?.files[0]?.content.length).toBeGreaterThan(0);
});
