//! `intake email`, `import` and `demo`: requests that arrive in bulk.

use super::output::{self, json, line, note, safe};
use super::{Context, KindList};
use privacydesk::service::email::{self, EmailDefaults, EmailOutcome};
use privacydesk::service::{demo as demo_service, import as import_service, AppError, ErrorCode};
use std::path::PathBuf;

pub async fn email(ctx: &Context, files: Vec<PathBuf>, kinds: Option<KindList>, as_json: bool) -> Result<(), AppError> {
    // Every file is read first: a file that cannot be read stops the command before anything
    // is logged.
    let mut messages = Vec::new();
    for path in &files {
        let raw = output::read_file(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parts = email::messages(&raw);
        let many = parts.len() > 1;
        for (i, part) in parts.into_iter().enumerate() {
            let label = if many {
                format!("{name}#{}", i + 1)
            } else {
                name.clone()
            };
            messages.push((label, part));
        }
    }
    let defaults = EmailDefaults {
        kinds: kinds.map(|k| k.0),
    };
    let outcomes = email::log_emails(&ctx.file, &messages, &defaults, ctx.now, &ctx.actor).await?;
    if as_json {
        let rows: Vec<_> = outcomes
            .iter()
            .map(|(source, outcome)| serde_json::json!({ "source": source, "result": outcome }))
            .collect();
        json(&rows)?;
    } else {
        for (source, outcome) in &outcomes {
            match outcome {
                EmailOutcome::Logged { number } => line(format!("{}: logged as {number}", safe(source))),
                EmailOutcome::AlreadyLogged { message_id, number } => line(format!(
                    "{}: skipped, already logged as {number} (Message-ID {})",
                    safe(source),
                    safe(message_id)
                )),
                EmailOutcome::Refused { reason } => line(format!("{}: not logged: {}", safe(source), safe(reason))),
            }
        }
    }
    let refused = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, EmailOutcome::Refused { .. }))
        .count();
    if refused > 0 {
        return Err(AppError::new(
            ErrorCode::Validation,
            format!("{refused} of {} emails were not logged", outcomes.len()),
        ));
    }
    Ok(())
}

/// Each problem of an import as `file:line: field: reason`.
fn print_problems(problems: &[privacydesk::service::import::ImportProblem]) {
    for p in problems {
        line(format!(
            "{}:{}: {}: {}",
            safe(&p.file),
            p.line,
            p.field,
            safe(&p.reason)
        ));
    }
}

/// Asks at a terminal whether to import the `good` rows (never asked of a script: no).
fn confirm(good: u64) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    std::io::stdin().is_terminal() && {
        eprint!("Import the {good} good rows? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        matches!(answer.trim(), "y" | "Y" | "yes")
    }
}

/// An export, read twice (checked, then logged): for a CSV, memory stays the same whatever the
/// file's size; progress goes to a terminal.
pub async fn import(ctx: &Context, path: PathBuf, yes: bool) -> Result<(), AppError> {
    let name = path.display().to_string();
    let open = || {
        std::fs::File::open(&path)
            .map(std::io::BufReader::new)
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("{} cannot be read: {e}", safe(&name))))
    };
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let check = import_service::check(&ctx.file, &name, open()?, ctx.now, |rows| {
        if tty {
            eprint!("\rchecked {rows} rows");
        }
    })
    .await?;
    if tty {
        eprintln!();
    }
    print_problems(&check.problems);
    if check.unlisted > 0 {
        line(format!("… and {} more problems not listed", check.unlisted));
    }
    line(format!(
        "{} good rows, {} rows with problems",
        check.good, check.bad_rows
    ));
    if check.good == 0 {
        return Err(AppError::new(ErrorCode::Validation, "Nothing to import."));
    }
    let confirmed = yes || confirm(check.good);
    if !confirmed {
        line("nothing imported (confirm, or run again with --yes)");
        return Ok(());
    }
    let done = import_service::import(&ctx.file, &name, open()?, ctx.now, &ctx.actor, |done| {
        if tty {
            eprint!("\rlogged {done} of {}", check.good);
        }
    })
    .await?;
    if tty {
        eprintln!();
    }
    match (done.first, done.last) {
        (Some(first), Some(last)) => line(format!("imported {} requests: {first} … {last}", done.logged)),
        _ => line("imported 0 requests"),
    }
    Ok(())
}

pub async fn demo(ctx: &Context, cases: usize, seed: u64) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let added = demo_service::generate(&ctx.file, cases, seed, ctx.now, |done| {
        if tty {
            eprint!("\r{done} / {cases} cases");
        }
    })
    .await?;
    if tty {
        note("");
    }
    line(format!(
        "added {added} demo cases in {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
