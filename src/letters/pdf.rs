//! Writes laid-out pages as a PDF with printpdf: the two letter fonts embedded and subset, text
//! as real (selectable, extractable) text, title, author and creation date in the document
//! information.

use super::fonts::{BOLD_TTF, REGULAR_TTF};
use super::layout::{Item, Page, PAGE_HEIGHT, PAGE_WIDTH};
use chrono::{DateTime, Utc};
use printpdf::{
    Color, Line, LinePoint, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rgb,
    TextItem,
};
use std::sync::OnceLock;

/// The document information of a PDF.
pub struct PdfInfo<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: DateTime<Utc>,
    /// The letterhead logo (PNG), drawn where the pages place it.
    pub logo: Option<&'a [u8]>,
}

/// The pixel size of a PNG, or why it cannot be a logo.
pub fn png_size(png: &[u8]) -> Result<(u32, u32), String> {
    let image = printpdf::RawImage::decode_from_bytes(png, &mut Vec::new())?;
    Ok((image.width as u32, image.height as u32))
}

fn parsed(bytes: &'static [u8], cell: &'static OnceLock<ParsedFont>) -> &'static ParsedFont {
    cell.get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled font parses"))
}

/// One PDF of `pages` (one letter, or a batch of letters one after the other).
pub fn write(pages: &[Page], info: &PdfInfo) -> Vec<u8> {
    static REGULAR: OnceLock<ParsedFont> = OnceLock::new();
    static BOLD: OnceLock<ParsedFont> = OnceLock::new();
    let mut doc = PdfDocument::new(info.title);
    doc.metadata.info.author = info.author.to_owned();
    doc.metadata.info.creator = "PrivacyDesk".to_owned();
    doc.metadata.info.producer = "PrivacyDesk (printpdf)".to_owned();
    let created = date(info.created);
    doc.metadata.info.creation_date = created;
    doc.metadata.info.modification_date = created;
    doc.metadata.info.metadata_date = created;
    let logo = info
        .logo
        .and_then(|png| printpdf::RawImage::decode_from_bytes(png, &mut Vec::new()).ok())
        .map(|image| (image.width as f32, doc.add_image(&image)));
    let regular = doc.add_font(parsed(REGULAR_TTF, &REGULAR));
    let bold = doc.add_font(parsed(BOLD_TTF, &BOLD));

    let pdf_pages = pages
        .iter()
        .map(|page| {
            let mut ops = vec![
                Op::SetFillColor {
                    col: Color::Rgb(Rgb {
                        r: 0.0,
                        g: 0.0,
                        b: 0.0,
                        icc_profile: None,
                    }),
                },
                Op::SetOutlineThickness { pt: Pt(0.5) },
            ];
            for item in &page.items {
                match item {
                    Item::Text {
                        x,
                        y,
                        size,
                        bold: is_bold,
                        text,
                        ..
                    } => {
                        let font = if *is_bold { bold.clone() } else { regular.clone() };
                        ops.extend([
                            Op::StartTextSection,
                            Op::SetFont {
                                font: PdfFontHandle::External(font),
                                size: Pt(*size),
                            },
                            Op::SetTextCursor {
                                pos: Point {
                                    x: Pt(*x),
                                    y: Pt(PAGE_HEIGHT - *y),
                                },
                            },
                            Op::ShowText {
                                items: vec![TextItem::Text(text.clone())],
                            },
                            Op::EndTextSection,
                        ]);
                    }
                    Item::Logo { x, y, width, height } => {
                        if let Some((pixels, id)) = &logo {
                            // At 72 dpi an image is as many points wide as it has pixels.
                            let scale = width / pixels;
                            ops.push(Op::UseXobject {
                                id: id.clone(),
                                transform: printpdf::XObjectTransform {
                                    translate_x: Some(Pt(*x)),
                                    translate_y: Some(Pt(PAGE_HEIGHT - *y - *height)),
                                    scale_x: Some(scale),
                                    scale_y: Some(scale),
                                    dpi: Some(72.0),
                                    ..Default::default()
                                },
                            });
                        }
                    }
                    Item::Rule { x1, y1, x2, y2 } => ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x1),
                                        y: Pt(PAGE_HEIGHT - *y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x2),
                                        y: Pt(PAGE_HEIGHT - *y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    }),
                }
            }
            PdfPage::new(Pt(PAGE_WIDTH).into(), Pt(PAGE_HEIGHT).into(), ops)
        })
        .collect();
    doc.with_pages(pdf_pages);
    doc.save(
        &PdfSaveOptions {
            subset_fonts: true,
            ..Default::default()
        },
        &mut Vec::new(),
    )
}

fn date(at: DateTime<Utc>) -> printpdf::OffsetDateTime {
    // Any instant chrono holds converts; the epoch only keeps the types total.
    printpdf::OffsetDateTime::from_unix_timestamp(at.timestamp()).unwrap_or(printpdf::OffsetDateTime::epoch())
}

/// One PDF of several PDFs written by [`write`], pages in order, with `info` as its document
/// information. A batch writes its letters a few hundred at a time and joins them here, so that
/// printpdf never holds ten thousand pages at once.
pub fn join(parts: &[Vec<u8>], info: &PdfInfo) -> Result<Vec<u8>, String> {
    use lopdf::{dictionary, Document, Object, ObjectId, StringFormat};
    let mut out = Document::with_version("1.7");
    let pages_id = out.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for bytes in parts {
        let mut part = Document::load_mem(bytes).map_err(|e| format!("reading a part: {e}"))?;
        part.renumber_objects_with(out.max_id + 1);
        out.max_id = part.max_id;
        let pages: Vec<ObjectId> = part.get_pages().into_values().collect();
        for (id, object) in std::mem::take(&mut part.objects) {
            // Each part's own catalog and page tree are replaced by the joined one.
            if !matches!(object.type_name(), Ok(b"Catalog") | Ok(b"Pages")) {
                out.objects.insert(id, object);
            }
        }
        for id in pages {
            if let Ok(Object::Dictionary(page)) = out.get_object_mut(id) {
                page.set("Parent", pages_id);
            }
            kids.push(id.into());
        }
    }
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = out.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    out.trailer.set("Root", catalog);
    // Text strings in UTF-16BE with a byte-order mark, so any name reads right.
    let text = |s: &str| {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        Object::String(bytes, StringFormat::Hexadecimal)
    };
    let date = Object::string_literal(info.created.format("D:%Y%m%d%H%M%SZ").to_string());
    let info_id = out.add_object(dictionary! {
        "Title" => text(info.title),
        "Author" => text(info.author),
        "Creator" => text("PrivacyDesk"),
        "Producer" => text("PrivacyDesk (printpdf, lopdf)"),
        "CreationDate" => date.clone(),
        "ModDate" => date,
    });
    out.trailer.set("Info", info_id);
    // Drops what only the parts' catalogs referred to (their metadata streams).
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|e| format!("writing: {e}"))?;
    Ok(bytes)
}
