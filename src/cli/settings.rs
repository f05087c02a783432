//! `profile …`, `settings …`, `holidays`, `staff …`: the case file's own records.

use super::output::{self, json, line, note, safe};
use super::{Context, ProfileCommand, SettingsCommand, StaffCommand};
use privacydesk::service::{clocks, lifecycle, profile, AppError};

pub async fn profile(ctx: &Context, command: ProfileCommand) -> Result<(), AppError> {
    match command {
        ProfileCommand::Export { out } => {
            let view = profile::current_profile(&ctx.file).await?;
            match out {
                Some(path) => output::write_file(&path, view.document.as_bytes()),
                None => {
                    line(view.document.trim_end());
                    Ok(())
                }
            }
        }
        ProfileCommand::Import { file: path } => {
            let text = String::from_utf8(output::read_file(&path)?).map_err(|_| {
                AppError::new(
                    privacydesk::service::ErrorCode::Validation,
                    format!("{} is not UTF-8 text", path.display()),
                )
            })?;
            let view = profile::save_profile(&ctx.file, &text, ctx.now, &ctx.actor).await?;
            line(format!("profile version {} in force", view.version));
            for w in &view.warnings {
                note(format!("warning: {w}"));
            }
            Ok(())
        }
    }
}

pub async fn clocks(ctx: &Context, command: SettingsCommand) -> Result<(), AppError> {
    let (current, as_json) = match command {
        SettingsCommand::Show { json } => (clocks::clock_settings(&ctx.file).await?, json),
        SettingsCommand::Set {
            calendar,
            receipt_day,
            due_date_roll,
            add_closures,
            remove_closures,
            json,
        } => {
            let mut s = clocks::clock_settings(&ctx.file).await?;
            if let Some(c) = calendar {
                s.calendar = c;
            }
            if let Some(r) = receipt_day {
                s.receipt_day = r;
            }
            if let Some(r) = due_date_roll {
                s.due_date_roll = r;
            }
            s.closures.extend(add_closures);
            s.closures.retain(|d| !remove_closures.contains(d));
            (
                clocks::save_clock_settings(&ctx.file, &s, ctx.now, &ctx.actor).await?,
                json,
            )
        }
    };
    if as_json {
        return json(&current);
    }
    line(format!("calendar: {}", current.calendar.token()));
    line(format!("receipt day: {}", current.receipt_day.token()));
    line(format!("due date roll: {}", current.due_date_roll.token()));
    line(format!(
        "closures: {}",
        current
            .closures
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    Ok(())
}

pub async fn holidays(ctx: &Context, year: i32, as_json: bool) -> Result<(), AppError> {
    let days = clocks::holidays(&ctx.file, year).await?;
    if as_json {
        return json(&days);
    }
    for h in &days {
        line(format!("{}\t{}", h.date, h.name));
    }
    Ok(())
}

pub async fn staff(ctx: &Context, command: StaffCommand) -> Result<(), AppError> {
    match command {
        StaffCommand::Name { name } => {
            let kept = profile::set_staff_name(&ctx.file, &name, ctx.now, &ctx.actor).await?;
            line(format!("staff name: {}", safe(&kept)));
            Ok(())
        }
        StaffCommand::List { json: as_json } => {
            let names = lifecycle::staff_names(&ctx.file).await?;
            if as_json {
                return json(&names);
            }
            for n in &names {
                line(safe(n));
            }
            Ok(())
        }
    }
}
