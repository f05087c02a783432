//! Places a letter on US Letter pages: letterhead, the recipient block in the #10 window zone,
//! date, reference line, the body blocks wrapped with the fonts' glyph widths (UAX #14 break
//! opportunities), tables that break across pages with their header repeated, the signature
//! block kept in one piece, "Page N of M", a continuation header from page 2 on, and optional
//! fold marks. Positions are points from the top-left corner of the page.

use super::content::Block;
use super::fonts::{self, Weight};
use super::{address, LetterError};
use crate::domain::PostalAddress;

pub const PAGE_WIDTH: f32 = 612.0;
pub const PAGE_HEIGHT: f32 = 792.0;
const INCH: f32 = 72.0;
const LEFT: f32 = INCH;
const RIGHT: f32 = PAGE_WIDTH - INCH;
/// The recipient block's safe zone on page 1 (see `address`), x 1.00-4.25 in, y 2.10-3.05 in.
pub const WINDOW: Zone = Zone {
    left: 1.00 * INCH,
    right: 4.25 * INCH,
    top: 2.10 * INCH,
    bottom: 3.05 * INCH,
};
/// Lowest baseline of body text.
const BODY_BOTTOM: f32 = 10.1 * INCH;
const BODY_SIZE: f32 = 11.0;
const BODY_LEADING: f32 = 14.5;
const SMALL: f32 = 9.0;
/// Room for the handwritten signature between the closing and the signatory's name.
const SIGNATURE_SPACE: f32 = 34.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zone {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Item {
    /// `y` is the baseline. `unit` says which piece of the letter the line belongs to (a
    /// paragraph, an address line…): the lines of one unit read together make its text.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
        #[ts(type = "number")]
        unit: u32,
    },
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
    },
    /// A filled rectangle (a report's chart bar); `y` is its top edge, `shade` its grey (0 black,
    /// 1 white).
    Bar {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        shade: f32,
    },
    /// The letterhead logo; `y` is its top edge.
    Logo {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
    },
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Page {
    pub items: Vec<Item>,
}

/// Where on the letter a unit of text comes from, for a refusal to name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Letterhead,
    Recipient,
    Date,
    Reference,
    Body,
    Signature,
    PageMarks,
}

impl Region {
    pub fn describe(self) -> &'static str {
        match self {
            Region::Letterhead => "the letterhead (the organisation profile)",
            Region::Recipient => "the recipient's name or address",
            Region::Date => "the date line",
            Region::Reference => "the reference line",
            Region::Body => "the letter's text",
            Region::Signature => "the signature (the organisation profile)",
            Region::PageMarks => "the page headers",
        }
    }
}

/// A letter laid out: its pages, and the region of each unit of text on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub pages: Vec<Page>,
    pub regions: Vec<Region>,
}

/// Everything a letter prints, already in its language.
#[derive(Debug, Clone)]
pub struct LetterText {
    /// Organisation name, then return address or contact lines.
    pub letterhead: Vec<String>,
    pub recipient_name: String,
    pub recipient_address: crate::domain::PostalAddress,
    pub date: String,
    /// "Re: … · Reference PR-2026-00042"
    pub reference: String,
    /// Shown at the top of pages 2 onwards: name and case number.
    pub continuation: String,
    pub body: Vec<Block>,
    pub closing: String,
    pub signature: Vec<String>,
    /// "Page {n} of {m}" in the letter's language, with `{n}` and `{m}`.
    pub page_of: String,
    pub fold_marks: bool,
    /// The letterhead logo's size in pixels, when there is one.
    pub logo: Option<(u32, u32)>,
}

