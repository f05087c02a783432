import { afterEach, expect, test } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import DecisionsPanel from "./DecisionsPanel.svelte";
import type { CaseView } from "../../lib/bindings/CaseView";
import type { DecisionMatrix } from "../../lib/bindings/DecisionMatrix";

afterEach(() => clearMocks());

const VIEW = {
  case: { number: "PR-2026-00001", time_zone: "America/Los_Angeles", kinds: ["delete"], version: 1, status: "new" },
  letters: [],
} as unknown as CaseView;

const MATRIX: DecisionMatrix = {
  number: "PR-2026-00001",
  catalogue: "2026-12-02",
  categories: [
    { code: "name", name: "Name", sensitive: false, health: false, added: false },
    { code: "financial-and-insurance", name: "Financial account and health insurance information", sensitive: true, health: false, added: false },
  ],
  kinds: [
    {
      kind: "delete",
      outcomes: ["deleted", "deidentified", "retained", "none-held"],
      bases: [
        { code: "105d8-legal-obligation", citation: "Civ. Code § 1798.105(d)(8)", sentence: "the law requires us to keep it", retention: true },
        { code: "145a1E-legal-claims", citation: "Civ. Code § 1798.145(a)(1)(E)", sentence: "we need it to exercise or defend legal claims", retention: false },
      ],
      missing: ["financial-and-insurance"],
      response: null,
    },
  ],
  decisions: [
    {
      kind: "delete",
      category: "name",
      outcome: "deleted",
      basis: null,
      citation: null,
      record_type: null,
      record: null,
      until: null,
      reproductive_health: false,
      note: "",
      decided_by: "Dana",
      decided_at: "2026-03-10T18:00:00Z",
    },
  ],
  record_types: [
    {
      code: "payroll",
      record: "Payroll records (hours and wages)",
      minimum: "3 years",
      citation: "Lab. Code § 1174(d)",
      years_from_now: 3,
      categories: ["financial-and-insurance"],
      certainty: "verified",
    },
  ],
  providers: [],
  statements: [],
};

test("shows the matrix, asks for the basis and the record type a kept category needs, and shows the core's refusal", async () => {
  const decided: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "case_decisions") return MATRIX;
    if (cmd === "case_view") return VIEW;
    if (cmd === "decide") {
      decided.push(args);
      if (decided.length === 1)
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "decision", message: "Name the record type the law makes you keep (the profile's retention schedule: payroll)." }] };
      return {
        ...MATRIX,
        kinds: [{ ...MATRIX.kinds[0]!, missing: [] }],
        decisions: [
          ...MATRIX.decisions,
          { ...MATRIX.decisions[0]!, category: "financial-and-insurance", outcome: "retained", basis: "105d8-legal-obligation", citation: "Civ. Code § 1798.105(d)(8)", record_type: "payroll", record: "Payroll records (hours and wages) (Lab. Code § 1174(d))", until: { type: "date", value: "2029-03-10" } },
        ],
      } satisfies DecisionMatrix;
    }
  });
  const user = userEvent.setup();
  render(DecisionsPanel, { props: { view: VIEW, onView: () => {} } });
  expect(await screen.findByText("1 undecided")).toBeTruthy();
  const row = screen.getByRole("row", { name: /Financial account/ });
  expect(within(row).getByText("Undecided")).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Decide: Delete · Financial account and health insurance information" }));
  await user.selectOptions(screen.getByLabelText("What is done"), "retained");
  await user.selectOptions(screen.getByLabelText("On which basis"), "105d8-legal-obligation");
  expect(screen.getByText("The letter says: “the law requires us to keep it”.")).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Save the decision" }));
  expect((await screen.findByText(/Name the record type/)).getAttribute("role")).toBe("alert");

  await user.selectOptions(screen.getByLabelText("Record the law requires"), "payroll");
  await user.click(screen.getByRole("button", { name: "Save the decision" }));
  expect(await screen.findByText("Every category decided")).toBeTruthy();
  expect(decided.at(-1)).toEqual({
    number: "PR-2026-00001",
    input: {
      kind: "delete",
      category: "financial-and-insurance",
      outcome: "retained",
      basis: "105d8-legal-obligation",
      record_type: "payroll",
      reproductive_health: false,
      note: "",
    },
  });
  expect(screen.getByText(/until Mar 10, 2029|until .*2029/)).toBeTruthy();
});

