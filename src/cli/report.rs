//! `report records` and `report metrics`: the § 7101 log and the § 7102 figures, as JSON, CSV
//! or PDF (the figures are the ones the window shows: one computation, `domain::records`); and
//! `report dossier`, one case for offline review; `retention run`, which reduces ended cases to
//! that record.

use super::output::{json, line, safe};
use super::Context;
use chrono::NaiveDate;
use privacydesk::service::records::{self, ReportFormat};
use privacydesk::service::{AppError, ErrorCode};
use std::path::Path;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Csv,
    Pdf,
    Json,
}

impl From<Format> for ReportFormat {
    fn from(f: Format) -> ReportFormat {
        match f {
            Format::Csv => ReportFormat::Csv,
            Format::Pdf => ReportFormat::Pdf,
            Format::Json => ReportFormat::Json,
        }
    }
}

/// Writes a report beside its final name and moves it there, so a reader never sees half of
/// one.
fn write(out: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let fail =
        |e: std::io::Error| AppError::new(ErrorCode::Storage, format!("{} cannot be written: {e}", out.display()));
    let name = out
        .file_name()
        .ok_or_else(|| AppError::new(ErrorCode::Validation, format!("{} is not a file name", out.display())))?;
    let part = out.with_file_name(format!(".{}.part", name.to_string_lossy()));
    std::fs::write(&part, bytes).map_err(fail)?;
    std::fs::rename(&part, out).map_err(|e| {
        let _ = std::fs::remove_file(&part);
        fail(e)
    })
}

pub async fn records_log(
    ctx: &Context,
    from: NaiveDate,
    to: NaiveDate,
    format: Format,
    with_names: bool,
    out: &Path,
) -> Result<(), AppError> {
    let lines = records::records_log(&ctx.file, from, to, with_names).await?;
    write(
        out,
        &records::log_bytes(&ctx.file, &lines, format.into(), from, to, ctx.now).await?,
    )?;
    line(format!(
        "records of {} {} received {from} to {to} written to {}",
        lines.len(),
        if lines.len() == 1 { "case" } else { "cases" },
        safe(&out.display().to_string())
    ));
    Ok(())
}

pub async fn metrics(
    ctx: &Context,
    year: i32,
    format: Format,
    apart: bool,
    out: Option<&Path>,
) -> Result<(), AppError> {
    let m = records::metrics(&ctx.file, year, apart, ctx.now).await?;
    match (format, out) {
        (Format::Json, None) => json(&m),
        (Format::Csv, None) => {
            line(String::from_utf8_lossy(&records::metrics_csv(&m)).trim_end());
            Ok(())
        }
        (Format::Pdf, None) => Err(AppError::new(ErrorCode::Validation, "--format pdf needs --out PATH")),
        (_, Some(out)) => {
            write(
                out,
                &records::metrics_bytes(&ctx.file, &m, format.into(), ctx.now).await?,
            )?;
            line(format!(
                "metrics {year} written to {}",
                safe(&out.display().to_string())
            ));
            Ok(())
        }
    }
}

pub async fn retention(ctx: &Context, dry_run: bool, before: Option<NaiveDate>, as_json: bool) -> Result<(), AppError> {
    use privacydesk::service::retention;
    let report = if dry_run {
        retention::plan(&ctx.file, before, ctx.now).await?
    } else {
        let cancel = std::sync::atomic::AtomicBool::new(false);
        retention::run(&ctx.file, before, ctx.now, &ctx.actor, &cancel, |done, total| {
            super::output::note(format!("reduced {done} of {total}"));
        })
        .await?
    };
    if as_json {
        return json(&report);
    }
    for number in &report.cases {
        line(number);
    }
    super::output::note(format!(
        "{} {} ended before {} {}",
        report.cases.len(),
        if report.cases.len() == 1 { "case" } else { "cases" },
        report.before,
        if report.dry_run {
            "would be reduced (dry run: nothing changed)"
        } else {
            "reduced"
        }
    ));
    Ok(())
}

pub async fn dossier(ctx: &Context, cases: &[privacydesk::domain::CaseNumber], out: &Path) -> Result<(), AppError> {
    let pdf = privacydesk::service::dossier::dossier_of(&ctx.file, cases, ctx.now).await?;
    write(out, &pdf)?;
    let which = match privacydesk::service::dossier::distinct(cases).as_slice() {
        [one] => one.to_string(),
        many => format!("{} cases", many.len()),
    };
    line(format!(
        "dossier of {which} written to {}",
        safe(&out.display().to_string())
    ));
    Ok(())
}