/// Lays a letter out; refuses text the fonts cannot print and an address that does not fit
/// the envelope window.
pub fn lay_out(letter: &LetterText) -> Result<Laid, LetterError> {
    check_all(letter)?;
    let mut flow = Flow::new(letter.continuation.clone());

    // Letterhead, above the window zone.
    let mut y = 0.75 * INCH;
    for (i, line) in letter.letterhead.iter().enumerate() {
        let (size, bold) = if i == 0 { (14.0, true) } else { (SMALL, false) };
        let unit = flow.unit(Region::Letterhead);
        flow.pages[0].items.push(text(LEFT, y, size, bold, line, unit));
        y += if i == 0 { 15.0 } else { 11.0 };
    }
    let first = &mut flow.pages[0];

    // The logo sits at the top right, at most 0.6 in high and 2.5 in wide, clear of the window.
    if let Some((w, h)) = letter.logo.filter(|(w, h)| *w > 0 && *h > 0) {
        let scale = (0.6 * INCH / h as f32).min(2.5 * INCH / w as f32);
        let (width, height) = (w as f32 * scale, h as f32 * scale);
        first.items.push(Item::Logo {
            x: RIGHT - width,
            y: 0.5 * INCH,
            width,
            height,
        });
    }

    // Recipient block: the first line's tops start just inside the zone.
    let lines = recipient_block(&letter.recipient_name, &letter.recipient_address)?;
    let ascent = fonts::metrics(Weight::Regular).ascent * address::SIZE;
    let mut y = WINDOW.top + 1.5 + ascent;
    for line in &lines {
        let unit = flow.unit(Region::Recipient);
        flow.pages[0]
            .items
            .push(text(WINDOW.left + 2.0, y, address::SIZE, false, line, unit));
        y += 12.0;
    }

    let unit = flow.unit(Region::Date);
    flow.pages[0]
        .items
        .push(text(LEFT, 3.45 * INCH, BODY_SIZE, false, &letter.date, unit));
    flow.y = 3.75 * INCH;
    let unit = flow.unit(Region::Reference);
    for line in wrap(&letter.reference, Weight::Bold, BODY_SIZE, RIGHT - LEFT) {
        flow.text(LEFT, BODY_SIZE, true, &line, BODY_LEADING, unit);
    }
    flow.y += 10.0;

    for block in &letter.body {
        match block {
            Block::Heading { text } => {
                flow.y += 6.0;
                let lines = wrap(text, Weight::Bold, 12.0, RIGHT - LEFT);
                // A heading never ends a page alone: keep it with two lines of what follows.
                flow.ensure(lines.len() as f32 * 15.0 + 2.0 * BODY_LEADING);
                let unit = flow.unit(Region::Body);
                for line in lines {
                    flow.text(LEFT, 12.0, true, &line, 15.0, unit);
                }
                flow.y += 2.0;
            }
            Block::Paragraph { text } => {
                let unit = flow.unit(Region::Body);
                for line in wrap(text, Weight::Regular, BODY_SIZE, RIGHT - LEFT) {
                    flow.text(LEFT, BODY_SIZE, false, &line, BODY_LEADING, unit);
                }
                flow.y += 7.0;
            }
            Block::List { items } => {
                for item in items {
                    let unit = flow.unit(Region::Body);
                    for (i, line) in wrap(item, Weight::Regular, BODY_SIZE, RIGHT - LEFT - 16.0)
                        .iter()
                        .enumerate()
                    {
                        flow.ensure(BODY_LEADING);
                        if i == 0 {
                            let y = flow.y;
                            let bullet = flow.unit(Region::Body);
                            flow.page()
                                .items
                                .push(self::text(LEFT + 3.0, y, BODY_SIZE, false, "•", bullet));
                        }
                        flow.text(LEFT + 16.0, BODY_SIZE, false, line, BODY_LEADING, unit);
                    }
                }
                flow.y += 7.0;
            }
            Block::Table { header, rows } => {
                table(&mut flow, header, rows);
                flow.y += 9.0;
            }
        }
    }

    // The signature block stays on one page.
    let signature_height = BODY_LEADING + SIGNATURE_SPACE + letter.signature.len() as f32 * BODY_LEADING;
    flow.y += 6.0;
    flow.ensure(signature_height);
    let unit = flow.unit(Region::Signature);
    flow.text(LEFT, BODY_SIZE, false, &letter.closing, BODY_LEADING, unit);
    flow.y += SIGNATURE_SPACE;
    for (i, line) in letter.signature.iter().enumerate() {
        let unit = flow.unit(Region::Signature);
        flow.text(LEFT, BODY_SIZE, i == 0, line, BODY_LEADING, unit);
    }

    let total = flow.pages.len();
    let marks = flow.unit(Region::PageMarks);
    for (n, page) in flow.pages.iter_mut().enumerate() {
        let label = letter
            .page_of
            .replace("{n}", &(n + 1).to_string())
            .replace("{m}", &total.to_string());
        let width = fonts::metrics(Weight::Regular).width(&label, SMALL);
        page.items.push(text(
            (PAGE_WIDTH - width) / 2.0,
            10.5 * INCH,
            SMALL,
            false,
            &label,
            marks,
        ));
        if letter.fold_marks && n == 0 {
            for y in [PAGE_HEIGHT / 3.0, PAGE_HEIGHT * 2.0 / 3.0] {
                page.items.push(Item::Rule {
                    x1: 0.2 * INCH,
                    y1: y,
                    x2: 0.45 * INCH,
                    y2: y,
                });
            }
        }
    }
    Ok(Laid {
        pages: flow.pages,
        regions: flow.regions,
    })
}

