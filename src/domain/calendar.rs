//! Business-day calendars for the 10- and 15-business-day clocks (§ 7021(a), § 7026(f)(1),
//! § 7027(g)(1)).
//!
//! Neither the CCPA nor its regulations define "business day" (`reference/ccpa-rules.md`
//! §2.2), so the calendar is a setting: a business day is Monday to Friday less the preset's
//! observed holidays and the organisation's own closure dates. Presets:
//! - `us-federal` (default): 5 U.S.C. § 6103; a holiday on a Saturday is observed the Friday
//!   before (even across a year end), on a Sunday the Monday after.
//! - `ca-state`: California state-office closures, Gov. Code § 19853(a); Sunday -> the Monday
//!   after; Veterans Day on a Saturday -> the Friday before; any other Saturday holiday gives no
//!   weekday off (§ 19853(b)).
//! - `weekends`: no holidays.
//!
//! Lookups are O(1) over a precomputed span of years (a bitmap of business days and a running
//! count), since the dashboard derives every clock of every open case at once.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

use super::request::{token_enum, UnknownToken};
use std::fmt;
use std::str::FromStr;

/// Which public holidays are not business days. The default is the conservative one
/// (reference §10.3): weekends only gives the earliest business-day due dates, since every
/// holiday left out of the business days makes a due date later, never earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum CalendarPreset {
    #[default]
    Weekends,
    UsFederal,
    CaState,
}

impl CalendarPreset {
    pub const ALL: [CalendarPreset; 3] = [
        CalendarPreset::Weekends,
        CalendarPreset::UsFederal,
        CalendarPreset::CaState,
    ];

    pub fn token(self) -> &'static str {
        match self {
            CalendarPreset::UsFederal => "us-federal",
            CalendarPreset::CaState => "ca-state",
            CalendarPreset::Weekends => "weekends",
        }
    }

    /// How the preset reads in an explanation.
    pub fn describe(self) -> &'static str {
        match self {
            CalendarPreset::UsFederal => "US federal holidays (5 U.S.C. § 6103)",
            CalendarPreset::CaState => "California state-office holidays (Gov. Code § 19853)",
            CalendarPreset::Weekends => "weekends only, no holidays",
        }
    }
}

token_enum!(CalendarPreset, "calendar");

/// A holiday as the calendar observes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Holiday {
    /// The weekday that is not a business day (the observed date).
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub name: String,
}

/// Years with O(1) lookups; outside them every answer is computed from the rules directly.
const FIRST_YEAR: i32 = 2018;
const LAST_YEAR: i32 = 2045;

/// A business-day calendar: a preset plus the organisation's own closure dates.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    preset: CalendarPreset,
    closures: BTreeSet<NaiveDate>,
    start: NaiveDate,
    /// `business[i]`: is `start + i` a business day.
    business: Vec<bool>,
    /// `ordinal[i]`: how many business days lie in `[start, start + i]`.
    ordinal: Vec<u32>,
    /// The index (days after `start`) of the k-th business day, k from 0.
    nth: Vec<u32>,
}

