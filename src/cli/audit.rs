//! `audit verify` and `audit log`.

use super::output::{json, line, safe};
use super::{AuditCommand, Context};
use privacydesk::service::history;
use privacydesk::service::{AppError, ErrorCode};
use privacydesk::store::audit::ChainReport;

pub async fn run(ctx: &Context, command: AuditCommand) -> Result<(), AppError> {
    match command {
        AuditCommand::Verify { json: as_json } => match history::verify_audit(&ctx.file).await? {
            ChainReport::Intact {
                events,
                purged_payloads,
            } => {
                // The chain lives on some pages only: the whole file is checked as well, so
                // that damage elsewhere is not reported as a sound file.
                let damage = ctx.file.quick_check().await?;
                if !damage.is_empty() {
                    if as_json {
                        json(&serde_json::json!({ "intact": true, "events": events, "file_damaged": damage }))?;
                    }
                    return Err(AppError::new(
                        ErrorCode::Storage,
                        format!(
                            "audit log intact ({events} events), but the case file is damaged: {}; restore the latest backup (the damaged file is kept aside)",
                            safe(&damage.join("; "))
                        ),
                    ));
                }
                if as_json {
                    let (seq, hash) = history::head(&ctx.file).await?;
                    json(&serde_json::json!({
                        "intact": true,
                        "events": events,
                        "purged_payloads": purged_payloads,
                        "head": { "seq": seq, "hash": hash },
                    }))
                } else {
                    line(format!(
                        "audit log intact: {events} events ({purged_payloads} payloads purged as recorded)"
                    ));
                    Ok(())
                }
            }
            ChainReport::Broken { at_event, reason } => {
                if as_json {
                    json(&serde_json::json!({ "intact": false, "at_event": at_event, "reason": reason }))?;
                }
                Err(AppError::new(
                    ErrorCode::AuditBroken,
                    format!("audit log broken at event {at_event}: {reason}"),
                ))
            }
        },
        AuditCommand::Log { limit, json: as_json } => {
            let entries = history::file_history(&ctx.file, limit).await?;
            if as_json {
                return json(&entries);
            }
            for e in &entries {
                line(format!("{}\t{}\t{}", e.at, safe(&e.actor), e.action));
            }
            Ok(())
        }
    }
}