/// The lines of the recipient block in the envelope window, or why the name and address
/// cannot be printed there (a character the fonts lack, a block that does not fit).
pub fn recipient_block(name: &str, address: &PostalAddress) -> Result<Vec<String>, LetterError> {
    fonts::check_printable("The recipient's name", name)?;
    for line in address
        .lines
        .iter()
        .chain([&address.city])
        .chain(address.state.iter())
        .chain(address.postal_code.iter())
    {
        fonts::check_printable("The recipient's address", line)?;
    }
    let block_width = WINDOW.right - WINDOW.left - 4.0;
    address::block(name, address, block_width).map_err(LetterError::NoAddress)
}

fn check_all(letter: &LetterText) -> Result<(), LetterError> {
    for line in letter.letterhead.iter().chain(&letter.signature) {
        fonts::check_printable("The organisation profile", line)?;
    }
    for block in &letter.body {
        let texts: Vec<&String> = match block {
            Block::Heading { text } | Block::Paragraph { text } => vec![text],
            Block::List { items } => items.iter().collect(),
            Block::Table { header, rows } => header.iter().chain(rows.iter().flatten()).collect(),
        };
        for t in texts {
            fonts::check_printable("The letter's text", t)?;
        }
    }
    Ok(())
}

fn text(x: f32, y: f32, size: f32, bold: bool, text: &str, unit: u32) -> Item {
    Item::Text {
        x,
        y,
        size,
        bold,
        text: fonts::normalise(text),
        unit,
    }
}

/// The body's running position over the pages, and the units of text laid so far.
struct Flow {
    pages: Vec<Page>,
    y: f32,
    continuation: String,
    regions: Vec<Region>,
    /// The unit of the continuation header on pages after the first.
    header: u32,
}

impl Flow {
    fn new(continuation: String) -> Flow {
        Flow {
            pages: vec![Page::default()],
            y: 0.0,
            continuation,
            regions: vec![Region::PageMarks],
            header: 0,
        }
    }

    /// A new unit of text in `region`.
    fn unit(&mut self, region: Region) -> u32 {
        self.regions.push(region);
        (self.regions.len() - 1) as u32
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("at least one page")
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= BODY_BOTTOM + BODY_LEADING {
            return false;
        }
        let mut page = Page::default();
        page.items
            .push(text(LEFT, 0.6 * INCH, SMALL, false, &self.continuation, self.header));
        page.items.push(Item::Rule {
            x1: LEFT,
            y1: 0.6 * INCH + 4.0,
            x2: RIGHT,
            y2: 0.6 * INCH + 4.0,
        });
        self.pages.push(page);
        self.y = 1.05 * INCH;
        true
    }

    /// Writes one line of `unit` at the running position and moves down by `leading`.
    fn text(&mut self, x: f32, size: f32, bold: bool, line: &str, leading: f32, unit: u32) {
        self.ensure(leading);
        let y = self.y;
        self.page().items.push(text(x, y, size, bold, line, unit));
        self.y += leading;
    }
}

const CELL_SIZE: f32 = 10.0;
const CELL_LEADING: f32 = 13.0;
const CELL_PAD: f32 = 4.0;

