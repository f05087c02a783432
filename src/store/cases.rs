//! Cases, their requesters and request kinds in `privacy_case`, `requester` and
//! `case_request_kind`.

use super::{instant_text, parse_date, parse_instant, Conn, StoreError, Tx};
use crate::domain::details::{Agent, CaseDetails, Correction, Coverage};
use crate::domain::requester::MatchKeys;
use crate::domain::{Case, CaseNumber, CaseStatus, Channel, PostalAddress, RequestKind, Requester, ValidNewCase};
use chrono::{DateTime, Datelike, Utc};

/// Hands out the next `count` case numbers for the year of receipt. Call inside the transaction
/// that inserts the cases, so a rolled-back intake does not consume numbers.
async fn next_numbers_in_tx(
    tx: &mut Tx<'_>,
    year: i32,
    count: usize,
) -> Result<impl Iterator<Item = CaseNumber>, StoreError> {
    let count = i64::try_from(count).map_err(|_| StoreError::Corrupt(format!("{count} cases at once")))?;
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO case_number_sequence (year, last_number) VALUES (?1, ?2)
         ON CONFLICT (year) DO UPDATE SET last_number = last_number + ?2
         RETURNING last_number",
    )
    .bind(year)
    .bind(count)
    .fetch_one(tx.conn())
    .await?;
    let first = u32::try_from(last - count + 1).map_err(|_| StoreError::Corrupt(format!("case sequence {last}")))?;
    let last = u32::try_from(last).map_err(|_| StoreError::Corrupt(format!("case sequence {last}")))?;
    Ok((first..=last).map(move |sequence| CaseNumber { year, sequence }))
}

/// Rows per multi-row INSERT: SQLite takes at most 32,766 bound values per statement.
const ROWS_PER_INSERT: usize = 500;

/// Inserts one validated case with status `new`; returns its row id and the case as stored.
pub async fn insert_in_tx(tx: &mut Tx<'_>, case: &ValidNewCase, now: DateTime<Utc>) -> Result<(i64, Case), StoreError> {
    let mut one = insert_all_in_tx(tx, &[case], now).await?;
    one.pop()
        .ok_or_else(|| StoreError::Corrupt("a case insert returned nothing".into()))
}