test("a deletion's service providers are told with a day, or recorded as not needed", async () => {
  const told: unknown[] = [];
  const WITH_PROVIDER: DecisionMatrix = {
    ...MATRIX,
    providers: [{ code: "payroll-co", name: "Bay Payroll Services", role: "Payroll processing", notified_on: null, not_needed: null }],
  };
  mockIPC((cmd, args) => {
    if (cmd === "case_decisions") return WITH_PROVIDER;
    if (cmd === "case_view") return VIEW;
    if (cmd === "notify_provider") {
      told.push(args);
      return { ...WITH_PROVIDER, providers: [{ ...WITH_PROVIDER.providers[0]!, notified_on: "2026-03-09" }] };
    }
  });
  const user = userEvent.setup();
  render(DecisionsPanel, { props: { view: { ...VIEW, clocks: { today: "2026-03-10" } } as unknown as CaseView, onView: () => {} } });
  const field = await screen.findByLabelText("Told on");
  await user.clear(field);
  await user.type(field, "03/09/2026");
  await user.click(screen.getByRole("button", { name: "Record" }));
  expect(await screen.findByText(/Told on/, { selector: ".badge" })).toBeTruthy();
  expect(told).toEqual([{ number: "PR-2026-00001", provider: "payroll-co", on: "2026-03-09", notNeeded: null }]);
});

test("a specific piece of a § 7024(d) type is recorded as collected, never shown", async () => {
  const SPECIFIC_VIEW = { ...VIEW, case: { ...VIEW.case, kinds: ["know-specific"] } } as unknown as CaseView;
  const added: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "case_decisions")
      return { ...MATRIX, kinds: [{ ...MATRIX.kinds[0]!, kind: "know-specific", outcomes: ["specific-provided", "withheld", "none-held"] }] };
    if (cmd === "case_items") return [];
    if (cmd === "add_item") {
      added.push(args);
      return [{ id: 1, category: "name", category_name: "Name", label: "Social Security number", value: null }];
    }
  });
  const user = userEvent.setup();
  render(DecisionsPanel, { props: { view: SPECIFIC_VIEW, onView: () => {} } });
  await user.type(await screen.findByLabelText("What it is"), "Social Security number");
  await user.type(screen.getByLabelText("Value"), "123-45-6789");
  await user.click(screen.getByRole("button", { name: "Add the piece" }));
  expect(await screen.findByText(/recorded as collected; its value is of a kind letters never show/)).toBeTruthy();
  expect(screen.getByText(/collected — not shown/)).toBeTruthy();
  expect(screen.queryByText(/6789/)).toBeNull();
  expect(added).toEqual([{ number: "PR-2026-00001", category: "name", label: "Social Security number", value: "123-45-6789" }]);
});

