//! `letter` (one letter for a case) and `letters …` (batches, mailing, copies, templates, the
//! letterhead logo). A PDF asked for with `--out` is written before the letter is archived: if
//! it cannot be written, nothing is recorded.

use super::output::{self, line, note, safe};
use super::{Context, LetterArgs, LettersCommand};
use privacydesk::service::letters::{self, BatchRequest, LetterRequest, Mailing};
use privacydesk::service::{AppError, ErrorCode, ServiceError};

pub async fn produce(ctx: &Context, args: LetterArgs) -> Result<(), AppError> {
    let body = match &args.body_file {
        Some(path) => Some(String::from_utf8(output::read_file(path)?).map_err(|_| {
            AppError::new(
                privacydesk::service::ErrorCode::Validation,
                format!("{} is not UTF-8 text", path.display()),
            )
        })?),
        None => None,
    };
    let request = LetterRequest {
        kind: args.kind,
        language: args.lang,
        body,
        reason: args.reason.clone(),
        variant: args.variant.clone(),
        fold_marks: !args.no_fold_marks,
    };
    // The export is written first: when it cannot be, nothing is archived.
    if let Some(path) = &args.export_out {
        if args.kind != privacydesk::letters::LetterKind::KnowSpecificResponse {
            return Err(AppError::new(
                privacydesk::service::ErrorCode::Validation,
                "--export-out goes with --kind know-specific-response",
            ));
        }
        let (json, csv) = privacydesk::service::specific::export_of(&ctx.file, args.case).await?;
        let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        std::fs::write(path, if is_csv { csv } else { json })
            .map_err(|e| ServiceError::Io(format!("{} cannot be written: {e}", path.display())))?;
    }
    let out = args.out.clone();
    let (letter, _) = letters::produce_with(&ctx.file, args.case, &request, ctx.now, &ctx.actor, |bytes| {
        std::fs::write(&out, bytes).map_err(|e| ServiceError::Io(format!("{} cannot be written: {e}", out.display())))
    })
    .await?;
    line(format!(
        "{} letter {} for {} ({} {}, {}) written to {} and archived",
        privacydesk::letters::spec::spec(args.kind).label.to_lowercase(),
        letter.id,
        letter.case_number,
        letter.pages,
        if letter.pages == 1 { "page" } else { "pages" },
        serde_json::to_value(letter.language)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        args.out.display()
    ));
    Ok(())
}

pub async fn run(ctx: &Context, command: LettersCommand) -> Result<(), AppError> {
    let (file, now, actor) = (&ctx.file, ctx.now, ctx.actor.as_str());
    match command {
        LettersCommand::Logo { file: path, .. } => {
            let png = path.as_deref().map(output::read_file).transpose()?;
            letters::set_letterhead_logo(file, png.as_deref(), now, actor).await?;
            line(if png.is_some() {
                "letterhead logo set"
            } else {
                "letterhead logo removed"
            });
            Ok(())
        }
        LettersCommand::Batch {
            kind,
            due_before,
            no_fold_marks,
            out,
        } => {
            let request = BatchRequest {
                kind,
                due_before,
                fold_marks: !no_fold_marks,
            };
            let numbers = letters::batch_cases(file, &request, now).await?;
            let label = privacydesk::letters::spec::spec(kind).label.to_lowercase();
            if numbers.is_empty() {
                line(format!("no {label} letters due on or before {due_before}"));
                return Ok(());
            }
            // `--out` is opened before anything is archived: a path that cannot be written
            // stops the batch before its first letter.
            let printer = std::fs::File::create(&out)
                .map_err(|e| AppError::new(ErrorCode::Storage, format!("{} cannot be written: {e}", out.display())))?;
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let never = std::sync::atomic::AtomicBool::new(false);
            let outcome = letters::batch(
                file,
                &numbers,
                &request,
                now,
                actor,
                &never,
                std::io::BufWriter::new(printer),
                |done, total| {
                    if tty {
                        let filled = done * 30 / total.max(1);
                        eprint!(
                            "\r[{}{}] {done} / {total} letters",
                            "#".repeat(filled),
                            " ".repeat(30 - filled)
                        );
                    }
                },
            )
            .await;
            if tty {
                note("");
            }
            // A batch that failed midway leaves an unfinished PDF: not left at `--out`.
            let outcome = outcome.inspect_err(|_| {
                let _ = std::fs::remove_file(&out);
            })?;
            for skip in &outcome.skipped {
                note(format!("{}: skipped: {}", skip.number, safe(&skip.reason)));
            }
            if outcome.letters > 0 {
                let ids = match (outcome.letter_ids.first(), outcome.letter_ids.last()) {
                    (Some(first), Some(last)) if first != last => format!("letters {first} to {last}"),
                    (Some(only), _) => format!("letter {only}"),
                    _ => String::new(),
                };
                line(format!(
                    "{} {label} letters ({} pages) written to {} and archived ({ids}); {} skipped, {} no longer needed",
                    outcome.letters,
                    outcome.pages,
                    out.display(),
                    outcome.skipped.len(),
                    outcome.not_needed
                ));
            } else {
                // Nothing was printed: no empty PDF is left behind.
                let _ = std::fs::remove_file(&out);
                line(format!(
                    "no {label} letters printed: {} skipped, {} no longer needed",
                    outcome.skipped.len(),
                    outcome.not_needed
                ));
            }
            match outcome.stopped {
                Some(reason) => Err(AppError::new(privacydesk::service::ErrorCode::LetterBroken, reason)),
                None => Ok(()),
            }
        }
        LettersCommand::Mail {
            letters: ids,
            on,
            method,
            tracking,
        } => {
            let mailing = Mailing {
                on,
                method,
                tracking_number: tracking,
            };
            if let [one] = ids.as_slice() {
                // One letter named: mailing it twice is a mistake to report.
                letters::mark_mailed(file, *one, &mailing, now, actor).await?;
                line(format!("letter {one} marked as mailed on {on}"));
            } else {
                // A batch: letters already marked are left as they are.
                let marked = letters::mark_all_mailed(file, &ids, &mailing, now, actor).await?;
                line(format!("{marked} letters marked as mailed on {on}"));
            }
            Ok(())
        }
        LettersCommand::Copy { letter, out } => {
            let (summary, bytes) = letters::archived_pdf(file, letter).await?;
            output::write_file(&out, &bytes)?;
            line(format!(
                "letter {} of {} written to {}",
                summary.id,
                summary.case_number,
                out.display()
            ));
            Ok(())
        }
        LettersCommand::Template { kind, lang, set, reset } => {
            if let Some(path) = set {
                let body = String::from_utf8(output::read_file(&path)?).map_err(|_| {
                    AppError::new(
                        privacydesk::service::ErrorCode::Validation,
                        format!("{} is not UTF-8 text", path.display()),
                    )
                })?;
                let saved = letters::save_template(file, kind, lang, &body, now, actor).await?;
                line(format!("template {} saved as version {}", kind.token(), saved.version));
            } else if reset {
                let saved = letters::reset_template(file, kind, lang, now, actor).await?;
                line(format!(
                    "template {} is the shipped text again (version {})",
                    kind.token(),
                    saved.version
                ));
            } else {
                let all = letters::templates(file).await?;
                let t = all
                    .iter()
                    .find(|t| t.kind == kind && t.language == lang)
                    .ok_or_else(|| AppError::new(privacydesk::service::ErrorCode::NotFound, "No such template."))?;
                line(t.body.trim_end());
            }
            Ok(())
        }
    }
}
