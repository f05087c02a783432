import { expect, test } from "vitest";
import { EMPTY_QUEUE, formatRoute, parseRoute, type Route } from "./route.svelte";

test.each<Route>([
  { name: "queue", queue: { ...EMPTY_QUEUE } },
  { name: "queue", queue: { ...EMPTY_QUEUE, search: "Żółć & co?", status: "open", from: "11/01/2026", sort: "next-due", page: 3 } },
  { name: "case", number: "PR-2026-00042" },
  { name: "dashboard" },
  { name: "intake" },
  { name: "import" },
  { name: "settings", tab: "organisation" },
])("the address keeps %j", (route) => {
  expect(parseRoute(formatRoute(route))).toEqual(route);
});

test("a queue as it starts has a bare address, and anything unknown is the queue", () => {
  expect(formatRoute({ name: "queue", queue: { ...EMPTY_QUEUE } })).toBe("#/queue");
  expect(parseRoute("#/nowhere")).toEqual({ name: "queue", queue: EMPTY_QUEUE });
  expect(parseRoute("#/queue?page=-4&sort=sideways")).toEqual({ name: "queue", queue: EMPTY_QUEUE });
  expect(parseRoute("#/settings/unknown")).toEqual({ name: "settings", tab: "deadlines" });
});