/// Inserts validated cases with status `new`, numbered in the given order, a few statements
/// per 500 cases (an import, the demo generator); returns their row ids (handed out by the
/// database) and the cases as stored.
pub async fn insert_all_in_tx(
    tx: &mut Tx<'_>,
    new_cases: &[&ValidNewCase],
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Case)>, StoreError> {
    let mut years: Vec<i32> = new_cases.iter().map(|c| c.received_date.year()).collect();
    years.sort_unstable();
    years.dedup();
    let mut numbers = std::collections::HashMap::new();
    for year in years {
        let count = new_cases.iter().filter(|c| c.received_date.year() == year).count();
        numbers.insert(year, next_numbers_in_tx(tx, year, count).await?);
    }
    let profile_version: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM organisation_profile")
        .fetch_one(tx.conn())
        .await?;
    let now_text = instant_text(now);
    let created_at = parse_instant(&now_text)?;

    let mut cases = Vec::with_capacity(new_cases.len());
    for valid in new_cases {
        let number = numbers
            .get_mut(&valid.received_date.year())
            .and_then(Iterator::next)
            .ok_or_else(|| StoreError::Corrupt("case numbers ran out".into()))?;
        cases.push(Case {
            number,
            received_at: valid.received_at,
            received_date: valid.received_date,
            time_zone: valid.time_zone.name().to_owned(),
            channel: valid.channel,
            kinds: valid.kinds.clone(),
            requester: valid.requester.clone(),
            status: CaseStatus::New,
            created_at,
            profile_version,
            details: valid.details.clone(),
            coverage: valid.coverage.clone(),
            version: 1,
            assignee: None,
        });
    }

    let mut stored = Vec::with_capacity(cases.len());
    for chunk in cases.chunks(ROWS_PER_INSERT) {
        // A requester row has no key of its own to match a multi-row insert's answers by, so
        // each is inserted alone; the database hands out its id.
        let mut requester_ids = Vec::with_capacity(chunk.len());
        for case in chunk {
            requester_ids.push(insert_requester(tx, &case.requester).await?);
        }
        let mut b = sqlx::QueryBuilder::new(
            "INSERT INTO privacy_case (number, number_year, number_seq, received_at, received_date, time_zone, channel,
                 requester_id, status, created_at, updated_at, profile_version, entity_code, relationship_code, coverage,
                 coverage_reason, language, delivery, description, correction_wrong, correction_right, kinds) ",
        );
        let mut columns = Vec::with_capacity(chunk.len());
        for case in chunk {
            let d = &case.details;
            let (coverage, coverage_reason) = coverage_columns(&case.coverage);
            columns.push((
                token(&d.language)?,
                d.delivery.as_ref().map(token).transpose()?,
                coverage,
                coverage_reason.map(str::to_owned),
            ));
        }
        b.push_values(
            chunk.iter().zip(columns).zip(&requester_ids),
            |mut row, ((case, (language, delivery, coverage, coverage_reason)), requester_id)| {
                let d = &case.details;
                row.push_bind(case.number.to_string())
                    .push_bind(case.number.year)
                    .push_bind(case.number.sequence)
                    .push_bind(instant_text(case.received_at))
                    .push_bind(case.received_date.to_string())
                    .push_bind(case.time_zone.clone())
                    .push_bind(case.channel.token())
                    .push_bind(*requester_id)
                    .push_bind("new")
                    .push_bind(now_text.clone())
                    .push_bind(now_text.clone())
                    .push_bind(profile_version)
                    .push_bind(d.entity.clone())
                    .push_bind(d.relationship.clone())
                    .push_bind(coverage)
                    .push_bind(coverage_reason)
                    .push_bind(language)
                    .push_bind(delivery)
                    .push_bind(d.description.clone())
                    .push_bind(d.correction.as_ref().map(|c| c.wrong.clone()))
                    .push_bind(d.correction.as_ref().map(|c| c.right.clone()))
                    .push_bind(kinds_key(&case.kinds));
            },
        );
        b.push(" RETURNING id, number");
        // RETURNING gives no order: each id is matched to its case by the (unique) number.
        let returned: Vec<(i64, String)> = b.build_query_as().fetch_all(tx.conn()).await?;
        let ids: std::collections::HashMap<String, i64> = returned.into_iter().map(|(id, n)| (n, id)).collect();
        let mut chunk_stored = Vec::with_capacity(chunk.len());
        for case in chunk {
            let id = *ids
                .get(&case.number.to_string())
                .ok_or_else(|| StoreError::Corrupt(format!("case {} was not stored", case.number)))?;
            chunk_stored.push((id, case.clone()));
        }
        let kinds: Vec<(i64, RequestKind)> = chunk_stored
            .iter()
            .flat_map(|(id, case)| case.kinds.iter().map(move |k| (*id, *k)))
            .collect();
        insert_kinds(tx, &kinds).await?;
        for (case_id, case) in chunk_stored.iter().filter(|(_, c)| c.details.agent.is_some()) {
            replace_agent(tx, *case_id, case.details.agent.as_ref()).await?;
        }
        stored.extend(chunk_stored);
    }
    Ok(stored)
}

