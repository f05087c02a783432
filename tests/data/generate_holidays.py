#!/usr/bin/env python3
"""Writes the independent holiday tables the calendar presets are checked against.

Source: the `holidays` package from PyPI (maintained separately from this project); run
`pip install holidays && python3 tests/data/generate_holidays.py` to regenerate. The tables are
committed so the Rust tests need no Python. Each line: `YYYY-MM-DD<TAB>name`, weekdays only
(a holiday on a weekend closes no business day).

- us-federal: holidays.US() (5 U.S.C. § 6103 with the federal Saturday->Friday and
  Sunday->Monday observance), all dates the package marks, weekdays only.
- ca-state: the package's own dates (observed=False) for the Gov. Code § 19853(a) closures,
  with the § 19853(b) observance applied here: Sunday -> the Monday after; Veterans Day on a
  Saturday -> the Friday before; any other Saturday holiday gives no weekday off.
"""
import datetime
import pathlib

import holidays

YEARS = range(2020, 2036)
OUT = pathlib.Path(__file__).parent

CA_STATE_NAMES = {
    "New Year's Day",
    "Martin Luther King Jr. Day",
    "Presidents' Day",
    "Cesar Chavez Day",
    "Memorial Day",
    "Independence Day",
    "Labor Day",
    "Veterans Day",
    "Thanksgiving Day",
    "Day After Thanksgiving",
    "Christmas Day",
}


def weekday_lines(pairs):
    return sorted(f"{d.isoformat()}\t{n}" for d, n in pairs if d.weekday() < 5 and d.year in YEARS)


def us_federal():
    # Years either side, so an observed date across a year end (2021-12-31) is included.
    cal = holidays.US(years=range(YEARS.start - 1, YEARS.stop + 1))
    return weekday_lines(cal.items())


def ca_state():
    cal = holidays.US(subdiv="CA", observed=False, years=range(YEARS.start - 1, YEARS.stop + 1))
    pairs = []
    for day, names in cal.items():
        for name in names.split("; "):
            if name not in CA_STATE_NAMES:
                continue
            if day.weekday() == 6:
                day = day + datetime.timedelta(days=1)
            elif day.weekday() == 5:
                if name != "Veterans Day":
                    continue
                day = day - datetime.timedelta(days=1)
            pairs.append((day, name))
    return weekday_lines(pairs)


for preset, lines in [("us-federal", us_federal()), ("ca-state", ca_state())]:
    path = OUT / f"holidays-{preset}-{YEARS.start}-{YEARS.stop - 1}.tsv"
    path.write_text("\n".join(lines) + "\n")
    print(f"{path.name}: {len(lines)} weekday holidays")
