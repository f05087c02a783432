//! The legal clocks of a case, derived from the legal date of receipt, the request kinds, the
//! extension record and the business-day calendar — never typed in — each with the derivation
//! in words (`reference/ccpa-rules.md` §2 and §10).
//!
//! - `acknowledge`: know, delete, correct: confirm receipt within 10 business days (§ 7021(a)).
//! - `respond`: know, delete, correct: 45 calendar days (§ 7021(b); § 1798.130(a)(2)(A)).
//! - `respond_extended`: at most 90 calendar days in all, only with one extension noticed (with
//!   its reason) on or before the `respond` date (§ 7021(b); § 1798.130(a)(2)(A)).
//! - `comply`: opt-out of sale/sharing and limit: 15 business days (§ 7026(f)(1); § 7027(g)(1)).
//!
//! Defaults (the earlier, conservative dates; both readings are settings, §11 of the reference):
//! the day of receipt is day 1 of a calendar-day clock (so `respond` = receipt + 44 days), and a
//! due date on a weekend or holiday does not roll forward. A business-day clock ends on the N-th
//! business day strictly after the date of receipt.

use super::calendar::{BusinessCalendar, CalendarPreset};
use super::request::{token_enum, RequestKind, UnknownToken};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// One legal clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    Acknowledge,
    Respond,
    RespondExtended,
    Comply,
}

impl ClockKind {
    pub const ALL: [ClockKind; 4] = [
        ClockKind::Acknowledge,
        ClockKind::Respond,
        ClockKind::RespondExtended,
        ClockKind::Comply,
    ];

    pub fn token(self) -> &'static str {
        match self {
            ClockKind::Acknowledge => "acknowledge",
            ClockKind::Respond => "respond",
            ClockKind::RespondExtended => "respond_extended",
            ClockKind::Comply => "comply",
        }
    }

    /// The section that sets the clock.
    pub fn section(self) -> &'static str {
        match self {
            ClockKind::Acknowledge => "§ 7021(a)",
            ClockKind::Respond => "§ 7021(b); Civ. Code § 1798.130(a)(2)(A)",
            ClockKind::RespondExtended => "§ 7021(b); Civ. Code § 1798.130(a)(2)(A)",
            ClockKind::Comply => "§ 7026(f)(1); § 7027(g)(1)",
        }
    }
}

token_enum!(ClockKind, "clock");

/// Whether the day of receipt is day 1 of a calendar-day clock. Unsettled (§ 2.3 of the
/// reference): § 7021(b) says the period "will begin on the day that the business receives the
/// request"; Gov. Code § 6800 excludes the first day. Counting it gives the earlier date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiptDay {
    #[default]
    CountsAsDayOne,
    Excluded,
}

/// Whether a calendar-day due date on a weekend or holiday moves to the next business day.
/// No CCPA text provides it (§ 2.4 of the reference; CCP § 12a is an untested argument), so the
/// default keeps the earlier date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum DueDateRoll {
    #[default]
    NoRollForward,
    RollForward,
}

impl ReceiptDay {
    pub const ALL: [ReceiptDay; 2] = [ReceiptDay::CountsAsDayOne, ReceiptDay::Excluded];
    pub fn token(self) -> &'static str {
        match self {
            ReceiptDay::CountsAsDayOne => "counts-as-day-one",
            ReceiptDay::Excluded => "excluded",
        }
    }
}
token_enum!(ReceiptDay, "receipt-day reading");

impl DueDateRoll {
    pub const ALL: [DueDateRoll; 2] = [DueDateRoll::NoRollForward, DueDateRoll::RollForward];
    pub fn token(self) -> &'static str {
        match self {
            DueDateRoll::NoRollForward => "no-roll-forward",
            DueDateRoll::RollForward => "roll-forward",
        }
    }
}
token_enum!(DueDateRoll, "due-date roll reading");

/// The two unsettled readings, as the derivation uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ClockRules {
    pub receipt_day: ReceiptDay,
    pub due_date_roll: DueDateRoll,
}

/// The organisation's clock settings as a whole: the calendar and the two readings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct ClockSettings {
    pub calendar: CalendarPreset,
    /// The organisation's own closure dates (not business days).
    #[ts(type = "Array<string>")]
    pub closures: Vec<NaiveDate>,
    pub receipt_day: ReceiptDay,
    pub due_date_roll: DueDateRoll,
}

impl ClockSettings {
    pub fn rules(&self) -> ClockRules {
        ClockRules {
            receipt_day: self.receipt_day,
            due_date_roll: self.due_date_roll,
        }
    }

