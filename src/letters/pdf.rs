//! Writes laid-out pages as PDF: the two letter fonts embedded as subsets (Type 0, Identity-H,
//! with a ToUnicode map so that every word is selectable and extractable), the letterhead logo
//! as one image, rules as lines, and the document information.
//!
//! The work that does not change from letter to letter is done once. A [`Press`] holds the
//! fonts' subsets (printpdf's subsetter, run again only when a letter brings a character the
//! subset lacks) and the encoded logo; each letter then costs its page content streams. A
//! single letter is a self-contained PDF ([`Press::letter`]); a batch's printer PDF is streamed
//! to its file page by page ([`PrinterPdf`]) with each font subset and the logo written once,
//! so that its memory stays flat however many letters it holds.

use super::fonts::{metrics, Weight, BOLD_TTF, REGULAR_TTF};
use super::layout::{Item, Page, PAGE_HEIGHT, PAGE_WIDTH};
use chrono::{DateTime, Utc};
use flate2::write::ZlibEncoder;
use flate2::Compression;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

/// The document information of a PDF.
pub struct PdfInfo<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub created: DateTime<Utc>,
}

/// The pixel size of a PNG, or why it cannot be a logo.
pub fn png_size(png: &[u8]) -> Result<(u32, u32), String> {
    let image = printpdf::RawImage::decode_from_bytes(png, &mut Vec::new())?;
    Ok((image.width as u32, image.height as u32))
}

/// One PDF of `pages` with `logo` where the pages place it (a preview, a test, one letter).
pub fn write(pages: &[Page], info: &PdfInfo, logo: Option<&[u8]>) -> Vec<u8> {
    Press::new(logo).letter(pages, info)
}

/// The fonts and logo letters are printed with, prepared once for one letter or a whole batch.
pub struct Press {
    regular: Face,
    bold: Face,
    logo: Option<Arc<Logo>>,
    /// Numbers the subsets of this press, so that a printer PDF writes each one once.
    generations: u32,
}

impl Press {
    /// A press for letters with `logo` (a PNG already accepted by [`png_size`]; one that does
    /// not decode prints no logo rather than no letter).
    pub fn new(logo: Option<&[u8]>) -> Press {
        Press {
            regular: Face::new(Weight::Regular),
            bold: Face::new(Weight::Bold),
            logo: logo.and_then(Logo::encode).map(Arc::new),
            generations: 0,
        }
    }

    /// One letter as a PDF of its own, its fonts and logo embedded.
    pub fn letter(&mut self, pages: &[Page], info: &PdfInfo) -> Vec<u8> {
        self.press(pages).pdf(info)
    }

    /// A letter's pages made ready for any number of PDFs: its fonts chosen and its page
    /// contents drawn and compressed once (a batch puts them in the archived letter and in the
    /// printer PDF).
    pub fn press(&mut self, pages: &[Page]) -> Pressed {
        let fonts = self.fonts_for(pages);
        let has_logo = self.logo.is_some();
        let contents = pages
            .iter()
            .map(|page| deflate(content_stream(page, &fonts, has_logo).as_bytes(), Compression::fast()))
            .collect();
        Pressed {
            fonts,
            logo: self.logo.clone(),
            contents,
        }
    }

    /// The subsets that print `pages`, made again (once) when the pages bring new characters.
    fn fonts_for(&mut self, pages: &[Page]) -> FontSet {
        let mut regular = BTreeSet::new();
        let mut bold = BTreeSet::new();
        for item in pages.iter().flat_map(|p| &p.items) {
            if let Item::Text { bold: b, text, .. } = item {
                let (face, chars) = if *b {
                    (&self.bold, &mut bold)
                } else {
                    (&self.regular, &mut regular)
                };
                // A character the font lacks was refused before layout; it never grows a subset.
                let weight = face.weight;
                chars.extend(
                    text.chars()
                        .filter(|c| !face.covers(*c) && metrics(weight).glyph(*c).is_some()),
                );
            }
        }
        for (face, new) in [(&mut self.regular, regular), (&mut self.bold, bold)] {
            if face.subset.is_none() || !new.is_empty() {
                self.generations += 1;
                face.grow(new, self.generations);
            }
        }
        FontSet {
            regular: self.regular.subset.clone().expect("made above"),
            bold: self.bold.subset.clone().expect("made above"),
        }
    }
}

