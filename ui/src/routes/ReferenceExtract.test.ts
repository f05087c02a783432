import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ReferenceExtract from "./ReferenceExtract.svelte";
import type { ReferenceExtract as Extract } from "../lib/bindings/ReferenceExtract";

afterEach(() => clearMocks());

const PROFILE = {
  profile: {
    verification: {
      data_points: [
        { code: "employee-id", label: "Employee or applicant ID", lookup: "" },
        { code: "date-of-birth", label: "Date of birth", lookup: "" },
      ],
    },
  },
};

test("loads an extract, shows what it holds by name, and shows the core's reason when a file is refused", async () => {
  let current: Extract | null = null;
  let loads = 0;
  mockIPC((cmd) => {
    if (cmd === "reference_extract") return current;
    if (cmd === "current_profile") return PROFILE;
    if (cmd === "stage_file") return 3;
    if (cmd === "load_reference_extract") {
      loads += 1;
      if (loads === 2)
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "extract", message: "Line 3: this identifier comes earlier in the file too; give each record once." }] };
      current = { records: 2, fields: ["employee-id", "date-of-birth"], loaded_at: "2026-03-10T18:00:00Z", loaded_by: "Dana" };
      return current;
    }
  });
  const user = userEvent.setup();
  render(ReferenceExtract, { props: { timeZone: "America/Los_Angeles" } });
  expect(await screen.findByText(/No extract is loaded/)).toBeTruthy();
  expect(screen.getByText(/employee-id, date-of-birth/)).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Load the extract" }));
  expect(await screen.findByText("Choose the extract (a .csv file) first.")).toBeTruthy();

  const csv = new File(["id,employee-id\nHR-1,E-1\n"], "hr.csv", { type: "text/csv" });
  await user.upload(screen.getByLabelText("Extract (.csv)"), csv);
  await user.click(screen.getByRole("button", { name: "Load the extract" }));
  expect(await screen.findByText(/Loaded: 2 records/)).toBeTruthy();
  expect(screen.getByText("Employee or applicant ID, Date of birth")).toBeTruthy();

  await user.upload(screen.getByLabelText("Extract (.csv)"), csv);
  await user.click(screen.getByRole("button", { name: "Replace the extract" }));
  expect((await screen.findByText(/Line 3: this identifier comes earlier/)).getAttribute("role")).toBe("alert");
});
