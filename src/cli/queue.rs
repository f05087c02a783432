//! `queue` (one page, as the window's queue shows it) and `dashboard`.

use super::output::{json, line, safe};
use super::{Context, QueueArgs};
use privacydesk::domain::queue::QueueQuery;
use privacydesk::service::queue as queue_service;
use privacydesk::service::AppError;

pub async fn queue(ctx: &Context, q: QueueArgs) -> Result<(), AppError> {
    let query = QueueQuery {
        open_only: q.open,
        status: q.status,
        kind: q.kind,
        entity: q.entity,
        assignee: q.assignee,
        received_from: q.received_from,
        received_to: q.received_to,
        search: q.search,
        sort: q.sort,
        offset: q.offset,
        limit: q.limit,
    };
    let page = queue_service::queue(&ctx.file, &query, ctx.now).await?;
    if q.json {
        return json(&page);
    }
    for row in &page.rows {
        let next = row
            .next
            .as_ref()
            .map(|n| format!("{} {}", n.clock.token(), n.due))
            .unwrap_or_default();
        line(format!(
            "{}\t{}\t{}\t{}\t{}",
            row.number,
            row.received_date,
            row.status,
            next,
            safe(&row.requester)
        ));
    }
    if page.has_more {
        line(format!(
            "… more after {} (--offset {})",
            query.offset + page.rows.len() as u32,
            query.offset + page.rows.len() as u32
        ));
    }
    Ok(())
}

pub async fn dashboard(ctx: &Context, as_json: bool) -> Result<(), AppError> {
    let board = queue_service::dashboard(&ctx.file, ctx.now).await?;
    if as_json {
        return json(&board);
    }
    for (title, items) in [
        ("overdue", &board.overdue),
        ("due today", &board.due_today),
        ("due soon", &board.due_soon),
    ] {
        line(format!("{title}: {}", items.len()));
        for i in items {
            line(format!(
                "  {}\t{}\t{}\t{}",
                i.number,
                i.clock.token(),
                i.due,
                safe(&i.requester)
            ));
        }
    }
    Ok(())
}
