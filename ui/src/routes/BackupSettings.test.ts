import { afterEach, expect, test } from "vitest";
import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import BackupSettings from "./BackupSettings.svelte";
import type { BackupStatus } from "../lib/bindings/BackupStatus";
import type { BackupDone } from "../lib/bindings/BackupDone";
import type { RestoreDone } from "../lib/bindings/RestoreDone";

afterEach(() => clearMocks());

const NONE: BackupStatus = { last: null, folder: "/home/dana/Downloads/PrivacyDesk backups", schedule: null, problem: null };
const AFTER: BackupStatus = {
  last: { at: "2026-12-03T17:20:00Z", file_name: "PrivacyDesk backup 2026-12-03 172000.pdbk", cases: 12 },
  folder: NONE.folder,
  schedule: null,
  problem: null,
};

test("says no backup was made, refuses two different passphrases beside the field, then backs up and shows the date", async () => {
  const calls: [string, unknown][] = [];
  let made = false;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "backup_status") return made ? AFTER : NONE;
    if (cmd === "back_up_now") {
      const a = args as { passphrase: string; again: string };
      if (a.passphrase !== a.again) {
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "again", message: "The two passphrases differ; type the same one twice." }] };
      }
      made = true;
      const done: BackupDone = { path: `${NONE.folder}/PrivacyDesk backup 2026-12-03 172000.pdbk`, cases: 12 };
      return done;
    }
  });
  const user = userEvent.setup();
  render(BackupSettings, { props: { timeZone: "America/Los_Angeles" } });
  expect(await screen.findByText("No backup of this case file has been made yet.")).toBeTruthy();
  expect((screen.getByLabelText("Folder") as HTMLInputElement).value).toBe(NONE.folder);
  await user.type(screen.getByLabelText(/^Passphrase \(at least/), "correct horse battery staple");
  await user.type(screen.getByLabelText("The passphrase again"), "correct horse battery stapel");
  await user.click(screen.getByRole("button", { name: "Back up now" }));
  expect(await screen.findByText("The two passphrases differ; type the same one twice.")).toBeTruthy();
  expect(screen.getByLabelText("The passphrase again").getAttribute("aria-invalid")).toBe("true");

  await user.clear(screen.getByLabelText("The passphrase again"));
  await user.type(screen.getByLabelText("The passphrase again"), "correct horse battery staple");
  await user.click(screen.getByRole("button", { name: "Back up now" }));
  expect(await screen.findByText(/Backup saved: .*PrivacyDesk backup 2026-12-03 172000.pdbk \(12 cases\)/)).toBeTruthy();
  expect(await screen.findByText(/Dec 3, 2026/)).toBeTruthy();
  // The passphrase is not kept in the form once used.
  expect((screen.getByLabelText(/^Passphrase \(at least/) as HTMLInputElement).value).toBe("");
  expect(calls.find(([c]) => c === "back_up_now")?.[1]).toEqual({ folder: NONE.folder, passphrase: "correct horse battery staple", again: "correct horse battery stapel" });
});

test("a restore asks first, says a wrong passphrase beside its field, and says where the old file was kept", async () => {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd === "backup_status") return AFTER;
    if (cmd === "restore_backup") {
      if ((args as { passphrase: string }).passphrase !== "correct horse battery staple") {
        throw { code: "validation", message: "The passphrase does not open this file.", fields: [{ field: "passphrase", message: "The passphrase does not open this file (or the file was altered since it was made): /b.pdbk." }] };
      }
      const done: RestoreDone = { made_at: "2026-12-03T17:20:00Z", cases: 12, set_aside: ["/data/privacydesk.db.replaced-20261203T172500Z"] };
      return done;
    }
  });
  const user = userEvent.setup();
  let reopened = false;
  render(BackupSettings, { props: { timeZone: "America/Los_Angeles", onRestored: () => (reopened = true) } });
  await user.type(screen.getByLabelText("Backup file (its full path)"), "/b.pdbk");
  await user.type(screen.getByLabelText("Its passphrase"), "wrong horse battery staple");
  await user.click(screen.getByRole("button", { name: "Restore this backup…" }));
  expect(calls).not.toContain("restore_backup");
  await user.click(screen.getByRole("button", { name: "Restore" }));
  expect(await screen.findByText(/The passphrase does not open this file/)).toBeTruthy();
  expect(screen.getByLabelText("Its passphrase").getAttribute("aria-invalid")).toBe("true");

  await user.clear(screen.getByLabelText("Its passphrase"));
  await user.type(screen.getByLabelText("Its passphrase"), "correct horse battery staple");
  await user.click(screen.getByRole("button", { name: "Restore this backup…" }));
  await user.click(screen.getByRole("button", { name: "Restore" }));
  expect(await screen.findByText(/kept as \/data\/privacydesk.db.replaced-20261203T172500Z/)).toBeTruthy();
  await new Promise((r) => setTimeout(r, 3100));
  expect(reopened, "the window reads the restored file").toBe(true);
});