    ///
    /// A calendar spans every day from [`FIRST_YEAR`] to [`LAST_YEAR`], so building one takes
    /// a while; the last one built is kept and shared while the settings stay the same (a batch
    /// asks for it several times per letter).
    pub fn business_calendar(&self) -> std::sync::Arc<BusinessCalendar> {
        use std::sync::{Arc, Mutex};
        static LAST: Mutex<Option<Arc<BusinessCalendar>>> = Mutex::new(None);
        let closures: std::collections::BTreeSet<NaiveDate> = self.closures.iter().copied().collect();
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match &*last {
            Some(calendar) if calendar.preset() == self.calendar && *calendar.closures() == closures => {
                calendar.clone()
            }
            _ => {
                let calendar = Arc::new(BusinessCalendar::new(self.calendar, closures));
                *last = Some(calendar.clone());
                calendar
            }
        }
    }
}

/// Days in the CCPA clocks.
/// The years a date of receipt may fall in: from the CCPA's start to a bound far enough ahead
/// that no date arithmetic on it can overflow.
pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2100;

pub const ACKNOWLEDGE_BUSINESS_DAYS: u32 = 10;
pub const RESPOND_CALENDAR_DAYS: i64 = 45;
pub const MAX_RESPOND_CALENDAR_DAYS: i64 = 90;
pub const COMPLY_BUSINESS_DAYS: u32 = 15;

/// A clock's due date and how it was derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Deadline {
    pub clock: ClockKind,
    #[ts(type = "string")]
    pub due: NaiveDate,
    pub explanation: String,
    pub section: String,
}

/// The clocks the kinds need: know/delete/correct bring acknowledge, respond and
/// respond_extended; opt-out and limit bring comply. In `ClockKind` order, each once.
pub fn clocks_for(kinds: &[RequestKind]) -> Vec<ClockKind> {
    let mut clocks = Vec::new();
    let answers = kinds.iter().any(|k| {
        matches!(
            k,
            RequestKind::KnowCategories | RequestKind::KnowSpecific | RequestKind::Delete | RequestKind::Correct
        )
    });
    if answers {
        clocks.extend([ClockKind::Acknowledge, ClockKind::Respond, ClockKind::RespondExtended]);
    }
    if kinds
        .iter()
        .any(|k| matches!(k, RequestKind::OptOut | RequestKind::Limit))
    {
        clocks.push(ClockKind::Comply);
    }
    clocks
}