impl BusinessCalendar {
    pub fn new(preset: CalendarPreset, closures: impl IntoIterator<Item = NaiveDate>) -> BusinessCalendar {
        let closures: BTreeSet<NaiveDate> = closures.into_iter().collect();
        let start = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).expect("valid");
        let end = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).expect("valid");
        let mut holidays = BTreeSet::new();
        for year in FIRST_YEAR - 1..=LAST_YEAR + 1 {
            holidays.extend(observed_holidays(preset, year).into_iter().map(|h| h.date));
        }
        let days = (end - start).num_days() as usize + 1;
        let (mut business, mut ordinal, mut nth) = (Vec::with_capacity(days), Vec::with_capacity(days), Vec::new());
        let mut count = 0u32;
        for i in 0..days {
            let d = start + Duration::days(i as i64);
            let open = !is_weekend(d) && !holidays.contains(&d) && !closures.contains(&d);
            if open {
                nth.push(i as u32);
                count += 1;
            }
            business.push(open);
            ordinal.push(count);
        }
        BusinessCalendar {
            preset,
            closures,
            start,
            business,
            ordinal,
            nth,
        }
    }

    pub fn preset(&self) -> CalendarPreset {
        self.preset
    }

    pub fn closures(&self) -> &BTreeSet<NaiveDate> {
        &self.closures
    }

    fn index(&self, d: NaiveDate) -> Option<usize> {
        let i = (d - self.start).num_days();
        (i >= 0 && (i as usize) < self.business.len()).then_some(i as usize)
    }

    /// Monday to Friday, not an observed holiday of the preset, not a closure date.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        match self.index(d) {
            Some(i) => self.business[i],
            None => {
                !is_weekend(d)
                    && !self.closures.contains(&d)
                    && !(d.year() - 1..=d.year() + 1)
                        .flat_map(|y| observed_holidays(self.preset, y))
                        .any(|h| h.date == d)
            }
        }
    }

    /// The `n`-th business day strictly after `from` (`n` >= 1): a request received on
    /// Monday 2026-03-02 has its 10th business day on Monday 2026-03-16 with no holidays between.
    pub fn nth_business_day_after(&self, from: NaiveDate, n: u32) -> NaiveDate {
        assert!(n >= 1, "the first business day after a date is n = 1");
        if let Some(i) = self.index(from) {
            let target = self.ordinal[i] as usize + n as usize - 1;
            if let Some(&day) = self.nth.get(target) {
                return self.start + Duration::days(i64::from(day));
            }
        }
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt().expect("date in range");
            if self.is_business_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The first business day on or after `d`.
    pub fn business_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        if self.is_business_day(d) {
            d
        } else {
            self.nth_business_day_after(d, 1)
        }
    }

    /// The weekdays of `year` the calendar closes, with their names, in date order (the
    /// preset's observed holidays and the organisation's closures).
    pub fn holidays_in(&self, year: i32) -> Vec<Holiday> {
        let mut all: Vec<Holiday> = (year - 1..=year + 1)
            .flat_map(|y| observed_holidays(self.preset, y))
            .filter(|h| h.date.year() == year)
            .collect();
        all.extend(
            self.closures
                .iter()
                .filter(|d| d.year() == year && !is_weekend(**d) && !all.iter().any(|h| h.date == **d))
                .map(|d| Holiday {
                    date: *d,
                    name: "Organisation closure".to_owned(),
                })
                .collect::<Vec<_>>(),
        );
        all.sort_by_key(|h| h.date);
        all
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid holiday date")
}

/// The `n`-th `weekday` of a month (n from 1).
fn nth_weekday(y: i32, m: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(y, m, weekday, n).expect("valid n-th weekday")
}

fn last_weekday(y: i32, m: u32, weekday: Weekday) -> NaiveDate {
    let mut d = if m == 12 { date(y + 1, 1, 1) } else { date(y, m + 1, 1) }
        .pred_opt()
        .expect("valid");
    while d.weekday() != weekday {
        d = d.pred_opt().expect("valid");
    }
    d
}

/// How a fixed-date holiday that falls on a weekend is observed.
#[derive(Clone, Copy)]
enum Observance {
    /// Saturday -> Friday before, Sunday -> Monday after (5 U.S.C. § 6103(b); EO 11582).
    Federal,
    /// Sunday -> Monday after; Saturday -> no weekday off (Gov. Code § 19853(b)).
    CaState,
    /// Sunday -> Monday after; Saturday -> Friday before (Veterans Day, § 19853(b)).
    CaVeteransDay,
}

fn observe(d: NaiveDate, rule: Observance) -> Option<NaiveDate> {
    match (d.weekday(), rule) {
        (Weekday::Sun, _) => d.succ_opt(),
        (Weekday::Sat, Observance::Federal | Observance::CaVeteransDay) => d.pred_opt(),
        (Weekday::Sat, Observance::CaState) => None,
        _ => Some(d),
    }
}

