import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import ProfileSettings from "./ProfileSettings.svelte";
import type { OrganisationProfile } from "../lib/bindings/OrganisationProfile";
import type { ProfileView } from "../lib/bindings/ProfileView";
import { anyDirty } from "../lib/unsaved.svelte";

afterEach(() => clearMocks());

const PROFILE: OrganisationProfile = {
  name: "Kaiser Permanente",
  notice_version: "2023-01-24",
  entities: [{ code: "TPMG", name: "The Permanente Medical Group" }],
  relationships: [{ code: "employee", label: "Employee" }],
  categories: [{ code: "identifiers", name: "Identifiers | contact", examples: ["Name", "Email"], sources: ["You"], purposes: ["Payroll"], disclosed_to: [], sensitive: false, health: false }],
  contacts: { email: "privacy@example.org", toll_free: "833-945-2456", web_form: null },
  signatory: { name: "", title: "" },
  return_address: { lines: [] },
  policy: { sells_or_shares: false, declines_limits: false, limit_position: {}, email_opt_out: {} },
  not_covered: { elsewhere: [], medical_note: { en: "" } },
  verification: {
    know_categories: { certainty: "reasonable", data_points: 2, declaration: false },
    know_specific: { certainty: "reasonably-high", data_points: 3, declaration: true },
    delete: { certainty: "reasonable", data_points: 2, declaration: false },
    correct: { certainty: "reasonable", data_points: 2, declaration: false },
    agent_signed_permission: true,
    data_points: [{ code: "employee-id", label: "Employee or applicant ID", lookup: "HR system" }],
  },
  retention: [
    {
      code: "payroll",
      record: "Payroll records (hours and wages)",
      minimum: "3 years",
      citation: "Lab. Code § 1174(d)",
      years_from_now: 3,
      categories: ["name"],
      certainty: "verified",
    },
  ],
  hidden_bases: [],
  service_providers: [],
};

const VIEW: ProfileView = {
  version: 3,
  saved_at: "2026-11-27T18:00:00Z",
  saved_by: "Dana Officer",
  profile: PROFILE,
  document: 'name = "Kaiser Permanente"\n',
  warnings: ["No signatory: response letters need the name of the person who signs them.", "No return address: mailed letters need one."],
};

test("the profile is a form: a signatory and return address are added, and the time zone saved with it", async () => {
  let sent: { profileForm: OrganisationProfile; timeZone: string } | undefined;
  mockIPC((cmd, args) => {
    if (cmd === "current_profile") return VIEW;
    if (cmd === "time_zones") return ["America/Los_Angeles", "America/New_York"];
    if (cmd === "save_profile_form") {
      sent = args as typeof sent;
      return { ...VIEW, version: 4, profile: sent!.profileForm, warnings: [] };
    }
  });
  const user = userEvent.setup();
  let zone = "";
  render(ProfileSettings, { props: { timeZone: "America/Los_Angeles", onZone: (z: string) => (zone = z) } });
  expect(await screen.findByText(/No signatory/)).toBeTruthy();
  // The category's name prints as itself, "|" included.
  expect((screen.getByLabelText(/Category 1: name/) as HTMLInputElement).value).toBe("Identifiers | contact");
  expect(anyDirty()).toBe(false);

  await user.type(screen.getByLabelText(/^Signed by/), "Dana Officer");
  await user.type(screen.getByLabelText("Their title"), "Privacy Officer");
  await user.type(screen.getByLabelText(/^Return address/), "Privacy Office{Enter}1 Kaiser Plaza{Enter}Oakland, CA 94612");
  await user.selectOptions(screen.getByLabelText("Time zone of legal dates"), "America/New_York");
  expect(anyDirty()).toBe(true);
  await user.click(screen.getByRole("button", { name: "Save as a new version" }));
  expect(await screen.findByText("Saved as version 4.")).toBeTruthy();
  expect(sent?.timeZone).toBe("America/New_York");
  expect(sent?.profileForm.signatory).toEqual({ name: "Dana Officer", title: "Privacy Officer" });
  expect(sent?.profileForm.return_address.lines).toEqual(["Privacy Office", "1 Kaiser Plaza", "Oakland, CA 94612"]);
  expect(sent?.profileForm.notice_version).toBe("2023-01-24");
  expect(zone).toBe("America/New_York");
  expect(screen.queryByText(/No signatory/)).toBeNull();
  expect(anyDirty()).toBe(false);
});

test("each problem the core finds is shown beside its field, and the focus goes to the first", async () => {
  mockIPC((cmd) => {
    if (cmd === "current_profile") return VIEW;
    if (cmd === "time_zones") return ["America/Los_Angeles"];
    if (cmd === "save_profile_form")
      throw {
        code: "validation",
        message: "Some fields need attention.",
        fields: [
          { field: "contacts.toll_free", message: "The toll-free number needs 10 digits (or 11 with the leading 1)." },
          { field: "entities", message: "Two entities use the code TPMG: each needs its own." },
        ],
      };
  });
  const user = userEvent.setup();
  render(ProfileSettings, { props: { timeZone: "America/Los_Angeles" } });
  const phone = await screen.findByLabelText(/^Toll-free number/);
  await user.clear(phone);
  await user.type(phone, "555");
  await user.click(screen.getByRole("button", { name: "Add an entity" }));
  await user.type(screen.getByLabelText("Code of entity 2"), "TPMG");
  await user.click(screen.getByRole("button", { name: "Save as a new version" }));
  expect(await screen.findByText(/needs 10 digits/)).toBeTruthy();
  expect(phone.getAttribute("aria-invalid")).toBe("true");
  expect(document.getElementById(phone.getAttribute("aria-describedby")?.split(" ").pop() ?? "")?.textContent).toMatch(/10 digits/);
  expect(screen.getByText(/Two entities use the code TPMG/)).toBeTruthy();
  expect(document.activeElement).toBe(phone);
  // Nothing typed is lost by the refusal.
  expect((phone as HTMLInputElement).value).toBe("555");
});
