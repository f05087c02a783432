//! The case dossier: one PDF that counsel or an auditor reads without the app — the request, the
//! clocks and how each was met, the verification outcome per kind (which details were checked,
//! never what the person gave), the decision matrix with its bases, the response per kind, the
//! letters with their SHA-256 and the letters themselves as pages (laid out again from the pages
//! kept since migration 0008; older ones copied from their archived PDF at the very end), and the
//! case's history with each event's chain hash, ending with the head of the whole chain as
//! `privacydesk audit verify --json` gives it. A reduced case prints only what it still holds. A
//! selection of cases is one PDF: a page listing them, then each case's dossier in turn. Read in
//! one snapshot.

use super::ServiceError;
use crate::domain::records::log_line;
use crate::domain::CaseNumber;
use crate::letters::appendix::{append, Appendix};
use crate::letters::pdf::{PdfInfo, Press};
use crate::letters::report::ReportPages;
use crate::store::{self, CaseFile};
use chrono::{DateTime, Utc};

/// The most cases one dossier holds: a selection beyond it is refused, to be split (each case
/// is a few pages, and the whole PDF is built in memory).
pub const MOST_CASES: usize = 500;

/// The dossier of one case as a PDF.
pub async fn dossier(file: &CaseFile, number: CaseNumber, now: DateTime<Utc>) -> Result<Vec<u8>, ServiceError> {
    dossier_of(file, &[number], now).await
}

/// The cases named, each once, in the order first named (a dossier prints a repeated case once).
pub fn distinct(numbers: &[CaseNumber]) -> Vec<CaseNumber> {
    let mut selection: Vec<CaseNumber> = Vec::with_capacity(numbers.len());
    for n in numbers {
        if !selection.contains(n) {
            selection.push(*n);
        }
    }
    selection
}

/// One PDF for a selection of cases, read in one snapshot: for several, a first page lists them,
/// then each case follows as its own dossier would print it. A case named twice prints once.
pub async fn dossier_of(file: &CaseFile, numbers: &[CaseNumber], now: DateTime<Utc>) -> Result<Vec<u8>, ServiceError> {
    let selection = distinct(numbers);
    match selection.len() {
        0 => {
            return Err(ServiceError::invalid(
                "cases",
                "Name at least one case, such as PR-2026-00042.",
            ))
        }
        n if n > MOST_CASES => {
            return Err(ServiceError::invalid(
                "cases",
                format!("One dossier holds at most {MOST_CASES} cases; this selection has {n}. Split it."),
            ))
        }
        _ => {}
    }
    let mut snapshot = file.read().await?;
    let conn = &mut snapshot;
    let (_, profile) = super::intake::intake_rules(conn).await?;
    let mut pages = Vec::new();
    let mut appendices = Vec::new();
    if selection.len() > 1 {
        pages.extend(cover(conn, &selection, &profile.name, now).await?);
    }
    for number in &selection {
        let (own, archived) = case_pages(conn, *number, now).await?;
        pages.extend(own);
        appendices.extend(archived);
    }
    let logo = store::letters::logo(conn).await?;
    let title = match selection.as_slice() {
        [one] => format!("Case dossier {one}"),
        many => format!("Case dossiers of {} cases", many.len()),
    };
    let pdf = Press::new(logo.as_deref()).letter(
        &pages,
        &PdfInfo {
            title: &title,
            author: &profile.name,
            created: now,
        },
    );
    if appendices.is_empty() {
        return Ok(pdf);
    }
    append(&pdf, appendices).map_err(ServiceError::LetterBroken)
}

