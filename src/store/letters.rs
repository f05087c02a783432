//! Archived letters (`letter`: the PDF exactly as printed, its SHA-256, versions, mailing) and
//! edited letter templates (`letter_template`).

use super::{instant_text, parse_date, parse_instant, Conn, StoreError, Tx};
pub use crate::domain::letter::ArchivedLetter;
use crate::domain::letter::LetterKind;
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

pub use crate::domain::letter::MailMethod;

#[derive(sqlx::FromRow)]
struct LetterRow {
    id: i64,
    case_number: String,
    kind: String,
    language: String,
    recipient: String,
    created_at: String,
    created_by: String,
    template_version: i64,
    profile_version: Option<i64>,
    pages: i64,
    sha256: String,
    mailed_on: Option<String>,
    mail_method: Option<String>,
    tracking_number: Option<String>,
}

impl TryFrom<LetterRow> for ArchivedLetter {
    type Error = StoreError;
    fn try_from(r: LetterRow) -> Result<ArchivedLetter, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("letter {}: {what}", r.id));
        Ok(ArchivedLetter {
            id: r.id,
            case_number: r.case_number.parse().map_err(StoreError::Corrupt)?,
            kind: LetterKind::from_token(&r.kind).ok_or_else(|| corrupt("kind"))?,
            language: super::cases::from_token(&r.language)?,
            recipient: r.recipient,
            created_at: parse_instant(&r.created_at)?,
            created_by: r.created_by,
            template_version: r.template_version,
            profile_version: r.profile_version,
            pages: r.pages,
            sha256: r.sha256,
            mailed_on: r.mailed_on.as_deref().map(parse_date).transpose()?,
            mail_method: r.mail_method.as_deref().map(super::cases::from_token).transpose()?,
            tracking_number: r.tracking_number,
        })
    }
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
    /// The laid-out pages as JSON (what the dossier prints).
    pub layout: Option<&'a str>,
}

pub async fn insert_in_tx(
    tx: &mut Tx<'_>,
    letter: &NewLetter<'_>,
    at: DateTime<Utc>,
    by: &str,
) -> Result<ArchivedLetter, StoreError> {
    let sha256 = hex::encode(Sha256::digest(letter.pdf));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO letter (case_id, kind, language, recipient, created_at, created_by, template_version,
             profile_version, pages, pdf, sha256, layout)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id",
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
    .bind(letter.layout)
    .fetch_one(tx.conn())
    .await?;
    find(tx, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("letter {id} vanished")))
}

pub async fn find(conn: &mut Conn, id: i64) -> Result<Option<ArchivedLetter>, StoreError> {
    let row: Option<LetterRow> = sqlx::query_as(&format!("{SUMMARY} WHERE l.id = ?1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(ArchivedLetter::try_from).transpose()
}

/// A case's letters, oldest first.
pub async fn for_case(conn: &mut Conn, case_id: i64) -> Result<Vec<ArchivedLetter>, StoreError> {
    let rows: Vec<LetterRow> = sqlx::query_as(&format!("{SUMMARY} WHERE l.case_id = ?1 ORDER BY l.id"))
        .bind(case_id)
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(ArchivedLetter::try_from).collect()
}

/// The ids of the cases that have an archived letter of `kind`.
pub async fn cases_with(conn: &mut Conn, kind: &str) -> Result<std::collections::HashSet<i64>, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT case_id FROM letter WHERE kind = ?1")
        .bind(kind)
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().collect())
}

/// The archived bytes of a letter.
pub async fn pdf(conn: &mut Conn, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(sqlx::query_scalar("SELECT pdf FROM letter WHERE id = ?1")
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The laid-out pages of a letter as JSON, when they were kept.
pub async fn layout(conn: &mut Conn, id: i64) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT layout FROM letter WHERE id = ?1")
            .bind(id)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Records how a letter was mailed; `false` when it was already marked.
pub async fn mark_mailed_in_tx(
    tx: &mut Tx<'_>,
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
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The newest edited template of a kind and language, as (version, body); `None` when none was
/// edited or the newest version is a reset to the shipped text (an empty body).
pub async fn template(conn: &mut Conn, kind: &str, language: &str) -> Result<Option<(i64, String)>, StoreError> {
    let newest: Option<(i64, String)> = sqlx::query_as(
        "SELECT version, body FROM letter_template WHERE kind = ?1 AND language = ?2 ORDER BY version DESC LIMIT 1",
    )
    .bind(kind)
    .bind(language)
    .fetch_optional(conn)
    .await?;
    Ok(newest.filter(|(_, body)| !body.is_empty()))
}

/// Stores a new version of a template; returns its version number.
pub async fn save_template_in_tx(
    tx: &mut Tx<'_>,
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
    .fetch_one(tx.conn())
    .await?)
}

/// The letterhead logo (PNG bytes), if one was set.
pub async fn logo(conn: &mut Conn) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT png FROM letterhead_logo WHERE singleton = 1")
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets (or with `None` removes) the letterhead logo.
pub async fn set_logo_in_tx(
    tx: &mut Tx<'_>,
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
            .execute(tx.conn())
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM letterhead_logo").execute(tx.conn()).await?;
        }
    }
    Ok(())
}
