//! `ack`, `extend`, `respond`, `comply`: the acts that meet a case's clocks.

use super::output::{json, line};
use super::{AckArgs, ActArgs, Context, ExtendArgs};
use privacydesk::domain::clock::{Acknowledgment, Extension};
use privacydesk::domain::deadline::ClockKind;
use privacydesk::service::case_view::{case_view, CaseView};
use privacydesk::service::clocks::{self, ActInput};
use privacydesk::service::AppError;

pub(super) fn done(view: &CaseView, as_json: bool, text: String) -> Result<(), AppError> {
    if as_json {
        json(view)
    } else {
        line(text);
        Ok(())
    }
}

pub async fn ack(ctx: &Context, a: AckArgs) -> Result<(), AppError> {
    let channel = match a.channel {
        Some(channel) => channel,
        // Receipt is confirmed the way the request came, unless said otherwise.
        None => case_view(&ctx.file, a.case, ctx.now).await?.case.channel,
    };
    let ack = Acknowledgment { on: a.on, channel };
    let view = clocks::record_acknowledgment(&ctx.file, a.case, &ack, ctx.now, &ctx.actor).await?;
    done(
        &view,
        a.json,
        format!("receipt of {} confirmed on {} ({channel})", a.case, a.on),
    )
}

pub async fn extend(ctx: &Context, a: ExtendArgs) -> Result<(), AppError> {
    let ext = Extension {
        reason: a.reason,
        notice_on: a.on,
    };
    let view = clocks::record_extension(&ctx.file, a.case, &ext, ctx.now, &ctx.actor).await?;
    let due = view
        .clocks
        .clocks
        .iter()
        .find(|c| c.deadline.clock == ClockKind::RespondExtended)
        .map(|c| c.deadline.due.to_string())
        .unwrap_or_default();
    done(
        &view,
        a.json,
        format!("{} extended: the response is due by {due}", a.case),
    )
}

pub async fn act(ctx: &Context, a: ActArgs, clock: ClockKind) -> Result<(), AppError> {
    let view = clocks::record_act(&ctx.file, a.case, &ActInput { clock, on: a.on }, ctx.now, &ctx.actor).await?;
    let what = if clock == ClockKind::Comply {
        "opt-out/limit honoured"
    } else {
        "response sent"
    };
    done(&view, a.json, format!("{}: {what} on {}", a.case, a.on))
}