/// Inserts a requester; returns the id the database gave it.
async fn insert_requester(tx: &mut Tx<'_>, r: &Requester) -> Result<i64, StoreError> {
    let a = r.address.as_ref();
    let keys = r.match_keys();
    Ok(sqlx::query_scalar(
        "INSERT INTO requester (name, email, phone, address_lines, city, state, postal_code, country,
             email_norm, phone_digits, name_norm) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
    )
    .bind(&r.name)
    .bind(&r.email)
    .bind(&r.phone)
    .bind(a.map(|a| a.lines.join("\n")))
    .bind(a.map(|a| a.city.as_str()))
    .bind(a.and_then(|a| a.state.as_deref()))
    .bind(a.and_then(|a| a.postal_code.as_deref()))
    .bind(a.map(|a| a.country.as_str()))
    .bind(keys.email)
    .bind(keys.phone)
    .bind(keys.name)
    .fetch_one(tx.conn())
    .await?)
}

async fn replace_agent(tx: &mut Tx<'_>, case_id: i64, agent: Option<&Agent>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM case_agent WHERE case_id = ?1")
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    let Some(agent) = agent else { return Ok(()) };
    let a = agent.address.as_ref();
    sqlx::query(
        "INSERT INTO case_agent (case_id, kind, name, email, phone, address_lines, city, state, postal_code, country, basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .bind(case_id)
    .bind(token(&agent.kind)?)
    .bind(&agent.name)
    .bind(&agent.email)
    .bind(&agent.phone)
    .bind(a.map(|a| a.lines.join("\n")))
    .bind(a.map(|a| a.city.as_str()))
    .bind(a.and_then(|a| a.state.as_deref()))
    .bind(a.and_then(|a| a.postal_code.as_deref()))
    .bind(a.map(|a| a.country.as_str()))
    .bind(token(&agent.basis)?)
    .execute(tx.conn())
    .await?;
    Ok(())
}

async fn replace_kinds(tx: &mut Tx<'_>, case_id: i64, kinds: &[RequestKind]) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM case_request_kind WHERE case_id = ?1")
        .bind(case_id)
        .execute(tx.conn())
        .await?;
    let rows: Vec<(i64, RequestKind)> = kinds.iter().map(|k| (case_id, *k)).collect();
    insert_kinds(tx, &rows).await
}

async fn insert_kinds(tx: &mut Tx<'_>, rows: &[(i64, RequestKind)]) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut b = sqlx::QueryBuilder::new("INSERT INTO case_request_kind (case_id, kind) ");
        b.push_values(chunk, |mut row, (case_id, kind)| {
            row.push_bind(*case_id).push_bind(kind.token());
        });
        b.build().execute(tx.conn()).await?;
    }
    Ok(())
}

/// Replaces what intake recorded (requester, channel, kinds, receipt, details) with `case`, only
/// if the case is still at `expected_version`; returns `false` (and changes nothing) when someone
/// else saved first. The number, status and history stay.
pub async fn update_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    expected_version: i64,
    case: &ValidNewCase,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let old_requester: Option<i64> =
        sqlx::query_scalar("SELECT requester_id FROM privacy_case WHERE id = ?1 AND version = ?2")
            .bind(case_id)
            .bind(expected_version)
            .fetch_optional(tx.conn())
            .await?;
    let Some(old_requester) = old_requester else {
        return Ok(false);
    };
    let requester_id = insert_requester(tx, &case.requester).await?;
    let d = &case.details;
    let (coverage, coverage_reason) = coverage_columns(&case.coverage);
    sqlx::query(
        "UPDATE privacy_case SET received_at = ?2, received_date = ?3, time_zone = ?4, channel = ?5, requester_id = ?6,
             updated_at = ?7, entity_code = ?8, relationship_code = ?9, coverage = ?10, coverage_reason = ?11,
             language = ?12, delivery = ?13, description = ?14, correction_wrong = ?15, correction_right = ?16,
             kinds = ?17, version = version + 1
         WHERE id = ?1",
    )
    .bind(case_id)
    .bind(instant_text(case.received_at))
    .bind(case.received_date.to_string())
    .bind(case.time_zone.name())
    .bind(case.channel.token())
    .bind(requester_id)
    .bind(instant_text(now))
    .bind(&d.entity)
    .bind(&d.relationship)
    .bind(coverage)
    .bind(coverage_reason)
    .bind(token(&d.language)?)
    .bind(d.delivery.as_ref().map(token).transpose()?)
    .bind(&d.description)
    .bind(d.correction.as_ref().map(|c| c.wrong.as_str()))
    .bind(d.correction.as_ref().map(|c| c.right.as_str()))
    .bind(kinds_key(&case.kinds))
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM requester WHERE id = ?1")
        .bind(old_requester)
        .execute(tx.conn())
        .await?;
    replace_agent(tx, case_id, d.agent.as_ref()).await?;
    replace_kinds(tx, case_id, &case.kinds).await?;
    Ok(true)
}

