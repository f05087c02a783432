import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import VerificationPanel from "./VerificationPanel.svelte";
import type { CaseView } from "../../lib/bindings/CaseView";
import type { VerificationView } from "../../lib/bindings/VerificationView";

afterEach(() => clearMocks());

const VIEW = {
  case: {
    number: "PR-2026-00001",
    time_zone: "America/Los_Angeles",
    kinds: ["know-specific"],
  },
  clocks: { today: "2026-03-10", clocks: [], acknowledgment: null, extension: null },
} as unknown as CaseView;

const PENDING: VerificationView = {
  number: "PR-2026-00001",
  kinds: [
    {
      requirement: {
        kind: "know-specific",
        certainty: "reasonably-high",
        data_points: 3,
        declaration: true,
        why: "A reasonably high degree of certainty: 3 data points matched and a signed declaration (11 CCR § 7062(c)).",
      },
      outcome: "pending",
      on: null,
      reason: "",
      missing: ["3 more matched data points (0 of 3 matched)", "the signed declaration under penalty of perjury (§ 7062(c))"],
      failure_path: "Deny the specific pieces, say so, and treat the request as one to know categories (11 CCR § 7024(a)).",
      answer: null,
    },
  ],
  agent: null,
  agent_evidence: [],
  points: [],
  declaration: null,
  purged_at: null,
};

const PROFILE = {
  profile: {
    policy: { sells_or_shares: false, declines_limits: false, limit_position: {}, email_opt_out: {} },
    verification: {
      data_points: [
        { code: "employee-id", label: "Employee or applicant ID", lookup: "HR system, person record" },
        { code: "date-of-birth", label: "Date of birth", lookup: "HR system, personal details" },
      ],
    },
  },
};

test("shows the rule and what is missing, records a check, and shows the core's refusal of 'verified'", async () => {
  const calls: { cmd: string; args: unknown }[] = [];
  let current = PENDING;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "case_verification") return current;
    if (cmd === "current_profile") return PROFILE;
    if (cmd === "case_view") return VIEW;
    if (cmd === "check_point") {
      current = {
        ...current,
        points: [
          { field: "employee-id", label: "Employee or applicant ID", lookup: "", given: "E-1", result: "matched", checked_by: "Dana", checked_at: "2026-03-10T18:00:00Z", not_for: [], reference: null },
        ],
      };
      return current;
    }
    if (cmd === "conclude_verification")
      throw {
        code: "validation",
        message: "Some fields need attention.",
        fields: [{ field: "outcome", message: "know-specific cannot be marked verified yet: 2 more matched data points (1 of 3 matched) still missing." }],
      };
  });
  const user = userEvent.setup();
  render(VerificationPanel, { props: { view: VIEW, onView: () => {} } });
  expect(await screen.findByText("A reasonably high degree of certainty: 3 data points matched and a signed declaration (11 CCR § 7062(c)).")).toBeTruthy();
  expect(screen.getByText(/Still missing: 3 more matched data points/)).toBeTruthy();
  expect(screen.getByText(/§ 7024\(a\)/)).toBeTruthy();
  expect(screen.getByText("HR system, person record")).toBeTruthy();

  await user.type(screen.getByLabelText("What the person gave"), "E-1");
  await user.click(screen.getByRole("button", { name: "Record the check" }));
  expect(await screen.findByText("Employee or applicant ID: matched.")).toBeTruthy();
  expect(calls.find((c) => c.cmd === "check_point")?.args).toEqual({ number: "PR-2026-00001", field: "employee-id", given: "E-1", result: "matched" });
  expect(screen.getByRole("cell", { name: "E-1" })).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Mark verified" }));
  expect((await screen.findByText(/cannot be marked verified yet/)).getAttribute("role")).toBe("alert");
});

test("once purged, the values show as deleted and nothing more can be checked", async () => {
  mockIPC((cmd) => {
    if (cmd === "case_verification")
      return {
        ...PENDING,
        purged_at: "2026-03-12T18:00:00Z",
        points: [{ field: "employee-id", label: "Employee or applicant ID", lookup: "", given: null, result: "matched", checked_by: "Dana", checked_at: "2026-03-10T18:00:00Z", not_for: [], reference: null }],
      } satisfies VerificationView;
    if (cmd === "current_profile") return PROFILE;
  });
  render(VerificationPanel, { props: { view: VIEW, onView: () => {} } });
  expect(await screen.findByRole("cell", { name: "deleted" })).toBeTruthy();
  expect(screen.getByText(/§ 7060\(d\)/)).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Record the check" })).toBeNull();
});

test("a value typed in is compared with the extract, and the suggested result is preselected for staff to confirm", async () => {
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "case_verification") return PENDING;
    if (cmd === "current_profile") return PROFILE;
    if (cmd === "suggest_point") {
      asked.push(args);
      return { result: "not-matched", agreeing: 1 };
    }
  });
  const user = userEvent.setup();
  render(VerificationPanel, { props: { view: VIEW, onView: () => {} } });
  await user.type(await screen.findByLabelText("What the person gave"), "E-9");
  expect(await screen.findByText(/Suggested: not matched — the extract holds another value/)).toBeTruthy();
  expect((screen.getByLabelText("Against our records") as HTMLSelectElement).value).toBe("not-matched");
  expect(asked.at(-1)).toEqual({ number: "PR-2026-00001", field: "employee-id", given: "E-9" });
});

test("a kind that could not be verified is answered by the unable-to-verify letter, after staff see what it will do", async () => {
  const FAILED: VerificationView = {
    ...PENDING,
    kinds: [{ ...PENDING.kinds[0]!, outcome: "failed", on: "2026-03-10", reason: "No declaration came back." }],
  };
  let current = FAILED;
  const produced: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "case_verification") return current;
    if (cmd === "current_profile") return PROFILE;
    if (cmd === "case_view") return VIEW;
    if (cmd === "produce_letter") {
      produced.push(args);
      current = { ...FAILED, kinds: [{ ...FAILED.kinds[0]!, answer: { on: "2026-03-10", letter: 7, as_categories: true } }] };
      return { id: 7, pages: 1 };
    }
  });
  const user = userEvent.setup();
  render(VerificationPanel, { props: { view: VIEW, onView: () => {} } });
  await user.click(await screen.findByRole("button", { name: "Answer with the unable-to-verify letter…" }));
  expect(screen.getByText(/specific pieces denied; the case also becomes a request to know categories/)).toBeTruthy();
  expect(produced).toEqual([]);
  await user.click(screen.getByRole("button", { name: "Produce the letter" }));
  expect(await screen.findByText(/The unable-to-verify letter is archived \(letter 7, 1 page\)/)).toBeTruthy();
  expect(produced).toEqual([{ number: "PR-2026-00001", request: { kind: "unable-to-verify", fold_marks: true } }]);
  expect(screen.getByText(/Answered on .* \(letter 7\): specific pieces denied, handled as a request to know categories/)).toBeTruthy();
  expect(screen.queryByRole("button", { name: "Answer with the unable-to-verify letter…" })).toBeNull();
});
