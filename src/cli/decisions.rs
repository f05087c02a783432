//! `exemptions list`, `decide`, `decisions`, `rows`, `statement`, `items` and `respond`: the
//! catalogue of bases, the decision matrix of a case with the rows staff add, the statements
//! about denied health corrections, the specific pieces, and the response per kind. The
//! contract other tools script.

use super::output::{json, line};
use super::{Context, DecideArgs, ItemsCommand, RespondArgs, RowsCommand, StatementCommand};
use privacydesk::service::specific::{self, SpecificItem, NOT_SHOWN};

use privacydesk::domain::deadline::ClockKind;
use privacydesk::domain::decision::{catalogue, DecisionInput, DecisionOutcome, Until};
use privacydesk::domain::CaseNumber;
use privacydesk::service::clocks::{record_act, ActInput};
use privacydesk::service::decisions::{self, DecisionMatrix, ResponseInput};
use privacydesk::service::{AppError, ErrorCode};

pub fn exemptions(as_json: bool) -> Result<(), AppError> {
    let c = catalogue();
    if as_json {
        return json(&serde_json::json!({ "version": c.version, "entries": c.entries }));
    }
    for b in &c.entries {
        let kinds: Vec<&str> = b.kinds.iter().map(|k| k.token()).collect();
        line(format!("{}\t{}\t{}", b.code, b.citation, kinds.join(",")));
    }
    Ok(())
}

fn print(m: &DecisionMatrix, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(m);
    }
    for k in &m.kinds {
        let state = match (&k.response, k.outcomes.is_empty(), k.missing.is_empty()) {
            (Some(r), _, _) => format!("answered {} on {}", r.outcome, r.on),
            (None, true, _) => "answered as a whole (no decisions per category)".into(),
            (None, false, true) => "every category decided".into(),
            (None, false, false) => format!("undecided: {}", k.missing.join(", ")),
        };
        line(format!("{}\t{state}", k.kind));
    }
    for d in &m.decisions {
        let until = match &d.until {
            Some(Until::Date(day)) => format!("\tuntil {day}"),
            Some(Until::Rule(rule)) => format!("\tfor {rule}"),
            None => String::new(),
        };
        line(format!(
            "{}\t{}\t{}{}{}",
            d.kind,
            d.category,
            d.outcome.token(),
            d.citation.as_deref().map(|c| format!("\t{c}")).unwrap_or_default(),
            until
        ));
    }
    Ok(())
}

pub async fn show(ctx: &Context, case: CaseNumber, as_json: bool) -> Result<(), AppError> {
    print(&decisions::decisions(&ctx.file, case).await?, as_json)
}

