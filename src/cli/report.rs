//! `report records` and `report metrics`: the § 7101 log and the § 7102 figures, as JSON, CSV
//! or PDF. The figures are the ones the window shows (one computation, `domain::records`).

use super::output::{json, line, safe};
use super::Context;
use chrono::NaiveDate;
use privacydesk::service::records;
use privacydesk::service::{AppError, ErrorCode};
use std::path::Path;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Csv,
    Pdf,
    Json,
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
    let bytes = match format {
        Format::Csv => records::log_csv(&lines),
        Format::Json => {
            serde_json::to_vec_pretty(&lines).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?
        }
        Format::Pdf => {
            let organisation = records::organisation_name(&ctx.file).await?;
            records::log_pdf(&lines, from, to, &organisation, ctx.now)
        }
    };
    write(out, &bytes)?;
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
    let bytes = match format {
        Format::Json if out.is_none() => return json(&m),
        Format::Json => serde_json::to_vec_pretty(&m).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?,
        Format::Csv if out.is_none() => {
            line(String::from_utf8_lossy(&records::metrics_csv(&m)).trim_end());
            return Ok(());
        }
        Format::Csv => records::metrics_csv(&m),
        Format::Pdf => {
            let organisation = records::organisation_name(&ctx.file).await?;
            records::metrics_pdf(&m, &organisation, ctx.now)
        }
    };
    let out = out.ok_or_else(|| AppError::new(ErrorCode::Validation, "--format pdf needs --out PATH"))?;
    write(out, &bytes)?;
    line(format!(
        "metrics {year} written to {}",
        safe(&out.display().to_string())
    ));
    Ok(())
}
