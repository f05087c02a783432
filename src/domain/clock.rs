//! Where each clock of a case stands on a given day: met, open, overdue — and the rules for
//! recording the acts that meet them (acknowledgment, extension notice, response, compliance).
//!
//! A clock is met when its act is recorded on or before its due date. `respond_extended` only
//! runs once an extension is recorded (and `respond` then shows as extended); an extension needs
//! a reason and a notice date on or before the `respond` date, and a case has at most one
//! (§ 7021(b); Civ. Code § 1798.130(a)(2)(A)).

use super::calendar::BusinessCalendar;
use super::deadline::{derive_one, ClockKind, ClockRules, Deadline};
use super::request::{Channel, RequestKind};
use super::validation::ValidationErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An extension of the response period, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Extension {
    pub reason: String,
    /// The day the notice (with the reason) was given to the requester.
    #[ts(type = "string")]
    pub notice_on: NaiveDate,
}

/// An acknowledgment of receipt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Acknowledgment {
    #[ts(type = "string")]
    pub on: NaiveDate,
    pub channel: Channel,
}

/// Everything about a case that its clocks depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts {
    pub received_date: NaiveDate,
    pub time_zone: String,
    pub kinds: Vec<RequestKind>,
    pub acknowledgment: Option<Acknowledgment>,
    pub extension: Option<Extension>,
    pub responded_on: Option<NaiveDate>,
    pub complied_on: Option<NaiveDate>,
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Its act was recorded on or before the due date.
    Met,
    /// Its act was recorded, after the due date.
    MetLate,
    /// Not yet done; the due date has not passed.
    Open,
    /// Not done and the due date has passed.
    Overdue,
    /// `respond` once an extension is recorded: `respond_extended` runs instead.
    Extended,
    /// `respond_extended` while no extension is recorded: the latest date one could give.
    NotRunning,
}

/// A clock of a case, on a given day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ClockView {
    pub deadline: Deadline,
    pub state: ClockState,
    /// Due date minus today (negative when overdue).
    #[ts(type = "number")]
    pub days_left: i64,
    /// When its act was recorded, if it was.
    #[ts(type = "string | null")]
    pub done_on: Option<NaiveDate>,
}

/// Where one clock stands on `today`, given its due date.
fn state_of(clock: ClockKind, facts: &ClockFacts, due: NaiveDate, today: NaiveDate) -> (ClockState, Option<NaiveDate>) {
    let done_on = match clock {
        // § 7021(a) excepts requests already granted or denied: a response (in full, or a
        // denial) with no separate confirmation of receipt answers this clock too.
        ClockKind::Acknowledge => facts.acknowledgment.as_ref().map(|a| a.on).or(facts.responded_on),
        ClockKind::Respond | ClockKind::RespondExtended => facts.responded_on,
        ClockKind::Comply => facts.complied_on,
    };
    let state = match (clock, &facts.extension, done_on) {
        (ClockKind::Respond, Some(_), _) => ClockState::Extended,
        (ClockKind::RespondExtended, None, _) => ClockState::NotRunning,
        (_, _, Some(on)) if on <= due => ClockState::Met,
        (_, _, Some(_)) => ClockState::MetLate,
        (_, _, None) if today > due => ClockState::Overdue,
        (_, _, None) => ClockState::Open,
    };
    (state, done_on)
}

