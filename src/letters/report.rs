//! Report pages (the § 7101 log, the § 7102 metrics): a title, headings, paragraphs, tables
//! and horizontal bar charts flowed onto US Letter pages with the letters' fonts and widths,
//! numbered "Page i of n", ready for [`super::pdf::Press`]. Text the fonts cannot print is
//! shown as "?" (a report prints what it holds; a letter would refuse).

use super::fonts::{self, Weight};
use super::layout::{wrap, Item, Page, PAGE_HEIGHT, PAGE_WIDTH};

const MARGIN: f32 = 54.0;
const TOP: f32 = 60.0;
const BOTTOM: f32 = PAGE_HEIGHT - 54.0;
const SIZE: f32 = 9.0;
const LEADING: f32 = 11.5;

/// Pages being filled, top to bottom.
pub struct ReportPages {
    pages: Vec<Page>,
    y: f32,
    unit: u32,
    running: String,
}

/// Replaces what the fonts cannot print.
fn printable(text: &str) -> String {
    let (regular, bold) = (fonts::metrics(Weight::Regular), fonts::metrics(Weight::Bold));
    fonts::normalise(text)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .map(|c| if regular.has(c) && bold.has(c) { c } else { '?' })
        .collect()
}

impl ReportPages {
    /// The first page, with the report's title and what it covers.
    pub fn new(title: &str, subtitle: &str) -> ReportPages {
        let mut r = ReportPages {
            pages: vec![Page::default()],
            y: TOP,
            unit: 0,
            running: printable(title),
        };
        r.line(title, 16.0, true, MARGIN);
        r.y += 6.0;
        r.paragraph(subtitle);
        r.y += 4.0;
        r
    }

    fn width() -> f32 {
        PAGE_WIDTH - 2.0 * MARGIN
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a report has a page")
    }

    /// Starts a new page when `height` does not fit on this one; says whether it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= BOTTOM {
            return false;
        }
        self.pages.push(Page::default());
        self.y = TOP;
        let running = self.running.clone();
        self.text(&running, MARGIN, SIZE - 1.0, false);
        self.y += LEADING + 4.0;
        true
    }

    fn text(&mut self, text: &str, x: f32, size: f32, bold: bool) {
        self.unit += 1;
        let (y, unit) = (self.y, self.unit);
        self.page().items.push(Item::Text {
            x,
            y,
            size,
            bold,
            text: printable(text),
            unit,
        });
    }

    fn line(&mut self, text: &str, size: f32, bold: bool, x: f32) {
        self.ensure(size * 1.3);
        self.y += size;
        self.text(text, x, size, bold);
        self.y += size * 0.3;
    }

    pub fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y += 8.0;
        self.line(text, 12.0, true, MARGIN);
        self.y += 2.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        for l in wrap(&printable(text), Weight::Regular, SIZE + 1.0, Self::width()) {
            self.ensure(LEADING + 2.0);
            self.y += LEADING + 1.0;
            self.text(&l, MARGIN, SIZE + 1.0, false);
        }
        self.y += 4.0;
    }

    /// A table with its header repeated on each page; `widths` are shares of the line.
    pub fn table(&mut self, header: &[&str], widths: &[f32], rows: &[Vec<String>]) {
        let total: f32 = widths.iter().sum();
        let columns: Vec<f32> = widths.iter().map(|w| w / total * Self::width()).collect();
        let cells = |row: &[String], weight: Weight| -> Vec<Vec<String>> {
            row.iter()
                .zip(&columns)
                .map(|(cell, w)| wrap(&printable(cell), weight, SIZE, w - 4.0))
                .collect()
        };
        let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
        let header_cells = cells(&header, Weight::Bold);
        self.draw_row(&header_cells, &columns, true);
        for row in rows {
            let lines = cells(row, Weight::Regular);
            let height = lines.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LEADING + 3.0;
            if self.ensure(height) {
                self.draw_row(&header_cells, &columns, true);
            }
            self.draw_row(&lines, &columns, false);
        }
        self.y += 6.0;
    }

    fn draw_row(&mut self, cells: &[Vec<String>], columns: &[f32], bold: bool) {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * LEADING + 3.0;
        self.ensure(height);
        let top = self.y;
        let mut x = MARGIN;
        for (lines, w) in cells.iter().zip(columns) {
            self.y = top;
            for l in lines {
                self.y += LEADING;
                self.text(l, x, SIZE, bold);
            }
            x += w;
        }
        self.y = top + height;
        let y = self.y - 1.5;
        self.page().items.push(Item::Rule {
            x1: MARGIN,
            y1: y,
            x2: PAGE_WIDTH - MARGIN,
            y2: y,
        });
    }

    /// A horizontal bar chart: one bar per label, as long as its share of `full` (the largest
    /// value when `None`), with the value printed after it.
    pub fn bars(&mut self, title: &str, bars: &[(String, String, f64)], full: Option<f64>) {
        let regular = fonts::metrics(Weight::Regular);
        let label_width = 110.0;
        let value_width = bars
            .iter()
            .map(|(_, shown, _)| regular.width(&printable(shown), SIZE))
            .fold(0.0_f32, f32::max);
        let bar_space = Self::width() - label_width - value_width - 8.0;
        let max = full.unwrap_or_else(|| bars.iter().map(|(_, _, v)| *v).fold(0.0_f64, f64::max));
        self.ensure(LEADING * 2.0 + 14.0);
        self.line(title, SIZE + 1.0, true, MARGIN);
        for (label, shown, value) in bars {
            self.ensure(14.0);
            let top = self.y + 2.0;
            let width = if max > 0.0 {
                (value / max) as f32 * bar_space
            } else {
                0.0
            };
            self.y += 10.0;
            self.text(label, MARGIN, SIZE, false);
            self.page().items.push(Item::Bar {
                x: MARGIN + label_width,
                y: top,
                width: width.max(0.5),
                height: 9.0,
                shade: 0.35,
            });
            self.text(shown, MARGIN + label_width + width + 4.0, SIZE, false);
            self.y += 3.0;
        }
        self.y += 8.0;
    }

    /// The pages, each numbered "Page i of n".
    pub fn finish(mut self) -> Vec<Page> {
        let n = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let label = format!("Page {} of {n}", i + 1);
            let x = (PAGE_WIDTH - fonts::metrics(Weight::Regular).width(&label, 8.0)) / 2.0;
            page.items.push(Item::Text {
                x,
                y: PAGE_HEIGHT - 30.0,
                size: 8.0,
                bold: false,
                text: label,
                unit: u32::MAX,
            });
        }
        self.pages
    }
}
