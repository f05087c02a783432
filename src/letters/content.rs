//! What a letter says, as structured blocks (headings, paragraphs, lists, tables), read from the
//! text a template renders, and the § 7024(d) guard over that text.
//!
//! Templates write a small line-based markup, so that they describe structure and never layout:
//!
//! ```text
//! # A heading
//! A paragraph; consecutive lines join into one paragraph.
//!
//! - a list item
//! | Column | Column |      (a table; its first row is the header)
//! ```
//!
//! A blank line ends a paragraph, a list or a table.

use serde::Serialize;
use ts_rs::TS;

/// One block of a letter's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    List {
        items: Vec<String>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// Reads rendered template text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();

    fn flush(blocks: &mut Vec<Block>, paragraph: &mut Vec<&str>, list: &mut Vec<String>, table: &mut Vec<Vec<String>>) {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph {
                text: paragraph.join(" "),
            });
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks.push(Block::List {
                items: std::mem::take(list),
            });
        }
        if !table.is_empty() {
            let mut rows = std::mem::take(table);
            let header = rows.remove(0);
            blocks.push(Block::Table { header, rows });
        }
    }

    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list, &mut table);
        } else if let Some(heading) = line.strip_prefix("# ") {
            flush(&mut blocks, &mut paragraph, &mut list, &mut table);
            blocks.push(Block::Heading {
                text: heading.trim().to_owned(),
            });
        } else if let Some(item) = line.strip_prefix("- ") {
            if !paragraph.is_empty() || !table.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list, &mut table);
            }
            list.push(item.trim().to_owned());
        } else if line.starts_with('|') && line.ends_with('|') && line.len() > 1 {
            if !paragraph.is_empty() || !list.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list, &mut table);
            }
            table.push(
                line[1..line.len() - 1]
                    .split('|')
                    .map(|c| c.trim().to_owned())
                    .collect(),
            );
        } else {
            if !list.is_empty() || !table.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list, &mut table);
            }
            paragraph.push(line);
        }
    }
    flush(&mut blocks, &mut paragraph, &mut list, &mut table);
    blocks
}

/// What § 7024(d) forbids a letter to print, if `text` seems to hold one: a Social Security
/// number, or a long run of digits such as a financial account, driver's licence, health
/// insurance or medical ID number. Letters never receive such values from the case file (the
/// template context has no field for them); this catches what staff type into a general
/// letter or what a person wrote into a field that ends up printed.
pub fn forbidden_number(text: &str) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    // Runs of digits, allowing single spaces or hyphens between groups (as people write them).
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = String::new();
        let mut groups = vec![0usize];
        while i < chars.len() {
            let c = chars[i];
            if c.is_ascii_digit() {
                digits.push(c);
                *groups.last_mut().expect("one group") += 1;
                i += 1;
            } else if (c == '-' || c == ' ') && i + 1 < chars.len() && chars[i + 1].is_ascii_digit() {
                groups.push(0);
                i += 1;
            } else {
                break;
            }
        }
        let preceded_by_letter = start > 0 && chars[start - 1].is_alphabetic();
        if groups == [3, 2, 4] || (groups.len() == 1 && digits.len() == 9 && !preceded_by_letter) {
            return Some("a Social Security number");
        }
        // Phone numbers (10 or 11 digits in 3-3-4 groups) and case numbers are fine; a long
        // unbroken or card-like run of digits is not.
        let phone = matches!(groups.as_slice(), [3, 3, 4] | [1, 3, 3, 4]);
        if !phone && digits.len() >= 12 {
            return Some("an account or identification number");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_headings_paragraphs_lists_and_tables() {
        let blocks = parse(
            "# What happens next\nWe received your request\non 3 March.\n\n- first\n- second\n\n| Category | Kept |\n| Contact | No |\n| Payroll | Yes |\nAfter.",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    text: "What happens next".into()
                },
                Block::Paragraph {
                    text: "We received your request on 3 March.".into()
                },
                Block::List {
                    items: vec!["first".into(), "second".into()]
                },
                Block::Table {
                    header: vec!["Category".into(), "Kept".into()],
                    rows: vec![
                        vec!["Contact".into(), "No".into()],
                        vec!["Payroll".into(), "Yes".into()]
                    ],
                },
                Block::Paragraph { text: "After.".into() },
            ]
        );
    }

    #[test]
    fn section_7024_d_numbers_are_caught_and_ordinary_numbers_are_not() {
        for text in [
            "SSN 123-45-6789",
            "ssn 123 45 6789",
            "my number is 123456789",
            "card 4111 1111 1111 1111",
            "account 000123456789012",
        ] {
            assert!(forbidden_number(text).is_some(), "{text}");
        }
        for text in [
            "Call 833-945-2456 or (510) 555-0142",
            "case PR-2026-00042, received 2026-03-02",
            "1950 Franklin St, Oakland CA 94612",
            "1-833-945-2456",
        ] {
            assert_eq!(forbidden_number(text), None, "{text}");
        }
    }
}
