import { expect, test } from "vitest";
import { readDate, spelledOut, typed } from "./dates";

test.each([
  ["11/01/2026", "2026-11-01"],
  ["2026-11-01", "2026-11-01"],
  [" 1/2/2026 ", "2026-01-02"],
  ["02/29/2028", "2028-02-29"],
])("reads %s as %s", (text, iso) => {
  expect(readDate(text)).toEqual({ iso });
});

test.each([
  ["2026-13-45", /no month 13/],
  ["02/29/2027", /February 2027 has no day 29 \(it has 28 days\)/],
  ["31/12/2026", /no month 31/],
  ["next Tuesday", /not a date the form can read: write it as 11\/01\/2026/],
  ["", /Enter a date/],
  ["01/01/1999", /outside the years/],
])("says plainly why %s is not a date", (text, problem) => {
  const reading = readDate(text);
  expect("problem" in reading && reading.problem).toMatch(problem);
  // Words for a person: never a format name or a developer's message.
  expect("problem" in reading && reading.problem).not.toMatch(/RFC|ISO|invalid/);
});

test("a date is spelled out beside its field and shown back as typed", () => {
  expect(spelledOut("2026-11-01")).toBe("Sunday, November 1, 2026");
  expect(typed("2026-11-01")).toBe("11/01/2026");
  expect(typed(null)).toBe("");
});
