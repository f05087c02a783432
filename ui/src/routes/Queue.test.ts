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
      version: 1,
      assignee: null,
    },
    next: due ? { number, requester: name, clock: "respond", due, days_left: 3, state: "open" } : null,
  };
}

afterEach(() => clearMocks());

test("lists newest received first, sorts by next due date on request, and opens a case", async () => {
  const queries: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "list_queue") {
      const query = (args as { query: { sort: string } }).query;
      queries.push(query);
      const [cruz, baker, adams] = [
        row("PR-2026-00003", "Cruz", "2026-03-09", null),
        row("PR-2026-00002", "Baker", "2026-03-05", "2026-04-19"),
        row("PR-2026-00001", "Adams", "2026-03-02", "2026-03-16"),
      ];
      // The core sorts; this stands in for it.
      return { rows: query.sort === "next-due" ? [adams, baker, cruz] : [cruz, baker, adams], has_more: true };
    }
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
    if (cmd === "staff_names") return [];
  });
  const onOpen = vi.fn();
  const user = userEvent.setup();
  render(Queue, { props: { onNew: () => {}, onOpen } });

  const names = () => screen.getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell")[1]?.textContent?.replace(/\s+/g, " ").trim());
  await screen.findByText("Cruz");
  expect(names()).toEqual(["Cruz Not covered", "Baker", "Adams"]);

  await user.selectOptions(screen.getByLabelText("Sort"), "next-due");
  expect(queries[queries.length - 1]).toMatchObject({ sort: "next-due", offset: 0 });
  await screen.findByText("Adams");
  await new Promise((r) => setTimeout(r, 50));
  expect(names()).toEqual(["Adams", "Baker", "Cruz Not covered"]);
  expect(screen.getAllByText("3 days left")).toHaveLength(2);

  await user.click(screen.getByRole("button", { name: "PR-2026-00002" }));
  expect(onOpen).toHaveBeenCalledWith("PR-2026-00002");

  // "/" focuses the search; what is typed goes to the core as the query, from the first page.
  await user.click(screen.getByRole("button", { name: /Next 50/ }));
  await user.keyboard("{Escape}");
  (document.activeElement as HTMLElement).blur();
  await user.keyboard("/");
  expect(document.activeElement).toBe(screen.getByLabelText("Search cases"));
  await user.keyboard("Żółć");
  await new Promise((r) => setTimeout(r, 300));
  const last = queries[queries.length - 1] as { search: string; offset: number; limit: number };
  expect(last).toMatchObject({ search: "Żółć", offset: 0, limit: 50 });

  // Arrow keys move between rows (still sorted by next due date).
  await user.keyboard("{ArrowDown}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00001");
  await user.keyboard("{ArrowDown}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00002");
  await user.keyboard("{ArrowUp}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00001");
});
