import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Import from "./Import.svelte";
import type { ImportCheck } from "../lib/bindings/ImportCheck";
import type { ImportDone } from "../lib/bindings/ImportDone";

afterEach(() => clearMocks());

test("shows every problem with file, line, column and reason, and imports only on confirmation", async () => {
  const calls: string[] = [];
  const CHECK: ImportCheck = {
    file: "web-form.csv",
    good: 1,
    bad_rows: 1,
    problems: [{ file: "web-form.csv", line: 3, field: "name", reason: "Enter the requester's name." }],
    unlisted: 0,
  };
  const DONE: ImportDone = { logged: 1, first: "PR-2026-00010", last: "PR-2026-00010" };
  let staged: unknown;
  mockIPC((cmd, args) => {
    calls.push(cmd);
    // The file crosses as its bytes, not as a JSON array of numbers.
    if (cmd === "stage_file") {
      staged = args;
      return 12;
    }
    if (cmd === "check_import") {
      expect(args).toEqual({ file: 12 });
      return CHECK;
    }
    if (cmd === "run_import") {
      // The same staged file is read again, not rows sent back from the window.
      expect(args).toMatchObject({ file: 12, expected: 1 });
      return DONE;
    }
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  const input = container.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  await user.upload(input, new File(["name\nAna"], "web-form.csv", { type: "text/csv" }));
  expect(await screen.findByText("Enter the requester's name.")).toBeTruthy();
  expect(screen.getByText("web-form.csv: 1 good row, 1 row with problems")).toBeTruthy();
  expect(staged).toBeInstanceOf(Uint8Array);
  expect(calls).toEqual(["stage_file", "check_import"]);
  await user.click(screen.getByRole("button", { name: "Import the good row" }));
  expect(await screen.findByText("Imported 1 request (PR-2026-00010).")).toBeTruthy();
  expect(calls).toEqual(["stage_file", "check_import", "run_import"]);
});

test("a large export lists the first problems, counts the rest, and Cancel lets the app forget the file", async () => {
  const calls: Array<[string, unknown]> = [];
  const CHECK: ImportCheck = {
    file: "big.csv",
    good: 976_000,
    bad_rows: 1_500,
    problems: Array.from({ length: 1000 }, (_, i) => ({ file: "big.csv", line: i + 2, field: "kinds", reason: `"erase" is not a known value` })),
    unlisted: 500,
  };
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "stage_file") return 7;
    if (cmd === "check_import") return CHECK;
    if (cmd === "discard_files") return null;
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  await user.upload(container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["x"], "big.csv"));
  expect(await screen.findByText("big.csv: 976,000 good rows, 1,500 rows with problems")).toBeTruthy();
  expect(container.querySelector("#unlisted")?.textContent).toContain("500 more problems not listed here (the first 1,000 are)");
  expect(screen.getByRole("button", { name: "Import the 976,000 good rows" })).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(calls.map(([c]) => c)).toEqual(["stage_file", "check_import", "discard_files"]);
  expect(calls[2]?.[1]).toEqual({ files: [7] });
  expect(screen.queryByText(/good rows/)).toBeNull();
});

test("a file that cannot be read says why instead of reporting no rows", async () => {
  mockIPC((cmd) => {
    if (cmd === "stage_file") return 3;
    if (cmd === "discard_files") return null;
    if (cmd === "check_import")
      throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "file", message: "web-form.csv is not a CSV or JSON export: its first line has no column PrivacyDesk knows (name, email, kinds…)." }] };
  });
  const user = userEvent.setup();
  const { container } = render(Import, { props: { onDone: () => {} } });
  await user.upload(container.querySelector<HTMLInputElement>('input[type="file"]')!, new File(["\u0000\u0001"], "web-form.csv"));
  expect((await screen.findByRole("alert")).textContent).toContain("is not a CSV or JSON export");
  expect(screen.queryByText(/good rows?/)).toBeNull();
});