/// A letter's pages, drawn and compressed, with the fonts and logo they use.
pub struct Pressed {
    fonts: FontSet,
    logo: Option<Arc<Logo>>,
    contents: Vec<Vec<u8>>,
}

impl Pressed {
    /// The letter as a PDF of its own, its fonts and logo embedded.
    pub fn pdf(&self, info: &PdfInfo) -> Vec<u8> {
        let mut doc = Document::new(Vec::with_capacity(64 * 1024)).expect("writing to memory");
        doc.letter(self).expect("writing to memory");
        doc.finish(info).expect("writing to memory")
    }

    pub fn pages(&self) -> usize {
        self.contents.len()
    }
}

/// One weight of the letter font and its current subset.
struct Face {
    weight: Weight,
    subset: Option<Arc<Subset>>,
}

impl Face {
    fn new(weight: Weight) -> Face {
        Face { weight, subset: None }
    }

    fn covers(&self, c: char) -> bool {
        self.subset.as_ref().is_some_and(|s| s.glyphs.contains_key(&c))
    }

    /// Replaces the subset with one that also holds `chars`. The characters every letter
    /// prints (the digits, the Latin alphabet and its punctuation) are in the first subset, so
    /// most batches subset each face once.
    fn grow(&mut self, chars: BTreeSet<char>, generation: u32) {
        let mut all: BTreeSet<char> = match &self.subset {
            Some(s) => s.glyphs.keys().copied().collect(),
            None => (' '..='~').collect(),
        };
        all.extend(chars);
        self.subset = Some(Arc::new(Subset::new(self.weight, &all, generation)));
    }
}

/// A font subset ready to embed: the compressed font program, glyph widths, the ToUnicode map,
/// and the new glyph number of each character.
struct Subset {
    generation: u32,
    weight: Weight,
    /// "ABCDEF+DejaVuSans": the tag marks a subset, and differs between subsets.
    name: String,
    glyphs: HashMap<char, u16>,
    program: Vec<u8>,
    program_length: usize,
    widths: String,
    to_unicode: Vec<u8>,
}

fn parsed(weight: Weight) -> &'static printpdf::ParsedFont {
    static REGULAR: OnceLock<printpdf::ParsedFont> = OnceLock::new();
    static BOLD: OnceLock<printpdf::ParsedFont> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR, REGULAR_TTF),
        Weight::Bold => (&BOLD, BOLD_TTF),
    };
    cell.get_or_init(|| printpdf::ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled font parses"))
}

impl Subset {
    fn new(weight: Weight, chars: &BTreeSet<char>, generation: u32) -> Subset {
        let metrics = metrics(weight);
        // One character per original glyph (the first one, for ToUnicode).
        let mut wanted: BTreeMap<u16, String> = BTreeMap::new();
        for c in chars {
            if let Some(glyph) = metrics.glyph(*c).filter(|g| *g != 0) {
                wanted.entry(glyph).or_insert_with(|| c.to_string());
            }
        }
        let subset = printpdf::subset_font(parsed(weight), &wanted).expect("the bundled font subsets");
        let new_glyph: HashMap<u16, u16> = subset
            .glyph_mapping
            .iter()
            .map(|(old, (new, _))| (*old, *new))
            .collect();
        let glyphs: HashMap<char, u16> = chars
            .iter()
            .filter_map(|c| Some((*c, *new_glyph.get(&metrics.glyph(*c)?)?)))
            .collect();

        // Widths of the subset's glyphs in their new order (0 is .notdef).
        let by_new: BTreeMap<u16, u16> = new_glyph.iter().map(|(old, new)| (*new, *old)).collect();
        let mut widths = String::from("[");
        for (new, old) in &by_new {
            let _ = write!(widths, "{new} [{}] ", number(metrics.advance_per_mille(*old)));
        }
        widths.push(']');

        let mut to_unicode_entries: Vec<(u16, &str)> = subset
            .glyph_mapping
            .values()
            .map(|(new, text)| (*new, text.as_str()))
            .collect();
        to_unicode_entries.sort();
        let to_unicode = deflate(to_unicode_cmap(&to_unicode_entries).as_bytes(), Compression::default());

        let family = match weight {
            Weight::Regular => "DejaVuSans",
            Weight::Bold => "DejaVuSans-Bold",
        };
        Subset {
            generation,
            weight,
            name: format!("{}+{family}", tag(chars, generation)),
            glyphs,
            program_length: subset.bytes.len(),
            program: deflate(&subset.bytes, Compression::default()),
            widths,
            to_unicode,
        }
    }

