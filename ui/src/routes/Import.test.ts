import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Import from "./Import.svelte";

afterEach(() => clearMocks());

test("shows every problem with file, line, field and reason, and imports only on confirmation", async () => {
  const calls: string[] = [];
  const PLAN = {
    file: "web-form.csv",
    good: [{ line: 2, input: {} }],
    problems: [{ file: "web-form.csv", line: 3, field: "requester.name", reason: "Enter the requester's name." }],
  };
  mockIPC((cmd) => {
    calls.push(cmd);
    if (cmd === "plan_import") return PLAN;
    if (cmd === "run_import") return ["PR-2026-00010"];
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  const input = container.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  await user.upload(input, new File(["name\nAna"], "web-form.csv", { type: "text/csv" }));
  expect(await screen.findByText("Enter the requester's name.")).toBeTruthy();
  expect(screen.getByText("requester.name")).toBeTruthy();
  expect(calls).toEqual(["plan_import"]);
  await user.click(screen.getByRole("button", { name: "Import the 1 good rows" }));
  expect(await screen.findByText(/Imported 1 requests/)).toBeTruthy();
  expect(calls).toEqual(["plan_import", "run_import"]);
});