pub async fn decide(ctx: &Context, a: DecideArgs) -> Result<(), AppError> {
    let outcome = DecisionOutcome::parse(&a.outcome).ok_or_else(|| {
        AppError::new(
            ErrorCode::Validation,
            format!(
                "--outcome {:?}: use one of {}",
                a.outcome,
                DecisionOutcome::ALL
                    .iter()
                    .map(|o| o.token())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    let input = DecisionInput {
        kind: a.kind,
        category: a.category.clone(),
        outcome,
        basis: a.basis,
        record_type: a.record_type,
        reproductive_health: a.reproductive_health,
        note: a.note,
    };
    let m = decisions::decide(&ctx.file, a.case, &input, ctx.now, &ctx.actor).await?;
    if a.json {
        return print(&m, true);
    }
    line(format!("{}: {} {} {}", a.case, a.kind, a.category, outcome.token()));
    Ok(())
}

pub async fn respond(ctx: &Context, a: RespondArgs) -> Result<(), AppError> {
    let Some(kind) = a.kind else {
        let view = record_act(
            &ctx.file,
            a.case,
            &ActInput {
                clock: ClockKind::Respond,
                on: a.on,
            },
            ctx.now,
            &ctx.actor,
        )
        .await?;
        return super::clocks::done(&view, a.json, format!("{}: response sent on {}", a.case, a.on));
    };
    let outcome = a.outcome.ok_or_else(|| {
        AppError::new(
            ErrorCode::Validation,
            "--kind needs --outcome complied, complied-in-part or denied",
        )
    })?;
    let input = ResponseInput {
        kind,
        outcome: outcome.clone(),
        denial_reason: a.denial_reason,
        basis: a.basis,
        on: a.on,
    };
    decisions::record_response(&ctx.file, a.case, &input, ctx.now, &ctx.actor).await?;
    let m = decisions::decisions(&ctx.file, a.case).await?;
    if a.json {
        return print(&m, true);
    }
    line(format!("{}: {kind} {outcome} on {}", a.case, a.on));
    Ok(())
}

pub async fn notify(
    ctx: &Context,
    case: CaseNumber,
    provider: &str,
    on: Option<chrono::NaiveDate>,
    not_needed: Option<&str>,
    as_json: bool,
) -> Result<(), AppError> {
    let m = decisions::provider_notice(&ctx.file, case, provider, on, not_needed, ctx.now, &ctx.actor).await?;
    if as_json {
        return print(&m, true);
    }
    let open: Vec<&str> = m
        .providers
        .iter()
        .filter(|p| p.notified_on.is_none() && p.not_needed.is_none())
        .map(|p| p.code.as_str())
        .collect();
    line(format!(
        "{case}: {provider} recorded; {}",
        if open.is_empty() {
            "every provider is told".to_owned()
        } else {
            format!("still to tell: {}", open.join(", "))
        }
    ));
    Ok(())
}

pub async fn items(ctx: &Context, command: ItemsCommand) -> Result<(), AppError> {
    let (list, as_json): (Vec<SpecificItem>, bool) = match command {
        ItemsCommand::Add {
            case,
            category,
            label,
            value,
            json,
        } => (
            specific::add_item(&ctx.file, case, &category, &label, &value, ctx.now, &ctx.actor).await?,
            json,
        ),
        ItemsCommand::List { case, json } => (specific::items(&ctx.file, case).await?, json),
    };
    if as_json {
        return json(&list);
    }
    for i in &list {
        line(format!(
            "{}\t{}\t{}",
            i.category,
            i.label,
            i.value.as_deref().unwrap_or(NOT_SHOWN)
        ));
    }
    Ok(())
}

pub async fn rows(ctx: &Context, command: RowsCommand) -> Result<(), AppError> {
    let (matrix, as_json) = match command {
        RowsCommand::Add {
            case,
            name,
            code,
            source,
            purpose,
            disclosed_to,
            sensitive,
            health,
            json,
        } => {
            let input = decisions::RowInput {
                code,
                name,
                source,
                purpose,
                disclosed_to,
                sensitive,
                health,
            };
            (
                decisions::add_row(&ctx.file, case, &input, ctx.now, &ctx.actor).await?,
                json,
            )
        }
        RowsCommand::Remove { case, code, json } => (
            decisions::remove_row(&ctx.file, case, &code, ctx.now, &ctx.actor).await?,
            json,
        ),
    };
    if as_json {
        return json(&matrix.categories);
    }
    for c in &matrix.categories {
        line(format!(
            "{}\t{}{}",
            c.code,
            c.name,
            if c.added { "\tadded" } else { "" }
        ));
    }
    Ok(())
}

/// The most a statement file may hold: 250 words fit in far less.
const STATEMENT_BYTES: u64 = 64 * 1024;

pub async fn statement(ctx: &Context, command: StatementCommand) -> Result<(), AppError> {
    use std::io::Read;
    let (matrix, as_json) = match command {
        StatementCommand::Add {
            case,
            category,
            item,
            on,
            file,
            json,
        } => {
            let unreadable = |why: String| AppError {
                code: ErrorCode::Validation,
                message: format!("{}: {why}", file.display()),
                fields: Vec::new(),
            };
            let mut bytes = Vec::new();
            std::fs::File::open(&file)
                .and_then(|f| f.take(STATEMENT_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| unreadable(e.to_string()))?;
            if bytes.len() as u64 > STATEMENT_BYTES {
                return Err(unreadable("more than 64 KiB; a statement is at most 250 words.".into()));
            }
            let text = String::from_utf8(bytes).map_err(|_| unreadable("not UTF-8 text.".into()))?;
            let input = decisions::StatementInput {
                category,
                item,
                text,
                received_on: on,
            };
            (
                decisions::record_statement(&ctx.file, case, &input, ctx.now, &ctx.actor).await?,
                json,
            )
        }
        StatementCommand::List { case, json } => (decisions::decisions(&ctx.file, case).await?, json),
    };
    if as_json {
        return json(&matrix.statements);
    }
    for s in &matrix.statements {
        line(format!(
            "{}\t{}\t{}\t{} words",
            s.received_on, s.category, s.item, s.words
        ));
    }
    Ok(())
}