/// Sets the kinds of a case outside an edit (an unverified request for specific pieces handled
/// as one for categories, § 7024(a)); the version moves, so an edit form opened before refuses
/// to overwrite them.
pub async fn set_kinds_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    kinds: &[RequestKind],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE privacy_case SET kinds = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1")
        .bind(case_id)
        .bind(kinds_key(kinds))
        .bind(instant_text(now))
        .execute(tx.conn())
        .await?;
    replace_kinds(tx, case_id, kinds).await
}

/// `privacy_case.kinds`: the kinds' tokens in canonical order, for sorting the queue.
fn kinds_key(kinds: &[RequestKind]) -> String {
    let mut sorted = kinds.to_vec();
    sorted.sort();
    sorted.iter().map(|k| k.token()).collect::<Vec<_>>().join(",")
}

/// The row id of a case.
pub async fn id_of(conn: &mut Conn, number: CaseNumber) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM privacy_case WHERE number = ?1")
        .bind(number.to_string())
        .fetch_optional(conn)
        .await?)
}

fn coverage_columns(coverage: &Coverage) -> (&'static str, Option<&str>) {
    match coverage {
        Coverage::Covered => ("covered", None),
        Coverage::NotCovered { reason } => ("not-covered", Some(reason.as_str())),
        Coverage::Unchecked => ("unchecked", None),
    }
}

/// The kebab-case token serde gives a unit enum variant (how such enums are stored).
fn token<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(StoreError::Corrupt("a stored enumeration is not a plain token".into())),
    }
}

pub(crate) fn from_token<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown token \"{text}\"")))
}

fn address(
    lines: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
) -> Option<PostalAddress> {
    match (lines, country) {
        (Some(lines), Some(country)) => Some(PostalAddress {
            lines: lines.split('\n').map(str::to_owned).collect(),
            city: city.unwrap_or_default(),
            state,
            postal_code,
            country,
        }),
        _ => None,
    }
}

/// The columns a [`Case`] is read from (`c`: the case, `r`: its requester, `g`: its agent).
pub(crate) const CASE_COLUMNS: &str = "
           c.id, c.version, c.assignee, c.number, c.received_at, c.received_date, c.time_zone, c.channel, c.status, c.created_at, c.profile_version,
           c.entity_code, c.relationship_code, c.coverage, c.coverage_reason, c.language, c.delivery, c.description,
           c.correction_wrong, c.correction_right,
           r.name, r.email, r.phone, r.address_lines, r.city, r.state, r.postal_code, r.country,
           c.kinds,
           g.kind AS agent_kind, g.name AS agent_name, g.email AS agent_email, g.phone AS agent_phone,
           g.address_lines AS agent_address_lines, g.city AS agent_city, g.state AS agent_state,
           g.postal_code AS agent_postal_code, g.country AS agent_country, g.basis AS agent_basis";

/// Joins from `privacy_case c` to what [`CASE_COLUMNS`] reads. LEFT JOINs keep the case the
/// outer loop, so a page read in index order stops after one page.
pub(crate) const CASE_JOINS: &str =
    " LEFT JOIN requester r ON r.id = c.requester_id LEFT JOIN case_agent g ON g.case_id = c.id";