    /// `text` as the subset's glyph numbers, in hex for a `Tj`.
    fn encode(&self, text: &str, out: &mut String) {
        out.push('<');
        for c in text.chars() {
            // A character without a glyph was refused before layout; .notdef keeps the place.
            let _ = write!(out, "{:04X}", self.glyphs.get(&c).copied().unwrap_or(0));
        }
        out.push('>');
    }
}

/// Six capital letters naming a subset (PDF 32000-1 § 9.6.4), from its characters.
fn tag(chars: &BTreeSet<char>, generation: u32) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(generation.to_be_bytes());
    for c in chars {
        hash.update(u32::from(*c).to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

fn to_unicode_cmap(entries: &[(u16, &str)]) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // A block holds at most 100 entries.
    for block in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", block.len());
        for (glyph, text) in block {
            let utf16: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            let _ = writeln!(cmap, "<{glyph:04X}> <{utf16}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The subsets one letter's pages are printed with.
struct FontSet {
    regular: Arc<Subset>,
    bold: Arc<Subset>,
}

/// The letterhead logo, encoded once: its colour samples and, when it has transparency, the
/// alpha as a soft mask.
struct Logo {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

impl Logo {
    fn encode(png: &[u8]) -> Option<Logo> {
        use printpdf::{RawImageData, RawImageFormat as F};
        let image = printpdf::RawImage::decode_from_bytes(png, &mut Vec::new()).ok()?;
        let samples: Vec<u8> = match &image.pixels {
            RawImageData::U8(v) => v.clone(),
            RawImageData::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
            RawImageData::F32(v) => v.iter().map(|s| (s.clamp(0.0, 1.0) * 255.0).round() as u8).collect(),
        };
        type ToRgb = fn(&[u8]) -> [u8; 3];
        let (channels, rgb_of): (usize, ToRgb) = match image.data_format {
            F::R8 | F::R16 => (1, |p| [p[0]; 3]),
            F::RG8 | F::RG16 => (2, |p| [p[0]; 3]),
            F::RGB8 | F::RGB16 | F::RGBF32 => (3, |p| [p[0], p[1], p[2]]),
            F::RGBA8 | F::RGBA16 | F::RGBAF32 => (4, |p| [p[0], p[1], p[2]]),
            F::BGR8 => (3, |p| [p[2], p[1], p[0]]),
            F::BGRA8 => (4, |p| [p[2], p[1], p[0]]),
        };
        let has_alpha = channels == 2 || channels == 4;
        if image.width == 0 || samples.len() < image.width * image.height * channels {
            return None;
        }
        let mut rgb = Vec::with_capacity(image.width * image.height * 3);
        let mut alpha = Vec::with_capacity(if has_alpha { image.width * image.height } else { 0 });
        for pixel in samples.chunks_exact(channels).take(image.width * image.height) {
            rgb.extend(rgb_of(pixel));
            if has_alpha {
                alpha.push(pixel[channels - 1]);
            }
        }
        let opaque = alpha.iter().all(|a| *a == 255);
        Some(Logo {
            width: image.width,
            height: image.height,
            rgb: deflate(&rgb, Compression::default()),
            alpha: (has_alpha && !opaque).then(|| deflate(&alpha, Compression::default())),
        })
    }
}

/// A PDF being written to `out` object by object, with the byte offsets for its
/// cross-reference table. Object 1 is the catalog and 2 the page tree, both written last.
struct Document<W: Write> {
    out: W,
    at: u64,
    offsets: Vec<Option<u64>>,
    pages: Vec<u32>,
    /// Font objects already written, by subset generation.
    fonts: HashMap<u32, u32>,
    logo: Option<u32>,
}

const CATALOG: u32 = 1;
const PAGE_TREE: u32 = 2;

impl<W: Write> Document<W> {
    fn new(out: W) -> io::Result<Document<W>> {
        let mut doc = Document {
            out,
            at: 0,
            offsets: vec![None, None],
            pages: Vec::new(),
            fonts: HashMap::new(),
            logo: None,
        };
        // The second line's bytes above 127 tell transfer programs the file is binary.
        doc.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(doc)
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn reserve(&mut self) -> u32 {
        self.offsets.push(None);
        self.offsets.len() as u32
    }

    fn object(&mut self, id: u32, body: &str) -> io::Result<()> {
        self.offsets[id as usize - 1] = Some(self.at);
        self.raw(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes())
    }

    /// A stream of already-deflated `data`; `entries` are the dictionary's other keys.
    fn stream(&mut self, id: u32, entries: &str, data: &[u8]) -> io::Result<()> {
        self.offsets[id as usize - 1] = Some(self.at);
        self.raw(
            format!(
                "{id} 0 obj\n<< /Length {} /Filter /FlateDecode {entries}>>\nstream\n",
                data.len()
            )
            .as_bytes(),
        )?;
        self.raw(data)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    /// The Type 0 font of `subset`, written the first time a page of this document uses it.
    fn font(&mut self, subset: &Subset) -> io::Result<u32> {
        if let Some(id) = self.fonts.get(&subset.generation) {
            return Ok(*id);
        }
        let (font, cid_font, descriptor, program, to_unicode) = (
            self.reserve(),
            self.reserve(),
            self.reserve(),
            self.reserve(),
            self.reserve(),
        );
        let m = metrics(subset.weight);
        let (bbox, cap_height, italic_angle) = m.descriptor();
        let bold = subset.weight == Weight::Bold;
        self.stream(
            program,
            &format!("/Length1 {} ", subset.program_length),
            &subset.program,
        )?;
        self.stream(to_unicode, "", &subset.to_unicode)?;
        self.object(
            descriptor,
            &format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 32 /FontBBox [{} {} {} {}] \
                 /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV {} /FontWeight {} \
                 /FontFile2 {program} 0 R >>",
                number(bbox[0]),
                number(bbox[1]),
                number(bbox[2]),
                number(bbox[3]),
                number(italic_angle),
                number(m.ascent * 1000.0),
                number(-m.descent * 1000.0),
                number(cap_height),
                if bold { 140 } else { 80 },
                if bold { 700 } else { 400 },
                name = subset.name,
            ),
        )?;
        self.object(
            cid_font,
            &format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 1000 /W {} >>",
                subset.name, subset.widths
            ),
        )?;
        self.object(
            font,
            &format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{} /Encoding /Identity-H \
                 /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>",
                subset.name
            ),
        )?;
        self.fonts.insert(subset.generation, font);
        Ok(font)
    }

    /// The logo image, written the first time a page of this document uses it.
    fn logo(&mut self, logo: &Logo) -> io::Result<u32> {
        if let Some(id) = self.logo {
            return Ok(id);
        }
        let image = self.reserve();
        let mask = match &logo.alpha {
            Some(alpha) => {
                let mask = self.reserve();
                self.stream(
                    mask,
                    &format!(
                        "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8 ",
                        logo.width, logo.height
                    ),
                    alpha,
                )?;
                format!("/SMask {mask} 0 R ")
            }
            None => String::new(),
        };
        self.stream(
            image,
            &format!(
                "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceRGB /BitsPerComponent 8 {mask}",
                logo.width, logo.height
            ),
            &logo.rgb,
        )?;
        self.logo = Some(image);
        Ok(image)
    }

    /// The resource dictionary of a letter's pages (its fonts and logo, each written once).
    fn resources(&mut self, set: &FontSet, logo: Option<&Logo>) -> io::Result<String> {
        let regular = self.font(&set.regular)?;
        let bold = self.font(&set.bold)?;
        let logo = match logo {
            Some(logo) => format!(" /XObject << /Logo {} 0 R >>", self.logo(logo)?),
            None => String::new(),
        };
        Ok(format!("<< /Font << /R {regular} 0 R /B {bold} 0 R >>{logo} >>"))
    }

    /// Appends a pressed letter's pages.
    fn letter(&mut self, pressed: &Pressed) -> io::Result<()> {
        let resources = self.resources(&pressed.fonts, pressed.logo.as_deref())?;
        for content in &pressed.contents {
            let content_id = self.reserve();
            let id = self.reserve();
            self.stream(content_id, "", content)?;
            self.object(
                id,
                &format!(
                    "<< /Type /Page /Parent {PAGE_TREE} 0 R /MediaBox [0 0 {} {}] /Resources {resources} /Contents {content_id} 0 R >>",
                    number(PAGE_WIDTH),
                    number(PAGE_HEIGHT),
                ),
            )?;
            self.pages.push(id);
        }
        Ok(())
    }

    /// Writes the page tree, catalog, document information and cross-reference table.
    fn finish(mut self, info: &PdfInfo) -> io::Result<W> {
        let kids: String = self.pages.iter().map(|id| format!("{id} 0 R ")).collect();
        self.object(
            PAGE_TREE,
            &format!("<< /Type /Pages /Kids [{kids}] /Count {} >>", self.pages.len()),
        )?;
        self.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGE_TREE} 0 R >>"))?;
        let info_id = self.reserve();
        let date = info.created.format("D:%Y%m%d%H%M%SZ");
        self.object(
            info_id,
            &format!(
                "<< /Title {} /Author {} /Creator {} /Producer {} /CreationDate ({date}) /ModDate ({date}) >>",
                text_string(info.title),
                text_string(info.author),
                text_string("PrivacyDesk"),
                text_string("PrivacyDesk"),
            ),
        )?;
        let xref = self.at;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for offset in &self.offsets {
            let offset = offset.expect("every object reserved is written");
            // Each entry is 20 bytes: the space before the newline is part of it.
            let _ = writeln!(table, "{offset:010} 00000 n ");
        }
        let _ = write!(
            table,
            "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.raw(table.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The drawing operators of one page (PDF coordinates start at the bottom left).
fn content_stream(page: &Page, set: &FontSet, has_logo: bool) -> String {
    let mut ops = String::with_capacity(4096);
    ops.push_str("0 g 0 G 0.5 w\n");
    for item in &page.items {
        match item {
            Item::Text {
                x, y, size, bold, text, ..
            } => {
                let (name, subset) = if *bold { ("B", &set.bold) } else { ("R", &set.regular) };
                let _ = write!(
                    ops,
                    "BT /{name} {} Tf {} {} Td ",
                    number(*size),
                    number(*x),
                    number(PAGE_HEIGHT - y)
                );
                subset.encode(text, &mut ops);
                ops.push_str(" Tj ET\n");
            }
            Item::Rule { x1, y1, x2, y2 } => {
                let _ = writeln!(
                    ops,
                    "{} {} m {} {} l S",
                    number(*x1),
                    number(PAGE_HEIGHT - y1),
                    number(*x2),
                    number(PAGE_HEIGHT - y2)
                );
            }
            Item::Bar {
                x,
                y,
                width,
                height,
                shade,
            } => {
                let _ = writeln!(
                    ops,
                    "q {} g {} {} {} {} re f Q",
                    number(shade.clamp(0.0, 1.0)),
                    number(*x),
                    number(PAGE_HEIGHT - y - height),
                    number(*width),
                    number(*height)
                );
            }
            Item::Logo { x, y, width, height } if has_logo => {
                let _ = writeln!(
                    ops,
                    "q {} 0 0 {} {} {} cm /Logo Do Q",
                    number(*width),
                    number(*height),
                    number(*x),
                    number(PAGE_HEIGHT - y - height)
                );
            }
            Item::Logo { .. } => {}
        }
    }
    ops
}

/// A number as PDF writes it: at most two decimals, no exponent, no trailing zeros.
fn number(v: f32) -> String {
    let hundredths = if v.is_finite() {
        (f64::from(v) * 100.0).round() as i64
    } else {
        0
    };
    let (sign, magnitude) = if hundredths < 0 {
        ("-", -hundredths)
    } else {
        ("", hundredths)
    };
    let (whole, fraction) = (magnitude / 100, magnitude % 100);
    match fraction {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// A text string in UTF-16BE with its byte-order mark, so that any name reads right.
fn text_string(s: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in s.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

fn deflate(data: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(data.len() / 2), level);
    encoder.write_all(data).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// A batch's printer PDF, streamed to `out` as letters are added: each font subset and the
/// logo are written once; the page tree and cross-reference table when it is finished.
pub struct PrinterPdf<W: Write> {
    doc: Document<W>,
}

impl<W: Write> PrinterPdf<W> {
    pub fn new(out: W) -> io::Result<PrinterPdf<W>> {
        Ok(PrinterPdf {
            doc: Document::new(out)?,
        })
    }

    /// Appends a letter's pages (pressed once for its archived copy and for this).
    pub fn add(&mut self, pressed: &Pressed) -> io::Result<()> {
        self.doc.letter(pressed)?;
        // Handed to the system letter by letter: what a batch archived is in the file.
        self.doc.out.flush()
    }

    /// Pages written so far.
    pub fn pages(&self) -> usize {
        self.doc.pages.len()
    }

    /// Writes what makes the file a complete PDF and hands back `out`.
    pub fn finish(self, info: &PdfInfo) -> io::Result<W> {
        self.doc.finish(info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_without_exponents_or_trailing_zeros() {
        assert_eq!(number(72.0), "72");
        assert_eq!(number(10.5), "10.5");
        assert_eq!(number(0.333), "0.33");
        assert_eq!(number(-0.001), "0");
        assert_eq!(number(-12.05), "-12.05");
        assert_eq!(number(0.07), "0.07");
        assert_eq!(number(f32::NAN), "0");
    }

    #[test]
    fn a_subset_grows_only_when_a_letter_brings_a_new_character() {
        let page = |text: &str| Page {
            items: vec![Item::Text {
                x: 72.0,
                y: 100.0,
                size: 10.0,
                bold: false,
                text: text.into(),
                unit: 0,
            }],
        };
        let mut press = Press::new(None);
        let first = press.fonts_for(&[page("Dear Ana Smith,")]);
        let again = press.fonts_for(&[page("Dear Bob Jones,")]);
        assert_eq!(
            first.regular.generation, again.regular.generation,
            "ASCII is in the first subset"
        );
        let grown = press.fonts_for(&[page("Dear José Núñez,")]);
        assert_ne!(first.regular.generation, grown.regular.generation);
        assert!(grown.regular.glyphs.contains_key(&'ñ') && grown.regular.glyphs.contains_key(&'D'));
        assert_eq!(
            grown.bold.generation, first.bold.generation,
            "the bold face had nothing new"
        );
    }

    #[test]
    fn text_strings_are_utf16_with_a_byte_order_mark() {
        assert_eq!(text_string("Aé"), "<FEFF004100E9>");
    }
}
