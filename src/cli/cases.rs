//! `case …`: log, list, show, move, assign, annotate, attach to and edit cases.

use super::output::{self, json, line, safe};
use super::{CaseCommand, CaseFields, Context};
use privacydesk::domain::clock::Acknowledgment;
use privacydesk::domain::details::{Agent, Correction};
use privacydesk::domain::{Case, NewCase, PostalAddress, Requester};
use privacydesk::service::case_view::{case_view, CaseView};
use privacydesk::service::files::{self, NewAttachment};
use privacydesk::service::lifecycle::{self, StatusMove};
use privacydesk::service::{intake, AppError};

pub async fn run(ctx: &Context, command: CaseCommand) -> Result<(), AppError> {
    let (file, now, actor) = (&ctx.file, ctx.now, ctx.actor.as_str());
    match command {
        CaseCommand::Add(add) => {
            let mut input = NewCase {
                requester: Requester {
                    name: add.name.clone(),
                    ..Default::default()
                },
                channel: add.channel,
                kinds: add.kinds.0.clone(),
                received: add.received.clone(),
                details: Default::default(),
            };
            apply(&mut input, &add.fields);
            let case = intake::log_request(file, &input, now, actor).await?;
            if add.json {
                json(&case)
            } else {
                line(case.number);
                Ok(())
            }
        }
        CaseCommand::List { json: as_json } => {
            let cases = intake::list_cases(file).await?;
            if as_json {
                return json(&cases);
            }
            for c in &cases {
                let kinds = c.kinds.iter().map(|k| k.token()).collect::<Vec<_>>().join(",");
                line(format!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    c.number,
                    c.received_date,
                    c.status,
                    c.channel,
                    kinds,
                    safe(&c.requester.name)
                ));
            }
            Ok(())
        }
        CaseCommand::Show { case, json: as_json } => show(&case_view(file, case, now).await?, as_json),
        CaseCommand::Move {
            case,
            to,
            reason,
            on,
            channel,
            json: as_json,
        } => {
            let acknowledgment = match (on, channel) {
                (Some(on), Some(channel)) => Some(Acknowledgment { on, channel }),
                // Receipt is confirmed the way the request came, unless said otherwise.
                (Some(on), None) => Some(Acknowledgment {
                    on,
                    channel: case_view(file, case, now).await?.case.channel,
                }),
                (None, _) => None,
            };
            let request = StatusMove {
                from: None,
                to,
                reason,
                acknowledgment,
            };
            let view = lifecycle::change_status(file, case, &request, now, actor).await?;
            done(
                &view,
                as_json,
                &format!("{} is now {}", view.case.number, view.case.status),
            )
        }
        CaseCommand::Assign {
            case,
            to,
            json: as_json,
        } => {
            let view = lifecycle::assign(file, case, &to, now, actor).await?;
            let who = view.case.assignee.clone().unwrap_or_else(|| "nobody".to_owned());
            done(
                &view,
                as_json,
                &format!("{} is handled by {}", view.case.number, safe(&who)),
            )
        }
        CaseCommand::Note {
            case,
            text,
            json: as_json,
        } => {
            let view = lifecycle::add_note(file, case, &text, now, actor).await?;
            done(&view, as_json, &format!("note added to {}", view.case.number))
        }
        CaseCommand::Attach {
            case,
            file: path,
            media_type,
            json: as_json,
        } => {
            let new = attachment_from(&path, media_type)?;
            let view = files::add_attachment(file, case, &new, now, actor).await?;
            done(
                &view,
                as_json,
                &format!("{} is kept with {}", safe(&new.name), view.case.number),
            )
        }
        CaseCommand::Copy { file_id, out } => {
            let (info, content) = files::attachment_content(file, file_id).await?;
            output::write_file(&out, &content)?;
            line(format!("{} written to {}", safe(&info.name), out.display()));
            Ok(())
        }
        CaseCommand::Edit(edit) => {
            let view = case_view(file, edit.case, now).await?;
            let mut input = as_input(&view.case);
            if let Some(name) = &edit.name {
                input.requester.name = name.clone();
            }
            if let Some(kinds) = &edit.kinds {
                input.kinds = kinds.0.clone();
            }
            if let Some(channel) = edit.channel {
                input.channel = channel;
            }
            if let Some(received) = &edit.received {
                input.received = received.clone();
            }
            apply(&mut input, &edit.fields);
            let after = intake::edit_case(file, edit.case, view.case.version, &input, now, actor).await?;
            done(&after, edit.json, &format!("{} edited", after.case.number))
        }
    }
}