test("a row staff add joins the matrix as undecided, and can be removed while it is", async () => {
  const calls: [string, unknown][] = [];
  const ADDED: DecisionMatrix = {
    ...MATRIX,
    categories: [...MATRIX.categories, { code: "badge-photographs", name: "Badge photographs", sensitive: false, health: false, added: true }],
    kinds: [{ ...MATRIX.kinds[0]!, missing: ["financial-and-insurance", "badge-photographs"] }],
  };
  mockIPC((cmd, args) => {
    if (cmd === "case_decisions") return MATRIX;
    if (cmd === "case_view") return VIEW;
    if (cmd === "add_row") {
      calls.push([cmd, args]);
      return ADDED;
    }
    if (cmd === "remove_row") {
      calls.push([cmd, args]);
      return MATRIX;
    }
  });
  const user = userEvent.setup();
  render(DecisionsPanel, { props: { view: VIEW, onView: () => {} } });
  await user.type(await screen.findByLabelText("Other information the request covers"), "Badge photographs");
  await user.type(screen.getByLabelText("Where it came from"), "Security office");
  await user.click(screen.getByRole("button", { name: "Add the row" }));
  expect(await screen.findByText("2 undecided")).toBeTruthy();
  const row = screen.getByRole("row", { name: /Badge photographs/ });
  expect(within(row).getByText("(added to this case)")).toBeTruthy();
  await user.click(within(row).getByRole("button", { name: "Remove the row Badge photographs" }));
  expect(await screen.findByText("Badge photographs: row removed.")).toBeTruthy();
  expect(calls).toEqual([
    ["add_row", { number: "PR-2026-00001", input: { code: "", name: "Badge photographs", source: "Security office", purpose: "", disclosed_to: "", sensitive: false, health: false } }],
    ["remove_row", { number: "PR-2026-00001", code: "badge-photographs" }],
  ]);
});

test("a denied health correction takes the person's statement, counted against 250 words (§ 7023(f)(3))", async () => {
  const CORRECT_VIEW = { ...VIEW, case: { ...VIEW.case, kinds: ["correct"] }, clocks: { today: "2026-03-10" } } as unknown as CaseView;
  const DENIED: DecisionMatrix = {
    ...MATRIX,
    categories: [{ code: "screening", name: "Drug and health screening", sensitive: true, health: true, added: false }],
    kinds: [{ kind: "correct", outcomes: ["corrected", "denied", "none-held"], bases: [], missing: [], response: { kind: "correct", outcome: "denied", denial_reason: "exempt", basis: "7023-inadequate-documentation", on: "2026-03-09", letter: 4 } }],
    decisions: [{ ...MATRIX.decisions[0]!, kind: "correct", category: "screening", outcome: "denied", basis: "7023-inadequate-documentation", citation: "11 CCR § 7023(f)(1)" }],
  };
  const recorded: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "case_decisions") return DENIED;
    if (cmd === "case_view") return CORRECT_VIEW;
    if (cmd === "record_statement") {
      recorded.push(args);
      if (recorded.length === 1)
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "item", message: "Say which piece of information the statement is about." }] };
      return { ...DENIED, statements: [{ id: 1, category: "screening", item: "Screening of April 2025", text: "The result was a false positive.", words: 6, received_on: "2026-03-10", recorded_by: "Dana" }] };
    }
  });
  const user = userEvent.setup();
  render(DecisionsPanel, { props: { view: CORRECT_VIEW, onView: () => {} } });
  expect(await screen.findByText(/None received/)).toBeTruthy();
  expect(screen.queryByLabelText("Other information the request covers")).toBeNull();
  await user.type(screen.getByLabelText("The statement, as the person wrote it"), "The result was a false positive.");
  expect(screen.getByText("6 of 250 words")).toBeTruthy();
  await user.type(screen.getByLabelText("Received on"), "03/10/2026");
  await user.click(screen.getByRole("button", { name: "Make it part of the record" }));
  expect(await screen.findByText("Say which piece of information the statement is about.")).toBeTruthy();
  await user.type(screen.getByLabelText("The piece it disputes"), "Screening of April 2025");
  await user.click(screen.getByRole("button", { name: "Make it part of the record" }));
  expect(await screen.findByText("The statement about Screening of April 2025 is part of the record.")).toBeTruthy();
  expect(screen.getByText("The result was a false positive.", { selector: "blockquote" })).toBeTruthy();
  expect(recorded.at(-1)).toEqual({
    number: "PR-2026-00001",
    input: { category: "screening", item: "Screening of April 2025", text: "The result was a false positive.", received_on: "2026-03-10" },
  });
});