/// The case numbers in what someone typed or pasted: separated by commas, semicolons, spaces or
/// lines. Each one that is not a case number is named.
pub fn selection(text: &str) -> Result<Vec<CaseNumber>, ServiceError> {
    let mut numbers = Vec::new();
    let mut bad = Vec::new();
    for token in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match token.parse::<CaseNumber>() {
            Ok(n) => numbers.push(n),
            Err(_) => bad.push(token),
        }
    }
    match bad.as_slice() {
        [] if numbers.is_empty() => Err(ServiceError::invalid(
            "cases",
            "Name at least one case, such as PR-2026-00042.",
        )),
        [] => Ok(numbers),
        [one] => Err(ServiceError::invalid(
            "cases",
            format!("\"{}\" is not a case number such as PR-2026-00042.", shown(one)),
        )),
        many => Err(ServiceError::invalid(
            "cases",
            format!(
                "These are not case numbers such as PR-2026-00042: {}.",
                many.iter().map(|t| shown(t)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// A token as a message quotes it: at most 40 characters.
fn shown(token: &str) -> String {
    match token.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &token[..at]),
        None => token.to_owned(),
    }
}

/// The first page of a dossier of several cases: which cases follow, and the chain's head.
async fn cover(
    conn: &mut store::Conn,
    selection: &[CaseNumber],
    organisation: &str,
    now: DateTime<Utc>,
) -> Result<Vec<crate::letters::layout::Page>, ServiceError> {
    let mut r = ReportPages::new(
        &format!("Case dossiers of {} cases", selection.len()),
        &format!(
            "{organisation}. Printed {} from the encrypted case file. Each case follows on its own pages, in this order; letters archived before their pages were kept come last of all.",
            now.format("%Y-%m-%d %H:%M UTC"),
        ),
    );
    let mut rows = Vec::with_capacity(selection.len());
    for number in selection {
        let case = super::case_view::find_case(conn, *number).await?;
        let kinds: Vec<&str> = case.kinds.iter().map(|k| k.token()).collect();
        rows.push(vec![
            number.to_string(),
            case.received_date.to_string(),
            kinds.join(", "),
            case.status.token().to_owned(),
        ]);
    }
    r.table(&["Case", "Received", "Asks to", "Status"], &[1.4, 1.0, 2.0, 1.2], &rows);
    let (head_seq, head_hash) = store::audit::head(conn).await?;
    r.paragraph(&format!(
        "When this dossier was printed, the audit chain of the whole case file ended at event {head_seq} with hash {head_hash}."
    ));
    Ok(r.finish())
}

/// One case's pages (its report, then the letters whose pages were kept), and its letters that
/// only have their archived PDF, read for appending.
async fn case_pages(
    conn: &mut store::Conn,
    number: CaseNumber,
    now: DateTime<Utc>,
) -> Result<(Vec<crate::letters::layout::Page>, Vec<Appendix>), ServiceError> {
    let case = super::case_view::find_case(conn, number).await?;
    let id = super::case_view::case_id(conn, number).await?;
    let (_, profile) = super::intake::intake_rules(conn).await?;
    let rules = store::settings::date_rules(conn).await?;
    let today = crate::domain::time::legal_date(now, rules.time_zone);
    let facts = super::case_view::clock_record(conn, number).await?.facts;
    let verification = super::verification::view_in(conn, number).await?;
    let matrix = super::decisions::matrix_in(conn, number).await?;
    let letters = store::letters::for_case(conn, id).await?;
    let links = store::audit::links_of(conn, number).await?;
    let (head_seq, head_hash) = store::audit::head(conn).await?;
    let reduced = store::retention::reduced_at(conn, id).await?;

    let mut r = ReportPages::new(
        &format!("Case dossier {number}"),
        &format!(
            "{}. Printed {} from the encrypted case file. Everything below is read from the case's records; values the person gave to verify their identity are never printed.{}",
            profile.name,
            now.format("%Y-%m-%d %H:%M UTC"),
            match &reduced {
                Some(at) => format!(" This case was reduced to its § 7101 record on {}: what it held beyond that record is gone.", &at[..10.min(at.len())]),
                None => String::new(),
            }
        ),
    );

    r.heading("The request");
    let kinds: Vec<&str> = case.kinds.iter().map(|k| k.token()).collect();
    let mut rows = vec![
        vec![
            "Received".to_owned(),
            format!("{} ({})", case.received_date, case.time_zone),
        ],
        vec!["Channel".to_owned(), case.channel.token().to_owned()],
        vec!["Asks to".to_owned(), kinds.join(", ")],
        vec!["Status".to_owned(), case.status.token().to_owned()],
        vec!["Requester".to_owned(), case.requester.name.clone()],
    ];
    if let Some(agent) = &case.details.agent {
        rows.push(vec![
            "Authorised agent".to_owned(),
            format!("{} ({})", agent.name, words(&format!("{:?}", agent.basis))),
        ]);
    }
    if !case.details.description.trim().is_empty() {
        rows.push(vec!["In their words".to_owned(), case.details.description.clone()]);
    }
    r.table(&["", ""], &[1.0, 4.0], &rows);

    r.heading("Clocks");
    let calendar = rules.clocks.business_calendar();
    let clock_rows: Vec<Vec<String>> = crate::domain::clock::evaluate(&facts, today, &calendar, rules.clocks.rules())
        .into_iter()
        .map(|c| {
            vec![
                c.deadline.clock.token().to_owned(),
                c.deadline.due.to_string(),
                words(&format!("{:?}", c.state)),
                c.done_on.map(|d| d.to_string()).unwrap_or_default(),
                c.deadline.section.clone(),
            ]
        })
        .collect();
    r.table(
        &["Clock", "Due", "State", "Met on", "Rule"],
        &[1.2, 1.0, 1.0, 1.0, 2.0],
        &clock_rows,
    );
    if let Some(e) = &facts.extension {
        r.paragraph(&format!("Extended by notice of {}: {}", e.notice_on, e.reason));
    }

    r.heading("Identity verification");
    let kind_rows: Vec<Vec<String>> = verification
        .kinds
        .iter()
        .map(|k| {
            vec![
                k.requirement.kind.token().to_owned(),
                words(&format!("{:?}", k.outcome)),
                k.on.map(|d| d.to_string()).unwrap_or_default(),
                k.reason.clone(),
            ]
        })
        .collect();
    if kind_rows.is_empty() {
        r.paragraph("No part of this request needs verification (opt-out and limit, § 7060(b)).");
    } else {
        r.table(&["Part", "Outcome", "On", "Reason"], &[1.2, 1.0, 1.0, 3.0], &kind_rows);
    }
    let point_rows: Vec<Vec<String>> = verification
        .points
        .iter()
        .map(|p| {
            vec![
                p.label.clone(),
                words(&format!("{:?}", p.result)),
                p.checked_at.date_naive().to_string(),
            ]
        })
        .collect();
    if !point_rows.is_empty() {
        r.table(
            &["Detail checked (never its value)", "Result", "On"],
            &[3.0, 1.0, 1.0],
            &point_rows,
        );
    }
    if let Some(d) = &verification.declaration {
        r.paragraph(&format!(
            "Signed declaration received{}.",
            d.received_on.map(|on| format!(" on {on}")).unwrap_or_default()
        ));
    }
    if let Some(at) = verification.purged_at {
        r.paragraph(&format!(
            "What the person gave was deleted on {} (§ 7060(d)).",
            at.date_naive()
        ));
    }

    r.heading("Decisions per category");
    let decision_rows: Vec<Vec<String>> = matrix
        .decisions
        .iter()
        .map(|d| {
            vec![
                d.kind.token().to_owned(),
                matrix.row_name(&d.category),
                d.outcome.token().to_owned(),
                [d.citation.clone(), d.record.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; "),
                match &d.until {
                    Some(crate::domain::decision::Until::Date(day)) => day.to_string(),
                    Some(crate::domain::decision::Until::Rule(rule)) => rule.clone(),
                    None => String::new(),
                },
            ]
        })
        .collect();
    if decision_rows.is_empty() {
        r.paragraph("No decision per category was recorded.");
    } else {
        r.table(
            &["Part", "Information", "Outcome", "Basis", "Until"],
            &[1.0, 2.0, 1.0, 2.4, 1.2],
            &decision_rows,
        );
    }

    r.heading("Responses (the § 7101 record)");
    let record = log_line(
        &store::records::of_case(conn, id)
            .await?
            .ok_or_else(|| ServiceError::not_found("Case", number))?,
    );
    let response_rows: Vec<Vec<String>> = record
        .responses
        .iter()
        .map(|resp| {
            vec![
                resp.kind.token().to_owned(),
                resp.nature.clone(),
                resp.on.map(|d| d.to_string()).unwrap_or_default(),
                [resp.denial_reason.clone(), resp.basis.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    r.table(
        &["Part", "Response", "On", "Denial: reason, basis"],
        &[1.2, 1.4, 1.0, 2.4],
        &response_rows,
    );

    r.heading("Letters");
    let letter_rows: Vec<Vec<String>> = letters
        .iter()
        .map(|l| {
            vec![
                l.id.to_string(),
                l.kind.token().to_owned(),
                l.created_at.date_naive().to_string(),
                l.pages.to_string(),
                l.sha256.clone(),
            ]
        })
        .collect();
    if letter_rows.is_empty() {
        r.paragraph("No letter was produced.");
    } else {
        r.paragraph("Each letter's archived PDF has this SHA-256; a copy saved from the app can be checked against it (sha256sum).");
        r.table(
            &["Letter", "Kind", "Produced", "Pages", "SHA-256"],
            &[0.6, 1.6, 1.0, 0.6, 4.0],
            &letter_rows,
        );
    }

    r.heading("History, with the chain's hashes");
    let history_rows: Vec<Vec<String>> = links
        .iter()
        .map(|l| {
            vec![
                l.seq.to_string(),
                l.at.clone(),
                l.actor.clone(),
                format!("{}{}", l.action, if l.payload { "" } else { " (details purged)" }),
                l.hash.clone(),
            ]
        })
        .collect();
    r.table(
        &["Event", "At", "By", "What", "Chain hash"],
        &[0.6, 1.6, 1.0, 1.6, 3.2],
        &history_rows,
    );
    r.heading("The head of the chain");
    r.paragraph(&format!(
        "When this dossier was printed, the audit chain of the whole case file ended at event {head_seq} with hash {head_hash}. `privacydesk audit verify --json` on the file gives the same head while nothing has been added since; every hash above is a link of that chain."
    ));
    // Each letter as it was laid out (kept since migration 0008); an older one is reproduced
    // from its archived PDF; a reduced one (its bytes gone) has only its hash, listed above.
    let mut laid_out = Vec::new();
    let mut archived = Vec::new();
    let mut unreadable = Vec::new();
    for l in &letters {
        if let Some(json) = store::letters::layout(conn, l.id).await? {
            let pages: Vec<crate::letters::layout::Page> = serde_json::from_str(&json)
                .map_err(|e| store::StoreError::Corrupt(format!("letter {} layout: {e}", l.id)))?;
            laid_out.push((l.id, pages));
        } else if let Some(bytes) = store::letters::pdf(conn, l.id).await?.filter(|b| !b.is_empty()) {
            match Appendix::read(&bytes) {
                Ok(pdf) => archived.push((l.id, pdf)),
                Err(why) => unreadable.push(format!("letter {}: {why}", l.id)),
            }
        }
    }
    let ids = |list: &[String]| match list {
        [one] => format!("letter {one}"),
        many => format!("letters {}", many.join(", ")),
    };
    if !laid_out.is_empty() {
        let list: Vec<String> = laid_out.iter().map(|(id, _)| id.to_string()).collect();
        r.paragraph(&format!(
            "After this report's last page follow the pages of {}, each as it was printed.",
            ids(&list)
        ));
    }
    if !archived.is_empty() {
        let list: Vec<String> = archived.iter().map(|(id, _)| id.to_string()).collect();
        r.paragraph(&format!(
            "The pages of {} (archived before their layout was kept) are reproduced from the archived PDF at the end of this dossier.",
            ids(&list)
        ));
    }
    if !unreadable.is_empty() {
        r.paragraph(&format!(
            "These archived letters could not be reproduced, only listed with their hash: {}.",
            unreadable.join("; ")
        ));
    }
    let mut pages = r.finish();
    pages.extend(laid_out.into_iter().flat_map(|(_, p)| p));
    Ok((pages, archived.into_iter().map(|(_, pdf)| pdf).collect()))
}

/// A state's name in words ("MetLate" -> "met late").
fn words(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}