/// What a change prints: the new view as JSON, or one line.
fn done(view: &CaseView, as_json: bool, text: &str) -> Result<(), AppError> {
    if as_json {
        json(view)
    } else {
        line(text);
        Ok(())
    }
}

fn show(view: &CaseView, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(view);
    }
    let c = &view.case;
    line(format!("{} · {} · {}", c.number, safe(&c.requester.name), c.status));
    line(format!(
        "received {} ({}) by {}; kinds {}",
        c.received_date,
        c.time_zone,
        c.channel,
        c.kinds.iter().map(|k| k.token()).collect::<Vec<_>>().join(",")
    ));
    for clock in &view.clocks.clocks {
        line(format!(
            "  {:<17} due {}  {:?}",
            clock.deadline.clock.token(),
            clock.deadline.due,
            clock.state
        ));
    }
    for n in &view.notes {
        line(format!("  note {} · {}: {}", n.at, safe(&n.author), safe(&n.body)));
    }
    for f in &view.files {
        line(format!("  file {} · {} ({} bytes)", f.id, safe(&f.name), f.size));
    }
    for l in &view.letters {
        line(format!(
            "  letter {} · {} · {} page(s){}",
            l.id,
            l.kind.token(),
            l.pages,
            l.mailed_on.map(|d| format!(" · mailed {d}")).unwrap_or_default()
        ));
    }
    for e in &view.history {
        line(format!("  {} {} {}", e.at, safe(&e.actor), e.action));
    }
    Ok(())
}

/// A stored case as the intake form (and `case edit`) start from.
fn as_input(case: &Case) -> NewCase {
    NewCase {
        requester: case.requester.clone(),
        channel: case.channel,
        kinds: case.kinds.clone(),
        received: case.received_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        details: case.details.clone(),
    }
}

/// Applies the flags given to an intake (only those given; `--address-line` replaces the lines).
fn apply(input: &mut NewCase, f: &CaseFields) {
    let r = &mut input.requester;
    if f.email.is_some() {
        r.email = f.email.clone();
    }
    if f.phone.is_some() {
        r.phone = f.phone.clone();
    }
    let touches_address = !f.address_lines.is_empty()
        || f.city.is_some()
        || f.state.is_some()
        || f.postal_code.is_some()
        || f.country.is_some();
    if touches_address {
        let mut a = r.address.clone().unwrap_or_else(|| PostalAddress {
            country: "US".to_owned(),
            ..Default::default()
        });
        if !f.address_lines.is_empty() {
            a.lines = f.address_lines.clone();
        }
        if let Some(city) = &f.city {
            a.city = city.clone();
        }
        if f.state.is_some() {
            a.state = f.state.clone();
        }
        if f.postal_code.is_some() {
            a.postal_code = f.postal_code.clone();
        }
        if let Some(country) = &f.country {
            a.country = country.clone();
        }
        r.address = Some(a);
    }
    let d = &mut input.details;
    if f.entity.is_some() {
        d.entity = f.entity.clone();
    }
    if f.relationship.is_some() {
        d.relationship = f.relationship.clone();
    }
    if let Some(language) = &f.language {
        d.language = language.clone();
    }
    if f.delivery.is_some() {
        d.delivery = f.delivery;
    }
    if let Some(description) = &f.description {
        d.description = description.clone();
    }
    if f.correction_wrong.is_some() || f.correction_right.is_some() {
        let old = d.correction.clone().unwrap_or_default();
        d.correction = Some(Correction {
            wrong: f.correction_wrong.clone().unwrap_or(old.wrong),
            right: f.correction_right.clone().unwrap_or(old.right),
        });
    }
    if let (Some(name), Some(basis)) = (&f.agent_name, f.agent_basis) {
        d.agent = Some(Agent {
            kind: f.agent_kind.unwrap_or(privacydesk::domain::details::AgentKind::Person),
            name: name.clone(),
            email: f.agent_email.clone(),
            phone: f.agent_phone.clone(),
            address: None,
            basis,
        });
    }
}

/// A file on disk as a file to keep with a case, named as on disk; its media type from
/// `media_type` or else from its extension.
pub(super) fn attachment_from(path: &std::path::Path, media_type: Option<String>) -> Result<NewAttachment, AppError> {
    let content = output::read_file(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(NewAttachment {
        media_type: media_type.unwrap_or_else(|| media_type_of(&name).to_owned()),
        name,
        content,
    })
}

/// A media type from a file name, for files kept with a case.
fn media_type_of(name: &str) -> &'static str {
    let lower = name.to_lowercase();
    match lower.rsplit('.').next().unwrap_or("") {
        "pdf" => "application/pdf",
        "eml" => "message/rfc822",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}
