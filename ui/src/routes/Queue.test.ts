import { afterEach, expect, test, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Queue from "./Queue.svelte";
import type { QueueRow } from "../lib/bindings/QueueRow";

function row(number: string, name: string, received: string, due: string | null): QueueRow {
  return {
    case: {
      number,
      received_at: `${received}T17:00:00Z`,
      received_date: received,
      time_zone: "America/Los_Angeles",
      channel: "email",
      kinds: ["delete"],
      requester: { name, email: "x@example.com", phone: null, address: null },
      status: "new",
      created_at: `${received}T17:00:00Z`,
      profile_version: 1,
      details: { entity: null, relationship: null, language: "en", delivery: null, description: "", correction: null, agent: null },
      coverage: name === "Cruz" ? { state: "not-covered", reason: "Not an employee" } : { state: "unchecked" },
    },
    next: due ? { number, requester: name, clock: "respond", due, days_left: 3, state: "open" } : null,
  };
}

afterEach(() => clearMocks());

test("lists newest received first, sorts by next due date on request, and opens a case", async () => {
  mockIPC((cmd) =>
    cmd === "list_queue"
      ? [row("PR-2026-00003", "Cruz", "2026-03-09", null), row("PR-2026-00002", "Baker", "2026-03-05", "2026-04-19"), row("PR-2026-00001", "Adams", "2026-03-02", "2026-03-16")]
      : undefined,
  );
  const onOpen = vi.fn();
  const user = userEvent.setup();
  render(Queue, { props: { onNew: () => {}, onOpen } });

  const names = () => screen.getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell")[1]?.textContent?.replace(/\s+/g, " ").trim());
  await screen.findByText("Cruz");
  expect(names()).toEqual(["Cruz Not covered", "Baker", "Adams"]);

  await user.click(screen.getByRole("button", { name: /Next due/ }));
  expect(names()).toEqual(["Adams", "Baker", "Cruz Not covered"]);
  expect(screen.getAllByText("3 days left")).toHaveLength(2);

  await user.click(screen.getByRole("button", { name: "PR-2026-00002" }));
  expect(onOpen).toHaveBeenCalledWith("PR-2026-00002");
});