/// Where each clock of the case stands on `today`, without the derivation in words (what the
/// reports count over a year of cases).
pub fn states(
    facts: &ClockFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Vec<(ClockKind, ClockState)> {
    super::deadline::clocks_for(&facts.kinds)
        .into_iter()
        .map(|clock| {
            let due = super::deadline::due(clock, facts.received_date, calendar, rules);
            (clock, state_of(clock, facts, due, today).0)
        })
        .collect()
}

/// Every clock of the case on `today`, with its derivation in words (the case view).
pub fn evaluate(
    facts: &ClockFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Vec<ClockView> {
    super::deadline::clocks_for(&facts.kinds)
        .into_iter()
        .map(|clock| {
            let deadline = derive_one(clock, facts.received_date, &facts.time_zone, calendar, rules);
            let (state, done_on) = state_of(clock, facts, deadline.due, today);
            ClockView {
                days_left: (deadline.due - today).num_days(),
                deadline,
                state,
                done_on,
            }
        })
        .collect()
}

/// A clock that still asks for action, without its derivation (the dashboard and the queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PendingClock {
    pub clock: ClockKind,
    pub due: NaiveDate,
    pub state: ClockState,
    pub days_left: i64,
}

/// The clocks of the case still open or overdue on `today`, computed without any allocation
/// beyond the result, since the dashboard does this for every open case.
pub fn pending(
    facts: &ClockFacts,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Vec<PendingClock> {
    super::deadline::clocks_for(&facts.kinds)
        .into_iter()
        .filter_map(|clock| {
            let due = super::deadline::due(clock, facts.received_date, calendar, rules);
            let (state, _) = state_of(clock, facts, due, today);
            matches!(state, ClockState::Open | ClockState::Overdue).then_some(PendingClock {
                clock,
                due,
                state,
                days_left: (due - today).num_days(),
            })
        })
        .collect()
}

/// Whether the case's kinds give it this clock.
pub fn needs(facts: &ClockFacts, clock: ClockKind) -> bool {
    super::deadline::clocks_for(&facts.kinds).contains(&clock)
}

/// The pending clock that ends first, if any.
pub fn next_due(pending: &[PendingClock]) -> Option<&PendingClock> {
    pending.iter().min_by_key(|p| p.due)
}

/// The due date of the clock that ends first among those still to be met, whatever the day:
/// which clocks are pending depends on the facts only (today decides open or overdue). Kept on
/// the case so that the queue can sort by it.
pub fn next_due_date(facts: &ClockFacts, calendar: &BusinessCalendar, rules: ClockRules) -> Option<NaiveDate> {
    next_pending(facts, calendar, rules).map(|(_, due)| due)
}

/// [`next_due_date`] with the clock it belongs to.
pub fn next_pending(
    facts: &ClockFacts,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Option<(ClockKind, NaiveDate)> {
    next_due(&pending(facts, facts.received_date, calendar, rules)).map(|p| (p.clock, p.due))
}

/// A pending clock as of `today`, from its due date alone (what the queue keeps per case):
/// overdue once the due date has passed.
pub fn pending_on(clock: ClockKind, due: NaiveDate, today: NaiveDate) -> PendingClock {
    PendingClock {
        clock,
        due,
        state: if today > due {
            ClockState::Overdue
        } else {
            ClockState::Open
        },
        days_left: (due - today).num_days(),
    }
}

/// Why an extension cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtensionRefused {
    /// The notice came after the response date (§ 7021(b)): `due` is the date it had to beat.
    TooLate {
        due: NaiveDate,
    },
    Invalid(ValidationErrors),
}

/// Checks an extension before it is recorded.
pub fn check_extension(
    facts: &ClockFacts,
    extension: &Extension,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    rules: ClockRules,
) -> Result<Extension, ExtensionRefused> {
    let mut errors = ValidationErrors::default();
    let reason = extension.reason.trim().to_owned();
    if !super::deadline::clocks_for(&facts.kinds).contains(&ClockKind::Respond) {
        errors.add(
            "extension",
            "Only requests to know, delete or correct have a response period to extend.",
        );
        return Err(ExtensionRefused::Invalid(errors));
    }
    if facts.extension.is_some() {
        errors.add(
            "extension",
            "This case already has an extension; the law allows one (at most 90 days in all).",
        );
        return Err(ExtensionRefused::Invalid(errors));
    }
    if reason.is_empty() {
        errors.add(
            "reason",
            "Give the reason for the extension: the notice must explain it (§ 7021(b)).",
        );
    }
    let respond = derive_one(
        ClockKind::Respond,
        facts.received_date,
        &facts.time_zone,
        calendar,
        rules,
    )
    .due;
    let notice = extension.notice_on;
    if notice > respond {
        return Err(ExtensionRefused::TooLate { due: respond });
    } else if notice > today {
        errors.add(
            "notice_on",
            "The notice date is in the future: record the extension once the notice is given.",
        );
    } else if notice < facts.received_date {
        errors.add("notice_on", "The notice date is before the request was received.");
    }
    errors
        .into_result(Extension {
            reason,
            notice_on: notice,
        })
        .map_err(ExtensionRefused::Invalid)
}

/// Checks the date of an act (acknowledgment, response, compliance) before it is recorded.
pub fn check_act_date(
    facts: &ClockFacts,
    on: NaiveDate,
    today: NaiveDate,
    field: &str,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::default();
    if on > today {
        errors.add(field, "The date is in the future.");
    } else if on < facts.received_date {
        errors.add(field, "The date is before the request was received.");
    }
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::CalendarPreset;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts() -> ClockFacts {
        ClockFacts {
            received_date: d("2026-03-02"),
            time_zone: "America/Los_Angeles".into(),
            kinds: vec![RequestKind::Delete],
            acknowledgment: None,
            extension: None,
            responded_on: None,
            complied_on: None,
        }
    }

    fn cal() -> BusinessCalendar {
        BusinessCalendar::new(CalendarPreset::UsFederal, [])
    }

    fn state(views: &[ClockView], clock: ClockKind) -> (ClockState, i64) {
        let v = views.iter().find(|v| v.deadline.clock == clock).unwrap();
        (v.state, v.days_left)
    }

    #[test]
    fn clocks_are_open_then_overdue_and_met_only_by_an_act_on_time_section_7021() {
        let f = facts();
        let views = evaluate(&f, d("2026-03-10"), &cal(), ClockRules::default());
        assert_eq!(state(&views, ClockKind::Acknowledge), (ClockState::Open, 6));
        assert_eq!(state(&views, ClockKind::Respond), (ClockState::Open, 36));
        assert_eq!(state(&views, ClockKind::RespondExtended).0, ClockState::NotRunning);
        assert_eq!(
            next_due(&pending(&f, d("2026-03-10"), &cal(), ClockRules::default()))
                .unwrap()
                .clock,
            ClockKind::Acknowledge
        );

        let views = evaluate(&f, d("2026-03-17"), &cal(), ClockRules::default());
        assert_eq!(state(&views, ClockKind::Acknowledge), (ClockState::Overdue, -1));

        let mut on_time = facts();
        on_time.acknowledgment = Some(Acknowledgment {
            on: d("2026-03-16"),
            channel: Channel::Email,
        });
        assert_eq!(
            state(
                &evaluate(&on_time, d("2026-03-20"), &cal(), ClockRules::default()),
                ClockKind::Acknowledge
            )
            .0,
            ClockState::Met
        );
        let mut late = facts();
        late.acknowledgment = Some(Acknowledgment {
            on: d("2026-03-17"),
            channel: Channel::Email,
        });
        assert_eq!(
            state(
                &evaluate(&late, d("2026-03-20"), &cal(), ClockRules::default()),
                ClockKind::Acknowledge
            )
            .0,
            ClockState::MetLate
        );
    }

    #[test]
    fn a_response_before_day_10_meets_the_acknowledgment_clock_section_7021a() {
        // Received Mon 2 Mar 2026: confirmation due Mon 16 Mar (10th business day).
        let table = [
            // (acknowledged on, responded on, expected state of the acknowledge clock on 20 Mar)
            (None, None, ClockState::Overdue),
            (None, Some("2026-03-10"), ClockState::Met),
            (None, Some("2026-03-16"), ClockState::Met),
            (None, Some("2026-03-18"), ClockState::MetLate),
            (Some("2026-03-05"), Some("2026-03-18"), ClockState::Met),
        ];
        for (ack, responded, expected) in table {
            let mut f = facts();
            f.acknowledgment = ack.map(|on| Acknowledgment {
                on: d(on),
                channel: Channel::Email,
            });
            f.responded_on = responded.map(d);
            let views = evaluate(&f, d("2026-03-20"), &cal(), ClockRules::default());
            assert_eq!(
                state(&views, ClockKind::Acknowledge).0,
                expected,
                "{ack:?} {responded:?}"
            );
            let still_pending = pending(&f, d("2026-03-20"), &cal(), ClockRules::default())
                .iter()
                .any(|p| p.clock == ClockKind::Acknowledge);
            assert_eq!(still_pending, expected == ClockState::Overdue, "{ack:?} {responded:?}");
        }
    }

    #[test]
    fn an_extension_hands_over_from_respond_to_respond_extended_section_7021b() {
        let mut f = facts();
        f.acknowledgment = Some(Acknowledgment {
            on: d("2026-03-03"),
            channel: Channel::Email,
        });
        f.extension = Some(Extension {
            reason: "Records held by two entities".into(),
            notice_on: d("2026-04-10"),
        });
        let views = evaluate(&f, d("2026-04-20"), &cal(), ClockRules::default());
        assert_eq!(state(&views, ClockKind::Respond).0, ClockState::Extended);
        assert_eq!(state(&views, ClockKind::RespondExtended), (ClockState::Open, 40));
        assert_eq!(
            next_due(&pending(&f, d("2026-04-20"), &cal(), ClockRules::default()))
                .unwrap()
                .clock,
            ClockKind::RespondExtended
        );
    }

    #[test]
    fn extension_is_refused_after_day_45_twice_or_without_a_reason_section_7021b() {
        let f = facts();
        let ext = |reason: &str, on: &str| Extension {
            reason: reason.into(),
            notice_on: d(on),
        };
        let rules = ClockRules::default();
        // Day 45 is 15 April 2026: a notice that day is in time, the next day is not.
        assert!(check_extension(
            &f,
            &ext("Volume of records", "2026-04-15"),
            d("2026-04-20"),
            &cal(),
            rules
        )
        .is_ok());
        let late = check_extension(
            &f,
            &ext("Volume of records", "2026-04-16"),
            d("2026-04-20"),
            &cal(),
            rules,
        )
        .unwrap_err();
        assert_eq!(late, ExtensionRefused::TooLate { due: d("2026-04-15") });
        let invalid = |r: ExtensionRefused| match r {
            ExtensionRefused::Invalid(e) => e,
            other => panic!("expected a validation error, got {other:?}"),
        };
        let no_reason =
            invalid(check_extension(&f, &ext("  ", "2026-04-01"), d("2026-04-20"), &cal(), rules).unwrap_err());
        assert!(no_reason.for_field("reason").is_some());
        let future =
            invalid(check_extension(&f, &ext("Volume", "2026-04-10"), d("2026-04-01"), &cal(), rules).unwrap_err());
        assert!(future.for_field("notice_on").unwrap().contains("future"));
        let mut twice = facts();
        twice.extension = Some(ext("First", "2026-04-01"));
        let again =
            invalid(check_extension(&twice, &ext("Second", "2026-04-02"), d("2026-04-20"), &cal(), rules).unwrap_err());
        assert!(again.for_field("extension").unwrap().contains("already"));
        let mut opt_out = facts();
        opt_out.kinds = vec![RequestKind::OptOut];
        assert!(check_extension(&opt_out, &ext("Volume", "2026-03-05"), d("2026-03-06"), &cal(), rules).is_err());
    }

    proptest::proptest! {
        /// The stored next due date is the queue's next due on any day: which clocks are
        /// pending never depends on the day (§ 7021 clocks; § 7026(f)).
        #[test]
        fn next_due_date_is_the_same_whatever_the_day(
            days in 0i64..400,
            acknowledged in proptest::bool::ANY,
            extended in proptest::bool::ANY,
            responded in proptest::bool::ANY,
            opt_out in proptest::bool::ANY,
        ) {
            let mut f = facts();
            if opt_out {
                f.kinds.push(RequestKind::OptOut);
            }
            if acknowledged {
                f.acknowledgment = Some(Acknowledgment { on: d("2026-03-05"), channel: crate::domain::Channel::Email });
            }
            if extended {
                f.extension = Some(Extension { reason: "r".into(), notice_on: d("2026-04-01") });
            }
            if responded {
                f.responded_on = Some(d("2026-04-10"));
            }
            let today = f.received_date + chrono::Duration::days(days);
            let on_the_day = next_due(&pending(&f, today, &cal(), ClockRules::default())).cloned();
            proptest::prop_assert_eq!(next_due_date(&f, &cal(), ClockRules::default()), on_the_day.as_ref().map(|p| p.due));
            // And what the queue derives from the stored clock and date is that day's clock.
            let stored = next_pending(&f, &cal(), ClockRules::default())
                .map(|(clock, due)| pending_on(clock, due, today));
            proptest::prop_assert_eq!(stored, on_the_day);
        }
    }

    #[test]
    fn act_dates_are_between_receipt_and_today() {
        let f = facts();
        assert!(check_act_date(&f, d("2026-03-02"), d("2026-03-05"), "on").is_ok());
        assert!(check_act_date(&f, d("2026-03-01"), d("2026-03-05"), "on").is_err());
        assert!(check_act_date(&f, d("2026-03-06"), d("2026-03-05"), "on").is_err());
    }
}
