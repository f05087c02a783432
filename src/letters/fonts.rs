//! The fonts letters are printed in (DejaVu Sans and DejaVu Sans Bold, shipped in
//! `assets/fonts/` with their licence): glyph widths for line breaking, and the check that every
//! character of a letter has a glyph, so that nothing is ever printed as an empty box.

use super::LetterError;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

pub const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// Glyph metrics of one font, read once.
pub struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Glyph and advance of every character below [`TABLED`], looked up once: line breaking
    /// measures each line many times, and the font's own character map is slow to search.
    table: Vec<Option<(u16, u16)>>,
    /// Ascender and descender as fractions of the font size (descender positive).
    pub ascent: f32,
    pub descent: f32,
}

impl Metrics {
    fn load(bytes: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
        let units_per_em = f32::from(face.units_per_em());
        let table = (0..TABLED)
            .map(|u| {
                let glyph = face.glyph_index(char::from_u32(u)?)?;
                Some((glyph.0, face.glyph_hor_advance(glyph).unwrap_or(0)))
            })
            .collect();
        Metrics {
            table,
            ascent: f32::from(face.ascender()) / units_per_em,
            descent: -f32::from(face.descender()) / units_per_em,
            face,
            units_per_em,
        }
    }

    /// The glyph the font draws `c` with, and its advance in font units.
    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        match self.table.get(c as usize) {
            Some(known) => *known,
            None => {
                let glyph = self.face.glyph_index(c)?;
                Some((glyph.0, self.face.glyph_hor_advance(glyph).unwrap_or(0)))
            }
        }
    }

    /// The glyph the font draws `c` with.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.lookup(c).map(|(g, _)| g)
    }

    /// A glyph's advance in thousandths of the font size (the unit of a PDF's glyph widths).
    pub fn advance_per_mille(&self, glyph: u16) -> f32 {
        let units = self.face.glyph_hor_advance(ttf_parser::GlyphId(glyph)).unwrap_or(0);
        f32::from(units) * 1000.0 / self.units_per_em
    }

    /// What a PDF font descriptor says of the face, in thousandths of the font size: the
    /// bounding box of every glyph, the cap height and the italic angle.
    pub fn descriptor(&self) -> ([f32; 4], f32, f32) {
        let scale = |v: i16| f32::from(v) * 1000.0 / self.units_per_em;
        let bbox = self.face.global_bounding_box();
        (
            [
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ],
            self.face.capital_height().map_or(self.ascent * 1000.0, scale),
            self.face.italic_angle(),
        )
    }

    pub fn has(&self, c: char) -> bool {
        c.is_control() || self.lookup(c).is_some()
    }

    /// The advance width of `text` in font units (widths add up: letters are not kerned).
    pub fn units(&self, text: &str) -> u32 {
        text.chars()
            .map(|c| self.lookup(c).map_or(0, |(_, advance)| u32::from(advance)))
            .sum()
    }

    /// A width in font units, in points at `size`.
    pub fn width_of(&self, units: u32, size: f32) -> f32 {
        units as f32 / self.units_per_em * size
    }

    /// The advance width of `text` at `size` points, as the PDF viewer will place it.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.width_of(self.units(text), size)
    }
}

/// Characters below this are in a [`Metrics`] table: Latin, Greek, Cyrillic, general
/// punctuation and the Vietnamese letters (U+1E00–U+1EFF).
const TABLED: u32 = 0x2200;

pub fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| Metrics::load(REGULAR_TTF)),
        Weight::Bold => BOLD.get_or_init(|| Metrics::load(BOLD_TTF)),
    }
}

/// Text as letters print it: composed (NFC), so that "é" typed as "e" + accent uses the font's
/// own "é".
pub fn normalise(text: &str) -> String {
    // ASCII is composed already.
    if text.is_ascii() {
        return text.to_owned();
    }
    text.nfc().collect()
}

/// Refuses text with characters the letter fonts cannot print, naming them and their script
/// (`what` says where the text comes from: "The recipient's name").
pub fn check_printable(what: &str, text: &str) -> Result<(), LetterError> {
    let missing: BTreeSet<char> = normalise(text)
        .chars()
        .filter(|c| needs_shaping(*c) || !metrics(Weight::Regular).has(*c) || !metrics(Weight::Bold).has(*c))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let scripts: BTreeSet<&str> = missing.iter().map(|c| script_name(*c)).collect();
    let shown: String = missing.iter().take(8).collect();
    Err(LetterError::Unprintable(format!(
        "{what} has characters the letter fonts cannot print ({} script: {shown}). The fonts cover \
         Latin (with Vietnamese), Greek and Cyrillic; enter the text in one of those scripts \
         (for example transliterated) before printing.",
        scripts.into_iter().collect::<Vec<_>>().join(", ")
    )))
}

/// Scripts written right to left or with joined forms: the fonts may have glyphs for some of
/// them, but letters place glyphs one after another, left to right, so they would print wrong.
fn needs_shaping(c: char) -> bool {
    matches!(u32::from(c), 0x0590..=0x08FF | 0x0900..=0x0DFF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// The script of a character the fonts lack, for the message.
fn script_name(c: char) -> &'static str {
    match u32::from(c) {
        0x0590..=0x05FF => "Hebrew",
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => "Arabic",
        0x0900..=0x097F => "Devanagari",
        0x0980..=0x09FF => "Bengali",
        0x0A00..=0x0A7F => "Gurmukhi",
        0x0B80..=0x0BFF => "Tamil",
        0x0E00..=0x0E7F => "Thai",
        0x10A0..=0x10FF => "Georgian",
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => "Korean (Hangul)",
        0x3040..=0x309F => "Japanese (Hiragana)",
        0x30A0..=0x30FF => "Japanese (Katakana)",
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => "Chinese/Japanese (Han)",
        0x0530..=0x058F => "Armenian",
        0x1F300..=0x1FAFF | 0x2600..=0x27BF => "emoji/symbols",
        _ => "unsupported",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_latin_vietnamese_greek_and_cyrillic_names() {
        for name in [
            "José Núñez",
            "Nguyễn Thị Minh Khai",
            "Łukasz Żółć",
            "Αλέξανδρος Παπαδόπουλος",
            "Анна Смирнова",
            "Søren Ørsted",
            "Siobhán O'Brien",
        ] {
            assert_eq!(check_printable("The name", name), Ok(()), "{name}");
        }
    }

    #[test]
    fn a_name_in_another_script_is_refused_naming_the_script() {
        let err = check_printable("The recipient's name", "王小明")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("The recipient's name has characters"), "{err}");
        assert!(err.contains("Chinese/Japanese (Han)"), "{err}");
        let err = check_printable("The name", "محمد").unwrap_err().to_string();
        assert!(err.contains("Arabic"), "{err}");
    }

    #[test]
    fn decomposed_accents_are_composed_before_printing() {
        assert_eq!(normalise("Jose\u{301}"), "José");
        assert!(metrics(Weight::Regular).width("José", 10.0) > metrics(Weight::Regular).width("Jos", 10.0));
    }
}
