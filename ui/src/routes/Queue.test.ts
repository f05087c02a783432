import { afterEach, expect, test, vi } from "vitest";
import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Queue from "./Queue.svelte";
import type { QueueRow } from "../lib/bindings/QueueRow";
import type { QueueQuery } from "../lib/bindings/QueueQuery";
import { EMPTY_QUEUE, type QueueState } from "../lib/route.svelte";

function row(number: string, name: string, received: string, due: string | null): QueueRow {
  return {
    number,
    requester: name,
    kinds: ["delete"],
    received_date: received,
    channel: "email",
    status: "new",
    coverage: name === "Cruz" ? { state: "not-covered", reason: "Not an employee" } : { state: "unchecked" },
    assignee: null,
    next: due ? { number, requester: name, clock: "respond", due, days_left: 3, state: "open" } : null,
  };
}

afterEach(() => clearMocks());

/** The queue as App holds it: its state in the address, given back by `onState`. */
function mount(props: { returnTo?: string | null; onOpen?: (n: string) => void } = {}) {
  const queries: QueueQuery[] = [];
  const states: QueueState[] = [];
  mockIPC((cmd, args) => {
    const query = (args as { query: QueueQuery }).query;
    if (cmd === "list_queue") {
      queries.push(query);
      const [cruz, baker, adams] = [
        row("PR-2026-00003", "Cruz", "2026-03-09", null),
        row("PR-2026-00002", "Baker", "2026-03-05", "2026-04-19"),
        row("PR-2026-00001", "Adams", "2026-03-02", "2026-03-16"),
      ];
      // The core sorts; this stands in for it.
      return { rows: query.sort === "next-due" ? [adams, baker, cruz] : [cruz, baker, adams], has_more: true };
    }
    if (cmd === "queue_count") return query.search ? 54 : 2000;
    if (cmd === "current_profile") throw { code: "internal", message: "not needed", fields: [] };
    if (cmd === "staff_names") return [];
  });
  const view = render(Queue, {
    props: {
      current: { ...EMPTY_QUEUE },
      returnTo: props.returnTo ?? null,
      onNew: () => {},
      onOpen: props.onOpen ?? (() => {}),
      onState: (next: QueueState) => {
        states.push(next);
        view.rerender({ current: next });
      },
    },
  });
  return { queries, states };
}

const names = () =>
  screen
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("cell")[1]?.textContent?.replace(/\s+/g, " ").trim());
const settle = () => new Promise((r) => setTimeout(r, 50));

test("shows the total, sorts by a column header, and opens a case", async () => {
  const onOpen = vi.fn();
  const { queries } = mount({ onOpen });
  const user = userEvent.setup();

  await screen.findByText("Cruz");
  expect(names()).toEqual(["Cruz Not covered", "Baker", "Adams"]);
  await settle();
  expect(document.querySelector(".count")?.textContent).toMatch(/Cases 1–3 of 2,000/);

  const header = screen.getByRole("button", { name: /Next due/ });
  await user.click(header);
  await settle();
  expect(queries.at(-1)).toMatchObject({ sort: "next-due", offset: 0 });
  expect(names()).toEqual(["Adams", "Baker", "Cruz Not covered"]);
  expect(header.closest("th")?.getAttribute("aria-sort")).toBe("ascending");
  expect(screen.getAllByText("3 days left")).toHaveLength(2);

  // Received toggles newest first / oldest first.
  await user.click(screen.getByRole("button", { name: /Received/ }));
  expect(queries.at(-1)).toMatchObject({ sort: "newest-first" });
  await user.click(screen.getByRole("button", { name: /Received/ }));
  expect(queries.at(-1)).toMatchObject({ sort: "oldest-first" });

  await user.click(screen.getByRole("button", { name: "PR-2026-00002" }));
  expect(onOpen).toHaveBeenCalledWith("PR-2026-00002");
});

test("search starts from the first page, says how many match, and arrow keys move between rows", async () => {
  const { queries, states } = mount();
  const user = userEvent.setup();
  await screen.findByText("Cruz");

  await user.click(screen.getByRole("button", { name: /Next 50/ }));
  await settle();
  expect(queries.at(-1)).toMatchObject({ offset: 50 });
  // The focus goes to the new page's first case, not to the page body.
  await new Promise((r) => setTimeout(r, 20));
  expect(document.activeElement?.textContent).toBe("PR-2026-00003");

  (document.activeElement as HTMLElement).blur();
  await user.keyboard("/");
  expect(document.activeElement).toBe(screen.getByLabelText("Search cases"));
  await user.keyboard("Żółć");
  await new Promise((r) => setTimeout(r, 300));
  expect(queries.at(-1)).toMatchObject({ search: "Żółć", offset: 0, limit: 50 });
  expect(states.at(-1)).toMatchObject({ search: "Żółć", page: 1 });
  expect(await screen.findByText(/of 54 matching/)).toBeTruthy();

  await user.keyboard("{ArrowDown}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00003");
  await user.keyboard("{ArrowDown}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00002");
  await user.keyboard("{ArrowUp}");
  expect(document.activeElement?.textContent).toBe("PR-2026-00003");
});

test("date filters read US dates and say beside the field when a date cannot be read", async () => {
  const { queries } = mount();
  const user = userEvent.setup();
  await screen.findByText("Cruz");

  await user.type(screen.getByLabelText("Received from"), "11/01/2026");
  await user.tab();
  await settle();
  expect(queries.at(-1)).toMatchObject({ received_from: "2026-11-01" });

  await user.type(screen.getByLabelText("Received to"), "2026-13-45");
  await user.tab();
  await settle();
  const to = screen.getByLabelText("Received to");
  expect(to.getAttribute("aria-invalid")).toBe("true");
  const message = document.getElementById(to.getAttribute("aria-describedby") ?? "");
  expect(message?.textContent).toMatch(/no month 13/);
  expect(message?.textContent).toMatch(/not applied/);
  // The unreadable date does not filter (it does not answer "No case matches").
  expect(queries.at(-1)?.received_to).toBeUndefined();
  expect(screen.queryByText("No case matches.")).toBeNull();
});

test("coming back from a case focuses its row", async () => {
  mount({ returnTo: "PR-2026-00002" });
  await screen.findByText("Cruz");
  await settle();
  expect(document.activeElement?.textContent).toBe("PR-2026-00002");
});
