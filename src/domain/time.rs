//! Instants and legal dates. An instant is stored in UTC; the legal date of an event is its date
//! in the organisation's time zone (America/Los_Angeles unless the profile says otherwise), since
//! every CCPA clock counts from the day the business receives the request (§ 7021(b)).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The organisation's time zone when the profile names none.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::America::Los_Angeles;

/// Parses an IANA time-zone name such as `America/Los_Angeles`.
pub fn parse_time_zone(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone \"{name}\" (expected an IANA name such as America/Los_Angeles)"))
}

/// The date of `instant` in `zone`: the legal date of an event.
pub fn legal_date(instant: DateTime<Utc>, zone: Tz) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

/// The instant a wall-clock time in `zone` denotes. In the autumn repeated hour the earlier
/// instant is taken (the request cannot have arrived later than the first reading); a time in
/// the spring gap does not exist and is refused.
pub fn local_to_instant(local: NaiveDateTime, zone: Tz) -> Result<DateTime<Utc>, String> {
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| {
            format!(
                "{} does not exist in {} (the clocks moved forward)",
                local.format("%Y-%m-%d %H:%M"),
                zone.name()
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_pacific_is_the_previous_legal_date_section_7021b() {
        let instant = "2026-03-02T07:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            legal_date(instant, DEFAULT_TIME_ZONE),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
    }

    /// Midnight moves in UTC when daylight saving starts and ends; the legal date must follow.
    #[test]
    fn legal_date_at_midnight_around_daylight_saving_changes_section_7021b() {
        for (instant, date) in [
            ("2026-03-08T07:59:59Z", "2026-03-07"), // 23:59:59 PST, the night clocks spring forward
            ("2026-03-08T08:00:00Z", "2026-03-08"), // 00:00 PST
            ("2026-03-09T06:59:59Z", "2026-03-08"), // 23:59:59 PDT
            ("2026-03-09T07:00:00Z", "2026-03-09"), // 00:00 PDT
            ("2026-11-01T06:59:59Z", "2026-10-31"), // 23:59:59 PDT, the night clocks fall back
            ("2026-11-01T07:00:00Z", "2026-11-01"), // 00:00 PDT
            ("2026-11-02T07:59:59Z", "2026-11-01"), // 23:59:59 PST
            ("2026-11-02T08:00:00Z", "2026-11-02"), // 00:00 PST
        ] {
            let at = instant.parse::<DateTime<Utc>>().unwrap();
            assert_eq!(legal_date(at, DEFAULT_TIME_ZONE).to_string(), date, "{instant}");
        }
    }

    #[test]
    fn spring_forward_gap_is_refused_and_fall_back_takes_the_earlier_instant() {
        let gap = NaiveDate::from_ymd_opt(2026, 3, 8)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert!(local_to_instant(gap, DEFAULT_TIME_ZONE).is_err());
        let repeated = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(
            local_to_instant(repeated, DEFAULT_TIME_ZONE).unwrap().to_rfc3339(),
            "2026-11-01T08:30:00+00:00"
        );
    }
}
