//! What a letter says, as structured blocks (headings, paragraphs, lists, tables), read from
//! what a template rendered (`templates`).
//!
//! The template's own text carries a small line markup — a line starting with `# ` is a heading,
//! `- ` a list item, a blank line ends a paragraph — and nothing else does: every value the
//! template printed arrives wrapped as literal text (between [`LITERAL_START`] and
//! [`LITERAL_END`]) and prints as itself, whatever it holds; blocks built from data (lists,
//! later tables) arrive as placeholders on their own line. Inside a value, a blank line still
//! starts a new paragraph (a staff-written letter has paragraphs), and a single line break is a
//! space.

use serde::Serialize;
use ts_rs::TS;

/// Opens a value printed by the template (a private-use character no value may hold).
pub const LITERAL_START: char = '\u{E000}';
pub const LITERAL_END: char = '\u{E001}';
/// Around the index of a block built from data.
pub const PLACEHOLDER_START: char = '\u{E002}';
pub const PLACEHOLDER_END: char = '\u{E003}';

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

/// A piece of a line: the template's own text, or a value it printed.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Markup(String),
    Literal(String),
}

/// A line of the rendered text, or a paragraph break a value asked for, or a data block.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    Pieces(Vec<Piece>),
    Break,
    Data(usize),
}

/// Splits rendered text into lines: markup newlines end lines; inside a value a blank line is a
/// paragraph break and a single newline a space.
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut rest = text;
    let flush = |current: &mut Vec<Piece>, out: &mut Vec<Line>| out.push(Line::Pieces(std::mem::take(current)));
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix(LITERAL_START) {
            let end = after.find(LITERAL_END).unwrap_or(after.len());
            let value = after[..end].replace("\r\n", "\n");
            let mut paragraphs = value.split("\n\n").peekable();
            while let Some(p) = paragraphs.next() {
                let words = p.split('\n').map(str::trim).collect::<Vec<_>>().join(" ");
                current.push(Piece::Literal(words));
                if paragraphs.peek().is_some() {
                    flush(&mut current, &mut out);
                    out.push(Line::Break);
                }
            }
            rest = after.get(end + LITERAL_END.len_utf8()..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix(PLACEHOLDER_START) {
            let end = after.find(PLACEHOLDER_END).unwrap_or(after.len());
            if let Ok(index) = after[..end].parse() {
                if !current.is_empty() {
                    flush(&mut current, &mut out);
                }
                out.push(Line::Data(index));
            }
            rest = after.get(end + PLACEHOLDER_END.len_utf8()..).unwrap_or("");
        } else {
            let end = rest
                .find([LITERAL_START, PLACEHOLDER_START, '\n'])
                .unwrap_or(rest.len());
            if end == 0 {
                // A markup newline.
                flush(&mut current, &mut out);
                rest = &rest[1..];
            } else {
                current.push(Piece::Markup(rest[..end].to_owned()));
                rest = &rest[end..];
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

/// What a line of pieces is, by its template markup (never by a value).
enum Kind {
    Blank,
    Heading,
    Item,
    Text,
}

fn kind(pieces: &[Piece]) -> Kind {
    let joined = text(pieces);
    if joined.trim().is_empty() {
        return Kind::Blank;
    }
    match pieces
        .iter()
        .find(|p| !matches!(p, Piece::Markup(m) if m.trim().is_empty()))
    {
        Some(Piece::Markup(m)) if m.trim_start().starts_with("# ") => Kind::Heading,
        Some(Piece::Markup(m)) if m.trim_start().starts_with("- ") => Kind::Item,
        _ => Kind::Text,
    }
}

fn text(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Markup(m) | Piece::Literal(m) => m.as_str(),
        })
        .collect()
}

/// The text of a heading or item line without its markup prefix.
fn without_prefix(pieces: &[Piece], prefix: &str) -> String {
    let joined = text(pieces);
    joined
        .trim_start()
        .strip_prefix(prefix)
        .unwrap_or(&joined)
        .trim()
        .to_owned()
}

/// Reads rendered template text (with the data blocks it placed) into blocks.
pub fn parse(text_: &str, data: &[Block]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let end_paragraph = |paragraph: &mut Vec<String>, blocks: &mut Vec<Block>| {
        let text = paragraph.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            blocks.push(Block::Paragraph { text });
        }
        paragraph.clear();
    };
    let end_list = |list: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !list.is_empty() {
            blocks.push(Block::List {
                items: std::mem::take(list),
            });
        }
    };
    for line in lines(text_) {
        match line {
            Line::Break => {
                end_paragraph(&mut paragraph, &mut blocks);
                end_list(&mut list, &mut blocks);
            }
            Line::Data(index) => {
                end_paragraph(&mut paragraph, &mut blocks);
                end_list(&mut list, &mut blocks);
                if let Some(block) = data.get(index) {
                    let empty = matches!(block, Block::List { items } if items.is_empty())
                        || matches!(block, Block::Table { rows, .. } if rows.is_empty());
                    if !empty {
                        blocks.push(block.clone());
                    }
                }
            }
            Line::Pieces(pieces) => match kind(&pieces) {
                Kind::Blank => {
                    end_paragraph(&mut paragraph, &mut blocks);
                    end_list(&mut list, &mut blocks);
                }
                Kind::Heading => {
                    end_paragraph(&mut paragraph, &mut blocks);
                    end_list(&mut list, &mut blocks);
                    blocks.push(Block::Heading {
                        text: without_prefix(&pieces, "# "),
                    });
                }
                Kind::Item => {
                    end_paragraph(&mut paragraph, &mut blocks);
                    list.push(without_prefix(&pieces, "- "));
                }
                Kind::Text => {
                    end_list(&mut list, &mut blocks);
                    paragraph.push(text(&pieces).trim().to_owned());
                }
            },
        }
    }
    end_paragraph(&mut paragraph, &mut blocks);
    end_list(&mut list, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> String {
        format!("{LITERAL_START}{s}{LITERAL_END}")
    }

    #[test]
    fn template_markup_becomes_headings_paragraphs_and_lists() {
        let blocks = parse(
            "# What happens next\nWe received your request\non 3 March.\n\n- first\n- second\nAfter.",
            &[],
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
                Block::Paragraph { text: "After.".into() },
            ]
        );
    }

    #[test]
    fn a_value_prints_as_itself_whatever_it_holds() {
        let staff = "# Not a heading\n- not an item | not | a table\n\nSecond paragraph.";
        let blocks = parse(&format!("Dear {},\n\n{}\n", lit("Ana | Reyes"), lit(staff)), &[]);
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph {
                    text: "Dear Ana | Reyes,".into()
                },
                Block::Paragraph {
                    text: "# Not a heading - not an item | not | a table".into()
                },
                Block::Paragraph {
                    text: "Second paragraph.".into()
                },
            ]
        );
    }

    #[test]
    fn data_blocks_go_where_the_template_put_them() {
        let data = vec![Block::List {
            items: vec!["To delete | all".into()],
        }];
        let blocks = parse(
            &format!("# Asked\n\n{PLACEHOLDER_START}0{PLACEHOLDER_END}\n\nEnd."),
            &data,
        );
        assert_eq!(
            blocks,
            vec![
                Block::Heading { text: "Asked".into() },
                data[0].clone(),
                Block::Paragraph { text: "End.".into() },
            ]
        );
    }
}
