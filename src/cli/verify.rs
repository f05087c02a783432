//! `verify`: identity verification of a case — the requirements and where they stand, the data
//! points checked, the declaration, an agent's evidence, the outcome per kind, and the purge of
//! what the person gave (11 CCR §§ 7060-7063). The contract other tools script.

use super::output::{json, line};
use super::{Context, ReferenceCommand, VerifyCommand};
use privacydesk::domain::verification::{AgentEvidence, PointResult};
use privacydesk::service::reference::{self, ReferenceExtract};
use privacydesk::service::verification::{self as verify, Outcome, VerificationView};
use privacydesk::service::{AppError, ErrorCode};

fn bad(message: String) -> AppError {
    AppError::new(ErrorCode::Validation, message)
}

fn outcome_token(o: Outcome) -> &'static str {
    match o {
        Outcome::Verified => "verified",
        Outcome::Failed => "failed",
        Outcome::NotNeeded => "not-needed",
        Outcome::Pending => "pending",
    }
}

fn print(view: &VerificationView, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(view);
    }
    for k in &view.kinds {
        line(format!(
            "{}\t{}\t{}",
            k.requirement.kind,
            outcome_token(k.outcome),
            k.requirement.why
        ));
        if !k.missing.is_empty() && k.outcome == Outcome::Pending {
            line(format!("  missing: {}", k.missing.join("; ")));
        }
    }
    if let Some(agent) = &view.agent {
        let shown: Vec<&str> = view.agent_evidence.iter().map(|e| e.token()).collect();
        line(format!(
            "agent\t{}\tshown: {}",
            agent.why,
            if shown.is_empty() {
                "nothing yet".into()
            } else {
                shown.join(", ")
            }
        ));
    }
    for p in &view.points {
        line(format!(
            "point\t{}\t{}\t{}{}",
            p.field,
            p.result.token(),
            p.given.as_deref().unwrap_or("(purged)"),
            p.reference
                .map(|m| format!("\textract: {}", m.result.token()))
                .unwrap_or_default()
        ));
    }
    if let Some(d) = &view.declaration {
        match (d.file, d.received_on) {
            (Some(f), _) => line(format!("declaration\tfile {f}")),
            (None, Some(on)) => line(format!("declaration\treceived on paper {on}")),
            _ => {}
        }
    }
    if let Some(at) = view.purged_at {
        line(format!("purged\t{at}"));
    }
    Ok(())
}

fn print_extract(e: &ReferenceExtract, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(e);
    }
    line(format!(
        "extract\t{} records\t{}\tloaded {} by {}",
        e.records,
        e.fields.join(","),
        e.loaded_at.format("%Y-%m-%d %H:%M UTC"),
        e.loaded_by
    ));
    Ok(())
}

pub async fn run(ctx: &Context, command: VerifyCommand) -> Result<(), AppError> {
    match command {
        VerifyCommand::Show { case, json } => print(&verify::verification(&ctx.file, case).await?, json),
        VerifyCommand::Point {
            case,
            field,
            given,
            result,
            json,
        } => {
            let result = PointResult::parse(&result)
                .ok_or_else(|| bad(format!("--result {result:?}: use matched, not-matched or not-held")))?;
            let view = verify::check_point(&ctx.file, case, &field, &given, result, ctx.now, &ctx.actor).await?;
            if json {
                return print(&view, true);
            }
            line(format!("{case}: {field} {}", result.token()));
            if let Some(m) = view.points.iter().find(|p| p.field == field).and_then(|p| p.reference) {
                if m.result != result {
                    line(format!(
                        "note: the system-of-record extract says {} for this value",
                        m.result.token()
                    ));
                }
            }
            Ok(())
        }
        VerifyCommand::Declaration {
            case,
            file,
            received_on,
            json,
        } => {
            let view = match (file, received_on) {
                (Some(path), None) => {
                    let new = super::cases::attachment_from(&path, None)?;
                    verify::record_declaration_file(&ctx.file, case, &new, ctx.now, &ctx.actor).await?
                }
                (None, Some(on)) => {
                    verify::record_declaration(&ctx.file, case, None, Some(on), ctx.now, &ctx.actor).await?
                }
                _ => {
                    return Err(bad(
                        "give the declaration as --file PATH or --received-on DATE (one of them)".into(),
                    ))
                }
            };
            if json {
                return print(&view, true);
            }
            line(format!("{case}: declaration recorded"));
            Ok(())
        }
        VerifyCommand::Agent { case, evidence, json } => {
            let evidence = AgentEvidence::parse(&evidence).ok_or_else(|| {
                bad(format!(
                    "--evidence {evidence:?}: use signed-permission, direct-confirmation or power-of-attorney"
                ))
            })?;
            let view = verify::record_agent_evidence(&ctx.file, case, evidence, ctx.now, &ctx.actor).await?;
            if json {
                return print(&view, true);
            }
            line(format!("{case}: agent evidence {} recorded", evidence.token()));
            Ok(())
        }
        VerifyCommand::Conclude {
            case,
            kind,
            outcome,
            reason,
            json,
        } => {
            let verified = match outcome.as_str() {
                "verified" => true,
                "failed" => false,
                other => return Err(bad(format!("--outcome {other:?}: use verified or failed"))),
            };
            let view = verify::conclude(
                &ctx.file,
                case,
                kind,
                verified,
                reason.as_deref().unwrap_or(""),
                ctx.now,
                &ctx.actor,
            )
            .await?;
            if json {
                return print(&view, true);
            }
            let k = view.kinds.iter().find(|k| k.requirement.kind == kind);
            line(format!("{case}: {kind} {outcome}"));
            if !verified {
                if let Some(k) = k {
                    line(format!("next: {}", k.failure_path));
                }
            }
            Ok(())
        }
        VerifyCommand::Reference {
            command: ReferenceCommand::Load { file, json: as_json },
        } => {
            let reader = std::fs::File::open(&file).map_err(|e| bad(format!("{}: {e}", file.display())))?;
            let loaded = reference::load(&ctx.file, std::io::BufReader::new(reader), ctx.now, &ctx.actor).await?;
            print_extract(&loaded, as_json)
        }
        VerifyCommand::Reference {
            command: ReferenceCommand::Show { json: as_json },
        } => match reference::extract(&ctx.file).await? {
            Some(e) => print_extract(&e, as_json),
            None if as_json => json(&serde_json::Value::Null),
            None => {
                line("no system-of-record extract is loaded".to_owned());
                Ok(())
            }
        },
        VerifyCommand::Purge { case, json } => {
            let view = verify::purge(&ctx.file, case, ctx.now, &ctx.actor).await?;
            if json {
                return print(&view, true);
            }
            line(format!(
                "{case}: what the person gave to verify their identity is deleted"
            ));
            Ok(())
        }
    }
}