/// "Sun 1 Mar 2026".
pub fn long_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// Derives every clock a case with these kinds has, received on `received` (its legal date in
/// `time_zone`, named in the explanations).
pub fn derive(
    received: NaiveDate,
    time_zone: &str,
    kinds: &[RequestKind],
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Vec<Deadline> {
    clocks_for(kinds)
        .into_iter()
        .map(|clock| derive_one(clock, received, time_zone, calendar, rules))
        .collect()
}

fn business_days(clock: ClockKind) -> Option<u32> {
    match clock {
        ClockKind::Acknowledge => Some(ACKNOWLEDGE_BUSINESS_DAYS),
        ClockKind::Comply => Some(COMPLY_BUSINESS_DAYS),
        ClockKind::Respond | ClockKind::RespondExtended => None,
    }
}

/// Days from the date of receipt to the last day of a calendar-day clock.
fn calendar_offset(clock: ClockKind, rules: ClockRules) -> i64 {
    let days = if clock == ClockKind::Respond {
        RESPOND_CALENDAR_DAYS
    } else {
        MAX_RESPOND_CALENDAR_DAYS
    };
    match rules.receipt_day {
        ReceiptDay::CountsAsDayOne => days - 1,
        ReceiptDay::Excluded => days,
    }
}

/// A clock's due date alone, without the words: what the dashboard computes for every open
/// case, so it allocates nothing.
pub fn due(clock: ClockKind, received: NaiveDate, calendar: &BusinessCalendar, rules: ClockRules) -> NaiveDate {
    match business_days(clock) {
        Some(n) => calendar.nth_business_day_after(received, n),
        None => {
            let last = received + Duration::days(calendar_offset(clock, rules));
            match rules.due_date_roll {
                DueDateRoll::NoRollForward => last,
                DueDateRoll::RollForward => calendar.business_day_on_or_after(last),
            }
        }
    }
}

/// One clock's due date and how it was derived, in words.
pub fn derive_one(
    clock: ClockKind,
    received: NaiveDate,
    time_zone: &str,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Deadline {
    let due = due(clock, received, calendar, rules);
    let how = match business_days(clock) {
        Some(n) => {
            let skipped: Vec<String> = (received.year()..=due.year())
                .flat_map(|y| calendar.holidays_in(y))
                .filter(|h| h.date > received && h.date <= due)
                .map(|h| format!("{} ({})", h.name, h.date.format("%a %-d %b")))
                .collect();
            let skipped = if skipped.is_empty() {
                String::new()
            } else {
                format!(", skipping {}", skipped.join(", "))
            };
            format!(
                "{n}th business day after the date of receipt = {} (business days: Monday to Friday less {}{skipped})",
                long_date(due),
                calendar.preset().describe()
            )
        }
        None => {
            let offset = calendar_offset(clock, rules);
            let counting = match rules.receipt_day {
                ReceiptDay::CountsAsDayOne => format!("day 1 = {} (the day of receipt counts)", long_date(received)),
                ReceiptDay::Excluded => {
                    format!(
                        "day 1 = {} (the day of receipt is excluded)",
                        long_date(received + Duration::days(1))
                    )
                }
            };
            let last = received + Duration::days(offset);
            let roll = match rules.due_date_roll {
                DueDateRoll::NoRollForward => "no roll-forward".to_owned(),
                DueDateRoll::RollForward if due == last => "a business day, so no roll-forward is needed".to_owned(),
                DueDateRoll::RollForward => format!("not a business day: rolled forward to {}", long_date(due)),
            };
            let cap = if clock == ClockKind::RespondExtended {
                " (the 90-day maximum, with an extension)"
            } else {
                ""
            };
            format!("{counting}; +{offset} calendar days = {}{cap}; {roll}", long_date(last))
        }
    };
    Deadline {
        clock,
        due,
        explanation: format!(
            "Received {} in {time_zone}; {how}. {}",
            long_date(received),
            clock.section()
        ),
        section: clock.section().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn due(clock: ClockKind, received: &str, preset: CalendarPreset, rules: ClockRules) -> NaiveDate {
        derive_one(
            clock,
            d(received),
            "America/Los_Angeles",
            &BusinessCalendar::new(preset, []),
            rules,
        )
        .due
    }

    const DEFAULT: ClockRules = ClockRules {
        receipt_day: ReceiptDay::CountsAsDayOne,
        due_date_roll: DueDateRoll::NoRollForward,
    };

    #[test]
    fn respond_is_day_45_counting_the_day_of_receipt_section_7021b() {
        for (received, expected) in [
            ("2026-03-02", "2026-04-15"),
            ("2026-03-01", "2026-04-14"),
            ("2026-12-31", "2027-02-13"),
            ("2028-01-16", "2028-02-29"),
        ] {
            assert_eq!(
                due(ClockKind::Respond, received, CalendarPreset::UsFederal, DEFAULT),
                d(expected),
                "{received}"
            );
        }
    }

    #[test]
    fn respond_extended_is_day_90_and_never_rolls_by_default_section_7021b() {
        // Day 90 of a 2 March receipt is Saturday 30 May 2026: kept, not moved to Monday.
        assert_eq!(
            due(
                ClockKind::RespondExtended,
                "2026-03-02",
                CalendarPreset::UsFederal,
                DEFAULT
            ),
            d("2026-05-30")
        );
    }

    #[test]
    fn excluding_the_day_of_receipt_gives_one_day_more_gov_code_6800_setting() {
        let rules = ClockRules {
            receipt_day: ReceiptDay::Excluded,
            ..DEFAULT
        };
        assert_eq!(
            due(ClockKind::Respond, "2026-03-02", CalendarPreset::UsFederal, rules),
            d("2026-04-16")
        );
        assert_eq!(
            due(
                ClockKind::RespondExtended,
                "2026-03-02",
                CalendarPreset::UsFederal,
                rules
            ),
            d("2026-05-31")
        );
    }

    #[test]
    fn roll_forward_setting_moves_a_weekend_due_date_to_the_next_business_day_ccp_12a_setting() {
        let rules = ClockRules {
            due_date_roll: DueDateRoll::RollForward,
            ..DEFAULT
        };
        let d90 = derive_one(
            ClockKind::RespondExtended,
            d("2026-03-02"),
            "America/Los_Angeles",
            &BusinessCalendar::new(CalendarPreset::UsFederal, []),
            rules,
        );
        assert_eq!(d90.due, d("2026-06-01"));
        assert!(
            d90.explanation.contains("rolled forward to Mon 1 Jun 2026"),
            "{}",
            d90.explanation
        );
    }

    #[test]
    fn acknowledge_is_the_10th_business_day_after_receipt_section_7021a() {
        for (received, preset, expected) in [
            ("2026-03-02", CalendarPreset::Weekends, "2026-03-16"),
            ("2026-03-02", CalendarPreset::UsFederal, "2026-03-16"),
            // Received on a Saturday: counting starts on Monday.
            ("2026-02-28", CalendarPreset::Weekends, "2026-03-13"),
            // Presidents' Day (Mon 16 Feb 2026) is skipped under both holiday presets.
            ("2026-02-13", CalendarPreset::UsFederal, "2026-03-02"),
            ("2026-02-13", CalendarPreset::CaState, "2026-03-02"),
            ("2026-02-13", CalendarPreset::Weekends, "2026-02-27"),
            // Thanksgiving and, for state offices, the day after.
            ("2026-11-20", CalendarPreset::UsFederal, "2026-12-07"),
            ("2026-11-20", CalendarPreset::CaState, "2026-12-08"),
        ] {
            assert_eq!(
                due(ClockKind::Acknowledge, received, preset, DEFAULT),
                d(expected),
                "{received} {preset:?}"
            );
        }
    }

    #[test]
    fn comply_is_the_15th_business_day_after_receipt_sections_7026f_7027g() {
        assert_eq!(
            due(ClockKind::Comply, "2026-03-02", CalendarPreset::Weekends, DEFAULT),
            d("2026-03-23")
        );
        // Independence Day 2026 is observed Friday 3 July federally, not by state offices.
        assert_eq!(
            due(ClockKind::Comply, "2026-06-26", CalendarPreset::UsFederal, DEFAULT),
            d("2026-07-20")
        );
        assert_eq!(
            due(ClockKind::Comply, "2026-06-26", CalendarPreset::CaState, DEFAULT),
            d("2026-07-17")
        );
    }

    #[test]
    fn kinds_bring_their_clocks_and_a_mixed_case_has_all_of_them() {
        use RequestKind::*;
        assert_eq!(
            clocks_for(&[Delete]),
            vec![ClockKind::Acknowledge, ClockKind::Respond, ClockKind::RespondExtended]
        );
        assert_eq!(clocks_for(&[OptOut, Limit]), vec![ClockKind::Comply]);
        assert_eq!(clocks_for(&[KnowSpecific, OptOut]).len(), 4);
    }

    #[test]
    fn the_explanation_says_how_the_date_was_derived() {
        let respond = derive_one(
            ClockKind::Respond,
            d("2026-03-01"),
            "America/Los_Angeles",
            &BusinessCalendar::new(CalendarPreset::UsFederal, []),
            DEFAULT,
        );
        assert_eq!(
            respond.explanation,
            "Received Sun 1 Mar 2026 in America/Los_Angeles; day 1 = Sun 1 Mar 2026 (the day of receipt counts); +44 calendar days = Tue 14 Apr 2026; no roll-forward. § 7021(b); Civ. Code § 1798.130(a)(2)(A)"
        );
        let ack = derive_one(
            ClockKind::Acknowledge,
            d("2026-02-13"),
            "America/Los_Angeles",
            &BusinessCalendar::new(CalendarPreset::UsFederal, []),
            DEFAULT,
        );
        assert!(
            ack.explanation.contains("skipping Washington's Birthday (Mon 16 Feb)"),
            "{}",
            ack.explanation
        );
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..(366 * 20)).prop_map(|n| d("2020-01-01") + Duration::days(n))
    }

    fn any_preset() -> impl Strategy<Value = CalendarPreset> {
        prop::sample::select(CalendarPreset::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn business_day_clocks_end_on_a_business_day_with_exactly_n_in_between_sections_7021a_7026f(
            received in any_date(), preset in any_preset()
        ) {
            let cal = BusinessCalendar::new(preset, []);
            for (clock, n) in [(ClockKind::Acknowledge, 10), (ClockKind::Comply, 15)] {
                let due = derive_one(clock, received, "UTC", &cal, DEFAULT).due;
                prop_assert!(cal.is_business_day(due));
                let between = (1..=(due - received).num_days()).filter(|i| cal.is_business_day(received + Duration::days(*i))).count();
                prop_assert_eq!(between, n as usize, "exactly {} business days in (receipt, due]", n);
            }
        }

        #[test]
        fn calendar_day_clocks_are_44_and_89_days_after_receipt_section_7021b(received in any_date(), preset in any_preset()) {
            let cal = BusinessCalendar::new(preset, []);
            prop_assert_eq!(derive_one(ClockKind::Respond, received, "UTC", &cal, DEFAULT).due - received, Duration::days(44));
            prop_assert_eq!(derive_one(ClockKind::RespondExtended, received, "UTC", &cal, DEFAULT).due - received, Duration::days(89));
        }

        #[test]
        fn roll_forward_only_ever_moves_later_and_onto_a_business_day(received in any_date(), preset in any_preset()) {
            let cal = BusinessCalendar::new(preset, []);
            let rules = ClockRules { due_date_roll: DueDateRoll::RollForward, ..DEFAULT };
            let plain = derive_one(ClockKind::Respond, received, "UTC", &cal, DEFAULT).due;
            let rolled = derive_one(ClockKind::Respond, received, "UTC", &cal, rules).due;
            prop_assert!(rolled >= plain && cal.is_business_day(rolled));
            prop_assert!((rolled - plain).num_days() < 7);
        }
    }
}
