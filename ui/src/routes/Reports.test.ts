import { afterEach, expect, test } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Reports from "./Reports.svelte";
import type { Metrics } from "../lib/bindings/Metrics";
import type { KindFigures } from "../lib/bindings/KindFigures";
import type { ReportKind } from "../lib/bindings/ReportKind";

afterEach(() => clearMocks());

const figures = (kind: ReportKind, received: number, over: Partial<KindFigures> = {}): KindFigures => ({
  kind,
  received,
  complied_in_whole_or_part: 0,
  complied_in_part: 0,
  denied: 0,
  denied_by_reason: { unverifiable: 0, "not-covered": 0, exempt: 0, other: 0 },
  pending: 0,
  withdrawn: 0,
  outcome_not_recorded: 0,
  median_days: null,
  mean_days: null,
  ...over,
});

const METRICS: Metrics = {
  year: 2026,
  kinds: [
    figures("know", 1, { complied_in_whole_or_part: 1, median_days: 80, mean_days: 80 }),
    figures("delete", 4, {
      complied_in_whole_or_part: 2,
      complied_in_part: 1,
      denied: 2,
      denied_by_reason: { unverifiable: 1, "not-covered": 0, exempt: 1, other: 0 },
      median_days: 25,
      mean_days: 26.3,
    }),
    figures("correct", 1, { pending: 1 }),
    figures("opt-out", 1, { complied_in_whole_or_part: 1, median_days: 4, mean_days: 4 }),
    figures("limit", 1, { denied: 1, denied_by_reason: { unverifiable: 0, "not-covered": 0, exempt: 0, other: 1 }, median_days: 1, mean_days: 1 }),
  ],
  months: [1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0],
  days: [{ label: "0–10", requests: 3 }, { label: "11–20", requests: 1 }, { label: "21–30", requests: 1 }, { label: "31–45", requests: 1 }, { label: "46–60", requests: 0 }, { label: "61–90", requests: 1 }, { label: "91+", requests: 0 }],
  clocks: [
    { clock: "acknowledge", on_time: 0, late: 0, overdue: 5, on_time_share: 0 },
    { clock: "respond", on_time: 4, late: 0, overdue: 1, on_time_share: 0.8 },
    { clock: "comply", on_time: 2, late: 0, overdue: 0, on_time_share: 1 },
  ],
  outside_notice: null,
};

test("shows the year's figures per kind and draws the charts from them, and saves the PDF", async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "report_metrics") return METRICS;
    if (cmd === "save_metrics_report") return "/home/dana/Downloads/PrivacyDesk metrics 2026.pdf";
  });
  const user = userEvent.setup();
  render(Reports, { props: { today: "2026-12-02" } });
  const row = await screen.findByRole("row", { name: /To delete/ });
  expect(within(row).getByText("25.0")).toBeTruthy();
  expect(within(row).getByText("26.3")).toBeTruthy();
  expect(within(row).getByText(/1 unverifiable, 0 not covered, 1 exempt, 0 other/)).toBeTruthy();
  // Each chart is an image with its figures in words.
  const perKind = screen.getByRole("img", { name: "Requests received, per kind" });
  expect(perKind.querySelectorAll("rect")).toHaveLength(5);
  expect(perKind.querySelector("desc")?.textContent).toContain("To delete: 4");
  expect(screen.getByRole("img", { name: "Clocks met on time" }).querySelector("desc")?.textContent).toContain("80.0% on time");
  expect(screen.getByRole("img", { name: "Cases received per month" }).querySelectorAll("rect")).toHaveLength(12);

  await user.click(screen.getByRole("button", { name: "Save as PDF (with the charts)" }));
  expect(await screen.findByText("Saved: /home/dana/Downloads/PrivacyDesk metrics 2026.pdf")).toBeTruthy();
  expect(calls.find(([c]) => c === "save_metrics_report")?.[1]).toEqual({ year: 2026, apart: false, format: "pdf" });
});

