//! `deadlines`: the clocks of a request received at a given time, derived exactly as the app
//! derives them; needs no case file.

use super::output::{json, line};
use super::DeadlinesArgs;
use privacydesk::domain::calendar::BusinessCalendar;
use privacydesk::domain::deadline::{self, ClockRules, DueDateRoll, ReceiptDay};
use privacydesk::domain::time::{legal_date, parse_time_zone};
use privacydesk::domain::{FieldError, ReceivedAt};
use privacydesk::service::{AppError, ErrorCode};

pub fn run(args: &DeadlinesArgs) -> Result<(), AppError> {
    let invalid = |field: &str, message: String| AppError {
        code: ErrorCode::Validation,
        message: message.clone(),
        fields: vec![FieldError {
            field: field.to_owned(),
            message,
        }],
    };
    let zone = parse_time_zone(&args.time_zone).map_err(|m| invalid("time_zone", m))?;
    let received = ReceivedAt::parse(&args.received).map_err(|m| invalid("received", m))?;
    let received_date = match received {
        ReceivedAt::Date(date) => date,
        other => legal_date(other.to_instant(zone).map_err(|m| invalid("received", m))?, zone),
    };
    if !(deadline::FIRST_YEAR..=deadline::LAST_YEAR).contains(&chrono::Datelike::year(&received_date)) {
        return Err(invalid(
            "received",
            format!(
                "Give a date of receipt between {} and {}.",
                deadline::FIRST_YEAR,
                deadline::LAST_YEAR
            ),
        ));
    }
    if args.kinds.0.is_empty() {
        return Err(invalid("kinds", "Choose at least one kind of request.".to_owned()));
    }
    let calendar = BusinessCalendar::new(args.calendar, args.closures.iter().copied());
    let rules = ClockRules {
        receipt_day: if args.exclude_receipt_day {
            ReceiptDay::Excluded
        } else {
            ReceiptDay::CountsAsDayOne
        },
        due_date_roll: if args.roll_forward {
            DueDateRoll::RollForward
        } else {
            DueDateRoll::NoRollForward
        },
    };
    let clocks = deadline::derive(received_date, zone.name(), &args.kinds.0, &calendar, rules);
    if args.json {
        return json(&serde_json::json!({
            "received_date": received_date,
            "calendar": args.calendar,
            "time_zone": zone.name(),
            "clocks": clocks,
        }));
    }
    for c in &clocks {
        line(format!("{:<17} {}  {}", c.clock.token(), c.due, c.explanation));
    }
    Ok(())
}