fn select_case() -> String {
    format!("SELECT {CASE_COLUMNS} FROM privacy_case c{CASE_JOINS}")
}

/// Every case, newest received first.
pub async fn list(conn: &mut Conn) -> Result<Vec<Case>, StoreError> {
    let rows: Vec<CaseRow> = sqlx::query_as(&format!("{} ORDER BY c.received_at DESC, c.id DESC", select_case()))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(Case::try_from).collect()
}

/// The cases with these row ids, in the order of `ids`.
pub async fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Case>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = super::where_id_in(&select_case(), ids);
    let rows: Vec<(i64, Case)> = b
        .build_query_as::<CaseRow>()
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|row| Ok((row.id, Case::try_from(row)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut by_id: std::collections::HashMap<i64, Case> = rows.into_iter().collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// One case by its number.
pub async fn find(conn: &mut Conn, number: CaseNumber) -> Result<Option<Case>, StoreError> {
    let row: Option<CaseRow> = sqlx::query_as(&format!("{} WHERE c.number = ?1", select_case()))
        .bind(number.to_string())
        .fetch_optional(conn)
        .await?;
    row.map(Case::try_from).transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub(crate) id: i64,
    version: i64,
    assignee: Option<String>,
    number: String,
    received_at: String,
    received_date: String,
    time_zone: String,
    channel: String,
    status: String,
    created_at: String,
    profile_version: Option<i64>,
    entity_code: Option<String>,
    relationship_code: Option<String>,
    coverage: String,
    coverage_reason: Option<String>,
    language: String,
    delivery: Option<String>,
    description: String,
    correction_wrong: Option<String>,
    correction_right: Option<String>,
    agent_kind: Option<String>,
    agent_name: Option<String>,
    agent_email: Option<String>,
    agent_phone: Option<String>,
    agent_address_lines: Option<String>,
    agent_city: Option<String>,
    agent_state: Option<String>,
    agent_postal_code: Option<String>,
    agent_country: Option<String>,
    agent_basis: Option<String>,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    address_lines: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    kinds: Option<String>,
}

impl TryFrom<CaseRow> for Case {
    type Error = StoreError;

    fn try_from(row: CaseRow) -> Result<Case, StoreError> {
        let corrupt = |what: String| StoreError::Corrupt(what);
        let mut kinds =
            RequestKind::parse_list(row.kinds.as_deref().unwrap_or("")).map_err(|e| corrupt(e.to_string()))?;
        kinds.sort();
        let agent = match (row.agent_kind, row.agent_name, row.agent_basis) {
            (Some(kind), Some(name), Some(basis)) => Some(Agent {
                kind: from_token(&kind)?,
                name,
                email: row.agent_email,
                phone: row.agent_phone,
                address: address(
                    row.agent_address_lines,
                    row.agent_city,
                    row.agent_state,
                    row.agent_postal_code,
                    row.agent_country,
                ),
                basis: from_token(&basis)?,
            }),
            _ => None,
        };
        let coverage = match row.coverage.as_str() {
            "covered" => Coverage::Covered,
            "not-covered" => Coverage::NotCovered {
                reason: row.coverage_reason.unwrap_or_default(),
            },
            _ => Coverage::Unchecked,
        };
        let correction = match (row.correction_wrong, row.correction_right) {
            (Some(wrong), Some(right)) => Some(Correction { wrong, right }),
            _ => None,
        };
        Ok(Case {
            number: row.number.parse().map_err(corrupt)?,
            received_at: parse_instant(&row.received_at)?,
            received_date: parse_date(&row.received_date)?,
            time_zone: row.time_zone,
            channel: row.channel.parse::<Channel>().map_err(|e| corrupt(e.to_string()))?,
            kinds,
            requester: Requester {
                name: row.name,
                email: row.email,
                phone: row.phone,
                address: address(row.address_lines, row.city, row.state, row.postal_code, row.country),
            },
            status: row.status.parse::<CaseStatus>().map_err(|e| corrupt(e.to_string()))?,
            created_at: parse_instant(&row.created_at)?,
            profile_version: row.profile_version,
            details: CaseDetails {
                entity: row.entity_code,
                relationship: row.relationship_code,
                language: from_token(&row.language)?,
                delivery: row.delivery.as_deref().map(from_token).transpose()?,
                description: row.description,
                correction,
                agent,
            },
            coverage,
            version: row.version,
            assignee: row.assignee,
        })
    }
}

/// Moves a case from `from` to `to`, only if it is still at `from` (another window may have
/// moved it meanwhile); returns the case's row id, or `None` when it was not at `from`.
pub async fn set_status_in_tx(
    tx: &mut Tx<'_>,
    number: CaseNumber,
    from: CaseStatus,
    to: CaseStatus,
    now: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    Ok(sqlx::query_scalar(
        "UPDATE privacy_case SET status = ?3, updated_at = ?4, version = version + 1
         WHERE number = ?1 AND status = ?2 RETURNING id",
    )
    .bind(number.to_string())
    .bind(from.token())
    .bind(to.token())
    .bind(instant_text(now))
    .fetch_optional(tx.conn())
    .await?)
}

/// A case that looks like it is from the same person, and why.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SimilarCase {
    pub number: String,
    pub name: String,
    pub status: String,
    pub same_email: bool,
    pub same_phone: bool,
    pub same_name_and_address: bool,
    /// When a response to it was recorded (legal date), if one was.
    pub responded_on: Option<String>,
    pub knows: bool,
}

/// Every case (any status) from a person with the same email, phone digits, or name and postal
/// address, newest first (at most 50).
pub async fn similar(conn: &mut Conn, keys: &MatchKeys) -> Result<Vec<SimilarCase>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT c.number, r.name, c.status,
                coalesce(r.email_norm = ?1, 0) AS same_email,
                coalesce(r.phone_digits = ?2, 0) AS same_phone,
                coalesce(r.name_norm = ?3 AND r.postal_code = ?4 AND lower(substr(r.address_lines, 1, coalesce(nullif(instr(r.address_lines, char(10)), 0) - 1, length(r.address_lines)))) = ?5, 0) AS same_name_and_address,
                (SELECT done_on FROM case_clock_act x WHERE x.case_id = c.id AND x.clock = 'respond') AS responded_on,
                EXISTS (SELECT 1 FROM case_request_kind k WHERE k.case_id = c.id AND k.kind IN ('know-categories', 'know-specific')) AS knows
         FROM requester r JOIN privacy_case c ON c.requester_id = r.id
         WHERE r.email_norm = ?1 OR r.phone_digits = ?2 OR (r.name_norm = ?3 AND r.postal_code = ?4)
         ORDER BY c.received_at DESC LIMIT 50",
    )
    .bind(&keys.email)
    .bind(&keys.phone)
    .bind(&keys.name)
    .bind(&keys.postal_code)
    .bind(&keys.first_line)
    .fetch_all(conn)
    .await?)
}

/// Sets who handles a case (`None`: nobody), bumping its version.
pub async fn assign_in_tx(
    tx: &mut Tx<'_>,
    case_id: i64,
    assignee: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE privacy_case SET assignee = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1")
        .bind(case_id)
        .bind(assignee)
        .bind(instant_text(now))
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Everyone who has acted on a case or been assigned one, for the assignee picker.
pub async fn staff_names(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT name FROM (SELECT DISTINCT actor AS name FROM audit_event WHERE actor NOT LIKE 'PrivacyDesk %'
                            UNION SELECT DISTINCT assignee FROM privacy_case WHERE assignee IS NOT NULL)
         ORDER BY name",
    )
    .fetch_all(conn)
    .await?)
}