test("another year, people outside the notice apart, and the records log of a range", async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "report_metrics") {
      const a = args as { year: number; apart: boolean };
      return { ...METRICS, year: a.year, outside_notice: a.apart ? [figures("delete", 2, { denied: 2 })] : null };
    }
    if (cmd === "save_records_log") return "/home/dana/Downloads/PrivacyDesk records 2025-01-01 to 2026-12-02.csv";
  });
  const user = userEvent.setup();
  render(Reports, { props: { today: "2026-12-02" } });
  await screen.findByText("Requests received in 2026");
  await user.selectOptions(screen.getByLabelText("Calendar year"), "2025");
  expect(await screen.findByText("Requests received in 2025")).toBeTruthy();
  await user.click(screen.getByLabelText("Show requests from people outside the notice apart"));
  expect(await screen.findByText("Requests received in 2025 from people outside the notice")).toBeTruthy();
  expect(calls.filter(([c]) => c === "report_metrics").at(-1)?.[1]).toEqual({ year: 2025, apart: true });

  const from = screen.getByLabelText("Received from");
  await user.clear(from);
  await user.type(from, "01/01/2025");
  await user.click(screen.getByRole("button", { name: "Save the log as CSV" }));
  expect(await screen.findByText(/Saved: .*PrivacyDesk records/)).toBeTruthy();
  expect(calls.find(([c]) => c === "save_records_log")?.[1]).toEqual({ from: "2025-01-01", to: "2026-12-02", withNames: false, format: "csv" });
});

test("retention lists what is due, asks before reducing, and shows the run's progress", async () => {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd === "report_metrics") return METRICS;
    if (cmd === "plan_retention") return { before: "2024-12-02", dry_run: true, cases: ["PR-2024-00001", "PR-2024-00002"], notes: 0, files: 0, letters: 0, history_payloads: 0, cancelled: false };
    if (cmd === "run_retention") {
      expect((args as { before: string }).before).toBe("2024-12-02");
      return { before: "2024-12-02", dry_run: false, cases: ["PR-2024-00001", "PR-2024-00002"], notes: 1, files: 0, letters: 2, history_payloads: 9, cancelled: false };
    }
  });
  const user = userEvent.setup();
  render(Reports, { props: { today: "2026-12-02" } });
  await user.click(screen.getByRole("button", { name: "Check which cases are due" }));
  expect(await screen.findByText(/2 cases ended before Dec 2, 2024|2 cases ended before/)).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Reduce 2 cases…" }));
  expect(screen.getByText("This cannot be undone.")).toBeTruthy();
  expect(calls).not.toContain("run_retention");
  await user.click(screen.getByRole("button", { name: "Reduce them" }));
  expect(await screen.findByText("2 cases reduced to the § 7101 record.")).toBeTruthy();
  expect(calls).toContain("run_retention");
});

test("a dossier of several cases: a mistyped number is said beside the field, then the PDF is saved", async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "report_metrics") return METRICS;
    if (cmd === "save_selection_dossier") {
      const { cases } = args as { cases: string };
      if (cases.includes("PR-26-1")) {
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "cases", message: "\"PR-26-1\" is not a case number such as PR-2026-00042." }] };
      }
      return "/home/dana/Downloads/Dossier of 2 cases 2026-12-02 0930.pdf";
    }
  });
  const user = userEvent.setup();
  render(Reports, { props: { today: "2026-12-02" } });
  const field = screen.getByLabelText("Case numbers, separated by commas, spaces or lines");
  await user.type(field, "PR-2026-00001, PR-26-1");
  await user.click(screen.getByRole("button", { name: "Save one dossier of these cases (PDF)" }));
  expect(await screen.findByText("\"PR-26-1\" is not a case number such as PR-2026-00042.")).toBeTruthy();
  expect(field.getAttribute("aria-invalid")).toBe("true");

  await user.clear(field);
  await user.type(field, "PR-2026-00001, PR-2026-00002");
  await user.click(screen.getByRole("button", { name: "Save one dossier of these cases (PDF)" }));
  expect(await screen.findByText("Saved: /home/dana/Downloads/Dossier of 2 cases 2026-12-02 0930.pdf")).toBeTruthy();
  expect(field.getAttribute("aria-invalid")).toBeNull();
  expect(calls.filter(([c]) => c === "save_selection_dossier").at(-1)?.[1]).toEqual({ cases: "PR-2026-00001, PR-2026-00002" });
});