test("daily backups: set with how many to keep, then shown with a failure said, then stopped", async () => {
  const calls: [string, unknown][] = [];
  let status: BackupStatus = NONE;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "backup_status") return status;
    if (cmd === "set_backup_schedule") {
      const a = args as { folder: string; keep: number };
      status = { ...AFTER, schedule: { folder: a.folder, keep: a.keep }, problem: "The disk holding the backups is full." };
      return status;
    }
    if (cmd === "stop_backup_schedule") {
      status = { ...AFTER, schedule: null };
      return status;
    }
  });
  const user = userEvent.setup();
  render(BackupSettings, { props: { timeZone: "America/Los_Angeles" } });
  const keep = await screen.findByLabelText("Backups kept");
  await user.clear(keep);
  await user.type(keep, "14");
  await user.type(screen.getByLabelText("Passphrase of the daily backups (at least 12 characters)"), "correct horse battery staple");
  await user.type(screen.getByLabelText("That passphrase again"), "correct horse battery staple");
  await user.click(screen.getByRole("button", { name: "Back up every day" }));
  expect(await screen.findByText(/keeping the last 14/)).toBeTruthy();
  expect(screen.getByText(/The last daily backup failed: The disk holding the backups is full./)).toBeTruthy();
  expect(calls.find(([c]) => c === "set_backup_schedule")?.[1]).toEqual({
    folder: NONE.folder,
    keep: 14,
    passphrase: "correct horse battery staple",
    again: "correct horse battery staple",
  });
  await user.click(screen.getByRole("button", { name: "Stop daily backups" }));
  expect(await screen.findByText(/Daily backups are off/)).toBeTruthy();
  expect(screen.getByRole("button", { name: "Back up every day" })).toBeTruthy();
});

test("the key: exported into the offered folder under a passphrase, and replaced only after asking", async () => {
  const calls: [string, unknown][] = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "backup_status") return AFTER;
    if (cmd === "export_key") {
      const a = args as { passphrase: string };
      if (a.passphrase.length < 12)
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "passphrase", message: "The passphrase is too short: use at least 12 characters (a few words)." }] };
      return `${NONE.folder}/PrivacyDesk key 2026-12-03 172000.pdkey`;
    }
    if (cmd === "rotate_key") return null;
  });
  const user = userEvent.setup();
  render(BackupSettings, { props: { timeZone: "America/Los_Angeles" } });
  await screen.findByText(/Last backup:/);
  expect((screen.getByLabelText("Folder for the key export") as HTMLInputElement).value).toBe(NONE.folder);
  await user.type(screen.getByLabelText(/^Passphrase of the key export/), "short");
  await user.type(screen.getByLabelText("The key export's passphrase again"), "short");
  await user.click(screen.getByRole("button", { name: "Export the key" }));
  expect(await screen.findByText(/too short/)).toBeTruthy();
  expect(screen.getByLabelText(/^Passphrase of the key export/).getAttribute("aria-invalid")).toBe("true");
  await user.clear(screen.getByLabelText(/^Passphrase of the key export/));
  await user.clear(screen.getByLabelText("The key export's passphrase again"));
  await user.type(screen.getByLabelText(/^Passphrase of the key export/), "a long enough key phrase");
  await user.type(screen.getByLabelText("The key export's passphrase again"), "a long enough key phrase");
  await user.click(screen.getByRole("button", { name: "Export the key" }));
  expect(await screen.findByText(/Key exported: .*PrivacyDesk key 2026-12-03 172000.pdkey/)).toBeTruthy();
  expect((screen.getByLabelText(/^Passphrase of the key export/) as HTMLInputElement).value).toBe("");

  await user.click(screen.getByRole("button", { name: "Replace the key…" }));
  expect(calls.some(([c]) => c === "rotate_key")).toBe(false);
  await user.click(screen.getByRole("button", { name: "Keep the key" }));
  await user.click(screen.getByRole("button", { name: "Replace the key…" }));
  await user.click(screen.getByRole("button", { name: "Replace the key" }));
  expect(await screen.findByText(/The key was replaced/)).toBeTruthy();
  expect(calls.filter(([c]) => c === "rotate_key")).toHaveLength(1);
});

test("at start-up with the key lost: the key is put back from a key export, a wrong one said beside the path", async () => {
  const calls: [string, unknown][] = [];
  let reopened = 0;
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "use_key_export") {
      const a = args as { path: string };
      if (a.path.includes("other"))
        throw { code: "validation", message: "Some fields need attention.", fields: [{ field: "path", message: "The key in /media/usb/other.pdkey does not open the case file." }] };
      return "/home/dana/.local/share/org.privacydesk.desk/case.key.replaced-20261203T172000Z";
    }
  });
  const user = userEvent.setup();
  render(BackupSettings, { props: { timeZone: "America/Los_Angeles", startup: true, onRestored: () => (reopened += 1) } });
  // No case file is open: nothing asks for its status, and only the two ways back are offered.
  expect(screen.queryByRole("button", { name: "Back up now" })).toBeNull();
  expect(screen.queryByRole("button", { name: "Export the key" })).toBeNull();
  const use = screen.getByRole("button", { name: "Put the key back" });
  expect((use as HTMLButtonElement).disabled).toBe(true);
  await user.type(screen.getByLabelText("Key export or backup file (its full path)"), "/media/usb/other.pdkey");
  await user.type(screen.getByLabelText("The key export's passphrase"), "a long enough key phrase");
  await user.click(use);
  expect(await screen.findByText(/does not open the case file/)).toBeTruthy();
  expect(screen.getByLabelText("Key export or backup file (its full path)").getAttribute("aria-invalid")).toBe("true");
  await user.clear(screen.getByLabelText("Key export or backup file (its full path)"));
  await user.type(screen.getByLabelText("Key export or backup file (its full path)"), "/media/usb/desk.pdkey");
  await user.click(screen.getByRole("button", { name: "Put the key back" }));
  expect(await screen.findByText(/The key was put back \(the one kept before is now .*replaced-20261203T172000Z\)/)).toBeTruthy();
  expect(calls.map(([c]) => c)).toEqual(["use_key_export", "use_key_export"]);
  expect(calls[1]?.[1]).toEqual({ path: "/media/usb/desk.pdkey", passphrase: "a long enough key phrase" });
  await new Promise((r) => setTimeout(r, 3100));
  expect(reopened).toBe(1);
});
