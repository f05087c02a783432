// Dates as people type them: 2026-11-01 or 11/01/2026 (month first, as in the US), read into
// the ISO date the core takes. A date that cannot be read, or that does not exist, is said
// plainly; the core never sees it.

export type DateReading = { iso: string } | { problem: string };

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Reads a typed date; `empty` is what an empty field means (a problem, unless optional). */
export function readDate(text: string, empty = "Enter a date, such as 11/01/2026."): DateReading {
  const t = text.trim();
  if (t === "") return { problem: empty };
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t))) {
    [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return { problem: `“${t}” is not a date the form can read: write it as 11/01/2026 or 2026-11-01.` };
  }
  if (m < 1 || m > 12) {
    return { problem: `“${t}” has no month ${m}: months run from 1 to 12 (11/01/2026 is November 1).` };
  }
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) {
    return { problem: `${MONTHS[m - 1]} ${y} has no day ${d} (it has ${days} days).` };
  }
  if (y < 2020 || y > 2100) {
    return { problem: `${y} is outside the years PrivacyDesk keeps (2020 to 2100).` };
  }
  return { iso: `${y}-${pad(m)}-${pad(d)}` };
}

/** "Sunday, November 1, 2026" for an ISO date: shown beside a field so that a date typed
 *  day-first is seen at once. */
export function spelledOut(iso: string): string {
  const [y = 0, m = 1, d = 1] = iso.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return new Intl.DateTimeFormat("en-US", {
    weekday: "long",
    month: "long",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  }).format(date);
}

/** "11/01/2026" for an ISO date: how a date field shows a date it was given. */
export function typed(iso: string | null | undefined): string {
  if (!iso) return "";
  const [y, m, d] = iso.split("-");
  return `${m}/${d}/${y}`;
}