fn table(flow: &mut Flow, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len().max(rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let cell = |row: &[String], c: usize| row.get(c).cloned().unwrap_or_default();
    // Columns get their natural width when it fits, otherwise a share in proportion to it.
    let natural: Vec<f32> = (0..columns)
        .map(|c| {
            std::iter::once(fonts::metrics(Weight::Bold).width(&cell(header, c), CELL_SIZE))
                .chain(
                    rows.iter()
                        .map(|r| fonts::metrics(Weight::Regular).width(&cell(r, c), CELL_SIZE)),
                )
                .fold(24.0_f32, f32::max)
                + 2.0 * CELL_PAD
        })
        .collect();
    // No column narrower than its longest word (a citation or a date is never split), and the
    // width left over shared in proportion to what each column's text needs beyond that.
    let minimum: Vec<f32> = (0..columns)
        .map(|c| {
            let longest = |text: &str, weight: Weight| {
                text.split_whitespace()
                    .map(|w| fonts::metrics(weight).width(w, CELL_SIZE))
                    .fold(0.0_f32, f32::max)
            };
            std::iter::once(longest(&cell(header, c), Weight::Bold))
                .chain(rows.iter().map(|r| longest(&cell(r, c), Weight::Regular)))
                .fold(24.0_f32, f32::max)
                + 2.0 * CELL_PAD
        })
        .collect();
    let available = RIGHT - LEFT;
    let total: f32 = natural.iter().sum();
    let floor: f32 = minimum.iter().sum();
    let widths: Vec<f32> = if floor >= available || total <= floor {
        natural.iter().map(|w| w / total * available).collect()
    } else {
        let extra: Vec<f32> = natural.iter().zip(&minimum).map(|(n, m)| (n - m).max(0.0)).collect();
        let spare: f32 = extra.iter().sum();
        minimum
            .iter()
            .zip(&extra)
            .map(|(m, e)| {
                m + if spare > 0.0 {
                    e / spare * (available - floor)
                } else {
                    (available - floor) / columns as f32
                }
            })
            .collect()
    };
    let lefts: Vec<f32> = widths
        .iter()
        .scan(LEFT, |x, w| {
            let left = *x;
            *x += w;
            Some(left)
        })
        .collect();

    let wrapped = |row: &[String], weight: Weight| -> Vec<Vec<String>> {
        (0..columns)
            .map(|c| wrap(&cell(row, c), weight, CELL_SIZE, widths[c] - 2.0 * CELL_PAD))
            .collect()
    };
    let height =
        |cells: &[Vec<String>]| cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * CELL_LEADING + 4.0;
    let header_cells = wrapped(header, Weight::Bold);
    let header_height = height(&header_cells);

    let draw_row = |flow: &mut Flow, cells: &[Vec<String>], bold: bool, row_height: f32| {
        let top = flow.y;
        for (c, lines) in cells.iter().enumerate() {
            let unit = flow.unit(Region::Body);
            for (i, line) in lines.iter().enumerate() {
                let y = top + CELL_LEADING * (i as f32 + 1.0) - 2.0;
                flow.page()
                    .items
                    .push(text(lefts[c] + CELL_PAD, y, CELL_SIZE, bold, line, unit));
            }
        }
        flow.y = top + row_height;
        let rule = flow.y - 2.0;
        flow.page().items.push(Item::Rule {
            x1: LEFT,
            y1: rule,
            x2: RIGHT,
            y2: rule,
        });
    };

    flow.ensure(header_height + CELL_LEADING * 2.0);
    draw_row(flow, &header_cells, true, header_height);
    for row in rows {
        let cells = wrapped(row, Weight::Regular);
        let row_height = height(&cells);
        if flow.ensure(row_height) {
            draw_row(flow, &header_cells, true, header_height);
        }
        draw_row(flow, &cells, false, row_height);
    }
}

/// Breaks `text` into lines no wider than `width` at `size`, at the break opportunities of
/// UAX #14 (a word longer than a line is broken between characters).
pub fn wrap(text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
    let m = fonts::metrics(weight);
    // A section sign stays on the line of its number.
    let text = fonts::normalise(text).replace("§ ", "§\u{a0}");
    let mut lines = Vec::new();
    let mut line = String::new();
    // The width of `line` with its trailing spaces, in font units (they add up exactly).
    let mut line_units = 0;
    let mut start = 0;
    for (end, opportunity) in unicode_linebreak::linebreaks(&text) {
        let segment = &text[start..end];
        start = end;
        let printed = segment.trim_end();
        let candidate_units = if printed.is_empty() {
            m.units(line.trim_end())
        } else {
            line_units + m.units(printed)
        };
        if m.width_of(candidate_units, size) <= width {
            line.push_str(segment);
            line_units += m.units(segment);
        } else {
            if !line.trim().is_empty() {
                lines.push(line.trim_end().to_owned());
            }
            line = String::new();
            // A segment wider than the whole line is cut between characters.
            for c in segment.chars() {
                let candidate = format!("{line}{c}");
                if m.width(candidate.trim_end(), size) > width && !line.is_empty() {
                    lines.push(line.trim_end().to_owned());
                    line = c.to_string();
                } else {
                    line = candidate;
                }
            }
            line_units = m.units(&line);
        }
        if opportunity == unicode_linebreak::BreakOpportunity::Mandatory {
            lines.push(line.trim_end().to_owned());
            line = String::new();
            line_units = 0;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    // The final mandatory break (end of text) leaves one line too many when the text ended in
    // a newline; an empty text is one empty line.
    while lines.len() > 1 && lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_filled_greedily_and_never_wider_than_the_measure() {
        let text = "We will compare the details you gave us with the information the medical group already holds, and we may ask you for a few more details.";
        let lines = wrap(text, Weight::Regular, 11.0, 200.0);
        assert!(lines.len() > 2, "{lines:?}");
        for l in &lines {
            assert!(fonts::metrics(Weight::Regular).width(l, 11.0) <= 200.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
        let long = "Supercalifragilisticexpialidocious-and-then-some-more-characters";
        for l in wrap(long, Weight::Regular, 11.0, 60.0) {
            assert!(fonts::metrics(Weight::Regular).width(&l, 11.0) <= 60.0, "{l}");
        }
    }
}
