import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Import from "./Import.svelte";
import type { ImportPlan } from "../lib/bindings/ImportPlan";

afterEach(() => clearMocks());

test("shows every problem with file, line, column and reason, and imports only on confirmation", async () => {
  const calls: string[] = [];
  const PLAN: ImportPlan = {
    file: "web-form.csv",
    good: [
      {
        line: 2,
        input: {
          requester: { name: "Ana", email: "ana@example.com", phone: null, address: null },
          channel: "web-form",
          kinds: ["delete"],
          received: "2026-03-02",
          details: { entity: null, relationship: null, language: "en", delivery: null, description: "", correction: null, agent: null },
        },
      },
    ],
    problems: [{ file: "web-form.csv", line: 3, field: "name", reason: "Enter the requester's name." }],
  };
  let staged: unknown;
  mockIPC((cmd, args) => {
    calls.push(cmd);
    // The file crosses as its bytes, not as a JSON array of numbers.
    if (cmd === "stage_file") {
      staged = args;
      return 12;
    }
    if (cmd === "plan_import") {
      expect(args).toEqual({ file: 12 });
      return PLAN;
    }
    if (cmd === "run_import") return ["PR-2026-00010"];
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  const input = container.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  await user.upload(input, new File(["name\nAna"], "web-form.csv", { type: "text/csv" }));
  expect(await screen.findByText("Enter the requester's name.")).toBeTruthy();
  expect(screen.getByText("web-form.csv: 1 good row, 1 problem")).toBeTruthy();
  expect(staged).toBeInstanceOf(Uint8Array);
  expect(calls).toEqual(["stage_file", "plan_import"]);
  await user.click(screen.getByRole("button", { name: "Import the good row" }));
  expect(await screen.findByText("Imported 1 request (PR-2026-00010).")).toBeTruthy();
  expect(calls).toEqual(["stage_file", "plan_import", "run_import"]);
});

test("a file that cannot be read says why instead of reporting no rows", async () => {
  mockIPC((cmd) => {
    if (cmd === "stage_file") return 3;
    if (cmd === "plan_import")
      throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "file", message: "web-form.csv is not a CSV or JSON export: its first line has no column PrivacyDesk knows (name, email, kinds…)." }] };
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  await user.upload(container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["\u0000\u0001"], "web-form.csv"));
  expect((await screen.findByRole("alert")).textContent).toContain("is not a CSV or JSON export");
  expect(screen.queryByText(/good rows?/)).toBeNull();
});
