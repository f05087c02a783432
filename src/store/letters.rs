//! Archived letters (`letter`: the PDF exactly as printed, its SHA-256, versions, mailing) and
//! edited letter templates (`letter_template`).

use super::{instant_text, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use ts_rs::TS;

/// How a letter went in the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum MailMethod {
    FirstClass,
    Certified,
}

impl MailMethod {
    pub fn token(self) -> &'static str {
        match self {
            MailMethod::FirstClass => "first-class",
            MailMethod::Certified => "certified",
        }
    }
}

/// An archived letter without its bytes (what lists show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
pub struct LetterSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub case_number: String,
    pub kind: String,
    pub language: String,
    pub recipient: String,
    pub created_at: String,
    pub created_by: String,
    #[ts(type = "number")]
    pub template_version: i64,
    #[ts(type = "number | null")]
    pub profile_version: Option<i64>,
    #[ts(type = "number")]
    pub pages: i64,
    pub sha256: String,
    pub mailed_on: Option<String>,
    pub mail_method: Option<String>,
    pub tracking_number: Option<String>,
}

const SUMMARY: &str =
    "SELECT l.id, c.number AS case_number, l.kind, l.language, l.recipient, l.created_at, l.created_by,
        l.template_version, l.profile_version, l.pages, l.sha256, l.mailed_on, l.mail_method, l.tracking_number
     FROM letter l JOIN privacy_case c ON c.id = l.case_id";

/// A letter to archive.
pub struct NewLetter<'a> {
    pub case_id: i64,
    pub kind: &'a str,
    pub language: &'a str,
    pub recipient: &'a str,
    pub template_version: i64,
    pub profile_version: Option<i64>,
    pub pages: i64,
    pub pdf: &'a [u8],
}

pub async fn insert_in_tx(
    conn: &mut SqliteConnection,
    letter: &NewLetter<'_>,
    at: DateTime<Utc>,
    by: &str,
) -> Result<LetterSummary, StoreError> {
    let sha256 = hex::encode(Sha256::digest(letter.pdf));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO letter (case_id, kind, language, recipient, created_at, created_by, template_version,
             profile_version, pages, pdf, sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
    )
    .bind(letter.case_id)
    .bind(letter.kind)
    .bind(letter.language)
    .bind(letter.recipient)
    .bind(instant_text(at))
    .bind(by)
    .bind(letter.template_version)
    .bind(letter.profile_version)
    .bind(letter.pages)
    .bind(letter.pdf)
    .bind(sha256)
    .fetch_one(&mut *conn)
    .await?;
    find(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("letter {id} vanished")))
}

pub async fn find(conn: &mut SqliteConnection, id: i64) -> Result<Option<LetterSummary>, StoreError> {
    Ok(sqlx::query_as(&format!("{SUMMARY} WHERE l.id = ?1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// A case's letters, oldest first.
pub async fn for_case(conn: &mut SqliteConnection, case_id: i64) -> Result<Vec<LetterSummary>, StoreError> {
    Ok(sqlx::query_as(&format!("{SUMMARY} WHERE l.case_id = ?1 ORDER BY l.id"))
        .bind(case_id)
        .fetch_all(conn)
        .await?)
}

/// The ids of the cases that have an archived letter of `kind`.
pub async fn cases_with(conn: &mut SqliteConnection, kind: &str) -> Result<std::collections::HashSet<i64>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT case_id FROM letter WHERE kind = ?1")
        .bind(kind)
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The archived bytes of a letter.
pub async fn pdf(conn: &mut SqliteConnection, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(sqlx::query_scalar("SELECT pdf FROM letter WHERE id = ?1")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Records how a letter was mailed; `false` when it was already marked.
pub async fn mark_mailed_in_tx(
    conn: &mut SqliteConnection,
    id: i64,
    on: NaiveDate,
    method: MailMethod,
    tracking: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE letter SET mailed_on = ?2, mail_method = ?3, tracking_number = ?4 WHERE id = ?1 AND mailed_on IS NULL",
    )
    .bind(id)
    .bind(on.to_string())
    .bind(method.token())
    .bind(tracking)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The newest edited template of a kind and language, as (version, body).
pub async fn template(
    conn: &mut SqliteConnection,
    kind: &str,
    language: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT version, body FROM letter_template WHERE kind = ?1 AND language = ?2 ORDER BY version DESC LIMIT 1",
    )
    .bind(kind)
    .bind(language)
    .fetch_optional(conn)
    .await?)
}

/// Stores a new version of a template; returns its version number.
pub async fn save_template_in_tx(
    conn: &mut SqliteConnection,
    kind: &str,
    language: &str,
    body: &str,
    at: DateTime<Utc>,
    by: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO letter_template (kind, language, version, body, saved_at, saved_by)
         VALUES (?1, ?2, (SELECT coalesce(max(version), 0) + 1 FROM letter_template WHERE kind = ?1 AND language = ?2),
                 ?3, ?4, ?5)
         RETURNING version",
    )
    .bind(kind)
    .bind(language)
    .bind(body)
    .bind(instant_text(at))
    .bind(by)
    .fetch_one(conn)
    .await?)
}

/// The letterhead logo (PNG bytes), if one was set.
pub async fn logo(conn: &mut SqliteConnection) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT png FROM letterhead_logo WHERE singleton = 1")
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets (or with `None` removes) the letterhead logo.
pub async fn set_logo_in_tx(
    conn: &mut SqliteConnection,
    png: Option<&[u8]>,
    at: DateTime<Utc>,
    by: &str,
) -> Result<(), StoreError> {
    match png {
        Some(png) => {
            sqlx::query(
                "INSERT INTO letterhead_logo (singleton, png, saved_at, saved_by) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (singleton) DO UPDATE SET png = ?1, saved_at = ?2, saved_by = ?3",
            )
            .bind(png)
            .bind(instant_text(at))
            .bind(by)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM letterhead_logo").execute(conn).await?;
        }
    }
    Ok(())
}
