//! The holiday presets, year by year 2020-2035, against tables generated from an independent
//! source (the `holidays` package from PyPI: tests/data/generate_holidays.py).

use chrono::{Datelike, NaiveDate};
use privacydesk::domain::calendar::{BusinessCalendar, CalendarPreset};
use std::collections::BTreeSet;

fn table(name: &str) -> BTreeSet<NaiveDate> {
    let path = format!("{}/tests/data/{name}", crate::support::manifest_dir().display());
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| l.split('\t').next().unwrap().parse().unwrap())
        .collect()
}

fn closed_weekdays(preset: CalendarPreset) -> BTreeSet<NaiveDate> {
    let cal = BusinessCalendar::new(preset, []);
    (2020..=2035).flat_map(|y| cal.holidays_in(y)).map(|h| h.date).collect()
}

fn compare(preset: CalendarPreset, file: &str) {
    let ours = closed_weekdays(preset);
    let theirs = table(file);
    for year in 2020..=2035 {
        let a: Vec<_> = ours.iter().filter(|d| d.year() == year).collect();
        let b: Vec<_> = theirs.iter().filter(|d| d.year() == year).collect();
        assert_eq!(a, b, "{preset:?} {year}: ours (left) vs the independent table (right)");
    }
    let cal = BusinessCalendar::new(preset, []);
    for d in &theirs {
        assert!(
            !cal.is_business_day(*d),
            "{d} is a {preset:?} holiday, not a business day"
        );
    }
}

#[test]
fn us_federal_preset_matches_5_usc_6103_as_the_holidays_package_computes_it_2020_2035() {
    compare(CalendarPreset::UsFederal, "holidays-us-federal-2020-2035.tsv");
}

#[test]
fn ca_state_preset_matches_gov_code_19853_as_derived_from_the_holidays_package_2020_2035() {
    compare(CalendarPreset::CaState, "holidays-ca-state-2020-2035.tsv");
}

#[test]
fn weekends_preset_has_no_holidays() {
    assert!(closed_weekdays(CalendarPreset::Weekends).is_empty());
}

/// The computed table in `reference/ccpa-rules.md` §9.4, by hand.
#[test]
fn reference_table_9_4_for_2026_and_2027() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let fed = closed_weekdays(CalendarPreset::UsFederal);
    let ca = closed_weekdays(CalendarPreset::CaState);
    for day in [
        "2026-07-03",
        "2027-07-05",
        "2027-12-24",
        "2027-12-31",
        "2026-10-12",
        "2027-06-18",
    ] {
        assert!(fed.contains(&d(day)), "federal {day}");
    }
    for day in ["2026-03-31", "2027-03-31", "2026-11-27", "2027-11-26", "2027-07-05"] {
        assert!(ca.contains(&d(day)), "state {day}");
    }
    for day in ["2026-07-03", "2027-12-24", "2026-10-12", "2026-06-19"] {
        assert!(!ca.contains(&d(day)), "state offices are open {day}");
    }
}