/// The weekday dates the preset closes for holidays whose legal date falls in `year` (an
/// observed date may fall in the year before: New Year's Day 2022 was observed on
/// Friday 2021-12-31).
pub fn observed_holidays(preset: CalendarPreset, year: i32) -> Vec<Holiday> {
    use Weekday::{Mon, Thu};
    let mut list: Vec<(NaiveDate, &str, Option<Observance>)> = Vec::new();
    match preset {
        CalendarPreset::Weekends => {}
        CalendarPreset::UsFederal => {
            let fixed = Some(Observance::Federal);
            list.push((date(year, 1, 1), "New Year's Day", fixed));
            list.push((nth_weekday(year, 1, Mon, 3), "Martin Luther King Jr. Day", None));
            list.push((nth_weekday(year, 2, Mon, 3), "Washington's Birthday", None));
            list.push((last_weekday(year, 5, Mon), "Memorial Day", None));
            if year >= 2021 {
                list.push((date(year, 6, 19), "Juneteenth National Independence Day", fixed));
            }
            list.push((date(year, 7, 4), "Independence Day", fixed));
            list.push((nth_weekday(year, 9, Mon, 1), "Labor Day", None));
            list.push((nth_weekday(year, 10, Mon, 2), "Columbus Day", None));
            list.push((date(year, 11, 11), "Veterans Day", fixed));
            list.push((nth_weekday(year, 11, Thu, 4), "Thanksgiving Day", None));
            list.push((date(year, 12, 25), "Christmas Day", fixed));
        }
        CalendarPreset::CaState => {
            let fixed = Some(Observance::CaState);
            let thanksgiving = nth_weekday(year, 11, Thu, 4);
            list.push((date(year, 1, 1), "New Year's Day", fixed));
            list.push((nth_weekday(year, 1, Mon, 3), "Martin Luther King Jr. Day", None));
            list.push((nth_weekday(year, 2, Mon, 3), "Presidents' Day", None));
            list.push((date(year, 3, 31), "Cesar Chavez Day", fixed));
            list.push((last_weekday(year, 5, Mon), "Memorial Day", None));
            list.push((date(year, 7, 4), "Independence Day", fixed));
            list.push((nth_weekday(year, 9, Mon, 1), "Labor Day", None));
            list.push((date(year, 11, 11), "Veterans Day", Some(Observance::CaVeteransDay)));
            list.push((thanksgiving, "Thanksgiving Day", None));
            list.push((thanksgiving.succ_opt().expect("valid"), "Day after Thanksgiving", None));
            list.push((date(year, 12, 25), "Christmas Day", fixed));
        }
    }
    list.into_iter()
        .filter_map(|(d, name, rule)| {
            let observed = match rule {
                Some(rule) => observe(d, rule)?,
                None => d,
            };
            let name = if observed == d {
                name.to_owned()
            } else {
                format!("{name} (observed)")
            };
            Some(Holiday { date: observed, name })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn federal_saturday_holiday_is_observed_the_friday_before_even_across_a_year_end_5_usc_6103() {
        let cal = BusinessCalendar::new(CalendarPreset::UsFederal, []);
        assert!(
            !cal.is_business_day(d("2026-07-03")),
            "Independence Day 2026 falls on a Saturday"
        );
        assert!(
            !cal.is_business_day(d("2021-12-31")),
            "New Year's Day 2022 falls on a Saturday"
        );
        assert!(
            !cal.is_business_day(d("2027-07-05")),
            "Independence Day 2027 falls on a Sunday"
        );
        assert!(cal
            .holidays_in(2021)
            .iter()
            .any(|h| h.date == d("2021-12-31") && h.name == "New Year's Day (observed)"));
    }

    #[test]
    fn ca_state_saturday_holiday_gives_no_weekday_off_except_veterans_day_gov_code_19853b() {
        let cal = BusinessCalendar::new(CalendarPreset::CaState, []);
        assert!(
            cal.is_business_day(d("2026-07-03")),
            "a Saturday Independence Day gives state offices no Friday off"
        );
        assert!(
            !cal.is_business_day(d("2028-11-10")),
            "Veterans Day 2028 is a Saturday: observed Friday"
        );
        assert!(!cal.is_business_day(d("2026-11-27")), "the day after Thanksgiving");
        assert!(!cal.is_business_day(d("2026-03-31")), "Cesar Chavez Day");
        assert!(
            cal.is_business_day(d("2026-10-12")),
            "Columbus Day is not a state-office closure"
        );
    }

    #[test]
    fn closures_are_not_business_days_and_show_in_the_year_view() {
        let cal = BusinessCalendar::new(CalendarPreset::Weekends, [d("2026-12-24")]);
        assert!(!cal.is_business_day(d("2026-12-24")));
        assert_eq!(
            cal.holidays_in(2026),
            vec![Holiday {
                date: d("2026-12-24"),
                name: "Organisation closure".into()
            }]
        );
    }

    #[test]
    fn nth_business_day_after_matches_a_day_by_day_walk_outside_the_fast_span_too() {
        let cal = BusinessCalendar::new(CalendarPreset::UsFederal, []);
        assert_eq!(cal.nth_business_day_after(d("2026-03-02"), 10), d("2026-03-16"));
        assert_eq!(cal.nth_business_day_after(d("2060-03-01"), 1), d("2060-03-02"));
        assert_eq!(
            cal.nth_business_day_after(d("2045-12-29"), 2),
            d("2046-01-03"),
            "crosses the end of the fast span and New Year"
        );
    }
}
